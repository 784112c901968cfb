//! CKAN's response envelope and error types.
//!
//! Success: `{"help": "<base>/api/3/action/help_show?name=<action>", "success": true,
//! "result": …}` with 200. Failure: `"success": false` and an `error` object whose
//! `__type` is what CKAN clients switch on (`ckanapi` raises `NotFound`,
//! `ValidationError`, `NotAuthorized` …):
//!
//! | `__type` | status | when |
//! |---|---|---|
//! | `Not Found Error` | 404 | unknown dataset, resource, organization, group; a dataset without data in `datastore_search` |
//! | `Validation Error` | 409 | a bad parameter (each wrong field is also a key of `error`, as CKAN does), SQL that is refused or fails |
//! | `Authorization Error` | 403 | a conditionally opened dataset without an approved application, a bad app key, write actions |
//! | `Bad Request` | 400 | unknown action, a body that is not a JSON object |
//! | `Rate Limit Error` | 429 | over the app key's rate (with `Retry-After`); CKAN has no such type |
//! | `Internal Server Error` | 500 | a fault of the server (database, storage), never bad input |

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use zhengshu_exchange::ExchangeError;
use zhengshu_lake::LakeError;

use crate::OpenError;

/// Why an action failed, as CKAN reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum CkanError {
    /// 404 `Not Found Error`.
    NotFound(String),
    /// 409 `Validation Error`: a summary and the wrong fields with what is wrong.
    Validation {
        message: String,
        fields: Vec<(String, String)>,
    },
    /// 403 `Authorization Error`.
    Authorization(String),
    /// 400 `Bad Request`.
    BadRequest(String),
    /// 429: over an app key's rate limit.
    RateLimited { message: String, retry_after: u64 },
    /// 500: the server's fault.
    Internal(String),
}

impl CkanError {
    /// A Validation Error on one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> CkanError {
        let field = field.into();
        let message = message.into();
        CkanError::Validation {
            message: format!("{field}: {message}"),
            fields: vec![(field, message)],
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            CkanError::NotFound(_) => StatusCode::NOT_FOUND,
            CkanError::Validation { .. } => StatusCode::CONFLICT,
            CkanError::Authorization(_) => StatusCode::FORBIDDEN,
            CkanError::BadRequest(_) => StatusCode::BAD_REQUEST,
            CkanError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            CkanError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `error` object of the envelope.
    pub fn body(&self) -> Value {
        let mut m = Map::new();
        let (ty, message) = match self {
            CkanError::NotFound(msg) => ("Not Found Error", format!("Not found: {msg}")),
            CkanError::Validation { message, fields } => {
                for (f, msg) in fields {
                    let entry = m
                        .entry(f.clone())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(a) = entry {
                        a.push(Value::String(msg.clone()));
                    }
                }
                ("Validation Error", message.clone())
            }
            CkanError::Authorization(msg) => {
                ("Authorization Error", format!("Access denied: {msg}"))
            }
            CkanError::BadRequest(msg) => ("Bad Request", format!("Bad request - {msg}")),
            CkanError::RateLimited { message, .. } => ("Rate Limit Error", message.clone()),
            CkanError::Internal(msg) => ("Internal Server Error", msg.clone()),
        };
        m.insert("__type".into(), Value::String(ty.into()));
        m.insert("message".into(), Value::String(message));
        Value::Object(m)
    }
}

impl std::fmt::Display for CkanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let body = self.body();
        f.write_str(body["message"].as_str().unwrap_or_default())
    }
}

/// The help link of an action.
pub fn help_url(base: &str, action: &str) -> String {
    format!(
        "{base}/api/3/action/help_show?name={}",
        super::links::encode(action)
    )
}

/// `{"help", "success": true, "result"}` with 200.
pub fn success(help: String, result: Value) -> Response {
    (
        StatusCode::OK,
        axum::Json(json!({"help": help, "success": true, "result": result})),
    )
        .into_response()
}

