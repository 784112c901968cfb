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

use std::collections::HashSet;
use std::time::Duration;

use serde_json::{json, Map, Value};
use zhengshu_exchange::query::{self, View};
use zhengshu_lake::deltalake::arrow::array::RecordBatch;
use zhengshu_lake::deltalake::arrow::datatypes::{DataType as ArrowType, Schema};
use zhengshu_lake::deltalake::arrow::json::writer::{JsonArray, WriterBuilder};
use zhengshu_lake::deltalake::datafusion::common::{ScalarValue, TableReference};
use zhengshu_lake::deltalake::datafusion::config::Dialect;
use zhengshu_lake::deltalake::datafusion::dataframe::DataFrame;
use zhengshu_lake::deltalake::datafusion::logical_expr::expr::Like;
use zhengshu_lake::deltalake::datafusion::logical_expr::utils::conjunction;
use zhengshu_lake::deltalake::datafusion::logical_expr::{cast, Expr, SortExpr};
use zhengshu_lake::deltalake::datafusion::prelude::{ident, lit, SessionContext};
use zhengshu_lake::sql::QueryLimits;

use super::{links, Call, CkanError};
use crate::model::Dataset;
use crate::stats::Event;
use crate::{data, service};

/// Records per call unless `limit` says otherwise (CKAN's default).
pub const DEFAULT_LIMIT: usize = 100;
/// Most records one call returns (CKAN's `ckan.datastore.search.rows_max`); a larger
/// `limit` is cut to it, as CKAN does.
pub const MAX_LIMIT: usize = 32_000;
/// Most values one filter may list.
const MAX_FILTER_VALUES: usize = 1000;
/// Longest a DataStore call may run.
const TIMEOUT: Duration = Duration::from_secs(30);

fn limits() -> QueryLimits {
    QueryLimits {
        max_rows: MAX_LIMIT,
        timeout: TIMEOUT,
        memory_bytes: 512 << 20,
    }
}

/// The DataStore type name of an Arrow type.
fn ckan_type(t: &ArrowType) -> &'static str {
    match t {
        ArrowType::Int8
        | ArrowType::Int16
        | ArrowType::Int32
        | ArrowType::Int64
        | ArrowType::UInt8
        | ArrowType::UInt16
        | ArrowType::UInt32
        | ArrowType::UInt64 => "int",
        ArrowType::Float16
        | ArrowType::Float32
        | ArrowType::Float64
        | ArrowType::Decimal128(..)
        | ArrowType::Decimal256(..) => "numeric",
        ArrowType::Date32 | ArrowType::Date64 => "date",
        ArrowType::Timestamp(..) => "timestamp",
        ArrowType::Time32(_) | ArrowType::Time64(_) => "time",
        ArrowType::Boolean => "bool",
        ArrowType::Binary | ArrowType::LargeBinary | ArrowType::BinaryView => "bytea",
        _ => "text",
    }
}

fn is_text(t: &ArrowType) -> bool {
    matches!(
        t,
        ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View
    )
}

/// A column of the view: name and type.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    ty: ArrowType,
}

fn columns_of(schema: &Schema) -> Vec<Column> {
    schema
        .fields()
        .iter()
        .map(|f| Column {
            name: f.name().clone(),
            ty: f.data_type().clone(),
        })
        .collect()
}

fn names(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn find<'a>(columns: &'a [Column], field: &str, name: &str) -> Result<&'a Column, CkanError> {
    columns.iter().find(|c| c.name == name).ok_or_else(|| {
        let hint = if name == "_id" {
            " (`_id` is the row's position in the result, not a stored column)"
        } else {
            ""
        };
        CkanError::invalid(
            field,
            format!(
                "field \"{name}\" not in the resource{hint}; its fields are {}",
                names(columns)
            ),
        )
    })
}

