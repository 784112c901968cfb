//! A fresh database per test: a temporary SQLite file, or, when `ZHENGSHU_TEST_POSTGRES`
//! holds a server URL (e.g. `postgres://postgres@127.0.0.1:5432/postgres`), a new
//! PostgreSQL database `zs_t_<random>` created on that server.

use crate::{Db, DbError, MigrationSet};

/// The environment variable that switches the DB-backed tests to PostgreSQL.
pub const POSTGRES_ENV: &str = "ZHENGSHU_TEST_POSTGRES";

/// A database that lives as long as the test. SQLite files are removed on drop;
/// PostgreSQL test databases are dropped by `.ci/run` after the run.
#[derive(Debug)]
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: Option<tempfile_dir::TempDir>,
}

impl TestDb {
    /// Opens a fresh database and runs the given migration sets on it.
    pub async fn new(sets: &[&MigrationSet]) -> Result<TestDb, DbError> {
        let (url, dir) = match std::env::var(POSTGRES_ENV) {
            Ok(server) if !server.trim().is_empty() => (create_pg_database(&server).await?, None),
            _ => {
                let dir = tempfile_dir::TempDir::new()?;
                (crate::sqlite_url_for_dir(dir.path()), Some(dir))
            }
        };
        let db = Db::connect(&url).await?;
        db.migrate(sets).await?;
        Ok(TestDb { db, url, _dir: dir })
    }

    /// True when this run targets PostgreSQL.
    pub fn is_postgres() -> bool {
        std::env::var(POSTGRES_ENV).is_ok_and(|s| !s.trim().is_empty())
    }
}

async fn create_pg_database(server: &str) -> Result<String, DbError> {
    let admin = Db::connect(server).await?;
    let name = format!("zs_t_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(admin.pool())
        .await?;
    admin.close().await;
    // Replace the database path of the server URL.
    let (base, query) = match server.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (server, String::new()),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    Ok(format!("{host_part}/{name}{query}"))
}

/// A minimal temporary directory (std only), removed on drop.
mod tempfile_dir {
    use std::path::{Path, PathBuf};

    #[derive(Debug)]
    pub(super) struct TempDir(PathBuf);

    impl TempDir {
        pub(super) fn new() -> std::io::Result<TempDir> {
            let p = std::env::temp_dir().join(format!("zs-test-{}", uuid::Uuid::new_v4().simple()));
            std::fs::create_dir_all(&p)?;
            Ok(TempDir(p))
        }
        pub(super) fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl From<std::io::Error> for DbError {
    fn from(e: std::io::Error) -> Self {
        DbError::Sqlx(sqlx::Error::Io(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn fresh_db_is_migrated_and_isolated() {
        let a = TestDb::new(&[&crate::MIGRATIONS]).await.unwrap();
        let b = TestDb::new(&[&crate::MIGRATIONS]).await.unwrap();
        crate::calendar::upsert(
            &a.db,
            chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            "holiday",
            "元旦",
            None,
            "2026-01-01T00:00:00.000000Z",
        )
        .await
        .unwrap();
        assert_eq!(crate::calendar::list(&a.db).await.unwrap().len(), 1);
        assert_eq!(crate::calendar::list(&b.db).await.unwrap().len(), 0);
        a.db.ping().await.unwrap();
    }

    #[tokio::test]
    async fn sqlite_uses_wal() {
        if TestDb::is_postgres() {
            return;
        }
        let t = TestDb::new(&[&crate::MIGRATIONS]).await.unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        assert_eq!(mode.to_lowercase(), "wal");
    }
}
