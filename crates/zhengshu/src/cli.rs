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
    /// Log filter (tracing syntax), e.g. `info` or `zhengshu_web=debug`. The default keeps
    /// delta-rs's and tantivy's per-query chatter (several KB per share call) at `warn`.
    #[arg(
        long,
        global = true,
        env = "ZHENGSHU_LOG",
        default_value = "info,buoyant_kernel=warn,deltalake_core=warn,tantivy=warn",
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
    /// Load a file into a lake table (CSV/GBK, JSON/NDJSON, XLSX, Parquet); prints the ingest report.
    Ingest(IngestArgs),
    /// Run read-only SQL over the lake's tables.
    Sql(SqlArgs),
    /// Lake tables: list, rules, history, compaction, vacuum, pulls.
    #[command(subcommand)]
    Lake(LakeCmd),
    /// The tamper-evident audit log of data sharing.
    #[command(subcommand)]
    Audit(AuditCmd),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct IngestArgs {
    /// The lake table to load into (with --create: the new table's name).
    #[arg(value_name = "TABLE", required_unless_present = "create")]
    pub(crate) table: Option<String>,
    /// The file.
    #[arg(value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,
    /// Create a catalog resource and its table from the file (data items proposed from every row).
    #[arg(long)]
    pub(crate) create: bool,
    /// With --create: the owning unit (id or exact name).
    #[arg(long, requires = "create")]
    pub(crate) unit: Option<String>,
    /// With --create: the resource's name (资源名称).
    #[arg(long, requires = "create")]
    pub(crate) name: Option<String>,
    /// With --create: the table name (default: derived from the file name).
    #[arg(long = "table", requires = "create")]
    pub(crate) table_name: Option<String>,
    /// With --create: the key column (upserts merge on it; compaction clusters by it).
    #[arg(long, requires = "create")]
    pub(crate) key: Option<String>,
    /// With --create: 更新周期 (每日, 每月 … or daily, monthly …).
    #[arg(long, requires = "create")]
    pub(crate) cycle: Option<String>,
    /// Quality rules (JSON array) to add before loading.
    #[arg(long, value_name = "FILE")]
    pub(crate) rules: Option<PathBuf>,
    /// Standardise a column before its values are typed, e.g. `--standardise name=trim,half_width`
    /// (trim, half_width, strip_pinyin, upper_id_x, in order; repeat per column). Saved on the
    /// table for later batches, replacing that column's earlier setting.
    #[arg(long, value_name = "COLUMN=T1,T2")]
    pub(crate) standardise: Vec<String>,
    /// append, overwrite or upsert.
    #[arg(long, default_value = "append")]
    pub(crate) mode: String,
    /// Batch id: loading the same id again changes nothing.
    #[arg(long)]
    pub(crate) batch_id: Option<String>,
    /// The file's format when its name does not say (csv, json, xlsx, parquet).
    #[arg(long)]
    pub(crate) input_format: Option<String>,
    /// Fail the batch (writing nothing) when more than this share of rows is rejected.
    #[arg(long, default_value_t = 0.1)]
    pub(crate) max_reject_ratio: f64,
    /// Report format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub(crate) format: OutputFormat,
}

#[derive(Debug, Args)]
pub(crate) struct SqlArgs {
    /// The query (read-only). `at_version('t', 3)`, `at_time('t', '…Z')` and `masked.t` work too.
    pub(crate) sql: String,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub(crate) format: OutputFormat,
    /// Print `time_ms=…` for each run on stderr.
    #[arg(long)]
    pub(crate) timing: bool,
    /// Run the query this many times in one session (the first run opens the tables).
    #[arg(long, default_value_t = 1)]
    pub(crate) repeat: usize,
    /// At most this many rows.
    #[arg(long, default_value_t = 10_000)]
    pub(crate) max_rows: usize,
}

#[derive(Debug, Subcommand)]
pub(crate) enum LakeCmd {
    /// List the lake's tables with their size.
    List {
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },
    /// Add quality rules from a JSON array, e.g. [{"column":"id_number","kind":"resident_id"}].
    Rules { table: String, file: PathBuf },
    /// Show or change a table's key column and per-column standardisation.
    Settings {
        table: String,
        /// The key column (upserts merge on it; compaction clusters by it); "" clears it.
        #[arg(long)]
        key: Option<String>,
        /// `COLUMN=T1,T2` (trim, half_width, strip_pinyin, upper_id_x, in order); `COLUMN=`
        /// clears the column's; repeat per column. Other columns keep theirs.
        #[arg(long, value_name = "COLUMN=T1,T2")]
        standardise: Vec<String>,
    },
    /// A table's versions.
    History { table: String },
    /// Compact small files, clustered by the key (or --zorder).
    Optimize {
        table: String,
        #[arg(long)]
        zorder: Option<String>,
    },
    /// Delete files older versions no longer need.
    Vacuum {
        table: String,
        #[arg(long, default_value_t = 168)]
        retain_hours: u64,
        #[arg(long)]
        dry_run: bool,
    },
    /// Add a scheduled pull from a unit's PostgreSQL or MySQL database.
    PullAdd {
        table: String,
        /// postgres://… or mysql://…
        #[arg(long)]
        source_url: String,
        #[arg(long)]
        query: String,
        #[arg(long, default_value = "")]
        watermark: String,
        #[arg(long, default_value = "append")]
        mode: String,
    },
    /// Run a pull now.
    PullRun { id: i64 },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AuditCmd {
    /// Check the hash chain and the head anchored in the lake; report the first altered,
    /// removed, reordered or truncated record and exit with status 1.
    Verify {
        /// `table`: one line (and the problem); `json`: the whole report.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Do not read the anchor in the lake (when the lake is unreachable): the chain is
        /// still checked, but deleted newest records then go unnoticed.
        #[arg(long)]
        no_anchor: bool,
    },
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
