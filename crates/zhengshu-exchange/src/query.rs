//! The share API's query layer: each grant as a view of its lake table, a sandboxed SQL
//! session in which only those views exist, and REST pages with a stable cursor.
//!
//! A view is the table filtered by the grant's row filter, then cut to the granted data
//! items, with every PII item masked unless the grant allows its raw value. The view is a
//! barrier: an outer predicate is evaluated inside it (where it reaches the Delta scan and
//! prunes files) only if it cannot fail; any other predicate stays above it, so that no
//! error message can quote a value from a row the row filter hides. Filters and sorts on a
//! masked item see the masked text only, so probing a masked column reveals nothing.

mod cursor;
mod encode;
mod filter;
mod rest;
mod sandbox;

use std::collections::HashSet;
use std::sync::Arc;

use zhengshu_catalog::DataItem;
use zhengshu_lake::deltalake::arrow::array::{Array, RecordBatch};
use zhengshu_lake::deltalake::arrow::compute::{
    concat_batches, lexsort_to_indices, take_record_batch, SortColumn, SortOptions,
};
use zhengshu_lake::deltalake::arrow::datatypes::{DataType as ArrowType, Field, Schema, SchemaRef};
use zhengshu_lake::deltalake::datafusion::catalog::TableProvider;
use zhengshu_lake::deltalake::datafusion::common::ScalarValue;
use zhengshu_lake::deltalake::datafusion::datasource::provider_as_source;
use zhengshu_lake::deltalake::datafusion::execution::TaskContext;
use zhengshu_lake::deltalake::datafusion::logical_expr::utils::conjunction;
use zhengshu_lake::deltalake::datafusion::logical_expr::{
    Expr, LogicalPlan, LogicalPlanBuilder, SortExpr,
};
use zhengshu_lake::deltalake::datafusion::physical_plan::collect;
use zhengshu_lake::deltalake::datafusion::prelude::{
    cast, coalesce, concat, ident, lit, SessionConfig, SessionContext,
};
use zhengshu_lake::deltalake::datafusion::sql::parser::{DFParserBuilder, Statement};
use zhengshu_lake::deltalake::datafusion::sql::sqlparser::ast::Statement as SqlStatement;
use zhengshu_lake::deltalake::datafusion::sql::sqlparser::dialect::GenericDialect;
use zhengshu_lake::deltalake::DeltaTable;
use zhengshu_lake::sql::{mask_udf, read_only, QueryLimits};
use zhengshu_lake::{LakeError, LakeState};

pub use cursor::set_cursor_secret;
pub use rest::RESERVED;

use crate::model::{Condition, Grant};
use crate::ExchangeError;
use cursor::{Cursor, KeyPosition, KeyValue};

/// Rows per REST page unless `limit` says otherwise.
pub const DEFAULT_LIMIT: usize = 100;
/// The most rows one REST page may ask for.
pub const MAX_LIMIT: usize = 10_000;

/// One granted table as the scenario sees it.
#[derive(Debug, Clone)]
pub struct View {
    /// The lake table name (what SQL and the REST path call it).
    pub table: String,
    /// The resource's data items (types and PII kinds).
    pub items: Vec<DataItem>,
    /// The resource's key column ("" = none).
    pub key: String,
    pub grant: Grant,
}

impl View {
    /// The granted data items in the resource's order, each with whether it is masked
    /// (a PII item whose raw value the grant does not allow). Granted names that are no
    /// longer data items of the resource are left out.
    pub fn columns(&self) -> Vec<(&DataItem, bool)> {
        self.items
            .iter()
            .filter(|i| self.grant.columns.contains(&i.name))
            .map(|i| {
                let masked = i.pii_kind.is_sensitive() && !self.grant.raw_columns.contains(&i.name);
                (i, masked)
            })
            .collect()
    }
}

/// Output formats of share data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Arrow,
}

/// `column > value` (`gt.`) or `column < value` (`lt.`): the model's `Op::Range` is
/// inclusive, so strict bounds are kept apart.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StrictBound {
    pub column: String,
    /// `gt` (true) or `lt` (false).
    pub greater: bool,
    pub value: String,
}

