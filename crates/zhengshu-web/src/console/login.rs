use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zhengshu_auth::{random_secret, session, AuthError};
use zhengshu_http::{
    cookie, read_cookie, render, ApiForm, AuthState, Chrome, Lang, MaybePrincipal, CSRF_COOKIE,
    SESSION_COOKIE,
};

use super::see_other;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    csrf: String,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct NextParam {
    next: Option<String>,
}

/// Only local console and open-data portal paths are followed after login (no open
/// redirects).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if (n.starts_with("/console") || n.starts_with("/open"))
                && !n.starts_with("//")
                && !n.contains("://") =>
        {
            n.to_string()
        }
        _ => "/console".to_string(),
    }
}

/// Where a user goes after login: `next`, except that a registered member of the public
/// (no console) goes to their open-data account instead of a console page.
fn landing(next: Option<&str>, roles: &[zhengshu_auth::Role]) -> String {
    let to = safe_next(next);
    let console = zhengshu_auth::role::permissions_of(roles)
        .contains(&zhengshu_auth::Permission::ConsoleAccess);
    if to.starts_with("/console") && !console {
        "/open/account".to_string()
    } else {
        to
    }
}

pub(crate) async fn form(
    State(auth): State<AuthState>,
    lang: Lang,
    MaybePrincipal(p): MaybePrincipal,
    headers: axum::http::HeaderMap,
    Query(q): Query<NextParam>,
) -> Response {
    if let Some(p) = p {
        return see_other(&landing(q.next.as_deref(), &p.user.roles));
    }
    let existing = read_cookie(&headers, CSRF_COOKIE).filter(|c| c.len() >= 32);
    let csrf = existing.clone().unwrap_or_else(|| random_secret(32));
    let page = LoginPage {
        chrome: Chrome::portal(lang, "/console/login", None),
        csrf: csrf.clone(),
        next: safe_next(q.next.as_deref()),
        username: String::new(),
        error: None,
    };
    let mut resp = render(&page);
    if existing.is_none() {
        if let Ok(v) = cookie(CSRF_COOKIE, &csrf, None, auth.secure_cookies).parse() {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub(crate) async fn submit(
    State(auth): State<AuthState>,
    lang: Lang,
    ApiForm(f): ApiForm<LoginForm>,
) -> Response {
    let now = auth.clock.now();
    match session::login(&auth.db, &auth.policy, &f.username, &f.password, now).await {
        Ok((s, user)) => {
            let max_age = (s.expires_at - now).num_seconds();
            let mut resp = see_other(&landing(f.next.as_deref(), &user.roles));
            if let Ok(v) =
                cookie(SESSION_COOKIE, &s.token, Some(max_age), auth.secure_cookies).parse()
            {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            resp
        }
        Err(e) => {
            let (status, msg) = match &e {
                AuthError::BadCredentials => (
                    StatusCode::UNAUTHORIZED,
                    if lang == Lang::En {
                        "Wrong username or password.".to_string()
                    } else {
                        "用户名或密码错误。".to_string()
                    },
                ),
                AuthError::Locked { until } => (
                    StatusCode::LOCKED,
                    if lang == Lang::En {
                        format!("Too many failed logins: the account is locked until {until}.")
                    } else {
                        format!("连续登录失败次数过多，账号已锁定至 {until}。")
                    },
                ),
                AuthError::Disabled => (
                    StatusCode::FORBIDDEN,
                    if lang == Lang::En {
                        "This account is disabled.".to_string()
                    } else {
                        "该账号已停用。".to_string()
                    },
                ),
                other => {
                    tracing::error!(error = %other, "login failed");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "internal error".to_string(),
                    )
                }
            };
            let page = LoginPage {
                chrome: Chrome::portal(lang, "/console/login", None),
                csrf: f.csrf,
                next: safe_next(f.next.as_deref()),
                username: f.username,
                error: Some(msg),
            };
            (status, render(&page)).into_response()
        }
    }
}

pub(crate) async fn logout(
    State(auth): State<AuthState>,
    headers: axum::http::HeaderMap,
) -> Response {
    if let Some(token) = read_cookie(&headers, SESSION_COOKIE) {
        if let Err(e) = session::logout(&auth.db, &token).await {
            tracing::warn!(error = %e, "logout failed");
        }
    }
    let mut resp = see_other("/console/login");
    if let Ok(v) = cookie(SESSION_COOKIE, "", Some(0), auth.secure_cookies).parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_is_local_only() {
        assert_eq!(super::safe_next(Some("/console/units")), "/console/units");
        assert_eq!(super::safe_next(Some("https://evil.example/")), "/console");
        assert_eq!(super::safe_next(Some("//evil.example")), "/console");
        assert_eq!(super::safe_next(None), "/console");
        assert_eq!(super::safe_next(Some("/open/account")), "/open/account");
        assert_eq!(
            super::landing(None, &[zhengshu_auth::Role::PublicUser]),
            "/open/account"
        );
        assert_eq!(
            super::landing(Some("/console/units"), &[zhengshu_auth::Role::UnitAdmin]),
            "/console/units"
        );
    }
}
