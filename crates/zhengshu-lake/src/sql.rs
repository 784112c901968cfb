//! SQL over the lake (DataFusion): every connected table by its name, time travel through
//! `at_version('table', n)` and `at_time('table', '2026-11-24T08:00:00Z')`, and masked
//! views `masked.<table>` in which each data item's PII mask is applied. Read-only: DDL,
//! DML and `SET`-style statements are refused.
//!
//! Tables are resolved lazily (a session over 2,000 resources opens only the tables a
//! query names) from the lake's cache, so a point lookup does not re-read the Delta log.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use deltalake::arrow::array::{Array, ArrayRef, RecordBatch, StringArray};
use deltalake::arrow::compute::cast;
use deltalake::arrow::datatypes::DataType as ArrowType;
use deltalake::arrow::util::display::{ArrayFormatter, FormatOptions};
use deltalake::datafusion::catalog::{SchemaProvider, TableFunctionArgs, TableFunctionImpl};
use deltalake::datafusion::common::{DataFusionError, ScalarValue};
use deltalake::datafusion::datasource::TableProvider;
use deltalake::datafusion::logical_expr::{
    ColumnarValue, Expr, LogicalPlan, ScalarUDF, SimpleScalarUDF, Volatility,
};
use deltalake::datafusion::prelude::{col, lit, SQLOptions, SessionConfig, SessionContext};
use serde::Serialize;
use zhengshu_core::PiiKind;

use crate::{LakeError, LakeState};

/// Limits of one query.
#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    /// Rows returned (the query may produce more; the rest are dropped and `truncated` set).
    pub max_rows: usize,
    pub timeout: std::time::Duration,
    /// Memory the query may use before it spills or fails.
    pub memory_bytes: usize,
}

impl Default for QueryLimits {
    fn default() -> Self {
        QueryLimits {
            max_rows: 10_000,
            timeout: std::time::Duration::from_secs(120),
            memory_bytes: 1 << 30,
        }
    }
}

/// A query's result as text cells (for the console, the CLI and JSON).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QueryResult {
    pub columns: Vec<String>,
    /// Arrow type of each column, e.g. `Utf8`, `Int64`, `Date32`.
    pub types: Vec<String>,
    /// Cells as text; null = JSON null.
    pub rows: Vec<Vec<Option<String>>>,
    pub truncated: bool,
    pub elapsed_ms: f64,
}

/// The lake's tables as a DataFusion schema.
#[derive(Debug)]
struct LakeSchema {
    state: LakeState,
    names: Vec<String>,
}

#[async_trait]
impl SchemaProvider for LakeSchema {
    fn table_names(&self) -> Vec<String> {
        self.names.clone()
    }

    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>, DataFusionError> {
        if !self.names.iter().any(|n| n == name) {
            return Ok(None);
        }
        let t = self
            .state
            .lake
            .open(name)
            .await
            .map_err(|e| DataFusionError::External(e.to_string().into()))?;
        Ok(Some(t.table_provider().await.map_err(|e| {
            DataFusionError::External(e.to_string().into())
        })?))
    }

    fn table_exist(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }
}

/// `masked.<table>`: the table with every PII data item masked.
struct MaskedSchema {
    state: LakeState,
    names: Vec<String>,
    ctx: SessionContext,
}

impl std::fmt::Debug for MaskedSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MaskedSchema")
            .field("names", &self.names)
            .finish()
    }
}

#[async_trait]
impl SchemaProvider for MaskedSchema {
    fn table_names(&self) -> Vec<String> {
        self.names.clone()
    }

    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>, DataFusionError> {
        if !self.names.iter().any(|n| n == name) {
            return Ok(None);
        }
        let ext = |e: LakeError| DataFusionError::External(e.to_string().into());
        let target = crate::target(&self.state, name).await.map_err(ext)?;
        let t = self.state.lake.open(name).await.map_err(ext)?;
        let provider = t
            .table_provider()
            .await
            .map_err(|e| DataFusionError::External(e.to_string().into()))?;
        let df = self.ctx.read_table(provider)?;
        let exprs = masked_exprs(&target.resource.items);
        Ok(Some(df.select(exprs)?.into_view()))
    }

    fn table_exist(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }
}

/// The select list that masks each PII item with `mask_pii(kind, column)`.
pub fn masked_exprs(items: &[zhengshu_catalog::DataItem]) -> Vec<Expr> {
    items
        .iter()
        .map(|i| {
            if i.pii_kind.is_sensitive() {
                mask_udf()
                    .call(vec![
                        lit(i.pii_kind.as_str()),
                        col(format!("\"{}\"", i.name)),
                    ])
                    .alias(&i.name)
            } else {
                col(format!("\"{}\"", i.name))
            }
        })
        .collect()
}

