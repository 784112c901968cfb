//! What a dataset page shows of the data itself: the first rows and, where the data suits
//! one, a bar chart. Both are computed once per version of the lake table and kept in a
//! small in-process cache, so that a page view of a large table does not scan it again.
//! Both show the public view (PII masked), the same for every caller who may read it.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

use zhengshu_catalog::model::DataType;
use zhengshu_lake::deltalake::datafusion::prelude::SessionContext;
use zhengshu_lake::sql::{to_text, QueryLimits, QueryResult};

use crate::model::Dataset;
use crate::{data, OpenError, OpenState};

/// Rows in a dataset page's preview.
pub(super) const PREVIEW_ROWS: usize = 10;
/// Bars in a dataset page's chart.
const CHART_BARS: usize = 12;
/// The most distinct values a column may have to be charted.
const CHART_MAX_DISTINCT: i64 = 50;
/// Columns looked at for a chart.
const CHART_CANDIDATES: usize = 6;
/// How long a page waits for a chart being computed; it then renders without one and the
/// computation goes on in the background for the next view.
const CHART_WAIT: Duration = Duration::from_secs(3);
/// How long the chart's queries may run at all.
const CHART_TIME: Duration = Duration::from_secs(60);
/// Entries kept per cache (dataset × table version).
const CACHE_ENTRIES: usize = 512;

/// A table version: the lake, the table, its version and the time of that commit (a
/// table dropped and created again restarts its versions).
type Key = (String, String, i64, String);

/// A bar chart of row counts by the values of one column.
#[derive(Debug, Clone)]
pub(super) struct Chart {
    /// The column's Chinese label.
    pub(super) column: String,
    /// The column's field name (English pages).
    pub(super) column_name: String,
    pub(super) labels: Vec<String>,
    pub(super) counts: Vec<i64>,
}

#[derive(Debug, Clone)]
enum Slot {
    Computing,
    Done(Option<Chart>),
}

fn charts() -> &'static Mutex<HashMap<Key, Slot>> {
    static CACHE: OnceLock<Mutex<HashMap<Key, Slot>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

fn previews() -> &'static Mutex<HashMap<Key, QueryResult>> {
    static CACHE: OnceLock<Mutex<HashMap<Key, QueryResult>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

fn key_of(st: &OpenState, ds: &Dataset) -> Option<Key> {
    Some((
        st.lake.lake.root().to_string(),
        ds.table.clone()?,
        ds.version?,
        ds.last_update.clone(),
    ))
}

/// The first [`PREVIEW_ROWS`] rows by key, as text (call only for a caller who may read).
pub(super) async fn preview(st: &OpenState, ds: &Dataset) -> Result<QueryResult, OpenError> {
    let key = key_of(st, ds);
    if let Some(k) = &key {
        let cache = previews().lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(p) = cache.get(k) {
            return Ok(p.clone());
        }
    }
    let batches = data::preview(st, ds, PREVIEW_ROWS).await?;
    let p = to_text(&batches, PREVIEW_ROWS)?;
    if let Some(k) = key {
        let mut cache = previews().lock().unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(k, p.clone());
    }
    Ok(p)
}

/// The dataset's chart, if its data suits one (see [`compute`]). The first view of a
/// table version starts the computation and waits up to [`CHART_WAIT`] for it; a view
/// while it runs gets no chart.
pub(super) async fn chart(st: &OpenState, ds: &Dataset) -> Option<Chart> {
    let key = key_of(st, ds)?;
    {
        let mut cache = charts().lock().unwrap_or_else(PoisonError::into_inner);
        match cache.get(&key) {
            Some(Slot::Done(c)) => return c.clone(),
            Some(Slot::Computing) => return None,
            None => {}
        }
        if cache.len() >= CACHE_ENTRIES {
            cache.retain(|_, s| matches!(s, Slot::Computing));
        }
        cache.insert(key.clone(), Slot::Computing);
    }
    let (st, ds) = (st.clone(), ds.clone());
    let task = tokio::spawn(async move {
        let chart = tokio::time::timeout(CHART_TIME, compute(&st, &ds))
            .await
            .ok()
            .flatten();
        charts()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, Slot::Done(chart.clone()));
        chart
    });
    tokio::time::timeout(CHART_WAIT, task).await.ok()?.ok()?
}

fn quoted(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

async fn run_text(ctx: &SessionContext, sql: &str) -> Option<QueryResult> {
    let df = ctx.sql(sql).await.ok()?;
    let batches = zhengshu_lake::group_codes::collect(df).await.ok()?;
    to_text(&batches, 100).ok()
}

fn number(cells: &[Option<String>], i: usize) -> i64 {
    cells
        .get(i)
        .and_then(|v| v.as_deref())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A chart when the data suits one: the first unmasked text column (not the key) whose
/// values repeat (2–50 distinct values by an approximate count, at least two rows per
/// value on average), its rows counted with a GROUP BY, the [`CHART_BARS`] largest
/// groups. Two scans of the public view; None when nothing suits.
async fn compute(st: &OpenState, ds: &Dataset) -> Option<Chart> {
    if ds.rows.unwrap_or(0) < 2 {
        return None;
    }
    let candidates: Vec<_> = ds
        .resource
        .items
        .iter()
        .filter(|i| {
            i.data_type == DataType::String && !i.pii_kind.is_sensitive() && i.name != ds.key
        })
        .take(CHART_CANDIDATES)
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let limits = QueryLimits {
        max_rows: 100,
        timeout: CHART_TIME,
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
    let total = number(row, 0);
    let item = candidates.iter().enumerate().find_map(|(i, item)| {
        let d = number(row, i + 1);
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
    let labels: Vec<String> = groups
        .rows
        .iter()
        .map(|r| r.first().cloned().flatten().unwrap_or_default())
        .collect();
    let counts = groups.rows.iter().map(|r| number(r, 1)).collect();
    (labels.len() >= 2).then(|| Chart {
        column: item.label.clone(),
        column_name: item.name.clone(),
        labels,
        counts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quoted("101001-0012-0003"), "\"101001-0012-0003\"");
        assert_eq!(quoted("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn numbers_from_text_cells() {
        let cells = vec![Some("12".to_string()), None, Some("x".to_string())];
        assert_eq!(number(&cells, 0), 12);
        assert_eq!(number(&cells, 1), 0);
        assert_eq!(number(&cells, 2), 0);
        assert_eq!(number(&cells, 9), 0);
    }
}
