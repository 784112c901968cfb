//! Ingest: a batch of rows from a file, an HTTP body or a pull goes into a resource's Delta
//! table in one commit, or not at all.
//!
//! The pipeline streams: a reader thread cuts the input into pieces (for CSV, blocks of
//! whole records that it finds with a quote-aware newline scan; the parsing itself is the
//! workers' job, so it runs on every core); worker threads (one per core) parse each
//! piece into a chunk of rows, standardise, coerce and check it against the rules and turn
//! it into an Arrow batch; DataFusion's Delta writer encodes the workers' streams into Parquet in
//! parallel and commits once, with the batch id as a Delta application transaction. A
//! crash, a read error or too many rejected rows before that commit leaves the table at
//! its previous version (the files already written are unreferenced and go at the next
//! vacuum).

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Instant;

use deltalake::arrow::array::{
    ArrayRef, BinaryBuilder, BooleanArray, BooleanBuilder, Date32Builder, Float64Builder,
    Int64Builder, RecordBatch, StringBuilder, TimestampMicrosecondBuilder,
};
use deltalake::arrow::compute::filter_record_batch;
use deltalake::arrow::datatypes::SchemaRef;
use deltalake::datafusion::catalog::streaming::StreamingTable;
use deltalake::datafusion::error::DataFusionError;
use deltalake::datafusion::execution::TaskContext;
use deltalake::datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use deltalake::datafusion::physical_plan::streaming::PartitionStream;
use deltalake::datafusion::physical_plan::SendableRecordBatchStream;
use deltalake::kernel::transaction::CommitProperties;
use deltalake::kernel::Transaction;
use deltalake::parquet::basic::{Compression, ZstdLevel};
use deltalake::parquet::file::properties::WriterProperties;
use deltalake::protocol::SaveMode;
use serde::{Deserialize, Serialize};
use zhengshu_catalog::model::{DataItem, DataType};

use crate::coerce::{self, Transform};
use crate::read::{Chunk, Piece, RowSource};
use crate::rules::{day_number, Cell, Compiled, Rule};
use crate::store::{self, Quarantined};
use crate::{LakeError, LakeState};

/// How a batch changes the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Adds the rows.
    Append,
    /// Replaces the table's rows with the batch.
    Overwrite,
    /// Updates rows whose key exists and inserts the others (needs the table's key column).
    Upsert,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Append => "append",
            Mode::Overwrite => "overwrite",
            Mode::Upsert => "upsert",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        match s.trim().to_ascii_lowercase().as_str() {
            "append" | "追加" => Some(Mode::Append),
            "overwrite" | "覆盖" => Some(Mode::Overwrite),
            "upsert" | "merge" | "更新" => Some(Mode::Upsert),
            _ => None,
        }
    }
}

/// What to do with a batch.
#[derive(Debug, Clone)]
pub struct Options {
    pub mode: Mode,
    /// Resubmitting the same id changes nothing (None = a fresh id).
    pub batch_id: Option<String>,
    /// Where the rows came from, e.g. the file name, `http` or `pull 3`.
    pub source: String,
    /// The batch fails, writing nothing, when more than this share of rows (and more than
    /// 100 rows) is rejected, or when every row is.
    pub max_reject_ratio: f64,
    /// Quarantined rows kept per job (the count goes on beyond).
    pub max_quarantine_kept: usize,
    pub created_by: Option<i64>,
    /// Live counters for a progress bar.
    pub progress: Option<Arc<Progress>>,
    /// Worker threads (None = one per core).
    pub workers: Option<usize>,
    /// How an upsert joins its rows with the table's; see [`MergeLimits`].
    pub merge: MergeLimits,
    /// Distinct values per unique rule (and the upsert key) checked in memory as rows are
    /// read; beyond, on disk once the batch is read (see [`crate::seen`]).
    pub unique_in_memory_values: usize,
}

/// How an upsert's rows meet the table's, and the memory that may take.
///
/// An upsert first writes its checked rows to a temporary Parquet file (it reads its rows
/// more than once, and a file stream only once). A batch of at most `key_set_max_keys`
/// distinct keys then replaces the table's rows of those keys: the files holding them are
/// found by their statistics and a scan of the key column, and only those are rewritten,
/// without those rows, beside the batch, streaming. The keys are tested as an `IN` list when
/// there are at most `replace_max_keys` (its values prune files by their statistics one by
/// one), otherwise as a [`crate::keyset::KeySet`] (16 bytes a key) within the batch's key
/// range. A larger batch (or one whose typed keys repeat) is merged by delta-rs: one whose
/// rows take up to `in_memory_bytes` as Arrow arrays by a hash join over the batch, in
/// memory, in one partition under `spill`'s pool; a larger one by a sort-merge join whose
/// sorts spill to disk beyond `spill.memory_bytes` (what still grows: the merge's last
/// phase, see docs/architecture.md).
#[derive(Debug, Clone)]
pub struct MergeLimits {
    pub in_memory_bytes: usize,
    /// `None`: [`UPSERT_SPILL_MEMORY_BYTES`] and the OS temporary folder. Its folder and
    /// disk bound also hold a spooled append's file and the unique rules' runs.
    pub spill: Option<crate::maintain::SpillLimits>,
    /// Most keys a batch may have to replace its rows by key as an `IN` list.
    pub replace_max_keys: usize,
    /// Most keys a batch may have to replace its rows by key at all (as a set of hashes,
    /// [`crate::keyset::BYTES_PER_KEY`] each); a larger batch is merged.
    pub key_set_max_keys: usize,
}

/// Most keys of an upsert that replaces rows by key; see [`MergeLimits`]. The keys become
/// one `IN` list, in the plan and in the commit's predicate (≈ 20 KB of credit codes).
pub const UPSERT_REPLACE_MAX_KEYS: usize = 1000;

/// Most keys of an upsert that replaces rows by key, as a set: 16,777,216 (256 MiB of
/// hashes); see [`MergeLimits`].
pub const UPSERT_KEY_SET_MAX_KEYS: usize = 16 << 20;

/// Largest upsert batch (as Arrow arrays) joined in memory; see [`MergeLimits`].
pub const UPSERT_IN_MEMORY_BYTES: usize = 256 << 20;

/// Memory the sorts of a large upsert's merge hold before they spill.
pub const UPSERT_SPILL_MEMORY_BYTES: usize = 512 << 20;

impl Default for MergeLimits {
    fn default() -> Self {
        MergeLimits {
            in_memory_bytes: UPSERT_IN_MEMORY_BYTES,
            spill: None,
            replace_max_keys: UPSERT_REPLACE_MAX_KEYS,
            key_set_max_keys: UPSERT_KEY_SET_MAX_KEYS,
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mode: Mode::Append,
            batch_id: None,
            source: String::new(),
            max_reject_ratio: 0.1,
            max_quarantine_kept: 100_000,
            created_by: None,
            progress: None,
            workers: None,
            merge: MergeLimits::default(),
            unique_in_memory_values: crate::seen::UNIQUE_IN_MEMORY_VALUES,
        }
    }
}

/// Live counters of a running ingest.
#[derive(Debug, Default)]
pub struct Progress {
    pub rows_read: AtomicU64,
    pub rows_written: AtomicU64,
    pub rows_rejected: AtomicU64,
    pub bytes_read: AtomicU64,
    /// The input's size when known (0 = unknown).
    pub bytes_total: AtomicU64,
}

/// One rule's outcome in a batch.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RuleOutcome {
    pub rule_id: i64,
    pub column: String,
    pub kind: String,
    pub label: String,
    pub blocking: bool,
    pub failed: u64,
    /// Up to five `(line, reason)`.
    pub examples: Vec<(u64, String)>,
}

/// What an ingest did.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Report {
    pub job_id: i64,
    pub table: String,
    pub batch_id: String,
    pub mode: Mode,
    /// succeeded or failed.
    pub status: String,
    /// True when the batch id had already been applied: nothing changed.
    pub already_applied: bool,
    /// The table version after the batch.
    pub version: Option<i64>,
    pub rows_read: u64,
    pub rows_written: u64,
    pub rows_quarantined: u64,
    /// Cells that could not be read as their data item's type.
    pub coercion_failures: u64,
    pub secs: f64,
    pub rows_per_sec: f64,
    /// Share of rows that passed coercion and every rule, 0–100.
    pub quality_score: f64,
    /// What the reader detected (format, encoding, delimiter).
    pub detected: String,
    /// The input's header as read (the quarantine download uses it).
    #[serde(default)]
    pub header: Vec<String>,
    /// Data items the input has no column for (filled with nulls).
    pub columns_missing: Vec<String>,
    /// Input columns that are not data items (ignored).
    pub columns_extra: Vec<String>,
    pub rules: Vec<RuleOutcome>,
    /// Coercion failures per column.
    pub coercion: Vec<RuleOutcome>,
    /// Freshness findings.
    pub notes: Vec<String>,
    pub error: Option<String>,
}

// ---------------------------------------------------------------- planning

/// A column of the table and where its values come from.
struct ColumnPlan {
    item: DataItem,
    /// Index of the input column (None = missing, all null).
    src: Option<usize>,
    transforms: Vec<Transform>,
    /// Indices into `Shared::rules`.
    rules: Vec<usize>,
}

