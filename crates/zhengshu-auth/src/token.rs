//! API tokens for programs: shown once, stored as a SHA-256 hash, scoped to a subset of
//! the owner's permissions, with an optional expiry, revocable.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;
use zhengshu_db::{parse_ts, ts, Db};

use crate::role::permissions_of;
use crate::{hash_secret, random_secret, AuthError, Permission};

/// The prefix every token starts with, so that leaked tokens are easy to spot.
pub const TOKEN_PREFIX: &str = "zs_";

/// The prefix of the tokens the exchange issues to data-application scenarios. They are
/// not user tokens: user authentication ignores them and the share API resolves them.
pub const SCENARIO_TOKEN_PREFIX: &str = "zsx_";

/// The prefix of the app keys the open-data portal issues to approved applicants. Like
/// scenario tokens they are not user tokens: user authentication ignores them and only the
/// open-data API and downloads resolve them.
pub const OPEN_KEY_PREFIX: &str = "zso_";

/// Whether `secret` is a key another module resolves (a scenario token or an open-data
/// app key), which user authentication must leave alone.
pub fn is_module_key(secret: &str) -> bool {
    let s = secret.trim();
    s.starts_with(SCENARIO_TOKEN_PREFIX) || s.starts_with(OPEN_KEY_PREFIX)
}

/// A token as listed (never with its secret).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    /// The first characters of the token, to recognise it.
    pub prefix: String,
    pub scopes: Vec<Permission>,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
    pub created_at: String,
}

/// A token to create.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewToken {
    pub name: String,
    /// Permissions the token may use; empty means all of the owner's.
    #[serde(default)]
    pub scopes: Vec<Permission>,
    /// Days until it expires; none means it does not expire.
    #[serde(default)]
    pub expires_in_days: Option<i64>,
}

fn from_row(r: &AnyRow) -> Result<ApiToken, sqlx::Error> {
    let scopes: String = r.try_get("scopes")?;
    Ok(ApiToken {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        name: r.try_get("name")?,
        prefix: r.try_get("prefix")?,
        scopes: scopes
            .split_whitespace()
            .filter_map(Permission::parse)
            .collect(),
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
        last_used_at: r.try_get("last_used_at")?,
        created_at: r.try_get("created_at")?,
    })
}

const COLUMNS: &str =
    "id, user_id, name, prefix, scopes, expires_at, revoked_at, last_used_at, created_at";

/// Creates a token for `user_id`; returns it with the secret, which is never shown again.
pub async fn create(
    db: &Db,
    user_id: i64,
    new: &NewToken,
    now: DateTime<Utc>,
) -> Result<(ApiToken, String), AuthError> {
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AuthError::invalid(
            "name",
            "give the token a name of 1–80 characters",
        ));
    }
    let owner = permissions_of(&crate::users::roles_of(db, user_id).await?);
    let scopes: Vec<Permission> = if new.scopes.is_empty() {
        owner.clone()
    } else {
        new.scopes.clone()
    };
    if let Some(p) = scopes.iter().find(|p| !owner.contains(p)) {
        return Err(AuthError::invalid(
            "scopes",
            format!("`{}` is not one of your permissions", p.as_str()),
        ));
    }
    let expires_at = match new.expires_in_days {
        None => None,
        Some(d) if (1..=3650).contains(&d) => Some(ts(now + chrono::Duration::days(d))),
        Some(d) => {
            return Err(AuthError::invalid(
                "expires_in_days",
                format!("{d} is out of range 1–3650"),
            ))
        }
    };
    let secret = format!("{TOKEN_PREFIX}{}", random_secret(40));
    let prefix: String = secret.chars().take(8).collect();
    let scopes_s = scopes
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let row = sqlx::query(
        "INSERT INTO api_tokens (user_id, name, token_hash, prefix, scopes, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(hash_secret(&secret))
    .bind(&prefix)
    .bind(scopes_s)
    .bind(expires_at)
    .bind(ts(now))
    .fetch_one(db.pool())
    .await?;
    let id: i64 = row.try_get("id")?;
    Ok((get(db, id).await?, secret))
}

pub async fn get(db: &Db, id: i64) -> Result<ApiToken, AuthError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(AuthError::NotFound {
            what: "token",
            id: id.to_string(),
        })?;
    Ok(from_row(&row)?)
}

pub async fn list_for_user(db: &Db, user_id: i64) -> Result<Vec<ApiToken>, AuthError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id DESC"
    ))
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// Revokes one of the user's tokens.
pub async fn revoke(db: &Db, user_id: i64, id: i64, now: DateTime<Utc>) -> Result<(), AuthError> {
    let r = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
        .bind(ts(now))
        .bind(id)
        .bind(user_id)
        .execute(db.pool())
        .await?;
    if r.rows_affected() == 0 {
        return Err(AuthError::NotFound {
            what: "token",
            id: id.to_string(),
        });
    }
    Ok(())
}

/// Resolves a presented token to (token, owner id); checks expiry and revocation.
pub async fn authenticate(
    db: &Db,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<ApiToken, AuthError> {
    if !secret.starts_with(TOKEN_PREFIX) {
        return Err(AuthError::BadToken);
    }
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1"
    ))
    .bind(hash_secret(secret))
    .fetch_optional(db.pool())
    .await?
    .ok_or(AuthError::BadToken)?;
    let token = from_row(&row)?;
    if token.revoked_at.is_some() {
        return Err(AuthError::BadToken);
    }
    if token
        .expires_at
        .as_deref()
        .and_then(parse_ts)
        .is_some_and(|e| e <= now)
    {
        return Err(AuthError::BadToken);
    }
    // Record use at most once a minute: a write per request would make every API call
    // queue for SQLite's single writer.
    let stale = token
        .last_used_at
        .as_deref()
        .and_then(parse_ts)
        .is_none_or(|t| now - t >= chrono::Duration::seconds(60));
    if stale {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(ts(now))
            .bind(token.id)
            .execute(db.pool())
            .await?;
    }
    Ok(token)
}
