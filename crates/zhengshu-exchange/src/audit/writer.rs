//! The writer task (group commit) and the anchor task.

use sqlx::Row;
use tokio::sync::{mpsc, oneshot, watch};
use zhengshu_core::clock::SharedClock;
use zhengshu_db::{Backend, Db};

use super::chain::{record_hash, short, Hashed, COLUMNS};
use super::{Anchor, AnchoredHead, AuditEvent, ZERO_HASH};
use crate::ExchangeError;

/// How many appends may wait in the queue before `append` itself waits.
pub(super) const QUEUE: usize = 4096;
/// At most this many records per transaction.
const MAX_GROUP: usize = 512;
/// Rows per INSERT statement (16 parameters each; well under both servers' limits).
const ROWS_PER_INSERT: usize = 64;
/// The least time between two writes of the anchor: it lags the log by at most this
/// (plus a write) under load.
const ANCHOR_PAUSE: std::time::Duration = std::time::Duration::from_millis(100);
/// How often a locked commit is tried when a fast-path writer takes its seq first.
///
/// On PostgreSQL another process's writer on the fast path takes no lock, and while it
/// appends without pause it wins every race for the next seq: with 5 attempts (and no pause
/// between them) a CI run saw the locked writer give up during a burst of 50 appends from
/// the other process. Attempts are now spaced (1, 2, … 10 ms, ≈ 0.4 s in all) so a burst
/// can pass. A writer under sustained load from another process can still lose; the cure
/// is a fast path that takes the advisory lock in its own statement.
const LOCKED_ATTEMPTS: usize = 50;
/// The PostgreSQL advisory lock that serialises writers of all processes ("zsaudit1").
const PG_LOCK_KEY: i64 = 0x7a73_6175_6469_7431;

/// One queued append and where its answer goes.
#[derive(Debug)]
pub(super) struct Job {
    pub(super) ev: AuditEvent,
    pub(super) done: oneshot::Sender<Result<i64, String>>,
}

/// One record ready to insert.
struct NewRecord<'a> {
    ev: &'a AuditEvent,
    seq: i64,
    at: String,
    detail: String,
    prev_hash: String,
    hash: String,
}

/// The chain head as this writer last committed it.
#[derive(Debug, Clone)]
struct Head {
    seq: i64,
    hash: String,
}

/// Commits queued appends in groups until every `AuditLog` handle is dropped.
pub(super) async fn run_writer(
    db: Db,
    clock: SharedClock,
    mut rx: mpsc::Receiver<Job>,
    committed: watch::Sender<i64>,
    head: Option<watch::Sender<Option<AnchoredHead>>>,
) {
    let mut jobs = Vec::with_capacity(MAX_GROUP);
    // Unknown at start and after a failed commit: the next group reads it under the lock.
    let mut known: Option<Head> = None;
    while rx.recv_many(&mut jobs, MAX_GROUP).await > 0 {
        match commit_group(&db, &clock, &jobs, known.take()).await {
            Ok((first, last)) => {
                known = Some(Head {
                    seq: last.seq,
                    hash: last.hash.clone(),
                });
                // Publish before answering, so that a caller's `flush_anchor` covers its record.
                committed.send_replace(last.seq);
                if let Some(head) = &head {
                    head.send_replace(Some(last));
                }
                for (seq, job) in (first..).zip(jobs.drain(..)) {
                    // A caller that stopped waiting no longer needs the answer.
                    let _ = job.done.send(Ok(seq));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, records = jobs.len(), "audit log: group commit failed");
                let message = format!("cannot write the audit log: {e}");
                for job in jobs.drain(..) {
                    let _ = job.done.send(Err(message.clone()));
                }
            }
        }
    }
}