/// A parsed REST query.
#[derive(Debug, Clone, Default)]
pub struct RowsQuery {
    /// Columns to return, in this order; empty = every granted item.
    pub fields: Vec<String>,
    /// Conditions, all of which must hold (`eq`, `in`, `gte`/`lte` as ranges, `prefix`).
    pub filters: Vec<Condition>,
    /// `gt.` / `lt.` conditions.
    pub strict: Vec<StrictBound>,
    /// (column, descending)
    pub sort: Vec<(String, bool)>,
    /// Rows per page (0 = the default, 100).
    pub limit: usize,
    pub cursor: Option<String>,
}

/// One page of rows.
#[derive(Debug)]
pub struct Page {
    /// The rows (at least one batch, possibly empty, so that the columns are known).
    pub batches: Vec<RecordBatch>,
    pub rows: usize,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<String>,
    /// The Delta table version every page of this paging reads.
    pub version: i64,
}

fn lake_err(e: impl std::fmt::Display) -> ExchangeError {
    ExchangeError::Lake(LakeError::Storage(e.to_string()))
}

/// A session that spills or fails beyond the memory limit, with nothing registered but the
/// information schema (and the lake's shared Parquet metadata cache).
fn bare_context(lake: &LakeState, limits: QueryLimits) -> Result<SessionContext, ExchangeError> {
    let runtime = lake.lake.runtime(limits.memory_bytes)?;
    let config = SessionConfig::new()
        .with_information_schema(true)
        .with_default_catalog_and_schema("datafusion", "public");
    let ctx = SessionContext::new_with_config_rt(config, runtime);
    zhengshu_lake::group_codes::install(&ctx);
    Ok(ctx)
}

/// A granted column as the caller sees it.
struct ViewColumn {
    name: String,
    /// The column, or its masked value.
    expr: Expr,
    /// The type the caller sees (text when masked).
    ty: ArrowType,
    masked: bool,
    /// The item's PII kind (what a masked value is masked as).
    kind: zhengshu_core::PiiKind,
}

