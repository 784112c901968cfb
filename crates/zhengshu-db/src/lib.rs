#![doc = include_str!("../README.md")]

pub mod calendar;
pub mod testing;
mod time;

use std::borrow::Cow;
use std::path::Path;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, Migrator};
use sqlx::{AnyPool, Executor};

pub use sqlx;
pub use time::{parse_ts, ts};

/// Which server is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default: one SQLite file in WAL mode.
    Sqlite,
    /// A PostgreSQL server, for several instances or large deployments.
    Postgres,
}

/// Errors from opening, migrating or querying the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    #[error("cannot open database {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

/// A migration set owned by one module crate, for both backends.
#[derive(Debug)]
pub struct MigrationSet {
    pub module: &'static str,
    pub sqlite: Migrator,
    pub postgres: Migrator,
}

/// The migrations of this crate (the platform calendar).
pub static MIGRATIONS: MigrationSet = MigrationSet {
    module: "db",
    sqlite: sqlx::migrate!("migrations/sqlite"),
    postgres: sqlx::migrate!("migrations/postgres"),
};

/// The database handle shared by every module: cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

/// The SQLite URL for the embedded default under a data directory.
pub fn sqlite_url_for_dir(dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", dir.join("zhengshu.db").display())
}

impl Db {
    /// Opens a pool on `url` (`sqlite://…` or `postgres://…`).
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbError::UnsupportedUrl(redact(url)));
        };
        let mut opts = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        opts = match backend {
            // SQLite allows one writer; a few connections serve the readers, WAL lets the
            // CLI and a running server share the file.
            // A connection to a local file does not go stale as a network one can, so it
            // is not pinged before each use (sqlx's default): that round trip to the
            // connection's worker thread was one more on every statement batch, e.g. each
            // share call's audit commit.
            Backend::Sqlite => opts
                .max_connections(8)
                .test_before_acquire(false)
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                         PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                        )
                        .await?;
                        Ok(())
                    })
                }),
            Backend::Postgres => opts.max_connections(16),
        };
        let pool = opts.connect(url).await.map_err(|source| DbError::Connect {
            url: redact(url),
            source,
        })?;
        Ok(Db { pool, backend })
    }

    /// The pool, for `sqlx::query(..).fetch_*(db.pool())`.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs every module's migrations, merged by version, in one history.
    pub async fn migrate(&self, sets: &[&MigrationSet]) -> Result<(), DbError> {
        let mut all: Vec<Migration> = Vec::new();
        for set in sets {
            let m = match self.backend {
                Backend::Sqlite => &set.sqlite,
                Backend::Postgres => &set.postgres,
            };
            all.extend(m.iter().cloned());
        }
        all.sort_by_key(|m| m.version);
        let migrator = Migrator {
            migrations: Cow::Owned(all),
            ..Migrator::DEFAULT
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// Checks that the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// `SELECT COUNT(*) …` and similar single-integer queries.
    pub async fn scalar_i64(&self, sql: &str) -> Result<i64, DbError> {
        let v: i64 = sqlx::query_scalar(sql).fetch_one(&self.pool).await?;
        Ok(v)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Reads an `i64` column that may be a bool/int on one backend; helper for rows.
pub fn get_i64(row: &AnyRow, col: &str) -> Result<i64, sqlx::Error> {
    use sqlx::Row;
    row.try_get::<i64, _>(col)
}

/// True when a database error is a unique-constraint violation (both backends; the
/// `Any` driver does not classify errors, so codes and messages are checked).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            matches!(
                d.code().as_deref(),
                Some("23505") | Some("2067") | Some("1555")
            ) || d.message().contains("UNIQUE constraint failed")
                || d.message().contains("duplicate key")
        }
        _ => false,
    }
}

/// A connection URL with its password replaced by `***`, for messages and logs.
pub fn redact(url: &str) -> String {
    // Hide a password in user:password@host URLs.
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_password() {
        assert_eq!(
            redact("postgres://u:secret@h/db"),
            "postgres://u:***@h/db".to_string()
        );
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }
}
