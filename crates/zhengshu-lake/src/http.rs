//! The lake's HTTP surface: JSON API under `/api/v1/lake`, console pages under
//! `/console/lake`.

pub mod api;
mod pages;
mod sample;

use axum::extract::{DefaultBodyLimit, FromRef};
use axum::routing::{delete, get, post, put};
use axum::Router;
use zhengshu_auth::Permission;
use zhengshu_catalog::Actor;
use zhengshu_http::{AuthState, Principal, RouteSpec};

use crate::LakeState;

/// Largest upload through the console or the push API (bigger files: the CLI or a pull).
pub const MAX_UPLOAD_BYTES: usize = 2 << 30;

/// The lake routes, for any app state that provides [`AuthState`] and [`LakeState`].
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AuthState: FromRef<S>,
    LakeState: FromRef<S>,
{
    let upload = DefaultBodyLimit::max(MAX_UPLOAD_BYTES);
    Router::new()
        .route("/api/v1/lake/tables", get(api::list).post(api::connect))
        .route("/api/v1/lake/tables/{table}", get(api::show))
        .route("/api/v1/lake/tables/{table}/settings", put(api::settings))
        .route(
            "/api/v1/lake/tables/{table}/rows",
            post(api::push).layer(upload),
        )
        .route(
            "/api/v1/lake/tables/{table}/rules",
            get(api::rules).post(api::add_rule),
        )
        .route(
            "/api/v1/lake/tables/{table}/rules/{id}",
            delete(api::delete_rule),
        )
        .route("/api/v1/lake/tables/{table}/history", get(api::history))
        .route("/api/v1/lake/tables/{table}/optimize", post(api::optimize))
        .route("/api/v1/lake/tables/{table}/vacuum", post(api::vacuum))
        .route(
            "/api/v1/lake/tables/{table}/pulls",
            get(api::pulls).post(api::add_pull),
        )
        .route("/api/v1/lake/pulls/{id}/run", post(api::run_pull))
        .route("/api/v1/lake/jobs/{id}", get(api::job))
        .route(
            "/api/v1/lake/jobs/{id}/quarantine.csv",
            get(api::quarantine_csv),
        )
        .route("/api/v1/lake/propose", post(api::propose).layer(upload))
        .route("/api/v1/lake/sql", post(api::sql))
        .route("/api/v1/lake/quality", get(api::quality))
        .route("/console/lake", get(pages::index))
        .route(
            "/console/lake/sql",
            get(pages::sql_page).post(pages::sql_run),
        )
        .route(
            "/console/lake/new",
            get(sample::new_page).post(sample::propose).layer(upload),
        )
        .route("/console/lake/new/create", post(sample::create))
        .route("/console/lake/jobs/{id}", get(pages::job_page))
        .route("/console/lake/jobs/{id}/status", get(pages::job_status))
        .route("/console/lake/{table}", get(pages::table_page))
        .route(
            "/console/lake/{table}/upload",
            post(pages::upload).layer(upload),
        )
        .route("/console/lake/{table}/rules", post(pages::add_rule))
        .route("/console/lake/{table}/settings", post(pages::settings))
        .route(
            "/console/lake/{table}/rules/{id}/delete",
            post(pages::delete_rule),
        )
        .route("/console/lake/{table}/maintain", post(pages::maintain))
}

const R: Option<Permission> = Some(Permission::LakeRead);
const I: Option<Permission> = Some(Permission::LakeIngest);
const Q: Option<Permission> = Some(Permission::LakeQuery);
const A: Option<Permission> = Some(Permission::LakeAdmin);

/// Every route with an example path and the permission it needs.
pub const ROUTE_SPECS: &[RouteSpec] = &[
    RouteSpec::new("GET", "/api/v1/lake/tables", R),
    RouteSpec::new("POST", "/api/v1/lake/tables", I),
    RouteSpec::new("GET", "/api/v1/lake/tables/t1", R),
    RouteSpec::new("PUT", "/api/v1/lake/tables/t1/settings", I),
    RouteSpec::new("POST", "/api/v1/lake/tables/t1/rows", I),
    RouteSpec::new("GET", "/api/v1/lake/tables/t1/rules", R),
    RouteSpec::new("POST", "/api/v1/lake/tables/t1/rules", I),
    RouteSpec::new("DELETE", "/api/v1/lake/tables/t1/rules/1", I),
    RouteSpec::new("GET", "/api/v1/lake/tables/t1/history", R),
    RouteSpec::new("POST", "/api/v1/lake/tables/t1/optimize", A),
    RouteSpec::new("POST", "/api/v1/lake/tables/t1/vacuum", A),
    RouteSpec::new("GET", "/api/v1/lake/tables/t1/pulls", I),
    RouteSpec::new("POST", "/api/v1/lake/tables/t1/pulls", I),
    RouteSpec::new("POST", "/api/v1/lake/pulls/1/run", I),
    RouteSpec::new("GET", "/api/v1/lake/jobs/1", R),
    RouteSpec::new("GET", "/api/v1/lake/jobs/1/quarantine.csv", I),
    RouteSpec::new("POST", "/api/v1/lake/propose", I),
    RouteSpec::new("POST", "/api/v1/lake/sql", Q),
    RouteSpec::new("GET", "/api/v1/lake/quality", R),
    RouteSpec::new("GET", "/console/lake", R),
    RouteSpec::new("GET", "/console/lake/sql", Q),
    RouteSpec::new("POST", "/console/lake/sql", Q),
    RouteSpec::new("GET", "/console/lake/new", I),
    RouteSpec::new("POST", "/console/lake/new", I),
    RouteSpec::new("POST", "/console/lake/new/create", I),
    RouteSpec::new("GET", "/console/lake/jobs/1", R),
    RouteSpec::new("GET", "/console/lake/jobs/1/status", R),
    RouteSpec::new("GET", "/console/lake/t1", R),
    RouteSpec::new("POST", "/console/lake/t1/upload", I),
    RouteSpec::new("POST", "/console/lake/t1/rules", I),
    RouteSpec::new("POST", "/console/lake/t1/settings", I),
    RouteSpec::new("POST", "/console/lake/t1/rules/1/delete", I),
    RouteSpec::new("POST", "/console/lake/t1/maintain", A),
];

/// The OpenAPI description of the lake's JSON API.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        api::list, api::connect, api::show, api::settings, api::push, api::rules, api::add_rule,
        api::delete_rule, api::history, api::optimize, api::vacuum, api::pulls, api::add_pull,
        api::run_pull, api::job, api::quarantine_csv, api::propose, api::sql, api::quality
    ),
    components(schemas(
        crate::store::Connected, crate::store::Job, crate::rules::Rule, crate::rules::RuleKind,
        crate::ingest::Report, crate::ingest::RuleOutcome, crate::ingest::Mode, crate::table::TableStats,
        crate::maintain::HistoryEntry, crate::maintain::Compacted, crate::maintain::Vacuumed,
        crate::maintain::UnitQuality, crate::pull::Pull, crate::sql::QueryResult, api::TableInfo,
        api::ConnectRequest, api::Settings, api::SqlRequest, api::Proposal, api::ProposedItemView
    )),
    tags((name = "lake", description = "数据湖: Delta Lake tables per resource, ingest, quality rules, quarantine, SQL"))
)]
pub struct ApiDoc;

/// The acting user, in the catalog's terms (who owns which resource).
pub fn actor_of(p: &Principal) -> Actor {
    zhengshu_catalog::http::actor_of(p)
}
