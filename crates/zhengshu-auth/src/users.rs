//! Staff accounts: each belongs to a unit and holds roles.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;
use zhengshu_db::Db;

use crate::error::is_unique_violation;
use crate::{password, AuthError, Role};

/// A staff account (用户).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub roles: Vec<Role>,
    /// `active` or `disabled`.
    pub status: String,
    pub locked_until: Option<String>,
    pub created_at: String,
}

/// An account to create.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub unit_id: Option<i64>,
    pub roles: Vec<Role>,
    pub password: String,
}

const SELECT: &str = "SELECT u.id, u.username, u.display_name, u.unit_id, n.name AS unit_name, u.status, u.locked_until, u.created_at \
                      FROM users u LEFT JOIN units n ON n.id = u.unit_id";

fn from_row(r: &AnyRow) -> Result<User, sqlx::Error> {
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        roles: Vec::new(),
        status: r.try_get("status")?,
        locked_until: r.try_get("locked_until")?,
        created_at: r.try_get("created_at")?,
    })
}

async fn with_roles(db: &Db, mut users: Vec<User>) -> Result<Vec<User>, AuthError> {
    let rows = sqlx::query("SELECT user_id, role FROM user_roles ORDER BY user_id, role")
        .fetch_all(db.pool())
        .await?;
    for r in rows {
        let uid: i64 = r.try_get("user_id")?;
        let role: String = r.try_get("role")?;
        if let (Some(u), Some(role)) = (users.iter_mut().find(|u| u.id == uid), Role::parse(&role))
        {
            u.roles.push(role);
        }
    }
    for u in &mut users {
        u.roles.sort();
    }
    Ok(users)
}

pub async fn list(db: &Db, unit_id: Option<i64>) -> Result<Vec<User>, AuthError> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE ($1 IS NULL OR u.unit_id = $1) ORDER BY u.id"
    ))
    .bind(unit_id)
    .fetch_all(db.pool())
    .await?;
    let users = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    with_roles(db, users).await
}

pub async fn get(db: &Db, id: i64) -> Result<User, AuthError> {
    let row = sqlx::query(&format!("{SELECT} WHERE u.id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(AuthError::NotFound {
            what: "user",
            id: id.to_string(),
        })?;
    let mut u = from_row(&row)?;
    u.roles = roles_of(db, id).await?;
    Ok(u)
}

pub async fn get_by_username(db: &Db, username: &str) -> Result<User, AuthError> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username.trim())
        .fetch_optional(db.pool())
        .await?;
    match id {
        Some(id) => get(db, id).await,
        None => Err(AuthError::NotFound {
            what: "user",
            id: username.to_string(),
        }),
    }
}

pub async fn roles_of(db: &Db, user_id: i64) -> Result<Vec<Role>, AuthError> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
            .bind(user_id)
            .fetch_all(db.pool())
            .await?;
    Ok(rows.iter().filter_map(|r| Role::parse(r)).collect())
}

pub async fn count(db: &Db) -> Result<i64, AuthError> {
    Ok(db.scalar_i64("SELECT COUNT(*) FROM users").await?)
}

fn check_username(username: &str) -> Result<(), AuthError> {
    let ok = (3..=40).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(AuthError::invalid(
            "username",
            "use 3–40 letters, digits, `_`, `-` or `.`",
        ))
    }
}

/// Creates an account; the password is checked against the policy and hashed.
pub async fn create(db: &Db, new: &NewUser, now: &str) -> Result<User, AuthError> {
    let username = new.username.trim();
    check_username(username)?;
    if new.display_name.trim().is_empty() {
        return Err(AuthError::invalid(
            "display_name",
            "display name is required",
        ));
    }
    if new.roles.is_empty() {
        return Err(AuthError::invalid("roles", "give at least one role"));
    }
    if let Some(unit) = new.unit_id {
        crate::units::get(db, unit)
            .await
            .map_err(|_| AuthError::invalid("unit_id", format!("unit {unit} does not exist")))?;
    }
    password::check_policy(&new.password)?;
    let hash = password::hash(&new.password)?;
    let mut tx = db.pool().begin().await?;
    let r = sqlx::query(
        "INSERT INTO users (username, display_name, unit_id, password_hash, status, failed_logins, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'active', 0, $5, $5) RETURNING id",
    )
    .bind(username)
    .bind(new.display_name.trim())
    .bind(new.unit_id)
    .bind(hash)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let id: i64 = match r {
        Ok(row) => row.try_get("id")?,
        Err(e) if is_unique_violation(&e) => {
            return Err(AuthError::Duplicate {
                what: "username",
                value: username.to_string(),
            })
        }
        Err(e) => return Err(e.into()),
    };
    for role in &new.roles {
        sqlx::query(
            "INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(role.as_str())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    get(db, id).await
}

/// Sets a new password and clears a lock-out.
pub async fn set_password(
    db: &Db,
    user_id: i64,
    new_password: &str,
    now: &str,
) -> Result<(), AuthError> {
    password::check_policy(new_password)?;
    let hash = password::hash(new_password)?;
    let r = sqlx::query("UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(user_id)
        .execute(db.pool())
        .await?;
    if r.rows_affected() == 0 {
        return Err(AuthError::NotFound {
            what: "user",
            id: user_id.to_string(),
        });
    }
    // A new password ends every open session.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Enables or disables an account; disabling ends its sessions.
pub async fn set_status(db: &Db, user_id: i64, active: bool, now: &str) -> Result<(), AuthError> {
    let r = sqlx::query("UPDATE users SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(if active { "active" } else { "disabled" })
        .bind(now)
        .bind(user_id)
        .execute(db.pool())
        .await?;
    if r.rows_affected() == 0 {
        return Err(AuthError::NotFound {
            what: "user",
            id: user_id.to_string(),
        });
    }
    if !active {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(db.pool())
            .await?;
    }
    Ok(())
}

pub async fn has_any_admin(db: &Db) -> Result<bool, AuthError> {
    let n = db
        .scalar_i64("SELECT COUNT(*) FROM user_roles WHERE role = 'platform_admin'")
        .await?;
    Ok(n > 0)
}
