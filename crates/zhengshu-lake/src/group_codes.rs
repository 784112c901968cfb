//! `GROUP BY` on text columns through integer codes.
//!
//! DataFusion groups several text columns by hashing and comparing the strings of every row
//! (`GroupValuesColumn`); the lake's text columns that people group by (street, industry,
//! district, status) hold a few hundred values, stored as Parquet dictionaries, so nearly
//! all of that work repeats itself. This optimizer rule rewrites
//!
//! ```text
//! Aggregate: groupBy=[street, industry], aggr=[count(*), sum(capital)]
//! ```
//!
//! into
//!
//! ```text
//! Projection: group_value_0(__group_codes) AS street, group_value_1(__group_codes) AS industry, …
//!   Aggregate: groupBy=[group_codes(street, industry) AS __group_codes], aggr=[count(*), sum(capital)]
//! ```
//!
//! `group_codes` gives each distinct value of a text column a code and puts up to three
//! columns' codes side by side in one `u64`, so the aggregate groups on one integer column
//! (DataFusion's fastest path), and the values come back once per group. Per batch, a
//! row's value is told apart by its 16-byte Arrow string *view* (rows decoded from one
//! dictionary entry share it) in a small cache local to the batch; only the batch's
//! distinct values touch the shared table. The codes are those of one query: each rewrite
//! makes its own table. Text columns past the third, and expressions, are grouped as
//! before, beside the code.
//!
//! The table is not in DataFusion's memory pool and cannot spill, so it is capped
//! ([`MAX_CODES`] values, [`MAX_TEXT_BYTES`] of text). A query that groups by more distinct
//! values than that (a duplicate check over credit codes) fails with [`OVER_CAP`] after a
//! few batches, and [`collect`] plans it again without the rule — DataFusion's own grouping,
//! which spills.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, RwLock};

use deltalake::arrow::array::{
    Array, ArrayRef, AsArray, GenericStringArray, OffsetSizeTrait, RecordBatch, StringViewArray,
    UInt64Array,
};
use deltalake::arrow::compute::cast;
use deltalake::arrow::datatypes::{DataType, Field, FieldRef};
use deltalake::datafusion::common::tree_node::Transformed;
use deltalake::datafusion::common::{Column, DataFusionError, HashMap};
use deltalake::datafusion::dataframe::DataFrame;
use deltalake::datafusion::execution::SessionStateBuilder;
use deltalake::datafusion::logical_expr::{
    Aggregate, ColumnarValue, Expr, LogicalPlan, Projection, ReturnFieldArgs, ScalarFunctionArgs,
    ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use deltalake::datafusion::optimizer::optimizer::ApplyOrder;
use deltalake::datafusion::optimizer::{OptimizerConfig, OptimizerRule};

/// The rule's name (to remove it from a session).
pub const RULE_NAME: &str = "zhengshu_group_by_codes";

/// Distinct values one query may code before it falls back.
pub const MAX_CODES: usize = 1 << 18;

/// Text one query's code table may hold before it falls back.
pub const MAX_TEXT_BYTES: usize = 32 << 20;

/// Part of the error a query over the caps fails with (and [`collect`] looks for).
pub const OVER_CAP: &str = "grouping codes over their cap";

/// The name of the code column between the aggregate and the projection (numbered: a
/// plan may hold several rewritten aggregates, nested, as `count(DISTINCT …)` makes them).
const CODES_COLUMN: &str = "__group_codes";

/// The number of the next rewrite's code column.
static REWRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Runs a query built in a session with [`GroupByCodes`]; when its grouping outgrew the
/// code table's caps, plans it again without the rule and runs it that way.
pub async fn collect(df: DataFrame) -> Result<Vec<RecordBatch>, DataFusionError> {
    retrying(df, |df| df.collect()).await
}

/// `run(df)`, and when that fails on the code caps, `run` of the same plan in the session
/// without [`GroupByCodes`] (for `count()`, streams and the like; see [`collect`]).
pub async fn retrying<T, F, Fut>(df: DataFrame, run: F) -> Result<T, DataFusionError>
where
    F: Fn(DataFrame) -> Fut,
    Fut: std::future::Future<Output = Result<T, DataFusionError>>,
{
    match run(df.clone()).await {
        Err(e) if e.to_string().contains(OVER_CAP) => {
            tracing::debug!("GROUP BY over the code caps; running it again without codes");
            run(without_codes(df)).await
        }
        other => other,
    }
}

/// The same plan in its session less [`GroupByCodes`].
pub fn without_codes(df: DataFrame) -> DataFrame {
    let (state, plan) = df.into_parts();
    let rules = state
        .optimizers()
        .iter()
        .filter(|r| r.name() != RULE_NAME)
        .cloned()
        .collect();
    let state = SessionStateBuilder::new_from_existing(state)
        .with_optimizer_rules(rules)
        .build();
    DataFrame::new(state, plan)
}

/// Adds [`GroupByCodes`] to a session; run its queries with [`collect`].
pub fn install(ctx: &deltalake::datafusion::prelude::SessionContext) {
    ctx.add_optimizer_rule(Arc::new(GroupByCodes::default()));
}

/// The optimizer rule (see the module documentation).
#[derive(Debug, Clone, Copy)]
pub struct GroupByCodes {
    max_codes: usize,
    max_text_bytes: usize,
}

impl Default for GroupByCodes {
    fn default() -> Self {
        GroupByCodes::with_caps(MAX_CODES, MAX_TEXT_BYTES)
    }
}

impl GroupByCodes {
    /// The rule with other caps than [`MAX_CODES`] and [`MAX_TEXT_BYTES`].
    pub fn with_caps(max_codes: usize, max_text_bytes: usize) -> GroupByCodes {
        GroupByCodes {
            max_codes,
            max_text_bytes,
        }
    }
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8)
}

