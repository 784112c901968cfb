//! The DataStore actions over the lake: `datastore_search` and `datastore_search_sql`.
//!
//! A dataset's DataStore table is its public view (every data item, PII masked), named by
//! the resource code. `datastore_search` builds a DataFusion plan on that view: filters
//! become `column = literal` (or `IN`) with the literal typed as the column, so the view
//! pushes them into the Delta scan, where the files' statistics prune what cannot match
//! (an equality on the key column reads one file). The exact `total` is a count over the
//! same filtered plan, run alongside the page; without filters it is the row count of
//! the Delta log (no scan at all).
//!
//! Records carry a synthetic `_id`: the row's position in the result (`offset + n`).
//! CKAN's `_id` is a stored row id; zhengshu's tables have none, so `_id` may be
//! selected (`fields`) and sorted ascending (the natural order) but not filtered on.
//! Without `sort`, rows come in the table's file order, read by one partition so that
//! pages of the same table version neither overlap nor skip rows.

mod predicates;
mod records;
mod sql;

pub use sql::datastore_search_sql;

use std::collections::HashSet;
use std::time::Duration;

use serde_json::{json, Value};
use zhengshu_lake::deltalake::arrow::array::RecordBatch;
use zhengshu_lake::deltalake::datafusion::common::TableReference;
use zhengshu_lake::deltalake::datafusion::dataframe::DataFrame;
use zhengshu_lake::deltalake::datafusion::logical_expr::utils::conjunction;
use zhengshu_lake::deltalake::datafusion::logical_expr::{Expr, SortExpr};
use zhengshu_lake::deltalake::datafusion::prelude::{ident, SessionContext};
use zhengshu_lake::sql::QueryLimits;

use super::{links, Call, CkanError};
use crate::model::Dataset;
use crate::stats::Event;
use crate::{data, service};
use predicates::{columns_of, filter_exprs, find, q_exprs, sort_clause};
use records::{ckan_type, json_rows, records, RecordsFormat};

/// Records per call unless `limit` says otherwise (CKAN's default).
pub const DEFAULT_LIMIT: usize = 100;
/// Most records one call returns (CKAN's `ckan.datastore.search.rows_max`); a larger
/// `limit` is cut to it, as CKAN does.
pub const MAX_LIMIT: usize = 32_000;
/// The furthest a page may start (beyond any table's rows; keeps offset arithmetic far
/// from overflowing).
pub const MAX_OFFSET: usize = 1_000_000_000_000;
/// Longest a DataStore call may run.
const TIMEOUT: Duration = Duration::from_secs(30);

fn limits() -> QueryLimits {
    QueryLimits {
        max_rows: MAX_LIMIT,
        timeout: TIMEOUT,
        memory_bytes: 512 << 20,
    }
}

/// `sort`: `"a asc, b desc"` or a list of such clauses.
fn sort_clauses(c: &Call<'_>) -> Result<Vec<(String, bool)>, CkanError> {
    let clauses: Vec<String> = match c.params.json(&["sort"])? {
        None => Vec::new(),
        Some((_, Value::String(s))) => s.split(',').map(str::to_string).collect(),
        Some((_, Value::Array(items))) => items
            .into_iter()
            .map(|i| match i {
                Value::String(s) => Ok(s),
                _ => Err(CkanError::invalid(
                    "sort",
                    "Must be a string or a list of strings",
                )),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(CkanError::invalid(
                "sort",
                "Must be a string or a list of strings",
            ))
        }
    };
    clauses
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| sort_clause(s))
        .collect()
}

async fn collect(df: DataFrame) -> Result<Vec<RecordBatch>, CkanError> {
    tokio::time::timeout(TIMEOUT, zhengshu_lake::group_codes::collect(df))
        .await
        .map_err(|_| {
            CkanError::invalid(
                "query",
                format!(
                    "the search ran longer than {} s and was stopped; filter on the key or \
                     fewer fields",
                    TIMEOUT.as_secs()
                ),
            )
        })?
        .map_err(CkanError::from)
}

