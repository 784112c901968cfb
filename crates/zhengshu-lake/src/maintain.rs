//! Maintenance: compaction clustered by the key (so point lookups prune files and row
//! groups), vacuum with a retention period, table history, quality over time, and
//! recovery of jobs whose process died.

use std::path::PathBuf;
use std::sync::Arc;

use deltalake::datafusion::common::config::SpillCompression;
use deltalake::datafusion::execution::memory_pool::{FairSpillPool, TrackConsumersPool};
use deltalake::datafusion::execution::runtime_env::RuntimeEnvBuilder;
use deltalake::datafusion::execution::SessionState;
use deltalake::delta_datafusion::create_session_state_with_spill_config;
use deltalake::operations::optimize::OptimizeType;
use serde::Serialize;

use crate::{store, LakeError, LakeState};

/// What a compaction did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Compacted {
    pub table: String,
    pub files_removed: u64,
    pub files_added: u64,
    pub version: i64,
    /// The column the rows were clustered by (Z-order; sorted when it is one column).
    pub clustered_by: Option<String>,
    pub secs: f64,
}

/// Largest dictionary page [`optimize`] writes per column chunk (see there).
pub const OPTIMIZE_DICTIONARY_BYTES: usize = 32 * 1024;

/// Memory the clustering sort of [`optimize`] may hold before it spills to disk. At 100M
/// rows the process peaked at 597 MiB with it. Most of the rest of what it once held was
/// the spill files merged at once ([`SPILL_MERGE_FAN_IN`]): 1,188 MiB before that cap
/// (1,334 MiB with a 1 GiB pool).
pub const OPTIMIZE_MEMORY_BYTES: usize = 576 << 20;

/// Most spill files a spilling sort merges in one pass (see [`SpillLimits::session`]);
/// more files take another pass, written back to the temporary folder.
pub const SPILL_MERGE_FAN_IN: usize = 16;

/// Rows per data page in the files [`optimize`] writes.
pub const OPTIMIZE_PAGE_ROWS: usize = 8 * 1024;

/// Disk [`optimize`] leaves free in the temporary folder while its sort spills: the larger
/// of this and a twentieth of the file system.
pub const SPILL_RESERVE_BYTES: u64 = 2 << 30;

/// Where and how much the clustering sort of [`optimize`] may spill.
///
/// The sort of a whole table cannot stay in memory at scale (100M enterprise rows are
/// ≈ 30 GB as Arrow arrays), so it spills sorted runs to the temporary folder — zstd
/// compressed (9.2 GB at its peak for those 100M rows; DataFusion's default spills
/// uncompressed Arrow IPC) and capped, so
/// that a table too big for the disk fails with a clear message and leaves the table at its
/// previous version, instead of filling the disk the database and the lake may share.
#[derive(Debug, Clone)]
pub struct SpillLimits {
    /// Memory the sort may hold before it spills.
    pub memory_bytes: usize,
    /// The folder spill files go to (`None`: the OS temporary folder, `TMPDIR`).
    pub dir: Option<PathBuf>,
    /// The most the spill files may take together.
    pub max_disk_bytes: u64,
}

impl SpillLimits {
    /// [`OPTIMIZE_MEMORY_BYTES`] of memory, and the free space of the temporary folder
    /// less a reserve (see [`SPILL_RESERVE_BYTES`]).
    pub fn for_this_machine() -> Self {
        let dir = std::env::temp_dir();
        SpillLimits {
            memory_bytes: OPTIMIZE_MEMORY_BYTES,
            max_disk_bytes: spill_budget(&dir),
            dir: None,
        }
    }

    /// The folder the spill files go to.
    pub fn folder(&self) -> PathBuf {
        self.dir.clone().unwrap_or_else(std::env::temp_dir)
    }

    /// The error of an operation that spilled within these limits, in its user's words:
    /// past the disk cap or out of the memory pool it says which and what to do instead
    /// (`disk_advice` follows "free space there, or", `memory_advice` is a sentence);
    /// `None` for any other error. `subject` names what ran, as in "clustering `ent`";
    /// `budget` says what the disk cap is, after "the 1.2 GB it may use in /tmp".
    pub(crate) fn explain(
        &self,
        text: &str,
        subject: &str,
        budget: &str,
        disk_advice: &str,
        memory_advice: &str,
    ) -> Option<LakeError> {
        if text.contains("exceeded the allowable limit") {
            Some(LakeError::Storage(format!(
                "{subject} needs more temporary disk than the {} it may use in {} {budget}; \
                 the table is unchanged. Point TMPDIR at a folder on a larger disk, free space \
                 there, or {disk_advice}",
                crate::fmt_bytes(i64::try_from(self.max_disk_bytes).unwrap_or(i64::MAX)),
                self.folder().display()
            )))
        } else if text.contains("Resources exhausted") {
            Some(LakeError::Storage(format!(
                "{subject} ran out of the {} MiB it may hold before it spills ({text}); the \
                 table is unchanged. {memory_advice}",
                self.memory_bytes >> 20
            )))
        } else {
            None
        }
    }

