//! The error type of the catalog module. Messages say which resource, field or row is
//! wrong and what to do about it.

use serde::Serialize;

/// One field that failed validation (the form and the importer show all of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field key, e.g. `sharing_conditions` or `items[2].name`.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Errors of the catalog module.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{}", join_fields(.0))]
    Invalid(Vec<FieldError>),
    #[error("data resource `{0}` not found")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    /// A lifecycle step that the resource's status does not allow.
    #[error("{0}")]
    Conflict(String),
    #[error("resource code `{0}` already exists; codes are unique")]
    DuplicateCode(String),
    /// The import file as a whole cannot be read (wrong sheet, headers, encoding, size).
    #[error("import file: {0}")]
    File(String),
    #[error("search index: {0}")]
    Index(String),
    #[error(transparent)]
    Auth(#[from] zhengshu_auth::AuthError),
    #[error(transparent)]
    Db(#[from] zhengshu_db::DbError),
}

fn join_fields(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl CatalogError {
    /// One invalid field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        CatalogError::Invalid(vec![FieldError::new(field, message)])
    }
}

impl From<sqlx::Error> for CatalogError {
    fn from(e: sqlx::Error) -> Self {
        CatalogError::Db(zhengshu_db::DbError::Sqlx(e))
    }
}

impl From<tantivy::TantivyError> for CatalogError {
    fn from(e: tantivy::TantivyError) -> Self {
        CatalogError::Index(e.to_string())
    }
}

impl From<CatalogError> for zhengshu_http::ApiError {
    fn from(e: CatalogError) -> Self {
        use zhengshu_http::ApiError;
        match e {
            CatalogError::Invalid(_) => ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                e.to_string(),
            ),
            CatalogError::NotFound(_) => ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "not_found",
                e.to_string(),
            ),
            CatalogError::Forbidden(m) => ApiError::forbidden(m),
            CatalogError::Conflict(m) => ApiError::conflict(m),
            CatalogError::DuplicateCode(_) => ApiError::conflict(e.to_string()),
            CatalogError::File(_) => ApiError::bad_request(e.to_string()),
            CatalogError::Auth(a) => a.into(),
            CatalogError::Db(d) => d.into(),
            CatalogError::Index(m) => ApiError::internal(m),
        }
    }
}

pub(crate) use zhengshu_db::is_unique_violation;
