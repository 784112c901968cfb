use crate::model::Refusal;

/// Errors of the hotline module. Messages say what to fix.
#[derive(Debug, thiserror::Error)]
pub enum HotlineError {
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{what} `{id}` not found")]
    NotFound { what: &'static str, id: String },
    /// The order's state does not allow the action (HTTP 409).
    #[error("order {order_no} {refusal}")]
    IllegalTransition { order_no: String, refusal: Refusal },
    /// The action is allowed in this state but a rule refuses it now (HTTP 409).
    #[error("order {order_no}: {message}")]
    Conflict { order_no: String, message: String },
    /// The caller may not act on this order (HTTP 403).
    #[error("{0}")]
    NotYours(String),
    #[error(transparent)]
    Auth(#[from] zhengshu_auth::AuthError),
    #[error(transparent)]
    Db(#[from] zhengshu_db::DbError),
}

impl From<sqlx::Error> for HotlineError {
    fn from(e: sqlx::Error) -> Self {
        HotlineError::Db(zhengshu_db::DbError::Sqlx(e))
    }
}

impl HotlineError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        HotlineError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    pub(crate) fn conflict(order_no: &str, message: impl Into<String>) -> Self {
        HotlineError::Conflict {
            order_no: order_no.to_string(),
            message: message.into(),
        }
    }
}

impl From<HotlineError> for zhengshu_http::ApiError {
    fn from(e: HotlineError) -> Self {
        use axum::http::StatusCode;
        use zhengshu_http::ApiError;
        match e {
            HotlineError::Invalid { .. } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", e.to_string())
            }
            HotlineError::NotFound { .. } => {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", e.to_string())
            }
            HotlineError::IllegalTransition { .. } => {
                ApiError::new(StatusCode::CONFLICT, "illegal_transition", e.to_string())
            }
            HotlineError::Conflict { .. } => ApiError::conflict(e.to_string()),
            HotlineError::NotYours(m) => ApiError::forbidden(m),
            HotlineError::Auth(a) => a.into(),
            HotlineError::Db(d) => d.into(),
        }
    }
}
