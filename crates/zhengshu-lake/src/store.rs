//! The lake's rows in the metadata database: connected tables, rules, jobs, quarantine.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::Row;
use zhengshu_db::{get_i64, Db};

use crate::coerce::Transform;
use crate::rules::Rule;
use crate::LakeError;

/// A resource connected to the lake.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Connected {
    pub resource_id: i64,
    pub table_name: String,
    /// The column upserts merge on (blank = none).
    pub key_column: String,
    /// Standardisation per column, applied in order.
    #[schema(value_type = Object)]
    pub transforms: HashMap<String, Vec<Transform>>,
    pub created_at: String,
}

fn connected(r: &sqlx::any::AnyRow) -> Result<Connected, LakeError> {
    let transforms: String = r.try_get("transforms")?;
    Ok(Connected {
        resource_id: get_i64(r, "resource_id")?,
        table_name: r.try_get("table_name")?,
        key_column: r.try_get("key_column")?,
        transforms: serde_json::from_str(&transforms).unwrap_or_default(),
        created_at: r.try_get("created_at")?,
    })
}

pub async fn insert_table(
    db: &Db,
    c: &Connected,
    created_by: Option<i64>,
) -> Result<(), LakeError> {
    sqlx::query(
        "INSERT INTO lake_tables (resource_id, table_name, key_column, transforms, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(c.resource_id)
    .bind(&c.table_name)
    .bind(&c.key_column)
    .bind(serde_json::to_string(&c.transforms).unwrap_or_else(|_| "{}".into()))
    .bind(&c.created_at)
    .bind(created_by)
    .execute(db.pool())
    .await
    .map_err(|e| {
        if zhengshu_db::is_unique_violation(&e) {
            LakeError::Conflict(format!(
                "table `{}` or resource {} is already connected",
                c.table_name, c.resource_id
            ))
        } else {
            e.into()
        }
    })?;
    Ok(())
}

pub async fn update_table_settings(
    db: &Db,
    table: &str,
    key_column: &str,
    transforms: &HashMap<String, Vec<Transform>>,
) -> Result<(), LakeError> {
    sqlx::query("UPDATE lake_tables SET key_column = $1, transforms = $2 WHERE table_name = $3")
        .bind(key_column)
        .bind(serde_json::to_string(transforms).unwrap_or_else(|_| "{}".into()))
        .bind(table)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn tables(db: &Db) -> Result<Vec<Connected>, LakeError> {
    let rows = sqlx::query("SELECT * FROM lake_tables ORDER BY table_name")
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(connected).collect()
}

pub async fn table(db: &Db, name: &str) -> Result<Option<Connected>, LakeError> {
    let row = sqlx::query("SELECT * FROM lake_tables WHERE table_name = $1")
        .bind(name)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(connected).transpose()
}

pub async fn table_of_resource(db: &Db, resource_id: i64) -> Result<Option<Connected>, LakeError> {
    let row = sqlx::query("SELECT * FROM lake_tables WHERE resource_id = $1")
        .bind(resource_id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(connected).transpose()
}

// ---------------------------------------------------------------- rules

pub async fn rules(db: &Db, table: &str) -> Result<Vec<Rule>, LakeError> {
    let rows =
        sqlx::query("SELECT id, spec, blocking FROM lake_rules WHERE table_name = $1 ORDER BY id")
            .bind(table)
            .fetch_all(db.pool())
            .await?;
    rows.iter()
        .map(|r| {
            let spec: String = r.try_get("spec")?;
            let mut rule: Rule = serde_json::from_str(&spec)
                .map_err(|e| LakeError::Storage(format!("stored rule: {e}")))?;
            rule.id = get_i64(r, "id")?;
            rule.blocking = get_i64(r, "blocking")? != 0;
            Ok(rule)
        })
        .collect()
}

pub async fn add_rule(db: &Db, table: &str, rule: &Rule, now: &str) -> Result<i64, LakeError> {
    let spec = serde_json::to_string(rule).unwrap_or_default();
    let row = sqlx::query(
        "INSERT INTO lake_rules (table_name, column_name, kind, spec, blocking, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(table)
    .bind(&rule.column)
    .bind(rule.kind.as_str())
    .bind(spec)
    .bind(rule.blocking as i64)
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    Ok(get_i64(&row, "id")?)
}

pub async fn delete_rule(db: &Db, table: &str, id: i64) -> Result<bool, LakeError> {
    let r = sqlx::query("DELETE FROM lake_rules WHERE table_name = $1 AND id = $2")
        .bind(table)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(r.rows_affected() > 0)
}

// ---------------------------------------------------------------- jobs

/// An ingest job: one batch into one table.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Job {
    pub id: i64,
    pub table_name: String,
    pub batch_id: String,
    pub mode: String,
    pub source: String,
    /// running, succeeded or failed.
    pub status: String,
    pub rows_read: i64,
    pub rows_written: i64,
    pub rows_quarantined: i64,
    pub bytes_read: i64,
    /// The table version the batch committed.
    pub version: Option<i64>,
    /// Share of rows that passed every rule, 0–100.
    pub quality_score: Option<f64>,
    pub error: String,
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
    pub started_at: String,
    pub updated_at: String,
    pub finished_at: Option<String>,
}

impl Job {
    /// Rows per second so far (or overall when finished).
    pub fn rows_per_sec(&self) -> f64 {
        let start = zhengshu_db::parse_ts(&self.started_at);
        let end = zhengshu_db::parse_ts(self.finished_at.as_deref().unwrap_or(&self.updated_at));
        match (start, end) {
            (Some(s), Some(e)) => {
                let secs = (e - s).num_milliseconds() as f64 / 1000.0;
                if secs > 0.0 {
                    self.rows_read as f64 / secs
                } else {
                    0.0
                }
            }
            _ => 0.0,
        }
    }
}

fn job(r: &sqlx::any::AnyRow) -> Result<Job, LakeError> {
    let report: String = r.try_get("report")?;
    let version: Option<i64> = r.try_get("version")?;
    let bp: Option<i64> = r.try_get("quality_bp")?;
    Ok(Job {
        id: get_i64(r, "id")?,
        table_name: r.try_get("table_name")?,
        batch_id: r.try_get("batch_id")?,
        mode: r.try_get("mode")?,
        source: r.try_get("source")?,
        status: r.try_get("status")?,
        rows_read: get_i64(r, "rows_read")?,
        rows_written: get_i64(r, "rows_written")?,
        rows_quarantined: get_i64(r, "rows_quarantined")?,
        bytes_read: get_i64(r, "bytes_read")?,
        version,
        quality_score: bp.map(|b| b as f64 / 100.0),
        error: r.try_get("error")?,
        report: serde_json::from_str(&report).unwrap_or(serde_json::Value::Null),
        started_at: r.try_get("started_at")?,
        updated_at: r.try_get("updated_at")?,
        finished_at: r.try_get("finished_at")?,
    })
}

pub async fn job_by_batch(db: &Db, table: &str, batch_id: &str) -> Result<Option<Job>, LakeError> {
    let row = sqlx::query(
        "SELECT * FROM lake_jobs WHERE table_name = $1 AND batch_id = $2 AND status <> 'failed'",
    )
    .bind(table)
    .bind(batch_id)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(job).transpose()
}

pub async fn get_job(db: &Db, id: i64) -> Result<Option<Job>, LakeError> {
    let row = sqlx::query("SELECT * FROM lake_jobs WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(job).transpose()
}

/// Jobs, newest first (of one table, or all).
pub async fn jobs(db: &Db, table: Option<&str>, limit: i64) -> Result<Vec<Job>, LakeError> {
    let rows = match table {
        Some(t) => {
            sqlx::query("SELECT * FROM lake_jobs WHERE table_name = $1 ORDER BY id DESC LIMIT $2")
                .bind(t)
                .bind(limit)
                .fetch_all(db.pool())
                .await?
        }
        None => {
            sqlx::query("SELECT * FROM lake_jobs ORDER BY id DESC LIMIT $1")
                .bind(limit)
                .fetch_all(db.pool())
                .await?
        }
    };
    rows.iter().map(job).collect()
}

pub async fn start_job(
    db: &Db,
    table: &str,
    batch_id: &str,
    mode: &str,
    source: &str,
    now: &str,
    created_by: Option<i64>,
) -> Result<i64, LakeError> {
    let row = sqlx::query(
        "INSERT INTO lake_jobs (table_name, batch_id, mode, source, status, started_at, updated_at, created_by) VALUES ($1, $2, $3, $4, 'running', $5, $5, $6) RETURNING id",
    )
    .bind(table)
    .bind(batch_id)
    .bind(mode)
    .bind(source)
    .bind(now)
    .bind(created_by)
    .fetch_one(db.pool())
    .await
    .map_err(|e| {
        if zhengshu_db::is_unique_violation(&e) {
            LakeError::Conflict(format!(
                "batch `{batch_id}` of table `{table}` is already being ingested"
            ))
        } else {
            e.into()
        }
    })?;
    Ok(get_i64(&row, "id")?)
}

pub async fn progress(
    db: &Db,
    id: i64,
    rows_read: u64,
    rows_written: u64,
    bytes: u64,
    now: &str,
) -> Result<(), LakeError> {
    sqlx::query(
        "UPDATE lake_jobs SET rows_read = $1, rows_written = $2, bytes_read = $3, updated_at = $4 WHERE id = $5 AND status = 'running'",
    )
    .bind(rows_read as i64)
    .bind(rows_written as i64)
    .bind(bytes as i64)
    .bind(now)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The end of a job.
pub struct Finish<'a> {
    pub status: &'a str,
    pub rows_read: u64,
    pub rows_written: u64,
    pub rows_quarantined: u64,
    pub bytes: u64,
    pub version: Option<i64>,
    pub quality_bp: Option<i64>,
    pub error: &'a str,
    pub report: &'a serde_json::Value,
    pub now: &'a str,
}

pub async fn finish_job(db: &Db, id: i64, f: &Finish<'_>) -> Result<(), LakeError> {
    sqlx::query(
        "UPDATE lake_jobs SET status = $1, rows_read = $2, rows_written = $3, rows_quarantined = $4, bytes_read = $5, version = $6, quality_bp = $7, error = $8, report = $9, updated_at = $10, finished_at = $10 WHERE id = $11",
    )
    .bind(f.status)
    .bind(f.rows_read as i64)
    .bind(f.rows_written as i64)
    .bind(f.rows_quarantined as i64)
    .bind(f.bytes as i64)
    .bind(f.version)
    .bind(f.quality_bp)
    .bind(f.error)
    .bind(f.report.to_string())
    .bind(f.now)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Running jobs not updated since `before` (their process died).
pub async fn stale_jobs(db: &Db, before: &str) -> Result<Vec<Job>, LakeError> {
    let rows = sqlx::query("SELECT * FROM lake_jobs WHERE status = 'running' AND updated_at < $1")
        .bind(before)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(job).collect()
}

// ---------------------------------------------------------------- quarantine

/// A row that did not go into the table.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Quarantined {
    pub line: i64,
    pub column: String,
    pub reason: String,
    /// The row's fields as read.
    pub raw: Vec<String>,
}

pub async fn insert_quarantine(
    db: &Db,
    job_id: i64,
    rows: &[Quarantined],
) -> Result<(), LakeError> {
    let mut tx = db.pool().begin().await?;
    for q in rows {
        sqlx::query(
            "INSERT INTO lake_quarantine (job_id, line, column_name, reason, raw) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(job_id)
        .bind(q.line)
        .bind(&q.column)
        .bind(&q.reason)
        .bind(serde_json::to_string(&q.raw).unwrap_or_default())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn quarantine(
    db: &Db,
    job_id: i64,
    offset: i64,
    limit: i64,
) -> Result<Vec<Quarantined>, LakeError> {
    let rows = sqlx::query(
        "SELECT line, column_name, reason, raw FROM lake_quarantine WHERE job_id = $1 ORDER BY line, id LIMIT $2 OFFSET $3",
    )
    .bind(job_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let raw: String = r.try_get("raw")?;
            Ok(Quarantined {
                line: get_i64(r, "line")?,
                column: r.try_get("column_name")?,
                reason: r.try_get("reason")?,
                raw: serde_json::from_str(&raw).unwrap_or_default(),
            })
        })
        .collect()
}