/// Writes the jobs; returns the first seq and the new head.
///
/// When this writer committed the head it knows (`known`) and the group fits one
/// statement, the records go in as one `INSERT` chained to that head, without a
/// transaction around it (one round trip instead of four: this is on every share call's
/// path). The seqs are the primary key and go up by one, so if any other writer (another
/// process) appended meanwhile, the first new seq is taken and the statement inserts
/// nothing; the group is then written the careful way, under the lock, after the head
/// read there. A record deleted from under a running writer is not papered over: the next
/// record still names the deleted one's hash, and `verify` reports the gap.
async fn commit_group(
    db: &Db,
    clock: &SharedClock,
    jobs: &[Job],
    known: Option<Head>,
) -> Result<(i64, AnchoredHead), sqlx::Error> {
    if let Some(h) = known.filter(|_| jobs.len() <= ROWS_PER_INSERT) {
        let (records, head) = chain(clock, jobs, h.seq, h.hash);
        match insert(db.pool(), &records).await {
            Ok(()) => return Ok((h.seq + 1, head)),
            Err(e) if zhengshu_db::is_unique_violation(&e) => {}
            Err(e) => return Err(e),
        }
    }
    // On PostgreSQL a writer on the fast path does not take the lock, so the locked
    // insert can lose the race for a seq; it then reads the new head and goes again.
    let mut attempt = 0;
    loop {
        attempt += 1;
        match commit_locked(db, clock, jobs).await {
            Err(e) if attempt < LOCKED_ATTEMPTS && zhengshu_db::is_unique_violation(&e) => {
                let pause = attempt.min(10) as u64;
                tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
            }
            other => return other,
        }
    }
}

/// Writes the jobs in one transaction under the writers' lock, after the head read there.
async fn commit_locked(
    db: &Db,
    clock: &SharedClock,
    jobs: &[Job],
) -> Result<(i64, AnchoredHead), sqlx::Error> {
    let mut tx = match db.backend() {
        // Take the write lock before reading the head, so that another process's writer
        // cannot commit between the read and the insert.
        Backend::Sqlite => db.pool().begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => {
            let mut tx = db.pool().begin().await?;
            sqlx::query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock($1)) AS l")
                .bind(PG_LOCK_KEY)
                .fetch_one(&mut *tx)
                .await?;
            tx
        }
    };
    let head = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *tx)
        .await?;
    let (seq, prev_hash) = match head {
        Some(r) => (r.try_get::<i64, _>("seq")?, r.try_get::<String, _>("hash")?),
        None => (0, ZERO_HASH.to_string()),
    };
    let (records, head) = chain(clock, jobs, seq, prev_hash);
    for chunk in records.chunks(ROWS_PER_INSERT) {
        insert(&mut *tx, chunk).await?;
    }
    tx.commit().await?;
    Ok((seq + 1, head))
}

/// The jobs' records, numbered and hashed on from the head (`seq`, `prev_hash`), and the
/// head they make.
fn chain<'a>(
    clock: &SharedClock,
    jobs: &'a [Job],
    mut seq: i64,
    mut prev_hash: String,
) -> (Vec<NewRecord<'a>>, AnchoredHead) {
    let mut records = Vec::with_capacity(jobs.len());
    for job in jobs {
        seq += 1;
        let ev = &job.ev;
        let at = zhengshu_db::ts(clock.now());
        let detail = ev.detail.to_string();
        let hash = record_hash(&Hashed {
            seq,
            at: &at,
            kind: &ev.kind,
            scenario_id: ev.scenario_id,
            token_id: ev.token_id,
            user_ref: ev.user_ref.as_deref(),
            actor_user_id: ev.actor_user_id,
            resource_id: ev.resource_id,
            provider_unit_id: ev.provider_unit_id,
            detail: &detail,
            rows_returned: ev.rows_returned,
            bytes: ev.bytes,
            duration_us: ev.duration_us,
            outcome: &ev.outcome,
            prev_hash: &prev_hash,
        });
        records.push(NewRecord {
            ev,
            seq,
            at,
            detail,
            prev_hash: std::mem::replace(&mut prev_hash, hash.clone()),
            hash,
        });
    }
    let at = records
        .last()
        .map(|r| r.at.clone())
        .unwrap_or_else(|| zhengshu_db::ts(clock.now()));
    let head = AnchoredHead {
        seq,
        hash: prev_hash,
        at,
    };
    (records, head)
}