/// The exact number of rows: the Delta log's count without conditions, else a count of
/// the filtered plan.
async fn total(
    c: &Call<'_>,
    ds: &Dataset,
    filtered: Option<DataFrame>,
) -> Result<usize, CkanError> {
    match filtered {
        Some(df) => tokio::time::timeout(
            TIMEOUT,
            zhengshu_lake::group_codes::retrying(df, |df| df.count()),
        )
        .await
        .map_err(|_| {
            CkanError::invalid(
                "include_total",
                "counting took too long; filter on the key, or pass include_total=false",
            )
        })?
        .map_err(CkanError::from),
        None => {
            let table = ds.table.as_deref().unwrap_or_default();
            let t = c.st.lake.lake.open(table).await?;
            let s = zhengshu_lake::table::stats(&t)?;
            Ok(usize::try_from(s.rows).unwrap_or(0))
        }
    }
}

/// The dataset a DataStore call names, once the caller may read it.
async fn readable_dataset(c: &Call<'_>) -> Result<Dataset, CkanError> {
    let id = c
        .params
        .text(&["resource_id", "id"])?
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| CkanError::invalid("resource_id", "Missing value"))?;
    let ds = service::dataset(c.st, &id).await?;
    service::authorize(c.st, &c.caller, &ds).await?;
    Ok(ds)
}

/// The plan of the rows asked for, before sort and paging: the view, filtered.
fn filtered(df: DataFrame, conditions: &[Expr]) -> Result<DataFrame, CkanError> {
    Ok(match conjunction(conditions.to_vec()) {
        Some(f) => df.filter(f)?,
        None => df,
    })
}

fn select(df: DataFrame, fields: &[String]) -> Result<DataFrame, CkanError> {
    Ok(df.select(fields.iter().map(ident).collect::<Vec<_>>())?)
}

pub async fn datastore_search(c: &Call<'_>) -> Result<Value, CkanError> {
    let p = &c.params;
    let ds = readable_dataset(c).await?;
    let limit = p.count(&["limit"], DEFAULT_LIMIT)?.min(MAX_LIMIT);
    let offset = p.count(&["offset"], 0)?;
    if offset > MAX_OFFSET {
        return Err(CkanError::invalid(
            "offset",
            format!("Must be less than or equal to {MAX_OFFSET}"),
        ));
    }
    let include_total = p.flag(&["include_total"], true)?;
    let distinct = p.flag(&["distinct"], false)?;
    let format_text = p.text(&["records_format"])?.unwrap_or_default();
    let format = RecordsFormat::parse(&format_text).ok_or_else(|| {
        CkanError::invalid(
            "records_format",
            format!("`{format_text}` is not objects, lists, csv or tsv"),
        )
    })?;
    c.record(&ds, Event::ApiCall);

    let ctx: SessionContext = data::session_for(c.st, &ds, limits()).await?;
    let table = TableReference::bare(ds.resource.code.clone());
    let view = ctx.table(table.clone()).await?;
    let columns = columns_of(view.schema().as_arrow());

    let mut conditions = Vec::new();
    let filters = p.json(&["filters"])?;
    if let Some((k, v)) = &filters {
        conditions.extend(filter_exprs(k, v, &columns)?);
    }
    let q = p.json(&["q", "full_text"])?;
    if let Some((k, v)) = &q {
        conditions.extend(q_exprs(k, v, &columns)?);
    }
    let (fields, with_id) = match p.list(&["fields"])? {
        None => (
            columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
            true,
        ),
        Some(list) if list.is_empty() => (columns.iter().map(|c| c.name.clone()).collect(), true),
        Some(list) => {
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            let mut with_id = false;
            for f in list {
                let f = f.trim().to_string();
                if f == "_id" {
                    with_id = true;
                    continue;
                }
                find(&columns, "fields", &f)?;
                if seen.insert(f.clone()) {
                    out.push(f);
                }
            }
            if out.is_empty() {
                return Err(CkanError::invalid(
                    "fields",
                    "name at least one field besides `_id`",
                ));
            }
            (out, with_id)
        }
    };
    let mut order: Vec<SortExpr> = Vec::new();
    let mut ordered = HashSet::new();
    for (name, desc) in sort_clauses(c)? {
        if name == "_id" {
            if desc {
                return Err(CkanError::invalid(
                    "sort",
                    "`_id desc` is not supported: `_id` is the position in the natural order",
                ));
            }
            // The natural order; as a later clause it changes nothing.
            continue;
        }
        let col = find(&columns, "sort", &name)?;
        if distinct && !fields.contains(&col.name) {
            return Err(CkanError::invalid(
                "sort",
                format!("with distinct, sort by returned fields only; \"{name}\" is not one"),
            ));
        }
        if ordered.insert(col.name.clone()) {
            order.push(ident(&col.name).sort(!desc, desc));
        }
    }
    // Ties are broken by the key (or every returned field), so that pages are stable.
    if !order.is_empty() {
        if !ds.key.is_empty()
            && columns.iter().any(|c| c.name == ds.key)
            && (!distinct || fields.contains(&ds.key))
        {
            if ordered.insert(ds.key.clone()) {
                order.push(ident(&ds.key).sort(true, false));
            }
        } else {
            for f in &fields {
                if ordered.insert(f.clone()) {
                    order.push(ident(f).sort(true, false));
                }
            }
        }
    }

    // The count runs on the session as it is (every core); the page, when unsorted, on
    // one partition so that the file order is the order.
    let one_scan = include_total && order.is_empty() && !distinct && !conditions.is_empty();
    let count_plan = if include_total && (!conditions.is_empty() || distinct) {
        let df = filtered(view, &conditions)?;
        Some(if distinct {
            select(df, &fields)?.distinct()?
        } else {
            df
        })
    } else {
        None
    };
    if order.is_empty() {
        ctx.state_ref()
            .write()
            .config_mut()
            .options_mut()
            .execution
            .target_partitions = 1;
    }
    let mut page = filtered(ctx.table(table).await?, &conditions)?;
    if distinct {
        page = select(page, &fields)?.distinct()?;
    }
    if !order.is_empty() {
        page = page.sort(order)?;
    }
    if one_scan {
        // A selective filter (an equality on the key) matches a handful of rows: the scan
        // that reads the page can count them too, instead of a second scan that reads the
        // same row groups again. A filter that matches many rows stops this scan early and
        // is counted by the count plan.
        let (batches, counted) = scan_page(select(page, &fields)?, offset, limit).await?;
        let total = match counted {
            Some(n) => n,
            None => total(c, &ds, count_plan).await?,
        };
        return respond(
            c,
            &ds,
            &columns,
            &fields,
            with_id,
            format,
            offset,
            limit,
            &batches,
            Some(total),
            filters,
            q,
            distinct,
        );
    }
    page = select(page.limit(offset, Some(limit))?, &fields)?;

    let (batches, total) = if include_total {
        let (b, t) = tokio::try_join!(collect(page), total(c, &ds, count_plan))?;
        (b, Some(t))
    } else {
        (collect(page).await?, None)
    };
    respond(
        c, &ds, &columns, &fields, with_id, format, offset, limit, &batches, total, filters, q,
        distinct,
    )
}

