//! The foundation's console pages: login, dashboard, units, users, roles, tokens,
//! calendar.

mod calendar;
mod dashboard;
mod login;
mod tokens;
mod units;
mod users;

use axum::routing::{get, post};
use axum::Router;
use zhengshu_auth::Permission;
use zhengshu_http::RouteSpec;

use crate::AppState;

pub(crate) const ROUTE_SPECS: &[RouteSpec] = &[
    RouteSpec::new("GET", "/console/login", None),
    RouteSpec::new("GET", "/console", Some(Permission::ConsoleAccess)),
    RouteSpec::new("GET", "/console/units", Some(Permission::UnitsRead)),
    RouteSpec::new("POST", "/console/units", Some(Permission::UnitsWrite)),
    RouteSpec::new("GET", "/console/units/1", Some(Permission::UnitsRead)),
    RouteSpec::new(
        "POST",
        "/console/units/import",
        Some(Permission::UnitsWrite),
    ),
    RouteSpec::new("GET", "/console/users", Some(Permission::UsersRead)),
    RouteSpec::new("POST", "/console/users", Some(Permission::UsersWrite)),
    RouteSpec::new("GET", "/console/roles", Some(Permission::ConsoleAccess)),
    RouteSpec::new("GET", "/console/tokens", Some(Permission::ConsoleAccess)),
    RouteSpec::new("POST", "/console/tokens", Some(Permission::ConsoleAccess)),
    RouteSpec::new(
        "POST",
        "/console/tokens/999999/revoke",
        Some(Permission::ConsoleAccess),
    ),
    RouteSpec::new("GET", "/console/calendar", Some(Permission::ConsoleAccess)),
    RouteSpec::new("POST", "/console/calendar", Some(Permission::CalendarWrite)),
];

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/login", get(login::form).post(login::submit))
        .route("/console/logout", post(login::logout))
        .route("/console", get(dashboard::page))
        .route("/console/units", get(units::list).post(units::create))
        .route("/console/units/import", post(units::import))
        .route("/console/units/{id}", get(units::show))
        .route("/console/users", get(users::list).post(users::create))
        .route("/console/roles", get(users::roles))
        .route("/console/tokens", get(tokens::list).post(tokens::create))
        .route("/console/tokens/{id}/revoke", post(tokens::revoke))
        .route("/console/calendar", get(calendar::page).post(calendar::add))
}

/// A see-other redirect after a successful form post.
pub(crate) fn see_other(to: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        axum::http::StatusCode::SEE_OTHER,
        [(axum::http::header::LOCATION, to.to_string())],
    )
        .into_response()
}