    pub(crate) fn session(&self) -> Result<SessionState, LakeError> {
        // delta-rs's session (its planner and settings) with our pool and disk manager.
        let state = create_session_state_with_spill_config(None, None);
        let mut runtime = RuntimeEnvBuilder::new()
            // Tracked: a query that runs out names its largest consumers.
            .with_memory_pool(Arc::new(TrackConsumersPool::new(
                FairSpillPool::new(self.memory_bytes),
                std::num::NonZeroUsize::new(5).unwrap_or(std::num::NonZeroUsize::MIN),
            )))
            .with_max_temp_directory_size(self.max_disk_bytes);
        if let Some(d) = &self.dir {
            runtime = runtime.with_temp_file_path(d.clone());
        }
        let runtime = runtime
            .build_arc()
            .map_err(|e| LakeError::Storage(e.to_string()))?;
        let mut state =
            deltalake::datafusion::execution::SessionStateBuilder::new_from_existing(state)
                .with_runtime_env(runtime)
                .build();
        let execution = &mut state.config_mut().options_mut().execution;
        execution.spill_compression = SpillCompression::Zstd;
        // One partition: with two, the two sorts' outputs meet in a merge that is not
        // spill-aware and at 100M rows ran out of the pool while the sorts held their
        // shares (`Failed to allocate … for SortPreservingMergeExec`). One sort merges its
        // own spill files within its budget, and the merge gets a sixteenth of the memory
        // held back for it (DataFusion's default is 10 MiB whatever the pool).
        execution.target_partitions = 1;
        execution.sort_spill_reservation_bytes = self.memory_bytes / 16;
        // A sort that spilled merges its files at most SPILL_MERGE_FAN_IN at a time. The
        // merge reserves a batch or two a file in the pool, but each open file holds more
        // than the pool sees (its read-ahead, decoding and the merge's cursors): merging all
        // its files at once, the 100M-row clustering sort grew from ≈ 450 MiB while it sorted
        // to 1.2 GiB while it merged; sixteen at a time, under 600 MiB (6:17 against 6:44).
        state
            .runtime_env()
            .disk_manager
            .set_max_spill_merge_fan_in(SPILL_MERGE_FAN_IN);
        Ok(state)
    }
}

/// Free bytes of the file system holding `dir`, less the larger of [`SPILL_RESERVE_BYTES`]
/// and a twentieth of its size; DataFusion's own default (100 GiB) when the file system
/// cannot be asked.
fn spill_budget(dir: &std::path::Path) -> u64 {
    match rustix::fs::statvfs(dir) {
        Ok(s) => {
            let block = s.f_frsize.max(1);
            let free = s.f_bavail.saturating_mul(block);
            let reserve = SPILL_RESERVE_BYTES.max(s.f_blocks.saturating_mul(block) / 20);
            free.saturating_sub(reserve)
        }
        Err(_) => 100 << 30,
    }
}

/// Rewrites small files into large ones; with a cluster column (default: the table's
/// key), rows are ordered by it so each file and row group covers a narrow key range.
pub async fn optimize(
    state: &LakeState,
    table: &str,
    cluster_by: Option<&str>,
) -> Result<Compacted, LakeError> {
    optimize_with(state, table, cluster_by, SpillLimits::for_this_machine()).await
}

