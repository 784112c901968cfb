#![doc = include_str!("../README.md")]

mod chrome;
mod error;
mod extract;
mod guard;
pub mod perm;

pub use chrome::{render, Area, Chrome, Lang, NavItem, LANG_COOKIE};
pub use error::ApiError;
pub use extract::{is_login_page, ApiForm, ApiJson, Authorized, MaybePrincipal, Principal, Via};
pub use guard::{guard, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE};

use std::sync::Arc;

use zhengshu_auth::LoginPolicy;
use zhengshu_core::clock::SharedClock;
use zhengshu_db::Db;

/// What the auth extractors need from the app state (`AuthState: FromRef<S>`).
#[derive(Clone, Debug)]
pub struct AuthState {
    pub db: Db,
    pub clock: SharedClock,
    pub policy: Arc<LoginPolicy>,
    /// Mark cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
}

/// Builds a `Set-Cookie` value: HttpOnly, SameSite=Lax, path `/`.
pub fn cookie(name: &str, value: &str, max_age_secs: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age_secs {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// Reads one cookie from the request headers.
pub fn read_cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// One route as the permission-matrix test walks it: every module lists its routes with
/// an example path (ids filled in) and the permission its handler asks for (`None` =
/// public). The test signs in with every role and checks allowed/denied.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    /// A concrete path, e.g. `/api/v1/units/1`.
    pub path: &'static str,
    pub permission: Option<zhengshu_auth::Permission>,
    /// Only a data-application scenario's token (`zsx_…`) is accepted: no user, whatever
    /// their roles (the share API; its grant states are tested in the exchange's suite).
    pub scenario_only: bool,
}

impl RouteSpec {
    pub const fn new(
        method: &'static str,
        path: &'static str,
        permission: Option<zhengshu_auth::Permission>,
    ) -> Self {
        RouteSpec {
            method,
            path,
            permission,
            scenario_only: false,
        }
    }

    /// A route for scenario tokens only.
    pub const fn scenario(method: &'static str, path: &'static str) -> Self {
        RouteSpec {
            method,
            path,
            permission: None,
            scenario_only: true,
        }
    }
}