/// The scan of a view's table with the row filter applied (to the raw values), and the
/// granted columns in the resource's order.
fn filtered_scan(
    view: &View,
    provider: Arc<dyn TableProvider>,
) -> Result<(LogicalPlanBuilder, Vec<ViewColumn>), ExchangeError> {
    let schema = provider.schema();
    let names = || {
        schema
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut conditions = Vec::new();
    for c in &view.grant.row_filter {
        let field = schema.field_with_name(&c.column).map_err(|_| {
            ExchangeError::invalid(
                "row_filter",
                format!(
                    "`{}` is not a column of `{}`; its columns are {}",
                    c.column,
                    view.table,
                    names()
                ),
            )
        })?;
        conditions.push(filter::condition_expr(
            "row_filter",
            c,
            field.data_type(),
            ident(&c.column),
        )?);
    }
    let mut columns = Vec::new();
    for (item, masked) in view.columns() {
        let field = schema.field_with_name(&item.name).map_err(|_| {
            ExchangeError::Sql(format!(
                "the granted item `{}` is not a column of the lake table `{}` (its columns \
                 are {}); the table and its catalog entry disagree",
                item.name,
                view.table,
                names()
            ))
        })?;
        columns.push(ViewColumn {
            name: item.name.clone(),
            expr: if masked {
                mask_udf().call(vec![lit(item.pii_kind.as_str()), ident(&item.name)])
            } else {
                ident(&item.name)
            },
            ty: if masked {
                ArrowType::Utf8
            } else {
                field.data_type().clone()
            },
            masked,
            kind: item.pii_kind,
        });
    }
    if columns.is_empty() {
        return Err(ExchangeError::invalid(
            "columns",
            format!(
                "the grant on `{}` names none of the resource's data items",
                view.table
            ),
        ));
    }
    let mut b = LogicalPlanBuilder::scan(view.table.clone(), provider_as_source(provider), None)?;
    if let Some(f) = conjunction(conditions) {
        b = b.filter(f)?;
    }
    Ok((b, columns))
}

/// The view's plan over a provider of its table: scan → row filter (on the raw values)
/// → granted items, masked, named as the items → all qualified by `name`.
fn view_plan(
    view: &View,
    name: &str,
    provider: Arc<dyn TableProvider>,
) -> Result<LogicalPlan, ExchangeError> {
    let (b, columns) = filtered_scan(view, provider)?;
    let exprs = columns.into_iter().map(|c| c.expr.alias(c.name));
    Ok(b.project(exprs)?.alias(name)?.build()?)
}

/// The sandboxed session: only the views exist, each under its table name, over the
/// current version of its table. `information_schema` (and `SHOW TABLES`/`SHOW COLUMNS`)
/// list just the views and their granted columns; `mask_pii` is there (it only masks).
/// No other table, schema, time travel, URL or file function is reachable.
pub async fn session(
    lake: &LakeState,
    views: &[View],
    limits: QueryLimits,
) -> Result<SessionContext, ExchangeError> {
    let named: Vec<(String, &View)> = views.iter().map(|v| (v.table.clone(), v)).collect();
    session_named(lake, &named, limits).await
}

/// [`session`] with each view registered under a name of the caller's choosing (the open
/// data portal names them by resource code, as CKAN names DataStore tables by resource id).
pub async fn session_named(
    lake: &LakeState,
    views: &[(String, &View)],
    limits: QueryLimits,
) -> Result<SessionContext, ExchangeError> {
    let ctx = bare_context(lake, limits)?;
    let mut seen = HashSet::new();
    for (name, v) in views {
        if !seen.insert(name.as_str()) {
            return Err(ExchangeError::invalid(
                "grants",
                format!("two grants for `{name}`; the session takes one view per table"),
            ));
        }
        let t = lake.lake.open(&v.table).await?;
        let provider = t.table_provider().await.map_err(lake_err)?;
        let plan = view_plan(v, name, provider)?;
        ctx.register_table(
            zhengshu_lake::deltalake::datafusion::common::TableReference::bare(name.clone()),
            Arc::new(sandbox::SandboxView::new(plan)),
        )?;
    }
    ctx.register_udf(mask_udf());
    Ok(ctx)
}

/// The leading keywords of a statement (`CREATE VIEW`, `INSERT INTO`, `SET`).
fn keywords(statement: &str) -> String {
    let words: Vec<&str> = statement
        .split_whitespace()
        .take(3)
        .take_while(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .collect();
    if words.is_empty() {
        "this statement".into()
    } else {
        words.join(" ")
    }
}

/// Refuses anything but one query (`SELECT`, `WITH`, `VALUES`, `SHOW TABLES`,
/// `SHOW COLUMNS`) with a message that says what is not allowed.
fn check_statement(sql: &str) -> Result<(), ExchangeError> {
    let allowed = "only one read-only query (SELECT, WITH … SELECT, VALUES, SHOW TABLES, \
                   SHOW COLUMNS) runs in the share sandbox";
    let mut statements = DFParserBuilder::new(sql)
        .with_dialect(&GenericDialect {})
        .build()
        .and_then(|mut p| p.parse_statements())
        .map_err(|e| ExchangeError::Sql(e.to_string()))?;
    if statements.len() != 1 {
        return Err(ExchangeError::Sql(format!(
            "{} statements given; {allowed}",
            statements.len()
        )));
    }
    let refused = |what: String| ExchangeError::Sql(format!("{what} is not allowed: {allowed}"));
    match statements.pop_front() {
        Some(Statement::Statement(s)) => match *s {
            SqlStatement::Query(_)
            | SqlStatement::ShowTables { .. }
            | SqlStatement::ShowColumns { .. } => Ok(()),
            other => Err(refused(keywords(&other.to_string()))),
        },
        Some(Statement::CreateExternalTable(_)) => Err(refused("CREATE EXTERNAL TABLE".into())),
        Some(Statement::CopyTo(_)) => Err(refused("COPY".into())),
        Some(Statement::Explain(_)) => Err(refused("EXPLAIN".into())),
        Some(Statement::Reset(_)) => Err(refused("RESET".into())),
        None => Err(ExchangeError::Sql(format!("no statement given; {allowed}"))),
    }
}

/// The error of a query stopped at its time limit.
fn ran_too_long(timeout: std::time::Duration) -> ExchangeError {
    ExchangeError::Sql(format!(
        "the query ran longer than {} s and was stopped",
        timeout.as_secs_f64()
    ))
}

async fn collect_limited(
    df: zhengshu_lake::deltalake::datafusion::dataframe::DataFrame,
    timeout: std::time::Duration,
) -> Result<Vec<RecordBatch>, ExchangeError> {
    let schema: SchemaRef = Arc::new(df.schema().as_arrow().clone());
    let mut batches = tokio::time::timeout(timeout, zhengshu_lake::group_codes::collect(df))
        .await
        .map_err(|_| ran_too_long(timeout))??;
    batches.retain(|b| b.num_rows() > 0);
    if batches.is_empty() {
        batches.push(RecordBatch::new_empty(schema));
    }
    Ok(batches)
}

/// Runs read-only SQL in a sandboxed session; at most `limits.max_rows` rows, and whether
/// more were left out. Only a single query is accepted (see [`session`]).
pub async fn sql(
    ctx: &SessionContext,
    sql: &str,
    limits: QueryLimits,
) -> Result<(Vec<RecordBatch>, bool), ExchangeError> {
    check_statement(sql)?;
    let started = tokio::time::Instant::now();
    let df = tokio::time::timeout(limits.timeout, ctx.sql_with_options(sql, read_only()))
        .await
        .map_err(|_| ExchangeError::Sql("planning the query took too long".into()))??;
    let df = df.limit(0, Some(limits.max_rows.saturating_add(1)))?;
    let left = limits.timeout.saturating_sub(started.elapsed());
    let batches = collect_limited(df, left).await?;
    Ok(truncate(batches, limits.max_rows))
}

/// At most `max` rows of the batches, and whether any were dropped.
fn truncate(batches: Vec<RecordBatch>, max: usize) -> (Vec<RecordBatch>, bool) {
    let mut out = Vec::new();
    let mut n = 0;
    let mut truncated = false;
    for b in batches {
        if n + b.num_rows() <= max {
            n += b.num_rows();
            out.push(b);
        } else {
            truncated = true;
            if n < max || out.is_empty() {
                out.push(b.slice(0, max - n));
            }
            break;
        }
    }
    (out, truncated)
}

/// The table as of the cursor's version (the cached copy when it is still that version).
async fn pinned(lake: &LakeState, table: &str, version: i64) -> Result<DeltaTable, ExchangeError> {
    let current = lake.lake.open(table).await?;
    if current.version().and_then(|v| i64::try_from(v).ok()) == Some(version) {
        return Ok(current);
    }
    lake.lake.open_version(table, version).await.map_err(|e| {
        ExchangeError::invalid(
            "cursor",
            format!(
                "version {version} of `{table}` that this paging reads is no longer available \
                 ({e}); start again without a cursor"
            ),
        )
    })
}

fn unknown_column(field: &str, column: &str, allowed: &[String]) -> ExchangeError {
    ExchangeError::invalid(
        field,
        format!(
            "`{column}` is not a granted column; the granted columns are {}",
            allowed.join(", ")
        ),
    )
}

/// Key types whose values a cursor can carry.
fn keyset_type(t: &ArrowType) -> bool {
    matches!(
        t,
        ArrowType::Utf8
            | ArrowType::LargeUtf8
            | ArrowType::Utf8View
            | ArrowType::Int8
            | ArrowType::Int16
            | ArrowType::Int32
            | ArrowType::Int64
            | ArrowType::UInt8
            | ArrowType::UInt16
            | ArrowType::UInt32
            | ArrowType::Float32
            | ArrowType::Float64
            | ArrowType::Date32
            | ArrowType::Boolean
            | ArrowType::Timestamp(..)
    )
}

/// One page of a view through the REST query.
///
/// Rows are ordered by the requested sort, then the key (when granted unmasked) and the
/// other unmasked items — or, without such a key, every item as the caller sees it — so
/// pages neither overlap nor skip. (Rows that share a key and differ only in masked items
/// may swap places between pages: keys are unique in upsert tables.) The first page pins
/// the table's version; the cursor carries it, so later pages read the same snapshot.
/// Sorting by the key alone (the default) pages by key (`key >= last`), so a late page
/// costs what the first does (see [`keyset_rows`]); any other sort pages by offset.
/// Filters and sorts on masked items see the masked text.
pub async fn rows(
    lake: &LakeState,
    view: &View,
    q: &RowsQuery,
    limits: QueryLimits,
) -> Result<Page, ExchangeError> {
    let limit = match q.limit {
        0 => DEFAULT_LIMIT,
        n if n > MAX_LIMIT => {
            return Err(ExchangeError::invalid(
                "limit",
                format!("{n} rows per page asked; the most is {MAX_LIMIT}"),
            ))
        }
        n => n,
    }
    .min(limits.max_rows.max(1));
    let fingerprint = cursor::fingerprint(&(&view.table, &q.filters, &q.strict, &q.sort));
    let cur = q.cursor.as_deref().map(Cursor::decode).transpose()?;
    let other_query = || {
        ExchangeError::invalid(
            "cursor",
            "the cursor belongs to another query: keep the table, filters and sort of the \
             first page, or start again without a cursor",
        )
    };
    if let Some(c) = &cur {
        if c.t != view.table || c.q != fingerprint {
            return Err(other_query());
        }
    }
    let table = match &cur {
        Some(c) => pinned(lake, &view.table, c.v).await?,
        None => lake.lake.open(&view.table).await?,
    };
    let version = table
        .version()
        .and_then(|v| i64::try_from(v).ok())
        .unwrap_or(-1);
    let provider = table.table_provider().await.map_err(lake_err)?;
    // Filters, sort and limit run on the row-filtered scan, with each masked item
    // replaced by its masked value wherever they name it; only the page is projected
    // (and so masked), not every row the sort reads.
    let (base, columns) = filtered_scan(view, provider)?;
    let allowed: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let column = |field: &str, name: &str| -> Result<&ViewColumn, ExchangeError> {
        columns
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| unknown_column(field, name, &allowed))
    };

    let fields = if q.fields.is_empty() {
        allowed.clone()
    } else {
        for f in &q.fields {
            column("fields", f)?;
        }
        q.fields.clone()
    };
    let mut conditions = Vec::new();
    for c in &q.filters {
        let col = column(&c.column, &c.column)?;
        conditions.push(filter::condition_expr(
            &c.column,
            c,
            &col.ty,
            col.expr.clone(),
        )?);
    }
    for s in &q.strict {
        if s.value.trim().is_empty() {
            return Err(ExchangeError::invalid(
                &s.column,
                "gt. and lt. need a value",
            ));
        }
        let col = column(&s.column, &s.column)?;
        conditions.push(filter::strict_expr(
            &s.column,
            &s.column,
            s.greater,
            &s.value,
            &col.ty,
            col.expr.clone(),
        )?);
    }
    let mut order: Vec<SortExpr> = Vec::new();
    for (c, desc) in &q.sort {
        order.push(column("sort", c)?.expr.clone().sort(!desc, *desc));
    }

    let key = view.key.as_str();
    let key_type = columns
        .iter()
        .find(|c| c.name == key && !c.masked)
        .map(|c| c.ty.clone())
        .filter(keyset_type);
    let keyset = key_type.is_some()
        && (q.sort.is_empty() || (q.sort.len() == 1 && q.sort[0].0 == key && !q.sort[0].1));
    // Ties are broken by the key, then by the other unmasked items; without a usable
    // key, by every item as the caller sees it. Masked items never order rows by their
    // raw values.
    let mut ordered: HashSet<&str> = q.sort.iter().map(|(c, _)| c.as_str()).collect();
    if key_type.is_some() && ordered.insert(key) {
        order.push(ident(key).sort(true, false));
    }
    let ties: Vec<&ViewColumn> = columns
        .iter()
        .filter(|c| (!c.masked || key_type.is_none()) && ordered.insert(c.name.as_str()))
        .collect();

    let mut offset = 0;
    let mut position: Option<KeyPosition> = None;
    if let Some(c) = &cur {
        match (&c.k, &key_type) {
            (Some(k), Some(ty)) if keyset => {
                let key_col = ident(key);
                conditions.push(match &k.value {
                    Some(v) => {
                        let v = v.to_scalar(ty).ok_or_else(other_query)?;
                        key_col.clone().gt_eq(lit(v)).or(key_col.is_null())
                    }
                    None => key_col.is_null(),
                });
                offset = k.skip;
                position = Some(k.clone());
            }
            (None, _) if !keyset => offset = c.o,
            _ => return Err(other_query()),
        }
    }

    // The page's columns; in keyset paging also the key and the tie-breaking items,
    // which are ordered in Rust and cut off before the page goes out.
    let mut projected = fields.clone();
    if keyset {
        for name in std::iter::once(key).chain(ties.iter().map(|c| c.name.as_str())) {
            if !projected.iter().any(|f| f == name) {
                projected.push(name.to_string());
            }
        }
    }
    // When no filter or sort names a masked item, the plan reads the raw items and the
    // page is masked after it (`mask_page`): a projection of `mask_pii` calls costs the
    // planner more than masking a page of rows does (≈ 0.3 ms of a 9 ms keyed fetch).
    // Keyset paging orders by unmasked items only; other paging may order by masked ones.
    let names_masked = |name: &str| columns.iter().any(|c| c.name == name && c.masked);
    let mask_after = keyset
        && !q.filters.iter().any(|c| names_masked(&c.column))
        && !q.strict.iter().any(|c| names_masked(&c.column))
        && !q.sort.iter().any(|(c, _)| names_masked(c));
    let mut select = Vec::new();
    for f in &projected {
        let c = column("fields", f)?;
        select.push(if mask_after {
            ident(&c.name)
        } else {
            c.expr.clone().alias(f)
        });
    }
    let mut b = base;
    if let Some(f) = conjunction(conditions) {
        b = b.filter(f)?;
    }
    // The rows from the page's first on: at most `limit + 1`, to tell whether more follow.
    let all = if keyset {
        let at = |name: &str| projected.iter().position(|f| f == name).unwrap_or(0);
        let ties: Vec<usize> = ties.iter().map(|c| at(&c.name)).collect();
        // `key=eq.X`: every row has the one key, so there is nothing to order by it.
        let one_key = q
            .filters
            .iter()
            .any(|c| c.column == key && c.op == crate::model::Op::Eq);
        let rows = keyset_rows(
            lake,
            b,
            key,
            one_key,
            at(key),
            &ties,
            select,
            offset + limit + 1,
            limits,
        )
        .await?;
        let from = offset.min(rows.num_rows());
        rows.slice(from, (rows.num_rows() - from).min(limit + 1))
    } else {
        if let Some(t) = tie_breaker(ties.iter().map(|c| c.expr.clone()).collect()) {
            order.push(t.sort(true, false));
        }
        let plan = b
            .sort(order)?
            .limit(offset, Some(limit + 1))?
            .project(select)?
            .build()?;
        run_plan(lake, plan, limits).await?
    };
    let more = all.num_rows() > limit;
    let page = all.slice(0, all.num_rows().min(limit));

    let next_cursor = if !more {
        None
    } else {
        let mut next = Cursor {
            t: view.table.clone(),
            v: version,
            q: fingerprint,
            o: 0,
            k: None,
        };
        if keyset {
            let idx = projected.iter().position(|f| f == key).unwrap_or(0);
            next.k = Some(next_position(page.column(idx).as_ref(), position.as_ref())?);
        } else {
            next.o = offset + page.num_rows();
        }
        Some(next.encode()?)
    };
    let page = if projected.len() > fields.len() {
        page.project(&(0..fields.len()).collect::<Vec<_>>())?
    } else {
        page
    };
    let page = if mask_after {
        mask_page(&page, &columns)?
    } else {
        page
    };
    Ok(Page {
        rows: page.num_rows(),
        batches: vec![page],
        next_cursor,
        version,
    })
}

/// Runs a REST read's plan to one batch: planned in the lake's shared planning state (no
/// session — ≈ 170 functions registered — is built per call), run with a runtime of its
/// own that holds the query's memory limit.
async fn run_plan(
    lake: &LakeState,
    plan: LogicalPlan,
    limits: QueryLimits,
) -> Result<RecordBatch, ExchangeError> {
    let started = tokio::time::Instant::now();
    let state = lake.lake.planning_state()?;
    let physical = state.create_physical_plan(&plan).await?;
    let task =
        TaskContext::from(state.as_ref()).with_runtime(lake.lake.runtime(limits.memory_bytes)?);
    let schema = physical.schema();
    let left = limits.timeout.saturating_sub(started.elapsed());
    let batches = tokio::time::timeout(left, collect(physical, Arc::new(task)))
        .await
        .map_err(|_| ran_too_long(limits.timeout))??;
    Ok(concat_batches(&schema, &batches)?)
}

/// The page with each masked item's values masked (as text), the other columns as read.
fn mask_page(page: &RecordBatch, columns: &[ViewColumn]) -> Result<RecordBatch, ExchangeError> {
    let schema = page.schema();
    let mut fields = Vec::with_capacity(schema.fields().len());
    let mut arrays = Vec::with_capacity(schema.fields().len());
    for (field, array) in schema.fields().iter().zip(page.columns()) {
        match columns.iter().find(|c| c.name == *field.name() && c.masked) {
            Some(c) => {
                fields.push(Field::new(field.name(), ArrowType::Utf8, true));
                arrays.push(zhengshu_lake::sql::mask_array(c.kind, array)?);
            }
            None => {
                fields.push(field.as_ref().clone());
                arrays.push(array.clone());
            }
        }
    }
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)?)
}