/// Matches the input header to the data items: by name (case-insensitive) or by the
/// Chinese label.
fn map_columns(header: &[String], items: &[DataItem]) -> (Vec<Option<usize>>, Vec<String>) {
    let norm = |s: &str| s.trim().to_lowercase();
    let mut used = vec![false; header.len()];
    let map: Vec<Option<usize>> = items
        .iter()
        .map(|it| {
            let pos = header
                .iter()
                .position(|h| norm(h) == it.name.to_lowercase())
                .or_else(|| header.iter().position(|h| h.trim() == it.label.trim()));
            if let Some(p) = pos {
                used[p] = true;
            }
            pos
        })
        .collect();
    let extra = header
        .iter()
        .zip(&used)
        .filter(|(h, u)| !**u && !h.trim().is_empty())
        .map(|(h, _)| h.clone())
        .collect();
    (map, extra)
}

/// State the workers share.
struct Shared {
    /// The table's columns.
    schema: SchemaRef,
    /// The batches' columns: the table's, and for a spooled batch (an upsert's, see
    /// [`Shared::spooled`]) the source line of each row ([`LINE_COLUMN`]), so that its rows
    /// can be told apart.
    batch_schema: SchemaRef,
    /// Fields in the input's header (rows of another width are quarantined).
    width: usize,
    columns: Vec<ColumnPlan>,
    rules: Vec<Compiled>,
    /// Per rule: the values seen, for unique rules (and the upsert key).
    unique: Vec<Option<crate::seen::Seen>>,
    /// Rows found to repeat a unique value after they were read (see [`crate::seen`]),
    /// sorted by line, with their rule; a spooled batch leaves them out.
    late_repeats: Mutex<Vec<(crate::seen::Repeat, usize)>>,
    /// Where and how much the batch may spill: its spooled rows, the unique rules' runs
    /// (which share `scratch`) and an upsert's merge.
    spill: crate::maintain::SpillLimits,
    scratch: Arc<crate::seen::Scratch>,
    /// Per rule: the sorted hashes of the values already in the table, for unique rules
    /// that check against it (see [`existing_values`]).
    existing: Vec<Option<Vec<u64>>>,
    /// Per rule: the newest day seen, for freshness rules.
    newest: Vec<AtomicI32>,
    failed: Vec<AtomicU64>,
    examples: Vec<Mutex<Vec<(u64, String)>>>,
    coerce_failed: Vec<AtomicU64>,
    coerce_examples: Vec<Mutex<Vec<(u64, String)>>>,
    quarantine: Mutex<Vec<Quarantined>>,
    quarantine_cap: usize,
    progress: Arc<Progress>,
    rows_clean: AtomicU64,
    max_reject_ratio: f64,
    /// Set when the batch must not commit (reader error, too many rejects).
    abort: Mutex<Option<String>>,
    aborted: AtomicBool,
    workers_left: AtomicUsize,
}

impl Shared {
    fn abort(&self, why: String) {
        let mut a = self.abort.lock().unwrap_or_else(|e| e.into_inner());
        if a.is_none() {
            *a = Some(why);
        }
        self.aborted.store(true, Ordering::SeqCst);
    }

    fn abort_reason(&self) -> Option<String> {
        self.abort.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Whether the batch must fail: every row rejected, or more than the allowed share of
    /// at least 100 rows (checked early once 10,000 rows are read, and at the end).
    fn too_many_rejects(&self, at_end: bool) -> Option<String> {
        let read = self.progress.rows_read.load(Ordering::Relaxed);
        let rejected = self.progress.rows_rejected.load(Ordering::Relaxed);
        let enough = at_end || read >= 10_000;
        let all = at_end && read > 0 && rejected == read;
        let share =
            enough && rejected > 100 && rejected as f64 > self.max_reject_ratio * read as f64;
        (all || share).then(|| {
            format!(
                "{rejected} of {read} rows failed coercion or a blocking rule{}; nothing was written — check that the file belongs to this resource, or fix the rows shown in quarantine",
                if all {
                    String::new()
                } else {
                    format!(", more than {:.0} %", self.max_reject_ratio * 100.0)
                }
            )
        })
    }
}

impl Shared {
    /// Whether the batch goes to a temporary file before the table (an upsert's, or one
    /// with a blocking unique rule that may outgrow memory), its rows carrying their lines.
    fn spooled(&self) -> bool {
        self.batch_schema.fields().len() > self.schema.fields().len()
    }

