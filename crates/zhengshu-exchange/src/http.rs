//! The exchange's HTTP surface: the management API under `/api/v1/share/…` (users), the
//! share API itself (`/api/v1/share/tables`, `/api/v1/share/{resource}/rows`,
//! `/api/v1/share/sql`, scenario tokens only) and console pages under `/console/share`.

pub mod api;
pub mod data;
mod pages;

use axum::extract::FromRef;
use axum::routing::{get, post};
use axum::Router;
use zhengshu_auth::Permission;
use zhengshu_http::{AuthState, RouteSpec};

use crate::ExchangeState;

/// The exchange routes, for any app state that provides [`AuthState`] and [`ExchangeState`].
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AuthState: FromRef<S>,
    ExchangeState: FromRef<S>,
{
    Router::new()
        .route(
            "/api/v1/share/scenarios",
            get(api::list_scenarios).post(api::register),
        )
        .route("/api/v1/share/scenarios/{id}", get(api::show_scenario))
        .route(
            "/api/v1/share/scenarios/{id}/status",
            post(api::scenario_status),
        )
        .route(
            "/api/v1/share/scenarios/{id}/requests",
            post(api::request_access),
        )
        .route(
            "/api/v1/share/scenarios/{id}/tokens",
            get(api::list_tokens).post(api::create_token),
        )
        .route("/api/v1/share/tokens/{id}/revoke", post(api::revoke_token))
        .route("/api/v1/share/requests", get(api::list_requests))
        .route("/api/v1/share/requests/{id}", get(api::show_request))
        .route("/api/v1/share/requests/{id}/decision", post(api::decide))
        .route("/api/v1/share/requests/{id}/withdraw", post(api::withdraw))
        .route("/api/v1/share/grants", get(api::list_grants))
        .route("/api/v1/share/grants/{id}/revoke", post(api::revoke_grant))
        .route("/api/v1/share/usage", get(api::usage))
        .route("/api/v1/share/audit", get(api::audit_recent))
        .route("/api/v1/share/audit/verify", get(api::audit_verify))
        .route(
            "/api/v1/share/settings",
            get(api::get_settings).put(api::put_settings),
        )
        .route("/api/v1/share/tables", get(data::tables))
        .route("/api/v1/share/sql", post(data::sql))
        .route("/api/v1/share/{resource}/rows", get(data::rows))
        .route("/console/share", get(pages::index))
        .route(
            "/console/share/scenarios",
            get(pages::new_scenario).post(pages::create_scenario),
        )
        .route("/console/share/scenarios/{id}", get(pages::scenario))
        .route(
            "/console/share/scenarios/{id}/requests",
            post(pages::request_access),
        )
        .route(
            "/console/share/scenarios/{id}/tokens",
            post(pages::create_token),
        )
        .route(
            "/console/share/tokens/{id}/revoke",
            post(pages::revoke_token),
        )
        .route("/console/share/requests/{id}", get(pages::request))
        .route("/console/share/requests/{id}/decision", post(pages::decide))
        .route(
            "/console/share/grants/{id}/revoke",
            post(pages::revoke_grant),
        )
        .route("/console/share/usage", get(pages::usage))
        .route("/console/share/settings", post(pages::settings))
}

const R: Option<Permission> = Some(Permission::ShareRead);
const Q: Option<Permission> = Some(Permission::ShareRequest);
const V: Option<Permission> = Some(Permission::ShareReview);
const A: Option<Permission> = Some(Permission::ShareAdmin);

/// Every route with an example path and the permission it needs.
pub const ROUTE_SPECS: &[RouteSpec] = &[
    RouteSpec::new("GET", "/api/v1/share/scenarios", R),
    RouteSpec::new("POST", "/api/v1/share/scenarios", Q),
    RouteSpec::new("GET", "/api/v1/share/scenarios/1", R),
    RouteSpec::new("POST", "/api/v1/share/scenarios/1/status", A),
    RouteSpec::new("POST", "/api/v1/share/scenarios/1/requests", Q),
    RouteSpec::new("GET", "/api/v1/share/scenarios/1/tokens", Q),
    RouteSpec::new("POST", "/api/v1/share/scenarios/1/tokens", Q),
    RouteSpec::new("POST", "/api/v1/share/tokens/1/revoke", Q),
    RouteSpec::new("GET", "/api/v1/share/requests", R),
    RouteSpec::new("GET", "/api/v1/share/requests/1", R),
    RouteSpec::new("POST", "/api/v1/share/requests/1/decision", V),
    RouteSpec::new("POST", "/api/v1/share/requests/1/withdraw", Q),
    RouteSpec::new("GET", "/api/v1/share/grants", R),
    RouteSpec::new("POST", "/api/v1/share/grants/1/revoke", R),
    RouteSpec::new("GET", "/api/v1/share/usage", R),
    RouteSpec::new("GET", "/api/v1/share/audit", A),
    RouteSpec::new("GET", "/api/v1/share/audit/verify", A),
    RouteSpec::new("GET", "/api/v1/share/settings", R),
    RouteSpec::new("PUT", "/api/v1/share/settings", A),
    RouteSpec::scenario("GET", "/api/v1/share/tables"),
    RouteSpec::scenario("POST", "/api/v1/share/sql"),
    RouteSpec::scenario("GET", "/api/v1/share/enterprises/rows"),
    RouteSpec::new("GET", "/console/share", R),
    RouteSpec::new("GET", "/console/share/scenarios", Q),
    RouteSpec::new("POST", "/console/share/scenarios", Q),
    RouteSpec::new("GET", "/console/share/scenarios/1", R),
    RouteSpec::new("POST", "/console/share/scenarios/1/requests", Q),
    RouteSpec::new("POST", "/console/share/scenarios/1/tokens", Q),
    RouteSpec::new("POST", "/console/share/tokens/1/revoke", Q),
    RouteSpec::new("GET", "/console/share/requests/1", R),
    RouteSpec::new("POST", "/console/share/requests/1/decision", V),
    RouteSpec::new("POST", "/console/share/grants/1/revoke", R),
    RouteSpec::new("GET", "/console/share/usage", R),
    RouteSpec::new("POST", "/console/share/settings", A),
];

/// The OpenAPI description of the exchange's JSON API.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        api::list_scenarios, api::register, api::show_scenario, api::scenario_status,
        api::request_access, api::list_tokens, api::create_token, api::revoke_token,
        api::list_requests, api::show_request, api::decide, api::withdraw, api::list_grants,
        api::revoke_grant, api::usage, api::audit_recent, api::audit_verify, api::get_settings,
        api::put_settings, data::tables, data::sql, data::rows
    ),
    components(schemas(
        crate::model::Scenario, crate::model::NewScenario, crate::model::AccessRequest,
        crate::model::NewRequest, crate::model::Decision, crate::model::Grant,
        crate::model::GrantState, crate::model::Condition, crate::model::Op,
        crate::model::RequestStatus, crate::model::ScenarioToken, crate::model::NewScenarioToken,
        crate::model::Settings, crate::audit::UsageRow, crate::audit::AuditRecord,
        api::CreatedToken, api::StatusChange, api::Revoke, data::SqlRequest, data::TableView
    )),
    tags((name = "share", description = "共享交换: scenarios, access requests, grants, tokens, the share API, audit"))
)]
pub struct ApiDoc;
