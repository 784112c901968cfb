//! The sharing audit log on the test database (SQLite, or PostgreSQL with
//! ZHENGSHU_TEST_POSTGRES) with its anchor in a temporary lake: group commit under
//! concurrent appends gives one contiguous chain, and `verify` finds every kind of
//! tampering (issue 5, "Security tests": edit, delete, reorder, truncate the tail), each
//! on a fresh log.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use zhengshu_core::clock::{FixedClock, SharedClock};
use zhengshu_db::testing::TestDb;
use zhengshu_exchange::audit::{
    self, Anchor, AuditEvent, AuditLog, AuditRecord, ProblemKind, VerifyReport,
};
use zhengshu_exchange::ExchangeError;
use zhengshu_lake::Lake;

struct Env {
    t: TestDb,
    clock: Arc<FixedClock>,
    lake: Lake,
    _dir: tempfile::TempDir,
}

async fn env() -> Env {
    let t = TestDb::new(&[
        &zhengshu_db::MIGRATIONS,
        &zhengshu_auth::MIGRATIONS,
        &zhengshu_catalog::MIGRATIONS,
        &zhengshu_lake::MIGRATIONS,
        &zhengshu_exchange::MIGRATIONS,
    ])
    .await
    .unwrap();
    let clock = Arc::new(FixedClock::new(
        chrono::DateTime::parse_from_rfc3339("2026-11-25T02:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc),
    ));
    let dir = tempfile::tempdir().unwrap();
    let lake = Lake::new(&format!("file://{}/lake", dir.path().display())).unwrap();
    Env {
        t,
        clock,
        lake,
        _dir: dir,
    }
}

impl Env {
    fn anchor(&self) -> Anchor {
        Anchor::new(&self.lake)
    }

    fn log(&self) -> AuditLog {
        let clock: SharedClock = self.clock.clone();
        AuditLog::start(self.t.db.clone(), clock, Some(self.anchor()))
    }

    async fn verify(&self, with_anchor: bool) -> VerifyReport {
        let anchor = self.anchor();
        audit::verify(&self.t.db, with_anchor.then_some(&anchor))
            .await
            .unwrap()
    }

    async fn sql(&self, sql: &str) {
        sqlx::query(sql).execute(self.t.db.pool()).await.unwrap();
    }

    async fn record(&self, seq: i64) -> AuditRecord {
        audit::recent(&self.t.db, 1000, None, None)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.seq == seq)
            .unwrap()
    }
}

fn event(i: i64) -> AuditEvent {
    AuditEvent {
        kind: "share.rows".into(),
        scenario_id: Some(1 + i % 3),
        token_id: Some(7),
        user_ref: Some(format!("caller-{i}")),
        resource_id: Some(10 + i % 2),
        provider_unit_id: Some(4),
        detail: serde_json::json!({"fields": ["name", "street"], "i": i}),
        rows_returned: Some(i),
        bytes: Some(100 * i),
        duration_us: Some(1500),
        outcome: if i % 5 == 0 { "denied" } else { "ok" }.into(),
        ..Default::default()
    }
}

/// A fresh log with `n` records, its anchor written.
async fn filled(n: i64) -> Env {
    let e = env().await;
    let log = e.log();
    for i in 1..=n {
        assert_eq!(log.append(event(i)).await.unwrap(), i);
    }
    log.flush_anchor().await;
    let r = e.verify(true).await;
    assert!(r.intact(), "{:?}", r.problem);
    assert_eq!((r.records, r.head_seq, r.anchored_seq), (n, n, Some(n)));
    e
}

/// Asserts the first problem's kind and seq, and that the message names the record.
fn assert_problem(r: &VerifyReport, kind: ProblemKind, seq: i64) {
    let p = r.problem.as_ref().expect("a problem");
    assert_eq!((p.kind, p.seq), (kind, seq), "{}", p.message);
    assert!(p.message.contains(&format!("#{seq}")), "{}", p.message);
}

