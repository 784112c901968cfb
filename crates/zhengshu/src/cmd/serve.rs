use std::sync::Arc;

use anyhow::Context;
use zhengshu_auth::{password, users, LoginPolicy, NewUser, Role};
use zhengshu_core::clock::{SharedClock, SystemClock};
use zhengshu_db::Db;
use zhengshu_web::{AppState, WebConfig};

use crate::config::{ServeSettings, Settings};

/// Creates the first platform admin when there is none; returns the generated password.
async fn bootstrap_admin(
    db: &Db,
    clock: &SharedClock,
    given: Option<&str>,
) -> anyhow::Result<Option<String>> {
    if users::has_any_admin(db).await? {
        return Ok(None);
    }
    let generated = given.is_none();
    let pw = given.map(str::to_string).unwrap_or_else(password::generate);
    let unit = zhengshu_auth::units::find_by_name(db, zhengshu_demo::BUREAU_NAME)
        .await?
        .map(|u| u.id);
    users::create(
        db,
        &NewUser {
            username: "admin".into(),
            display_name: "平台管理员".into(),
            unit_id: unit,
            roles: vec![Role::PlatformAdmin],
            password: pw.clone(),
        },
        &zhengshu_db::ts(clock.now()),
    )
    .await?;
    Ok(generated.then_some(pw))
}

pub(crate) async fn run(s: &Settings, serve: &ServeSettings, demo: bool) -> anyhow::Result<()> {
    let db = super::open_db(s).await?;
    let clock: SharedClock = Arc::new(SystemClock);
    if demo {
        let report = zhengshu_demo::seed(&db, &clock)
            .await
            .context("building the demo district")?;
        if let Some(r) = report {
            println!("demo district built: {r}");
        }
    }
    let first_password = bootstrap_admin(&db, &clock, serve.admin_password.as_deref()).await?;
    if demo {
        let pw = first_password
            .clone()
            .or_else(|| serve.admin_password.clone());
        if let Some(pw) = pw {
            let made = zhengshu_demo::seed_users(&db, &clock, &pw).await?;
            if made > 0 {
                println!(
                    "demo accounts ({}, same password as admin): {}",
                    made,
                    zhengshu_demo::DEMO_USERS
                        .iter()
                        .map(|u| u.0)
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
    }
    zhengshu_auth::session::purge_expired(&db, clock.now()).await?;
    let policy = LoginPolicy {
        session_ttl: chrono_hours(serve.session_hours),
        max_failures: serve.max_login_failures,
        lockout: chrono_minutes(serve.lockout_minutes),
    };
    let catalog = super::catalog_state(s, &db, &clock).await?;
    if demo {
        let made = zhengshu_demo::seed_modules(&db, &clock, &catalog)
            .await
            .context("building the demo catalog and hotline")?;
        if !made.is_empty() {
            println!("demo content: {made}");
        }
    }
    let hotline = zhengshu_hotline::HotlineState::new(db.clone(), clock.clone()).await?;
    let config = WebConfig {
        max_body_bytes: serve.max_body_bytes,
        lake_url: s.lake_url.clone(),
    };
    let lake = zhengshu_lake::LakeState::new(catalog.clone(), &s.lake_url).await?;
    if demo {
        if let Some(unit) =
            zhengshu_auth::units::find_by_name(&db, "深圳市市场监督管理局龙岗监管局").await?
        {
            if let Some(r) = zhengshu_lake::seed_demo(&lake, unit.id, 20_000).await? {
                println!(
                    "demo lake: table enterprises, {} rows written, {} quarantined",
                    r.rows_written, r.rows_quarantined
                );
            }
        }
    }
    // Scheduled pulls from units' databases: every minute, run those whose cycle is due.
    {
        let lake = lake.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                if let Err(e) = zhengshu_lake::pull::run_due(&lake).await {
                    tracing::warn!(error = %e, "scheduled pulls");
                }
            }
        });
    }
    let exchange = zhengshu_exchange::ExchangeState::new(lake.clone()).await?;
    if demo {
        let made = zhengshu_exchange::seed_demo(&exchange).await?;
        if made > 0 {
            println!("demo sharing: {made} data-application scenarios");
        }
    }
    // Overdue access requests escalate to the platform admin.
    {
        let exchange = exchange.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = zhengshu_exchange::service::escalate_overdue(&exchange).await {
                    tracing::warn!(error = %e, "escalating overdue access requests");
                }
                tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            }
        });
    }
    let mut state = AppState::new(db, clock, config, policy, catalog, hotline, exchange);
    state.auth.secure_cookies = serve.secure_cookies;
    if demo {
        let seeded = zhengshu_open::demo::seed(&state.open, 10, 2_000).await?;
        if seeded.datasets > 0 {
            println!(
                "demo open data: {} datasets with {} rows, {} applications",
                seeded.datasets, seeded.rows, seeded.applications
            );
        }
    }
    // The portal's usage counters go to the database every few seconds.
    {
        let open = state.open.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                if let Err(e) = open.stats.flush(&open.db).await {
                    tracing::warn!(error = %e, "writing open-data usage counters");
                }
            }
        });
    }
    let open = state.open.clone();
    let app = zhengshu_web::app(state);
    let listener = tokio::net::TcpListener::bind(serve.listen)
        .await
        .with_context(|| format!("cannot listen on {}", serve.listen))?;
    let addr = listener.local_addr()?;
    if let Some(pw) = first_password {
        println!("admin user: admin");
        println!("admin password: {pw}");
        println!("(shown once; change it with `zhengshu user passwd admin`)");
    }
    println!("zhengshu is listening on http://{addr}");
    tracing::info!(%addr, database = ?s.database_url.split('?').next(), lake = %s.lake_url, "serving");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await?;
    // The last seconds of open-data usage counts.
    if let Err(e) = open.stats.flush(&open.db).await {
        tracing::warn!(error = %e, "writing open-data usage counters at shutdown");
    }
    Ok(())
}

fn chrono_hours(h: i64) -> chrono::Duration {
    chrono::Duration::hours(h)
}

fn chrono_minutes(m: i64) -> chrono::Duration {
    chrono::Duration::minutes(m)
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
