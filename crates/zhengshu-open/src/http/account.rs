//! A member of the public on the portal: registration, applications for conditionally
//! opened datasets, and app keys.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zhengshu_auth::{random_secret, session, users, AuthError, Role};
use zhengshu_http::{
    cookie, perm, read_cookie, render, ApiError, ApiForm, AuthState, Authorized, Chrome, Lang,
    MaybePrincipal, Principal, CSRF_COOKIE, SESSION_COOKIE,
};

use crate::model::{AppKey, AppStatus, Application, NewApplication};
use crate::service;
use crate::{OpenError, OpenState};

pub(crate) fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

#[derive(Template)]
#[template(path = "open/register.html")]
struct RegisterPage {
    chrome: Chrome,
    csrf: String,
    username: String,
    display_name: String,
    error: Option<String>,
}

/// The registration form (with the pre-session CSRF cookie, as the login form has).
pub async fn register_page(
    State(auth): State<AuthState>,
    lang: Lang,
    MaybePrincipal(p): MaybePrincipal,
    headers: axum::http::HeaderMap,
) -> Response {
    if p.is_some() {
        return see_other("/open/account");
    }
    let existing = read_cookie(&headers, CSRF_COOKIE).filter(|c| c.len() >= 32);
    let csrf = existing.clone().unwrap_or_else(|| random_secret(32));
    let mut resp = render(&RegisterPage {
        chrome: Chrome::portal(lang, "/open/register", None),
        csrf: csrf.clone(),
        username: String::new(),
        display_name: String::new(),
        error: None,
    });
    if existing.is_none() {
        if let Ok(v) = cookie(CSRF_COOKIE, &csrf, None, auth.secure_cookies).parse() {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

#[derive(Debug, Deserialize)]
pub struct RegisterForm {
    username: String,
    display_name: String,
    password: String,
    password2: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

/// Creates a registered user (role 注册用户, no unit, no console) and signs them in.
pub async fn register(
    State(auth): State<AuthState>,
    lang: Lang,
    ApiForm(f): ApiForm<RegisterForm>,
) -> Response {
    let en = lang == Lang::En;
    let fail = |status: StatusCode, msg: String, f: &RegisterForm| {
        (
            status,
            render(&RegisterPage {
                chrome: Chrome::portal(lang, "/open/register", None),
                csrf: f.csrf.clone(),
                username: f.username.clone(),
                display_name: f.display_name.clone(),
                error: Some(msg),
            }),
        )
            .into_response()
    };
    if f.password != f.password2 {
        let msg = if en {
            "The two passwords differ."
        } else {
            "两次输入的密码不一致。"
        };
        return fail(StatusCode::UNPROCESSABLE_ENTITY, msg.into(), &f);
    }
    let now = auth.clock.now();
    let created = users::create(
        &auth.db,
        &users::NewUser {
            username: f.username.trim().to_string(),
            display_name: f.display_name.trim().to_string(),
            unit_id: None,
            roles: vec![Role::PublicUser],
            password: f.password.clone(),
        },
        &zhengshu_db::ts(now),
    )
    .await;
    match created {
        Ok(_) => {}
        Err(e @ (AuthError::Invalid { .. } | AuthError::Duplicate { .. })) => {
            let msg = match &e {
                AuthError::Duplicate { .. } if !en => "该用户名已被使用，请换一个。".to_string(),
                _ => e.to_string(),
            };
            return fail(StatusCode::UNPROCESSABLE_ENTITY, msg, &f);
        }
        Err(e) => return ApiError::from(e).into_response(),
    }
    match session::login(&auth.db, &auth.policy, &f.username, &f.password, now).await {
        Ok((s, _)) => {
            let mut resp = see_other("/open/account");
            let max_age = (s.expires_at - now).num_seconds();
            if let Ok(v) =
                cookie(SESSION_COOKIE, &s.token, Some(max_age), auth.secure_cookies).parse()
            {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            resp
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "open/account.html")]
struct AccountPage {
    chrome: Chrome,
    apps: Vec<Application>,
    keys: Vec<AppKey>,
    today: String,
    new_key: Option<String>,
    message: Option<String>,
    error: Option<String>,
}

impl AccountPage {
    fn status_label(&self, s: &AppStatus) -> &'static str {
        if self.chrome.is_en() {
            s.label_en()
        } else {
            s.label_zh()
        }
    }

    fn badge(&self, a: &Application) -> &'static str {
        match a.status {
            AppStatus::Approved if a.is_active(&self.today) => "ok",
            AppStatus::Pending => "warn",
            AppStatus::Rejected | AppStatus::Revoked => "danger",
            _ => "",
        }
    }
}

async fn account_page(
    st: &OpenState,
    p: &Principal,
    lang: Lang,
    new_key: Option<String>,
    message: Option<String>,
    error: Option<String>,
) -> Result<Response, ApiError> {
    let apps = service::my_applications(st, p.user.id).await?;
    let keys = crate::store::keys(&st.db, p.user.id).await?;
    Ok(render(&AccountPage {
        chrome: Chrome::portal(lang, "/open/account", Some(p)),
        apps,
        keys,
        today: service::today_s(st),
        new_key,
        message,
        error,
    }))
}

/// The applicant's page: applications, their state and reasons, app keys.
pub async fn account(
    State(st): State<OpenState>,
    who: Authorized<perm::OpenApply>,
    lang: Lang,
) -> Result<Response, ApiError> {
    account_page(&st, &who, lang, None, None, None).await
}

#[derive(Debug, Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    contact: String,
}

/// Applies for a conditionally opened dataset.
pub async fn apply(
    State(st): State<OpenState>,
    who: Authorized<perm::OpenApply>,
    lang: Lang,
    Path(code): Path<String>,
    ApiForm(f): ApiForm<ApplyForm>,
) -> Result<Response, ApiError> {
    let new = NewApplication {
        dataset: code,
        purpose: f.purpose,
        organisation: f.organisation,
        contact: f.contact,
    };
    match service::apply(&st, who.user.id, &new).await {
        Ok(a) => {
            let msg = if lang == Lang::En {
                format!(
                    "Application {} for {} is submitted; the provider decides by {}.",
                    a.id, a.resource_name, a.due_date
                )
            } else {
                format!(
                    "已提交对“{}”的开放申请（编号 {}），提供单位将在 {} 前答复。",
                    a.resource_name, a.id, a.due_date
                )
            };
            let mut resp = account_page(&st, &who, lang, None, Some(msg), None).await?;
            *resp.status_mut() = StatusCode::CREATED;
            Ok(resp)
        }
        Err(e @ (OpenError::Invalid { .. } | OpenError::Conflict(_))) => {
            let mut resp = account_page(&st, &who, lang, None, None, Some(e.to_string())).await?;
            *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(resp)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct KeyForm {
    #[serde(default)]
    name: String,
}

/// Issues an app key; the page shows its secret once.
pub async fn create_key(
    State(st): State<OpenState>,
    who: Authorized<perm::OpenApply>,
    lang: Lang,
    ApiForm(f): ApiForm<KeyForm>,
) -> Result<Response, ApiError> {
    match service::create_key(&st, who.user.id, &f.name).await {
        Ok((_, secret)) => account_page(&st, &who, lang, Some(secret), None, None).await,
        Err(e @ (OpenError::Invalid { .. } | OpenError::Conflict(_))) => {
            let mut resp = account_page(&st, &who, lang, None, None, Some(e.to_string())).await?;
            *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(resp)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke_key(
    State(st): State<OpenState>,
    who: Authorized<perm::OpenApply>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    service::revoke_key(&st, who.user.id, id).await?;
    Ok(see_other("/open/account"))
}

pub async fn withdraw(
    State(st): State<OpenState>,
    who: Authorized<perm::OpenApply>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    service::withdraw(&st, who.user.id, id).await?;
    Ok(see_other("/open/account"))
}
