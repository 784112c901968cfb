//! `/open/datasets`: search with facets (unit, theme, open type, format, update cycle),
//! each value a link that adds or removes its filter, sort and paging.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use zhengshu_catalog::model::{OpenType, ResourceFormat, UpdateCycle};
use zhengshu_catalog::search::{Facet, SearchParams, Sort};
use zhengshu_http::{render, Chrome, Lang, MaybePrincipal};

use super::{cards, page, page_param, paged_search, pct, with_data, Card, Pager, PER_PAGE};
use crate::{OpenError, OpenState};

/// The filters the search page offers, in display order.
const FACETS: [Facet; 5] = [
    Facet::Unit,
    Facet::Theme,
    Facet::OpenType,
    Facet::Format,
    Facet::UpdateCycle,
];

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
