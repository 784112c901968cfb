//! The error type of the open-data portal. Messages say what to fix.

use axum::http::StatusCode;
use zhengshu_http::ApiError;

/// Errors of the open-data portal.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// A parameter is wrong: `field: message`.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{0} not found")]
    NotFound(String),
    /// The caller may not do this (e.g. a conditionally opened dataset without approval).
    #[error("{0}")]
    Forbidden(String),
    /// Signing in or an app key is needed.
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Conflict(String),
    /// Over the app key's rate limit.
    #[error("rate limit of {limit} calls per minute reached; retry after {retry_after} s")]
    RateLimited { limit: i64, retry_after: u64 },
    /// A query was refused or failed (sandbox, syntax, limits).
    #[error("SQL: {0}")]
    Sql(String),
    /// The request is larger than the format allows (e.g. XLSX beyond Excel's row limit).
    #[error("{0}")]
    TooLarge(String),
    #[error(transparent)]
    Exchange(#[from] zhengshu_exchange::ExchangeError),
    #[error(transparent)]
    Lake(#[from] zhengshu_lake::LakeError),
    #[error(transparent)]
    Catalog(#[from] zhengshu_catalog::CatalogError),
    #[error(transparent)]
    Auth(#[from] zhengshu_auth::AuthError),
    #[error(transparent)]
    Db(#[from] zhengshu_db::DbError),
}

impl OpenError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        OpenError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl From<sqlx::Error> for OpenError {
    fn from(e: sqlx::Error) -> Self {
        OpenError::Db(zhengshu_db::DbError::Sqlx(e))
    }
}

impl From<zhengshu_lake::deltalake::datafusion::error::DataFusionError> for OpenError {
    fn from(e: zhengshu_lake::deltalake::datafusion::error::DataFusionError) -> Self {
        OpenError::Sql(e.to_string())
    }
}

impl From<zhengshu_lake::deltalake::arrow::error::ArrowError> for OpenError {
    fn from(e: zhengshu_lake::deltalake::arrow::error::ArrowError) -> Self {
        OpenError::Sql(e.to_string())
    }
}

impl From<OpenError> for ApiError {
    fn from(e: OpenError) -> Self {
        match e {
            OpenError::Invalid { .. } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", e.to_string())
            }
            OpenError::NotFound(_) => {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", e.to_string())
            }
            OpenError::Forbidden(m) => ApiError::forbidden(m),
            OpenError::Unauthenticated(m) => ApiError::unauthorized(m),
            OpenError::Conflict(m) => ApiError::conflict(m),
            OpenError::RateLimited { .. } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", e.to_string())
            }
            OpenError::Sql(_) => ApiError::new(StatusCode::BAD_REQUEST, "sql", e.to_string()),
            OpenError::TooLarge(m) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "too_many_rows", m)
            }
            OpenError::Exchange(x) => x.into(),
            OpenError::Lake(l) => l.into(),
            OpenError::Catalog(c) => c.into(),
            OpenError::Auth(a) => a.into(),
            OpenError::Db(d) => d.into(),
        }
    }
}
