//! The subcommands.

mod accounts;
mod audit;
mod lake;
mod modules;
mod serve;

pub(crate) use modules::catalog_state;

use anyhow::Context;
use zhengshu_db::Db;

use crate::cli::{Command, LogFormat};
use crate::config::{ServeSettings, Settings};

pub(crate) fn init_logging(s: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_new(&s.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr);
    let _ = match s.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Opens the database (creating the data folder for the embedded default) and migrates.
pub(crate) async fn open_db(s: &Settings) -> anyhow::Result<Db> {
    if s.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&s.data_dir)
            .with_context(|| format!("cannot create data dir {}", s.data_dir.display()))?;
    }
    if let Some(path) = s.lake_url.strip_prefix("file://") {
        std::fs::create_dir_all(path)
            .with_context(|| format!("cannot create lake folder {path}"))?;
    }
    let db = Db::connect(&s.database_url).await?;
    db.migrate(&zhengshu_web::migrations()).await?;
    Ok(db)
}

pub(crate) async fn run(
    cmd: Command,
    s: Settings,
    serve: Option<ServeSettings>,
) -> anyhow::Result<()> {
    match cmd {
        Command::Serve(_) | Command::Demo(_) => {
            let demo = matches!(cmd, Command::Demo(_));
            let serve = serve.context("missing server settings")?;
            serve::run(&s, &serve, demo).await
        }
        Command::Migrate => {
            let db = open_db(&s).await?;
            println!("migrated {:?} database", db.backend());
            Ok(())
        }
        Command::User(c) => accounts::user(&s, c).await,
        Command::Ingest(a) => lake::ingest(&s, a).await,
        Command::Sql(a) => lake::sql(&s, a).await,
        Command::Lake(c) => lake::lake(&s, c).await,
        Command::Unit(c) => accounts::unit(&s, c).await,
        Command::Catalog(c) => modules::catalog(&s, c).await,
        Command::Open311(c) => modules::open311(&s, c).await,
        Command::Hotline(c) => modules::hotline(&s, c).await,
        Command::Audit(c) => audit::audit(&s, c).await,
    }
}
