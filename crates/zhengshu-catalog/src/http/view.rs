//! View models shared by the console and public search pages.

use crate::find::SearchPage;
use crate::model::Resource;
use crate::search::Sort;

use super::SearchQuery;

/// One clickable facet value.
#[derive(Debug, Clone)]
pub(crate) struct FacetLink {
    pub(crate) label: String,
    pub(crate) count: u64,
    pub(crate) href: String,
    pub(crate) active: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct FacetView {
    pub(crate) key: &'static str,
    pub(crate) label: String,
    pub(crate) values: Vec<FacetLink>,
    /// Link that removes this facet's filter, when one is set.
    pub(crate) clear: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct SortLink {
    pub(crate) label: &'static str,
    pub(crate) href: String,
    pub(crate) active: bool,
}

/// A page of results with its facets, sort links and pager.
#[derive(Debug, Clone)]
pub(crate) struct Results {
    pub(crate) base: &'static str,
    pub(crate) console: bool,
    pub(crate) q: String,
    pub(crate) total: usize,
    pub(crate) rows: Vec<Resource>,
    pub(crate) facets: Vec<FacetView>,
    pub(crate) sorts: Vec<SortLink>,
    pub(crate) page: usize,
    pub(crate) pages: usize,
    pub(crate) prev: Option<String>,
    pub(crate) next: Option<String>,
    /// The current filters as a query string (for exports).
    pub(crate) query: String,
}

impl Results {
    pub(crate) fn new(
        base: &'static str,
        console: bool,
        q: &SearchQuery,
        page: SearchPage,
    ) -> Results {
        let link = |qs: String| {
            if qs.is_empty() {
                base.to_string()
            } else {
                format!("{base}?{qs}")
            }
        };
        let facets = page
            .facets
            .into_iter()
            .filter(|f| !f.values.is_empty())
            .map(|f| {
                let current = q.value(f.facet).map(str::to_string);
                FacetView {
                    key: f.facet.as_str(),
                    label: f.label,
                    clear: current.as_ref().map(|_| link(q.with(Some(f.facet), None))),
                    values: f
                        .values
                        .into_iter()
                        .take(30)
                        .map(|v| FacetLink {
                            active: current.as_deref() == Some(v.value.as_str()),
                            href: link(q.with(Some(f.facet), Some(&v.value))),
                            label: v.label,
                            count: v.count,
                        })
                        .collect(),
                }
            })
            .collect();
        let current_sort = q.sort.clone().unwrap_or_else(|| "relevance".into());
        let sorts = Sort::ALL
            .iter()
            .map(|s| {
                let mut sq = q.clone();
                sq.sort = Some(s.as_str().into());
                SortLink {
                    label: s.label_zh(),
                    href: link(sq.with(None, None)),
                    active: current_sort == s.as_str(),
                }
            })
            .collect();
        let per = q.per_page();
        let pages = page.total.div_ceil(per).max(1);
        let cur = q.page().min(pages);
        let page_link = |n: usize| {
            let qs = q.with(None, None);
            link(if qs.is_empty() {
                format!("page={n}")
            } else {
                format!("{qs}&page={n}")
            })
        };
        Results {
            base,
            console,
            q: q.q.clone().unwrap_or_default(),
            total: page.total,
            rows: page.resources,
            facets,
            sorts,
            page: cur,
            pages,
            prev: (cur > 1).then(|| page_link(cur - 1)),
            next: (cur < pages).then(|| page_link(cur + 1)),
            query: q.with(None, None),
        }
    }
}