/// [`optimize`] with the clustering sort's memory and spill set by the caller.
pub async fn optimize_with(
    state: &LakeState,
    table: &str,
    cluster_by: Option<&str>,
    spill: SpillLimits,
) -> Result<Compacted, LakeError> {
    let started = std::time::Instant::now();
    let target = crate::target(state, table).await?;
    let cluster = match cluster_by {
        Some(c) if !c.is_empty() => Some(c.to_string()),
        _ if !target.key.is_empty() => Some(target.key.clone()),
        _ => None,
    };
    if let Some(c) = &cluster {
        if !target.resource.items.iter().any(|i| &i.name == c) {
            return Err(LakeError::invalid(
                "zorder",
                format!("`{c}` is not a column of `{table}`"),
            ));
        }
    }
    let delta = state.lake.open(table).await?;
    let mut builder = delta
        .optimize()
        .with_writer_properties(
            deltalake::parquet::file::properties::WriterProperties::builder()
                .set_compression(deltalake::parquet::basic::Compression::ZSTD(
                    deltalake::parquet::basic::ZstdLevel::try_new(3).unwrap_or_default(),
                ))
                // Small row groups, and small pages inside them, make a clustered point
                // lookup read little: the file statistics pick the file, the row-group
                // statistics the row group, and the page index (written by default) the
                // pages of the key column that can hold the value, so only those pages
                // (and the same rows of the other columns) are decompressed and decoded.
                .set_max_row_group_row_count(Some(64 * 1024))
                .set_data_page_row_count_limit(OPTIMIZE_PAGE_ROWS)
                // Every read of a page decodes its column chunk's whole dictionary page
                // first. High-cardinality columns (codes, IDs, names, phones) filled 1 MB
                // dictionaries, so a keyed lookup decompressed ≈ 7 MB of dictionaries to
                // return one row; past this limit a chunk falls back to plain pages, while
                // low-cardinality columns (street, industry, status) still fit.
                .set_dictionary_page_size_limit(OPTIMIZE_DICTIONARY_BYTES)
                .build(),
        )
        .with_target_size(
            std::num::NonZeroU64::new(256 << 20).unwrap_or(std::num::NonZeroU64::MIN),
        );
    if let Some(c) = &cluster {
        // Clustering sorts the whole table: in a session that spills the sort to disk
        // beyond the memory limit (compressed, capped: see SpillLimits), one bin at a
        // time, so the memory it takes does not grow with the table.
        builder = builder
            .with_type(OptimizeType::ZOrder(vec![c.clone()]))
            .with_session_state(Arc::new(spill.session()?))
            .with_max_concurrent_tasks(1);
    }
    let (t, metrics) = builder.await.map_err(|e| {
        spill
            .explain(
                &e.to_string(),
                &format!("clustering `{table}`"),
                "(its free space less a reserve)",
                "compact without clustering",
                "Compact without clustering, or cluster a smaller table",
            )
            .unwrap_or_else(|| LakeError::from(e))
    })?;
    state.lake.forget(table).await;
    Ok(Compacted {
        table: table.into(),
        files_removed: metrics.num_files_removed,
        files_added: metrics.num_files_added,
        version: t.version().map(|v| v as i64).unwrap_or(0),
        clustered_by: cluster,
        secs: started.elapsed().as_secs_f64(),
    })
}

/// What a vacuum did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Vacuumed {
    pub table: String,
    pub files_deleted: usize,
    pub retention_hours: u64,
    pub dry_run: bool,
}

/// Deletes files no version younger than the retention period needs (and files of
/// batches that never committed). Time travel beyond the retention stops working.
pub async fn vacuum(
    state: &LakeState,
    table: &str,
    retention_hours: u64,
    dry_run: bool,
) -> Result<Vacuumed, LakeError> {
    let delta = state.lake.open(table).await?;
    let (_, metrics) = delta
        .vacuum()
        .with_retention_period(chrono::Duration::hours(retention_hours as i64))
        .with_enforce_retention_duration(false)
        .with_dry_run(dry_run)
        .await?;
    state.lake.forget(table).await;
    Ok(Vacuumed {
        table: table.into(),
        files_deleted: metrics.files_deleted.len(),
        retention_hours,
        dry_run,
    })
}

/// One version in a table's history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    pub version: i64,
    /// RFC 3339.
    pub timestamp: Option<String>,
    pub operation: String,
    #[schema(value_type = Object)]
    pub parameters: serde_json::Value,
    #[schema(value_type = Object)]
    pub metrics: serde_json::Value,
    pub batch_id: Option<String>,
}