impl OptimizerRule for GroupByCodes {
    fn name(&self) -> &str {
        RULE_NAME
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        Some(ApplyOrder::BottomUp)
    }

    fn rewrite(
        &self,
        plan: LogicalPlan,
        _config: &dyn OptimizerConfig,
    ) -> Result<Transformed<LogicalPlan>, DataFusionError> {
        let LogicalPlan::Aggregate(agg) = &plan else {
            return Ok(Transformed::no(plan));
        };
        match rewrite(agg, *self)? {
            Some(p) => Ok(Transformed::yes(p)),
            None => Ok(Transformed::no(plan)),
        }
    }
}

/// The rewritten aggregate, or `None` when it groups by no plain text column.
fn rewrite(agg: &Aggregate, caps: GroupByCodes) -> Result<Option<LogicalPlan>, DataFusionError> {
    let input_schema = agg.input.schema();
    // Which group expressions are plain text columns, with their types.
    // (At most CODED_COLUMNS of them: the others stay as they are.)
    let mut text: Vec<Option<DataType>> = Vec::with_capacity(agg.group_expr.len());
    for e in &agg.group_expr {
        let coded = text.iter().flatten().count();
        text.push(match e {
            Expr::Column(c) if coded < CODED_COLUMNS => {
                let t = input_schema.qualified_field_from_column(c)?.1.data_type();
                is_text(t).then(|| t.clone())
            }
            _ => None,
        });
    }
    let coded = text.iter().flatten().count();
    if coded == 0 {
        return Ok(None);
    }
    let codes = Arc::new(Codes::new(coded, caps));
    let n = REWRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let codes_column = format!("{CODES_COLUMN}_{n}");
    let text_args: Vec<Expr> = agg
        .group_expr
        .iter()
        .zip(&text)
        .filter(|(_, t)| t.is_some())
        .map(|(e, _)| e.clone())
        .collect();
    let encode = ScalarUDF::new_from_impl(Encode {
        codes: codes.clone(),
        signature: Signature::any(text_args.len(), Volatility::Volatile),
    })
    .call(text_args)
    .alias(&codes_column);
    let mut group_expr = vec![encode];
    group_expr.extend(
        agg.group_expr
            .iter()
            .zip(&text)
            .filter(|(_, t)| t.is_none())
            .map(|(e, _)| e.clone()),
    );
    let inner = Aggregate::try_new(agg.input.clone(), group_expr, agg.aggr_expr.clone())?;
    // (Fields are looked up in `inner`'s schema before the plan takes it.)
    let inner_schema = inner.schema.clone();

    // The projection gives back the original schema, field by field: decoded text columns
    // where they were, then the other group columns, then the aggregates.
    let mut exprs = Vec::with_capacity(agg.schema.fields().len());
    let mut next_text = 0;
    let mut next_other = 1; // inner field 0 is the codes
    for (i, (q, f)) in agg.schema.iter().enumerate() {
        let source = if i < agg.group_expr.len() {
            if let Some(t) = &text[i] {
                let decode = ScalarUDF::new_from_impl(Decode {
                    codes: codes.clone(),
                    column: next_text,
                    name: format!("group_value_{next_text}"),
                    output: t.clone(),
                    signature: Signature::exact(vec![DataType::UInt64], Volatility::Volatile),
                });
                next_text += 1;
                exprs.push(
                    decode
                        .call(vec![Expr::Column(Column::from_name(&codes_column))])
                        .alias_qualified(q.cloned(), f.name()),
                );
                continue;
            }
            let s = next_other;
            next_other += 1;
            s
        } else {
            i - agg.group_expr.len() + next_other
        };
        if source >= inner_schema.fields().len() {
            return Ok(None);
        }
        let (iq, ifield) = inner_schema.qualified_field(source);
        exprs.push(
            Expr::Column(Column::new(iq.cloned(), ifield.name()))
                .alias_qualified(q.cloned(), f.name()),
        );
    }
    let projection = Projection::try_new(exprs, Arc::new(LogicalPlan::Aggregate(inner)))?;
    let out = LogicalPlan::Projection(projection);
    if !out
        .schema()
        .logically_equivalent_names_and_types(&agg.schema)
    {
        tracing::debug!("GROUP BY codes: the rewritten schema differs; aggregate left as it was");
        return Ok(None);
    }
    Ok(Some(out))
}

