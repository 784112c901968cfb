//! The request guard: resolves the caller once, and enforces CSRF on every
//! state-changing console or API request made with a browser session.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::extract::Resolved;
use crate::{read_cookie, ApiError, AuthState, Principal, Via};

/// The session cookie.
pub const SESSION_COOKIE: &str = "zs_session";
/// The pre-session CSRF cookie (double-submit, for the login form).
pub const CSRF_COOKIE: &str = "zs_csrf";
/// The header scripts (htmx, fetch) send the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Forms are buffered to read `_csrf`; larger bodies must send the header instead.
const MAX_FORM_BYTES: usize = 4 * 1024 * 1024;

/// Middleware: `axum::middleware::from_fn_with_state(auth_state, guard)`.
pub async fn guard(State(state): State<AuthState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let resolved = Principal::resolve(&state, &parts.headers)
        .await
        .map_err(ApiError::from);
    let path = parts.uri.path();
    let changes_state = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    // The open-data portal's forms (registration, applications) are protected like the
    // console's; its CKAN API (`/api/3/action`, `/api/action`) is not a session surface.
    let staff_surface =
        path.starts_with("/console") || path.starts_with("/api/v1") || path.starts_with("/open/");
    let mut body = body;
    // Bearer tokens are not ambient credentials (a browser never adds them by itself), so
    // a request that carries a scenario token needs no CSRF token.
    let scenario_token = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            zhengshu_auth::token::is_module_key(v.strip_prefix("Bearer ").unwrap_or(v))
        });
    if changes_state && staff_surface && !scenario_token {
        let expected = match &resolved {
            Ok(Some(Principal {
                via: Via::Token { .. },
                ..
            })) => None,
            Ok(Some(Principal {
                via: Via::Session { csrf },
                ..
            })) => Some(Some(csrf.clone())),
            // No caller. A form post (the login form) must carry the pre-session
            // double-submit token; a program's request to the API that holds no
            // credential at all has nothing a forger could ride on, so it goes on to the
            // handler and gets its 401 with what to send.
            _ if path.starts_with("/api/")
                && read_cookie(&parts.headers, SESSION_COOKIE).is_none() =>
            {
                None
            }
            _ => Some(read_cookie(&parts.headers, CSRF_COOKIE)),
        };
        if let Some(expected) = expected {
            let mut provided = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
                .or_else(|| parts.uri.query().and_then(|q| form_value(q, "_csrf")));
            let is_form = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
            if provided.is_none() && is_form {
                let bytes = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
                    Ok(b) => b,
                    Err(_) => {
                        return ApiError::too_large("the form is larger than the server accepts")
                            .into_response()
                    }
                };
                provided = std::str::from_utf8(&bytes)
                    .ok()
                    .and_then(|s| form_value(s, "_csrf"));
                body = Body::from(bytes);
            }
            let ok = matches!((&expected, &provided), (Some(e), Some(p)) if !e.is_empty() && ct_eq(e, p));
            if !ok {
                return ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf_failed",
                    "missing or wrong CSRF token: reload the page and submit again (scripts send the `X-CSRF-Token` header; programs use an API token)",
                )
                .into_response();
            }
        }
    }
    parts.extensions.insert(Resolved(resolved));
    next.run(Request::from_parts(parts, body)).await
}

/// Reads a field of an urlencoded string (the values compared here are alphanumeric).
fn form_value(s: &str, key: &str) -> Option<String> {
    s.split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.to_string())
}

fn ct_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_form_fields_and_compares() {
        assert_eq!(form_value("a=1&_csrf=xyz&b=2", "_csrf"), Some("xyz".into()));
        assert_eq!(form_value("a=1", "_csrf"), None);
        assert!(ct_eq("abc", "abc"));
        assert!(!ct_eq("abc", "abd"));
        assert!(!ct_eq("abc", "ab"));
    }
}