/// A filter value typed as its column, so that the comparison needs no cast of the
/// column and reaches the Delta scan.
fn typed(field: &str, c: &Column, v: &Value) -> Result<ScalarValue, CkanError> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => {
            return Err(CkanError::invalid(
                field,
                format!("field \"{}\": {other} is not a value", c.name),
            ))
        }
    };
    let text = if is_text(&c.ty) {
        text
    } else {
        text.trim().to_string()
    };
    ScalarValue::try_from_string(text.clone(), &c.ty).map_err(|_| {
        CkanError::invalid(
            field,
            format!(
                "field \"{}\" holds {} values; \"{text}\" is not one",
                c.name,
                ckan_type(&c.ty)
            ),
        )
    })
}

/// `filters`: `{"field": value}` or `{"field": [values]}`, all of which must hold.
fn filter_exprs(key: &str, v: &Value, columns: &[Column]) -> Result<Vec<Expr>, CkanError> {
    let Value::Object(m) = v else {
        return Err(CkanError::invalid(
            key,
            "Must be a JSON object: {\"field\": value, \"field2\": [value, value]}",
        ));
    };
    let mut out = Vec::new();
    for (name, value) in m {
        let c = find(columns, key, name)?;
        out.push(match value {
            Value::Null => ident(&c.name).is_null(),
            Value::Array(items) => {
                if items.is_empty() || items.len() > MAX_FILTER_VALUES {
                    return Err(CkanError::invalid(
                        key,
                        format!(
                            "field \"{name}\" lists {} values; give 1 to {MAX_FILTER_VALUES}",
                            items.len()
                        ),
                    ));
                }
                let mut values = items
                    .iter()
                    .map(|i| typed(key, c, i).map(lit))
                    .collect::<Result<Vec<_>, _>>()?;
                if values.len() == 1 {
                    ident(&c.name).eq(values.remove(0))
                } else {
                    ident(&c.name).in_list(values, false)
                }
            }
            scalar => ident(&c.name).eq(lit(typed(key, c, scalar)?)),
        });
    }
    Ok(out)
}

