//! The portal's HTTP surface: public pages under `/open`, streamed downloads, the
//! CKAN-compatible Action API (`/api/3/action/{name}`, also `/api/action/{name}` as
//! CKAN serves it), the applicant's account pages, the providers' review console under
//! `/console/open`, and a small JSON API under `/api/v1/open`.

pub mod account;
pub mod api;
pub mod console;
pub mod pages;

use axum::extract::FromRef;
use axum::routing::{get, post};
use axum::Router;
use zhengshu_auth::Permission;
use zhengshu_http::{AuthState, RouteSpec};

use crate::OpenState;

/// The portal's routes, for any app state that provides [`AuthState`] and [`OpenState`].
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AuthState: FromRef<S>,
    OpenState: FromRef<S>,
{
    Router::new()
        .route("/open", get(pages::home))
        .route("/open/datasets", get(pages::search))
        .route("/open/datasets/{code}", get(pages::dataset))
        .route(
            "/open/datasets/{code}/download/{format}",
            get(crate::download::download),
        )
        .route("/open/datasets/{code}/apply", post(account::apply))
        .route("/open/units", get(pages::units))
        .route("/open/units/{id}", get(pages::unit))
        .route("/open/themes", get(pages::themes))
        .route("/open/themes/{theme}", get(pages::theme))
        .route(
            "/open/register",
            get(account::register_page).post(account::register),
        )
        .route("/open/account", get(account::account))
        .route("/open/account/keys", post(account::create_key))
        .route("/open/account/keys/{id}/revoke", post(account::revoke_key))
        .route(
            "/open/account/applications/{id}/withdraw",
            post(account::withdraw),
        )
        .route(
            "/api/3/action/{name}",
            get(crate::ckan::action_get).post(crate::ckan::action_post),
        )
        .route(
            "/api/action/{name}",
            get(crate::ckan::action_get).post(crate::ckan::action_post),
        )
        .route("/api/3", get(crate::ckan::api_version))
        .route("/api/v1/open/applications", get(api::applications))
        .route("/api/v1/open/applications/{id}/decision", post(api::decide))
        .route("/api/v1/open/stats", get(api::stats))
        .route("/console/open", get(console::index))
        .route(
            "/console/open/applications/{id}/decision",
            post(console::decide),
        )
        .route(
            "/console/open/applications/{id}/revoke",
            post(console::revoke),
        )
}

const APPLY: Option<Permission> = Some(Permission::OpenApply);
const REVIEW: Option<Permission> = Some(Permission::OpenReview);

/// Every route with an example path and the permission it needs (None = public).
pub const ROUTE_SPECS: &[RouteSpec] = &[
    RouteSpec::new("GET", "/open", None),
    RouteSpec::new("GET", "/open/datasets", None),
    RouteSpec::new("GET", "/open/datasets/101001-0001-0001", None),
    RouteSpec::new("GET", "/open/datasets/101001-0001-0001/download/csv", None),
    RouteSpec::new("POST", "/open/datasets/101001-0001-0001/apply", APPLY),
    RouteSpec::new("GET", "/open/units", None),
    RouteSpec::new("GET", "/open/units/1", None),
    RouteSpec::new("GET", "/open/themes", None),
    RouteSpec::new(
        "GET",
        "/open/themes/%E7%BB%8F%E6%B5%8E%E5%BB%BA%E8%AE%BE",
        None,
    ),
    RouteSpec::new("GET", "/open/register", None),
    RouteSpec::new("GET", "/open/account", APPLY),
    RouteSpec::new("POST", "/open/account/keys", APPLY),
    RouteSpec::new("POST", "/open/account/keys/1/revoke", APPLY),
    RouteSpec::new("POST", "/open/account/applications/1/withdraw", APPLY),
    RouteSpec::new("GET", "/api/3/action/package_search", None),
    RouteSpec::new("POST", "/api/3/action/package_search", None),
    RouteSpec::new("GET", "/api/action/package_list", None),
    RouteSpec::new("POST", "/api/action/status_show", None),
    RouteSpec::new("GET", "/api/3", None),
    RouteSpec::new("GET", "/api/v1/open/applications", REVIEW),
    RouteSpec::new("POST", "/api/v1/open/applications/1/decision", REVIEW),
    RouteSpec::new("GET", "/api/v1/open/stats", REVIEW),
    RouteSpec::new("GET", "/console/open", REVIEW),
    RouteSpec::new("POST", "/console/open/applications/1/decision", REVIEW),
    RouteSpec::new("POST", "/console/open/applications/1/revoke", REVIEW),
];

/// The OpenAPI description of the portal's JSON API (the CKAN API is described by CKAN).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(api::applications, api::decide, api::stats),
    components(schemas(
        crate::model::Application,
        crate::model::AppStatus,
        crate::model::AppDecision,
        crate::stats::Totals,
        crate::stats::Summary,
        crate::stats::DatasetStats,
        crate::stats::UnitStats,
    ))
)]
pub struct ApiDoc;
