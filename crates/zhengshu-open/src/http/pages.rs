//! The portal's public pages (no login): the home page with the headline figures and
//! rankings, search with facets, a dataset's page (metadata, data items, preview, chart,
//! downloads, API example), units and themes. Chinese and English (`Lang` cookie).

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Duration as Days;
use serde_json::json;
use zhengshu_catalog::model::{OpenType, Resource, ResourceFormat, UpdateCycle};
use zhengshu_catalog::search::{Facet, FacetValues, SearchParams, Sort, Viewer};
use zhengshu_catalog::SearchPage;
use zhengshu_http::{render, ApiError, Chrome, Lang, MaybePrincipal};
use zhengshu_lake::sql::{to_text, QueryLimits, QueryResult};

use crate::model::{AppStatus, Application, Dataset};
use crate::stats::{self, DatasetStats, Event, Totals, UnitStats};
use crate::store::{self, AppFilter};
use crate::{data, service, OpenError, OpenState};

/// Results per page of search, unit and theme pages.
pub const PER_PAGE: usize = 20;
/// Pages beyond this are not served (10,000 results); a later page is clamped.
const MAX_PAGE: usize = 500;
/// Rows in a dataset page's preview.
const PREVIEW_ROWS: usize = 10;
/// Bars in a dataset page's chart.
const CHART_BARS: usize = 12;
/// The most distinct values a column may have to be charted.
const CHART_MAX_DISTINCT: i64 = 50;
/// Days in the home page's chart of use.
const CHART_DAYS: i64 = 30;
/// The filters the search page offers, in display order.
const FACETS: [Facet; 5] = [
    Facet::Unit,
    Facet::Theme,
    Facet::OpenType,
    Facet::Format,
    Facet::UpdateCycle,
];
/// Download formats, as (path segment, button label).
pub const FORMATS: [(&str, &str); 4] = [
    ("csv", "CSV"),
    ("json", "JSON"),
    ("xlsx", "XLSX"),
    ("parquet", "Parquet"),
];

// ---------------------------------------------------------------- shared helpers

/// Percent-encodes a path segment or query value (UTF-8; unreserved characters kept).
pub fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// JSON for a `<script type="application/json">` block: `<` is escaped so that no value
/// (a unit or theme name) can close the script element.
fn script_json(v: &serde_json::Value) -> String {
    v.to_string().replace('<', "\\u003c")
}

