//! 审计日志: the append-only, hash-chained audit log of sharing.
//!
//! Every share call and every decision is one record. Its `hash` is the SHA-256 of a
//! canonical encoding of its fields and of the previous record's hash (see [`expected_hash`]),
//! so editing, removing or reordering a record breaks the chain, and [`verify`] finds the
//! first place where it breaks.
//!
//! Records are written by one writer task per process ([`AuditLog::start`]), which commits
//! whatever is queued as one transaction (group commit) and answers each caller only after
//! the commit: a share call is never answered before it is evidenced. The writer keeps the
//! head it committed last and chains a group onto it in one `INSERT` (seqs are the primary
//! key, so the statement fails if another writer took the next seq meanwhile); otherwise —
//! at start, after a failure, when another process appended — it reads the chain head inside
//! a transaction after taking a lock (`pg_advisory_xact_lock` on PostgreSQL, `BEGIN
//! IMMEDIATE` on SQLite). Several server processes on one database so extend one linear
//! chain, and a record deleted from under a running writer leaves a gap `verify` reports.
//!
//! Deleting the newest records (or the whole table) leaves a chain that is intact as far
//! as it goes; the [`Anchor`] catches that. After a committed group the head (seq, hash,
//! time) is also written outside the database, to `<lake root>/_zhengshu/audit/head.json`
//! (at once after a quiet spell, at most every 100 ms under load), and `verify` checks that
//! the log still reaches it with the same hash.

mod chain;
mod read;
mod verify;
mod writer;

use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot, watch};
use zhengshu_core::clock::SharedClock;
use zhengshu_db::Db;
use zhengshu_lake::table::MetaStore;

use crate::ExchangeError;

pub use chain::expected_hash;
pub use read::{recent, usage, AuditRecord, UsageRow};
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
