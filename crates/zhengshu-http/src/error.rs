use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use zhengshu_auth::AuthError;

/// The one HTTP error type: a status, a stable machine code and a message that says what
/// to fix. Rendered as `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    /// A field failed validation (422).
    pub fn invalid(field: &str, message: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!("{field}: {message}"),
        )
    }
    pub fn not_found(what: &str, id: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} `{id}` not found"),
        )
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }
    pub fn too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", message)
    }
    /// Logs the detail and answers 500 without it.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; the details are in the server log",
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match &e {
            AuthError::BadCredentials | AuthError::Unauthenticated | AuthError::BadToken => {
                ApiError::unauthorized(e.to_string())
            }
            AuthError::Locked { .. } => ApiError::new(StatusCode::LOCKED, "locked", e.to_string()),
            AuthError::Disabled => ApiError::forbidden(e.to_string()),
            AuthError::NotFound { .. } => {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", e.to_string())
            }
            AuthError::Invalid { .. } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", e.to_string())
            }
            AuthError::Duplicate { .. } => ApiError::conflict(e.to_string()),
            AuthError::Hash | AuthError::Db(_) => db_error(&e),
        }
    }
}

fn db_error(e: &dyn std::fmt::Display) -> ApiError {
    let s = e.to_string();
    if s.contains("pool timed out") || s.contains("PoolTimedOut") {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the database is busy; try again",
        )
    } else {
        ApiError::internal(s)
    }
}

impl From<zhengshu_db::DbError> for ApiError {
    fn from(e: zhengshu_db::DbError) -> Self {
        match e {
            zhengshu_db::DbError::Sqlx(sqlx_err) => sqlx_err.into(),
            other => db_error(&other),
        }
    }
}

impl From<zhengshu_db::sqlx::Error> for ApiError {
    fn from(e: zhengshu_db::sqlx::Error) -> Self {
        match e {
            zhengshu_db::sqlx::Error::RowNotFound => {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", "not found")
            }
            zhengshu_db::sqlx::Error::PoolTimedOut => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the database is busy; try again",
            ),
            other => ApiError::internal(other),
        }
    }
}
