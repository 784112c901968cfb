//! Reading the log: usage statistics and the latest records.

use serde::Serialize;
use sqlx::Row;
use zhengshu_db::Db;

use super::chain::{StoredRow, COLUMNS};
use crate::ExchangeError;

/// One row of usage statistics.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UsageRow {
    /// YYYY-MM-DD.
    pub day: String,
    pub scenario_id: Option<i64>,
    pub resource_id: Option<i64>,
    pub provider_unit_id: Option<i64>,
    pub calls: i64,
    pub rows: i64,
    pub bytes: i64,
    pub denied: i64,
}

/// Appends `AND <column> = $n` for each given filter, binding in order afterwards.
fn filters(sql: &mut String, first: usize, filters: &[(&str, Option<i64>)]) -> Vec<i64> {
    let mut binds = Vec::new();
    for (column, value) in filters {
        if let Some(v) = value {
            binds.push(*v);
            sql.push_str(&format!(" AND {column} = ${}", first + binds.len() - 1));
        }
    }
    binds
}

/// Share calls per day × scenario × resource × provider since `since_day`, optionally
/// only one scenario's or one provider's.
pub async fn usage(
    db: &Db,
    since_day: &str,
    scenario_id: Option<i64>,
    provider_unit_id: Option<i64>,
) -> Result<Vec<UsageRow>, ExchangeError> {
    // The day is the first 10 characters of the stored UTC time; `at >= 'YYYY-MM-DD'`
    // uses the index on `at`. SUMs are cast: PostgreSQL sums BIGINT as NUMERIC.
    let mut sql = String::from(
        "SELECT substr(at, 1, 10) AS day, scenario_id, resource_id, provider_unit_id, \
         COUNT(*) AS calls, \
         CAST(COALESCE(SUM(rows_returned), 0) AS BIGINT) AS n_rows, \
         CAST(COALESCE(SUM(bytes), 0) AS BIGINT) AS n_bytes, \
         CAST(SUM(CASE WHEN outcome = 'ok' THEN 0 ELSE 1 END) AS BIGINT) AS denied \
         FROM audit_log WHERE kind LIKE 'share.%' AND at >= $1",
    );
    let binds = filters(
        &mut sql,
        2,
        &[
            ("scenario_id", scenario_id),
            ("provider_unit_id", provider_unit_id),
        ],
    );
    sql.push_str(
        " GROUP BY substr(at, 1, 10), scenario_id, resource_id, provider_unit_id \
         ORDER BY day, scenario_id, resource_id, provider_unit_id",
    );
    let mut q = sqlx::query(&sql).bind(since_day);
    for b in binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(db.pool()).await?;
    rows.iter()
        .map(|r| {
            Ok(UsageRow {
                day: r.try_get("day")?,
                scenario_id: r.try_get("scenario_id")?,
                resource_id: r.try_get("resource_id")?,
                provider_unit_id: r.try_get("provider_unit_id")?,
                calls: r.try_get("calls")?,
                rows: r.try_get("n_rows")?,
                bytes: r.try_get("n_bytes")?,
                denied: r.try_get("denied")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// An audit record as stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: String,
    pub kind: String,
    pub scenario_id: Option<i64>,
    pub token_id: Option<i64>,
    pub user_ref: Option<String>,
    pub actor_user_id: Option<i64>,
    pub resource_id: Option<i64>,
    pub provider_unit_id: Option<i64>,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub rows_returned: Option<i64>,
    pub bytes: Option<i64>,
    pub duration_us: Option<i64>,
    pub outcome: String,
    pub prev_hash: String,
    pub hash: String,
}

impl From<StoredRow> for AuditRecord {
    fn from(r: StoredRow) -> Self {
        AuditRecord {
            // A detail that is not JSON (only possible after tampering) is shown as text.
            detail: serde_json::from_str(&r.detail)
                .unwrap_or_else(|_| serde_json::Value::String(r.detail.clone())),
            seq: r.seq,
            at: r.at,
            kind: r.kind,
            scenario_id: r.scenario_id,
            token_id: r.token_id,
            user_ref: r.user_ref,
            actor_user_id: r.actor_user_id,
            resource_id: r.resource_id,
            provider_unit_id: r.provider_unit_id,
            rows_returned: r.rows_returned,
            bytes: r.bytes,
            duration_us: r.duration_us,
            outcome: r.outcome,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// The latest records, newest first (at most 1,000), optionally only one scenario's or
/// provider's.
pub async fn recent(
    db: &Db,
    limit: i64,
    scenario_id: Option<i64>,
    provider_unit_id: Option<i64>,
) -> Result<Vec<AuditRecord>, ExchangeError> {
    let mut sql = format!("SELECT {COLUMNS} FROM audit_log WHERE 1 = 1");
    let binds = filters(
        &mut sql,
        1,
        &[
            ("scenario_id", scenario_id),
            ("provider_unit_id", provider_unit_id),
        ],
    );
    sql.push_str(&format!(
        " ORDER BY seq DESC LIMIT {}",
        limit.clamp(0, 1000)
    ));
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(db.pool()).await?;
    rows.iter()
        .map(|r| StoredRow::from_row(r).map(AuditRecord::from))
        .collect::<Result<_, _>>()
        .map_err(Into::into)
}
