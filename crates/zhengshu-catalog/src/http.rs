//! The catalog's HTTP surface: JSON API under `/api/v1/catalog`, console pages under
//! `/console/catalog`, public pages and DCAT/Data Package exports under `/catalog`.

mod api;
mod files;
mod form;
mod pages;
mod public;
mod review;
mod view;

pub use api::{Comment, Reindexed};
pub use public::DCAT_PAGE_SIZE;

use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use zhengshu_auth::Permission;
use zhengshu_http::{AuthState, Principal, RouteSpec};

use crate::import::MAX_IMPORT_BYTES;
use crate::search::{Facet, SearchParams, Sort};
use crate::service::Actor;
use crate::CatalogState;

/// The catalog routes, for any app state that provides [`AuthState`] and [`CatalogState`].
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    AuthState: FromRef<S>,
    CatalogState: FromRef<S>,
{
    let upload_limit = DefaultBodyLimit::max(MAX_IMPORT_BYTES + 256 * 1024);
    Router::new()
        .route(
            "/api/v1/catalog/resources",
            get(api::search).post(api::create),
        )
        .route(
            "/api/v1/catalog/resources/{id}",
            get(api::show).put(api::update),
        )
        .route("/api/v1/catalog/resources/{id}/submit", post(api::submit))
        .route("/api/v1/catalog/resources/{id}/approve", post(api::approve))
        .route(
            "/api/v1/catalog/resources/{id}/return",
            post(api::return_for_changes),
        )
        .route(
            "/api/v1/catalog/resources/{id}/deprecate",
            post(api::deprecate),
        )
        .route(
            "/api/v1/catalog/resources/{id}/versions",
            get(api::versions),
        )
        .route("/api/v1/catalog/review-queue", get(api::review_queue))
        .route("/api/v1/catalog/reindex", post(api::reindex))
        .route(
            "/api/v1/catalog/import",
            post(files::import_api).layer(upload_limit),
        )
        .route("/api/v1/catalog/template.xlsx", get(files::template_xlsx))
        .route("/api/v1/catalog/template.csv", get(files::template_csv))
        .route("/api/v1/catalog/export.xlsx", get(files::export_xlsx))
        .route("/api/v1/catalog/export.csv", get(files::export_csv))
        .route("/console/catalog", get(pages::list))
        .route(
            "/console/catalog/new",
            get(form::new_page).post(form::create),
        )
        .route("/console/catalog/review", get(review::queue))
        .route(
            "/console/catalog/import",
            get(files::import_page)
                .post(files::import_form)
                .layer(upload_limit),
        )
        .route("/console/catalog/{id}", get(pages::detail))
        .route(
            "/console/catalog/{id}/edit",
            get(form::edit_page).post(form::update),
        )
        .route("/console/catalog/{id}/submit", post(review::submit))
        .route("/console/catalog/{id}/approve", post(review::approve))
        .route(
            "/console/catalog/{id}/return",
            post(review::return_for_changes),
        )
        .route("/console/catalog/{id}/deprecate", post(review::deprecate))
        .route("/catalog", get(public::list))
        .route("/catalog.jsonld", get(public::catalog_jsonld))
        .route("/catalog.ttl", get(public::catalog_ttl))
        .route("/catalog/{code}", get(public::resource))
        .route("/catalog/{code}/datapackage.json", get(public::datapackage))
}

const R: Option<Permission> = Some(Permission::CatalogRead);
const W: Option<Permission> = Some(Permission::CatalogWrite);
const V: Option<Permission> = Some(Permission::CatalogReview);

/// Every route with an example path and the permission it needs (None = public).
pub const ROUTE_SPECS: &[RouteSpec] = &[
    RouteSpec::new("GET", "/api/v1/catalog/resources", R),
    RouteSpec::new("POST", "/api/v1/catalog/resources", W),
    RouteSpec::new("GET", "/api/v1/catalog/resources/1", R),
    RouteSpec::new("PUT", "/api/v1/catalog/resources/1", W),
    RouteSpec::new("POST", "/api/v1/catalog/resources/1/submit", W),
    RouteSpec::new("POST", "/api/v1/catalog/resources/1/approve", V),
    RouteSpec::new("POST", "/api/v1/catalog/resources/1/return", V),
    RouteSpec::new("POST", "/api/v1/catalog/resources/1/deprecate", W),
    RouteSpec::new("GET", "/api/v1/catalog/resources/1/versions", R),
    RouteSpec::new("GET", "/api/v1/catalog/review-queue", V),
    RouteSpec::new("POST", "/api/v1/catalog/reindex", V),
    RouteSpec::new("POST", "/api/v1/catalog/import", W),
    RouteSpec::new("GET", "/api/v1/catalog/template.xlsx", R),
    RouteSpec::new("GET", "/api/v1/catalog/template.csv", R),
    RouteSpec::new("GET", "/api/v1/catalog/export.xlsx", R),
    RouteSpec::new("GET", "/api/v1/catalog/export.csv", R),
    RouteSpec::new("GET", "/console/catalog", R),
    RouteSpec::new("GET", "/console/catalog/new", W),
    RouteSpec::new("POST", "/console/catalog/new", W),
    RouteSpec::new("GET", "/console/catalog/review", V),
    RouteSpec::new("GET", "/console/catalog/import", W),
    RouteSpec::new("POST", "/console/catalog/import", W),
    RouteSpec::new("GET", "/console/catalog/1", R),
    RouteSpec::new("GET", "/console/catalog/1/edit", W),
    RouteSpec::new("POST", "/console/catalog/1/edit", W),
    RouteSpec::new("POST", "/console/catalog/1/submit", W),
    RouteSpec::new("POST", "/console/catalog/1/approve", V),
    RouteSpec::new("POST", "/console/catalog/1/return", V),
    RouteSpec::new("POST", "/console/catalog/1/deprecate", W),
    RouteSpec::new("GET", "/catalog", None),
    RouteSpec::new("GET", "/catalog.jsonld", None),
    RouteSpec::new("GET", "/catalog.ttl", None),
    RouteSpec::new("GET", "/catalog/101001-0001-0001", None),
    RouteSpec::new("GET", "/catalog/101001-0001-0001.jsonld", None),
    RouteSpec::new("GET", "/catalog/101001-0001-0001.ttl", None),
    RouteSpec::new("GET", "/catalog/101001-0001-0001/datapackage.json", None),
];

