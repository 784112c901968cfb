//! Building and running a catalog query: free text, facet filters, visibility, sorting.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, TermQuery, TermSetQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Order, Searcher, Term};

use super::analyze::query_terms;
use super::facets::{Facet, FacetCollector};
use super::SearchIndex;
use crate::model::{OpenType, Status};
use crate::CatalogError;

/// Who is searching, which decides what they may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// No login: published resources that are 无条件开放 or 有条件开放.
    Public,
    /// Staff: published (and deprecated) resources; with `can_write`, everything of
    /// their own unit; with `can_review`, everything.
    Staff {
        unit_id: Option<i64>,
        can_write: bool,
        can_review: bool,
    },
}

/// 排序.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first (newest first without a query).
    #[default]
    Relevance,
    Name,
    /// Newest publish date first.
    Published,
    /// Most recently changed first.
    Updated,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Relevance, Sort::Name, Sort::Published, Sort::Updated];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Name => "name",
            Sort::Published => "published",
            Sort::Updated => "updated",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Sort::Relevance => "相关度",
            Sort::Name => "名称",
            Sort::Published => "发布日期",
            Sort::Updated => "更新时间",
        }
    }
}

/// A search.
#[derive(Debug, Clone, Default)]
pub struct SearchParams {
    pub q: String,
    /// Facet → accepted values (any of them).
    pub filters: Vec<(Facet, Vec<String>)>,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
}

/// What a search found: the total, one page of resource ids, and facet counts.
#[derive(Debug, Clone, Default)]
pub struct SearchHits {
    pub total: usize,
    pub ids: Vec<i64>,
    /// Per facet (in [`Facet::ALL`] order): value → count.
    pub facets: Vec<HashMap<String, u64>>,
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

impl SearchIndex {
    fn facet_term(&self, facet: Facet, value: &str) -> Term {
        Term::from_field_text(self.fields.facets[facet.index()], value)
    }

    fn any_of(&self, facet: Facet, values: &[&str]) -> Box<dyn Query> {
        Box::new(TermSetQuery::new(
            values.iter().map(|v| self.facet_term(facet, v)),
        ))
    }

    fn visibility(&self, viewer: Viewer) -> Option<Box<dyn Query>> {
        let seen = [Status::Published.as_str(), Status::Deprecated.as_str()];
        match viewer {
            Viewer::Public => Some(Box::new(BooleanQuery::new(vec![
                (
                    Occur::Must,
                    self.any_of(Facet::Status, &[Status::Published.as_str()]),
                ),
                (
                    Occur::Must,
                    self.any_of(
                        Facet::OpenType,
                        &[
                            OpenType::Unconditional.as_str(),
                            OpenType::Conditional.as_str(),
                        ],
                    ),
                ),
            ]))),
            Viewer::Staff {
                can_review: true, ..
            } => None,
            Viewer::Staff {
                unit_id: Some(unit),
                can_write: true,
                ..
            } => Some(Box::new(BooleanQuery::new(vec![
                (Occur::Should, self.any_of(Facet::Status, &seen)),
                (
                    Occur::Should,
                    self.any_of(Facet::Unit, &[unit.to_string().as_str()]),
                ),
            ]))),
            Viewer::Staff { .. } => Some(self.any_of(Facet::Status, &seen)),
        }
    }

    fn build(&self, p: &SearchParams, viewer: Viewer) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let terms = query_terms(&p.q);
        for t in &terms.required {
            clauses.push((
                Occur::Must,
                term_query(Term::from_field_text(self.fields.all, t)),
            ));
        }
        for w in &terms.words {
            let title: Box<dyn Query> = term_query(Term::from_field_text(self.fields.title, w));
            clauses.push((Occur::Should, Box::new(BoostQuery::new(title, 3.0))));
            clauses.push((
                Occur::Should,
                term_query(Term::from_field_text(self.fields.all, w)),
            ));
        }
        if terms.required.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        for (facet, values) in &p.filters {
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            if !values.is_empty() {
                clauses.push((Occur::Must, self.any_of(*facet, &values)));
            }
        }
        if let Some(v) = self.visibility(viewer) {
            clauses.push((Occur::Must, v));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Runs a search as `viewer` would see it.
    pub fn search(&self, p: &SearchParams, viewer: Viewer) -> Result<SearchHits, CatalogError> {
        let query = self.build(p, viewer);
        let searcher = self.searcher();
        // Pages are capped by the HTTP layer (100); exports ask for up to 100,000.
        let limit = p.limit.clamp(1, 100_000);
        let top = TopDocs::with_limit(limit).and_offset(p.offset);
        let sort = if p.sort == Sort::Relevance && p.q.trim().is_empty() {
            Sort::Updated
        } else {
            p.sort
        };
        let (addrs, total, facets): (Vec<DocAddress>, usize, _) = match sort {
            Sort::Relevance => {
                let (docs, n, f) = searcher.search(&query, &(top, Count, FacetCollector))?;
                (docs.into_iter().map(|(_, a)| a).collect(), n, f)
            }
            Sort::Name => {
                let (docs, n, f) = searcher.search(
                    &query,
                    &(
                        top.order_by_u64_field("name_key", Order::Asc),
                        Count,
                        FacetCollector,
                    ),
                )?;
                (docs.into_iter().map(|(_, a)| a).collect(), n, f)
            }
            Sort::Published | Sort::Updated => {
                let field = if sort == Sort::Published {
                    "publish_date"
                } else {
                    "updated"
                };
                let (docs, n, f) = searcher.search(
                    &query,
                    &(
                        top.order_by_fast_field::<i64>(field, Order::Desc),
                        Count,
                        FacetCollector,
                    ),
                )?;
                (docs.into_iter().map(|(_, a)| a).collect(), n, f)
            }
        };
        Ok(SearchHits {
            total,
            ids: ids_of(&searcher, &addrs)?,
            facets,
        })
    }
}

fn ids_of(searcher: &Searcher, addrs: &[DocAddress]) -> Result<Vec<i64>, CatalogError> {
    let mut out = Vec::with_capacity(addrs.len());
    for a in addrs {
        let col = searcher
            .segment_reader(a.segment_ord)
            .fast_fields()
            .u64("id")?;
        if let Some(id) = col.first(a.doc_id) {
            out.push(id as i64);
        }
    }
    Ok(out)
}