#[tokio::test]
async fn concurrent_appends_get_contiguous_seqs_and_one_valid_chain() {
    let e = env().await;
    let log = e.log();
    let mut tasks = Vec::new();
    for t in 0..20 {
        let log = log.clone();
        tasks.push(tokio::spawn(async move {
            let mut seqs = Vec::new();
            for i in 0..10 {
                seqs.push(log.append(event(t * 10 + i)).await.unwrap());
            }
            seqs
        }));
    }
    let mut seqs = Vec::new();
    for t in tasks {
        let mine = t.await.unwrap();
        // One task's appends are committed in the order it made them.
        assert!(mine.windows(2).all(|w| w[0] < w[1]), "{mine:?}");
        seqs.extend(mine);
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=200).collect::<Vec<i64>>());

    log.flush_anchor().await;
    let r = e.verify(true).await;
    assert!(r.intact(), "{:?}", r.problem);
    assert_eq!(
        (r.records, r.head_seq, r.anchored_seq),
        (200, 200, Some(200))
    );
    let anchored = e.anchor().read().await.unwrap().unwrap();
    assert_eq!((anchored.seq, &anchored.hash), (200, &r.head_hash));

    // The records are linked: record 1 starts from zeros, each names its predecessor.
    let all = audit::recent(&e.t.db, 1000, None, None).await.unwrap();
    assert_eq!(all.len(), 200);
    assert_eq!(all[0].seq, 200, "newest first");
    assert_eq!(all[199].prev_hash, audit::ZERO_HASH);
    for w in all.windows(2) {
        assert_eq!(w[0].prev_hash, w[1].hash);
        assert_eq!(audit::expected_hash(&w[0]), w[0].hash);
    }
    assert_eq!(
        all[0].at, "2026-11-25T02:00:00.000000Z",
        "time from the clock"
    );

    // A second writer (as after a restart) continues the same chain.
    let again = e.log();
    assert_eq!(again.append(event(0)).await.unwrap(), 201);
    again.flush_anchor().await;
    let r = e.verify(true).await;
    assert!(r.intact(), "{:?}", r.problem);
    assert_eq!(r.anchored_seq, Some(201));
}

#[tokio::test]
async fn two_processes_on_one_database_extend_one_chain() {
    let e = env().await;
    // A second server process: its own pool, writer and anchor task on the same database
    // and lake.
    let other_db = zhengshu_db::Db::connect(&e.t.url).await.unwrap();
    let clock: SharedClock = e.clock.clone();
    let logs = [
        e.log(),
        AuditLog::start(other_db.clone(), clock, Some(e.anchor())),
    ];
    let mut tasks = Vec::new();
    for t in 0..10 {
        let log = logs[t % 2].clone();
        tasks.push(tokio::spawn(async move {
            let mut seqs = Vec::new();
            for i in 0..10 {
                seqs.push(log.append(event(i)).await.unwrap());
            }
            seqs
        }));
    }
    let mut seqs = Vec::new();
    for t in tasks {
        seqs.extend(t.await.unwrap());
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=100).collect::<Vec<i64>>());
    for log in &logs {
        log.flush_anchor().await;
    }
    let r = e.verify(true).await;
    assert!(r.intact(), "{:?}", r.problem);
    assert_eq!((r.records, r.head_seq), (100, 100));
    // The anchor never runs ahead of the log (it may lag when the processes race).
    assert!(r.anchored_seq.is_some_and(|s| (1..=100).contains(&s)));
    other_db.close().await;
}

#[tokio::test]
async fn an_edited_middle_record_is_altered() {
    for edit in [
        "UPDATE audit_log SET rows_returned = 99999 WHERE seq = 5",
        "UPDATE audit_log SET detail = '{\"fields\":[\"resident_id\"],\"i\":5}' WHERE seq = 5",
        "UPDATE audit_log SET outcome = 'ok' WHERE seq = 5",
        "UPDATE audit_log SET user_ref = NULL WHERE seq = 5",
    ] {
        let e = filled(10).await;
        e.sql(edit).await;
        let r = e.verify(true).await;
        assert_problem(&r, ProblemKind::Altered, 5);
        assert!(r.problem.as_ref().unwrap().message.contains("altered"));
        // The walk still counts to the end.
        assert_eq!((r.records, r.head_seq), (10, 10));
    }
}

#[tokio::test]
async fn a_deleted_middle_record_is_removed() {
    let e = filled(10).await;
    e.sql("DELETE FROM audit_log WHERE seq = 5").await;
    let r = e.verify(true).await;
    assert_problem(&r, ProblemKind::Removed, 5);
    assert_eq!(r.records, 9);

    // So are the first records.
    let e = filled(10).await;
    e.sql("DELETE FROM audit_log WHERE seq <= 2").await;
    assert_problem(&e.verify(true).await, ProblemKind::Removed, 1);
}