/// The OpenAPI description of the catalog's JSON API.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        api::search, api::create, api::show, api::update, api::submit, api::approve, api::return_for_changes,
        api::deprecate, api::versions, api::review_queue, api::reindex, files::import_api, files::template_xlsx,
        files::template_csv, files::export_xlsx, files::export_csv
    ),
    components(schemas(
        crate::model::Resource, crate::model::DataItem, crate::model::NewResource, crate::model::NewDataItem,
        crate::find::SearchPage, crate::search::FacetValues, crate::search::FacetCount, crate::search::Facet,
        crate::service::Version, crate::version::FieldChange, crate::import::ImportReport, crate::import::RowError,
        crate::FieldError, api::Comment, api::Reindexed
    )),
    tags((name = "catalog", description = "政务数据资源目录: data resources, review, search, import and export"))
)]
pub struct ApiDoc;

/// The acting user of a request.
pub fn actor_of(p: &Principal) -> Actor {
    Actor {
        user_id: Some(p.user.id),
        name: p.user.display_name.clone(),
        unit_id: p.user.unit_id,
        can_read: p.can(Permission::CatalogRead),
        can_write: p.can(Permission::CatalogWrite),
        can_review: p.can(Permission::CatalogReview),
    }
}

/// Search parameters from the query string; facet values may be comma-separated.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Free text (Chinese, traditional or simplified, pinyin annotations allowed).
    pub q: Option<String>,
    /// Provider unit id(s).
    pub unit: Option<String>,
    /// basic/thematic/department.
    pub catalog_type: Option<String>,
    /// First 3 digits of the classification (类 + 项), e.g. 101.
    pub classification: Option<String>,
    pub theme: Option<String>,
    /// unconditional/conditional/not_shared.
    pub sharing_type: Option<String>,
    /// unconditional/conditional/not_open.
    pub open_type: Option<String>,
    pub format: Option<String>,
    pub update_cycle: Option<String>,
    /// core/important/general.
    pub security_grade: Option<String>,
    /// draft/submitted/returned/published/deprecated (staff only).
    pub status: Option<String>,
    /// relevance/name/published/updated.
    pub sort: Option<String>,
    /// 1-based page.
    pub page: Option<usize>,
    /// 1–100, default 20.
    pub per_page: Option<usize>,
}

impl SearchQuery {
    pub(crate) fn value(&self, f: Facet) -> Option<&str> {
        let v = match f {
            Facet::Unit => &self.unit,
            Facet::CatalogType => &self.catalog_type,
            Facet::Classification => &self.classification,
            Facet::Theme => &self.theme,
            Facet::SharingType => &self.sharing_type,
            Facet::OpenType => &self.open_type,
            Facet::Format => &self.format,
            Facet::UpdateCycle => &self.update_cycle,
            Facet::SecurityGrade => &self.security_grade,
            Facet::Status => &self.status,
        };
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }

    pub(crate) fn page(&self) -> usize {
        self.page.unwrap_or(1).max(1)
    }

    pub(crate) fn per_page(&self) -> usize {
        self.per_page.unwrap_or(20).clamp(1, 100)
    }

    /// The search for one page of results.
    pub(crate) fn params(&self) -> SearchParams {
        self.params_with(self.per_page(), (self.page() - 1) * self.per_page())
    }

    pub(crate) fn params_with(&self, limit: usize, offset: usize) -> SearchParams {
        let filters = Facet::ALL
            .into_iter()
            .filter_map(|f| {
                self.value(f).map(|v| {
                    (
                        f,
                        v.split(',')
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty())
                            .collect(),
                    )
                })
            })
            .collect();
        SearchParams {
            q: self.q.clone().unwrap_or_default(),
            filters,
            sort: self
                .sort
                .as_deref()
                .and_then(Sort::parse)
                .unwrap_or_default(),
            offset,
            limit,
        }
    }

    /// The query string of this search with one facet value set (or cleared), for links.
    pub(crate) fn with(&self, facet: Option<Facet>, value: Option<&str>) -> String {
        let mut parts: Vec<(String, String)> = Vec::new();
        if let Some(q) = self.q.as_deref().filter(|q| !q.trim().is_empty()) {
            parts.push(("q".into(), q.into()));
        }
        for f in Facet::ALL {
            let v = if Some(f) == facet {
                value
            } else {
                self.value(f)
            };
            if let Some(v) = v {
                parts.push((f.as_str().into(), v.into()));
            }
        }
        if let Some(s) = &self.sort {
            parts.push(("sort".into(), s.clone()));
        }
        parts
            .iter()
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes a query-string value.
pub(crate) fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The base URL for DCAT identifiers: the configured one, else from the Host header.
pub(crate) fn base_url(state: &CatalogState, headers: &HeaderMap) -> String {
    if let Some(b) = &state.base_url {
        return b.clone();
    }
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("http");
    format!("{proto}://{host}")
}