    /// Once every row is read: the repeats the unique rules could not hold in memory (see
    /// [`crate::seen`]). A spooled batch leaves them out ([`Shared::late_repeats`]); one
    /// written as it was read has written them, so a blocking rule's repeat fails it (which
    /// only a source that said it held fewer rows than it did can cause). Counted as
    /// rejected either way.
    fn check_late_repeats(&self) -> Result<(), String> {
        let read = self.progress.rows_read.load(Ordering::Relaxed);
        let rejected = self.progress.rows_rejected.load(Ordering::Relaxed);
        // More repeats than this fail the batch on the reject ratio anyway.
        let limit = ((self.max_reject_ratio * read as f64) as u64)
            .max(100)
            .saturating_sub(rejected)
            .saturating_add(1);
        let mut late: Vec<(crate::seen::Repeat, usize)> = Vec::new();
        let mut refused: Vec<String> = Vec::new();
        let mut unclean: Vec<u64> = Vec::new();
        for (ri, seen) in self.unique.iter().enumerate() {
            // (Every rule's, so its set is freed before the write.)
            let Some(seen) = seen else {
                continue;
            };
            let column = &self.rules[ri].rule.column;
            let repeats = seen
                .repeats(usize::try_from(limit).unwrap_or(usize::MAX))
                .map_err(|e| format!("the unique rule on `{column}`: its temporary files: {e}"))?;
            let Some(repeats) = repeats else {
                return Err(format!(
                    "more than {limit} rows repeat a value of `{column}` (unique rule) on top of \
                     the {rejected} rows already rejected of {read}: more than {:.0} %; nothing \
                     was written — check that the file belongs to this resource",
                    self.max_reject_ratio * 100.0
                ));
            };
            if repeats.is_empty() {
                continue;
            }
            self.failed[ri].fetch_add(repeats.len() as u64, Ordering::Relaxed);
            unclean.extend(repeats.iter().map(|r| r.line));
            for r in repeats.iter().take(5) {
                push_example(
                    &self.examples[ri],
                    r.line,
                    &format!("repeats the value of line {} (unique rule)", r.first),
                );
            }
            if !self.rules[ri].rule.blocking {
                continue;
            }
            if !self.spooled() {
                let lines: Vec<String> = repeats
                    .iter()
                    .take(5)
                    .map(|r| format!("line {} repeats line {}", r.line, r.first))
                    .collect();
                refused.push(format!(
                    "{} rows repeat a value of `{column}` ({}{})",
                    repeats.len(),
                    lines.join(", "),
                    if repeats.len() > 5 { ", …" } else { "" }
                ));
            }
            late.extend(repeats.into_iter().map(|r| (r, ri)));
        }
        if !refused.is_empty() {
            return Err(format!(
                "unique rule: {}. Past {} distinct values in one batch the rule is checked \
                 after the rows are written, so the batch was not applied; nothing was \
                 written. Remove the repeated rows, or submit the batch in smaller parts",
                refused.join("; "),
                self.unique
                    .iter()
                    .flatten()
                    .map(|s| s.cap())
                    .max()
                    .unwrap_or(0)
            ));
        }
        // A row two rules found repeated is one row.
        late.sort_unstable_by_key(|(r, _)| r.line);
        late.dedup_by_key(|(r, _)| r.line);
        // (Every worker has ended: nothing else moves these counters now.)
        let n = late.len() as u64;
        let written = self.progress.rows_written.load(Ordering::Relaxed);
        self.progress.rows_rejected.fetch_add(n, Ordering::Relaxed);
        self.progress
            .rows_written
            .store(written.saturating_sub(n), Ordering::Relaxed);
        // A row another reporting rule failed already was not clean: counted twice then.
        unclean.sort_unstable();
        unclean.dedup();
        let clean = self.rows_clean.load(Ordering::Relaxed);
        self.rows_clean.store(
            clean.saturating_sub(unclean.len() as u64),
            Ordering::Relaxed,
        );
        *self.late_repeats.lock().unwrap_or_else(|e| e.into_inner()) = late;
        Ok(())
    }
}

fn push_example(m: &Mutex<Vec<(u64, String)>>, line: u64, reason: &str) {
    let mut v = m.lock().unwrap_or_else(|e| e.into_inner());
    if v.len() < 5 {
        v.push((line, reason.to_string()));
    }
}

fn hash_text(s: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Builds one column's Arrow array from a chunk.
enum Builder {
    Str(StringBuilder),
    Int(Int64Builder),
    Num(Float64Builder),
    Date(Date32Builder),
    Ts(TimestampMicrosecondBuilder),
    Bool(BooleanBuilder),
    Bin(BinaryBuilder),
}

impl Builder {
    fn new(t: DataType, n: usize) -> Builder {
        match t {
            DataType::String => Builder::Str(StringBuilder::with_capacity(n, n * 16)),
            DataType::Integer => Builder::Int(Int64Builder::with_capacity(n)),
            DataType::Number => Builder::Num(Float64Builder::with_capacity(n)),
            DataType::Date => Builder::Date(Date32Builder::with_capacity(n)),
            DataType::Datetime => {
                Builder::Ts(TimestampMicrosecondBuilder::with_capacity(n).with_timezone("UTC"))
            }
            DataType::Boolean => Builder::Bool(BooleanBuilder::with_capacity(n)),
            DataType::Binary => Builder::Bin(BinaryBuilder::with_capacity(n, n * 16)),
        }
    }

    fn null(&mut self) {
        match self {
            Builder::Str(b) => b.append_null(),
            Builder::Int(b) => b.append_null(),
            Builder::Num(b) => b.append_null(),
            Builder::Date(b) => b.append_null(),
            Builder::Ts(b) => b.append_null(),
            Builder::Bool(b) => b.append_null(),
            Builder::Bin(b) => b.append_null(),
        }
    }

    /// Appends the value read from `text`; returns the cell for the rules, or the reason
    /// the text is not of the type (a null is appended then).
    fn push<'a>(&mut self, text: &'a str) -> Result<Cell<'a>, String> {
        let mut cell = Cell {
            text: Some(text),
            num: None,
            day: None,
        };
        let r = match self {
            Builder::Str(b) => {
                b.append_value(text);
                Ok(())
            }
            Builder::Int(b) => coerce::parse_integer(text).map(|v| {
                b.append_value(v);
                cell.num = Some(v as f64);
            }),
            Builder::Num(b) => coerce::parse_number(text).map(|v| {
                b.append_value(v);
                cell.num = Some(v);
            }),
            Builder::Date(b) => coerce::parse_date(text).map(|d| {
                let day = day_number(d);
                b.append_value(day);
                cell.day = Some(day);
            }),
            Builder::Ts(b) => coerce::parse_datetime(text).map(|us| {
                b.append_value(us);
                cell.day = Some(us.div_euclid(86_400_000_000) as i32);
            }),
            Builder::Bool(b) => coerce::parse_bool(text).map(|v| b.append_value(v)),
            Builder::Bin(b) => {
                b.append_value(text.as_bytes());
                Ok(())
            }
        };
        match r {
            Ok(()) => Ok(cell),
            Err(e) => {
                self.null();
                Err(e.to_string())
            }
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Str(b) => Arc::new(b.finish()),
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Num(b) => Arc::new(b.finish()),
            Builder::Date(b) => Arc::new(b.finish()),
            Builder::Ts(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::Bin(b) => Arc::new(b.finish()),
        }
    }
}

/// Standardises, coerces and checks one chunk; returns the batch of accepted rows.
fn process(shared: &Shared, chunk: &Chunk) -> Result<RecordBatch, String> {
    let n = chunk.len();
    let mut keep = vec![true; n];
    let mut clean = vec![true; n];
    // (row, column, reason) of every blocking failure.
    let mut failures: Vec<(usize, usize, String)> = Vec::new();
    let mut arrays = Vec::with_capacity(shared.columns.len());
    // Ragged rows (a cut last line, a stray delimiter) are rejected whole.
    for (row, k) in keep.iter_mut().enumerate() {
        let w = chunk.width(row);
        if w != shared.width {
            *k = false;
            clean[row] = false;
            failures.push((
                row,
                0,
                format!("the row has {w} fields; the header has {}", shared.width),
            ));
        }
    }
    let mut unique_checks = Vec::new();
    for (ci, col) in shared.columns.iter().enumerate() {
        let mut b = Builder::new(col.item.data_type, n);
        let unique_rules: Vec<usize> = col
            .rules
            .iter()
            .copied()
            .filter(|&r| shared.rules[r].is_unique())
            .collect();
        let mut hashes: Vec<(usize, u64)> = Vec::new();
        for row in 0..n {
            let raw = col.src.and_then(|s| chunk.field(row, s)).unwrap_or("");
            let mut text = std::borrow::Cow::Borrowed(raw);
            for t in &col.transforms {
                let next = match t.apply(&text) {
                    std::borrow::Cow::Owned(s) => Some(s),
                    std::borrow::Cow::Borrowed(_) => None,
                };
                if let Some(s) = next {
                    text = std::borrow::Cow::Owned(s);
                }
            }
            let trimmed = text.trim();
            let cell = if coerce::is_null_trimmed(trimmed) {
                b.null();
                Cell {
                    text: None,
                    num: None,
                    day: None,
                }
            } else {
                match b.push(trimmed) {
                    Ok(c) => c,
                    Err(reason) => {
                        shared.coerce_failed[ci].fetch_add(1, Ordering::Relaxed);
                        push_example(&shared.coerce_examples[ci], chunk.line(row), &reason);
                        keep[row] = false;
                        clean[row] = false;
                        failures.push((row, ci, reason));
                        continue;
                    }
                }
            };
            for &ri in &col.rules {
                let rule = &shared.rules[ri];
                if rule.is_freshness() {
                    if let Some(d) = cell.day {
                        shared.newest[ri].fetch_max(d, Ordering::Relaxed);
                    }
                    continue;
                }
                if let Some(reason) = rule.check(&cell) {
                    shared.failed[ri].fetch_add(1, Ordering::Relaxed);
                    push_example(&shared.examples[ri], chunk.line(row), &reason);
                    clean[row] = false;
                    if rule.rule.blocking {
                        keep[row] = false;
                        failures.push((row, ci, reason));
                    }
                }
            }
            if !unique_rules.is_empty() {
                if let Some(t) = cell.text {
                    hashes.push((row, hash_text(t)));
                }
            }
        }
        if !unique_rules.is_empty() {
            unique_checks.push((ci, unique_rules, hashes));
        }
        arrays.push(b.finish());
    }
    // Unique rules last, over the rows every other rule kept: a quarantined row does not
    // hold its value against a later one. (Rules in the order of their columns: a row one
    // of them rejects is not checked by the next.)
    for (ci, unique_rules, hashes) in unique_checks {
        for ri in unique_rules {
            check_unique(
                shared,
                chunk,
                ci,
                ri,
                &hashes,
                &mut keep,
                &mut clean,
                &mut failures,
            )?;
        }
    }
    if shared.spooled() {
        let lines: Vec<u64> = (0..n).map(|row| chunk.line(row)).collect();
        arrays.push(Arc::new(deltalake::arrow::array::UInt64Array::from(lines)));
    }
    let batch =
        RecordBatch::try_new(shared.batch_schema.clone(), arrays).map_err(|e| e.to_string())?;
    let rejected = keep.iter().filter(|k| !**k).count();
    shared.rows_clean.fetch_add(
        clean.iter().filter(|c| **c).count() as u64,
        Ordering::Relaxed,
    );
    shared
        .progress
        .rows_read
        .fetch_add(n as u64, Ordering::Relaxed);
    if rejected == 0 {
        shared
            .progress
            .rows_written
            .fetch_add(n as u64, Ordering::Relaxed);
        return Ok(batch);
    }
    shared
        .progress
        .rows_rejected
        .fetch_add(rejected as u64, Ordering::Relaxed);
    shared
        .progress
        .rows_written
        .fetch_add((n - rejected) as u64, Ordering::Relaxed);
    // One quarantine entry per rejected row, with every reason.
    failures.sort_by_key(|f| f.0);
    {
        let mut q = shared.quarantine.lock().unwrap_or_else(|e| e.into_inner());
        let mut i = 0;
        while i < failures.len() {
            let row = failures[i].0;
            let mut reasons = Vec::new();
            let first_col = failures[i].1;
            while i < failures.len() && failures[i].0 == row {
                reasons.push(format!(
                    "{}: {}",
                    shared.columns[failures[i].1].item.name, failures[i].2
                ));
                i += 1;
            }
            if q.len() < shared.quarantine_cap {
                q.push(Quarantined {
                    line: chunk.line(row) as i64,
                    column: shared.columns[first_col].item.name.clone(),
                    reason: reasons.join("; "),
                    raw: chunk.fields(row).into_iter().map(String::from).collect(),
                });
            }
        }
    }
    let mask = BooleanArray::from(keep);
    filter_record_batch(&batch, &mask).map_err(|e| e.to_string())
}

/// One unique rule over one chunk's values of its column, `(row, hash)`, for the rows still
/// kept: a value already in the table (for an append, see [`existing_values`]) or already
/// seen in the batch fails the rule.
#[allow(clippy::too_many_arguments)]
fn check_unique(
    shared: &Shared,
    chunk: &Chunk,
    ci: usize,
    ri: usize,
    hashes: &[(usize, u64)],
    keep: &mut [bool],
    clean: &mut [bool],
    failures: &mut Vec<(usize, usize, String)>,
) -> Result<(), String> {
    let Some(seen) = &shared.unique[ri] else {
        return Ok(());
    };
    let existing = shared.existing[ri].as_deref();
    let (mut rows, mut values) = (Vec::new(), Vec::new());
    let mut failed: Vec<(usize, bool)> = Vec::new(); // (row, in the table)
    for &(row, h) in hashes.iter().filter(|(row, _)| keep[*row]) {
        if existing.is_some_and(|e| e.binary_search(&h).is_ok()) {
            failed.push((row, true));
        } else {
            rows.push(row);
            values.push((chunk.line(row), h));
        }
    }
    let repeats = seen.check(&values).map_err(|e| {
        // (The first reason stays: the worker's "internal error" after it does not.)
        let why = format!(
            "unique rule on `{}`: {e}; nothing was written",
            shared.rules[ri].rule.column
        );
        shared.abort(why.clone());
        why
    })?;
    failed.extend(repeats.into_iter().map(|i| (rows[i], false)));
    let col = &shared.columns[ci];
    for (row, in_table) in failed {
        let value = chunk
            .field(row, col.src.unwrap_or(usize::MAX))
            .unwrap_or("")
            .chars()
            .take(40)
            .collect::<String>();
        let reason = if in_table {
            format!("`{value}` is already in the table (unique rule)")
        } else {
            format!("`{value}` appears more than once in this batch (unique rule)")
        };
        shared.failed[ri].fetch_add(1, Ordering::Relaxed);
        push_example(&shared.examples[ri], chunk.line(row), &reason);
        clean[row] = false;
        if shared.rules[ri].rule.blocking {
            keep[row] = false;
            failures.push((row, ci, reason));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- streams

/// One partition of the input: the batches one worker produces.
#[derive(Debug)]
struct WorkerStream {
    schema: SchemaRef,
    rx: Mutex<Option<tokio::sync::mpsc::Receiver<Result<RecordBatch, DataFusionError>>>>,
}

impl PartitionStream for WorkerStream {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, _ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let rx = self.rx.lock().unwrap_or_else(|e| e.into_inner()).take();
        let stream = futures::stream::unfold(rx, |rx| async move {
            let mut rx = rx?;
            let item = rx.recv().await?;
            Some((item, Some(rx)))
        });
        Box::pin(RecordBatchStreamAdapter::new(self.schema.clone(), stream))
    }
}

/// Starts the reader and the workers; returns the partitions to plan over.
fn start_pipeline(
    shared: Arc<Shared>,
    mut source: Box<dyn RowSource>,
    workers: usize,
) -> Vec<Arc<dyn PartitionStream>> {
    let (chunk_tx, chunk_rx) = mpsc::sync_channel::<Piece>(workers * 2);
    let chunk_rx = Arc::new(Mutex::new(chunk_rx));
    {
        let shared = shared.clone();
        std::thread::spawn(move || {
            loop {
                if shared.aborted.load(Ordering::Relaxed) {
                    break;
                }
                match source.next_piece() {
                    Ok(Some(c)) => {
                        shared
                            .progress
                            .bytes_read
                            .store(source.bytes_read(), Ordering::Relaxed);
                        if chunk_tx.send(c).is_err() {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        shared.abort(format!("{e}; nothing was written"));
                        break;
                    }
                }
            }
            shared
                .progress
                .bytes_read
                .store(source.bytes_read(), Ordering::Relaxed);
        });
    }
    let mut parts: Vec<Arc<dyn PartitionStream>> = Vec::with_capacity(workers);
    for _ in 0..workers {
        let (tx, rx) = tokio::sync::mpsc::channel(2);
        parts.push(Arc::new(WorkerStream {
            schema: shared.batch_schema.clone(),
            rx: Mutex::new(Some(rx)),
        }));
        let shared = shared.clone();
        let chunk_rx = chunk_rx.clone();
        std::thread::spawn(move || {
            loop {
                let next = chunk_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok(piece) = next else { break };
                if shared.aborted.load(Ordering::Relaxed) {
                    break;
                }
                let chunk = match piece.into_chunk() {
                    Ok(c) => c,
                    Err(e) => {
                        shared.abort(format!("{e}; nothing was written"));
                        break;
                    }
                };
                if chunk.is_empty() {
                    continue;
                }
                match process(&shared, &chunk) {
                    Ok(batch) => {
                        if batch.num_rows() > 0 && tx.blocking_send(Ok(batch)).is_err() {
                            // The writer failed: its error is the batch's, not a reason of
                            // ours (which would replace it in the report).
                            shared.aborted.store(true, Ordering::SeqCst);
                            break;
                        }
                    }
                    Err(e) => {
                        shared.abort(format!("internal error building a batch: {e}"));
                        break;
                    }
                }
                if let Some(why) = shared.too_many_rejects(false) {
                    shared.abort(why);
                    break;
                }
            }
            let last = shared.workers_left.fetch_sub(1, Ordering::SeqCst) == 1;
            if last && !shared.aborted.load(Ordering::SeqCst) {
                if let Err(why) = shared.check_late_repeats() {
                    shared.abort(why);
                }
            }
            if last {
                if let Some(why) = shared.too_many_rejects(true) {
                    shared.abort(why);
                }
            }
            // Any worker may end its stream in error; one error is enough to stop the
            // commit. Wait for the other workers so a late abort is seen by someone.
            while !last && shared.workers_left.load(Ordering::SeqCst) > 0 {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            if let Some(why) = shared.abort_reason() {
                let _ = tx.blocking_send(Err(DataFusionError::External(why.into())));
            }
        });
    }
    parts
}

// ---------------------------------------------------------------- the entry point

/// The app id under which a batch is recorded in the Delta log.
pub fn txn_app_id(batch_id: &str) -> String {
    format!("zhengshu-batch:{batch_id}")
}

/// Loads one batch into a connected table and records the job; see the module docs.
pub async fn ingest(
    state: &LakeState,
    table: &str,
    source: Box<dyn RowSource>,
    opts: Options,
) -> Result<Report, LakeError> {
    let started = Instant::now();
    let target = crate::target(state, table).await?;
    let batch_id = opts
        .batch_id
        .clone()
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    if batch_id.len() > 200 {
        return Err(LakeError::invalid("batch_id", "at most 200 characters"));
    }
    // Idempotence: the job table first, the Delta log second (it wins after a crash
    // between the commit and the job update).
    if let Some(job) = store::job_by_batch(&state.db, table, &batch_id).await? {
        if job.status == "succeeded" {
            let mut report: Report = serde_json::from_value(job.report.clone())
                .map_err(|e| LakeError::Storage(format!("stored report: {e}")))?;
            report.already_applied = true;
            return Ok(report);
        }
        return Err(LakeError::Conflict(format!(
            "batch `{batch_id}` is being ingested by job {} (started {})",
            job.id, job.started_at
        )));
    }
    let delta = state.lake.open(table).await?;
    let applied = delta
        .snapshot()?
        .transaction_version(delta.log_store().as_ref(), txn_app_id(&batch_id))
        .await?;
    let now = zhengshu_db::ts(state.clock.now());
    let job_id = store::start_job(
        &state.db,
        table,
        &batch_id,
        opts.mode.as_str(),
        &opts.source,
        &now,
        opts.created_by,
    )
    .await?;
    if applied.is_some() {
        let report = Report {
            job_id,
            table: table.into(),
            batch_id: batch_id.clone(),
            mode: opts.mode,
            status: "succeeded".into(),
            already_applied: true,
            version: delta.version().map(|v| v as i64),
            rows_read: 0,
            rows_written: 0,
            rows_quarantined: 0,
            coercion_failures: 0,
            secs: 0.0,
            rows_per_sec: 0.0,
            quality_score: 100.0,
            detected: source.detected(),
            header: source.header().to_vec(),
            columns_missing: vec![],
            columns_extra: vec![],
            rules: vec![],
            coercion: vec![],
            notes: vec!["the Delta log already holds this batch id; nothing changed".into()],
            error: None,
        };
        finish(state, job_id, &report).await?;
        return Ok(report);
    }

    let result = run(
        state, &target, delta, source, &opts, job_id, &batch_id, started,
    )
    .await;
    let report = match result {
        Ok(r) => r,
        Err((mut r, e)) => {
            r.status = "failed".into();
            r.error = Some(e.to_string());
            r
        }
    };
    finish(state, job_id, &report).await?;
    Ok(report)
}

async fn finish(state: &LakeState, job_id: i64, report: &Report) -> Result<(), LakeError> {
    let now = zhengshu_db::ts(state.clock.now());
    let value = serde_json::to_value(report).unwrap_or_default();
    store::finish_job(
        &state.db,
        job_id,
        &store::Finish {
            status: &report.status,
            rows_read: report.rows_read,
            rows_written: report.rows_written,
            rows_quarantined: report.rows_quarantined,
            bytes: 0,
            version: report.version,
            quality_bp: (report.status == "succeeded")
                .then_some((report.quality_score * 100.0).round() as i64),
            error: report.error.as_deref().unwrap_or(""),
            report: &value,
            now: &now,
        },
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn run(
    state: &LakeState,
    target: &crate::Target,
    delta: deltalake::DeltaTable,
    source: Box<dyn RowSource>,
    opts: &Options,
    job_id: i64,
    batch_id: &str,
    started: Instant,
) -> Result<Report, (Report, LakeError)> {
    let items = &target.resource.items;
    let (map, extra) = map_columns(source.header(), items);
    let mut report = Report {
        job_id,
        table: target.table.clone(),
        batch_id: batch_id.into(),
        mode: opts.mode,
        status: "running".into(),
        already_applied: false,
        version: delta.version().map(|v| v as i64),
        rows_read: 0,
        rows_written: 0,
        rows_quarantined: 0,
        coercion_failures: 0,
        secs: 0.0,
        rows_per_sec: 0.0,
        quality_score: 0.0,
        detected: source.detected(),
        header: source.header().to_vec(),
        columns_missing: items
            .iter()
            .zip(&map)
            .filter(|(_, m)| m.is_none())
            .map(|(i, _)| i.name.clone())
            .collect(),
        columns_extra: extra,
        rules: vec![],
        coercion: vec![],
        notes: vec![],
        error: None,
    };
    if map.iter().all(|m| m.is_none()) {
        let names: Vec<_> = items
            .iter()
            .map(|i| format!("{} ({})", i.name, i.label))
            .collect();
        return Err((
            report,
            LakeError::invalid(
                "file",
                format!(
                    "the header matches none of the data items; expected columns named {}",
                    names.join(", ")
                ),
            ),
        ));
    }
    // Rules, with the upsert key as an implicit blocking unique + not-null rule.
    let mut rules = target.rules.clone();
    if opts.mode == Mode::Upsert {
        if target.key.is_empty() {
            return Err((
                report,
                LakeError::invalid(
                    "mode",
                    "upsert needs the table's key column; set it in the table settings first",
                ),
            ));
        }
        for kind in [
            crate::rules::RuleKind::NotNull,
            crate::rules::RuleKind::Unique,
        ] {
            rules.push(Rule {
                id: 0,
                column: target.key.clone(),
                kind,
                blocking: true,
            });
        }
    }
    let today = state.clock.now().date_naive();
    let mut compiled = Vec::new();
    for r in rules {
        let Some(item) = items.iter().find(|i| i.name == r.column) else {
            report.notes.push(format!(
                "rule {} on `{}` skipped: the column is not a data item",
                r.kind.as_str(),
                r.column
            ));
            continue;
        };
        let reference = match &r.kind {
            crate::rules::RuleKind::Reference { table, column } => Some(
                crate::sql::distinct_values(state, table, column)
                    .await
                    .map_err(|e| (report.clone(), e))?,
            ),
            _ => None,
        };
        let c =
            Compiled::new(r, item.data_type, today, reference).map_err(|e| (report.clone(), e))?;
        compiled.push(c);
    }
    let columns: Vec<ColumnPlan> = items
        .iter()
        .zip(&map)
        .map(|(it, src)| ColumnPlan {
            item: it.clone(),
            src: *src,
            transforms: target.transforms.get(&it.name).cloned().unwrap_or_default(),
            rules: compiled
                .iter()
                .enumerate()
                .filter(|(_, c)| c.rule.column == it.name)
                .map(|(i, _)| i)
                .collect(),
        })
        .collect();
    let workers = opts
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .clamp(1, 16);
    let progress = opts.progress.clone().unwrap_or_default();
    let mut existing = Vec::with_capacity(compiled.len());
    for c in &compiled {
        let text_column = items
            .iter()
            .any(|i| i.name == c.rule.column && i.data_type == DataType::String);
        // Against the table: appended rows only (an overwrite replaces the table; an
        // upsert's key is meant to match rows already there), text columns only (codes
        // and IDs; another type's text may be written in more than one way).
        if !(c.is_unique() && c.rule.id != 0 && opts.mode == Mode::Append) {
            existing.push(None);
            continue;
        }
        let rows = crate::table::stats(&delta).map(|s| s.rows).unwrap_or(0);
        if rows == 0 {
            existing.push(None);
        } else if !text_column || rows > UNIQUE_AGAINST_TABLE_MAX_ROWS {
            report.notes.push(format!(
                "unique rule on `{}`: checked within this batch only ({})",
                c.rule.column,
                if text_column {
                    format!(
                        "the table holds {rows} rows; the check against the table loads at most {UNIQUE_AGAINST_TABLE_MAX_ROWS}"
                    )
                } else {
                    "the column is not text".to_string()
                }
            ));
            existing.push(None);
        } else {
            let values = existing_values(&delta, &c.rule.column)
                .await
                .map_err(|e| (report.clone(), e))?;
            existing.push(Some(values));
        }
    }
    let n_rules = compiled.len();
    let schema = crate::table::arrow_schema(items);
    // The batch goes to a temporary file before the table when rows found late to repeat
    // a value (see `crate::seen`) must be left out: an upsert's always; an append's or an
    // overwrite's when a blocking unique rule may hold more values than memory does.
    let spill = opts.merge.spill.clone().unwrap_or_else(|| {
        let mut s = crate::maintain::SpillLimits::for_this_machine();
        s.memory_bytes = UPSERT_SPILL_MEMORY_BYTES;
        s
    });
    let unbounded_unique = compiled
        .iter()
        .find(|c| c.is_unique() && c.rule.blocking)
        .filter(|_| {
            source
                .max_rows()
                .is_none_or(|n| n > opts.unique_in_memory_values as u64)
        });
    if let (Some(c), false) = (unbounded_unique, opts.mode == Mode::Upsert) {
        report.notes.push(format!(
            "unique rule on `{}`: the batch may hold more than {} values, more than are \
             checked in memory, so its rows went to a temporary file in {} first, to leave \
             out those found to repeat a value once every row was read",
            c.rule.column,
            opts.unique_in_memory_values,
            spill.folder().display()
        ));
    }
    let batch_schema = if opts.mode == Mode::Upsert || unbounded_unique.is_some() {
        let mut fields: Vec<_> = schema.fields().iter().cloned().collect();
        fields.push(Arc::new(deltalake::arrow::datatypes::Field::new(
            LINE_COLUMN,
            deltalake::arrow::datatypes::DataType::UInt64,
            false,
        )));
        Arc::new(deltalake::arrow::datatypes::Schema::new(fields))
    } else {
        schema.clone()
    };
    let scratch = Arc::new(crate::seen::Scratch::new(
        spill.folder(),
        spill.max_disk_bytes,
    ));
    let shared = Arc::new(Shared {
        width: report.header.len(),
        schema,
        batch_schema,
        columns,
        existing,
        unique: compiled
            .iter()
            .map(|c| {
                c.is_unique()
                    .then(|| crate::seen::Seen::new(opts.unique_in_memory_values, scratch.clone()))
            })
            .collect(),
        late_repeats: Mutex::new(Vec::new()),
        spill,
        scratch,
        rules: compiled,
        newest: (0..n_rules).map(|_| AtomicI32::new(i32::MIN)).collect(),
        failed: (0..n_rules).map(|_| AtomicU64::new(0)).collect(),
        examples: (0..n_rules).map(|_| Mutex::new(Vec::new())).collect(),
        coerce_failed: items.iter().map(|_| AtomicU64::new(0)).collect(),
        coerce_examples: items.iter().map(|_| Mutex::new(Vec::new())).collect(),
        quarantine: Mutex::new(Vec::new()),
        quarantine_cap: opts.max_quarantine_kept,
        progress: progress.clone(),
        rows_clean: AtomicU64::new(0),
        max_reject_ratio: opts.max_reject_ratio,
        abort: Mutex::new(None),
        aborted: AtomicBool::new(false),
        workers_left: AtomicUsize::new(workers),
    });

    // Progress into the job row, once a second, while the batch runs.
    let ticker = {
        let db = state.db.clone();
        let clock = state.clock.clone();
        let progress = progress.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                let _ = store::progress(
                    &db,
                    job_id,
                    progress.rows_read.load(Ordering::Relaxed),
                    progress.rows_written.load(Ordering::Relaxed),
                    progress.bytes_read.load(Ordering::Relaxed),
                    &zhengshu_db::ts(clock.now()),
                )
                .await;
            }
        })
    };

    let parts = start_pipeline(shared.clone(), source, workers);
    let outcome = write(
        state,
        target,
        delta,
        parts,
        &shared,
        opts.mode,
        batch_id,
        workers,
        &opts.merge,
    )
    .await;
    ticker.abort();

    // The report, whatever happened.
    report.rows_read = progress.rows_read.load(Ordering::Relaxed);
    report.rows_quarantined = progress.rows_rejected.load(Ordering::Relaxed);
    report.coercion_failures = shared
        .coerce_failed
        .iter()
        .map(|c| c.load(Ordering::Relaxed))
        .sum();
    report.secs = started.elapsed().as_secs_f64();
    report.rows_per_sec = report.rows_read as f64 / report.secs.max(1e-9);
    let clean = shared.rows_clean.load(Ordering::Relaxed);
    report.quality_score = if report.rows_read == 0 {
        100.0
    } else {
        (clean as f64 * 10000.0 / report.rows_read as f64).floor() / 100.0
    };
    for (i, c) in shared.rules.iter().enumerate() {
        let mut failed = shared.failed[i].load(Ordering::Relaxed);
        let mut examples = shared.examples[i]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if c.is_freshness() {
            let newest = shared.newest[i].load(Ordering::Relaxed);
            if let Some(days) = crate::rules::cycle_days(target.resource.update_cycle) {
                let today = day_number(today);
                if newest == i32::MIN || (today - newest) as i64 > days {
                    failed = 1;
                    let msg = if newest == i32::MIN {
                        format!("`{}` has no dates in this batch", c.rule.column)
                    } else {
                        format!(
                            "the newest `{}` is {} days old; the update cycle ({}) allows {days}",
                            c.rule.column,
                            today - newest,
                            target.resource.update_cycle.label_zh()
                        )
                    };
                    report.notes.push(msg.clone());
                    examples.push((0, msg));
                }
            }
        }
        if c.rule.id == 0 && failed == 0 {
            continue; // the implicit upsert rules, when they found nothing
        }
        report.rules.push(RuleOutcome {
            rule_id: c.rule.id,
            column: c.rule.column.clone(),
            kind: c.rule.kind.as_str().into(),
            label: c.rule.kind.label_zh().into(),
            blocking: c.rule.blocking,
            failed,
            examples,
        });
    }
    for (i, it) in items.iter().enumerate() {
        let failed = shared.coerce_failed[i].load(Ordering::Relaxed);
        if failed > 0 {
            report.coercion.push(RuleOutcome {
                rule_id: 0,
                column: it.name.clone(),
                kind: format!("type:{}", it.data_type.as_str()),
                label: it.data_type.label_zh().into(),
                blocking: true,
                failed,
                examples: shared.coerce_examples[i]
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone(),
            });
        }
    }
    let quarantined =
        std::mem::take(&mut *shared.quarantine.lock().unwrap_or_else(|e| e.into_inner()));
    if let Err(e) = store::insert_quarantine(&state.db, job_id, &quarantined).await {
        tracing::warn!(error = %e, job_id, "could not store quarantined rows");
    }
    match outcome {
        Ok((version, note)) => {
            report.notes.extend(note);
            report.status = "succeeded".into();
            report.version = Some(version);
            report.rows_written = progress.rows_written.load(Ordering::Relaxed);
            Ok(report)
        }
        Err(e) => {
            report.rows_written = 0;
            let e = match shared.abort_reason() {
                Some(why) => LakeError::invalid("file", why),
                None => e,
            };
            Err((report, e))
        }
    }
}

/// Most rows of a table whose values of a unique column are loaded to check a batch
/// against (8 bytes a row: 160 MB at the limit); beyond it the check is within the batch.
pub const UNIQUE_AGAINST_TABLE_MAX_ROWS: i64 = 20_000_000;

/// The sorted, distinct hashes of a text column's values in the table's current version.
async fn existing_values(
    delta: &deltalake::DeltaTable,
    column: &str,
) -> Result<Vec<u64>, LakeError> {
    use deltalake::arrow::array::AsArray;
    use deltalake::datafusion::prelude::{col, SessionContext};
    use futures::StreamExt;
    let provider = delta
        .table_provider()
        .await
        .map_err(|e| LakeError::Storage(e.to_string()))?;
    let df = SessionContext::new()
        .read_table(provider)?
        .select(vec![col(format!("\"{column}\""))])?;
    let mut stream = df.execute_stream().await?;
    let mut out = Vec::new();
    while let Some(batch) = stream.next().await {
        let batch = batch?;
        let text = deltalake::arrow::compute::cast(
            batch.column(0),
            &deltalake::arrow::datatypes::DataType::Utf8,
        )?;
        out.extend(text.as_string::<i32>().iter().flatten().map(hash_text));
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// The Parquet settings of the lake: zstd, dictionaries, statistics for pruning.
///
/// Dictionaries are capped as [`crate::maintain::optimize`] caps them: a column with few
/// distinct values (street, industry, status) still fits, while a column of codes, IDs,
/// names or amounts gives up after a few thousand values instead of the default 1 MB —
/// every value it interned up to there cost the ingest a hash lookup, and the amounts read
/// back slower through a dictionary than plain.
pub fn writer_properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(1).unwrap_or_default()))
        .set_max_row_group_row_count(Some(256 * 1024))
        .set_dictionary_page_size_limit(crate::maintain::OPTIMIZE_DICTIONARY_BYTES)
        .build()
}

#[allow(clippy::too_many_arguments)]
async fn write(
    state: &LakeState,
    target: &crate::Target,
    delta: deltalake::DeltaTable,
    parts: Vec<Arc<dyn PartitionStream>>,
    shared: &Shared,
    mode: Mode,
    batch_id: &str,
    workers: usize,
    merge: &MergeLimits,
) -> Result<(i64, Option<String>), LakeError> {
    // delta-rs's own session: its planner knows the write and merge plan nodes.
    let overrides: HashMap<String, String> = [
        (
            "datafusion.execution.target_partitions".to_string(),
            workers.to_string(),
        ),
        (
            "datafusion.execution.batch_size".to_string(),
            (16 * 1024).to_string(),
        ),
    ]
    .into_iter()
    .collect();
    let ctx =
        deltalake::delta_datafusion::DeltaSessionContext::new_with_session_overrides(&overrides)?
            .into_inner();
    let input = StreamingTable::try_new(shared.batch_schema.clone(), parts)?;
    let df = ctx.read_table(Arc::new(input))?;
    let props = CommitProperties::default()
        .with_application_transaction(Transaction::new(txn_app_id(batch_id), 1))
        .with_metadata([
            ("zhengshu.batch_id".to_string(), serde_json::json!(batch_id)),
            (
                "zhengshu.mode".to_string(),
                serde_json::json!(mode.as_str()),
            ),
        ]);
    let mut note = None;
    let table = match mode {
        Mode::Append | Mode::Overwrite => {
            let save = if mode == Mode::Append {
                SaveMode::Append
            } else {
                SaveMode::Overwrite
            };
            // A blocking unique rule that may outgrow memory: the rows wait in a temporary
            // file until every row is read and the repeats found on disk can be left out
            // (see `Shared::check_late_repeats`).
            let (df, spooled) = if shared.spooled() {
                let spooled = spool(df, shared, "", 0).await?;
                let path = spooled.file.path().to_string_lossy().into_owned();
                let late = take_late(shared, &path).await?;
                let df = without_lines(read_spooled(&ctx, shared, &path).await?, &late)?;
                (df, Some(spooled))
            } else {
                (df, None)
            };
            let t = delta
                .write(Vec::new())
                .with_input_plan(df.logical_plan().clone())
                .with_session_state(Arc::new(ctx.state()))
                .with_save_mode(save)
                .with_writer_properties(writer_properties())
                .with_commit_properties(props)
                .await?;
            drop(spooled);
            t
        }
        Mode::Upsert => {
            let spill = shared.spill.clone();
            // The merge plans its source more than once and a stream can be read once:
            // the batch goes to a temporary Parquet file first (deleted when dropped).
            let mut spooled = spool(df, shared, &target.key, merge.replace_max_keys).await?;
            let path = spooled.file.path().to_string_lossy().into_owned();
            let late = take_late(shared, &path).await?;
            let rows = spooled.rows - late.len() as u64;
            // (The spool's keys include rows found later to repeat a unique value, which
            // are left out of the batch: their keys must not go. The set is built without.)
            let few = spooled
                .keys
                .take()
                .filter(|k| !k.is_empty() && late.is_empty());
            let replace = if let Some(keys) = few {
                // A few keys: replace their rows. delta-rs's merge would scan every file
                // whose key range overlaps the batch's (all of them, in a table not sorted
                // by the key, or for two keys at either end of it) and hold the rows of
                // each file until it knows the file is unchanged, which it learns only at
                // the end: the whole table, in memory, to correct two rows. A replace
                // (`replaceWhere`) first finds the files that hold the keys (statistics,
                // then a scan of those files filtered by the keys), then rewrites only
                // them, without the replaced rows, beside the batch: all streaming. The
                // keys are distinct and not null (the key's implicit rules).
                let n = keys.len();
                let predicate = deltalake::datafusion::prelude::ident(&target.key).in_list(
                    keys.into_iter()
                        .map(deltalake::datafusion::prelude::lit)
                        .collect(),
                    false,
                );
                Some((
                    predicate,
                    format!(
                        "upsert: {n} rows replaced the table's rows of their keys (a rewrite of \
                         only the files that held them)"
                    ),
                ))
            } else if rows <= merge.key_set_max_keys as u64 {
                // Many keys: the same replace, the keys tested as a set of hashes within
                // the batch's key range (files outside it are not read). delta-rs's merge
                // sorts the batch and every row of the table, and its last phase grew by
                // 12–16 bytes a row written (1.9 GiB for 10M rows into 100M).
                key_set(&ctx, shared, &path, &late, &target.key, rows)
                    .await?
                    .map(|(set, range)| {
                        let key = deltalake::datafusion::prelude::ident(&target.key);
                        let note = format!(
                            "upsert: {} rows replaced the table's rows of their keys (a rewrite \
                             of only the files that held them; the keys tested as a set of {:.1} \
                             MiB)",
                            set.len(),
                            set.bytes() as f64 / (1 << 20) as f64
                        );
                        let predicate = key
                            .clone()
                            .between(
                                deltalake::datafusion::prelude::lit(range.0),
                                deltalake::datafusion::prelude::lit(range.1),
                            )
                            .and(set.udf().call(vec![key]));
                        (predicate, note)
                    })
            } else {
                None
            };
            if let Some((predicate, replaced)) = replace {
                let df = read_spooled(&ctx, shared, &path).await?;
                let df = without_lines(df, &late)?;
                let t = delta
                    .write(Vec::new())
                    .with_input_plan(df.logical_plan().clone())
                    .with_session_state(Arc::new(ctx.state()))
                    .with_save_mode(SaveMode::Overwrite)
                    .with_replace_where(predicate)
                    .with_writer_properties(writer_properties())
                    .with_commit_properties(props)
                    .await?;
                drop(spooled);
                note = Some(replaced);
                t
            } else {
                // The file counts against the disk the merge's sorts may spill to.
                let spill = crate::maintain::SpillLimits {
                    max_disk_bytes: spill.max_disk_bytes.saturating_sub(spooled.file_bytes),
                    ..spill
                };
                let in_memory = spooled.arrow_bytes <= merge.in_memory_bytes;
                let session = if in_memory {
                    // One partition, under the pool: the scan, the join (its build side
                    // the batch), delta-rs's barrier and the writer in one stream, with no
                    // repartition by file between them to buffer the table's rows while
                    // the writer catches up (with the default session's partitions a
                    // 5,000-row upsert into 10M rows peaked at 974 MiB).
                    spill.session()?
                } else {
                    let mut s = spill.session()?;
                    // A hash join holds its build side (the batch, or the table) whole; a sort-merge join
                    // reads both sides sorted, and the sorts spill. DataFusion plans a
                    // sort-merge join only over two or more partitions (each side hashed into
                    // them by the key, each partition sorted and joined on its own, so no
                    // merge of sorted streams is needed, unlike the clustering sort). Two, on
                    // any machine: the pool is shared by four sorts, each holding back a
                    // sixteenth of it for its merge.
                    let options = s.config_mut().options_mut();
                    options.optimizer.prefer_hash_join = false;
                    options.optimizer.repartition_joins = true;
                    options.execution.target_partitions = 2;
                    // Each repartition output and each sort takes its share of the pool, and a
                    // sort must fit one whole batch into its share.
                    options.execution.batch_size =
                        deltalake::datafusion::common::config::ConfigNonZeroUsize::try_new(4096)?;
                    // Text as plain Utf8: a string view array keeps the whole Parquet page it
                    // was decoded from, so after the repartition every slice of a batch was
                    // charged the page again, and a sort's share no longer held one batch.
                    options.execution.parquet.schema_force_view_types = false;
                    // A sort that spilled merges its files in passes of at most
                    // SPILL_MERGE_FAN_IN (set by the session): with as many as the pool
                    // allowed, the first sorts to finish took it all (150–200 MB each at 10M
                    // rows) and the last could not reserve its merge. (Four a pass left a
                    // 10M-row upsert into 100M rows at the same 2.4 GiB peak, reached while
                    // the join's output is written: not the spill's merges; see
                    // bench/lake/README.md.)
                    s
                };
                note = Some(format!(
                    "upsert: {} rows ({:.1} MiB as Arrow arrays, a temporary file of {} bytes) \
                 joined with the table {}",
                    spooled.rows - late.len() as u64,
                    spooled.arrow_bytes as f64 / (1 << 20) as f64,
                    spooled.file_bytes,
                    if in_memory {
                        "in memory (hash join)".to_string()
                    } else {
                        format!(
                            "by sort-merge join, spilling to disk beyond {} MiB",
                            spill.memory_bytes >> 20
                        )
                    }
                ));
                let reader =
                    deltalake::datafusion::prelude::SessionContext::new_with_state(session.clone());
                let df = reader
                    .read_parquet(
                        path,
                        deltalake::datafusion::prelude::ParquetReadOptions::default(),
                    )
                    .await?;
                let df = without_lines(df, &late)?;
                let key = &target.key;
                let names: Vec<String> = target
                    .resource
                    .items
                    .iter()
                    .map(|i| i.name.clone())
                    .collect();
                let (t, _metrics) = delta
                    .merge(df, format!("target.\"{key}\" = source.\"{key}\""))
                    .with_session_state(Arc::new(session))
                    .with_source_alias("source")
                    .with_target_alias("target")
                    .with_writer_properties(writer_properties())
                    .with_commit_properties(props)
                    .when_matched_update(|u| {
                        names.iter().fold(u, |u, n| {
                            u.update(format!("target.\"{n}\""), format!("source.\"{n}\""))
                        })
                    })?
                    .when_not_matched_insert(|i| {
                        names.iter().fold(i, |i, n| {
                            i.set(format!("\"{n}\""), format!("source.\"{n}\""))
                        })
                    })?
                    .await
                    .map_err(|e| {
                        spill
                            .explain(
                                &e.to_string(),
                                "the upsert's merge",
                                "beside the batch's file (their folder's free space less a \
                                 reserve)",
                                "submit the batch in smaller parts",
                                "Submit the batch in smaller parts",
                            )
                            .unwrap_or_else(|| LakeError::from(e))
                    })?;
                drop(spooled);
                t
            }
        }
    };
    if let Some(why) = shared.abort_reason() {
        // Cannot happen (an aborted stream fails the write) but never report success then.
        return Err(LakeError::invalid("file", why));
    }
    state.lake.forget(&target.table).await;
    Ok((table.version().map(|v| v as i64).unwrap_or(0), note))
}

/// The column of a spooled batch that holds each row's source line (data item names start
/// with a letter).
const LINE_COLUMN: &str = "__zhengshu_line";

/// The smallest and the largest key of a batch.
type KeyRange = (
    deltalake::datafusion::scalar::ScalarValue,
    deltalake::datafusion::scalar::ScalarValue,
);

/// The keys of the spooled batch at `path` (without the `late` lines), `rows` of them, as a
/// set, with their smallest and largest; `None` when a key is null or repeats once typed
/// (the batch then goes to the merge, as before), or there are none.
async fn key_set(
    ctx: &deltalake::datafusion::prelude::SessionContext,
    shared: &Shared,
    path: &str,
    late: &Arc<Vec<u64>>,
    key: &str,
    rows: u64,
) -> Result<Option<(Arc<crate::keyset::KeySet>, KeyRange)>, LakeError> {
    use deltalake::datafusion::functions_aggregate::min_max::{MaxAccumulator, MinAccumulator};
    use deltalake::datafusion::logical_expr::Accumulator;
    use deltalake::datafusion::prelude::ident;
    use futures::StreamExt;
    let df =
        without_lines(read_spooled(ctx, shared, path).await?, late)?.select(vec![ident(key)])?;
    let key_type = df.schema().field(0).data_type().clone();
    // The range in the same pass as the set.
    let (mut lo, mut hi) = (
        MinAccumulator::try_new(&key_type)?,
        MaxAccumulator::try_new(&key_type)?,
    );
    let mut builder =
        crate::keyset::KeySetBuilder::new(key_type, usize::try_from(rows).unwrap_or(usize::MAX));
    let mut stream = df.execute_stream().await?;
    while let Some(batch) = stream.next().await {
        let column = batch?.column(0).clone();
        builder.push(&column)?;
        lo.update_batch(std::slice::from_ref(&column))?;
        hi.update_batch(std::slice::from_ref(&column))?;
    }
    let set = match builder.finish() {
        Ok(set) if !set.is_empty() => set,
        _ => return Ok(None),
    };
    let (lo, hi) = (lo.evaluate()?, hi.evaluate()?);
    Ok(Some((Arc::new(set), (lo, hi))))
}

/// The rows found to repeat a value after they were spooled (see
/// [`Shared::check_late_repeats`]), quarantined from the spool at `path`; their lines,
/// sorted, to leave them out of the table.
async fn take_late(shared: &Shared, path: &str) -> Result<Arc<Vec<u64>>, LakeError> {
    let late = std::mem::take(
        &mut *shared
            .late_repeats
            .lock()
            .unwrap_or_else(|e| e.into_inner()),
    );
    if !late.is_empty() {
        quarantine_late(shared, path, &late).await?;
    }
    Ok(Arc::new(late.iter().map(|(r, _)| r.line).collect()))
}

/// The spooled batch at `path`, in `ctx`'s session.
async fn read_spooled(
    ctx: &deltalake::datafusion::prelude::SessionContext,
    shared: &Shared,
    path: &str,
) -> Result<deltalake::datafusion::prelude::DataFrame, LakeError> {
    Ok(
        deltalake::datafusion::prelude::SessionContext::new_with_state(ctx.state())
            .read_parquet(
                path,
                // The table's own types (not the text views a Parquet read gives by
                // default), as the write expects them.
                deltalake::datafusion::prelude::ParquetReadOptions::default()
                    .schema(shared.batch_schema.as_ref()),
            )
            .await?,
    )
}

/// A spooled batch without the rows of the `late` lines (sorted) and without the line
/// column.
fn without_lines(
    df: deltalake::datafusion::prelude::DataFrame,
    late: &Arc<Vec<u64>>,
) -> Result<deltalake::datafusion::prelude::DataFrame, LakeError> {
    let df = if late.is_empty() {
        df
    } else {
        df.filter(
            lines_udf(late.clone(), false)
                .call(vec![deltalake::datafusion::prelude::col(LINE_COLUMN)]),
        )?
    };
    Ok(df.drop_columns(&[LINE_COLUMN])?)
}

/// `f(line)`: whether `line` is in `lines` (sorted), or (`wanted` false) is not.
fn lines_udf(lines: Arc<Vec<u64>>, wanted: bool) -> deltalake::datafusion::logical_expr::ScalarUDF {
    use deltalake::arrow::array::AsArray;
    use deltalake::arrow::datatypes::UInt64Type;
    use deltalake::datafusion::logical_expr::{ColumnarValue, Volatility};
    deltalake::datafusion::logical_expr::create_udf(
        if wanted {
            "zhengshu_line_in"
        } else {
            "zhengshu_line_not_in"
        },
        vec![deltalake::arrow::datatypes::DataType::UInt64],
        deltalake::arrow::datatypes::DataType::Boolean,
        Volatility::Immutable,
        Arc::new(move |args: &[ColumnarValue]| {
            let arrays = ColumnarValue::values_to_arrays(args)?;
            let out: BooleanArray = arrays[0]
                .as_primitive::<UInt64Type>()
                .iter()
                .map(|v| v.map(|v| lines.binary_search(&v).is_ok() == wanted))
                .collect();
            Ok(ColumnarValue::Array(Arc::new(out)))
        }),
    )
}

/// Quarantines the spooled rows of `late` (sorted by line), as many as the job keeps: the
/// table's values as text, each under its column in the source.
async fn quarantine_late(
    shared: &Shared,
    path: &str,
    late: &[(crate::seen::Repeat, usize)],
) -> Result<(), LakeError> {
    use deltalake::arrow::array::AsArray;
    use deltalake::arrow::datatypes::UInt64Type;
    let room = {
        let q = shared.quarantine.lock().unwrap_or_else(|e| e.into_inner());
        shared.quarantine_cap.saturating_sub(q.len())
    };
    let wanted = &late[..late.len().min(room)];
    if wanted.is_empty() {
        return Ok(());
    }
    let lines = Arc::new(wanted.iter().map(|(r, _)| r.line).collect::<Vec<u64>>());
    let batches = deltalake::datafusion::prelude::SessionContext::new()
        .read_parquet(
            path,
            deltalake::datafusion::prelude::ParquetReadOptions::default()
                .schema(shared.batch_schema.as_ref()),
        )
        .await?
        .filter(
            lines_udf(lines, true).call(vec![deltalake::datafusion::prelude::col(LINE_COLUMN)]),
        )?
        .collect()
        .await?;
    let mut out = Vec::with_capacity(wanted.len());
    for batch in batches {
        let texts = (0..shared.columns.len())
            .map(|ci| {
                deltalake::arrow::compute::cast(
                    batch.column(ci),
                    &deltalake::arrow::datatypes::DataType::Utf8,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let line_index = batch.schema().index_of(LINE_COLUMN)?;
        let line_array = batch.column(line_index).as_primitive::<UInt64Type>();
        for row in 0..batch.num_rows() {
            let line = line_array.value(row);
            let Ok(i) = wanted.binary_search_by_key(&line, |(r, _)| r.line) else {
                continue;
            };
            let (repeat, ri) = wanted[i];
            let mut raw = vec![String::new(); shared.width];
            let mut value = String::new();
            for (ci, col) in shared.columns.iter().enumerate() {
                let text = texts[ci].as_string::<i32>();
                let cell = if deltalake::arrow::array::Array::is_null(text, row) {
                    ""
                } else {
                    text.value(row)
                };
                if let Some(slot) = col.src.and_then(|s| raw.get_mut(s)) {
                    *slot = cell.to_string();
                }
                if col.item.name == shared.rules[ri].rule.column {
                    value = cell.chars().take(40).collect();
                }
            }
            let column = shared.rules[ri].rule.column.clone();
            out.push(Quarantined {
                line: line as i64,
                reason: format!(
                    "{column}: `{value}` appears more than once in this batch (unique rule; \
                     kept on line {})",
                    repeat.first
                ),
                column,
                raw,
            });
        }
    }
    shared
        .quarantine
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .extend(out);
    Ok(())
}

/// A batch written to a temporary Parquet file (an upsert's, or an append's that waits
/// for its unique rule: see [`Shared::spooled`]).
struct Spooled {
    /// Deleted when dropped; locked (shared) while this process uses it, see [`sweep_spools`].
    file: tempfile::NamedTempFile,
    file_bytes: u64,
    rows: u64,
    /// The batches' size as Arrow arrays, as the join would hold them.
    arrow_bytes: usize,
    /// The key column's values, when there were at most the number asked for, all distinct
    /// and none null.
    keys: Option<Vec<deltalake::datafusion::scalar::ScalarValue>>,
}

/// The name every temporary batch file starts with (the upsert's first: the sweep of
/// older versions' files finds them by it).
const SPOOL_PREFIX: &str = "zhengshu-upsert-";

/// Runs `df` and writes its rows to a new temporary Parquet file in the batch's spill
/// folder, at most `spill.max_disk_bytes` of it with the unique rules' runs; keeps the
/// values of column `key` when there are at most `max_keys` rows.
async fn spool(
    df: deltalake::datafusion::prelude::DataFrame,
    shared: &Shared,
    key: &str,
    max_keys: usize,
) -> Result<Spooled, LakeError> {
    use futures::StreamExt;
    let spill = &shared.spill;
    let folder = spill.folder();
    let sweep = folder.clone();
    // (Blocking file system calls, off the async workers.)
    let _ = tokio::task::spawn_blocking(move || sweep_spools(&sweep)).await;
    let file = tempfile::Builder::new()
        .prefix(SPOOL_PREFIX)
        .suffix(".parquet")
        .tempfile_in(&folder)
        .map_err(|e| LakeError::Storage(format!("temporary file in {}: {e}", folder.display())))?;
    // Held until the file is dropped (and by the kernel no longer once the process is gone):
    // the mark of a file in use. A file system without locks (some network mounts) only loses the sweep: unlocked
    // files younger than a minute are never swept, and a running upsert's is as old as its
    // merge, so such a folder is not swept at all.
    let locked = rustix::fs::flock(file.as_file(), rustix::fs::FlockOperation::LockShared);
    if let Err(e) = locked {
        tracing::warn!(folder = %folder.display(), error = %e, "cannot lock the temporary upsert file; files of killed upserts there will not be swept");
    }
    let out = tokio::fs::File::from_std(
        file.reopen()
            .map_err(|e| LakeError::Storage(format!("temporary file: {e}")))?,
    );
    let mut stream = df.execute_stream().await?;
    let props = WriterProperties::builder()
        .set_compression(Compression::LZ4_RAW)
        .set_max_row_group_row_count(Some(64 * 1024))
        .build();
    let parquet = |e: deltalake::parquet::errors::ParquetError| {
        LakeError::Storage(format!("temporary Parquet file: {e}"))
    };
    let mut writer =
        deltalake::parquet::arrow::AsyncArrowWriter::try_new(out, stream.schema(), Some(props))
            .map_err(parquet)?;
    let too_big = || {
        LakeError::Storage(format!(
            "the batch takes more temporary disk than the {} it may use in {} (its rows \
             wait there until every row is checked); the table is unchanged. Point TMPDIR at \
             a folder on a larger disk, free space there, or submit the batch in smaller \
             parts",
            crate::fmt_bytes(i64::try_from(spill.max_disk_bytes).unwrap_or(i64::MAX)),
            folder.display()
        ))
    };
    let (mut rows, mut arrow_bytes) = (0u64, 0usize);
    let key_index = stream.schema().index_of(key).ok();
    // The key's unique rule compares the cells' text: `42` and `42.0`, or `2021年2月9日` and
    // `2021-02-09`, pass it as different and become one value. A replace would write both
    // rows; a merge fails on a target row matched twice. Repeated values (and nulls) drop
    // the set, and the batch goes to the merge.
    let mut keys = key_index.map(|_| HashSet::new());
    while let Some(batch) = stream.next().await {
        let batch = batch?;
        rows += batch.num_rows() as u64;
        arrow_bytes += batch.get_array_memory_size();
        if rows > max_keys as u64 {
            keys = None;
        }
        if let (Some(set), Some(i)) = (keys.as_mut(), key_index) {
            let column = batch.column(i);
            for row in 0..batch.num_rows() {
                let v = deltalake::datafusion::scalar::ScalarValue::try_from_array(column, row)?;
                if v.is_null() || !set.insert(v) {
                    keys = None;
                    break;
                }
            }
        }
        writer.write(&batch).await.map_err(parquet)?;
        // (Written out a row group at a time; the last one is checked below.) The unique
        // rules' runs, written meanwhile, share the bound.
        if writer.bytes_written() as u64 + shared.scratch.used() > spill.max_disk_bytes {
            return Err(too_big());
        }
    }
    writer.close().await.map_err(parquet)?;
    let file_bytes = file.as_file().metadata().map(|m| m.len()).unwrap_or(0);
    if file_bytes + shared.scratch.used() > spill.max_disk_bytes {
        return Err(too_big());
    }
    Ok(Spooled {
        file,
        file_bytes,
        rows,
        arrow_bytes,
        keys: keys.map(|set| set.into_iter().collect()),
    })
}

/// Temporary upsert files younger than this are never swept: another process may have
/// created one and not locked it yet.
const SPOOL_SWEEP_MIN_AGE: std::time::Duration = std::time::Duration::from_secs(60);

/// Deletes the temporary upsert files in `folder` that a killed process left behind: those
/// no process holds a lock on (a kernel lock ends with its process, so this holds across
/// processes and containers sharing the folder), older than [`SPOOL_SWEEP_MIN_AGE`].
/// Returns how many it deleted; a file it cannot open or delete is left as it is.
fn sweep_spools(folder: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return 0;
    };
    let mut deleted = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(SPOOL_PREFIX) && name.ends_with(".parquet")) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= SPOOL_SWEEP_MIN_AGE);
        if !old {
            continue;
        }
        let Ok(file) = std::fs::File::open(entry.path()) else {
            continue;
        };
        let free = rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive);
        if free.is_ok() && std::fs::remove_file(entry.path()).is_ok() {
            tracing::info!(file = %entry.path().display(), "deleted a temporary upsert file left by a stopped process");
            deleted += 1;
        }
    }
    deleted
}

/// Used by the HTTP layer: a map of column → transforms from form fields.
pub fn parse_transforms(
    spec: &HashMap<String, Vec<String>>,
) -> Result<HashMap<String, Vec<Transform>>, LakeError> {
    let mut out = HashMap::new();
    for (col, ts) in spec {
        let mut v = Vec::new();
        for t in ts {
            v.push(Transform::parse(t).ok_or_else(|| {
                LakeError::invalid(
                    "transforms",
                    format!("`{t}` is not a transform; use trim, half_width, strip_pinyin or upper_id_x"),
                )
            })?);
        }
        out.insert(col.clone(), v);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A file in `dir` called `name`, last modified `age` ago.
    fn aged(dir: &std::path::Path, name: &str, age: std::time::Duration) -> std::fs::File {
        let f = std::fs::File::create(dir.join(name)).unwrap();
        f.set_modified(std::time::SystemTime::now() - age).unwrap();
        f
    }

    #[test]
    fn the_sweep_deletes_only_old_unlocked_upsert_files() {
        let dir = tempfile::tempdir().unwrap();
        let hour = std::time::Duration::from_secs(3600);
        drop(aged(dir.path(), "zhengshu-upsert-left.parquet", hour));
        // In use: a lock held, as a running upsert holds it on its file.
        let held = aged(dir.path(), "zhengshu-upsert-held.parquet", hour);
        rustix::fs::flock(&held, rustix::fs::FlockOperation::LockShared).unwrap();
        // Just made: its process may not have locked it yet.
        drop(aged(
            dir.path(),
            "zhengshu-upsert-new.parquet",
            std::time::Duration::ZERO,
        ));
        // Not ours.
        drop(aged(dir.path(), "other.parquet", hour));
        drop(aged(dir.path(), "zhengshu-upsert-notes.txt", hour));

        assert_eq!(sweep_spools(dir.path()), 1);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "other.parquet",
                "zhengshu-upsert-held.parquet",
                "zhengshu-upsert-new.parquet",
                "zhengshu-upsert-notes.txt"
            ]
        );
        // Once its holder is gone, the held file goes too.
        drop(held);
        assert_eq!(sweep_spools(dir.path()), 1);
        assert!(!dir.path().join("zhengshu-upsert-held.parquet").exists());
        // A folder that is not there is nothing to sweep.
        assert_eq!(sweep_spools(&dir.path().join("missing")), 0);
    }
}