#[tokio::test]
async fn swapped_records_are_reordered() {
    // Far apart, and neighbours.
    for (a, b) in [(4, 7), (5, 6)] {
        let e = filled(10).await;
        e.sql(&format!("UPDATE audit_log SET seq = -1 WHERE seq = {a}"))
            .await;
        e.sql(&format!("UPDATE audit_log SET seq = {a} WHERE seq = {b}"))
            .await;
        e.sql(&format!("UPDATE audit_log SET seq = {b} WHERE seq = -1"))
            .await;
        let r = e.verify(true).await;
        assert_problem(&r, ProblemKind::Reordered, a);
        assert!(r.problem.unwrap().message.contains("out of place"));
    }
}

#[tokio::test]
async fn a_deleted_tail_is_found_only_thanks_to_the_anchor() {
    let e = filled(10).await;
    e.sql("DELETE FROM audit_log WHERE seq > 7").await;
    // What is left is a valid chain: without the anchor nothing looks wrong. This is why
    // the head is also kept outside the database.
    let r = e.verify(false).await;
    assert!(r.intact(), "{:?}", r.problem);
    assert_eq!((r.records, r.head_seq, r.anchored_seq), (7, 7, None));
    // With the anchor the deletion is found.
    let r = e.verify(true).await;
    assert_problem(&r, ProblemKind::Truncated, 8);
    assert_eq!(r.anchored_seq, Some(10));
    assert!(r.problem.unwrap().message.contains("#8–#10"));

    // Deleting every record is found the same way.
    e.sql("DELETE FROM audit_log").await;
    let r = e.verify(true).await;
    assert_problem(&r, ProblemKind::Truncated, 1);
    assert_eq!(r.records, 0);
}

#[tokio::test]
async fn new_appends_after_a_truncation_do_not_hide_it() {
    let e = filled(10).await;
    e.sql("DELETE FROM audit_log WHERE seq > 7").await;
    // A restarted server appends past the old head; the anchor is kept as evidence.
    let log = e.log();
    for i in 0..5 {
        log.append(event(i)).await.unwrap();
    }
    log.flush_anchor().await;
    assert_eq!(e.anchor().read().await.unwrap().unwrap().seq, 10);
    let r = e.verify(true).await;
    assert_problem(&r, ProblemKind::Rewritten, 10);
    assert_eq!(r.head_seq, 12);
}

#[tokio::test]
async fn a_tail_deleted_under_a_running_writer_stays_a_gap() {
    let e = env().await;
    let log = e.log();
    for i in 1..=10 {
        assert_eq!(log.append(event(i)).await.unwrap(), i);
    }
    e.sql("DELETE FROM audit_log WHERE seq > 7").await;
    // The writer chains on from the head it committed (#10), not from what is left, so
    // the deletion shows even without the anchor.
    assert_eq!(log.append(event(11)).await.unwrap(), 11);
    let r = e.verify(false).await;
    assert_problem(&r, ProblemKind::Removed, 8);
    assert_eq!(r.records, 8);
}

#[tokio::test]
async fn a_rehashed_edit_breaks_the_link_to_its_successor() {
    let e = filled(10).await;
    let mut rec = e.record(5).await;
    rec.rows_returned = Some(0);
    let hash = audit::expected_hash(&rec);
    sqlx::query("UPDATE audit_log SET rows_returned = 0, hash = $1 WHERE seq = 5")
        .bind(&hash)
        .execute(e.t.db.pool())
        .await
        .unwrap();
    let r = e.verify(true).await;
    assert_problem(&r, ProblemKind::BrokenLink, 6);
    assert!(r.problem.unwrap().message.contains("#5"));
}

#[tokio::test]
async fn a_rehashed_tail_is_caught_by_the_anchor() {
    let e = filled(10).await;
    // Edit record 5 and recompute every hash after it: a consistent chain again.
    let mut prev: Option<String> = None;
    for seq in 5..=10 {
        let mut rec = e.record(seq).await;
        if seq == 5 {
            rec.rows_returned = Some(0);
        }
        if let Some(p) = prev {
            rec.prev_hash = p;
        }
        let hash = audit::expected_hash(&rec);
        sqlx::query(
            "UPDATE audit_log SET rows_returned = $1, prev_hash = $2, hash = $3 WHERE seq = $4",
        )
        .bind(rec.rows_returned)
        .bind(&rec.prev_hash)
        .bind(&hash)
        .bind(seq)
        .execute(e.t.db.pool())
        .await
        .unwrap();
        prev = Some(hash);
    }
    assert!(e.verify(false).await.intact());
    assert_problem(&e.verify(true).await, ProblemKind::Rewritten, 10);
}