/// `{"help", "success": false, "error"}` with the error's status (and `Retry-After`).
pub fn failure(help: String, e: &CkanError) -> Response {
    if let CkanError::Internal(m) = e {
        tracing::error!(error = %m, "CKAN action failed");
    }
    let mut resp = (
        e.status(),
        axum::Json(json!({"help": help, "success": false, "error": e.body()})),
    )
        .into_response();
    if let CkanError::RateLimited { retry_after, .. } = e {
        if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    resp
}

impl From<OpenError> for CkanError {
    fn from(e: OpenError) -> Self {
        match e {
            OpenError::Invalid { field, message } => CkanError::invalid(field, message),
            OpenError::NotFound(what) => CkanError::NotFound(format!("{what} not found")),
            OpenError::Forbidden(m) | OpenError::Unauthenticated(m) => CkanError::Authorization(m),
            OpenError::Conflict(m) | OpenError::TooLarge(m) => CkanError::Validation {
                message: m,
                fields: Vec::new(),
            },
            OpenError::RateLimited { limit, retry_after } => CkanError::RateLimited {
                message: OpenError::RateLimited { limit, retry_after }.to_string(),
                retry_after,
            },
            OpenError::Sql(m) => CkanError::invalid("query", m),
            OpenError::Exchange(x) => x.into(),
            OpenError::Lake(l) => l.into(),
            OpenError::Catalog(c) => match c {
                zhengshu_catalog::CatalogError::NotFound(what) => {
                    CkanError::NotFound(format!("data resource `{what}` not found"))
                }
                zhengshu_catalog::CatalogError::Invalid(errors) => CkanError::Validation {
                    message: errors
                        .iter()
                        .map(|f| format!("{}: {}", f.field, f.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                    fields: errors.into_iter().map(|f| (f.field, f.message)).collect(),
                },
                other => CkanError::Internal(other.to_string()),
            },
            OpenError::Auth(a) => CkanError::Internal(a.to_string()),
            OpenError::Db(d) => CkanError::Internal(d.to_string()),
        }
    }
}

impl From<ExchangeError> for CkanError {
    fn from(e: ExchangeError) -> Self {
        match e {
            ExchangeError::Invalid { field, message } => CkanError::invalid(field, message),
            ExchangeError::NotFound(what) => CkanError::NotFound(format!("{what} not found")),
            ExchangeError::Forbidden(m) | ExchangeError::Unauthenticated(m) => {
                CkanError::Authorization(m)
            }
            ExchangeError::Conflict(m) => CkanError::Validation {
                message: m,
                fields: Vec::new(),
            },
            ExchangeError::RateLimited { retry_after, .. } => CkanError::RateLimited {
                message: e.to_string(),
                retry_after,
            },
            ExchangeError::Sql(m) => CkanError::invalid("query", m),
            ExchangeError::Lake(l) => l.into(),
            other => CkanError::Internal(other.to_string()),
        }
    }
}

impl From<LakeError> for CkanError {
    fn from(e: LakeError) -> Self {
        match e {
            LakeError::NotFound(what) => CkanError::NotFound(format!("{what} not found")),
            LakeError::Invalid(errors) => CkanError::Validation {
                message: errors
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; "),
                fields: errors.into_iter().map(|f| (f.field, f.message)).collect(),
            },
            LakeError::Forbidden(m) => CkanError::Authorization(m),
            LakeError::Conflict(m) => CkanError::Validation {
                message: m,
                fields: Vec::new(),
            },
            LakeError::Sql(m) => CkanError::invalid("query", m),
            other => CkanError::Internal(other.to_string()),
        }
    }
}

impl From<zhengshu_lake::deltalake::datafusion::error::DataFusionError> for CkanError {
    /// A query over a dataset that the engine refused: the caller's input (a value, a
    /// limit reached), not the server's fault.
    fn from(e: zhengshu_lake::deltalake::datafusion::error::DataFusionError) -> Self {
        CkanError::invalid("query", e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_carry_fields_and_a_message() {
        let e = CkanError::invalid("rows", "at most 1000");
        let b = e.body();
        assert_eq!(b["__type"], "Validation Error");
        assert_eq!(b["rows"], json!(["at most 1000"]));
        assert_eq!(b["message"], "rows: at most 1000");
        assert_eq!(e.status(), StatusCode::CONFLICT);
    }

    #[test]
    fn types_and_statuses_are_ckans() {
        let cases = [
            (CkanError::NotFound("x".into()), "Not Found Error", 404),
            (
                CkanError::Authorization("x".into()),
                "Authorization Error",
                403,
            ),
            (CkanError::BadRequest("x".into()), "Bad Request", 400),
            (
                CkanError::RateLimited {
                    message: "x".into(),
                    retry_after: 3,
                },
                "Rate Limit Error",
                429,
            ),
        ];
        for (e, ty, status) in cases {
            assert_eq!(e.body()["__type"], ty);
            assert_eq!(e.status().as_u16(), status);
        }
        assert_eq!(
            CkanError::BadRequest("Action name not known: foo".into()).body()["message"],
            "Bad request - Action name not known: foo"
        );
    }

    #[test]
    fn open_errors_map_to_ckan_types() {
        let e: CkanError = OpenError::Unauthenticated("sign in".into()).into();
        assert_eq!(e.status(), StatusCode::FORBIDDEN);
        let e: CkanError = OpenError::NotFound("dataset `x`".into()).into();
        assert_eq!(e.status(), StatusCode::NOT_FOUND);
        let e: CkanError = OpenError::Sql("INSERT is not allowed".into()).into();
        assert_eq!(e.status(), StatusCode::CONFLICT);
        assert_eq!(e.body()["query"][0], "INSERT is not allowed");
        let e: CkanError = OpenError::RateLimited {
            limit: 10,
            retry_after: 7,
        }
        .into();
        assert_eq!(
            e,
            CkanError::RateLimited {
                message: "rate limit of 10 calls per minute reached; retry after 7 s".into(),
                retry_after: 7
            }
        );
    }
}