/// Rows of the filtered scan counted past the page before the scan gives up counting
/// and leaves the total to a count plan.
const COUNT_IN_SCAN: usize = 4096;

/// The page `[offset, offset + limit)` of an unsorted plan, and the number of rows it
/// yields when that is at most `offset + limit + COUNT_IN_SCAN` (else `None`: the scan
/// stopped early).
async fn scan_page(
    df: DataFrame,
    offset: usize,
    limit: usize,
) -> Result<(Vec<RecordBatch>, Option<usize>), CkanError> {
    use futures::StreamExt as _;
    let schema = std::sync::Arc::new(df.schema().as_arrow().clone());
    let end = offset.saturating_add(limit);
    let give_up = end.saturating_add(COUNT_IN_SCAN);
    let scan = async {
        let mut stream = df.execute_stream().await?;
        let mut out = Vec::new();
        let mut seen = 0usize;
        while let Some(batch) = stream.next().await {
            let batch = batch?;
            let (from, to) = (seen, seen + batch.num_rows());
            if to > offset && from < end {
                let start = offset.max(from) - from;
                let stop = end.min(to) - from;
                out.push(batch.slice(start, stop - start));
            }
            seen = to;
            if seen > give_up {
                return Ok::<_, CkanError>((out, None));
            }
        }
        Ok((out, Some(seen)))
    };
    let (mut batches, total) = tokio::time::timeout(TIMEOUT, scan).await.map_err(|_| {
        CkanError::invalid(
            "query",
            format!(
                "the search ran longer than {} s and was stopped; filter on the key or fewer \
                 fields",
                TIMEOUT.as_secs()
            ),
        )
    })??;
    if batches.is_empty() {
        batches.push(RecordBatch::new_empty(schema));
    }
    Ok((batches, total))
}

