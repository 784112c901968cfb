//! Browser login sessions with lock-out after repeated failures.

use chrono::{DateTime, Duration, Utc};
use sqlx::Row;
use zhengshu_db::{parse_ts, ts, Db};

use crate::{hash_secret, password, random_secret, AuthError, User};

/// How long sessions live and when accounts lock.
#[derive(Debug, Clone)]
pub struct LoginPolicy {
    pub session_ttl: Duration,
    /// Failed logins in a row that lock the account.
    pub max_failures: i64,
    pub lockout: Duration,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            session_ttl: Duration::hours(12),
            max_failures: 5,
            lockout: Duration::minutes(15),
        }
    }
}

/// A logged-in browser session. `token` is the cookie value (never stored).
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// Checks the password and opens a session; counts failures and locks the account.
pub async fn login(
    db: &Db,
    policy: &LoginPolicy,
    username: &str,
    pw: &str,
    now: DateTime<Utc>,
) -> Result<(Session, User), AuthError> {
    let row = sqlx::query("SELECT id, password_hash, status, failed_logins, locked_until FROM users WHERE username = $1")
        .bind(username.trim())
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else {
        // Spend the same time as a real check so usernames cannot be probed by timing.
        let _ = password::verify(
            pw,
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
        );
        return Err(AuthError::BadCredentials);
    };
    let id: i64 = row.try_get("id")?;
    let hash: String = row.try_get("password_hash")?;
    let status: String = row.try_get("status")?;
    let failed: i64 = row.try_get("failed_logins")?;
    let locked_until: Option<String> = row.try_get("locked_until")?;
    if let Some(until) = locked_until.as_deref().and_then(parse_ts) {
        if until > now {
            return Err(AuthError::Locked { until: ts(until) });
        }
    }
    if !password::verify(pw, &hash) {
        let failed = failed + 1;
        let lock = (failed >= policy.max_failures).then(|| ts(now + policy.lockout));
        sqlx::query("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3")
            .bind(if lock.is_some() { 0 } else { failed })
            .bind(lock.clone())
            .bind(id)
            .execute(db.pool())
            .await?;
        return Err(match lock {
            Some(until) => AuthError::Locked { until },
            None => AuthError::BadCredentials,
        });
    }
    if status != "active" {
        return Err(AuthError::Disabled);
    }
    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
        .bind(id)
        .execute(db.pool())
        .await?;
    let session = Session {
        token: random_secret(40),
        user_id: id,
        csrf_token: random_secret(32),
        expires_at: now + policy.session_ttl,
    };
    sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(hash_secret(&session.token))
        .bind(id)
        .bind(&session.csrf_token)
        .bind(ts(now))
        .bind(ts(session.expires_at))
        .execute(db.pool())
        .await?;
    let user = crate::users::get(db, id).await?;
    Ok((session, user))
}

/// Finds the live session of a cookie value.
pub async fn lookup(db: &Db, token: &str, now: DateTime<Utc>) -> Result<Session, AuthError> {
    let row = sqlx::query(
        "SELECT s.user_id, s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND u.status = 'active'",
    )
    .bind(hash_secret(token))
    .fetch_optional(db.pool())
    .await?
    .ok_or(AuthError::Unauthenticated)?;
    let expires: String = row.try_get("expires_at")?;
    let expires_at = parse_ts(&expires).ok_or(AuthError::Unauthenticated)?;
    if expires_at <= now {
        return Err(AuthError::Unauthenticated);
    }
    Ok(Session {
        token: token.to_string(),
        user_id: row.try_get("user_id")?,
        csrf_token: row.try_get("csrf_token")?,
        expires_at,
    })
}

pub async fn logout(db: &Db, token: &str) -> Result<(), AuthError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(hash_secret(token))
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Removes expired sessions (run at start-up and now and then).
pub async fn purge_expired(db: &Db, now: DateTime<Utc>) -> Result<u64, AuthError> {
    let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(ts(now))
        .execute(db.pool())
        .await?;
    Ok(r.rows_affected())
}
