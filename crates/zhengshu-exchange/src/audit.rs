//! 审计日志: the append-only, hash-chained audit log of sharing.
//!
//! Every share call and every decision is one record. Its `hash` is the SHA-256 of a
//! canonical encoding of its fields and of the previous record's hash (see [`record_hash`]),
//! so editing, removing or reordering a record breaks the chain, and [`verify`] finds the
//! first place where it breaks.
//!
//! Records are written by one writer task per process ([`AuditLog::start`]), which commits
//! whatever is queued as one transaction (group commit) and answers each caller only after
//! the commit: a share call is never answered before it is evidenced. The writer reads the
//! chain head inside each transaction after taking a lock (`pg_advisory_xact_lock` on
//! PostgreSQL, `BEGIN IMMEDIATE` on SQLite), so several server processes on one database
//! extend one linear chain.
//!
//! Deleting the newest records (or the whole table) leaves a chain that is intact as far
//! as it goes; the [`Anchor`] catches that. After each committed group the head (seq, hash,
//! time) is also written outside the database, to `<lake root>/_zhengshu/audit/head.json`,
//! and `verify` checks that the log still reaches it with the same hash.

mod verify;
mod writer;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;
use tokio::sync::{mpsc, oneshot, watch};
use zhengshu_core::clock::SharedClock;
use zhengshu_db::Db;
use zhengshu_lake::table::MetaStore;

use crate::ExchangeError;

pub use verify::{verify, Problem, ProblemKind, VerifyReport};

/// The `prev_hash` of record 1.
pub const ZERO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One event to record (the writer adds seq, time and hashes).
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditEvent {
    /// e.g. `share.rows`, `share.sql`, `share.tables`, `request.create`, `request.approve`,
    /// `request.reject`, `request.refuse`, `request.escalate`, `grant.revoke`, `token.create`, `token.revoke`,
    /// `scenario.create`.
    pub kind: String,
    pub scenario_id: Option<i64>,
    pub token_id: Option<i64>,
    /// The end user id passed by the calling system (`X-User-Id`).
    pub user_ref: Option<String>,
    /// The platform user who acted (console/API decisions).
    pub actor_user_id: Option<i64>,
    pub resource_id: Option<i64>,
    pub provider_unit_id: Option<i64>,
    /// Fields, filter, SQL, reason … as JSON.
    pub detail: serde_json::Value,
    pub rows_returned: Option<i64>,
    pub bytes: Option<i64>,
    pub duration_us: Option<i64>,
    /// `ok`, `denied`, `error`, `rate_limited`, or a decision.
    pub outcome: String,
}

/// The chain head as anchored outside the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AnchoredHead {
    /// The last committed record's seq.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
    /// When the anchor was written.
    pub at: String,
}

/// Where the chain's head is anchored outside the database (the lake's object store).
#[derive(Debug, Clone)]
pub struct Anchor {
    meta: MetaStore,
}

impl Anchor {
    /// The file under `<lake root>/_zhengshu/`.
    pub const PATH: &'static str = "audit/head.json";

    /// The anchor in the lake's object store (nothing is read or written yet).
    pub fn new(lake: &zhengshu_lake::Lake) -> Anchor {
        Anchor { meta: lake.meta() }
    }

    /// Where the head is kept, for messages.
    pub fn url(&self) -> String {
        self.meta.url(Self::PATH)
    }

    /// The anchored head; `None` when none was written yet.
    pub async fn read(&self) -> Result<Option<AnchoredHead>, ExchangeError> {
        let Some(bytes) = self.meta.get(Self::PATH).await? else {
            return Ok(None);
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            ExchangeError::Audit(format!(
                "the anchor {} is not a valid head ({e}); it was damaged or replaced",
                self.url()
            ))
        })
    }

    async fn write(&self, head: &AnchoredHead) -> Result<(), ExchangeError> {
        let bytes = serde_json::to_vec(head).map_err(|e| ExchangeError::Audit(e.to_string()))?;
        self.meta.put(Self::PATH, bytes).await?;
        Ok(())
    }
}

