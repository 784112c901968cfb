//! Scheduled pulls from a unit's own database, against real servers: PostgreSQL and
//! MySQL/MariaDB. They need those servers, so they are `#[ignore]`d in a plain
//! `cargo test`; `.ci/run` runs them with `--include-ignored` and
//! `ZHENGSHU_TEST_PULL_POSTGRES` / `ZHENGSHU_TEST_PULL_MYSQL` set to a database the test
//! may create a table in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use zhengshu_catalog::{Actor, CatalogState};
use zhengshu_core::clock::{SharedClock, SystemClock};
use zhengshu_db::testing::TestDb;
use zhengshu_lake::pull::{self, Pull};
use zhengshu_lake::sql::{self, QueryLimits};
use zhengshu_lake::{LakeState, NewFromSample};

async fn lake() -> (LakeState, tempfile::TempDir, TestDb) {
    let db = TestDb::new(&[
        &zhengshu_db::MIGRATIONS,
        &zhengshu_auth::MIGRATIONS,
        &zhengshu_catalog::MIGRATIONS,
        &zhengshu_lake::MIGRATIONS,
    ])
    .await
    .unwrap();
    let clock: SharedClock = Arc::new(SystemClock);
    let unit = zhengshu_auth::units::create(
        &db.db,
        &zhengshu_auth::NewUnit {
            name: "龙岗区人力资源局".into(),
            level: "district".into(),
            ..Default::default()
        },
        "2026-11-24T02:00:00Z",
    )
    .await
    .unwrap();
    let catalog = CatalogState::new(db.db.clone(), clock, None).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let st = LakeState::new(catalog, &format!("file://{}/lake", dir.path().display()))
        .await
        .unwrap();
    let sample = dir.path().join("s.csv");
    std::fs::write(&sample, "id,姓名,更新时间\n1,王伟,2026-11-01 08:00:00\n").unwrap();
    let src = zhengshu_lake::read::open_file(&sample, None, Default::default()).unwrap();
    let (items, _, _) = zhengshu_lake::propose(src).unwrap();
    zhengshu_lake::create_from_sample(
        &st,
        &Actor::system(),
        &NewFromSample {
            unit_id: unit.id,
            name: "就业登记".into(),
            table: "jobs_reg".into(),
            key: "id".into(),
            items,
            update_cycle: "每日".into(),
            file_name: "s.csv".into(),
        },
    )
    .await
    .unwrap();
    (st, dir, db)
}

async fn count(st: &LakeState) -> i64 {
    let r = sql::query(st, "SELECT count(*) FROM jobs_reg", QueryLimits::default())
        .await
        .unwrap();
    r.rows[0][0].as_deref().unwrap().parse().unwrap()
}

/// Creates the source table, pulls twice (the second time only the new rows). The
/// watermark is a native timestamp column, read as the database prints it.
async fn pull_twice(url: &str, create: &str, table: &str) {
    let (st, _dir, _db) = lake().await;
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap();
    sqlx::query(&format!("DROP TABLE IF EXISTS {table}"))
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(create).execute(&pool).await.unwrap();
    for (id, name, at) in [
        (1, "王伟", "2026-11-01 08:00:00"),
        (2, "李芳", "2026-11-02 09:30:00"),
    ] {
        sqlx::query(&format!(
            "INSERT INTO {table} (id, name, updated_at) VALUES ({id}, '{name}', '{at}')"
        ))
        .execute(&pool)
        .await
        .unwrap();
    }
    let p = pull::add(
        &st,
        &Pull {
            id: 0,
            table_name: "jobs_reg".into(),
            source_url: url.into(),
            query: format!("SELECT id, name, updated_at FROM {table}"),
            watermark_column: "updated_at".into(),
            last_watermark: String::new(),
            mode: "upsert".into(),
            enabled: true,
            last_run_at: None,
            last_job_id: None,
            last_error: String::new(),
        },
    )
    .await
    .unwrap();
    let r = pull::run(&st, p.id).await.unwrap();
    assert_eq!(
        (r.status.as_str(), r.rows_written),
        ("succeeded", 2),
        "{r:?}"
    );
    assert_eq!(count(&st).await, 2);
    let after = pull::get(&st, p.id).await.unwrap();
    assert_eq!(after.last_watermark, "2026-11-02 09:30:00");
    // Nothing new: no batch.
    assert!(pull::run(&st, p.id).await.is_err());
    // One new row and one change: only they are pulled, merged by key.
    sqlx::query(&format!(
        "INSERT INTO {table} (id, name, updated_at) VALUES (3, '张敏', '2026-11-03 10:00:00')"
    ))
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(&format!(
        "UPDATE {table} SET name = '王伟伟', updated_at = '2026-11-03 11:00:00' WHERE id = 1"
    ))
    .execute(&pool)
    .await
    .unwrap();
    let r = pull::run(&st, p.id).await.unwrap();
    assert_eq!((r.status.as_str(), r.rows_read), ("succeeded", 2), "{r:?}");
    assert_eq!(count(&st).await, 3);
    let names = sql::query(
        &st,
        "SELECT name FROM jobs_reg ORDER BY id",
        QueryLimits::default(),
    )
    .await
    .unwrap();
    assert_eq!(names.rows[0][0].as_deref(), Some("王伟伟"));
    // A wrong password is a clear error, shown masked.
    let bad = pull::add(
        &st,
        &Pull {
            source_url: url
                .replacen("://", "://nobody:secret@", 1)
                .replace("root@", "")
                .replace("postgres@", ""),
            ..after.clone()
        },
    )
    .await
    .unwrap();
    let e = pull::run(&st, bad.id).await.unwrap_err().to_string();
    assert!(e.contains("cannot connect"), "{e}");
    assert!(!e.contains("secret"), "{e}");
    sqlx::query(&format!("DROP TABLE {table}"))
        .execute(&pool)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a PostgreSQL server: ZHENGSHU_TEST_PULL_POSTGRES (set by .ci/run)"]
async fn pulls_from_postgresql() {
    let url = std::env::var("ZHENGSHU_TEST_PULL_POSTGRES").expect("ZHENGSHU_TEST_PULL_POSTGRES");
    pull_twice(
        &url,
        "CREATE TABLE zs_pull_src (id BIGINT PRIMARY KEY, name TEXT, updated_at TIMESTAMP)",
        "zs_pull_src",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a MySQL/MariaDB server: ZHENGSHU_TEST_PULL_MYSQL (set by .ci/run)"]
async fn pulls_from_mysql() {
    let url = std::env::var("ZHENGSHU_TEST_PULL_MYSQL").expect("ZHENGSHU_TEST_PULL_MYSQL");
    pull_twice(
        &url,
        "CREATE TABLE zs_pull_src (id BIGINT PRIMARY KEY, name VARCHAR(40), updated_at DATETIME) CHARACTER SET utf8mb4",
        "zs_pull_src",
    )
    .await;
}
