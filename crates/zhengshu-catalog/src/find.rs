//! Searching the catalog: index lookup, then the resources from the database, with
//! facet values labelled.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::Row;

use crate::model::Resource;
use crate::search::{Facet, FacetCount, FacetValues, SearchParams, Viewer};
use crate::{store, CatalogError, CatalogState};

/// One page of search results.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchPage {
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub resources: Vec<Resource>,
    pub facets: Vec<FacetValues>,
}

/// Searches as `viewer` sees the catalog. The index first catches up with changes made
/// by other instances (one indexed query when there are none).
pub async fn search(
    state: &CatalogState,
    viewer: Viewer,
    params: &SearchParams,
    en: bool,
) -> Result<SearchPage, CatalogError> {
    state.index.sync(&state.db, state.clock.now()).await?;
    let hits = state.index.search(params, viewer)?;
    let mut conn = state.db.pool().acquire().await?;
    let resources = store::get_many(&mut conn, &hits.ids).await?;
    let units: HashMap<String, String> = if hits
        .facets
        .get(Facet::Unit.index())
        .is_some_and(|m| !m.is_empty())
    {
        sqlx::query("SELECT id, name FROM units")
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get::<i64, _>("id")?.to_string(),
                    r.try_get::<String, _>("name")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()?
    } else {
        HashMap::new()
    };
    let facets = Facet::ALL
        .iter()
        .zip(hits.facets)
        .map(|(facet, counts)| {
            let mut values: Vec<FacetCount> = counts
                .into_iter()
                .map(|(value, count)| {
                    let label = match facet {
                        Facet::Unit => units.get(&value).cloned().unwrap_or_else(|| value.clone()),
                        _ => facet.value_label(&value, en),
                    };
                    FacetCount {
                        value,
                        label,
                        count,
                    }
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            FacetValues {
                facet: *facet,
                label: if en {
                    facet.label_en()
                } else {
                    facet.label_zh()
                }
                .into(),
                values,
            }
        })
        .collect();
    Ok(SearchPage {
        total: hits.total,
        offset: params.offset,
        limit: params.limit,
        resources,
        facets,
    })
}