/// The append-only, hash-chained audit log. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AuditLog {
    tx: mpsc::Sender<writer::Job>,
    /// The seq of the last committed record (0 = none yet in this process).
    committed: watch::Receiver<i64>,
    /// The last seq the anchor task has dealt with (written, skipped or failed).
    anchored: Option<watch::Receiver<i64>>,
}

impl AuditLog {
    /// Starts the writer task (and, with an anchor, the task that keeps the anchor up to
    /// date). Must be called inside a Tokio runtime.
    pub fn start(db: Db, clock: SharedClock, anchor: Option<Anchor>) -> AuditLog {
        let (tx, rx) = mpsc::channel(writer::QUEUE);
        let (committed_tx, committed) = watch::channel(0);
        let (head_tx, anchored) = match anchor {
            Some(anchor) => {
                let (head_tx, head_rx) = watch::channel(None);
                let (done_tx, done_rx) = watch::channel(0);
                tokio::spawn(writer::run_anchor(db.clone(), anchor, head_rx, done_tx));
                (Some(head_tx), Some(done_rx))
            }
            None => (None, None),
        };
        tokio::spawn(writer::run_writer(db, clock, rx, committed_tx, head_tx));
        AuditLog {
            tx,
            committed,
            anchored,
        }
    }

    /// Appends one event and waits until it is committed; returns its seq.
    pub async fn append(&self, ev: AuditEvent) -> Result<i64, ExchangeError> {
        let (done, answer) = oneshot::channel();
        let stopped = || ExchangeError::Audit("the audit writer has stopped".into());
        self.tx
            .send(writer::Job { ev, done })
            .await
            .map_err(|_| stopped())?;
        answer
            .await
            .map_err(|_| stopped())?
            .map_err(ExchangeError::Audit)
    }

    /// Waits until the anchor has caught up with every record this process committed so
    /// far (written, or the failure logged). Returns at once without an anchor; call it
    /// before shutting down and in tests.
    pub async fn flush_anchor(&self) {
        let Some(anchored) = &self.anchored else {
            return;
        };
        let target = *self.committed.borrow();
        let mut anchored = anchored.clone();
        // An error means the anchor task is gone: nothing left to wait for.
        let _ = anchored.wait_for(|seq| *seq >= target).await;
    }
}

/// The fields a record's hash covers, exactly as stored (`detail` is the stored JSON text).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hashed<'a> {
    pub(crate) seq: i64,
    pub(crate) at: &'a str,
    pub(crate) kind: &'a str,
    pub(crate) scenario_id: Option<i64>,
    pub(crate) token_id: Option<i64>,
    pub(crate) user_ref: Option<&'a str>,
    pub(crate) actor_user_id: Option<i64>,
    pub(crate) resource_id: Option<i64>,
    pub(crate) provider_unit_id: Option<i64>,
    pub(crate) detail: &'a str,
    pub(crate) rows_returned: Option<i64>,
    pub(crate) bytes: Option<i64>,
    pub(crate) duration_us: Option<i64>,
    pub(crate) outcome: &'a str,
    pub(crate) prev_hash: &'a str,
}

/// The canonical encoding: a version tag, then every field in a fixed order, each tagged
/// with its type — `s` + 8-byte big-endian length + UTF-8 bytes for text, `i` + 8-byte
/// big-endian two's complement for integers, `n` for a missing value — so that no two
/// different records encode to the same bytes.
fn canonical(r: &Hashed<'_>) -> Vec<u8> {
    fn text(buf: &mut Vec<u8>, s: &str) {
        buf.push(b's');
        buf.extend_from_slice(&(s.len() as u64).to_be_bytes());
        buf.extend_from_slice(s.as_bytes());
    }
    fn int(buf: &mut Vec<u8>, v: Option<i64>) {
        match v {
            Some(v) => {
                buf.push(b'i');
                buf.extend_from_slice(&v.to_be_bytes());
            }
            None => buf.push(b'n'),
        }
    }
    let mut buf = Vec::with_capacity(256 + r.detail.len());
    text(&mut buf, "zhengshu.audit.v1");
    int(&mut buf, Some(r.seq));
    text(&mut buf, r.at);
    text(&mut buf, r.kind);
    int(&mut buf, r.scenario_id);
    int(&mut buf, r.token_id);
    match r.user_ref {
        Some(u) => text(&mut buf, u),
        None => buf.push(b'n'),
    }
    int(&mut buf, r.actor_user_id);
    int(&mut buf, r.resource_id);
    int(&mut buf, r.provider_unit_id);
    text(&mut buf, r.detail);
    int(&mut buf, r.rows_returned);
    int(&mut buf, r.bytes);
    int(&mut buf, r.duration_us);
    text(&mut buf, r.outcome);
    text(&mut buf, r.prev_hash);
    buf
}