/// Text columns one code holds: each column's value code takes [`CODE_BITS`] of a `u64`.
const CODED_COLUMNS: usize = 3;

/// Bits of a column's value code in the combined code.
const CODE_BITS: u32 = 21;

const CODE_MASK: u64 = (1 << CODE_BITS) - 1;

/// Slots of the per-batch cache of string views (a power of two).
const VIEW_CACHE: usize = 256;

/// One query's code table: the distinct values of each text column (code 0 = NULL). A
/// row's code is its columns' value codes side by side, [`CODE_BITS`] each.
struct Codes {
    caps: GroupByCodes,
    tables: RwLock<Tables>,
}

struct Tables {
    values: Vec<Values>,
    entries: usize,
    text_bytes: usize,
}

struct Values {
    index: HashMap<Arc<str>, u32>,
    list: Vec<Option<Arc<str>>>,
}

impl fmt::Debug for Codes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Codes").finish_non_exhaustive()
    }
}

fn poisoned() -> DataFusionError {
    DataFusionError::Internal("grouping codes: the code table's lock is poisoned".into())
}

impl Tables {
    /// The code of `v` in column `i`, added if new; fails past the caps.
    fn add(&mut self, i: usize, v: &str, caps: GroupByCodes) -> Result<u32, DataFusionError> {
        if let Some(&c) = self.values[i].index.get(v) {
            return Ok(c);
        }
        self.entries += 1;
        self.text_bytes += v.len();
        // A column's codes must fit in their bits whatever caps were set.
        let max_codes = caps.max_codes.min(CODE_MASK as usize - 1);
        if self.entries > max_codes || self.text_bytes > caps.max_text_bytes {
            return Err(DataFusionError::ResourcesExhausted(format!(
                "{OVER_CAP} ({} values, {} bytes of text; at most {} and {})",
                self.entries, self.text_bytes, max_codes, caps.max_text_bytes
            )));
        }
        let v: Arc<str> = Arc::from(v);
        let vals = &mut self.values[i];
        let c = vals.list.len() as u32;
        vals.list.push(Some(v.clone()));
        vals.index.insert(v, c);
        Ok(c)
    }
}

