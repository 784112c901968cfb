//! The portal's rows in the metadata database: applications and app keys.

use sqlx::Row;
use zhengshu_db::{get_i64, Db};

use crate::model::{AppKey, AppStatus, Application};
use crate::OpenError;

const APP_COLUMNS: &str = "a.id, a.user_id, u.display_name AS user_name, a.resource_id, \
    a.resource_code, a.resource_name, a.provider_unit_id, a.purpose, a.organisation, a.contact, \
    a.status, a.due_date, a.decided_by, a.decided_at, a.reason, a.valid_until, a.created_at";

fn opt_i64(r: &sqlx::any::AnyRow, col: &str) -> Result<Option<i64>, OpenError> {
    Ok(r.try_get::<Option<i64>, _>(col)?)
}

fn application(r: &sqlx::any::AnyRow) -> Result<Application, OpenError> {
    let status: String = r.try_get("status")?;
    Ok(Application {
        id: get_i64(r, "id")?,
        user_id: get_i64(r, "user_id")?,
        user_name: r.try_get("user_name")?,
        resource_id: get_i64(r, "resource_id")?,
        resource_code: r.try_get("resource_code")?,
        resource_name: r.try_get("resource_name")?,
        provider_unit_id: get_i64(r, "provider_unit_id")?,
        purpose: r.try_get("purpose")?,
        organisation: r.try_get("organisation")?,
        contact: r.try_get("contact")?,
        status: AppStatus::parse(&status).unwrap_or(AppStatus::Pending),
        due_date: r.try_get("due_date")?,
        decided_by: opt_i64(r, "decided_by")?,
        decided_at: r.try_get("decided_at")?,
        reason: r.try_get("reason")?,
        valid_until: r.try_get("valid_until")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A filter over applications.
#[derive(Debug, Clone, Default)]
pub struct AppFilter {
    pub user_id: Option<i64>,
    pub provider_unit_id: Option<i64>,
    pub resource_id: Option<i64>,
    pub status: Option<AppStatus>,
}

pub async fn applications(db: &Db, f: &AppFilter) -> Result<Vec<Application>, OpenError> {
    let mut sql = format!(
        "SELECT {APP_COLUMNS} FROM open_applications a JOIN users u ON u.id = a.user_id WHERE 1=1"
    );
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    if f.user_id.is_some() {
        sql.push_str(&format!(" AND a.user_id = ${}", next()));
    }
    if f.provider_unit_id.is_some() {
        sql.push_str(&format!(" AND a.provider_unit_id = ${}", next()));
    }
    if f.resource_id.is_some() {
        sql.push_str(&format!(" AND a.resource_id = ${}", next()));
    }
    if f.status.is_some() {
        sql.push_str(&format!(" AND a.status = ${}", next()));
    }
    sql.push_str(" ORDER BY a.id DESC LIMIT 500");
    let mut q = sqlx::query(&sql);
    for v in [f.user_id, f.provider_unit_id, f.resource_id]
        .into_iter()
        .flatten()
    {
        q = q.bind(v);
    }
    if let Some(s) = f.status {
        q = q.bind(s.as_str());
    }
    q.fetch_all(db.pool())
        .await?
        .iter()
        .map(application)
        .collect()
}

pub async fn application_by_id(db: &Db, id: i64) -> Result<Option<Application>, OpenError> {
    sqlx::query(&format!(
        "SELECT {APP_COLUMNS} FROM open_applications a JOIN users u ON u.id = a.user_id \
         WHERE a.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .as_ref()
    .map(application)
    .transpose()
}

/// Inserts a pending application; returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn insert_application(
    db: &Db,
    user_id: i64,
    resource: &zhengshu_catalog::Resource,
    purpose: &str,
    organisation: &str,
    contact: &str,
    due_date: &str,
    now: &str,
) -> Result<i64, OpenError> {
    let row = sqlx::query(
        "INSERT INTO open_applications (user_id, resource_id, resource_code, resource_name, \
         provider_unit_id, purpose, organisation, contact, status, due_date, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10) RETURNING id",
    )
    .bind(user_id)
    .bind(resource.id)
    .bind(&resource.code)
    .bind(&resource.name)
    .bind(resource.provider_unit_id)
    .bind(purpose)
    .bind(organisation)
    .bind(contact)
    .bind(due_date)
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    Ok(get_i64(&row, "id")?)
}

/// Moves an application from `from` to `to`; false when it was not in `from` any more.
#[allow(clippy::too_many_arguments)]
pub async fn set_status(
    db: &Db,
    id: i64,
    from: AppStatus,
    to: AppStatus,
    by: Option<i64>,
    reason: &str,
    valid_until: Option<&str>,
    now: &str,
) -> Result<bool, OpenError> {
    let done = sqlx::query(
        "UPDATE open_applications SET status = $1, decided_by = COALESCE($2, decided_by), \
         decided_at = $3, reason = $4, valid_until = COALESCE($5, valid_until) \
         WHERE id = $6 AND status = $7",
    )
    .bind(to.as_str())
    .bind(by)
    .bind(now)
    .bind(reason)
    .bind(valid_until)
    .bind(id)
    .bind(from.as_str())
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

const KEY_COLUMNS: &str =
    "id, user_id, name, prefix, rate_per_minute, revoked_at, last_used_at, created_at";

fn app_key(r: &sqlx::any::AnyRow) -> Result<AppKey, OpenError> {
    Ok(AppKey {
        id: get_i64(r, "id")?,
        user_id: get_i64(r, "user_id")?,
        name: r.try_get("name")?,
        prefix: r.try_get("prefix")?,
        rate_per_minute: get_i64(r, "rate_per_minute")?,
        revoked_at: r.try_get("revoked_at")?,
        last_used_at: r.try_get("last_used_at")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn keys(db: &Db, user_id: i64) -> Result<Vec<AppKey>, OpenError> {
    sqlx::query(&format!(
        "SELECT {KEY_COLUMNS} FROM open_keys WHERE user_id = $1 ORDER BY id DESC"
    ))
    .bind(user_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(app_key)
    .collect()
}

pub async fn key_by_hash(db: &Db, hash: &str) -> Result<Option<AppKey>, OpenError> {
    sqlx::query(&format!(
        "SELECT {KEY_COLUMNS} FROM open_keys WHERE secret_hash = $1"
    ))
    .bind(hash)
    .fetch_optional(db.pool())
    .await?
    .as_ref()
    .map(app_key)
    .transpose()
}

pub async fn insert_key(
    db: &Db,
    user_id: i64,
    name: &str,
    prefix: &str,
    hash: &str,
    rate: i64,
    now: &str,
) -> Result<i64, OpenError> {
    let row = sqlx::query(
        "INSERT INTO open_keys (user_id, name, prefix, secret_hash, rate_per_minute, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(prefix)
    .bind(hash)
    .bind(rate)
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    Ok(get_i64(&row, "id")?)
}

pub async fn revoke_key(db: &Db, user_id: i64, id: i64, now: &str) -> Result<bool, OpenError> {
    let done = sqlx::query(
        "UPDATE open_keys SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(user_id)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn touch_key(db: &Db, id: i64, now: &str) -> Result<(), OpenError> {
    sqlx::query("UPDATE open_keys SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}
