//! The error type of the lake. Messages say which table, column or line is wrong and what
//! to do about it.

use zhengshu_catalog::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum LakeError {
    #[error("{}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    /// A query the SQL engine refused or could not run.
    #[error("SQL: {0}")]
    Sql(String),
    #[error("lake storage: {0}")]
    Storage(String),
    #[error(transparent)]
    Catalog(#[from] zhengshu_catalog::CatalogError),
    #[error(transparent)]
    Db(#[from] zhengshu_db::DbError),
}

impl LakeError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        LakeError::Invalid(vec![FieldError::new(field, message)])
    }

    /// A table that does not exist is a 404; other storage errors stay storage errors.
    pub(crate) fn not_found_or(name: &str, e: deltalake::DeltaTableError) -> Self {
        match e {
            deltalake::DeltaTableError::NotATable(_) => {
                LakeError::NotFound(format!("lake table `{name}`"))
            }
            deltalake::DeltaTableError::InvalidVersion(v) => {
                LakeError::invalid("version", format!("table `{name}` has no version {v}"))
            }
            other => LakeError::Storage(other.to_string()),
        }
    }
}

impl From<sqlx::Error> for LakeError {
    fn from(e: sqlx::Error) -> Self {
        LakeError::Db(zhengshu_db::DbError::Sqlx(e))
    }
}

impl From<deltalake::DeltaTableError> for LakeError {
    fn from(e: deltalake::DeltaTableError) -> Self {
        LakeError::Storage(e.to_string())
    }
}

impl From<deltalake::datafusion::error::DataFusionError> for LakeError {
    fn from(e: deltalake::datafusion::error::DataFusionError) -> Self {
        LakeError::Sql(e.to_string())
    }
}

impl From<deltalake::arrow::error::ArrowError> for LakeError {
    fn from(e: deltalake::arrow::error::ArrowError) -> Self {
        LakeError::Storage(e.to_string())
    }
}

impl From<crate::read::ReadError> for LakeError {
    fn from(e: crate::read::ReadError) -> Self {
        LakeError::invalid("file", e.to_string())
    }
}

impl From<LakeError> for zhengshu_http::ApiError {
    fn from(e: LakeError) -> Self {
        use axum::http::StatusCode;
        use zhengshu_http::ApiError;
        match e {
            LakeError::Invalid(_) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", e.to_string())
            }
            LakeError::NotFound(_) => {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", e.to_string())
            }
            LakeError::Forbidden(_) => {
                ApiError::new(StatusCode::FORBIDDEN, "forbidden", e.to_string())
            }
            LakeError::Conflict(_) => {
                ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string())
            }
            LakeError::Sql(_) => ApiError::new(StatusCode::BAD_REQUEST, "sql", e.to_string()),
            LakeError::Catalog(c) => c.into(),
            LakeError::Db(_) | LakeError::Storage(_) => {
                tracing::error!(error = %e, "lake failure");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
            }
        }
    }
}