impl Codes {
    fn new(columns: usize, caps: GroupByCodes) -> Codes {
        let values = (0..columns)
            .map(|_| Values {
                index: HashMap::default(),
                list: vec![None],
            })
            .collect();
        Codes {
            caps,
            tables: RwLock::new(Tables {
                values,
                entries: 0,
                text_bytes: 0,
            }),
        }
    }

    /// The code of each row's combination of `arrays` (one per coded text column).
    fn encode(&self, arrays: &[ArrayRef], rows: usize) -> Result<UInt64Array, DataFusionError> {
        let mut out = vec![0u64; rows];
        for (i, a) in arrays.iter().enumerate() {
            self.add_column(i, a, &mut out)?;
        }
        Ok(UInt64Array::from(out))
    }

    /// Ors column `i`'s value codes into `out`, row by row.
    fn add_column(&self, i: usize, a: &ArrayRef, out: &mut [u64]) -> Result<(), DataFusionError> {
        let shift = CODE_BITS * i as u32;
        match a.data_type() {
            DataType::Utf8View => {
                let s: &StringViewArray = a.as_string_view();
                let (slots, first) = view_slots(s);
                let global = self.resolve(i, first.len(), |k| s.value(first[k]))?;
                spread(&slots, &global, shift, out);
            }
            DataType::Utf8 => self.add_offset_strings(i, a.as_string::<i32>(), shift, out)?,
            DataType::LargeUtf8 => self.add_offset_strings(i, a.as_string::<i64>(), shift, out)?,
            _ => {
                let v = cast(a, &DataType::Utf8View)?;
                self.add_column(i, &v, out)?;
            }
        }
        Ok(())
    }

    /// [`Codes::add_column`] of `Utf8`/`LargeUtf8` (no views: the batch's map hashes the text).
    fn add_offset_strings<O: OffsetSizeTrait>(
        &self,
        i: usize,
        s: &GenericStringArray<O>,
        shift: u32,
        out: &mut [u64],
    ) -> Result<(), DataFusionError> {
        let (slots, first) = str_slots(s, |r| s.value(r));
        let global = self.resolve(i, first.len(), |k| s.value(first[k]))?;
        spread(&slots, &global, shift, out);
        Ok(())
    }

    /// The codes in column `i` of a batch's `n` distinct values (`value(k)`): all looked
    /// up under the read lock, the missing ones added under the write lock (at most once
    /// per batch).
    fn resolve<'a>(
        &self,
        i: usize,
        n: usize,
        value: impl Fn(usize) -> &'a str,
    ) -> Result<Vec<u32>, DataFusionError> {
        let mut global = vec![0u32; n];
        let mut missing = Vec::new();
        {
            let t = self.tables.read().map_err(|_| poisoned())?;
            let index = &t.values[i].index;
            for (k, g) in global.iter_mut().enumerate() {
                match index.get(value(k)) {
                    Some(&c) => *g = c,
                    None => missing.push(k),
                }
            }
        }
        if !missing.is_empty() {
            let mut t = self.tables.write().map_err(|_| poisoned())?;
            for k in missing {
                global[k] = t.add(i, value(k), self.caps)?;
            }
        }
        Ok(global)
    }

    /// Column `column`'s values of the codes `keys`.
    fn decode(&self, keys: &UInt64Array, column: usize) -> Result<ArrayRef, DataFusionError> {
        let t = self.tables.read().map_err(|_| poisoned())?;
        let list = &t.values[column].list;
        let shift = CODE_BITS * column as u32;
        let values = keys
            .iter()
            .map(|k| match k {
                Some(k) => list
                    .get(((k >> shift) & CODE_MASK) as usize)
                    .map(Option::as_deref)
                    .ok_or_else(|| {
                        DataFusionError::Internal(
                            "grouping codes: a code the table never gave out".into(),
                        )
                    }),
                None => Ok(None),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Arc::new(StringViewArray::from(values)) as ArrayRef)
    }
}