/// A record's hash: lower-case hex SHA-256 of its canonical encoding.
pub(crate) fn record_hash(r: &Hashed<'_>) -> String {
    hex::encode(Sha256::digest(canonical(r)))
}

/// The hash the writer gives a record with these fields (`detail` as the compact JSON text
/// the writer stores; `hash` itself is ignored). For checks outside [`verify`], which hashes
/// the stored text as it is.
pub fn expected_hash(r: &AuditRecord) -> String {
    let detail = r.detail.to_string();
    record_hash(&Hashed {
        seq: r.seq,
        at: &r.at,
        kind: &r.kind,
        scenario_id: r.scenario_id,
        token_id: r.token_id,
        user_ref: r.user_ref.as_deref(),
        actor_user_id: r.actor_user_id,
        resource_id: r.resource_id,
        provider_unit_id: r.provider_unit_id,
        detail: &detail,
        rows_returned: r.rows_returned,
        bytes: r.bytes,
        duration_us: r.duration_us,
        outcome: &r.outcome,
        prev_hash: &r.prev_hash,
    })
}

/// A stored row with `detail` as its text (what the hash covers).
pub(crate) struct StoredRow {
    pub(crate) seq: i64,
    pub(crate) at: String,
    pub(crate) kind: String,
    pub(crate) scenario_id: Option<i64>,
    pub(crate) token_id: Option<i64>,
    pub(crate) user_ref: Option<String>,
    pub(crate) actor_user_id: Option<i64>,
    pub(crate) resource_id: Option<i64>,
    pub(crate) provider_unit_id: Option<i64>,
    pub(crate) detail: String,
    pub(crate) rows_returned: Option<i64>,
    pub(crate) bytes: Option<i64>,
    pub(crate) duration_us: Option<i64>,
    pub(crate) outcome: String,
    pub(crate) prev_hash: String,
    pub(crate) hash: String,
}

/// The columns of a stored row, in [`StoredRow`] order.
pub(crate) const COLUMNS: &str = "seq, at, kind, scenario_id, token_id, user_ref, actor_user_id, \
     resource_id, provider_unit_id, detail, rows_returned, bytes, duration_us, outcome, \
     prev_hash, hash";

impl StoredRow {
    pub(crate) fn from_row(row: &AnyRow) -> Result<StoredRow, sqlx::Error> {
        Ok(StoredRow {
            seq: row.try_get("seq")?,
            at: row.try_get("at")?,
            kind: row.try_get("kind")?,
            scenario_id: row.try_get("scenario_id")?,
            token_id: row.try_get("token_id")?,
            user_ref: row.try_get("user_ref")?,
            actor_user_id: row.try_get("actor_user_id")?,
            resource_id: row.try_get("resource_id")?,
            provider_unit_id: row.try_get("provider_unit_id")?,
            detail: row.try_get("detail")?,
            rows_returned: row.try_get("rows_returned")?,
            bytes: row.try_get("bytes")?,
            duration_us: row.try_get("duration_us")?,
            outcome: row.try_get("outcome")?,
            prev_hash: row.try_get("prev_hash")?,
            hash: row.try_get("hash")?,
        })
    }

    pub(crate) fn hashed(&self) -> Hashed<'_> {
        Hashed {
            seq: self.seq,
            at: &self.at,
            kind: &self.kind,
            scenario_id: self.scenario_id,
            token_id: self.token_id,
            user_ref: self.user_ref.as_deref(),
            actor_user_id: self.actor_user_id,
            resource_id: self.resource_id,
            provider_unit_id: self.provider_unit_id,
            detail: &self.detail,
            rows_returned: self.rows_returned,
            bytes: self.bytes,
            duration_us: self.duration_us,
            outcome: &self.outcome,
            prev_hash: &self.prev_hash,
        }
    }
}

