//! Public pages (no login): the open part of the catalog (published, 无条件开放 or
//! 有条件开放; metadata only), its DCAT-AP serialisations and Data Package descriptors.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zhengshu_http::{render, ApiError, Chrome, Lang, MaybePrincipal};

use super::view::Results;
use super::{base_url, SearchQuery};
use crate::dcat::{self, Page};
use crate::model::Resource;
use crate::search::{SearchParams, Sort, Viewer};
use crate::{service, store, CatalogState};

/// Datasets per page of `/catalog.jsonld` and `/catalog.ttl`.
pub const DCAT_PAGE_SIZE: usize = 100;

#[derive(Template)]
#[template(path = "catalog/public_list.html")]
struct ListPage {
    chrome: Chrome,
    results: Results,
}

pub(crate) async fn list(
    State(state): State<CatalogState>,
    MaybePrincipal(who): MaybePrincipal,
    lang: Lang,
    Query(mut q): Query<SearchQuery>,
) -> Result<Response, ApiError> {
    q.status = None;
    let page = crate::search(&state, Viewer::Public, &q.params(), lang == Lang::En).await?;
    Ok(render(&ListPage {
        chrome: Chrome::portal(lang, "/catalog", who.as_ref()),
        results: Results::new("/catalog", false, &q, page),
    }))
}

#[derive(Template)]
#[template(path = "catalog/public_detail.html")]
struct DetailPage {
    chrome: Chrome,
    r: Resource,
}

const JSONLD: &str = "application/ld+json; charset=utf-8";
const TURTLE: &str = "text/turtle; charset=utf-8";

fn typed(content_type: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// `/catalog/{code}`, `/catalog/{code}.jsonld`, `/catalog/{code}.ttl`.
pub(crate) async fn resource(
    State(state): State<CatalogState>,
    MaybePrincipal(who): MaybePrincipal,
    lang: Lang,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let (code, ext) = match file.rsplit_once('.') {
        Some((code, ext @ ("jsonld" | "ttl"))) => (code, Some(ext)),
        _ => (file.as_str(), None),
    };
    let r = service::get_by_code(&state, None, code).await?;
    let base = base_url(&state, &headers);
    Ok(match ext {
        Some("jsonld") => typed(JSONLD, pretty(&dcat::resource_jsonld(&r, &base))),
        Some(_) => typed(TURTLE, dcat::resource_turtle(&r, &base)),
        None => render(&DetailPage {
            chrome: Chrome::portal(lang, "/catalog", who.as_ref()),
            r,
        }),
    })
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// `/catalog/{code}/datapackage.json`.
pub(crate) async fn datapackage(
    State(state): State<CatalogState>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let r = service::get_by_code(&state, None, &code).await?;
    Ok(typed(
        "application/json; charset=utf-8",
        pretty(&dcat::datapackage(&r, &base_url(&state, &headers))),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageQuery {
    page: Option<usize>,
}

async fn dcat_page(
    state: &CatalogState,
    page: Option<usize>,
) -> Result<(Vec<Resource>, Page), ApiError> {
    let page = page.unwrap_or(1).max(1);
    let params = SearchParams {
        sort: Sort::Name,
        offset: (page - 1) * DCAT_PAGE_SIZE,
        limit: DCAT_PAGE_SIZE,
        ..Default::default()
    };
    state
        .index
        .sync(&state.db, state.clock.now())
        .await
        .map_err(ApiError::from)?;
    let hits = state.index.search(&params, Viewer::Public)?;
    let mut conn = state.db.pool().acquire().await?;
    let rows = store::get_many(&mut conn, &hits.ids).await?;
    Ok((
        rows,
        Page {
            page,
            per_page: DCAT_PAGE_SIZE,
            total: hits.total,
        },
    ))
}

/// `/catalog.jsonld?page=N`: the public catalog as DCAT-AP JSON-LD, paged (hydra links).
pub(crate) async fn catalog_jsonld(
    State(state): State<CatalogState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let (rows, page) = dcat_page(&state, q.page).await?;
    Ok(typed(
        JSONLD,
        pretty(&dcat::catalog_jsonld(
            &rows,
            &base_url(&state, &headers),
            page,
        )),
    ))
}

/// `/catalog.ttl?page=N`: the same as Turtle.
pub(crate) async fn catalog_ttl(
    State(state): State<CatalogState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let (rows, page) = dcat_page(&state, q.page).await?;
    Ok(typed(
        TURTLE,
        dcat::catalog_turtle(&rows, &base_url(&state, &headers), page),
    ))
}