/// `mask_pii(kind, value)`: the catalog's masks (name, resident_id, mobile, …) as SQL.
pub fn mask_udf() -> ScalarUDF {
    ScalarUDF::from(SimpleScalarUDF::new(
        "mask_pii",
        vec![ArrowType::Utf8, ArrowType::Utf8],
        ArrowType::Utf8,
        Volatility::Immutable,
        Arc::new(|args: &[ColumnarValue]| {
            let kind = match &args[0] {
                ColumnarValue::Scalar(ScalarValue::Utf8(Some(k))) => {
                    k.parse::<PiiKind>().unwrap_or(PiiKind::Other)
                }
                _ => PiiKind::Other,
            };
            let arrays = ColumnarValue::values_to_arrays(&args[1..])?;
            Ok(ColumnarValue::Array(mask_array(kind, &arrays[0])?))
        }),
    ))
}

/// The values masked as `kind` (any type, as text; nulls stay null): what `mask_pii` does,
/// for callers that mask a result after the query.
pub fn mask_array(kind: PiiKind, values: &ArrayRef) -> Result<ArrayRef, DataFusionError> {
    let values = cast(values, &ArrowType::Utf8)?;
    let values = values
        .as_any()
        .downcast_ref::<StringArray>()
        .ok_or_else(|| DataFusionError::Internal("mask_pii: not text".into()))?;
    let out: StringArray = values
        .iter()
        .map(|v| v.map(|v| zhengshu_core::mask(kind, v)))
        .collect();
    Ok(Arc::new(out) as ArrayRef)
}

/// `at_version('table', n)` / `at_time('table', 'RFC 3339')`.
#[derive(Debug)]
struct TimeTravel {
    state: LakeState,
    by_time: bool,
}

impl TableFunctionImpl for TimeTravel {
    fn call_with_args(
        &self,
        args: TableFunctionArgs,
    ) -> Result<Arc<dyn TableProvider>, DataFusionError> {
        let fname = if self.by_time {
            "at_time"
        } else {
            "at_version"
        };
        let usage = || {
            DataFusionError::Plan(format!(
                "{fname} takes a table name and {}, e.g. {fname}('enterprises', {})",
                if self.by_time { "a time" } else { "a version" },
                if self.by_time {
                    "'2026-11-24T08:00:00Z'"
                } else {
                    "3"
                }
            ))
        };
        let exprs = args.exprs();
        let (Some(Expr::Literal(ScalarValue::Utf8(Some(table)), _)), Some(Expr::Literal(at, _))) =
            (exprs.first(), exprs.get(1))
        else {
            return Err(usage());
        };
        let state = self.state.clone();
        let table = table.clone();
        let at = at.clone();
        let by_time = self.by_time;
        let opened = tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(async move {
                let t = if by_time {
                    let ScalarValue::Utf8(Some(s)) = at else {
                        return Err(LakeError::invalid("at_time", "give the time as text"));
                    };
                    let when = chrono::DateTime::parse_from_rfc3339(&s)
                        .map_err(|e| LakeError::invalid("at_time", format!("`{s}`: {e}")))?
                        .with_timezone(&chrono::Utc);
                    state.lake.open_at(&table, when).await?
                } else {
                    let v = match at {
                        ScalarValue::Int64(Some(v)) => v,
                        ScalarValue::Int32(Some(v)) => v as i64,
                        ScalarValue::UInt64(Some(v)) => v as i64,
                        _ => {
                            return Err(LakeError::invalid(
                                "at_version",
                                "give the version as a number",
                            ))
                        }
                    };
                    state.lake.open_version(&table, v).await?
                };
                t.table_provider()
                    .await
                    .map_err(|e| LakeError::Storage(e.to_string()))
            })
        });
        opened.map_err(|e| DataFusionError::Plan(e.to_string()))
    }
}