/// The table's versions, newest first.
pub async fn history(
    state: &LakeState,
    table: &str,
    limit: usize,
) -> Result<Vec<HistoryEntry>, LakeError> {
    use futures::StreamExt;
    let delta = state.lake.open(table).await?;
    let latest = delta.version().map(|v| v as i64).unwrap_or(0);
    let infos: Vec<_> = delta.history(Some(limit)).collect().await;
    let mut out = Vec::new();
    for (i, info) in infos.into_iter().enumerate() {
        let info = info?;
        let get = |k: &str| info.info.get(k).cloned().unwrap_or(serde_json::Value::Null);
        out.push(HistoryEntry {
            version: info
                .read_version
                .map(|v| v as i64 + 1)
                .unwrap_or(latest - i as i64),
            timestamp: info
                .timestamp
                .and_then(|ms| chrono::DateTime::from_timestamp_millis(ms).map(|t| t.to_rfc3339())),
            operation: info.operation.clone().unwrap_or_default(),
            parameters: redact_predicates(
                serde_json::to_value(&info.operation_parameters).unwrap_or_default(),
            ),
            metrics: get("operationMetrics"),
            batch_id: get("zhengshu.batch_id").as_str().map(String::from),
        });
    }
    Ok(out)
}

/// Longest predicate [`history`] shows, in characters.
const HISTORY_PREDICATE_CHARS: usize = 300;

/// The operation parameters of a commit, with the text values in its predicates hidden.
///
/// A predicate may quote the table's values: a merge's early filter its batch's smallest and
/// largest key, an upsert's replace every key of its batch (up to 1,000 resident IDs, say).
/// The history is shown to every reader of the table, not only to those who may query it,
/// so quoted values become `'…'` and a long predicate is cut.
fn redact_predicates(mut parameters: serde_json::Value) -> serde_json::Value {
    if let Some(map) = parameters.as_object_mut() {
        for (name, value) in map.iter_mut() {
            if !name.to_ascii_lowercase().contains("predicate") {
                continue;
            }
            if let Some(text) = value.as_str() {
                let mut redacted = redact_literals(text);
                if let Some((cut, _)) = redacted.char_indices().nth(HISTORY_PREDICATE_CHARS) {
                    redacted.truncate(cut);
                    redacted.push_str(" …");
                }
                *value = serde_json::Value::String(redacted);
            }
        }
    }
    parameters
}

/// `sql` with the contents of its single-quoted literals replaced by `…` (`''` is a quote
/// inside a literal).
fn redact_literals(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c != '\'' {
            continue;
        }
        // Inside a literal: skip to its closing quote.
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    continue;
                }
                break;
            }
        }
        out.push_str("…'");
    }
    out
}

/// Quality score of each finished batch of a table, oldest first: `(finished_at, score)`.
pub async fn quality_series(
    state: &LakeState,
    table: &str,
) -> Result<Vec<(String, f64)>, LakeError> {
    let mut jobs = store::jobs(&state.db, Some(table), 200).await?;
    jobs.reverse();
    Ok(jobs
        .into_iter()
        .filter_map(|j| Some((j.finished_at?, j.quality_score?)))
        .collect())
}

/// A unit's quality: the mean of its tables' latest batch scores, now and over time.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitQuality {
    pub unit_id: i64,
    pub unit_name: String,
    pub tables: i64,
    pub score: f64,
    /// (day YYYY-MM-DD, score): on each day a batch finished, the mean over the unit's
    /// tables of each table's latest score as of that day.
    pub history: Vec<(String, f64)>,
}

/// The unit's score on each day: every table's latest score so far, averaged over the
/// tables that had one. `series` holds each table's (finished_at, score), oldest first.
fn unit_history(series: &[Vec<(String, f64)>]) -> Vec<(String, f64)> {
    let mut days: Vec<String> = series
        .iter()
        .flatten()
        .map(|(t, _)| t.get(..10).unwrap_or(t).to_string())
        .collect();
    days.sort();
    days.dedup();
    days.into_iter()
        .filter_map(|d| {
            let latest: Vec<f64> = series
                .iter()
                .filter_map(|s| {
                    s.iter()
                        .rfind(|(t, _)| t.get(..10).unwrap_or(t) <= d.as_str())
                        .map(|(_, v)| *v)
                })
                .collect();
            (!latest.is_empty()).then(|| {
                let mean = latest.iter().sum::<f64>() / latest.len() as f64;
                (d, (mean * 100.0).round() / 100.0)
            })
        })
        .collect()
}