/// One multi-row `INSERT` of at most [`ROWS_PER_INSERT`] records.
async fn insert<'e, E>(executor: E, records: &[NewRecord<'_>]) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut sql = format!("INSERT INTO audit_log ({}) VALUES ", COLUMNS);
    for i in 0..records.len() {
        if i > 0 {
            sql.push_str(", ");
        }
        let params: Vec<String> = (1..=16).map(|c| format!("${}", i * 16 + c)).collect();
        sql.push_str(&format!("({})", params.join(", ")));
    }
    let mut q = sqlx::query(&sql);
    for r in records {
        q = q
            .bind(r.seq)
            .bind(r.at.as_str())
            .bind(r.ev.kind.as_str())
            .bind(r.ev.scenario_id)
            .bind(r.ev.token_id)
            .bind(r.ev.user_ref.as_deref())
            .bind(r.ev.actor_user_id)
            .bind(r.ev.resource_id)
            .bind(r.ev.provider_unit_id)
            .bind(r.detail.as_str())
            .bind(r.ev.rows_returned)
            .bind(r.ev.bytes)
            .bind(r.ev.duration_us)
            .bind(r.ev.outcome.as_str())
            .bind(r.prev_hash.as_str())
            .bind(r.hash.as_str());
    }
    q.execute(executor).await?;
    Ok(())
}

/// Keeps the anchor at the newest committed head, coalescing heads that arrive while a
/// write is under way and for [`ANCHOR_PAUSE`] after it. Reports each head it has dealt with
/// on `done`.
pub(super) async fn run_anchor(
    db: Db,
    anchor: Anchor,
    mut heads: watch::Receiver<Option<AnchoredHead>>,
    done: watch::Sender<i64>,
) {
    while heads.changed().await.is_ok() {
        let head = heads.borrow_and_update().clone();
        let Some(head) = head else { continue };
        match advance(&db, &anchor, &head).await {
            Ok(()) => {}
            Err(NotAdvanced::Refused(message)) => {
                tracing::error!(anchor = %anchor.url(), "audit log: {message}");
            }
            Err(NotAdvanced::Failed(e)) => {
                tracing::warn!(anchor = %anchor.url(), seq = head.seq, error = %e,
                    "audit log: cannot write the anchor; the records are committed, the anchor lags");
            }
        }
        done.send_replace(head.seq);
        // A write costs a read and a write of the anchor and a query: under load, once per
        // pause rather than once per commit (the first head after a quiet spell goes at once).
        tokio::time::sleep(ANCHOR_PAUSE).await;
    }
}

/// Why the anchor was not moved.
enum NotAdvanced {
    /// The stored anchor does not match the log: it stays, as evidence.
    Refused(String),
    /// The store could not be read or written.
    Failed(ExchangeError),
}

/// Moves the anchor forward to `head`, unless it is already there or beyond (another
/// process wrote a newer head), and only while the anchored record is still in the log
/// with the anchored hash: after a truncation the old anchor is kept, so that the
/// evidence is not overwritten by new appends.
async fn advance(db: &Db, anchor: &Anchor, head: &AnchoredHead) -> Result<(), NotAdvanced> {
    let stored = anchor.read().await.map_err(|e| match e {
        // Not a valid head: damaged or replaced, so keep it as found.
        ExchangeError::Audit(m) => NotAdvanced::Refused(format!("{m}; the anchor is not moved")),
        other => NotAdvanced::Failed(other),
    })?;
    if let Some(stored) = stored {
        if stored.seq >= head.seq {
            return Ok(());
        }
        let hash: Option<String> = sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
            .bind(stored.seq)
            .fetch_optional(db.pool())
            .await
            .map_err(|e| NotAdvanced::Failed(e.into()))?;
        if hash.as_deref() != Some(stored.hash.as_str()) {
            return Err(NotAdvanced::Refused(format!(
                "the anchor says record #{} has hash {}, but the log {}; the anchor is not \
                 moved — run `zhengshu audit verify`",
                stored.seq,
                short(&stored.hash),
                match hash {
                    Some(h) => format!("has {} there", short(&h)),
                    None => "has no such record".into(),
                }
            )));
        }
    }
    anchor.write(head).await.map_err(NotAdvanced::Failed)
}