/// `%text%` with LIKE's wildcards in `text` escaped.
fn contains_pattern(text: &str) -> String {
    let mut p = String::from("%");
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

fn contains(e: Expr, text: &str) -> Expr {
    Expr::Like(Like::new(
        false,
        Box::new(e),
        Box::new(lit(contains_pattern(text))),
        None,
        true,
    ))
}

/// `q`: a string (rows where a text field contains it, ignoring case) or
/// `{"field": "text"}` (that field contains it).
fn q_exprs(key: &str, v: &Value, columns: &[Column]) -> Result<Vec<Expr>, CkanError> {
    match v {
        Value::String(s) if s.trim().is_empty() => Ok(Vec::new()),
        Value::String(s) => {
            let any = columns
                .iter()
                .filter(|c| is_text(&c.ty))
                .map(|c| contains(ident(&c.name), s.trim()))
                .reduce(Expr::or)
                .unwrap_or(lit(false));
            Ok(vec![any])
        }
        Value::Number(n) => q_exprs(key, &Value::String(n.to_string()), columns),
        Value::Object(m) => {
            let mut out = Vec::new();
            for (name, text) in m {
                let c = find(columns, key, name)?;
                let text = match text {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    _ => {
                        return Err(CkanError::invalid(
                            key,
                            format!("field \"{name}\": the text to look for must be a string"),
                        ))
                    }
                };
                let e = if is_text(&c.ty) {
                    ident(&c.name)
                } else {
                    cast(ident(&c.name), ArrowType::Utf8)
                };
                out.push(contains(e, text.trim()));
            }
            Ok(out)
        }
        _ => Err(CkanError::invalid(
            key,
            "Must be a string or a JSON object {\"field\": \"text\"}",
        )),
    }
}

/// One `sort` clause: `field`, `field asc|desc`, `"quoted field" desc`.
fn sort_clause(clause: &str) -> Result<(String, bool), CkanError> {
    let clause = clause.trim();
    let (field, rest) = if let Some(q) = clause.strip_prefix('"') {
        match q.split_once('"') {
            Some((f, rest)) => (f.to_string(), rest.trim()),
            None => {
                return Err(CkanError::invalid(
                    "sort",
                    format!("a quote is not closed in `{clause}`"),
                ))
            }
        }
    } else {
        match clause.split_once(char::is_whitespace) {
            Some((f, rest)) => (f.to_string(), rest.trim()),
            None => (clause.to_string(), ""),
        }
    };
    let desc = match rest.to_ascii_lowercase().as_str() {
        "" | "asc" => false,
        "desc" => true,
        other => {
            return Err(CkanError::invalid(
                "sort",
                format!("`{other}` is not asc or desc (in `{clause}`)"),
            ))
        }
    };
    Ok((field, desc))
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

/// How records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RecordsFormat {
    Objects,
    Lists,
    Csv,
    Tsv,
}

impl RecordsFormat {
    fn parse(s: &str) -> Option<RecordsFormat> {
        match s.trim() {
            "" | "objects" => Some(RecordsFormat::Objects),
            "lists" => Some(RecordsFormat::Lists),
            "csv" => Some(RecordsFormat::Csv),
            "tsv" => Some(RecordsFormat::Tsv),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            RecordsFormat::Objects => "objects",
            RecordsFormat::Lists => "lists",
            RecordsFormat::Csv => "csv",
            RecordsFormat::Tsv => "tsv",
        }
    }
}

/// Batches as JSON objects (numbers as numbers, dates and times as text, nulls as null).
fn json_rows(batches: &[RecordBatch]) -> Result<Vec<Map<String, Value>>, CkanError> {
    if batches.iter().all(|b| b.num_rows() == 0) {
        return Ok(Vec::new());
    }
    let mut buf = Vec::new();
    {
        let mut w = WriterBuilder::new()
            .with_explicit_nulls(true)
            .build::<_, JsonArray>(&mut buf);
        for b in batches {
            w.write(b)
                .map_err(|e| CkanError::Internal(format!("encoding records: {e}")))?;
        }
        w.finish()
            .map_err(|e| CkanError::Internal(format!("encoding records: {e}")))?;
    }
    serde_json::from_slice(&buf).map_err(|e| CkanError::Internal(format!("encoding records: {e}")))
}

fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The records in the requested format; `first_id` is the `_id` of the first row (None =
/// no `_id`).
fn records(
    rows: Vec<Map<String, Value>>,
    fields: &[String],
    first_id: Option<usize>,
    format: RecordsFormat,
) -> Result<Value, CkanError> {
    let cells = |i: usize, row: &Map<String, Value>| -> Vec<Value> {
        let mut out = Vec::with_capacity(fields.len() + 1);
        if let Some(first) = first_id {
            out.push(json!(first + i));
        }
        out.extend(
            fields
                .iter()
                .map(|f| row.get(f).cloned().unwrap_or(Value::Null)),
        );
        out
    };
    Ok(match format {
        RecordsFormat::Objects => Value::Array(
            rows.into_iter()
                .enumerate()
                .map(|(i, mut row)| {
                    if let Some(first) = first_id {
                        row.insert("_id".into(), json!(first + i));
                    }
                    Value::Object(row)
                })
                .collect(),
        ),
        RecordsFormat::Lists => Value::Array(
            rows.iter()
                .enumerate()
                .map(|(i, r)| Value::Array(cells(i, r)))
                .collect(),
        ),
        RecordsFormat::Csv | RecordsFormat::Tsv => {
            let mut w = csv::WriterBuilder::new()
                .delimiter(if format == RecordsFormat::Csv {
                    b','
                } else {
                    b'\t'
                })
                .from_writer(Vec::new());
            for (i, r) in rows.iter().enumerate() {
                w.write_record(cells(i, r).iter().map(cell_text))
                    .map_err(|e| CkanError::Internal(format!("writing CSV: {e}")))?;
            }
            let bytes = w
                .into_inner()
                .map_err(|e| CkanError::Internal(format!("writing CSV: {e}")))?;
            Value::String(String::from_utf8_lossy(&bytes).into_owned())
        }
    })
}

async fn collect(df: DataFrame) -> Result<Vec<RecordBatch>, CkanError> {
    tokio::time::timeout(TIMEOUT, df.collect())
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
        Some(df) => tokio::time::timeout(TIMEOUT, df.count())
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
    Ok(df.select(fields.iter().map(|f| ident(f)).collect::<Vec<_>>())?)
}

pub async fn datastore_search(c: &Call<'_>) -> Result<Value, CkanError> {
    let p = &c.params;
    let ds = readable_dataset(c).await?;
    let limit = p.count(&["limit"], DEFAULT_LIMIT)?.min(MAX_LIMIT);
    let offset = p.count(&["offset"], 0)?;
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
    page = select(page.limit(offset, Some(limit))?, &fields)?;

    let (batches, total) = if include_total {
        let (b, t) = tokio::try_join!(collect(page), total(c, &ds, count_plan))?;
        (b, Some(t))
    } else {
        (collect(page).await?, None)
    };
    let rows = json_rows(&batches)?;

    let mut out_fields = Vec::new();
    if with_id {
        out_fields.push(json!({"id": "_id", "type": "int"}));
    }
    for f in &fields {
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
        "records": records(rows, &fields, with_id.then_some(offset + 1), format)?,
        "limit": limit,
        "offset": offset,
        "_links": {
            "start": links::with_offset(path, p, None),
            "next": links::with_offset(path, p, Some(offset + limit)),
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

/// The tables a statement names, when it parses (else the engine reports the error).
fn referenced_tables(sql: &str) -> Option<Vec<TableReference>> {
    let state = SessionContext::new().state();
    let statement = state.sql_to_statement(sql, &Dialect::Generic).ok()?;
    state.resolve_table_references(&statement).ok()
}

/// `datastore_search_sql`: one read-only query over the DataStore tables the caller may
/// read. A table of a conditionally opened dataset the caller holds no approval for is an
/// Authorization Error (403), as CKAN answers for resources one may not read; any other
/// unknown table — not opened, not existing, or metadata only — is a Validation Error
/// (409) that does not say which of these it is. Writes and anything but one query are a
/// Validation Error. At most 32,000 rows (`records_truncated` says when more matched),
/// at most 30 s.
pub async fn datastore_search_sql(c: &Call<'_>) -> Result<Value, CkanError> {
    let sql = c
        .params
        .text(&["sql"])?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| CkanError::invalid("sql", "Missing value"))?;
    let refs = referenced_tables(&sql).unwrap_or_default();
    let catalog_query = refs.iter().any(|r| {
        r.schema()
            .is_some_and(|s| s.eq_ignore_ascii_case("information_schema"))
    });
    let mut used: Vec<(Dataset, View)> = Vec::new();
    for r in &refs {
        let name = r.table();
        if name.is_empty()
            || name.chars().all(|ch| ch.is_ascii_digit())
            || used.iter().any(|(d, _)| d.resource.code == name)
        {
            continue;
        }
        let ds = match service::dataset(c.st, name).await {
            Ok(ds) if ds.resource.code == name => ds,
            Ok(_) | Err(crate::OpenError::NotFound(_)) => continue,
            Err(e) => return Err(e.into()),
        };
        service::authorize(c.st, &c.caller, &ds).await?;
        let Some(view) = data::view(&ds) else {
            return Err(CkanError::invalid(
                "sql",
                format!("dataset {name} has no data in the DataStore yet (metadata only)"),
            ));
        };
        used.push((ds, view));
    }
    let (batches, truncated) = if catalog_query {
        // information_schema lists every table the caller may read.
        let (b, t, _) = data::sql(c.st, &c.caller, &sql, limits()).await?;
        (b, t)
    } else {
        let named: Vec<(String, &View)> = used
            .iter()
            .map(|(ds, v)| (ds.resource.code.clone(), v))
            .collect();
        let ctx = query::session_named(&c.st.lake, &named, limits()).await?;
        query::sql(&ctx, &sql, limits()).await?
    };
    for (ds, _) in &used {
        c.record(ds, Event::ApiCall);
    }
    let fields: Vec<Value> = batches
        .first()
        .map(|b| {
            b.schema()
                .fields()
                .iter()
                .map(|f| json!({"id": f.name(), "type": ckan_type(f.data_type())}))
                .collect()
        })
        .unwrap_or_default();
    let rows = json_rows(&batches)?;
    let mut result = json!({
        "sql": sql,
        "fields": fields,
        "records": rows.into_iter().map(Value::Object).collect::<Vec<_>>(),
    });
    if truncated {
        result["records_truncated"] = json!(true);
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols() -> Vec<Column> {
        vec![
            Column {
                name: "id".into(),
                ty: ArrowType::Int64,
            },
            Column {
                name: "name".into(),
                ty: ArrowType::Utf8,
            },
            Column {
                name: "day".into(),
                ty: ArrowType::Date32,
            },
        ]
    }

    #[test]
    fn filter_values_are_typed_like_their_column() {
        let f = filter_exprs("filters", &json!({"id": "7", "name": ["a", "b"]}), &cols()).unwrap();
        assert_eq!(f[0], ident("id").eq(lit(ScalarValue::Int64(Some(7)))));
        assert_eq!(f[1], ident("name").in_list(vec![lit("a"), lit("b")], false));
        let d = filter_exprs("filters", &json!({"day": "2025-01-02"}), &cols()).unwrap();
        assert_eq!(d[0], ident("day").eq(lit(ScalarValue::Date32(Some(20090)))));
    }

    #[test]
    fn bad_filters_are_validation_errors() {
        for bad in [
            json!({"nope": 1}),
            json!({"id": "x"}),
            json!({"id": 1.5}),
            json!({"day": "yesterday"}),
            json!({"id": []}),
            json!({"id": {"a": 1}}),
            json!(["id", 1]),
        ] {
            let e = filter_exprs("filters", &bad, &cols()).unwrap_err();
            assert_eq!(e.status().as_u16(), 409, "{bad}: {e:?}");
            assert!(e.body()["filters"].is_array(), "{bad}: {e:?}");
        }
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn sort_clauses_parse() {
        assert_eq!(sort_clause(" aqi desc").unwrap(), ("aqi".into(), true));
        assert_eq!(sort_clause("station").unwrap(), ("station".into(), false));
        assert_eq!(sort_clause("\"a b\" DESC").unwrap(), ("a b".into(), true));
        assert!(sort_clause("a sideways").is_err());
    }

    #[test]
    fn records_in_every_format() {
        let rows = vec![
            json!({"name": "甲", "n": 1}).as_object().cloned().unwrap(),
            json!({"name": "乙,丙", "n": null})
                .as_object()
                .cloned()
                .unwrap(),
        ];
        let fields = vec!["name".to_string(), "n".to_string()];
        assert_eq!(
            records(rows.clone(), &fields, Some(11), RecordsFormat::Lists).unwrap(),
            json!([[11, "甲", 1], [12, "乙,丙", null]])
        );
        assert_eq!(
            records(rows.clone(), &fields, Some(11), RecordsFormat::Objects).unwrap()[1]["_id"],
            json!(12)
        );
        assert_eq!(
            records(rows, &fields, None, RecordsFormat::Csv).unwrap(),
            json!("甲,1\n\"乙,丙\",\n")
        );
    }

    #[test]
    fn referenced_tables_are_found() {
        let refs = referenced_tables(
            "WITH t AS (SELECT * FROM \"101001-0001-0001\") SELECT * FROM t JOIN other o ON true",
        )
        .unwrap();
        let names: Vec<&str> = refs.iter().map(|r| r.table()).collect();
        assert!(names.contains(&"101001-0001-0001"), "{names:?}");
        assert!(names.contains(&"other"), "{names:?}");
        assert!(!names.contains(&"t"), "{names:?}");
    }
}