/// 12345 → "12,345".
fn fmt_int(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn wants_json(headers: &HeaderMap) -> bool {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    accept.contains("application/json") && !accept.contains("text/html")
}

#[derive(Template)]
#[template(path = "open/_error.html")]
struct ErrorPage {
    chrome: Chrome,
    status: u16,
    message: String,
}

/// An error as a page with the layout (or the JSON envelope for a client that asks for
/// JSON). A bad parameter is a 400 on a page.
fn error_response(chrome: Chrome, headers: &HeaderMap, e: OpenError) -> Response {
    let invalid = matches!(e, OpenError::Invalid { .. });
    let mut api = ApiError::from(e);
    if invalid {
        api.status = StatusCode::BAD_REQUEST;
        api.code = "bad_request";
    }
    if wants_json(headers) {
        return api.into_response();
    }
    let mut resp = render(&ErrorPage {
        chrome,
        status: api.status.as_u16(),
        message: api.message,
    });
    *resp.status_mut() = api.status;
    resp
}

/// Runs a page body and turns its error into an error page.
async fn page<F>(chrome: Chrome, headers: &HeaderMap, body: F) -> Response
where
    F: std::future::Future<Output = Result<Response, OpenError>>,
{
    match body.await {
        Ok(r) => r,
        Err(e) => error_response(chrome, headers, e),
    }
}

/// One dataset in a result list.
#[derive(Debug, Clone)]
struct Card {
    r: Resource,
    has_data: bool,
}

impl Card {
    fn href(&self) -> String {
        format!("/open/datasets/{}", pct(&self.r.code))
    }
    fn unit_href(&self) -> String {
        format!("/open/units/{}", self.r.provider_unit_id)
    }
    fn is_conditional(&self) -> bool {
        self.r.open_type == OpenType::Conditional
    }
}

/// The resource ids with lake data.
async fn with_data(st: &OpenState) -> Result<HashSet<i64>, OpenError> {
    Ok(zhengshu_lake::store::tables(&st.db)
        .await?
        .into_iter()
        .map(|t| t.resource_id)
        .collect())
}

fn cards(resources: Vec<Resource>, data: &HashSet<i64>) -> Vec<Card> {
    resources
        .into_iter()
        .map(|r| Card {
            has_data: data.contains(&r.id),
            r,
        })
        .collect()
}

async fn public_search(
    st: &OpenState,
    params: &SearchParams,
    en: bool,
) -> Result<SearchPage, OpenError> {
    Ok(zhengshu_catalog::find::search(&st.catalog, Viewer::Public, params, en).await?)
}

/// Searches one page (1-based), clamped to the last page when asked beyond it.
async fn paged_search(
    st: &OpenState,
    mut params: SearchParams,
    page: usize,
    en: bool,
) -> Result<(SearchPage, usize, usize), OpenError> {
    let page = page.clamp(1, MAX_PAGE);
    params.limit = PER_PAGE;
    params.offset = (page - 1) * PER_PAGE;
    let mut found = public_search(st, &params, en).await?;
    let pages = found.total.div_ceil(PER_PAGE).clamp(1, MAX_PAGE);
    if page > pages {
        params.offset = (pages - 1) * PER_PAGE;
        found = public_search(st, &params, en).await?;
    }
    Ok((found, page.min(pages), pages))
}

fn facet_values(facets: &[FacetValues], facet: Facet) -> Vec<(String, String, u64)> {
    facets
        .iter()
        .find(|f| f.facet == facet)
        .map(|f| {
            f.values
                .iter()
                .filter(|v| !v.value.is_empty())
                .map(|v| (v.value.clone(), v.label.clone(), v.count))
                .collect()
        })
        .unwrap_or_default()
}

/// A link to another page of a list.
#[derive(Debug, Clone)]
struct Pager {
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
}

impl Pager {
    fn new(base: &str, qs: &str, page: usize, pages: usize) -> Pager {
        let link = |n: usize| {
            if qs.is_empty() {
                format!("{base}?page={n}")
            } else {
                format!("{base}?{qs}&page={n}")
            }
        };
        Pager {
            page,
            pages,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }
}

fn page_param(pairs: &[(String, String)]) -> usize {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .max(1)
}

// ---------------------------------------------------------------- home

/// A theme and how many open datasets it has.
#[derive(Debug, Clone)]
struct ThemeTile {
    label: String,
    count: u64,
    href: String,
}

fn theme_tiles(facets: &[FacetValues]) -> Vec<ThemeTile> {
    facet_values(facets, Facet::Theme)
        .into_iter()
        .map(|(value, label, count)| ThemeTile {
            href: format!("/open/themes/{}", pct(&value)),
            label,
            count,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "open/home.html")]
struct HomePage {
    chrome: Chrome,
    open: String,
    units_count: String,
    with_data: String,
    views: String,
    downloads: String,
    api_calls: String,
    units: Vec<UnitStats>,
    /// The newest datasets.
    cards: Vec<Card>,
    popular: Vec<DatasetStats>,
    themes: Vec<ThemeTile>,
    chart: String,
}

impl HomePage {
    fn n(&self, v: impl std::borrow::Borrow<i64>) -> String {
        fmt_int(*v.borrow())
    }
}

/// Published and opened resources with lake data (one indexed join).
async fn open_with_data(st: &OpenState) -> Result<i64, OpenError> {
    Ok(st
        .db
        .scalar_i64(
            "SELECT COUNT(*) FROM lake_tables t JOIN catalog_resources r ON r.id = t.resource_id \
             WHERE r.status = 'published' AND r.open_type IN ('unconditional', 'conditional')",
        )
        .await?)
}

/// The last [`CHART_DAYS`] days, oldest first, with the use of each (zero when none).
fn daily_series(st: &OpenState, by_day: &[(String, Totals)]) -> serde_json::Value {
    let counts: HashMap<&str, &Totals> = by_day.iter().map(|(d, t)| (d.as_str(), t)).collect();
    let today = st.clock.today();
    let mut days = Vec::new();
    let (mut views, mut downloads, mut api) = (Vec::new(), Vec::new(), Vec::new());
    for back in (0..CHART_DAYS).rev() {
        let day = (today - Days::days(back)).format("%Y-%m-%d").to_string();
        let t = counts
            .get(day.as_str())
            .copied()
            .copied()
            .unwrap_or_default();
        days.push(day.get(5..).unwrap_or_default().to_string());
        views.push(t.views);
        downloads.push(t.downloads);
        api.push(t.api_calls);
    }
    json!({"days": days, "views": views, "downloads": downloads, "api_calls": api})
}

/// `/open`: the portal's home page.
pub async fn home(
    State(st): State<OpenState>,
    MaybePrincipal(who): MaybePrincipal,
    lang: Lang,
    headers: HeaderMap,
) -> Response {
    let chrome = Chrome::portal(lang, "/open", who.as_ref());
    page(chrome.clone(), &headers, async move {
        let en = lang == Lang::En;
        let summary = stats::summary(&st, "").await?;
        let found = public_search(
            &st,
            &SearchParams {
                sort: Sort::Published,
                limit: 8,
                ..SearchParams::default()
            },
            en,
        )
        .await?;
        let data = with_data(&st).await?;
        let mut chart = daily_series(&st, &summary.by_day);
        let top: Vec<&UnitStats> = summary.units.iter().take(10).collect();
        chart["units"] = json!(top.iter().map(|u| u.unit_name.clone()).collect::<Vec<_>>());
        chart["unit_datasets"] = json!(top.iter().map(|u| u.datasets).collect::<Vec<_>>());
        let t = summary.totals;
        Ok(render(&HomePage {
            open: fmt_int(found.total as i64),
            units_count: fmt_int(summary.units.len() as i64),
            with_data: fmt_int(open_with_data(&st).await?),
            views: fmt_int(t.views),
            downloads: fmt_int(t.downloads),
            api_calls: fmt_int(t.api_calls),
            themes: theme_tiles(&found.facets),
            cards: cards(found.resources, &data),
            popular: summary.datasets.into_iter().take(8).collect(),
            units: summary.units.into_iter().take(10).collect(),
            chart: script_json(&chart),
            chrome,
        }))
    })
    .await
}

// ---------------------------------------------------------------- search

/// The search page's query: text, one value per facet, sort, page.
#[derive(Debug, Clone, Default)]
struct Filters {
    q: String,
    /// Per [`FACETS`] entry: the value (unit id, theme text or vocabulary code).
    values: [Option<String>; 5],
    sort: Sort,
    page: usize,
}

/// A filter value as the index holds it: a unit id, a theme, or a vocabulary code (the
/// code or the Chinese label is accepted).
fn normalize(facet: Facet, v: &str) -> Result<String, OpenError> {
    fn vocab<T: Copy>(
        facet: Facet,
        v: &str,
        parsed: Option<T>,
        code: fn(T) -> &'static str,
        all: &[T],
    ) -> Result<String, OpenError> {
        parsed.map(|x| code(x).to_string()).ok_or_else(|| {
            let codes: Vec<&str> = all.iter().map(|x| code(*x)).collect();
            OpenError::invalid(
                facet.as_str(),
                format!("`{v}` is not one of {}", codes.join(", ")),
            )
        })
    }
    match facet {
        Facet::Unit => v
            .parse::<i64>()
            .map(|id| id.to_string())
            .map_err(|_| OpenError::invalid("unit", format!("`{v}` is not a unit id (a number)"))),
        Facet::OpenType => vocab(
            facet,
            v,
            OpenType::parse(v),
            OpenType::as_str,
            OpenType::ALL,
        ),
        Facet::Format => vocab(
            facet,
            v,
            ResourceFormat::parse(v),
            ResourceFormat::as_str,
            ResourceFormat::ALL,
        ),
        Facet::UpdateCycle => vocab(
            facet,
            v,
            UpdateCycle::parse(v),
            UpdateCycle::as_str,
            UpdateCycle::ALL,
        ),
        _ => Ok(v.chars().take(200).collect()),
    }
}

impl Filters {
    /// Reads the query; a facet value that cannot exist is an error (400), a bad page or
    /// sort falls back to the first page and relevance.
    fn parse(pairs: &[(String, String)]) -> Result<Filters, OpenError> {
        let mut f = Filters {
            page: page_param(pairs),
            ..Filters::default()
        };
        for (k, v) in pairs {
            let v = v.trim();
            match k.as_str() {
                "q" => f.q = v.chars().take(200).collect(),
                "sort" => f.sort = Sort::parse(v).unwrap_or_default(),
                k => {
                    if let Some(i) = FACETS.iter().position(|x| x.as_str() == k) {
                        f.values[i] = if v.is_empty() {
                            None
                        } else {
                            Some(normalize(FACETS[i], v)?)
                        };
                    }
                }
            }
        }
        Ok(f)
    }

    fn params(&self) -> SearchParams {
        SearchParams {
            q: self.q.clone(),
            filters: FACETS
                .iter()
                .zip(&self.values)
                .filter_map(|(f, v)| v.clone().map(|v| (*f, vec![v])))
                .collect(),
            sort: self.sort,
            offset: 0,
            limit: PER_PAGE,
        }
    }

    /// The query string (without the page).
    fn qs(&self) -> String {
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("q={}", pct(&self.q)));
        }
        for (f, v) in FACETS.iter().zip(&self.values) {
            if let Some(v) = v {
                parts.push(format!("{}={}", f.as_str(), pct(v)));
            }
        }
        if self.sort != Sort::default() {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        parts.join("&")
    }

    fn href(&self) -> String {
        let qs = self.qs();
        if qs.is_empty() {
            "/open/datasets".into()
        } else {
            format!("/open/datasets?{qs}")
        }
    }

    /// The search with facet `i` set to `value` (or cleared).
    fn with(&self, i: usize, value: Option<&str>) -> String {
        let mut f = self.clone();
        f.values[i] = value.map(str::to_string);
        f.href()
    }
}

/// One clickable facet value.
#[derive(Debug, Clone)]
struct FacetLink {
    label: String,
    count: u64,
    href: String,
    active: bool,
}

#[derive(Debug, Clone)]
struct FacetView {
    key: &'static str,
    label: String,
    values: Vec<FacetLink>,
    /// The link that removes this facet's filter, when one is set.
    clear: Option<String>,
}

#[derive(Debug, Clone)]
struct SortLink {
    label: &'static str,
    href: String,
    active: bool,
}

fn sort_label(s: Sort, en: bool) -> &'static str {
    match (s, en) {
        (Sort::Relevance, true) => "Relevance",
        (Sort::Name, true) => "Name",
        (Sort::Published, true) => "Newest",
        (Sort::Updated, true) => "Recently updated",
        (s, false) => s.label_zh(),
    }
}

#[derive(Template)]
#[template(path = "open/search.html")]
struct SearchView {
    chrome: Chrome,
    q: String,
    total: usize,
    cards: Vec<Card>,
    facets: Vec<FacetView>,
    sorts: Vec<SortLink>,
    pager: Pager,
    /// The active filters, each with the link that removes it.
    active: Vec<(String, String)>,
    /// The filters and sort kept when the text is searched again.
    hidden: Vec<(&'static str, String)>,
}

/// `/open/datasets?q=&unit=&theme=&format=&update_cycle=&open_type=&sort=&page=`.
pub async fn search(
    State(st): State<OpenState>,
    MaybePrincipal(who): MaybePrincipal,
    lang: Lang,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let chrome = Chrome::portal(lang, "/open/datasets", who.as_ref());
    page(chrome.clone(), &headers, async move {
        let en = lang == Lang::En;
        let f = Filters::parse(&pairs)?;
        let (found, cur, pages) = paged_search(&st, f.params(), f.page, en).await?;
        let data = with_data(&st).await?;
        let mut active = Vec::new();
        let facets = FACETS
            .iter()
            .enumerate()
            .filter_map(|(i, facet)| {
                let fv = found.facets.iter().find(|x| x.facet == *facet)?;
                let current = f.values[i].clone();
                let values: Vec<FacetLink> = fv
                    .values
                    .iter()
                    .filter(|v| !v.value.is_empty())
                    .take(30)
                    .map(|v| {
                        let on = current.as_deref() == Some(v.value.as_str());
                        if on {
                            active.push((v.label.clone(), f.with(i, None)));
                        }
                        FacetLink {
                            label: v.label.clone(),
                            count: v.count,
                            href: f.with(i, if on { None } else { Some(&v.value) }),
                            active: on,
                        }
                    })
                    .collect();
                if let Some(c) = &current {
                    if !values.iter().any(|v| v.active) {
                        active.push((c.clone(), f.with(i, None)));
                    }
                }
                (!values.is_empty() || current.is_some()).then(|| FacetView {
                    key: facet.as_str(),
                    label: fv.label.clone(),
                    clear: current.as_ref().map(|_| f.with(i, None)),
                    values,
                })
            })
            .collect();
        let sorts = Sort::ALL
            .iter()
            .map(|s| {
                let mut g = f.clone();
                g.sort = *s;
                SortLink {
                    label: sort_label(*s, en),
                    href: g.href(),
                    active: f.sort == *s,
                }
            })
            .collect();
        let mut hidden: Vec<(&'static str, String)> = FACETS
            .iter()
            .zip(&f.values)
            .filter_map(|(facet, v)| v.clone().map(|v| (facet.as_str(), v)))
            .collect();
        if f.sort != Sort::default() {
            hidden.push(("sort", f.sort.as_str().to_string()));
        }
        Ok(render(&SearchView {
            hidden,
            q: f.q.clone(),
            total: found.total,
            cards: cards(found.resources, &data),
            facets,
            sorts,
            pager: Pager::new("/open/datasets", &f.qs(), cur, pages),
            active,
            chrome,
        }))
    })
    .await
}

// ---------------------------------------------------------------- dataset

/// One data item as the dataset page lists it.
#[derive(Debug, Clone)]
struct ItemRow {
    name: String,
    label: String,
    data_type: (&'static str, &'static str),
    description: String,
    masked: bool,
}

/// A bar chart of row counts by the values of one column.
#[derive(Debug, Clone)]
struct Chart {
    /// The column's Chinese label (its name in English pages).
    column: String,
    column_name: String,
    labels: Vec<String>,
    counts: Vec<i64>,
}

#[derive(Template)]
#[template(path = "open/dataset.html")]
struct DatasetView {
    chrome: Chrome,
    ds: Dataset,
    href: String,
    theme_href: String,
    items: Vec<ItemRow>,
    rows: String,
    quality: String,
    last_update: String,
    may_read: bool,
    signed_in: bool,
    /// The caller's pending application, if any.
    pending: Option<Application>,
    preview: Option<QueryResult>,
    chart: Option<Chart>,
    chart_json: String,
    downloads: Vec<(String, &'static str)>,
    api_url: String,
    curl: String,
    python: String,
    totals: Totals,
    login_href: String,
}

/// Base URL for examples: the configured one, else from the request.
fn base_url(st: &OpenState, headers: &HeaderMap) -> String {
    if let Some(b) = &st.catalog.base_url {
        return b.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("http");
    format!("{proto}://{host}")
}

fn quoted(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

type ChartCache = Mutex<HashMap<(String, i64), Option<Chart>>>;

/// Charts per (dataset, table version): a chart is computed once per version of the data.
fn chart_cache() -> &'static ChartCache {
    static CACHE: OnceLock<ChartCache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// A chart when the data suits one: the first unmasked text column (not the key) whose
/// values repeat (2–50 distinct values, each on two rows on average), counted with a
/// GROUP BY, at most [`CHART_BARS`] bars. None when nothing suits or it takes too long.
async fn chart_of(st: &OpenState, ds: &Dataset) -> Option<Chart> {
    let version = ds.version?;
    let key = (ds.resource.code.clone(), version);
    if let Some(c) = chart_cache()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return c.clone();
    }
    let chart = tokio::time::timeout(Duration::from_secs(5), compute_chart(st, ds))
        .await
        .ok()
        .flatten();
    let mut cache = chart_cache().lock().unwrap_or_else(PoisonError::into_inner);
    if cache.len() >= 512 {
        cache.clear();
    }
    cache.insert(key, chart.clone());
    chart
}

async fn run_text(
    ctx: &zhengshu_lake::deltalake::datafusion::prelude::SessionContext,
    sql: &str,
) -> Option<QueryResult> {
    let batches = ctx.sql(sql).await.ok()?.collect().await.ok()?;
    to_text(&batches, 100).ok()
}

async fn compute_chart(st: &OpenState, ds: &Dataset) -> Option<Chart> {
    if ds.rows.unwrap_or(0) < 2 {
        return None;
    }
    let candidates: Vec<_> = ds
        .resource
        .items
        .iter()
        .filter(|i| {
            i.data_type == zhengshu_catalog::model::DataType::String
                && !i.pii_kind.is_sensitive()
                && i.name != ds.key
        })
        .take(6)
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let limits = QueryLimits {
        max_rows: 100,
        timeout: Duration::from_secs(5),
        memory_bytes: 128 << 20,
    };
    let ctx = data::session_for(st, ds, limits).await.ok()?;
    let table = quoted(&ds.resource.code);
    let distinct: Vec<String> = candidates
        .iter()
        .map(|i| format!("approx_distinct({})", quoted(&i.name)))
        .collect();
    let sizes = run_text(
        &ctx,
        &format!("SELECT COUNT(*), {} FROM {table}", distinct.join(", ")),
    )
    .await?;
    let row = sizes.rows.first()?;
    let num = |i: usize| -> i64 {
        row.get(i)
            .and_then(|v| v.as_deref())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    let total = num(0);
    let item = candidates.iter().enumerate().find_map(|(i, item)| {
        let d = num(i + 1);
        ((2..=CHART_MAX_DISTINCT).contains(&d) && d * 2 <= total).then_some(*item)
    })?;
    let col = quoted(&item.name);
    let groups = run_text(
        &ctx,
        &format!(
            "SELECT {col}, COUNT(*) AS n FROM {table} WHERE {col} IS NOT NULL AND {col} <> '' \
             GROUP BY {col} ORDER BY n DESC, {col} LIMIT {CHART_BARS}"
        ),
    )
    .await?;
    let mut labels = Vec::new();
    let mut counts = Vec::new();
    for r in &groups.rows {
        labels.push(r.first().cloned().flatten().unwrap_or_default());
        counts.push(
            r.get(1)
                .and_then(|v| v.as_deref())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
        );
    }
    (labels.len() >= 2).then(|| Chart {
        column: item.label.clone(),
        column_name: item.name.clone(),
        labels,
        counts,
    })
}

/// `/open/datasets/{code}`.
pub async fn dataset(
    State(st): State<OpenState>,
    MaybePrincipal(who): MaybePrincipal,
    lang: Lang,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    let chrome = Chrome::portal(lang, "/open/datasets", who.as_ref());
    page(chrome.clone(), &headers, async {
        let mut ds = service::dataset(&st, &code).await?;
        service::figures(&st, &mut ds).await?;
        let caller = service::caller(&st, &headers, who.as_ref()).await?;
        let may_read = service::may_read(&st, &caller, &ds).await?;
        st.stats
            .record(&service::today_s(&st), ds.resource.id, Event::View);
        let (preview, chart) = if may_read && ds.has_data() {
            let batches = data::preview(&st, &ds, PREVIEW_ROWS).await?;
            (
                Some(to_text(&batches, PREVIEW_ROWS)?),
                chart_of(&st, &ds).await,
            )
        } else {
            (None, None)
        };
        let pending = match (caller.user_id(), ds.is_conditional() && !may_read) {
            (Some(user_id), true) => store::applications(
                &st.db,
                &AppFilter {
                    user_id: Some(user_id),
                    resource_id: Some(ds.resource.id),
                    status: Some(AppStatus::Pending),
                    ..AppFilter::default()
                },
            )
            .await?
            .into_iter()
            .next(),
            _ => None,
        };
        let code = ds.resource.code.clone();
        let href = format!("/open/datasets/{}", pct(&code));
        let base = base_url(&st, &headers);
        let api_url = format!(
            "{base}/api/3/action/datastore_search?resource_id={}&limit=5",
            pct(&code)
        );
        let key_header = if ds.is_conditional() {
            " \\\n  -H \"Authorization: $ZHENGSHU_APP_KEY\""
        } else {
            ""
        };
        let curl = format!("curl -s \"{api_url}\"{key_header}");
        let key_arg = if ds.is_conditional() {
            ", apikey=os.environ[\"ZHENGSHU_APP_KEY\"]"
        } else {
            ""
        };
        let python = format!(
            "import os\nfrom ckanapi import RemoteCKAN\n\nportal = RemoteCKAN(\"{base}\"{key_arg})\n\
             package = portal.action.package_show(id=\"{code}\")\n\
             rows = portal.action.datastore_search(resource_id=\"{code}\", limit=5)\n\
             for record in rows[\"records\"]:\n    print(record)"
        );
        let en = chrome.is_en();
        let chart_json = chart
            .as_ref()
            .map(|c| {
                script_json(&json!({
                    "column": if en { &c.column_name } else { &c.column },
                    "labels": c.labels,
                    "counts": c.counts,
                }))
            })
            .unwrap_or_default();
        let items = ds
            .resource
            .items
            .iter()
            .map(|i| ItemRow {
                name: i.name.clone(),
                label: i.label.clone(),
                data_type: (i.data_type.label_zh(), i.data_type.label_en()),
                description: i.description.clone(),
                masked: i.pii_kind.is_sensitive(),
            })
            .collect();
        let totals = stats::of_resource(&st.db, ds.resource.id).await?;
        Ok(render(&DatasetView {
            items,
            rows: ds.rows.map(fmt_int).unwrap_or_else(|| "—".into()),
            quality: ds
                .quality
                .map(|q| format!("{q:.1}"))
                .unwrap_or_else(|| "—".into()),
            last_update: ds
                .last_update
                .get(..10)
                .unwrap_or(ds.last_update.as_str())
                .into(),
            may_read,
            signed_in: who.is_some(),
            pending,
            preview,
            chart,
            chart_json,
            downloads: FORMATS
                .iter()
                .map(|(f, label)| (format!("{href}/download/{f}"), *label))
                .collect(),
            api_url,
            curl,
            python,
            totals,
            login_href: format!("/console/login?next={}", pct(&href)),
            theme_href: format!("/open/themes/{}", pct(&ds.resource.theme)),
            href,
            ds,
            chrome,
        }))
    })
    .await
}

// ---------------------------------------------------------------- units

#[derive(Template)]
#[template(path = "open/units.html")]
struct UnitsView {
    chrome: Chrome,
    units: Vec<UnitStats>,
    chart: String,
}

impl UnitsView {
    fn n(&self, v: impl std::borrow::Borrow<i64>) -> String {
        fmt_int(*v.borrow())
    }
}

/// `/open/units`: the units ranked by datasets opened, with their use.
pub async fn units(
    State(st): State<OpenState>,
    MaybePrincipal(who): MaybePrincipal,
    lang: Lang,
    headers: HeaderMap,
) -> Response {
    let chrome = Chrome::portal(lang, "/open/units", who.as_ref());
    page(chrome.clone(), &headers, async move {
        let summary = stats::summary(&st, "").await?;
        let top: Vec<&UnitStats> = summary.units.iter().take(20).collect();
        let chart = json!({
            "units": top.iter().map(|u| u.unit_name.clone()).collect::<Vec<_>>(),
            "unit_datasets": top.iter().map(|u| u.datasets).collect::<Vec<_>>(),
        });
        Ok(render(&UnitsView {
            units: summary.units,
            chart: script_json(&chart),
            chrome,
        }))
    })
    .await
}

#[derive(Template)]
#[template(path = "open/unit.html")]
struct UnitView {
    chrome: Chrome,
    unit: UnitStats,
    cards: Vec<Card>,
    themes: Vec<ThemeTile>,
    total: usize,
    pager: Pager,
}

impl UnitView {
    fn n(&self, v: impl std::borrow::Borrow<i64>) -> String {
        fmt_int(*v.borrow())
    }
}

fn not_found_unit(id: &str) -> OpenError {
    OpenError::NotFound(format!("unit `{id}` with open datasets"))
}

/// `/open/units/{id}`: a unit's open datasets and its figures.
pub async fn unit(
    State(st): State<OpenState>,
    MaybePrincipal(who): MaybePrincipal,
    lang: Lang,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let chrome = Chrome::portal(lang, "/open/units", who.as_ref());
    page(chrome.clone(), &headers, async move {
        let unit_id: i64 = id.trim().parse().map_err(|_| not_found_unit(&id))?;
        let summary = stats::summary(&st, "").await?;
        let unit = summary
            .units
            .into_iter()
            .find(|u| u.unit_id == unit_id)
            .ok_or_else(|| not_found_unit(&id))?;
        let params = SearchParams {
            filters: vec![(Facet::Unit, vec![unit_id.to_string()])],
            sort: Sort::Name,
            ..SearchParams::default()
        };
        let (found, cur, pages) =
            paged_search(&st, params, page_param(&pairs), chrome.is_en()).await?;
        let data = with_data(&st).await?;
        Ok(render(&UnitView {
            total: found.total,
            themes: theme_tiles(&found.facets),
            cards: cards(found.resources, &data),
            pager: Pager::new(&format!("/open/units/{unit_id}"), "", cur, pages),
            unit,
            chrome,
        }))
    })
    .await
}

// ---------------------------------------------------------------- themes

#[derive(Template)]
#[template(path = "open/themes.html")]
struct ThemesView {
    chrome: Chrome,
    themes: Vec<ThemeTile>,
}

/// `/open/themes`: every theme with open datasets.
pub async fn themes(
    State(st): State<OpenState>,
    MaybePrincipal(who): MaybePrincipal,
    lang: Lang,
    headers: HeaderMap,
) -> Response {
    let chrome = Chrome::portal(lang, "/open/themes", who.as_ref());
    page(chrome.clone(), &headers, async move {
        let found = public_search(
            &st,
            &SearchParams {
                limit: 0,
                ..SearchParams::default()
            },
            chrome.is_en(),
        )
        .await?;
        Ok(render(&ThemesView {
            themes: theme_tiles(&found.facets),
            chrome,
        }))
    })
    .await
}

#[derive(Template)]
#[template(path = "open/theme.html")]
struct ThemeView {
    chrome: Chrome,
    theme: String,
    cards: Vec<Card>,
    units: Vec<(String, String, u64)>,
    total: usize,
    pager: Pager,
}

/// `/open/themes/{theme}` (the theme percent-encoded): the theme's open datasets.
pub async fn theme(
    State(st): State<OpenState>,
    MaybePrincipal(who): MaybePrincipal,
    lang: Lang,
    headers: HeaderMap,
    Path(theme): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let chrome = Chrome::portal(lang, "/open/themes", who.as_ref());
    page(chrome.clone(), &headers, async move {
        let theme = theme.trim().to_string();
        let params = SearchParams {
            filters: vec![(Facet::Theme, vec![theme.clone()])],
            sort: Sort::Name,
            ..SearchParams::default()
        };
        let (found, cur, pages) =
            paged_search(&st, params, page_param(&pairs), chrome.is_en()).await?;
        if found.total == 0 {
            return Err(OpenError::NotFound(format!(
                "theme `{theme}` with open datasets"
            )));
        }
        let data = with_data(&st).await?;
        let units = facet_values(&found.facets, Facet::Unit)
            .into_iter()
            .map(|(id, label, n)| (format!("/open/units/{id}"), label, n))
            .collect();
        Ok(render(&ThemeView {
            total: found.total,
            cards: cards(found.resources, &data),
            units,
            pager: Pager::new(&format!("/open/themes/{}", pct(&theme)), "", cur, pages),
            theme,
            chrome,
        }))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pct_encodes_chinese_and_reserved() {
        assert_eq!(pct("经济建设"), "%E7%BB%8F%E6%B5%8E%E5%BB%BA%E8%AE%BE");
        assert_eq!(pct("a b&c=d/e"), "a%20b%26c%3Dd%2Fe");
        assert_eq!(pct("101001-0012-0003"), "101001-0012-0003");
    }

    #[test]
    fn thousands() {
        assert_eq!(fmt_int(0), "0");
        assert_eq!(fmt_int(999), "999");
        assert_eq!(fmt_int(1000), "1,000");
        assert_eq!(fmt_int(-1234567), "-1,234,567");
    }

    #[test]
    fn filters_parse_and_link() {
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let f = Filters::parse(&pairs(&[
            ("q", "企业"),
            ("open_type", "无条件开放"),
            ("page", "x"),
        ]))
        .unwrap_or_default();
        assert_eq!(f.page, 1);
        assert_eq!(f.values[2].as_deref(), Some("unconditional"));
        assert_eq!(
            f.href(),
            "/open/datasets?q=%E4%BC%81%E4%B8%9A&open_type=unconditional"
        );
        assert_eq!(f.with(2, None), "/open/datasets?q=%E4%BC%81%E4%B8%9A");
        assert!(Filters::parse(&pairs(&[("unit", "abc")])).is_err());
        assert!(Filters::parse(&pairs(&[("format", "pdf")])).is_err());
        assert!(Filters::parse(&pairs(&[("theme", "任意主题")])).is_ok());
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let s = script_json(&json!({"name": "</script><script>alert(1)</script>"}));
        assert!(!s.contains("</script>"));
    }
}
