#![doc = include_str!("../README.md")]

mod api;
mod assets;
mod console;
mod figures;
mod health;
mod metrics;
mod portal;
pub mod testing;

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;
use zhengshu_core::clock::SharedClock;
use zhengshu_db::Db;
use zhengshu_http::{ApiError, AuthState, RouteSpec};

pub use metrics::Metrics;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Where the lake lives (`file:///…` or `s3://…`), checked by `/readyz`.
    pub lake_url: String,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            max_body_bytes: 32 * 1024 * 1024,
            lake_url: String::new(),
        }
    }
}

/// State of the foundation's own pages and endpoints.
#[derive(Clone, Debug)]
pub struct WebState {
    pub db: Db,
    pub clock: SharedClock,
    pub config: Arc<WebConfig>,
    pub metrics: Arc<Metrics>,
    pub started: Instant,
    /// The lake, for the dashboard's record count.
    pub lake: zhengshu_lake::LakeState,
}

/// Everything the app's handlers need; each module takes its part through `FromRef`.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub auth: AuthState,
    pub web: WebState,
    pub catalog: zhengshu_catalog::CatalogState,
    pub hotline: zhengshu_hotline::HotlineState,
    pub lake: zhengshu_lake::LakeState,
    pub exchange: zhengshu_exchange::ExchangeState,
    pub open: zhengshu_open::OpenState,
}

/// Why the app could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("catalog: {0}")]
    Catalog(#[from] zhengshu_catalog::CatalogError),
    #[error("hotline: {0}")]
    Hotline(#[from] zhengshu_hotline::HotlineError),
    #[error("lake: {0}")]
    Lake(#[from] zhengshu_lake::LakeError),
    #[error("exchange: {0}")]
    Exchange(#[from] zhengshu_exchange::ExchangeError),
}

impl AppState {
    /// Builds the state from the database, clock, configuration and the modules' states.
    pub fn new(
        db: Db,
        clock: SharedClock,
        config: WebConfig,
        policy: zhengshu_auth::LoginPolicy,
        catalog: zhengshu_catalog::CatalogState,
        hotline: zhengshu_hotline::HotlineState,
        exchange: zhengshu_exchange::ExchangeState,
    ) -> AppState {
        let lake = exchange.lake.clone();
        AppState {
            auth: AuthState {
                db: db.clone(),
                clock: clock.clone(),
                policy: Arc::new(policy),
                secure_cookies: false,
            },
            web: WebState {
                db,
                clock,
                config: Arc::new(config),
                metrics: Arc::new(Metrics::default()),
                started: Instant::now(),
                lake: lake.clone(),
            },
            catalog,
            hotline,
            open: zhengshu_open::OpenState::new(lake.clone()),
            lake,
            exchange,
        }
    }

    /// Opens the modules' states (the catalog index under `index_dir`, or in RAM) and builds
    /// the state.
    pub async fn open(
        db: Db,
        clock: SharedClock,
        config: WebConfig,
        policy: zhengshu_auth::LoginPolicy,
        index_dir: Option<std::path::PathBuf>,
    ) -> Result<AppState, StartError> {
        let catalog =
            zhengshu_catalog::CatalogState::new(db.clone(), clock.clone(), index_dir).await?;
        let hotline = zhengshu_hotline::HotlineState::new(db.clone(), clock.clone()).await?;
        let lake = zhengshu_lake::LakeState::new(catalog.clone(), &config.lake_url).await?;
        let exchange = zhengshu_exchange::ExchangeState::new(lake).await?;
        Ok(AppState::new(
            db, clock, config, policy, catalog, hotline, exchange,
        ))
    }
}

/// Every migration set of the platform, in module order.
pub fn migrations() -> Vec<&'static zhengshu_db::MigrationSet> {
    vec![
        &zhengshu_db::MIGRATIONS,
        &zhengshu_auth::MIGRATIONS,
        &zhengshu_catalog::MIGRATIONS,
        &zhengshu_hotline::MIGRATIONS,
        &zhengshu_lake::MIGRATIONS,
        &zhengshu_exchange::MIGRATIONS,
        &zhengshu_open::MIGRATIONS,
    ]
}

/// The OpenAPI document of the whole platform.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api::ApiDoc::openapi();
    doc.merge(zhengshu_catalog::ApiDoc::openapi());
    doc.merge(zhengshu_hotline::ApiDoc::openapi());
    doc.merge(zhengshu_lake::ApiDoc::openapi());
    doc.merge(zhengshu_exchange::ApiDoc::openapi());
    doc.merge(zhengshu_open::ApiDoc::openapi());
    doc
}

/// Every route with its permission, for the permission-matrix test.
pub fn route_specs() -> Vec<RouteSpec> {
    let mut v = Vec::new();
    v.extend_from_slice(console::ROUTE_SPECS);
    v.extend_from_slice(api::ROUTE_SPECS);
    v.extend_from_slice(zhengshu_catalog::ROUTE_SPECS);
    v.extend_from_slice(zhengshu_hotline::ROUTE_SPECS);
    v.extend_from_slice(zhengshu_lake::ROUTE_SPECS);
    v.extend_from_slice(zhengshu_exchange::ROUTE_SPECS);
    v.extend_from_slice(zhengshu_open::ROUTE_SPECS);
    v.extend_from_slice(&[
        RouteSpec::new("GET", "/", None),
        RouteSpec::new("GET", "/healthz", None),
        RouteSpec::new("GET", "/readyz", None),
        RouteSpec::new("GET", "/metrics", None),
        RouteSpec::new("GET", "/api/openapi.json", None),
    ]);
    v
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let max_body = state.web.config.max_body_bytes;
    Router::new()
        .merge(portal::routes())
        .merge(console::routes())
        .merge(api::routes())
        .merge(zhengshu_catalog::routes())
        .merge(zhengshu_hotline::routes())
        .merge(zhengshu_lake::routes())
        .merge(zhengshu_exchange::routes())
        .merge(zhengshu_open::routes())
        .merge(health::routes())
        .merge(assets::routes())
        .route("/api/openapi.json", get(|| async { axum::Json(openapi()) }))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.auth.clone(),
            zhengshu_http::guard,
        ))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(
            state.web.metrics.clone(),
            metrics::track,
        ))
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(
                    tower_http::trace::DefaultMakeSpan::new().level(tracing::Level::INFO),
                )
                .on_response(
                    tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO),
                ),
        )
        .with_state(state)
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

async fn not_found(uri: axum::http::Uri, headers: HeaderMap) -> Response {
    let msg = format!("no page or endpoint at `{}`", uri.path());
    if wants_html(&headers) {
        let body = format!(
            "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><link rel=\"stylesheet\" href=\"/static/app.css\"><title>404</title>\
             <main class=\"page\"><div class=\"card\"><h1>404 · 页面不存在 / Not found</h1><p>{}</p><p><a href=\"/\">首页 / Home</a> · <a href=\"/console\">工作台 / Console</a></p></div></main></html>",
            html_escape(&msg)
        );
        (StatusCode::NOT_FOUND, Html(body)).into_response()
    } else {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", msg).into_response()
    }
}

async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("`{method}` is not allowed on `{}`", uri.path()),
    )
    .into_response()
}

pub(crate) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `12345` → `12,345`.
pub(crate) fn fmt_int(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_thousands() {
        assert_eq!(super::fmt_int(0), "0");
        assert_eq!(super::fmt_int(151), "151");
        assert_eq!(super::fmt_int(11_000_000_000), "11,000,000,000");
        assert_eq!(super::fmt_int(-1234), "-1,234");
    }
}
