//! The foundation's JSON API under `/api/v1`.

pub(crate) mod calendar;
mod tokens;
mod units;
pub(crate) mod users;

use axum::extract::State;
use axum::routing::{delete, get, post};
use axum::Router;
use serde::Serialize;
use utoipa::OpenApi;
use zhengshu_auth::{Permission, Role, User};
use zhengshu_http::{perm, ApiError, ApiJson, Authorized, RouteSpec};

use crate::{figures, AppState, WebState};

#[derive(OpenApi)]
#[openapi(
    info(title = "zhengshu API", description = "政数 — district digital-government platform. JSON errors use one envelope: {\"error\": {\"code\", \"message\"}}."),
    paths(
        me, dashboard,
        units::list, units::create, units::show, units::import,
        users::list, users::create,
        tokens::list, tokens::create, tokens::revoke,
        calendar::days, calendar::add_day, calendar::working_days,
    ),
    components(schemas(Me, figures::Figures, figures::LevelCount, zhengshu_auth::Unit, zhengshu_auth::NewUnit,
        zhengshu_auth::UnitLevel, zhengshu_auth::User, zhengshu_auth::NewUser, zhengshu_auth::Role, zhengshu_auth::Permission,
        zhengshu_auth::ApiToken, zhengshu_auth::NewToken, zhengshu_auth::units::ImportReport, zhengshu_auth::units::RowError,
        tokens::CreatedToken, calendar::DayOut, calendar::NewDay, calendar::WorkingDaysOut)),
    modifiers(&BearerAuth),
    tags((name = "platform", description = "Units, users, tokens, calendar"))
)]
pub(crate) struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub(crate) const ROUTE_SPECS: &[RouteSpec] = &[
    RouteSpec::new("GET", "/api/v1/me", Some(Permission::ConsoleAccess)),
    RouteSpec::new("GET", "/api/v1/dashboard", Some(Permission::ConsoleAccess)),
    RouteSpec::new("GET", "/api/v1/units", Some(Permission::UnitsRead)),
    RouteSpec::new("POST", "/api/v1/units", Some(Permission::UnitsWrite)),
    RouteSpec::new("GET", "/api/v1/units/1", Some(Permission::UnitsRead)),
    RouteSpec::new("POST", "/api/v1/units/import", Some(Permission::UnitsWrite)),
    RouteSpec::new("GET", "/api/v1/users", Some(Permission::UsersRead)),
    RouteSpec::new("POST", "/api/v1/users", Some(Permission::UsersWrite)),
    RouteSpec::new("GET", "/api/v1/tokens", Some(Permission::ConsoleAccess)),
    RouteSpec::new("POST", "/api/v1/tokens", Some(Permission::ConsoleAccess)),
    RouteSpec::new(
        "DELETE",
        "/api/v1/tokens/999999",
        Some(Permission::ConsoleAccess),
    ),
    RouteSpec::new(
        "GET",
        "/api/v1/calendar/days",
        Some(Permission::ConsoleAccess),
    ),
    RouteSpec::new(
        "POST",
        "/api/v1/calendar/days",
        Some(Permission::CalendarWrite),
    ),
    RouteSpec::new(
        "GET",
        "/api/v1/calendar/working-days?from=2026-01-01&days=5",
        Some(Permission::ConsoleAccess),
    ),
];

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me", get(me))
        .route("/api/v1/dashboard", get(dashboard))
        .route("/api/v1/units", get(units::list).post(units::create))
        .route("/api/v1/units/import", post(units::import))
        .route("/api/v1/units/{id}", get(units::show))
        .route("/api/v1/users", get(users::list).post(users::create))
        .route("/api/v1/tokens", get(tokens::list).post(tokens::create))
        .route("/api/v1/tokens/{id}", delete(tokens::revoke))
        .route(
            "/api/v1/calendar/days",
            get(calendar::days).post(calendar::add_day),
        )
        .route("/api/v1/calendar/working-days", get(calendar::working_days))
}

/// The caller and what they may do.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct Me {
    user: User,
    roles: Vec<Role>,
    permissions: Vec<Permission>,
}

/// Who am I.
#[utoipa::path(get, path = "/api/v1/me", tag = "platform", security(("token" = [])),
    responses((status = 200, body = Me), (status = 401, description = "not logged in")))]
pub(crate) async fn me(auth: Authorized<perm::ConsoleAccess>) -> ApiJson<Me> {
    let p = auth.principal;
    ApiJson(Me {
        roles: p.user.roles.clone(),
        permissions: p.permissions.clone(),
        user: p.user,
    })
}

/// The platform's headline figures.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "platform", security(("token" = [])),
    responses((status = 200, body = figures::Figures)))]
pub(crate) async fn dashboard(
    _auth: Authorized<perm::ConsoleAccess>,
    State(s): State<WebState>,
) -> Result<ApiJson<figures::Figures>, ApiError> {
    Ok(ApiJson(figures::load(&s).await?))
}