/// A slot that stands for NULL in the per-batch slots.
const NULL_SLOT: u32 = u32::MAX;

/// Each row's slot among the batch's distinct views, and the first row of each slot.
/// Rows decoded from one Parquet dictionary entry share their 16-byte view, so a small
/// direct-mapped cache in front of the map answers nearly every row.
fn view_slots(s: &StringViewArray) -> (Vec<u32>, Vec<usize>) {
    let views = s.views();
    let nulls = s.logical_nulls();
    let mut cache_key = [0u128; VIEW_CACHE];
    let mut cache_slot = [NULL_SLOT; VIEW_CACHE];
    let mut local: HashMap<u128, u32> = HashMap::default();
    let mut first: Vec<usize> = Vec::new();
    let mut slots = Vec::with_capacity(views.len());
    for (r, &v) in views.iter().enumerate() {
        if nulls.as_ref().is_some_and(|n| n.is_null(r)) {
            slots.push(NULL_SLOT);
            continue;
        }
        let mixed = ((v as u64) ^ ((v >> 64) as u64)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let h = (mixed >> 56) as usize & (VIEW_CACHE - 1);
        if cache_slot[h] != NULL_SLOT && cache_key[h] == v {
            slots.push(cache_slot[h]);
            continue;
        }
        let next = first.len() as u32;
        let slot = *local.entry(v).or_insert_with(|| {
            first.push(r);
            next
        });
        cache_key[h] = v;
        cache_slot[h] = slot;
        slots.push(slot);
    }
    (slots, first)
}

/// [`view_slots`] for offset strings (no views to compare: the map hashes the text).
fn str_slots<'a>(array: &dyn Array, value: impl Fn(usize) -> &'a str) -> (Vec<u32>, Vec<usize>) {
    let nulls = array.logical_nulls();
    let mut local: HashMap<&str, u32> = HashMap::default();
    let mut first: Vec<usize> = Vec::new();
    let mut slots = Vec::with_capacity(array.len());
    for r in 0..array.len() {
        if nulls.as_ref().is_some_and(|n| n.is_null(r)) {
            slots.push(NULL_SLOT);
            continue;
        }
        let next = first.len() as u32;
        slots.push(*local.entry(value(r)).or_insert_with(|| {
            first.push(r);
            next
        }));
    }
    (slots, first)
}

/// Ors each row's code (`global[slot]`, 0 for NULL) shifted into place into `out`.
fn spread(slots: &[u32], global: &[u32], shift: u32, out: &mut [u64]) {
    for (o, &s) in out.iter_mut().zip(slots) {
        if s != NULL_SLOT {
            *o |= u64::from(global[s as usize]) << shift;
        }
    }
}

/// `group_codes(text, …)`: the code of each row's combination.
#[derive(Debug)]
struct Encode {
    codes: Arc<Codes>,
    signature: Signature,
}

/// `group_value_<i>(code)`: text column `i` of a combination.
#[derive(Debug)]
struct Decode {
    codes: Arc<Codes>,
    column: usize,
    name: String,
    output: DataType,
    signature: Signature,
}

impl PartialEq for Encode {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.codes, &other.codes)
    }
}
impl Eq for Encode {}
impl Hash for Encode {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::ptr::hash(Arc::as_ptr(&self.codes), state);
    }
}
impl PartialEq for Decode {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.codes, &other.codes) && self.column == other.column
    }
}
impl Eq for Decode {}
impl Hash for Decode {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::ptr::hash(Arc::as_ptr(&self.codes), state);
        self.column.hash(state);
    }
}