/// Sort options of keyset paging: ascending, NULLs last (as the key's `ORDER BY`).
const KEYSET_ORDER: SortOptions = SortOptions {
    descending: false,
    nulls_first: false,
};

/// The first `fetch` rows of `filtered` in keyset order: by the key, then by the tie
/// columns (at these indexes of the projection `select`).
///
/// DataFusion orders by the key alone — a sort on one column plans and runs in a fraction
/// of one on a dozen (a keyed fetch is mostly planning), and not at all when the filters
/// leave one key (`one_key`) — and the rows are put in full order here. Where the `fetch`
/// rows end inside a run of equal keys, which of that key's rows the key-only sort kept
/// is arbitrary, so that key's rows are read again, ordered by
/// the tie columns in the query: pages then neither overlap nor skip, whatever the run's
/// length.
#[allow(clippy::too_many_arguments)]
async fn keyset_rows(
    lake: &LakeState,
    filtered: LogicalPlanBuilder,
    key: &str,
    one_key: bool,
    key_at: usize,
    ties: &[usize],
    select: Vec<Expr>,
    fetch: usize,
    limits: QueryLimits,
) -> Result<RecordBatch, ExchangeError> {
    let mut first = filtered.clone();
    if !one_key {
        first = first.sort(vec![ident(key).sort(true, false)])?;
    }
    let plan = first
        .limit(0, Some(fetch))?
        .project(select.clone())?
        .build()?;
    let first = run_plan(lake, plan, limits).await?;
    let n = first.num_rows();
    if n < fetch {
        return sort_keyset(&first, key_at, ties);
    }
    // The rows of the last key (a suffix: the key sort put them last).
    let keys = first.column(key_at);
    let boundary = ScalarValue::try_from_array(keys.as_ref(), n - 1)?;
    let mut before = n - 1;
    while before > 0 && ScalarValue::try_from_array(keys.as_ref(), before - 1)? == boundary {
        before -= 1;
    }
    let head = sort_keyset(&first.slice(0, before), key_at, ties)?;
    let same_key = if boundary.is_null() {
        ident(key).is_null()
    } else {
        ident(key).eq(lit(boundary))
    };
    // The tie columns are unmasked items: the projection names them as the scan does.
    let tie_order: Vec<SortExpr> = ties
        .iter()
        .map(|&i| ident(first.schema().field(i).name()).sort(true, false))
        .collect();
    let mut rest = filtered.filter(same_key)?;
    if !tie_order.is_empty() {
        rest = rest.sort(tie_order)?;
    }
    let plan = rest
        .limit(0, Some(fetch - before))?
        .project(select)?
        .build()?;
    let tail = run_plan(lake, plan, limits).await?;
    Ok(concat_batches(&first.schema(), [&head, &tail])?)
}

