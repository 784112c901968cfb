use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zhengshu_auth::{users, NewUser, Permission, Role, Unit, User};
use zhengshu_http::{perm, render, ApiError, ApiForm, Authorized, Chrome, Lang};

use super::see_other;
use crate::api::users::{check_grant, visible_unit};
use crate::WebState;

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<User>,
    units: Vec<Unit>,
    roles: Vec<Role>,
    can_write: bool,
    error: Option<String>,
    ok: Option<String>,
}

impl UsersPage {
    fn role_label(&self, r: &Role) -> &'static str {
        if self.chrome.is_en() {
            r.label_en()
        } else {
            r.label_zh()
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct OkParam {
    ok: Option<String>,
}

async fn page(
    a: &Authorized<impl Send + Sync>,
    lang: Lang,
    s: &WebState,
    error: Option<String>,
    ok: Option<String>,
) -> Result<Response, ApiError> {
    let list = users::list(&s.db, visible_unit(a, None)).await?;
    let units = zhengshu_auth::units::list(&s.db, &Default::default()).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let p = UsersPage {
        chrome: Chrome::console(a, lang, "/console/users"),
        users: list,
        units,
        roles: Role::ALL.to_vec(),
        can_write: a.can(Permission::UsersWrite),
        error,
        ok,
    };
    Ok((status, render(&p)).into_response())
}

pub(crate) async fn list(
    a: Authorized<perm::UsersRead>,
    lang: Lang,
    State(s): State<WebState>,
    Query(q): Query<OkParam>,
) -> Result<Response, ApiError> {
    page(&a, lang, &s, None, q.ok).await
}

/// The create-user form: roles arrive as repeated `role` fields.
#[derive(Debug, Deserialize)]
pub(crate) struct UserForm {
    username: String,
    display_name: String,
    #[serde(default)]
    unit_id: String,
    password: String,
    #[serde(default)]
    roles: String,
}

pub(crate) async fn create(
    a: Authorized<perm::UsersWrite>,
    lang: Lang,
    State(s): State<WebState>,
    ApiForm(f): ApiForm<UserForm>,
) -> Result<Response, ApiError> {
    let roles: Vec<Role> = f.roles.split([',', ' ']).filter_map(Role::parse).collect();
    let unit_id = f.unit_id.trim().parse::<i64>().ok();
    let new = NewUser {
        username: f.username,
        display_name: f.display_name,
        unit_id,
        roles,
        password: f.password,
    };
    if let Err(e) = check_grant(&a, &new) {
        return page(&a, lang, &s, Some(e.message), None).await;
    }
    match users::create(&s.db, &new, &zhengshu_db::ts(s.clock.now())).await {
        Ok(u) => Ok(see_other(&format!("/console/users?ok={}", u.username))),
        Err(
            e @ (zhengshu_auth::AuthError::Invalid { .. }
            | zhengshu_auth::AuthError::Duplicate { .. }),
        ) => page(&a, lang, &s, Some(e.to_string()), None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "roles.html")]
struct RolesPage {
    chrome: Chrome,
    roles: Vec<Role>,
    permissions: Vec<Permission>,
}

impl RolesPage {
    fn role_label(&self, r: &Role) -> &'static str {
        if self.chrome.is_en() {
            r.label_en()
        } else {
            r.label_zh()
        }
    }
    fn grants(&self, r: &Role, p: &Permission) -> bool {
        r.permissions().contains(p)
    }
}

pub(crate) async fn roles(a: Authorized<perm::ConsoleAccess>, lang: Lang) -> Response {
    render(&RolesPage {
        chrome: Chrome::console(&a, lang, "/console/roles"),
        roles: Role::ALL.to_vec(),
        permissions: Permission::ALL.to_vec(),
    })
}