/// The `datastore_search` result for the page's rows.
#[allow(clippy::too_many_arguments)]
fn respond(
    c: &Call<'_>,
    ds: &Dataset,
    columns: &[predicates::Column],
    fields: &[String],
    with_id: bool,
    format: RecordsFormat,
    offset: usize,
    limit: usize,
    batches: &[RecordBatch],
    total: Option<usize>,
    filters: Option<(String, Value)>,
    q: Option<(String, Value)>,
    distinct: bool,
) -> Result<Value, CkanError> {
    let p = &c.params;
    let include_total = total.is_some();
    let rows = json_rows(batches)?;

    let mut out_fields = Vec::new();
    if with_id {
        out_fields.push(json!({"id": "_id", "type": "int"}));
    }
    for f in fields {
        let ty = columns
            .iter()
            .find(|c| &c.name == f)
            .map(|c| ckan_type(&c.ty))
            .unwrap_or("text");
        let item = ds.resource.items.iter().find(|i| &i.name == f);
        out_fields.push(json!({
            "id": f,
            "type": ty,
            "info": {
                "label": item.map(|i| i.label.clone()).unwrap_or_default(),
                "notes": item.map(|i| i.description.clone()).unwrap_or_default(),
                "type_override": "",
            },
        }));
    }
    let path = "/api/3/action/datastore_search";
    let mut result = json!({
        "include_total": include_total,
        "resource_id": ds.resource.code,
        "fields": out_fields,
        "records_format": format.as_str(),
        "records": records(rows, fields, with_id.then_some(offset.saturating_add(1)), format)?,
        "limit": limit,
        "offset": offset,
        "_links": {
            "start": links::with_offset(path, p, None),
            "next": links::with_offset(path, p, Some(offset.saturating_add(limit))),
        },
    });
    if let Some(t) = total {
        result["total"] = json!(t);
        result["total_was_estimated"] = json!(false);
    }
    if let Some((_, f)) = filters {
        result["filters"] = f;
    }
    if let Some((_, q)) = q {
        result["q"] = q;
    }
    if distinct {
        result["distinct"] = json!(true);
    }
    if let Some(s) = p.text(&["sort"]).ok().flatten() {
        result["sort"] = json!(s);
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use zhengshu_lake::deltalake::arrow::array::{Array, Int64Array};
    use zhengshu_lake::deltalake::arrow::datatypes::{DataType, Field, Schema};
    use zhengshu_lake::deltalake::datafusion::datasource::MemTable;

    use super::*;

    /// A one-partition table of `n` rows numbered 0.., in batches of 1000.
    async fn numbers(n: i64) -> DataFrame {
        let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, false)]));
        let batches = (0..n)
            .step_by(1000)
            .map(|lo| {
                let col = Int64Array::from_iter_values(lo..(lo + 1000).min(n));
                RecordBatch::try_new(schema.clone(), vec![Arc::new(col)]).unwrap()
            })
            .collect();
        let ctx = SessionContext::new();
        ctx.register_table(
            "t",
            Arc::new(MemTable::try_new(schema, vec![batches]).unwrap()),
        )
        .unwrap();
        ctx.table("t").await.unwrap()
    }

    fn values(batches: &[RecordBatch]) -> Vec<i64> {
        batches
            .iter()
            .flat_map(|b| {
                let a = b.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
                (0..a.len()).map(|i| a.value(i)).collect::<Vec<_>>()
            })
            .collect()
    }

    #[tokio::test]
    async fn a_page_across_batches_and_the_count_of_a_small_result() {
        let (page, total) = scan_page(numbers(3_000).await, 950, 100).await.unwrap();
        assert_eq!(values(&page), (950..1050).collect::<Vec<_>>());
        assert_eq!(total, Some(3_000));
    }

    #[tokio::test]
    async fn a_large_result_stops_the_scan_and_leaves_the_count() {
        let (page, total) = scan_page(numbers(20_000).await, 10, 5).await.unwrap();
        assert_eq!(values(&page), (10..15).collect::<Vec<_>>());
        assert_eq!(total, None, "more than COUNT_IN_SCAN rows past the page");
        // Just inside the limit: counted.
        let n = (15 + COUNT_IN_SCAN) as i64;
        let (_, total) = scan_page(numbers(n).await, 10, 5).await.unwrap();
        assert_eq!(total, Some(n as usize));
    }

    #[tokio::test]
    async fn a_page_beyond_the_rows_is_empty_with_the_columns() {
        let (page, total) = scan_page(numbers(500).await, 600, 100).await.unwrap();
        assert_eq!(page.len(), 1);
        assert_eq!(page[0].num_rows(), 0);
        assert_eq!(page[0].schema().field(0).name(), "n");
        assert_eq!(total, Some(500));
    }
}
