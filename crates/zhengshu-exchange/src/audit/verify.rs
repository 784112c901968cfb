//! `verify`: walks the chain in seq order, a page at a time, and reports the first problem.

use serde::Serialize;
use zhengshu_db::Db;

use super::chain::{record_hash, short, StoredRow, COLUMNS};
use super::{Anchor, AnchoredHead, ZERO_HASH};
use crate::ExchangeError;

/// Records read per query.
const PAGE: i64 = 2000;

/// What is wrong with the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A record's fields (or its hash) were changed: they no longer match its hash.
    Altered,
    /// Records are missing: a gap in the seq numbers, or the log does not start at 1.
    Removed,
    /// A record is stored at another place than where it was written (seqs swapped or moved).
    Reordered,
    /// A record's own hash is right but it does not link to the record before: that one was
    /// changed and its hash recomputed, or replaced.
    BrokenLink,
    /// The log ends before the anchored head: its newest records (or all) were deleted.
    Truncated,
    /// The record at the anchored seq has another hash than the anchored one: the log was
    /// rewritten up to there, or cut back and continued.
    Rewritten,
}

impl ProblemKind {
    /// The kind as in JSON: `altered`, `removed`, `reordered`, `broken_link`, `truncated`,
    /// `rewritten`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Altered => "altered",
            ProblemKind::Removed => "removed",
            ProblemKind::Reordered => "reordered",
            ProblemKind::BrokenLink => "broken_link",
            ProblemKind::Truncated => "truncated",
            ProblemKind::Rewritten => "rewritten",
        }
    }
}

/// The first problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// The record where the chain breaks (for removals, the first missing seq).
    pub seq: i64,
    pub kind: ProblemKind,
    /// In plain words: which record and what is wrong.
    pub message: String,
}

/// The result of [`verify`].
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VerifyReport {
    /// Records in the log.
    pub records: i64,
    /// The last record's seq (0 when the log is empty).
    pub head_seq: i64,
    /// The last record's hash (64 zeros when the log is empty).
    pub head_hash: String,
    /// The seq of the head anchored outside the database, when an anchor was checked and
    /// one was found.
    pub anchored_seq: Option<i64>,
    /// The first problem; `None` = the chain is intact.
    pub problem: Option<Problem>,
}

impl VerifyReport {
    /// True when no problem was found.
    pub fn intact(&self) -> bool {
        self.problem.is_none()
    }
}

/// Checks the whole chain in seq order (and, with an anchor, that the log still reaches
/// the anchored head with the same hash) and reports the first problem.
pub async fn verify(db: &Db, anchor: Option<&Anchor>) -> Result<VerifyReport, ExchangeError> {
    // The anchor is read first: every head it names was committed before the walk starts,
    // so appends running meanwhile cannot make it look ahead of the log.
    let anchored = match anchor {
        Some(a) => a.read().await?,
        None => None,
    };
    let mut report = VerifyReport {
        records: 0,
        head_seq: 0,
        head_hash: ZERO_HASH.to_string(),
        anchored_seq: anchored.as_ref().map(|a| a.seq),
        problem: None,
    };
    let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT {PAGE}");
    loop {
        let rows = sqlx::query(&sql)
            .bind(report.head_seq)
            .fetch_all(db.pool())
            .await?;
        for row in &rows {
            let r = StoredRow::from_row(row)?;
            // After the first problem the walk only counts, to report the head.
            if report.problem.is_none() {
                report.problem = check(db, &report, &r, anchored.as_ref()).await?;
            }
            report.records += 1;
            report.head_seq = r.seq;
            report.head_hash = r.hash;
        }
        if (rows.len() as i64) < PAGE {
            break;
        }
    }
    if let (None, Some(a)) = (&report.problem, &anchored) {
        if a.seq > report.head_seq {
            let first = report.head_seq + 1;
            let message = if report.head_seq == 0 {
                format!(
                    "the log is empty, but the anchor says it reached record #{} at {}: \
                     all records were deleted",
                    a.seq, a.at
                )
            } else {
                format!(
                    "the log ends at record #{}, but the anchor says it reached #{} at {}: \
                     {} deleted",
                    report.head_seq,
                    a.seq,
                    a.at,
                    records_phrase(first, a.seq, "was", "were")
                )
            };
            report.problem = Some(Problem {
                seq: first,
                kind: ProblemKind::Truncated,
                message,
            });
        }
    }
    Ok(report)
}

/// "record #5" or "records #5–#9", with the verb that agrees.
fn records_phrase(first: i64, last: i64, one: &str, many: &str) -> String {
    if first == last {
        format!("record #{first} {one}")
    } else {
        format!("records #{first}–#{last} {many}")
    }
}

/// Checks one record against the one before it (`prev`: the report so far).
async fn check(
    db: &Db,
    prev: &VerifyReport,
    r: &StoredRow,
    anchored: Option<&AnchoredHead>,
) -> Result<Option<Problem>, ExchangeError> {
    let expected = prev.head_seq + 1;
    let what = || format!("record #{} ({}, {})", r.seq, r.kind, r.at);
    let problem = |kind, seq, message| Ok(Some(Problem { seq, kind, message }));
    if r.seq != expected {
        // Rows come in seq order and seq is the key, so the seq can only be higher.
        let missing = records_phrase(expected, r.seq - 1, "was", "were");
        let message = if prev.head_seq == 0 {
            format!("{missing} removed: the log starts at #{}", r.seq)
        } else {
            format!(
                "{missing} removed: #{} is followed by #{}",
                prev.head_seq, r.seq
            )
        };
        return problem(ProblemKind::Removed, expected, message);
    }
    let hash_ok = record_hash(&r.hashed()) == r.hash;
    if r.prev_hash != prev.head_hash {
        // Where does the record's link point? Only run when the chain is already broken.
        let linked: Option<i64> =
            sqlx::query_scalar("SELECT seq FROM audit_log WHERE hash = $1 ORDER BY seq LIMIT 1")
                .bind(&r.prev_hash)
                .fetch_optional(db.pool())
                .await?;
        let before = if prev.head_seq == 0 {
            "the start of the log".to_string()
        } else {
            format!("#{}", prev.head_seq)
        };
        return match linked {
            Some(q) => problem(
                ProblemKind::Reordered,
                r.seq,
                format!(
                    "{} is out of place: it was written after the record now stored as \
                     #{q}, not after {before}; records were moved or their seq numbers swapped",
                    what()
                ),
            ),
            None if !hash_ok => problem(
                ProblemKind::Altered,
                r.seq,
                format!(
                    "{} was altered: its fields no longer match its hash",
                    what()
                ),
            ),
            None => problem(
                ProblemKind::BrokenLink,
                r.seq,
                format!(
                    "{} does not follow {before}: its own hash is right, so {before} was \
                     changed and its hash recomputed, or replaced",
                    what()
                ),
            ),
        };
    }
    if !hash_ok {
        return problem(
            ProblemKind::Altered,
            r.seq,
            format!(
                "{} was altered: its fields no longer match its hash",
                what()
            ),
        );
    }
    if let Some(a) = anchored.filter(|a| a.seq == r.seq && a.hash != r.hash) {
        return problem(
            ProblemKind::Rewritten,
            r.seq,
            format!(
                "{} has hash {}, but the anchor recorded {} for it at {}: the log was \
                 rewritten up to #{}, or cut back and continued",
                what(),
                short(&r.hash),
                short(&a.hash),
                a.at,
                r.seq
            ),
        );
    }
    Ok(None)
}
