/// Errors of the accounts module. Messages say what to fix.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("wrong username or password")]
    BadCredentials,
    #[error("account locked after repeated failed logins; try again after {until}")]
    Locked { until: String },
    #[error("account is disabled")]
    Disabled,
    #[error("not logged in or session expired")]
    Unauthenticated,
    #[error("API token is invalid, expired or revoked")]
    BadToken,
    #[error("{what} `{id}` not found")]
    NotFound { what: &'static str, id: String },
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{what} `{value}` already exists")]
    Duplicate { what: &'static str, value: String },
    #[error("password hashing failed")]
    Hash,
    #[error(transparent)]
    Db(#[from] zhengshu_db::DbError),
}

impl From<sqlx::Error> for AuthError {
    fn from(e: sqlx::Error) -> Self {
        AuthError::Db(zhengshu_db::DbError::Sqlx(e))
    }
}

impl AuthError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AuthError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

pub(crate) use zhengshu_db::is_unique_violation;