/// The rows ordered by the key column, then the tie columns (keyset order).
fn sort_keyset(
    batch: &RecordBatch,
    key_at: usize,
    ties: &[usize],
) -> Result<RecordBatch, ExchangeError> {
    if batch.num_rows() < 2 {
        return Ok(batch.clone());
    }
    let columns: Vec<SortColumn> = std::iter::once(key_at)
        .chain(ties.iter().copied())
        .map(|i| SortColumn {
            values: batch.column(i).clone(),
            options: Some(KEYSET_ORDER),
        })
        .collect();
    let order = lexsort_to_indices(&columns, None)?;
    Ok(take_record_batch(batch, &order)?)
}

/// One sort expression that orders rows by the given columns taken together: the column
/// itself when there is one, else their text values joined (a NULL as `\u{0}`, then
/// `\u{1}` between values). It only breaks ties between rows of the same sort values, so
/// any deterministic order will do. One expression instead of one per column: DataFusion's
/// physical planning (ordering equivalence through the projections) grows with the sort
/// keys — on the 10M-row bench table a keyed lookup took 6.7 ms ordered by the key, 9.4 ms
/// by the key and six more columns, 8.4 ms by the key and one such expression.
fn tie_breaker(mut exprs: Vec<Expr>) -> Option<Expr> {
    if exprs.len() <= 1 {
        return exprs.pop();
    }
    let mut parts = Vec::with_capacity(exprs.len() * 2);
    for (i, e) in exprs.into_iter().enumerate() {
        if i > 0 {
            parts.push(lit("\u{1}"));
        }
        parts.push(coalesce(vec![cast(e, ArrowType::Utf8), lit("\u{0}")]));
    }
    Some(concat(parts))
}

/// Where the page after this one starts: after the last key of this page, skipping the
/// rows of this page (and, if the whole page had that key, the earlier ones) with it.
fn next_position(
    keys: &dyn Array,
    previous: Option<&KeyPosition>,
) -> Result<KeyPosition, ExchangeError> {
    let n = keys.len();
    let last = ScalarValue::try_from_array(keys, n - 1)?;
    let mut same = 0;
    for i in (0..n).rev() {
        if ScalarValue::try_from_array(keys, i)? != last {
            break;
        }
        same += 1;
    }
    let value = KeyValue::from_scalar(&last);
    let mut skip = same;
    if let Some(p) = previous {
        if same == n && p.value == value {
            skip += p.skip;
        }
    }
    Ok(KeyPosition { value, skip })
}

/// Encodes batches; returns the content type and body: JSON
/// `{"rows": [...], "next_cursor": ..., "count": n}`, CSV with a header row, or an Arrow
/// IPC stream.
pub fn encode(
    batches: &[RecordBatch],
    format: Format,
    next_cursor: Option<&str>,
) -> Result<(&'static str, Vec<u8>), ExchangeError> {
    encode::encode(batches, format, next_cursor)
}