/// One row of usage statistics.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UsageRow {
    /// YYYY-MM-DD.
    pub day: String,
    pub scenario_id: Option<i64>,
    pub resource_id: Option<i64>,
    pub provider_unit_id: Option<i64>,
    pub calls: i64,
    pub rows: i64,
    pub bytes: i64,
    pub denied: i64,
}

/// Appends `AND <column> = $n` for each given filter, binding in order afterwards.
fn filters(sql: &mut String, first: usize, filters: &[(&str, Option<i64>)]) -> Vec<i64> {
    let mut binds = Vec::new();
    for (column, value) in filters {
        if let Some(v) = value {
            binds.push(*v);
            sql.push_str(&format!(" AND {column} = ${}", first + binds.len() - 1));
        }
    }
    binds
}

/// Share calls per day × scenario × resource × provider since `since_day`, optionally
/// only one scenario's or one provider's.
pub async fn usage(
    db: &Db,
    since_day: &str,
    scenario_id: Option<i64>,
    provider_unit_id: Option<i64>,
) -> Result<Vec<UsageRow>, ExchangeError> {
    // The day is the first 10 characters of the stored UTC time; `at >= 'YYYY-MM-DD'`
    // uses the index on `at`. SUMs are cast: PostgreSQL sums BIGINT as NUMERIC.
    let mut sql = String::from(
        "SELECT substr(at, 1, 10) AS day, scenario_id, resource_id, provider_unit_id, \
         COUNT(*) AS calls, \
         CAST(COALESCE(SUM(rows_returned), 0) AS BIGINT) AS n_rows, \
         CAST(COALESCE(SUM(bytes), 0) AS BIGINT) AS n_bytes, \
         CAST(SUM(CASE WHEN outcome = 'ok' THEN 0 ELSE 1 END) AS BIGINT) AS denied \
         FROM audit_log WHERE kind LIKE 'share.%' AND at >= $1",
    );
    let binds = filters(
        &mut sql,
        2,
        &[
            ("scenario_id", scenario_id),
            ("provider_unit_id", provider_unit_id),
        ],
    );
    sql.push_str(
        " GROUP BY substr(at, 1, 10), scenario_id, resource_id, provider_unit_id \
         ORDER BY day, scenario_id, resource_id, provider_unit_id",
    );
    let mut q = sqlx::query(&sql).bind(since_day);
    for b in binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(db.pool()).await?;
    rows.iter()
        .map(|r| {
            Ok(UsageRow {
                day: r.try_get("day")?,
                scenario_id: r.try_get("scenario_id")?,
                resource_id: r.try_get("resource_id")?,
                provider_unit_id: r.try_get("provider_unit_id")?,
                calls: r.try_get("calls")?,
                rows: r.try_get("n_rows")?,
                bytes: r.try_get("n_bytes")?,
                denied: r.try_get("denied")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// An audit record as stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: String,
    pub kind: String,
    pub scenario_id: Option<i64>,
    pub token_id: Option<i64>,
    pub user_ref: Option<String>,
    pub actor_user_id: Option<i64>,
    pub resource_id: Option<i64>,
    pub provider_unit_id: Option<i64>,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub rows_returned: Option<i64>,
    pub bytes: Option<i64>,
    pub duration_us: Option<i64>,
    pub outcome: String,
    pub prev_hash: String,
    pub hash: String,
}

impl From<StoredRow> for AuditRecord {
    fn from(r: StoredRow) -> Self {
        AuditRecord {
            // A detail that is not JSON (only possible after tampering) is shown as text.
            detail: serde_json::from_str(&r.detail)
                .unwrap_or_else(|_| serde_json::Value::String(r.detail.clone())),
            seq: r.seq,
            at: r.at,
            kind: r.kind,
            scenario_id: r.scenario_id,
            token_id: r.token_id,
            user_ref: r.user_ref,
            actor_user_id: r.actor_user_id,
            resource_id: r.resource_id,
            provider_unit_id: r.provider_unit_id,
            rows_returned: r.rows_returned,
            bytes: r.bytes,
            duration_us: r.duration_us,
            outcome: r.outcome,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// The latest records, newest first (at most 1,000), optionally only one scenario's or
/// provider's.
pub async fn recent(
    db: &Db,
    limit: i64,
    scenario_id: Option<i64>,
    provider_unit_id: Option<i64>,
) -> Result<Vec<AuditRecord>, ExchangeError> {
    let mut sql = format!("SELECT {COLUMNS} FROM audit_log WHERE 1 = 1");
    let binds = filters(
        &mut sql,
        1,
        &[
            ("scenario_id", scenario_id),
            ("provider_unit_id", provider_unit_id),
        ],
    );
    sql.push_str(&format!(
        " ORDER BY seq DESC LIMIT {}",
        limit.clamp(0, 1000)
    ));
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(db.pool()).await?;
    rows.iter()
        .map(|r| StoredRow::from_row(r).map(AuditRecord::from))
        .collect::<Result<_, _>>()
        .map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(kind: &'a str, user_ref: Option<&'a str>, detail: &'a str) -> Hashed<'a> {
        Hashed {
            seq: 7,
            at: "2026-11-25T02:00:00.000000Z",
            kind,
            scenario_id: Some(3),
            token_id: None,
            user_ref,
            actor_user_id: None,
            resource_id: Some(12),
            provider_unit_id: Some(4),
            detail,
            rows_returned: Some(10),
            bytes: Some(2048),
            duration_us: Some(1500),
            outcome: "ok",
            prev_hash: ZERO_HASH,
        }
    }

    #[test]
    fn field_boundaries_change_the_hash() {
        // The same characters split differently between adjacent text fields.
        let a = fields("share.rows", Some("u1"), "{}");
        let b = fields("share.row", Some("su1"), "{}");
        let c = fields("share.rows", Some("u1{"), "}");
        assert_ne!(record_hash(&a), record_hash(&b));
        assert_ne!(record_hash(&a), record_hash(&c));
        // A missing value is not an empty one, nor the text "n".
        let d = fields("share.rows", None, "{}");
        let e = fields("share.rows", Some(""), "{}");
        let f = fields("share.rows", Some("n"), "{}");
        let all = [&a, &d, &e, &f].map(|h| record_hash(h));
        for i in 0..all.len() {
            for j in i + 1..all.len() {
                assert_ne!(all[i], all[j], "{i} vs {j}");
            }
        }
        // A number moved between integer fields changes the hash too.
        let mut g = a;
        g.rows_returned = Some(2048);
        g.bytes = Some(10);
        assert_ne!(record_hash(&a), record_hash(&g));
        // Deterministic, lower-case hex SHA-256.
        assert_eq!(
            record_hash(&a),
            record_hash(&fields("share.rows", Some("u1"), "{}"))
        );
        assert_eq!(record_hash(&a).len(), 64);
        assert!(record_hash(&a)
            .chars()
            .all(|c| matches!(c, '0'..='9' | 'a'..='f')));
    }

    #[test]
    fn every_field_is_covered() {
        let base = fields("share.rows", Some("u1"), "{}");
        let h = record_hash(&base);
        let variants: Vec<Hashed<'_>> = vec![
            Hashed { seq: 8, ..base },
            Hashed {
                at: "2026-11-25T02:00:00.000001Z",
                ..base
            },
            Hashed {
                kind: "share.sql",
                ..base
            },
            Hashed {
                scenario_id: None,
                ..base
            },
            Hashed {
                token_id: Some(1),
                ..base
            },
            Hashed {
                user_ref: Some("u2"),
                ..base
            },
            Hashed {
                actor_user_id: Some(1),
                ..base
            },
            Hashed {
                resource_id: Some(13),
                ..base
            },
            Hashed {
                provider_unit_id: Some(5),
                ..base
            },
            Hashed {
                detail: "{\"a\":1}",
                ..base
            },
            Hashed {
                rows_returned: Some(11),
                ..base
            },
            Hashed {
                bytes: None,
                ..base
            },
            Hashed {
                duration_us: Some(1),
                ..base
            },
            Hashed {
                outcome: "denied",
                ..base
            },
            Hashed {
                prev_hash: "1",
                ..base
            },
        ];
        for (i, v) in variants.iter().enumerate() {
            assert_ne!(record_hash(v), h, "field {i} is not covered");
        }
    }
}