impl ScalarUDFImpl for Encode {
    fn name(&self) -> &str {
        "group_codes"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType, DataFusionError> {
        Ok(DataType::UInt64)
    }

    fn return_field_from_args(&self, _: ReturnFieldArgs) -> Result<FieldRef, DataFusionError> {
        Ok(Arc::new(Field::new(self.name(), DataType::UInt64, false)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue, DataFusionError> {
        let rows = args.number_rows;
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        Ok(ColumnarValue::Array(Arc::new(
            self.codes.encode(&arrays, rows)?,
        )))
    }
}

impl ScalarUDFImpl for Decode {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType, DataFusionError> {
        Ok(self.output.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue, DataFusionError> {
        let keys = match &args.args[0] {
            ColumnarValue::Array(a) => a.clone(),
            ColumnarValue::Scalar(s) => s.to_array_of_size(args.number_rows)?,
        };
        let keys = match keys.as_any().downcast_ref::<UInt64Array>() {
            Some(k) => k,
            None => {
                return Err(DataFusionError::Internal(
                    "group values: codes are u64".into(),
                ))
            }
        };
        let values = self.codes.decode(keys, self.column)?;
        let values = if values.data_type() == &self.output {
            values
        } else {
            cast(&values, &self.output)?
        };
        Ok(ColumnarValue::Array(values))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use deltalake::arrow::array::{Int64Array, LargeStringArray, StringArray, StringViewArray};
    use deltalake::arrow::datatypes::Schema;
    use deltalake::arrow::util::pretty::pretty_format_batches;
    use deltalake::datafusion::datasource::MemTable;
    use deltalake::datafusion::prelude::SessionContext;

    const STREETS: [&str; 5] = ["园山街道", "龙城街道", "坂田街道", "南湾街道", "x"];
    const TRADES: [&str; 4] = [
        "信息传输、软件和信息技术服务业",
        "批发和零售业",
        "制造业",
        "",
    ];

    /// Three partitions of four batches: text with NULLs, short (inline in the view) and
    /// long values, as `Utf8` and as `Utf8View`; a number to group by and one to sum.
    fn table(distinct_names: usize) -> MemTable {
        let schema = Arc::new(Schema::new(vec![
            Field::new("street", DataType::Utf8, true),
            Field::new("trade", DataType::Utf8View, true),
            Field::new("name", DataType::Utf8, true),
            Field::new("district", DataType::LargeUtf8, true),
            Field::new("year", DataType::Int64, true),
            Field::new("capital", DataType::Int64, true),
        ]));
        let mut parts = Vec::new();
        let mut row = 0usize;
        for _ in 0..3 {
            let mut batches = Vec::new();
            for _ in 0..4 {
                let ids: Vec<usize> = (row..row + 997).collect();
                row += 997;
                let pick = |i: usize, m: usize| (i * 7919 + i / 13) % m;
                let street: StringArray = ids
                    .iter()
                    .map(|&i| (i % 11 != 0).then(|| STREETS[pick(i, 5)]))
                    .collect();
                let trade: StringViewArray = ids
                    .iter()
                    .map(|&i| (i % 17 != 3).then(|| TRADES[pick(i / 3, 4)]))
                    .collect();
                let name: StringArray = ids
                    .iter()
                    .map(|&i| Some(format!("深圳市第{}科技有限公司", pick(i, distinct_names))))
                    .collect();
                let district: LargeStringArray = ids
                    .iter()
                    .map(|&i| (i % 5 != 1).then(|| ["龙岗区", "坪山区"][i % 2]))
                    .collect();
                let year: Int64Array = ids.iter().map(|&i| Some(2010 + (i % 3) as i64)).collect();
                let capital: Int64Array = ids.iter().map(|&i| Some((i % 1000) as i64)).collect();
                batches.push(
                    RecordBatch::try_new(
                        schema.clone(),
                        vec![
                            Arc::new(street),
                            Arc::new(trade),
                            Arc::new(name),
                            Arc::new(district),
                            Arc::new(year),
                            Arc::new(capital),
                        ],
                    )
                    .unwrap(),
                );
            }
            parts.push(batches);
        }
        MemTable::try_new(schema, parts).unwrap()
    }

    fn contexts(distinct_names: usize, rule: GroupByCodes) -> (SessionContext, SessionContext) {
        let with = SessionContext::new();
        with.add_optimizer_rule(Arc::new(rule));
        let without = SessionContext::new();
        for ctx in [&with, &without] {
            ctx.register_table("t", Arc::new(table(distinct_names)))
                .unwrap();
        }
        (with, without)
    }

    async fn text(ctx: &SessionContext, sql: &str) -> String {
        let df = ctx.sql(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        let batches = collect(df).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        pretty_format_batches(&batches).unwrap().to_string()
    }

    async fn plan(ctx: &SessionContext, sql: &str) -> String {
        text(ctx, &format!("EXPLAIN {sql}")).await
    }

    const QUERIES: [&str; 9] = [
        "SELECT district, street, trade, name, count(*) FROM t GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        "SELECT district, year, count(*) FROM t GROUP BY 1, 2 ORDER BY 1, 2",
        "SELECT street, trade, count(*), sum(capital) FROM t GROUP BY 1, 2 ORDER BY 1, 2",
        "SELECT trade, year, street, count(*) AS n FROM t GROUP BY trade, year, street ORDER BY 1, 2, 3",
        "SELECT DISTINCT street FROM t ORDER BY 1",
        "SELECT street, count(*) FROM t WHERE capital > 500 GROUP BY street HAVING count(*) > 300 ORDER BY 1",
        "SELECT street, trade, name, min(capital) FROM t GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        "SELECT street, count(DISTINCT trade), max(name) FROM t GROUP BY street ORDER BY 1",
        "SELECT s, count(*) FROM (SELECT street AS s, trade FROM t) GROUP BY s HAVING s <> 'x' ORDER BY 1",
    ];

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn grouping_on_codes_gives_the_same_rows() {
        let (with, without) = contexts(40, GroupByCodes::default());
        for q in QUERIES {
            let expected = text(&without, q).await;
            assert_eq!(text(&with, q).await, expected, "{q}");
            assert!(expected.lines().count() > 5, "{q}: {expected}");
            assert!(plan(&with, q).await.contains("group_codes"), "{q}");
            assert!(!plan(&without, q).await.contains("group_codes"), "{q}");
        }
        // Nothing to code: no text column in the grouping, or no grouping.
        for q in [
            "SELECT year, count(*) FROM t GROUP BY year",
            "SELECT count(*), max(street) FROM t",
        ] {
            assert!(!plan(&with, q).await.contains("group_codes"), "{q}");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn past_the_caps_the_query_runs_without_codes() {
        let (with, without) = contexts(500, GroupByCodes::with_caps(100, 1 << 20));
        let q = "SELECT name, count(*), sum(capital) FROM t GROUP BY name ORDER BY 1";
        let err = with.sql(q).await.unwrap().collect().await.unwrap_err();
        assert!(err.to_string().contains(OVER_CAP), "{err}");
        let expected = text(&without, q).await;
        assert_eq!(expected.lines().count(), 500 + 4);
        assert_eq!(text(&with, q).await, expected);
        // The text cap too: 40 names of ≈ 40 bytes do not fit in 1 KiB.
        let (with, without) = contexts(40, GroupByCodes::with_caps(1 << 20, 1 << 10));
        let err = with.sql(q).await.unwrap().collect().await.unwrap_err();
        assert!(err.to_string().contains("bytes of text"), "{err}");
        assert_eq!(text(&with, q).await, text(&without, q).await);
        // A count of a DISTINCT plan goes through `retrying`.
        let (with, _) = contexts(500, GroupByCodes::with_caps(100, 1 << 20));
        let df = with
            .sql("SELECT DISTINCT name, street FROM t")
            .await
            .unwrap();
        let n = retrying(df, |df| df.count()).await.unwrap();
        let names: std::collections::HashSet<(String, Option<String>)> = {
            let df = without_codes(with.sql("SELECT name, street FROM t").await.unwrap());
            let mut out = std::collections::HashSet::new();
            for b in df.collect().await.unwrap() {
                let name = b.column(0).as_string::<i32>();
                let street = b.column(1).as_string::<i32>();
                for r in 0..b.num_rows() {
                    out.insert((
                        name.value(r).to_string(),
                        street.is_valid(r).then(|| street.value(r).to_string()),
                    ));
                }
            }
            out
        };
        assert_eq!(n, names.len());
    }
}
