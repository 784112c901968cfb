//! The error type of the exchange module. Messages say what to fix.

use axum::http::StatusCode;
use zhengshu_http::ApiError;

/// Errors of sharing and exchange.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// A field of a request is wrong: `field: message`.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    /// A workflow step the current state does not allow.
    #[error("{0}")]
    Conflict(String),
    /// No or a bad scenario token.
    #[error("{0}")]
    Unauthenticated(String),
    /// Over the token's rate limit; retry after this many seconds.
    #[error("rate limit of {limit} calls per minute reached; retry after {retry_after} s")]
    RateLimited { limit: i64, retry_after: u64 },
    /// The share query was refused or failed (sandbox, syntax, limits).
    #[error("SQL: {0}")]
    Sql(String),
    /// The audit log could not be written; the call is refused rather than unrecorded.
    #[error("audit log: {0}")]
    Audit(String),
    #[error(transparent)]
    Lake(#[from] zhengshu_lake::LakeError),
    #[error(transparent)]
    Catalog(#[from] zhengshu_catalog::CatalogError),
    #[error(transparent)]
    Auth(#[from] zhengshu_auth::AuthError),
    #[error(transparent)]
    Db(#[from] zhengshu_db::DbError),
}

impl ExchangeError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ExchangeError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl From<sqlx::Error> for ExchangeError {
    fn from(e: sqlx::Error) -> Self {
        ExchangeError::Db(zhengshu_db::DbError::Sqlx(e))
    }
}

impl From<zhengshu_lake::deltalake::datafusion::error::DataFusionError> for ExchangeError {
    fn from(e: zhengshu_lake::deltalake::datafusion::error::DataFusionError) -> Self {
        ExchangeError::Sql(e.to_string())
    }
}

impl From<zhengshu_lake::deltalake::arrow::error::ArrowError> for ExchangeError {
    fn from(e: zhengshu_lake::deltalake::arrow::error::ArrowError) -> Self {
        ExchangeError::Sql(e.to_string())
    }
}

impl From<ExchangeError> for ApiError {
    fn from(e: ExchangeError) -> Self {
        match e {
            ExchangeError::Invalid { .. } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", e.to_string())
            }
            ExchangeError::NotFound(_) => {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", e.to_string())
            }
            ExchangeError::Forbidden(m) => ApiError::forbidden(m),
            ExchangeError::Conflict(m) => ApiError::conflict(m),
            ExchangeError::Unauthenticated(m) => ApiError::unauthorized(m),
            ExchangeError::RateLimited { .. } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", e.to_string())
            }
            ExchangeError::Sql(_) => ApiError::new(StatusCode::BAD_REQUEST, "sql", e.to_string()),
            ExchangeError::Audit(m) => ApiError::internal(format!("audit log: {m}")),
            ExchangeError::Lake(l) => l.into(),
            ExchangeError::Catalog(c) => c.into(),
            ExchangeError::Auth(a) => a.into(),
            ExchangeError::Db(d) => d.into(),
        }
    }
}
