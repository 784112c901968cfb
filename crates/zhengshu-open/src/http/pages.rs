//! The portal's public pages (no login): the home page with the headline figures and
//! rankings, search with facets, a dataset's page (metadata, data items, preview, chart,
//! downloads, API example), units and themes. Chinese and English (`Lang` cookie); a
//! single column on a phone (the CSS is in `open/_style.html`).

mod dataset;
mod sample;
mod search;

pub use dataset::dataset;
pub use search::search;

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Duration as Days;
use serde_json::json;
use zhengshu_catalog::model::{OpenType, Resource};
use zhengshu_catalog::search::{Facet, FacetValues, SearchParams, Sort, Viewer};
use zhengshu_catalog::SearchPage;
use zhengshu_http::{render, ApiError, Chrome, Lang, MaybePrincipal};

use crate::stats::{self, DatasetStats, Totals, UnitStats};
use crate::{OpenError, OpenState};

/// Results per page of search, unit and theme pages.
pub const PER_PAGE: usize = 20;
/// Pages beyond this are not served (10,000 results); a later page is clamped.
const MAX_PAGE: usize = 500;
/// Days in the home page's chart of use.
const CHART_DAYS: i64 = 30;
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
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
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
    let chrome = Chrome::portal(lang, &format!("/open/units/{}", pct(&id)), who.as_ref());
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
    fn script_json_cannot_close_the_script() {
        let s = script_json(&json!({"name": "</script><script>alert(1)</script>"}));
        assert!(!s.contains("</script>"));
    }
}