/// A session over every lake table, with limits.
pub async fn session(state: &LakeState, limits: QueryLimits) -> Result<SessionContext, LakeError> {
    let names: Vec<String> = crate::store::tables(&state.db)
        .await?
        .into_iter()
        .map(|t| t.table_name)
        .collect();
    let runtime = state.lake.runtime(limits.memory_bytes)?;
    let config = SessionConfig::new()
        .with_information_schema(true)
        .with_default_catalog_and_schema("datafusion", "public");
    let ctx = SessionContext::new_with_config_rt(config, runtime);
    let catalog = ctx
        .catalog("datafusion")
        .ok_or_else(|| LakeError::Sql("no default catalog".into()))?;
    catalog.register_schema(
        "public",
        Arc::new(LakeSchema {
            state: state.clone(),
            names: names.clone(),
        }),
    )?;
    catalog.register_schema(
        "masked",
        Arc::new(MaskedSchema {
            state: state.clone(),
            names,
            ctx: ctx.clone(),
        }),
    )?;
    ctx.register_udf(mask_udf());
    crate::group_codes::install(&ctx);
    ctx.register_udtf(
        "at_version",
        Arc::new(TimeTravel {
            state: state.clone(),
            by_time: false,
        }),
    );
    ctx.register_udtf(
        "at_time",
        Arc::new(TimeTravel {
            state: state.clone(),
            by_time: true,
        }),
    );
    Ok(ctx)
}

/// Read-only statement options: no DDL, no DML, no `SET`.
pub fn read_only() -> SQLOptions {
    SQLOptions::new()
        .with_allow_ddl(false)
        .with_allow_dml(false)
        .with_allow_statements(false)
}

/// Runs one read-only query in a session and returns at most `max_rows` rows as text.
pub async fn run_in(
    ctx: &SessionContext,
    sql: &str,
    limits: QueryLimits,
) -> Result<QueryResult, LakeError> {
    let started = Instant::now();
    let fut = async {
        let df = ctx.sql_with_options(sql, read_only()).await?;
        // EXPLAIN must stay the root of its plan (and prints a few rows anyway).
        let df = match df.logical_plan() {
            LogicalPlan::Explain(_) | LogicalPlan::Analyze(_) => df,
            _ => df.limit(0, Some(limits.max_rows + 1))?,
        };
        crate::group_codes::collect(df).await
    };
    let batches = tokio::time::timeout(limits.timeout, fut)
        .await
        .map_err(|_| {
            LakeError::Sql(format!(
                "the query ran longer than {} s and was stopped",
                limits.timeout.as_secs()
            ))
        })??;
    let mut out = to_text(&batches, limits.max_rows)?;
    out.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(out)
}

/// Runs one read-only query over the lake.
pub async fn query(
    state: &LakeState,
    sql: &str,
    limits: QueryLimits,
) -> Result<QueryResult, LakeError> {
    let ctx = session(state, limits).await?;
    run_in(&ctx, sql, limits).await
}

/// Record batches as text rows.
pub fn to_text(batches: &[RecordBatch], max_rows: usize) -> Result<QueryResult, LakeError> {
    let schema = match batches.first() {
        Some(b) => b.schema(),
        None => {
            return Ok(QueryResult {
                columns: vec![],
                types: vec![],
                rows: vec![],
                truncated: false,
                elapsed_ms: 0.0,
            })
        }
    };
    let opts = FormatOptions::default();
    let mut rows = Vec::new();
    let mut truncated = false;
    'outer: for b in batches {
        let fmts = b
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &opts))
            .collect::<Result<Vec<_>, _>>()?;
        for r in 0..b.num_rows() {
            if rows.len() >= max_rows {
                truncated = true;
                break 'outer;
            }
            rows.push(
                b.columns()
                    .iter()
                    .zip(&fmts)
                    .map(|(c, f)| (!c.is_null(r)).then(|| f.value(r).to_string()))
                    .collect(),
            );
        }
    }
    Ok(QueryResult {
        columns: schema.fields().iter().map(|f| f.name().clone()).collect(),
        types: schema
            .fields()
            .iter()
            .map(|f| f.data_type().to_string())
            .collect(),
        rows,
        truncated,
        elapsed_ms: 0.0,
    })
}

/// The distinct non-null values of a column (for reference rules).
pub async fn distinct_values(
    state: &LakeState,
    table: &str,
    column: &str,
) -> Result<HashSet<String>, LakeError> {
    if crate::store::table(&state.db, table).await?.is_none() {
        return Err(LakeError::invalid(
            "rules",
            format!("reference rule: lake table `{table}` does not exist"),
        ));
    }
    let t = state.lake.open(table).await?;
    let ctx = SessionContext::new();
    let df = ctx.read_table(
        t.table_provider()
            .await
            .map_err(|e| LakeError::Storage(e.to_string()))?,
    )?;
    let df = df
        .select(vec![col(format!("\"{column}\""))])
        .map_err(|e| LakeError::invalid("rules", format!("reference rule: {e}")))?
        .distinct()?;
    let mut out = HashSet::new();
    for b in df.collect().await? {
        let a = cast(b.column(0), &ArrowType::Utf8)?;
        if let Some(s) = a.as_any().downcast_ref::<StringArray>() {
            out.extend(s.iter().flatten().map(String::from));
        }
    }
    Ok(out)
}
