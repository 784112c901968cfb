//! Open311 API keys: issued in the console or by `zhengshu open311 key create`, shown
//! once, stored as a SHA-256 hash.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::Row;
use zhengshu_core::Clock;
use zhengshu_db::{ts, Db};

use crate::HotlineError;

/// The prefix of every Open311 key.
pub const KEY_PREFIX: &str = "o311_";

/// A key as listed (never with its secret).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Open311Key {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// Issues a key named `name`; returns the plaintext key, shown only this once.
pub async fn create_open311_key(
    db: &Db,
    clock: &dyn Clock,
    name: &str,
) -> Result<String, HotlineError> {
    issue(db, clock.now(), name, None).await.map(|(_, k)| k)
}

/// Issues a key on behalf of a console user.
pub async fn issue(
    db: &Db,
    now: DateTime<Utc>,
    name: &str,
    by: Option<i64>,
) -> Result<(Open311Key, String), HotlineError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(HotlineError::invalid(
            "name",
            "give the key a name of 1–80 characters (who uses it)",
        ));
    }
    let secret = format!("{KEY_PREFIX}{}", zhengshu_auth::random_secret(32));
    let prefix: String = secret.chars().take(10).collect();
    let row = sqlx::query(
        "INSERT INTO hotline_open311_keys (name, key_hash, prefix, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(name)
    .bind(zhengshu_auth::hash_secret(&secret))
    .bind(&prefix)
    .bind(by)
    .bind(ts(now))
    .fetch_one(db.pool())
    .await?;
    let id: i64 = row.try_get("id")?;
    let key = Open311Key {
        id,
        name: name.to_string(),
        prefix,
        created_at: ts(now),
        revoked_at: None,
    };
    Ok((key, secret))
}

pub async fn list(db: &Db) -> Result<Vec<Open311Key>, HotlineError> {
    let rows = sqlx::query("SELECT id, name, prefix, created_at, revoked_at FROM hotline_open311_keys ORDER BY id DESC")
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Open311Key {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                prefix: r.try_get("prefix")?,
                created_at: r.try_get("created_at")?,
                revoked_at: r.try_get("revoked_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

pub async fn revoke(db: &Db, id: i64, now: DateTime<Utc>) -> Result<(), HotlineError> {
    let r = sqlx::query(
        "UPDATE hotline_open311_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
    )
    .bind(ts(now))
    .bind(id)
    .execute(db.pool())
    .await?;
    if r.rows_affected() == 0 {
        return Err(HotlineError::NotFound {
            what: "open311 key",
            id: id.to_string(),
        });
    }
    Ok(())
}

/// The id and name of a valid (not revoked) key.
pub async fn authenticate(db: &Db, key: &str) -> Result<Option<(i64, String)>, HotlineError> {
    if !key.starts_with(KEY_PREFIX) {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT id, name FROM hotline_open311_keys WHERE key_hash = $1 AND revoked_at IS NULL",
    )
    .bind(zhengshu_auth::hash_secret(key))
    .fetch_optional(db.pool())
    .await?;
    match row {
        Some(r) => Ok(Some((r.try_get("id")?, r.try_get("name")?))),
        None => Ok(None),
    }
}