/// Quality per unit, from each table's latest successful batch.
pub async fn unit_quality(state: &LakeState) -> Result<Vec<UnitQuality>, LakeError> {
    use std::collections::BTreeMap;
    type Scores = (String, Vec<f64>, Vec<Vec<(String, f64)>>);
    let mut by_unit: BTreeMap<i64, Scores> = BTreeMap::new();
    for t in store::tables(&state.db).await? {
        let mut jobs = store::jobs(&state.db, Some(&t.table_name), 200).await?;
        jobs.reverse();
        let series: Vec<(String, f64)> = jobs
            .into_iter()
            .filter(|j| j.status == "succeeded")
            .filter_map(|j| Some((j.finished_at?, j.quality_score?)))
            .collect();
        let Some(&(_, latest)) = series.last() else {
            continue;
        };
        let r = zhengshu_catalog::service::get(
            &state.catalog,
            Some(&zhengshu_catalog::Actor::system()),
            t.resource_id,
        )
        .await?;
        let e = by_unit
            .entry(r.provider_unit_id)
            .or_insert_with(|| (r.provider_name.clone(), Vec::new(), Vec::new()));
        e.1.push(latest);
        e.2.push(series);
    }
    Ok(by_unit
        .into_iter()
        .map(|(unit_id, (unit_name, scores, series))| UnitQuality {
            unit_id,
            unit_name,
            tables: scores.len() as i64,
            score: (scores.iter().sum::<f64>() / scores.len().max(1) as f64 * 100.0).round()
                / 100.0,
            history: unit_history(&series),
        })
        .collect())
}

/// Jobs left `running` by a process that died: succeeded when the Delta log holds their
/// batch, failed otherwise. Jobs update their row every second while alive, so anything
/// silent for two minutes is dead.
pub async fn recover_stale_jobs(state: &LakeState) -> Result<usize, LakeError> {
    let before = zhengshu_db::ts(state.clock.now() - chrono::Duration::minutes(2));
    let stale = store::stale_jobs(&state.db, &before).await?;
    let now = zhengshu_db::ts(state.clock.now());
    for job in &stale {
        let committed = match state.lake.open(&job.table_name).await {
            Ok(t) => match t.snapshot() {
                Ok(s) => s
                    .transaction_version(
                        t.log_store().as_ref(),
                        crate::ingest::txn_app_id(&job.batch_id),
                    )
                    .await
                    .ok()
                    .flatten()
                    .is_some(),
                Err(_) => false,
            },
            Err(_) => false,
        };
        let report = serde_json::json!({});
        store::finish_job(
            &state.db,
            job.id,
            &store::Finish {
                status: if committed { "succeeded" } else { "failed" },
                rows_read: job.rows_read as u64,
                rows_written: if committed { job.rows_written as u64 } else { 0 },
                rows_quarantined: job.rows_quarantined as u64,
                bytes: job.bytes_read as u64,
                version: None,
                quality_bp: None,
                error: if committed {
                    ""
                } else {
                    "the process stopped before the batch committed; the table kept its previous version — submit the batch again"
                },
                report: &report,
                now: &now,
            },
        )
        .await?;
    }
    Ok(stale.len())
}

#[cfg(test)]
mod unit_history_tests {
    #[test]
    fn carries_each_tables_latest_score_forward() {
        let a = vec![
            ("2026-11-01T02:00:00Z".to_string(), 90.0),
            ("2026-11-03T02:00:00Z".to_string(), 70.0),
        ];
        let b = vec![("2026-11-02T05:00:00Z".to_string(), 100.0)];
        let h = super::unit_history(&[a, b]);
        assert_eq!(
            h,
            vec![
                ("2026-11-01".to_string(), 90.0),
                ("2026-11-02".to_string(), 95.0),
                ("2026-11-03".to_string(), 85.0),
            ]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_hides_the_values_in_predicates() {
        assert_eq!(
            redact_literals("credit_code = '91440307X' OR name = 'O''Brien' AND n > 3"),
            "credit_code = '…' OR name = '…' AND n > 3"
        );
        // An unclosed literal hides the rest.
        assert_eq!(redact_literals("a = 'abc"), "a = '…'");
        let keys: Vec<String> = (0..1000).map(|i| format!("id = '4403{i:014}'")).collect();
        let p = redact_predicates(serde_json::json!({
            "predicate": keys.join(" OR "),
            "mergePredicate": "target.id = source.id",
            "mode": "Overwrite",
        }));
        let shown = p["predicate"].as_str().unwrap_or_default();
        assert!(!shown.contains("4403"), "{shown}");
        assert!(shown.starts_with("id = '…' OR id = '…'"), "{shown}");
        assert!(shown.ends_with(" …"), "{shown}");
        assert_eq!(shown.chars().count(), HISTORY_PREDICATE_CHARS + 2);
        assert_eq!(p["mergePredicate"], "target.id = source.id");
        assert_eq!(p["mode"], "Overwrite");
    }
}
