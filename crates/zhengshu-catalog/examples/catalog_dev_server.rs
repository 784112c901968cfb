//! A throw-away server for trying the catalog pages in a browser without the full app:
//! a fresh SQLite database, two units, an officer and a reviewer with open sessions
//! (their cookies are printed), and the catalog routes on 127.0.0.1:PORT.
//!
//! ```sh
//! cargo run -p zhengshu-catalog --example catalog_dev_server -- 8765
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::extract::FromRef;
use axum::Router;
use zhengshu_auth::{LoginPolicy, NewUnit, NewUser, Role};
use zhengshu_catalog::CatalogState;
use zhengshu_core::SystemClock;
use zhengshu_db::Db;
use zhengshu_http::AuthState;

#[derive(Clone, FromRef)]
struct AppState {
    auth: AuthState,
    catalog: CatalogState,
}

#[tokio::main]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(8765);
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&zhengshu_db::sqlite_url_for_dir(dir.path()))
        .await
        .unwrap();
    db.migrate(&[
        &zhengshu_db::MIGRATIONS,
        &zhengshu_auth::MIGRATIONS,
        &zhengshu_catalog::MIGRATIONS,
    ])
    .await
    .unwrap();
    let clock: zhengshu_core::SharedClock = Arc::new(SystemClock);
    let now = zhengshu_db::ts(clock.now());
    let unit = zhengshu_auth::units::create(
        &db,
        &NewUnit {
            name: "区政务服务数据管理局".into(),
            level: "区级".into(),
            ..Default::default()
        },
        &now,
    )
    .await
    .unwrap();
    zhengshu_auth::units::create(
        &db,
        &NewUnit {
            name: "区卫生健康局".into(),
            level: "区级".into(),
            ..Default::default()
        },
        &now,
    )
    .await
    .unwrap();
    let policy = LoginPolicy::default();
    for (name, role) in [("officer", Role::DataOfficer), ("reviewer", Role::Reviewer)] {
        let user = NewUser {
            username: name.into(),
            display_name: name.into(),
            unit_id: Some(unit.id),
            roles: vec![role],
            password: "dev-password-123".into(),
        };
        zhengshu_auth::users::create(&db, &user, &now)
            .await
            .unwrap();
        let (session, _) =
            zhengshu_auth::session::login(&db, &policy, name, "dev-password-123", clock.now())
                .await
                .unwrap();
        println!("{name} cookie: zs_session={}", session.token);
    }
    let state = CatalogState::new(db.clone(), clock.clone(), None)
        .await
        .unwrap();
    let auth = AuthState {
        db,
        clock,
        policy: Arc::new(policy),
        secure_cookies: false,
    };
    let app = Router::new()
        .merge(zhengshu_catalog::routes::<AppState>())
        .layer(axum::middleware::from_fn_with_state(
            auth.clone(),
            zhengshu_http::guard,
        ))
        .with_state(AppState {
            auth,
            catalog: state,
        });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    println!("listening on http://127.0.0.1:{port}");
    axum::serve(listener, app).await.unwrap();
}
