//! The command line: every option is a flag and a `ZHENGSHU_*` variable; `--help` is the
//! reference.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// 政数 zhengshu — the district's digital-government platform (big-data platform,
/// catalog, sharing, open data, 12345 hotline …) in one binary.
#[derive(Debug, Parser)]
#[command(name = "zhengshu", version, about, long_about = None, propagate_version = true)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Folder for the embedded SQLite database and the lake (created if missing).
    #[arg(
        long,
        global = true,
        env = "ZHENGSHU_DATA_DIR",
        default_value = "./zhengshu-data",
        value_name = "DIR"
    )]
    pub(crate) data_dir: PathBuf,
    /// Metadata database: `sqlite://PATH` or `postgres://USER@HOST:PORT/DB` (default: a SQLite file in the data dir).
    #[arg(long, global = true, env = "ZHENGSHU_DATABASE_URL", value_name = "URL")]
    pub(crate) database_url: Option<String>,
    /// Lake location: `file:///PATH` or `s3://BUCKET/PREFIX` (default: `lake/` in the data dir).
    #[arg(long, global = true, env = "ZHENGSHU_LAKE_URL", value_name = "URL")]
    pub(crate) lake_url: Option<String>,
    /// Optional configuration file (default: ./zhengshu.toml when it exists).
    #[arg(long, global = true, env = "ZHENGSHU_CONFIG", value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Log format on stderr.
    #[arg(long, global = true, env = "ZHENGSHU_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub(crate) log_format: LogFormat,
    /// Log filter (tracing syntax), e.g. `info` or `zhengshu_web=debug`.
    #[arg(
        long,
        global = true,
        env = "ZHENGSHU_LOG",
        default_value = "info",
        value_name = "FILTER"
    )]
    pub(crate) log: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run the platform.
    Serve(ServeArgs),
    /// Build a demo district (units, users, catalog, hotline orders …) once, then serve it.
    Demo(ServeArgs),
    /// Run the database migrations and exit.
    Migrate,
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCmd),
    /// Manage government units.
    #[command(subcommand)]
    Unit(UnitCmd),
    /// The data resource catalog.
    #[command(subcommand)]
    Catalog(CatalogCmd),
    /// The Open311 GeoReport v2 API of the 12345 hotline.
    #[command(subcommand)]
    Open311(Open311Cmd),
    /// The 12345 hotline.
    #[command(subcommand)]
    Hotline(HotlineCmd),
}

#[derive(Debug, Subcommand)]
pub(crate) enum CatalogCmd {
    /// Rebuild the search index from the database (running servers rebuild theirs too).
    Reindex,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Open311Cmd {
    /// API keys for Open311 clients.
    #[command(subcommand)]
    Key(Open311KeyCmd),
}

#[derive(Debug, Subcommand)]
pub(crate) enum Open311KeyCmd {
    /// Issue a key (printed once).
    Create {
        /// Who the key is for, e.g. 区政府App.
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum HotlineCmd {
    /// Train the dispatch classifier on 80 % of the closed orders and report its accuracy on the rest.
    Evaluate,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(
        long,
        env = "ZHENGSHU_LISTEN",
        default_value = "127.0.0.1:8080",
        value_name = "ADDR:PORT"
    )]
    pub(crate) listen: String,
    /// Password of the first admin account (`admin`); generated and printed once when not given.
    #[arg(
        long,
        env = "ZHENGSHU_ADMIN_PASSWORD",
        hide_env_values = true,
        value_name = "PASSWORD"
    )]
    pub(crate) admin_password: Option<String>,
    /// Hours a console login lasts.
    #[arg(
        long,
        env = "ZHENGSHU_SESSION_HOURS",
        default_value_t = 12,
        value_name = "HOURS"
    )]
    pub(crate) session_hours: i64,
    /// Failed logins in a row that lock an account.
    #[arg(
        long,
        env = "ZHENGSHU_MAX_LOGIN_FAILURES",
        default_value_t = 5,
        value_name = "N"
    )]
    pub(crate) max_login_failures: i64,
    /// Minutes an account stays locked.
    #[arg(
        long,
        env = "ZHENGSHU_LOCKOUT_MINUTES",
        default_value_t = 15,
        value_name = "MINUTES"
    )]
    pub(crate) lockout_minutes: i64,
    /// Largest request body accepted, in MiB.
    #[arg(
        long,
        env = "ZHENGSHU_MAX_BODY_MB",
        default_value_t = 32,
        value_name = "MIB"
    )]
    pub(crate) max_body_mb: usize,
    /// Mark cookies `Secure` (when served over HTTPS behind a proxy).
    #[arg(long, env = "ZHENGSHU_SECURE_COOKIES")]
    pub(crate) secure_cookies: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub(crate) enum UserCmd {
    /// Create an account.
    Add {
        #[arg(long)]
        username: String,
        /// Display name (defaults to the username).
        #[arg(long)]
        name: Option<String>,
        /// Unit id or name.
        #[arg(long)]
        unit: Option<String>,
        /// Role (repeatable): platform_admin, unit_admin, data_officer, reviewer, scenario_developer, hotline_operator, handler, supervisor, disclosure_officer.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Password (generated and printed when not given).
        #[arg(long, env = "ZHENGSHU_NEW_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// List accounts.
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Set a new password (generated and printed when not given); ends the user's sessions.
    Passwd {
        username: String,
        #[arg(long, env = "ZHENGSHU_NEW_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum UnitCmd {
    /// Import units from a CSV (UTF-8/GBK) or XLSX file; all or nothing.
    Import {
        file: PathBuf,
        /// Check only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// List units.
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Only this level: municipal, district, street, community.
        #[arg(long)]
        level: Option<String>,
    },
}