#[tokio::test]
async fn a_failed_commit_fails_the_waiting_appends_and_the_writer_goes_on() {
    let e = filled(3).await;
    let log = e.log();
    e.sql("ALTER TABLE audit_log RENAME TO audit_log_away")
        .await;
    let err = log.append(event(4)).await.unwrap_err();
    assert!(matches!(err, ExchangeError::Audit(_)), "{err}");
    e.sql("ALTER TABLE audit_log_away RENAME TO audit_log")
        .await;
    assert_eq!(log.append(event(4)).await.unwrap(), 4);
    log.flush_anchor().await;
    let r = e.verify(true).await;
    assert!(r.intact(), "{:?}", r.problem);
    assert_eq!(r.anchored_seq, Some(4));
}

#[test]
fn append_after_the_writer_is_gone_is_an_error() {
    let first = tokio::runtime::Runtime::new().unwrap();
    let (e, log) = first.block_on(async {
        let e = env().await;
        let log = e.log();
        (e, log)
    });
    // Shutting the runtime down ends the writer task.
    drop(first);
    let second = tokio::runtime::Runtime::new().unwrap();
    let err = second.block_on(log.append(event(1))).unwrap_err();
    assert!(matches!(err, ExchangeError::Audit(_)), "{err}");
    drop(e);
}

#[tokio::test]
async fn usage_groups_share_calls_by_day_scenario_resource_and_provider() {
    let e = env().await;
    let log = e.log();
    let call = |scenario: i64, resource: i64, rows: i64, outcome: &str| AuditEvent {
        kind: "share.rows".into(),
        scenario_id: Some(scenario),
        resource_id: Some(resource),
        provider_unit_id: Some(4),
        rows_returned: Some(rows),
        bytes: Some(rows * 10),
        outcome: outcome.into(),
        detail: serde_json::json!({}),
        ..Default::default()
    };
    log.append(call(1, 10, 5, "ok")).await.unwrap();
    log.append(call(1, 10, 7, "ok")).await.unwrap();
    log.append(call(1, 10, 0, "denied")).await.unwrap();
    log.append(call(2, 10, 1, "rate_limited")).await.unwrap();
    // Not a share call: not counted.
    log.append(AuditEvent {
        kind: "request.approve".into(),
        scenario_id: Some(1),
        resource_id: Some(10),
        provider_unit_id: Some(4),
        outcome: "approved".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    e.clock.advance(chrono::Duration::days(1));
    let mut sql = call(1, 10, 3, "ok");
    sql.kind = "share.sql".into();
    sql.bytes = None;
    log.append(sql).await.unwrap();

    let rows = audit::usage(&e.t.db, "2026-11-25", None, None)
        .await
        .unwrap();
    let got: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.day.as_str(),
                r.scenario_id,
                r.resource_id,
                r.calls,
                r.rows,
                r.bytes,
                r.denied,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("2026-11-25", Some(1), Some(10), 3, 12, 120, 1),
            ("2026-11-25", Some(2), Some(10), 1, 1, 10, 1),
            ("2026-11-26", Some(1), Some(10), 1, 3, 0, 0),
        ]
    );
    let since = audit::usage(&e.t.db, "2026-11-26", None, None)
        .await
        .unwrap();
    assert_eq!(since.len(), 1);
    let two = audit::usage(&e.t.db, "2026-11-01", Some(2), None)
        .await
        .unwrap();
    assert_eq!(two.len(), 1);
    assert_eq!(two[0].scenario_id, Some(2));
    assert!(audit::usage(&e.t.db, "2026-11-01", None, Some(5))
        .await
        .unwrap()
        .is_empty());

    let recent = audit::recent(&e.t.db, 2, None, None).await.unwrap();
    assert_eq!(recent.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![6, 5]);
    assert_eq!(recent[1].kind, "request.approve");
    let of_two = audit::recent(&e.t.db, 50, Some(2), Some(4)).await.unwrap();
    assert_eq!(of_two.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![4]);
    assert_eq!(of_two[0].detail, serde_json::json!({}));
}
