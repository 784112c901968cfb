//! The SQL of the exchange's tables (scenarios, requests, grants, tokens, settings).
//! The audit log's SQL lives in `audit.rs`.

use sqlx::any::AnyRow;
use sqlx::Row;
use zhengshu_db::Db;

use crate::model::{
    AccessRequest, Condition, Grant, GrantState, RequestStatus, Scenario, ScenarioToken, Settings,
};
use crate::ExchangeError;

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

fn conditions(s: &str) -> Result<Vec<Condition>, sqlx::Error> {
    serde_json::from_str(s).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

const SCENARIO_COLUMNS: &str = "id, name, unit_id, purpose, legal_basis, contact_name, contact_phone, systems, status, created_by, created_at";

fn scenario(r: &AnyRow) -> Result<Scenario, sqlx::Error> {
    Ok(Scenario {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: String::new(),
        purpose: r.try_get("purpose")?,
        legal_basis: r.try_get("legal_basis")?,
        contact_name: r.try_get("contact_name")?,
        contact_phone: r.try_get("contact_phone")?,
        systems: r.try_get("systems")?,
        status: r.try_get("status")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A validated scenario to insert.
#[derive(Debug, Clone)]
pub struct ScenarioRow<'a> {
    pub name: &'a str,
    pub unit_id: i64,
    pub purpose: &'a str,
    pub legal_basis: &'a str,
    pub contact_name: &'a str,
    pub contact_phone: &'a str,
    pub systems: &'a str,
    pub created_by: Option<i64>,
    pub created_at: &'a str,
}

pub async fn insert_scenario(db: &Db, s: &ScenarioRow<'_>) -> Result<i64, ExchangeError> {
    let r = sqlx::query(
        "INSERT INTO share_scenarios (name, unit_id, purpose, legal_basis, contact_name, contact_phone, systems, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(s.name)
    .bind(s.unit_id)
    .bind(s.purpose)
    .bind(s.legal_basis)
    .bind(s.contact_name)
    .bind(s.contact_phone)
    .bind(s.systems)
    .bind(s.created_by)
    .bind(s.created_at)
    .fetch_one(db.pool())
    .await
    .map_err(|e| {
        if zhengshu_db::is_unique_violation(&e) {
            ExchangeError::Conflict(format!(
                "a scenario named `{}` already exists; choose another name",
                s.name
            ))
        } else {
            e.into()
        }
    })?;
    Ok(r.try_get("id")?)
}

pub async fn scenario_by_id(db: &Db, id: i64) -> Result<Option<Scenario>, ExchangeError> {
    let row = sqlx::query(&format!(
        "SELECT {SCENARIO_COLUMNS} FROM share_scenarios WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().map(scenario).transpose()?)
}

/// All scenarios, or one unit's.
pub async fn scenarios(db: &Db, unit_id: Option<i64>) -> Result<Vec<Scenario>, ExchangeError> {
    let rows = match unit_id {
        Some(u) => {
            sqlx::query(&format!(
                "SELECT {SCENARIO_COLUMNS} FROM share_scenarios WHERE unit_id = $1 ORDER BY id"
            ))
            .bind(u)
            .fetch_all(db.pool())
            .await?
        }
        None => {
            sqlx::query(&format!(
                "SELECT {SCENARIO_COLUMNS} FROM share_scenarios ORDER BY id"
            ))
            .fetch_all(db.pool())
            .await?
        }
    };
    Ok(rows.iter().map(scenario).collect::<Result<_, _>>()?)
}

pub async fn set_scenario_status(db: &Db, id: i64, status: &str) -> Result<(), ExchangeError> {
    sqlx::query("UPDATE share_scenarios SET status = $1 WHERE id = $2")
        .bind(status)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

const REQUEST_COLUMNS: &str = "r.id, r.scenario_id, s.name AS scenario_name, r.resource_id, r.resource_code, r.resource_name, \
    r.provider_unit_id, r.columns, r.raw_columns, r.row_filter, r.purpose, r.valid_until, r.status, r.due_date, \
    r.escalated_at, r.decided_by, r.decided_at, r.reason, r.grant_id, r.created_by, r.created_at";

fn request(r: &AnyRow) -> Result<AccessRequest, sqlx::Error> {
    let status: String = r.try_get("status")?;
    Ok(AccessRequest {
        id: r.try_get("id")?,
        scenario_id: r.try_get("scenario_id")?,
        scenario_name: r.try_get("scenario_name")?,
        resource_id: r.try_get("resource_id")?,
        resource_code: r.try_get("resource_code")?,
        resource_name: r.try_get("resource_name")?,
        provider_unit_id: r.try_get("provider_unit_id")?,
        columns: words(&r.try_get::<String, _>("columns")?),
        raw_columns: words(&r.try_get::<String, _>("raw_columns")?),
        row_filter: conditions(&r.try_get::<String, _>("row_filter")?)?,
        purpose: r.try_get("purpose")?,
        valid_until: r.try_get("valid_until")?,
        status: RequestStatus::parse(&status).unwrap_or(RequestStatus::Pending),
        due_date: r.try_get("due_date")?,
        escalated_at: r.try_get("escalated_at")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
        reason: r.try_get("reason")?,
        grant_id: r.try_get("grant_id")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A request to insert (already checked).
#[derive(Debug, Clone)]
pub struct RequestRow<'a> {
    pub scenario_id: i64,
    pub resource_id: i64,
    pub resource_code: &'a str,
    pub resource_name: &'a str,
    pub provider_unit_id: i64,
    pub columns: &'a [String],
    pub raw_columns: &'a [String],
    pub row_filter: &'a [Condition],
    pub purpose: &'a str,
    pub valid_until: &'a str,
    pub status: RequestStatus,
    pub due_date: Option<&'a str>,
    pub reason: &'a str,
    pub created_by: Option<i64>,
    pub created_at: &'a str,
}

pub async fn insert_request(
    tx: &mut sqlx::AnyConnection,
    r: &RequestRow<'_>,
) -> Result<i64, ExchangeError> {
    let row = sqlx::query(
        "INSERT INTO share_requests (scenario_id, resource_id, resource_code, resource_name, provider_unit_id, columns, raw_columns, \
         row_filter, purpose, valid_until, status, due_date, reason, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(r.scenario_id)
    .bind(r.resource_id)
    .bind(r.resource_code)
    .bind(r.resource_name)
    .bind(r.provider_unit_id)
    .bind(r.columns.join(" "))
    .bind(r.raw_columns.join(" "))
    .bind(serde_json::to_string(r.row_filter).unwrap_or_else(|_| "[]".into()))
    .bind(r.purpose)
    .bind(r.valid_until)
    .bind(r.status.as_str())
    .bind(r.due_date)
    .bind(r.reason)
    .bind(r.created_by)
    .bind(r.created_at)
    .fetch_one(&mut *tx)
    .await?;
    Ok(row.try_get("id")?)
}

pub async fn request_by_id(db: &Db, id: i64) -> Result<Option<AccessRequest>, ExchangeError> {
    let row = sqlx::query(&format!(
        "SELECT {REQUEST_COLUMNS} FROM share_requests r JOIN share_scenarios s ON s.id = r.scenario_id WHERE r.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().map(request).transpose()?)
}

/// Which requests to list.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub scenario_id: Option<i64>,
    /// Requests to this provider unit.
    pub provider_unit_id: Option<i64>,
    /// Requests of scenarios owned by this unit.
    pub scenario_unit_id: Option<i64>,
    pub status: Option<RequestStatus>,
    pub escalated: Option<bool>,
}

pub async fn requests(db: &Db, f: &RequestFilter) -> Result<Vec<AccessRequest>, ExchangeError> {
    let mut sql = format!(
        "SELECT {REQUEST_COLUMNS} FROM share_requests r JOIN share_scenarios s ON s.id = r.scenario_id WHERE 1 = 1"
    );
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    if f.scenario_id.is_some() {
        sql.push_str(&format!(" AND r.scenario_id = ${}", next()));
    }
    if f.provider_unit_id.is_some() {
        sql.push_str(&format!(" AND r.provider_unit_id = ${}", next()));
    }
    if f.scenario_unit_id.is_some() {
        sql.push_str(&format!(" AND s.unit_id = ${}", next()));
    }
    if f.status.is_some() {
        sql.push_str(&format!(" AND r.status = ${}", next()));
    }
    match f.escalated {
        Some(true) => sql.push_str(" AND r.escalated_at IS NOT NULL"),
        Some(false) => sql.push_str(" AND r.escalated_at IS NULL"),
        None => {}
    }
    sql.push_str(" ORDER BY r.id DESC LIMIT 1000");
    let mut q = sqlx::query(&sql);
    if let Some(v) = f.scenario_id {
        q = q.bind(v);
    }
    if let Some(v) = f.provider_unit_id {
        q = q.bind(v);
    }
    if let Some(v) = f.scenario_unit_id {
        q = q.bind(v);
    }
    if let Some(v) = f.status {
        q = q.bind(v.as_str());
    }
    let rows = q.fetch_all(db.pool()).await?;
    Ok(rows.iter().map(request).collect::<Result<_, _>>()?)
}

/// Records a decision; only a pending request changes (returns false if it was not pending).
#[allow(clippy::too_many_arguments)]
pub async fn decide_request(
    tx: &mut sqlx::AnyConnection,
    id: i64,
    status: RequestStatus,
    decided_by: Option<i64>,
    decided_at: &str,
    reason: &str,
    grant_id: Option<i64>,
) -> Result<bool, ExchangeError> {
    let r = sqlx::query(
        "UPDATE share_requests SET status = $1, decided_by = $2, decided_at = $3, reason = $4, grant_id = $5 \
         WHERE id = $6 AND status = 'pending'",
    )
    .bind(status.as_str())
    .bind(decided_by)
    .bind(decided_at)
    .bind(reason)
    .bind(grant_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn mark_escalated(db: &Db, id: i64, at: &str) -> Result<bool, ExchangeError> {
    let r = sqlx::query(
        "UPDATE share_requests SET escalated_at = $1 WHERE id = $2 AND status = 'pending' AND escalated_at IS NULL",
    )
    .bind(at)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(r.rows_affected() == 1)
}

const GRANT_COLUMNS: &str = "g.id, g.scenario_id, s.name AS scenario_name, g.resource_id, g.resource_code, g.resource_name, \
    g.provider_unit_id, g.request_id, g.columns, g.raw_columns, g.row_filter, g.valid_until, g.revoked_at, g.revoke_reason, g.created_at";

/// A grant row; its state is computed against `today` (YYYY-MM-DD, China time).
fn grant(r: &AnyRow, today: &str) -> Result<Grant, sqlx::Error> {
    let valid_until: String = r.try_get("valid_until")?;
    let revoked_at: Option<String> = r.try_get("revoked_at")?;
    let state = if revoked_at.is_some() {
        GrantState::Revoked
    } else if valid_until.as_str() < today {
        GrantState::Expired
    } else {
        GrantState::Active
    };
    Ok(Grant {
        id: r.try_get("id")?,
        scenario_id: r.try_get("scenario_id")?,
        scenario_name: r.try_get("scenario_name")?,
        resource_id: r.try_get("resource_id")?,
        resource_code: r.try_get("resource_code")?,
        resource_name: r.try_get("resource_name")?,
        provider_unit_id: r.try_get("provider_unit_id")?,
        request_id: r.try_get("request_id")?,
        columns: words(&r.try_get::<String, _>("columns")?),
        raw_columns: words(&r.try_get::<String, _>("raw_columns")?),
        row_filter: conditions(&r.try_get::<String, _>("row_filter")?)?,
        valid_until,
        revoked_at,
        revoke_reason: r.try_get("revoke_reason")?,
        created_at: r.try_get("created_at")?,
        state,
    })
}

/// A grant to insert.
#[derive(Debug, Clone)]
pub struct GrantRow<'a> {
    pub scenario_id: i64,
    pub resource_id: i64,
    pub resource_code: &'a str,
    pub resource_name: &'a str,
    pub provider_unit_id: i64,
    pub request_id: i64,
    pub columns: &'a [String],
    pub raw_columns: &'a [String],
    pub row_filter: &'a [Condition],
    pub valid_until: &'a str,
    pub created_at: &'a str,
}

pub async fn insert_grant(
    tx: &mut sqlx::AnyConnection,
    g: &GrantRow<'_>,
) -> Result<i64, ExchangeError> {
    let row = sqlx::query(
        "INSERT INTO share_grants (scenario_id, resource_id, resource_code, resource_name, provider_unit_id, request_id, columns, \
         raw_columns, row_filter, valid_until, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(g.scenario_id)
    .bind(g.resource_id)
    .bind(g.resource_code)
    .bind(g.resource_name)
    .bind(g.provider_unit_id)
    .bind(g.request_id)
    .bind(g.columns.join(" "))
    .bind(g.raw_columns.join(" "))
    .bind(serde_json::to_string(g.row_filter).unwrap_or_else(|_| "[]".into()))
    .bind(g.valid_until)
    .bind(g.created_at)
    .fetch_one(&mut *tx)
    .await?;
    Ok(row.try_get("id")?)
}

pub async fn grant_by_id(db: &Db, id: i64, today: &str) -> Result<Option<Grant>, ExchangeError> {
    let row = sqlx::query(&format!(
        "SELECT {GRANT_COLUMNS} FROM share_grants g JOIN share_scenarios s ON s.id = g.scenario_id WHERE g.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| grant(&r, today)).transpose()?)
}

/// Grants of a scenario, or to a provider unit, or all (newest first).
pub async fn grants(
    db: &Db,
    scenario_id: Option<i64>,
    provider_unit_id: Option<i64>,
    today: &str,
) -> Result<Vec<Grant>, ExchangeError> {
    let mut sql = format!(
        "SELECT {GRANT_COLUMNS} FROM share_grants g JOIN share_scenarios s ON s.id = g.scenario_id WHERE 1 = 1"
    );
    if scenario_id.is_some() {
        sql.push_str(" AND g.scenario_id = $1");
    }
    if provider_unit_id.is_some() {
        sql.push_str(if scenario_id.is_some() {
            " AND g.provider_unit_id = $2"
        } else {
            " AND g.provider_unit_id = $1"
        });
    }
    sql.push_str(" ORDER BY g.id DESC LIMIT 1000");
    let mut q = sqlx::query(&sql);
    if let Some(v) = scenario_id {
        q = q.bind(v);
    }
    if let Some(v) = provider_unit_id {
        q = q.bind(v);
    }
    let rows = q.fetch_all(db.pool()).await?;
    Ok(rows
        .iter()
        .map(|r| grant(r, today))
        .collect::<Result<_, _>>()?)
}

pub async fn revoke_grant(
    db: &Db,
    id: i64,
    by: Option<i64>,
    at: &str,
    reason: &str,
) -> Result<bool, ExchangeError> {
    let r = sqlx::query(
        "UPDATE share_grants SET revoked_at = $1, revoked_by = $2, revoke_reason = $3 WHERE id = $4 AND revoked_at IS NULL",
    )
    .bind(at)
    .bind(by)
    .bind(reason)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(r.rows_affected() == 1)
}

const TOKEN_COLUMNS: &str =
    "id, scenario_id, name, prefix, rate_per_minute, expires_at, revoked_at, last_used_at, created_at";

fn token(r: &AnyRow) -> Result<ScenarioToken, sqlx::Error> {
    Ok(ScenarioToken {
        id: r.try_get("id")?,
        scenario_id: r.try_get("scenario_id")?,
        name: r.try_get("name")?,
        prefix: r.try_get("prefix")?,
        rate_per_minute: r.try_get("rate_per_minute")?,
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
        last_used_at: r.try_get("last_used_at")?,
        created_at: r.try_get("created_at")?,
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_token(
    db: &Db,
    scenario_id: i64,
    name: &str,
    prefix: &str,
    hash: &str,
    rate_per_minute: i64,
    expires_at: Option<&str>,
    created_by: Option<i64>,
    created_at: &str,
) -> Result<i64, ExchangeError> {
    let row = sqlx::query(
        "INSERT INTO share_tokens (scenario_id, name, prefix, token_hash, rate_per_minute, expires_at, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(scenario_id)
    .bind(name)
    .bind(prefix)
    .bind(hash)
    .bind(rate_per_minute)
    .bind(expires_at)
    .bind(created_by)
    .bind(created_at)
    .fetch_one(db.pool())
    .await?;
    Ok(row.try_get("id")?)
}

pub async fn token_by_id(db: &Db, id: i64) -> Result<Option<ScenarioToken>, ExchangeError> {
    let row = sqlx::query(&format!(
        "SELECT {TOKEN_COLUMNS} FROM share_tokens WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().map(token).transpose()?)
}

pub async fn token_by_hash(db: &Db, hash: &str) -> Result<Option<ScenarioToken>, ExchangeError> {
    let row = sqlx::query(&format!(
        "SELECT {TOKEN_COLUMNS} FROM share_tokens WHERE token_hash = $1"
    ))
    .bind(hash)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.as_ref().map(token).transpose()?)
}

pub async fn tokens(db: &Db, scenario_id: i64) -> Result<Vec<ScenarioToken>, ExchangeError> {
    let rows = sqlx::query(&format!(
        "SELECT {TOKEN_COLUMNS} FROM share_tokens WHERE scenario_id = $1 ORDER BY id DESC"
    ))
    .bind(scenario_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(token).collect::<Result<_, _>>()?)
}

pub async fn revoke_token(db: &Db, id: i64, at: &str) -> Result<bool, ExchangeError> {
    let r =
        sqlx::query("UPDATE share_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(at)
            .bind(id)
            .execute(db.pool())
            .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn touch_token(db: &Db, id: i64, at: &str) -> Result<(), ExchangeError> {
    sqlx::query("UPDATE share_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn settings(db: &Db) -> Result<Settings, ExchangeError> {
    let rows = sqlx::query("SELECT key, value FROM share_settings")
        .fetch_all(db.pool())
        .await?;
    let mut s = Settings {
        review_working_days: 5,
        max_grant_days: 1095,
        default_rate_per_minute: 600,
    };
    for r in rows {
        let k: String = r.try_get("key")?;
        let v: String = r.try_get("value")?;
        let Ok(v) = v.trim().parse::<i64>() else {
            continue;
        };
        match k.as_str() {
            "review_working_days" => s.review_working_days = v,
            "max_grant_days" => s.max_grant_days = v,
            "default_rate_per_minute" => s.default_rate_per_minute = v,
            _ => {}
        }
    }
    Ok(s)
}

pub async fn save_settings(db: &Db, s: &Settings) -> Result<(), ExchangeError> {
    let mut tx = db.pool().begin().await?;
    for (k, v) in [
        ("review_working_days", s.review_working_days),
        ("max_grant_days", s.max_grant_days),
        ("default_rate_per_minute", s.default_rate_per_minute),
    ] {
        sqlx::query("UPDATE share_settings SET value = $1 WHERE key = $2")
            .bind(v.to_string())
            .bind(k)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The key that signs paging cursors: created once, then read from `share_settings`.
pub async fn cursor_secret(db: &Db) -> Result<String, ExchangeError> {
    let read = || async {
        let row = sqlx::query("SELECT value FROM share_settings WHERE key = 'cursor_secret'")
            .fetch_optional(db.pool())
            .await?;
        Ok::<Option<String>, ExchangeError>(match row {
            Some(r) => Some(r.try_get("value")?),
            None => None,
        })
    };
    if let Some(s) = read().await? {
        return Ok(s);
    }
    let fresh = zhengshu_auth::random_secret(48);
    // Two servers starting at once: one insert wins, both read the winner.
    let _ = sqlx::query("INSERT INTO share_settings (key, value) VALUES ('cursor_secret', $1)")
        .bind(&fresh)
        .execute(db.pool())
        .await;
    read()
        .await?
        .ok_or_else(|| ExchangeError::Conflict("cursor secret could not be stored".into()))
}
