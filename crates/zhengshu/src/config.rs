//! Resolves the typed settings once: flag > `ZHENGSHU_*` variable > `zhengshu.toml` >
//! default. Nothing else reads the environment.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::parser::ValueSource;
use clap::ArgMatches;
use serde::Deserialize;

use crate::cli::{GlobalArgs, LogFormat, ServeArgs};

/// A configuration problem: printed as one line, exit code 2.
#[derive(Debug)]
pub(crate) struct ConfigError(pub(crate) String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Keys of `zhengshu.toml` (the long flag names with `_`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    lake_url: Option<String>,
    log_format: Option<LogFormat>,
    log: Option<String>,
    listen: Option<String>,
    admin_password: Option<String>,
    session_hours: Option<i64>,
    max_login_failures: Option<i64>,
    lockout_minutes: Option<i64>,
    max_body_mb: Option<usize>,
    secure_cookies: Option<bool>,
}

/// Settings every command uses.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) data_dir: PathBuf,
    pub(crate) database_url: String,
    pub(crate) lake_url: String,
    pub(crate) log_format: LogFormat,
    pub(crate) log: String,
}

/// Settings of `serve` and `demo`.
#[derive(Debug, Clone)]
pub(crate) struct ServeSettings {
    pub(crate) listen: SocketAddr,
    pub(crate) admin_password: Option<String>,
    pub(crate) session_hours: i64,
    pub(crate) max_login_failures: i64,
    pub(crate) lockout_minutes: i64,
    pub(crate) max_body_bytes: usize,
    pub(crate) secure_cookies: bool,
}

/// True when `id` was left at its default (so the file may set it).
fn defaulted(matches: &ArgMatches, id: &str) -> bool {
    let mut m = matches;
    loop {
        if m.try_contains_id(id).is_ok() {
            if let Some(src) = m.value_source(id) {
                if src != ValueSource::DefaultValue {
                    return false;
                }
            }
        }
        match m.subcommand() {
            Some((_, sub)) => m = sub,
            None => return true,
        }
    }
}

fn load_file(global: &GlobalArgs) -> Result<FileConfig, ConfigError> {
    let (path, required) = match &global.config {
        Some(p) => (p.clone(), true),
        None => (PathBuf::from("zhengshu.toml"), false),
    };
    if !path.exists() {
        return if required {
            Err(ConfigError(format!(
                "config file {} does not exist",
                path.display()
            )))
        } else {
            Ok(FileConfig::default())
        };
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| ConfigError(format!("cannot read {}: {e}", path.display())))?;
    toml::from_str(&text).map_err(|e| ConfigError(format!("{}: {}", path.display(), e.message())))
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|c| c.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    }
}

/// Resolves the global settings and, for `serve`/`demo`, the server settings.
pub(crate) fn resolve(
    matches: &ArgMatches,
    global: &GlobalArgs,
    serve: Option<&ServeArgs>,
) -> Result<(Settings, Option<ServeSettings>), ConfigError> {
    let file = load_file(global)?;
    let pick = |id: &str| defaulted(matches, id);
    let data_dir = absolute(&match (&file.data_dir, pick("data_dir")) {
        (Some(d), true) => d.clone(),
        _ => global.data_dir.clone(),
    });
    let database_url = global
        .database_url
        .clone()
        .or(file.database_url.clone())
        .unwrap_or_else(|| zhengshu_db::sqlite_url_for_dir(&data_dir));
    if !(database_url.starts_with("sqlite:")
        || database_url.starts_with("postgres:")
        || database_url.starts_with("postgresql:"))
    {
        return Err(ConfigError(format!(
            "--database-url `{database_url}` is not sqlite://… or postgres://…"
        )));
    }
    let lake_url = global
        .lake_url
        .clone()
        .or(file.lake_url.clone())
        .unwrap_or_else(|| format!("file://{}", data_dir.join("lake").display()));
    if !["file://", "s3://", "gs://", "az://"]
        .iter()
        .any(|p| lake_url.starts_with(p))
    {
        return Err(ConfigError(format!(
            "--lake-url `{lake_url}` is not file:///…, s3://…, gs://… or az://…"
        )));
    }
    let log_format = match (file.log_format, pick("log_format")) {
        (Some(f), true) => f,
        _ => global.log_format,
    };
    let log = match (&file.log, pick("log")) {
        (Some(l), true) => l.clone(),
        _ => global.log.clone(),
    };
    let settings = Settings {
        data_dir,
        database_url,
        lake_url,
        log_format,
        log,
    };
    let Some(s) = serve else {
        return Ok((settings, None));
    };
    let listen_s = match (&file.listen, pick("listen")) {
        (Some(l), true) => l.clone(),
        _ => s.listen.clone(),
    };
    let listen: SocketAddr = listen_s.parse().map_err(|_| {
        ConfigError(format!(
            "--listen `{listen_s}` is not ADDR:PORT (e.g. 127.0.0.1:8080)"
        ))
    })?;
    let num = |id: &str, flag: i64, file_v: Option<i64>| {
        if pick(id) {
            file_v.unwrap_or(flag)
        } else {
            flag
        }
    };
    let session_hours = num("session_hours", s.session_hours, file.session_hours);
    let max_login_failures = num(
        "max_login_failures",
        s.max_login_failures,
        file.max_login_failures,
    );
    let lockout_minutes = num("lockout_minutes", s.lockout_minutes, file.lockout_minutes);
    let max_body_mb = if pick("max_body_mb") {
        file.max_body_mb.unwrap_or(s.max_body_mb)
    } else {
        s.max_body_mb
    };
    if !(1..=24 * 30).contains(&session_hours) {
        return Err(ConfigError(format!(
            "--session-hours {session_hours} is out of range 1–720"
        )));
    }
    if !(1..=100).contains(&max_login_failures) {
        return Err(ConfigError(format!(
            "--max-login-failures {max_login_failures} is out of range 1–100"
        )));
    }
    if !(1..=24 * 60).contains(&lockout_minutes) {
        return Err(ConfigError(format!(
            "--lockout-minutes {lockout_minutes} is out of range 1–1440"
        )));
    }
    if !(1..=4096).contains(&max_body_mb) {
        return Err(ConfigError(format!(
            "--max-body-mb {max_body_mb} is out of range 1–4096"
        )));
    }
    let admin_password = s.admin_password.clone().or(file.admin_password.clone());
    if let Some(p) = &admin_password {
        zhengshu_auth::password::check_policy(p)
            .map_err(|e| ConfigError(format!("admin password: {e}")))?;
    }
    let secure_cookies = s.secure_cookies || file.secure_cookies.unwrap_or(false);
    Ok((
        settings,
        Some(ServeSettings {
            listen,
            admin_password,
            session_hours,
            max_login_failures,
            lockout_minutes,
            max_body_bytes: max_body_mb * 1024 * 1024,
            secure_cookies,
        }),
    ))
}
