//! `zhengshu user …` and `zhengshu unit …`: they work on the same data while a server runs.

use anyhow::{bail, Context};
use zhengshu_auth::units::{self, ImportFormat, UnitFilter};
use zhengshu_auth::{password, users, NewUser, Role};
use zhengshu_core::clock::{Clock, SystemClock};

use crate::cli::{Format, UnitCmd, UserCmd};
use crate::config::Settings;

fn now() -> String {
    zhengshu_db::ts(SystemClock.now())
}

pub(crate) async fn user(s: &Settings, cmd: UserCmd) -> anyhow::Result<()> {
    let db = super::open_db(s).await?;
    match cmd {
        UserCmd::Add {
            username,
            name,
            unit,
            roles,
            password: pw,
        } => {
            let roles = roles
                .iter()
                .flat_map(|r| r.split(','))
                .map(|r| Role::parse(r).with_context(|| format!("unknown role `{r}`")))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let unit_id = match unit {
                None => None,
                Some(u) => Some(match u.parse::<i64>() {
                    Ok(id) => units::get(&db, id).await?.id,
                    Err(_) => {
                        units::find_by_name(&db, &u)
                            .await?
                            .with_context(|| format!("no unit named `{u}`"))?
                            .id
                    }
                }),
            };
            let generated = pw.is_none();
            let pw = pw.unwrap_or_else(password::generate);
            let display_name = name.unwrap_or_else(|| username.clone());
            let u = users::create(
                &db,
                &NewUser {
                    username,
                    display_name,
                    unit_id,
                    roles,
                    password: pw.clone(),
                },
                &now(),
            )
            .await?;
            println!("created user {} (id {})", u.username, u.id);
            if generated {
                println!("password: {pw}");
            }
        }
        UserCmd::List { format } => {
            let list = users::list(&db, None).await?;
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&list)?),
                Format::Table => {
                    println!(
                        "{:<6} {:<20} {:<16} {:<10} ROLES / UNIT",
                        "ID", "USERNAME", "NAME", "STATUS"
                    );
                    for u in list {
                        let roles: Vec<&str> = u.roles.iter().map(|r| r.as_str()).collect();
                        println!(
                            "{:<6} {:<20} {:<16} {:<10} {} / {}",
                            u.id,
                            u.username,
                            u.display_name,
                            u.status,
                            roles.join(","),
                            u.unit_name.unwrap_or_default()
                        );
                    }
                }
            }
        }
        UserCmd::Passwd {
            username,
            password: pw,
        } => {
            let u = users::get_by_username(&db, &username).await?;
            let generated = pw.is_none();
            let pw = pw.unwrap_or_else(password::generate);
            users::set_password(&db, u.id, &pw, &now()).await?;
            println!(
                "password of {} changed; their sessions were ended",
                u.username
            );
            if generated {
                println!("password: {pw}");
            }
        }
    }
    Ok(())
}

pub(crate) async fn unit(s: &Settings, cmd: UnitCmd) -> anyhow::Result<()> {
    let db = super::open_db(s).await?;
    match cmd {
        UnitCmd::List { format, level } => {
            let list = units::list(&db, &UnitFilter { level, q: None }).await?;
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&list)?),
                Format::Table => {
                    println!("{:<6} {:<10} {:<20} NAME", "ID", "LEVEL", "CREDIT CODE");
                    for u in list {
                        println!(
                            "{:<6} {:<10} {:<20} {}",
                            u.id,
                            u.level.as_str(),
                            u.credit_code.unwrap_or_default(),
                            u.name
                        );
                    }
                }
            }
        }
        UnitCmd::Import { file, dry_run } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let format = ImportFormat::detect(file.to_str(), &bytes);
            let report = units::import_file(&db, &bytes, format, dry_run, &now()).await?;
            for e in &report.errors {
                eprintln!("row {}, {}: {}", e.row, e.column, e.message);
            }
            if !report.errors.is_empty() {
                bail!(
                    "{} error(s) in {}; nothing was imported",
                    report.errors.len(),
                    file.display()
                );
            }
            if dry_run {
                println!("dry run: {} rows are valid; nothing written", report.rows);
            } else {
                println!("imported {} units", report.created);
            }
        }
    }
    Ok(())
}
