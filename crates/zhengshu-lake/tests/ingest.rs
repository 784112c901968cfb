//! The lake end to end on a real Delta table in a temporary folder and the test database
//! (SQLite, or PostgreSQL with ZHENGSHU_TEST_POSTGRES): create from a sample, rules and
//! quarantine, batch ids, modes, failure atomicity, SQL with time travel and masks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::Arc;

use zhengshu_catalog::{Actor, CatalogState};
use zhengshu_core::clock::{FixedClock, SharedClock};
use zhengshu_db::testing::TestDb;
use zhengshu_lake::ingest::{self, Mode, Options};
use zhengshu_lake::read::{self, Format, Limits};
use zhengshu_lake::rules::{Rule, RuleKind};
use zhengshu_lake::sql::{self, QueryLimits};
use zhengshu_lake::{LakeState, NewFromSample};

struct Env {
    st: LakeState,
    unit_id: i64,
    dir: tempfile::TempDir,
    _db: TestDb,
}

async fn env() -> Env {
    let db = TestDb::new(&[
        &zhengshu_db::MIGRATIONS,
        &zhengshu_auth::MIGRATIONS,
        &zhengshu_catalog::MIGRATIONS,
        &zhengshu_lake::MIGRATIONS,
    ])
    .await
    .unwrap();
    let clock: SharedClock = Arc::new(FixedClock::new(
        chrono::DateTime::parse_from_rfc3339("2026-11-24T02:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc),
    ));
    let unit = zhengshu_auth::units::create(
        &db.db,
        &zhengshu_auth::NewUnit {
            name: "龙岗区市场监督管理局".into(),
            level: "district".into(),
            ..Default::default()
        },
        "2026-11-24T02:00:00Z",
    )
    .await
    .unwrap();
    let catalog = CatalogState::new(db.db.clone(), clock, None).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let st = LakeState::new(catalog, &format!("file://{}/lake", dir.path().display()))
        .await
        .unwrap();
    Env {
        st,
        unit_id: unit.id,
        dir,
        _db: db,
    }
}

const HEADER: &str =
    "统一社会信用代码,企业名称,法定代表人,身份证号,手机,注册资本,成立日期,登记状态\n";

/// Valid rows: credit codes and resident IDs with correct check characters.
fn rows(n: usize, start: usize) -> String {
    let mut s = String::new();
    for i in start..start + n {
        let cc17 = format!("91440307{:09}", 100_000 + i);
        let cc = format!(
            "{cc17}{}",
            zhengshu_core::credit_code_check_char(&cc17).unwrap()
        );
        let id17 = format!("44030719{:02}0101{:03}", 60 + i % 30, i % 1000);
        let id = format!(
            "{id17}{}",
            zhengshu_core::resident_id_check_char(&id17).unwrap()
        );
        s.push_str(&format!(
            "{cc},深圳市第{i}科技有限公司,张{i},{id},1380013{:04},\"1,{:03}.50\",2015年3月{}日,存续\n",
            i % 10_000,
            i % 1000,
            1 + i % 28
        ));
    }
    s
}

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
    p
}

/// A CSV file of `n` valid rows from `start` under the Chinese header.
fn csv_file(e: &Env, name: &str, n: usize, start: usize) -> std::path::PathBuf {
    let mut csv = HEADER.to_string();
    csv.push_str(&rows(n, start));
    write(e.dir.path(), name, csv.as_bytes())
}

fn source(path: &std::path::Path) -> Box<dyn read::RowSource> {
    read::open_file(path, None, Limits::default()).unwrap()
}

async fn create(e: &Env, table: &str, sample: &std::path::Path) -> zhengshu_catalog::Resource {
    let (items, _, _) = zhengshu_lake::propose(source(sample)).unwrap();
    let (r, _) = zhengshu_lake::create_from_sample(
        &e.st,
        &Actor::system(),
        &NewFromSample {
            unit_id: e.unit_id,
            name: "企业登记信息".into(),
            table: table.into(),
            key: "credit_code".into(),
            items,
            update_cycle: "每日".into(),
            file_name: "sample.csv".into(),
        },
    )
    .await
    .unwrap();
    r
}

async fn count(e: &Env, sql_text: &str) -> i64 {
    let r = sql::query(&e.st, sql_text, QueryLimits::default())
        .await
        .unwrap();
    r.rows[0][0].as_deref().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sample_becomes_a_typed_table_with_rules_and_quarantine() {
    let e = env().await;
    let mut csv = HEADER.to_string();
    csv.push_str(&rows(200, 0));
    let sample = write(e.dir.path(), "sample.csv", csv.as_bytes());
    let r = create(&e, "enterprises", &sample).await;
    let types: Vec<(&str, &str)> = r
        .items
        .iter()
        .map(|i| (i.name.as_str(), i.data_type.as_str()))
        .collect();
    assert!(types.contains(&("credit_code", "string")), "{types:?}");
    assert!(
        types.contains(&("registered_capital", "number")),
        "{types:?}"
    );
    assert!(types.contains(&("established_on", "date")), "{types:?}");
    let id_item = r.items.iter().find(|i| i.label == "身份证号").unwrap();
    assert_eq!(id_item.pii_kind.as_str(), "resident_id");

    for (column, kind) in [
        ("credit_code", RuleKind::CreditCode),
        (id_item.name.as_str(), RuleKind::ResidentId),
        ("name", RuleKind::NotNull),
    ] {
        zhengshu_lake::add_rule(
            &e.st,
            "enterprises",
            Rule {
                id: 0,
                column: column.into(),
                kind,
                blocking: true,
            },
        )
        .await
        .unwrap();
    }
    // A batch in GBK with three defects on known lines.
    let mut text = HEADER.to_string();
    text.push_str(&rows(50, 1000)); // lines 2..=51
    text.push_str("91440307000000001X,坏信用代码公司,李四,440307199001011234,13800138000,10,2020-01-01,存续\n"); // line 52
    text.push_str(&rows(1, 2000).replace("深圳市第2000科技有限公司", "")); // line 53: empty name
    text.push_str(&rows(1, 2001).replace("2015年3月", "二〇一五年三月")); // line 54: bad date
    text.push_str(&rows(10, 3000)); // lines 55..=64
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let f = write(e.dir.path(), "batch.csv", &gbk);
    let report = ingest::ingest(
        &e.st,
        "enterprises",
        source(&f),
        Options {
            batch_id: Some("2026-11-24-a".into()),
            ..Options::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(report.status, "succeeded", "{report:?}");
    assert!(report.detected.contains("GB18030"), "{}", report.detected);
    assert_eq!(
        (
            report.rows_read,
            report.rows_written,
            report.rows_quarantined
        ),
        (63, 60, 3)
    );
    let q = zhengshu_lake::store::quarantine(&e.st.db, report.job_id, 0, 10)
        .await
        .unwrap();
    let lines: Vec<i64> = q.iter().map(|q| q.line).collect();
    assert_eq!(lines, vec![52, 53, 54]);
    assert!(q[0].reason.contains("credit code"), "{}", q[0].reason);
    assert!(q[1].reason.contains("not-null"), "{}", q[1].reason);
    assert!(q[2].reason.contains("not a date"), "{}", q[2].reason);
    assert_eq!(q[0].raw[1], "坏信用代码公司");
    assert!(
        (report.quality_score - 95.23).abs() < 0.01,
        "{}",
        report.quality_score
    );
    assert_eq!(count(&e, "SELECT count(*) FROM enterprises").await, 60);
    // Types really are typed: a date comparison and a sum over the parsed capital.
    assert_eq!(
        count(
            &e,
            "SELECT count(*) FROM enterprises WHERE established_on >= DATE '2015-03-01'"
        )
        .await,
        60
    );
    let r = sql::query(
        &e.st,
        "SELECT sum(registered_capital) FROM enterprises WHERE credit_code = '914403070001010000'",
        QueryLimits::default(),
    )
    .await;
    assert!(r.is_ok());

    // The same batch id again changes nothing.
    let again = ingest::ingest(
        &e.st,
        "enterprises",
        source(&f),
        Options {
            batch_id: Some("2026-11-24-a".into()),
            ..Options::default()
        },
    )
    .await
    .unwrap();
    assert!(again.already_applied);
    assert_eq!(count(&e, "SELECT count(*) FROM enterprises").await, 60);

    // Time travel and masked views.
    let v = report.version.unwrap();
    assert_eq!(
        count(
            &e,
            &format!("SELECT count(*) FROM at_version('enterprises', {})", v - 1)
        )
        .await,
        0
    );
    let m = sql::query(
        &e.st,
        &format!("SELECT {} FROM masked.enterprises LIMIT 1", id_item.name),
        QueryLimits::default(),
    )
    .await
    .unwrap();
    let masked = m.rows[0][0].clone().unwrap();
    assert!(masked.contains('*'), "{masked}");
    // Writes are refused.
    let err = sql::query(&e.st, "DELETE FROM enterprises", QueryLimits::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("SQL"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_leave_the_previous_version_and_modes_work() {
    let e = env().await;
    let sample = csv_file(&e, "sample.csv", 100, 0);
    create(&e, "ent", &sample).await;
    let first = ingest::ingest(&e.st, "ent", source(&sample), Options::default())
        .await
        .unwrap();
    assert_eq!(first.rows_written, 100);
    let v1 = first.version.unwrap();

    // Mostly garbage: more than 10 % rejected → nothing written.
    let mut bad = HEADER.to_string();
    bad.push_str(&rows(5, 500));
    for _ in 0..200 {
        bad.push_str("x,y,z,w,v,not-a-number,not-a-date,s\n");
    }
    let f = write(e.dir.path(), "bad.csv", bad.as_bytes());
    let r = ingest::ingest(&e.st, "ent", source(&f), Options::default())
        .await
        .unwrap();
    assert_eq!(r.status, "failed");
    assert!(
        r.error.as_deref().unwrap().contains("nothing was written"),
        "{:?}",
        r.error
    );
    // A truncated quoted field at the end of a file is a read error: nothing written.
    let mut cut = HEADER.to_string();
    cut.push_str(&rows(5, 600));
    cut.push_str("\"91440307");
    let f = write(e.dir.path(), "cut.csv", cut.as_bytes());
    let r = ingest::ingest(&e.st, "ent", source(&f), Options::default())
        .await
        .unwrap();
    let table = e.st.lake.open("ent").await.unwrap();
    assert_eq!(table.version().map(|v| v as i64), Some(v1), "{r:?}");
    assert_eq!(count(&e, "SELECT count(*) FROM ent").await, 100);

    // Upsert: 10 existing keys change, 5 new keys arrive.
    let mut up = HEADER.to_string();
    up.push_str(&rows(10, 0).replace("存续", "注销"));
    up.push_str(&rows(5, 100));
    let f = write(e.dir.path(), "up.csv", up.as_bytes());
    let r = ingest::ingest(
        &e.st,
        "ent",
        source(&f),
        Options {
            mode: Mode::Upsert,
            ..Options::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(r.status, "succeeded", "{r:?}");
    assert_eq!(count(&e, "SELECT count(*) FROM ent").await, 105);
    assert_eq!(
        count(&e, "SELECT count(*) FROM ent WHERE status = '注销'").await,
        10
    );

    // Overwrite replaces everything.
    let r = ingest::ingest(
        &e.st,
        "ent",
        source(&f),
        Options {
            mode: Mode::Overwrite,
            ..Options::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(r.status, "succeeded");
    assert_eq!(count(&e, "SELECT count(*) FROM ent").await, 15);

    // Compaction clustered by the key keeps the rows and the point lookup finds one.
    let c = zhengshu_lake::maintain::optimize(&e.st, "ent", None)
        .await
        .unwrap();
    assert_eq!(c.clustered_by.as_deref(), Some("credit_code"));
    let cc17 = format!("91440307{:09}", 100_000 + 3);
    let cc = format!(
        "{cc17}{}",
        zhengshu_core::credit_code_check_char(&cc17).unwrap()
    );
    assert_eq!(
        count(
            &e,
            &format!("SELECT count(*) FROM ent WHERE credit_code = '{cc}'")
        )
        .await,
        1
    );
    let h = zhengshu_lake::maintain::history(&e.st, "ent", 50)
        .await
        .unwrap();
    assert!(h.len() >= 5, "{h:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unique_rule_checks_the_rows_already_in_the_table() {
    let e = env().await;
    let mut csv = HEADER.to_string();
    csv.push_str(&rows(100, 0));
    let sample = write(e.dir.path(), "sample.csv", csv.as_bytes());
    create(&e, "ent", &sample).await;
    zhengshu_lake::add_rule(
        &e.st,
        "ent",
        Rule {
            id: 0,
            column: "credit_code".into(),
            kind: RuleKind::Unique,
            blocking: true,
        },
    )
    .await
    .unwrap();
    let first = ingest::ingest(&e.st, "ent", source(&sample), Options::default())
        .await
        .unwrap();
    assert_eq!((first.rows_written, first.rows_quarantined), (100, 0));
    // Five codes the table holds, five new ones, and one new code twice.
    let mut next = HEADER.to_string();
    next.push_str(&rows(5, 40));
    next.push_str(&rows(5, 200));
    next.push_str(&rows(1, 300));
    next.push_str(&rows(1, 300));
    let f = write(e.dir.path(), "next.csv", next.as_bytes());
    let r = ingest::ingest(&e.st, "ent", source(&f), Options::default())
        .await
        .unwrap();
    assert_eq!(r.status, "succeeded", "{r:?}");
    assert_eq!((r.rows_written, r.rows_quarantined), (6, 6), "{r:?}");
    let q = zhengshu_lake::store::quarantine(&e.st.db, r.job_id, 0, 10)
        .await
        .unwrap();
    let lines: Vec<i64> = q.iter().map(|q| q.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 6, 13]);
    assert!(
        q[0].reason.contains("already in the table"),
        "{}",
        q[0].reason
    );
    assert!(
        q[5].reason.contains("more than once in this batch"),
        "{}",
        q[5].reason
    );
    assert_eq!(count(&e, "SELECT count(*) FROM ent").await, 106);
    assert_eq!(
        count(&e, "SELECT count(DISTINCT credit_code) FROM ent").await,
        106
    );
}

/// After compaction no column chunk carries a dictionary page beyond the limit: a keyed
/// lookup decodes the dictionary of every column it reads, so big ones made it slow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compaction_keeps_dictionary_pages_small() {
    use deltalake::parquet::column::page::Page;
    use deltalake::parquet::file::reader::{FileReader, SerializedFileReader};
    let e = env().await;
    let f = csv_file(&e, "many.csv", 6000, 0);
    create(&e, "ent", &f).await;
    let r = ingest::ingest(&e.st, "ent", source(&f), Options::default())
        .await
        .unwrap();
    assert_eq!(r.rows_written, 6000, "{r:?}");
    zhengshu_lake::maintain::optimize(&e.st, "ent", None)
        .await
        .unwrap();
    // The newest Parquet file is the one optimize wrote.
    let newest = newest_parquet(&e);
    let reader = SerializedFileReader::new(std::fs::File::open(&newest).unwrap()).unwrap();
    let md = reader.metadata();
    assert_eq!(md.file_metadata().num_rows(), 6000);
    // 6,000 distinct credit codes make a ≈ 130 KB dictionary when nothing stops them; the
    // dictionary pages written hold about 32 KiB (decompressed; the writer checks the
    // limit after each small batch of values, so a page may pass it by a few values).
    let mut largest = (0usize, String::new());
    for (g, rg) in md.row_groups().iter().enumerate() {
        let group = reader.get_row_group(g).unwrap();
        for (i, c) in rg.columns().iter().enumerate() {
            if c.dictionary_page_offset().is_none() {
                continue;
            }
            let mut pages = group.get_column_page_reader(i).unwrap();
            if let Some(Page::DictionaryPage { buf, .. }) = pages.get_next_page().unwrap() {
                if buf.len() > largest.0 {
                    largest = (buf.len(), c.column_path().string());
                }
            }
        }
    }
    assert!(largest.0 > 0, "no dictionary pages at all");
    assert!(
        largest.0 <= 36 * 1024,
        "{}: a {}-byte dictionary page",
        largest.1,
        largest.0
    );
}

/// The clustering sort spills beyond its memory, compressed, into the folder it is given and
/// no further than its disk cap: past the cap optimize fails with a message that says what
/// to do and the table stays at its version; within it the rows come out clustered and the
/// spill files are gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clustering_spills_within_its_disk_cap_or_fails_cleanly() {
    use deltalake::arrow::array::{Array, AsArray};
    use deltalake::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use zhengshu_lake::maintain::{optimize_with, SpillLimits};
    let e = env().await;
    // Two batches, the later one with the lower codes, so that the table is out of order.
    let high = csv_file(&e, "high.csv", 60_000, 60_000);
    let low = csv_file(&e, "low.csv", 60_000, 0);
    create(&e, "ent", &high).await;
    for f in [&high, &low] {
        let r = ingest::ingest(&e.st, "ent", source(f), Options::default())
            .await
            .unwrap();
        assert_eq!(r.rows_written, 60_000, "{r:?}");
    }
    let before = version(&e).await;
    let spill = tempfile::tempdir().unwrap();
    // 120,000 rows are ≈ 30 MB as Arrow arrays: 16 MiB of memory makes the sort spill.
    let tight = SpillLimits {
        memory_bytes: 16 << 20,
        dir: Some(spill.path().to_path_buf()),
        max_disk_bytes: 64 << 10,
    };
    let err = optimize_with(&e.st, "ent", None, tight.clone())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("needs more temporary disk"), "{err}");
    assert!(err.contains(&spill.path().display().to_string()), "{err}");
    assert!(err.contains("table is unchanged"), "{err}");
    assert_eq!(version(&e).await, before);
    assert_eq!(count(&e, "SELECT count(*) FROM ent").await, 120_000);

    let roomy = SpillLimits {
        max_disk_bytes: 1 << 30,
        ..tight
    };
    let c = optimize_with(&e.st, "ent", None, roomy).await.unwrap();
    assert_eq!(c.clustered_by.as_deref(), Some("credit_code"));
    assert!(version(&e).await > before);
    assert_eq!(count(&e, "SELECT count(*) FROM ent").await, 120_000);
    let left: Vec<_> = walk(spill.path());
    assert!(left.is_empty(), "spill files left behind: {left:?}");
    // The file optimize wrote holds every row, clustered by the key.
    let newest = newest_parquet(&e);
    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&newest).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let mut codes: Vec<String> = Vec::new();
    for b in reader {
        let b = b.unwrap();
        let col = b.column_by_name("credit_code").unwrap();
        let col =
            deltalake::arrow::compute::cast(col, &deltalake::arrow::datatypes::DataType::Utf8)
                .unwrap();
        let col = col.as_string::<i32>();
        codes.extend((0..col.len()).map(|i| col.value(i).to_string()));
    }
    assert_eq!(codes.len(), 120_000);
    // Delta's Z-order key is the first 16 bytes of a value in Arrow's row format: a marker
    // byte, 8 bytes, a continuation byte, 6 bytes. So the codes come out ordered by their
    // first 14 characters; the codes of one such prefix (1,000 here) in any order.
    let unordered = codes
        .windows(2)
        .position(|w| w[0].as_bytes()[..14] > w[1].as_bytes()[..14]);
    assert_eq!(
        unordered,
        None,
        "not clustered by credit_code: {:?}",
        unordered.map(|i| &codes[i..i + 2])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_upsert_merges_by_sorting_and_spills_within_its_caps() {
    use zhengshu_lake::ingest::MergeLimits;
    use zhengshu_lake::maintain::SpillLimits;
    let e = env().await;
    // 60,000 rows in the table; the batch changes 30,000 of them and brings 30,000 new.
    let base = csv_file(&e, "base.csv", 60_000, 0);
    create(&e, "ent", &base).await;
    create(&e, "ent_hash", &base).await;
    create(&e, "ent_keys", &base).await;
    create(&e, "ent_expected", &base).await;
    let changed = rows(60_000, 30_000).replace(",存续\n", ",注销\n");
    let up = write(
        e.dir.path(),
        "up.csv",
        format!("{HEADER}{changed}").as_bytes(),
    );
    for t in ["ent", "ent_hash", "ent_keys"] {
        let r = ingest::ingest(&e.st, t, source(&base), Options::default())
            .await
            .unwrap();
        assert_eq!(r.rows_written, 60_000, "{r:?}");
    }
    // What the upserts must leave, appended: the 30,000 untouched rows and the batch.
    let expected = write(
        e.dir.path(),
        "expected.csv",
        format!("{HEADER}{}{changed}", rows(30_000, 0)).as_bytes(),
    );
    let r = ingest::ingest(&e.st, "ent_expected", source(&expected), Options::default())
        .await
        .unwrap();
    assert_eq!(r.rows_written, 90_000, "{r:?}");
    let spill = tempfile::tempdir().unwrap();
    // Room enough for the merge to succeed, whether or not its sorts spill (how much the
    // four sorts and the repartitions before them hold at once depends on timing: at 32 MiB
    // a run now and then ran out).
    let roomy = SpillLimits {
        memory_bytes: 256 << 20,
        dir: Some(spill.path().to_path_buf()),
        max_disk_bytes: 1 << 30,
    };
    // (Merged: 30,000 keys would replace their rows, as below.)
    let upsert = |spill: SpillLimits, in_memory_bytes: usize| Options {
        mode: Mode::Upsert,
        merge: MergeLimits {
            in_memory_bytes,
            spill: Some(spill),
            key_set_max_keys: 0,
            ..MergeLimits::default()
        },
        ..Options::default()
    };
    // Joined in memory (a hash join over the batch).
    let r = ingest::ingest(
        &e.st,
        "ent_hash",
        source(&up),
        upsert(roomy.clone(), usize::MAX),
    )
    .await
    .unwrap();
    assert_eq!(r.status, "succeeded", "{r:?}");
    let note = r.notes.iter().find(|n| n.starts_with("upsert:")).unwrap();
    assert!(note.contains("in memory (hash join)"), "{note}");
    let file_bytes: u64 = note
        .split("a temporary file of ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no file size in {note}"));
    assert!(file_bytes > 64 << 10, "{note}");
    assert!(walk(spill.path()).is_empty(), "temporary file left behind");

    // Joined by sorting. Room for the batch's file and 64 KiB more: the merge fails past
    // its disk cap, and the table stays as it was (so the sorts did spill).
    let before = version(&e).await;
    // The batch is ≈ 12 MB as Arrow arrays, the table as much: with 32 MiB for the four
    // sorts (two partitions, two sides) and the repartitions before them, the sorts spill,
    // and the first spill past the cap fails the merge.
    let tight = SpillLimits {
        memory_bytes: 32 << 20,
        max_disk_bytes: file_bytes + (64 << 10),
        ..roomy.clone()
    };
    let r = ingest::ingest(&e.st, "ent", source(&up), upsert(tight, 0))
        .await
        .unwrap();
    assert_eq!(r.status, "failed", "{r:?}");
    let err = r.error.unwrap_or_default();
    assert!(err.contains("merge needs more temporary disk"), "{err}");
    assert!(err.contains("table is unchanged"), "{err}");
    assert_eq!(version(&e).await, before);
    // The batch's own file counts against the cap too.
    let too_small = SpillLimits {
        max_disk_bytes: file_bytes / 2,
        ..roomy.clone()
    };
    let r = ingest::ingest(&e.st, "ent", source(&up), upsert(too_small, 0))
        .await
        .unwrap();
    let err = r.error.unwrap_or_default();
    assert!(err.contains("batch takes more temporary disk"), "{err}");
    assert_eq!(version(&e).await, before);
    assert_eq!(count(&e, "SELECT count(*) FROM ent").await, 60_000);
    assert_eq!(
        count(&e, "SELECT count(*) FROM ent WHERE status = '注销'").await,
        0
    );
    assert!(walk(spill.path()).is_empty(), "temporary files left behind");

    let r = ingest::ingest(&e.st, "ent", source(&up), upsert(roomy, 0))
        .await
        .unwrap();
    assert_eq!(r.status, "succeeded", "{r:?}");
    assert!(
        r.notes.iter().any(|n| n.contains("sort-merge join")),
        "{:?}",
        r.notes
    );
    // By key: the 60,000 keys as a set, the files holding them rewritten without their rows
    // beside the batch. The commit's predicate names the set, not 60,000 credit codes.
    let r = ingest::ingest(
        &e.st,
        "ent_keys",
        source(&up),
        Options {
            mode: Mode::Upsert,
            ..Options::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(r.status, "succeeded", "{r:?}");
    assert_eq!(r.rows_written, 60_000, "{r:?}");
    let note = r.notes.iter().find(|n| n.starts_with("upsert:")).unwrap();
    assert!(
        note.contains("60000 rows replaced") && note.contains("tested as a set"),
        "{note}"
    );
    let log = std::fs::read_to_string(e.dir.path().join(format!(
        "lake/ent_keys/_delta_log/{:020}.json",
        r.version.unwrap()
    )))
    .unwrap();
    let info = log
        .lines()
        .find_map(|l| {
            serde_json::from_str::<serde_json::Value>(l)
                .ok()?
                .get("commitInfo")
                .cloned()
        })
        .unwrap();
    let predicate = info["operationParameters"]["predicate"]
        .as_str()
        .unwrap_or_default();
    assert!(predicate.contains("zhengshu_upsert_keys("), "{predicate}");
    assert!(predicate.len() < 300, "{predicate}");
    assert_eq!(
        log_paths(&e, "ent_keys", r.version.unwrap(), "remove").len(),
        {
            // Every file of the table held a key of the batch.
            let before = r.version.unwrap() - 1;
            let mut n = 0;
            for v in 0..=before {
                n += log_paths(&e, "ent_keys", v, "add").len();
                n -= log_paths(&e, "ent_keys", v, "remove").len();
            }
            n
        }
    );
    for t in ["ent", "ent_hash", "ent_keys"] {
        assert_eq!(
            count(&e, &format!("SELECT count(*) FROM {t}")).await,
            90_000
        );
        assert_eq!(
            count(&e, &format!("SELECT count(DISTINCT credit_code) FROM {t}")).await,
            90_000
        );
        assert_eq!(
            count(
                &e,
                &format!("SELECT count(*) FROM {t} WHERE status = '注销'")
            )
            .await,
            60_000
        );
    }
    // Every column of every row, both ways.
    for (a, b) in [
        ("ent", "ent_expected"),
        ("ent_expected", "ent"),
        ("ent_hash", "ent_expected"),
        ("ent_expected", "ent_hash"),
        ("ent_keys", "ent_expected"),
        ("ent_expected", "ent_keys"),
    ] {
        let differ = count(
            &e,
            &format!("SELECT count(*) FROM (SELECT * FROM {a} EXCEPT SELECT * FROM {b}) d"),
        )
        .await;
        assert_eq!(differ, 0, "rows of {a} not in {b}");
    }
    let left = walk(spill.path());
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_upsert_rewrites_only_the_files_that_hold_its_keys() {
    use zhengshu_lake::ingest::MergeLimits;
    let e = env().await;
    let sample = csv_file(&e, "sample.csv", 100, 0);
    // Four appends of 1,000 rows each, keys 0–999, 1000–1999, …: each append's files hold
    // its range of credit codes only.
    create(&e, "ent", &sample).await;
    create(&e, "ent_set", &sample).await;
    create(&e, "ent_merge", &sample).await;
    let mut appended = Vec::new();
    for part in 0..4 {
        let f = csv_file(&e, &format!("part{part}.csv"), 1000, part * 1000);
        for t in ["ent", "ent_set", "ent_merge"] {
            let r = ingest::ingest(&e.st, t, source(&f), Options::default())
                .await
                .unwrap();
            assert_eq!(r.rows_written, 1000, "{r:?}");
            if t == "ent" {
                let v = r.version.unwrap();
                appended.push(log_paths(&e, t, v, "add"));
            }
        }
    }
    // Two corrections, in the first and the third range, and one new enterprise.
    let mut up = HEADER.to_string();
    up.push_str(&rows(1, 500).replace("存续", "注销"));
    up.push_str(&rows(1, 2500).replace("存续", "注销"));
    up.push_str(&rows(1, 9000));
    let f = write(e.dir.path(), "up.csv", up.as_bytes());
    // At most `replace_max_keys` keys: an `IN` list; up to `key_set_max_keys`: a set of
    // hashes; beyond: the merge.
    let upsert = |replace_max_keys: usize, key_set_max_keys: usize| Options {
        mode: Mode::Upsert,
        batch_id: Some("fix-1".into()),
        merge: MergeLimits {
            replace_max_keys,
            key_set_max_keys,
            ..MergeLimits::default()
        },
        ..Options::default()
    };
    let r = ingest::ingest(&e.st, "ent", source(&f), upsert(3, 3))
        .await
        .unwrap();
    assert_eq!(r.status, "succeeded", "{r:?}");
    assert_eq!(r.rows_written, 3, "{r:?}");
    assert!(
        r.notes.iter().any(|n| n.contains("3 rows replaced")),
        "{:?}",
        r.notes
    );
    // Only the files of the first and third appends were rewritten.
    let v = r.version.unwrap();
    let mut removed = log_paths(&e, "ent", v, "remove");
    removed.sort();
    let mut expected: Vec<String> = [&appended[0], &appended[2]]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    expected.sort();
    assert_eq!(removed, expected);
    // The same batch again changes nothing.
    let again = ingest::ingest(&e.st, "ent", source(&f), upsert(3, 3))
        .await
        .unwrap();
    assert!(again.already_applied, "{again:?}");
    assert_eq!(version(&e).await, Some(v as u64));

    // The keys as a set: the same files (found by a scan of the key column, the batch's key
    // range spanning every file's).
    let r = ingest::ingest(&e.st, "ent_set", source(&f), upsert(2, 3))
        .await
        .unwrap();
    assert_eq!(r.status, "succeeded", "{r:?}");
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("3 rows replaced") && n.contains("as a set")),
        "{:?}",
        r.notes
    );
    let set_version = r.version.unwrap();
    assert_eq!(
        log_paths(&e, "ent_set", set_version, "remove").len(),
        expected.len()
    );
    assert_eq!(
        log_paths(&e, "ent_set", set_version, "add").len(),
        log_paths(&e, "ent", v, "add").len()
    );

    // The merge leaves the same rows.
    let r = ingest::ingest(&e.st, "ent_merge", source(&f), upsert(2, 2))
        .await
        .unwrap();
    assert_eq!(r.status, "succeeded", "{r:?}");
    assert!(
        r.notes.iter().any(|n| n.contains("hash join")),
        "{:?}",
        r.notes
    );
    for t in ["ent", "ent_set", "ent_merge"] {
        assert_eq!(count(&e, &format!("SELECT count(*) FROM {t}")).await, 4001);
        assert_eq!(
            count(
                &e,
                &format!("SELECT count(*) FROM {t} WHERE status = '注销'")
            )
            .await,
            2
        );
    }
    for (a, b) in [
        ("ent", "ent_merge"),
        ("ent_merge", "ent"),
        ("ent", "ent_set"),
        ("ent_set", "ent"),
    ] {
        let differ = count(
            &e,
            &format!("SELECT count(*) FROM (SELECT * FROM {a} EXCEPT SELECT * FROM {b}) d"),
        )
        .await;
        assert_eq!(differ, 0, "rows of {a} not in {b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upsert_whose_keys_repeat_as_values_is_merged_and_refused() {
    let e = env().await;
    // An integer key: `2,000` and `2000` are different text (so the key's unique rule lets
    // both through) and the same key. Replacing by key would write both rows.
    let sample = write(
        e.dir.path(),
        "nums.csv",
        "编号,名称\n1000,甲\n2000,乙\n3000,丙\n".as_bytes(),
    );
    let (items, _, _) = zhengshu_lake::propose(source(&sample)).unwrap();
    let key = items[0].name.clone();
    assert_eq!(
        items[0].data_type,
        zhengshu_catalog::model::DataType::Integer
    );
    zhengshu_lake::create_from_sample(
        &e.st,
        &Actor::system(),
        &NewFromSample {
            unit_id: e.unit_id,
            name: "编号表".into(),
            table: "nums".into(),
            key: key.clone(),
            items,
            update_cycle: "每日".into(),
            file_name: "nums.csv".into(),
        },
    )
    .await
    .unwrap();
    let r = ingest::ingest(&e.st, "nums", source(&sample), Options::default())
        .await
        .unwrap();
    assert_eq!(r.rows_written, 3, "{r:?}");
    let before = e.st.lake.open("nums").await.unwrap().version();
    let up = write(
        e.dir.path(),
        "up.csv",
        "编号,名称\n\"2,000\",乙改\n2000,乙再改\n".as_bytes(),
    );
    let r = ingest::ingest(
        &e.st,
        "nums",
        source(&up),
        Options {
            mode: Mode::Upsert,
            ..Options::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(r.status, "failed", "{r:?}");
    assert!(
        !r.notes.iter().any(|n| n.contains("replaced")),
        "{:?}",
        r.notes
    );
    assert_eq!(e.st.lake.open("nums").await.unwrap().version(), before);
    assert_eq!(
        count(
            &e,
            &format!("SELECT count(*) FROM nums WHERE \"{key}\" = 2000")
        )
        .await,
        1
    );
}

/// A source that says it holds fewer rows than it does (none of ours does: see
/// `RowSource::max_rows`), to reach what an append does when it was not spooled.
struct Understated(Box<dyn read::RowSource>);

impl read::RowSource for Understated {
    fn header(&self) -> &[String] {
        self.0.header()
    }
    fn next_chunk(&mut self) -> Result<Option<read::Chunk>, read::ReadError> {
        self.0.next_chunk()
    }
    fn bytes_read(&self) -> u64 {
        self.0.bytes_read()
    }
    fn detected(&self) -> String {
        self.0.detected()
    }
    fn max_rows(&self) -> Option<u64> {
        Some(5)
    }
}

/// Past the distinct values a unique rule holds in memory, its repeats are found on disk
/// once the batch is read. A batch whose rows wait in a temporary file until then (an
/// upsert's; an append's with a blocking unique rule when its source may hold more rows
/// than that) leaves them out as the memory check would have: the first row of a value
/// stays, the later ones go to quarantine with their lines. An append written as it was
/// read fails if the rule blocks, and counts them if it only reports.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeats_past_the_in_memory_bound_are_found_on_disk() {
    let e = env().await;
    let base = csv_file(&e, "base.csv", 100, 0);
    for t in ["ent", "ent_mem", "app", "app_mem", "app_lied", "rep"] {
        create(&e, t, &base).await;
        let r = ingest::ingest(&e.st, t, source(&base), Options::default())
            .await
            .unwrap();
        assert_eq!(r.rows_written, 100, "{r:?}");
    }
    // Keys 80..120 on lines 2..41 (20 of them in the table), then three repeats: of key 82
    // (line 4), of key 100 (line 22) and of key 119 (line 41). With ten values in memory
    // (keys 80..89) the first repeat is found as it is read, the other two on disk.
    let batch = format!(
        "{HEADER}{}{}{}{}",
        rows(40, 80).replace(",存续\n", ",注销\n"),
        rows(1, 82).replace(",存续\n", ",吊销\n"),
        rows(1, 100).replace(",存续\n", ",吊销\n"),
        rows(1, 119).replace(",存续\n", ",吊销\n"),
    );
    let f = write(e.dir.path(), "batch.csv", batch.as_bytes());
    let code = |i: usize| {
        let cc17 = format!("91440307{:09}", 100_000 + i);
        format!(
            "{cc17}{}",
            zhengshu_core::credit_code_check_char(&cc17).unwrap()
        )
    };
    for (t, cap) in [("ent", 10), ("ent_mem", 1_000_000)] {
        let r = ingest::ingest(
            &e.st,
            t,
            source(&f),
            Options {
                mode: Mode::Upsert,
                unique_in_memory_values: cap,
                ..Options::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(r.status, "succeeded", "{t}: {r:?}");
        assert_eq!((r.rows_written, r.rows_quarantined), (40, 3), "{t}: {r:?}");
        let unique = r.rules.iter().find(|o| o.kind == "unique").unwrap();
        assert_eq!(unique.failed, 3, "{t}: {r:?}");
        let q = zhengshu_lake::store::quarantine(&e.st.db, r.job_id, 0, 10)
            .await
            .unwrap();
        let lines: Vec<i64> = q.iter().map(|q| q.line).collect();
        assert_eq!(lines, vec![42, 43, 44], "{t}: {q:?}");
        for (q, key) in q.iter().zip([82, 100, 119]) {
            assert_eq!(q.column, "credit_code", "{t}: {q:?}");
            assert_eq!(q.raw[0], code(key), "{t}: {q:?}");
            assert_eq!(q.raw[7], "吊销", "{t}: {q:?}");
            assert!(q.reason.contains("more than once"), "{t}: {q:?}");
        }
        if t == "ent" {
            assert!(q[1].reason.contains("kept on line 22"), "{:?}", q[1]);
            assert!(q[2].reason.contains("kept on line 41"), "{:?}", q[2]);
            assert!(
                r.rules
                    .iter()
                    .flat_map(|o| &o.examples)
                    .any(|(line, why)| *line == 43 && why.contains("line 22")),
                "{r:?}"
            );
        }
        assert_eq!(count(&e, &format!("SELECT count(*) FROM {t}")).await, 120);
        assert_eq!(
            count(
                &e,
                &format!("SELECT count(*) FROM {t} WHERE status = '吊销'")
            )
            .await,
            0
        );
    }
    for (a, b) in [("ent", "ent_mem"), ("ent_mem", "ent")] {
        assert_eq!(
            count(
                &e,
                &format!("SELECT count(*) FROM (SELECT * FROM {a} EXCEPT SELECT * FROM {b})")
            )
            .await,
            0
        );
    }
    // Appends of new keys 200..240 and key 230 (line 32) again on line 42.
    let batch = format!("{HEADER}{}{}", rows(40, 200), rows(1, 230));
    let f = write(e.dir.path(), "append.csv", batch.as_bytes());
    for (t, blocking) in [
        ("app", true),
        ("app_mem", true),
        ("app_lied", true),
        ("rep", false),
    ] {
        zhengshu_lake::add_rule(
            &e.st,
            t,
            Rule {
                id: 0,
                column: "credit_code".into(),
                kind: RuleKind::Unique,
                blocking,
            },
        )
        .await
        .unwrap();
    }
    let small = Options {
        unique_in_memory_values: 10,
        ..Options::default()
    };
    // Ten values in memory, the file may hold more rows: spooled, the repeat left out.
    for (t, opts) in [("app", small.clone()), ("app_mem", Options::default())] {
        let r = ingest::ingest(&e.st, t, source(&f), opts).await.unwrap();
        assert_eq!(r.status, "succeeded", "{t}: {r:?}");
        assert_eq!((r.rows_written, r.rows_quarantined), (40, 1), "{t}: {r:?}");
        let spooled = r.notes.iter().any(|n| n.contains("temporary file"));
        assert_eq!(spooled, t == "app", "{t}: {:?}", r.notes);
        let q = zhengshu_lake::store::quarantine(&e.st.db, r.job_id, 0, 10)
            .await
            .unwrap();
        assert_eq!(q.len(), 1, "{t}: {q:?}");
        assert_eq!((q[0].line, q[0].raw[0].as_str()), (42, code(230).as_str()));
        if t == "app" {
            assert!(q[0].reason.contains("kept on line 32"), "{:?}", q[0]);
        }
        assert_eq!(count(&e, &format!("SELECT count(*) FROM {t}")).await, 140);
    }
    for (a, b) in [("app", "app_mem"), ("app_mem", "app")] {
        assert_eq!(
            count(
                &e,
                &format!("SELECT count(*) FROM (SELECT * FROM {a} EXCEPT SELECT * FROM {b})")
            )
            .await,
            0
        );
    }
    // A source that understated its rows was written as read: the repeat fails the batch,
    // and nothing is committed.
    let before = e.st.lake.open("app_lied").await.unwrap().version();
    let r = ingest::ingest(
        &e.st,
        "app_lied",
        Box::new(Understated(source(&f))),
        small.clone(),
    )
    .await
    .unwrap();
    assert_eq!(r.status, "failed", "{r:?}");
    let why = r.error.clone().unwrap_or_default();
    assert!(why.contains("line 42 repeats line 32"), "{why}");
    assert_eq!(e.st.lake.open("app_lied").await.unwrap().version(), before);
    assert_eq!(count(&e, "SELECT count(*) FROM app_lied").await, 100);
    // A reporting rule counts the repeat and keeps the row.
    let r = ingest::ingest(&e.st, "rep", source(&f), small)
        .await
        .unwrap();
    assert_eq!(r.status, "succeeded", "{r:?}");
    assert_eq!((r.rows_written, r.rows_quarantined), (41, 0), "{r:?}");
    let unique = r.rules.iter().find(|o| o.kind == "unique").unwrap();
    assert_eq!(unique.failed, 1, "{r:?}");
    assert!(r.quality_score < 100.0, "{r:?}");
}

/// The paths of the `add` or `remove` actions of version `v` of `table`, from its log.
fn log_paths(e: &Env, table: &str, v: i64, action: &str) -> Vec<String> {
    let log = e
        .dir
        .path()
        .join(format!("lake/{table}/_delta_log/{v:020}.json"));
    std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let j: serde_json::Value = serde_json::from_str(l).unwrap();
            j.get(action)?.get("path")?.as_str().map(str::to_string)
        })
        .collect()
}

/// The newest Parquet file of table `ent` (after an optimize: the one it wrote).
fn newest_parquet(e: &Env) -> std::path::PathBuf {
    std::fs::read_dir(e.dir.path().join("lake/ent"))
        .unwrap()
        .map(|d| d.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
        .max_by_key(|p| std::fs::metadata(p).unwrap().modified().unwrap())
        .unwrap()
}

async fn version(e: &Env) -> Option<u64> {
    e.st.lake.open("ent").await.unwrap().version()
}

/// Every file under `dir`, at any depth.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_xlsx_and_parquet_inputs_load_the_same_rows() {
    let e = env().await;
    let mut csv = HEADER.to_string();
    csv.push_str(&rows(20, 0));
    let sample = write(e.dir.path(), "sample.csv", csv.as_bytes());
    let r = create(&e, "multi", &sample).await;
    // NDJSON with the data item names as keys.
    let names: Vec<String> = r.items.iter().map(|i| i.name.clone()).collect();
    let mut nd = String::new();
    for line in rows(3, 50).lines() {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let rec = rdr.records().next().unwrap().unwrap();
        let obj: serde_json::Map<String, serde_json::Value> = names
            .iter()
            .cloned()
            .zip(rec.iter().map(|v| serde_json::Value::String(v.into())))
            .collect();
        nd.push_str(&serde_json::to_string(&obj).unwrap());
        nd.push('\n');
    }
    let f = write(e.dir.path(), "rows.ndjson", nd.as_bytes());
    let rep = ingest::ingest(&e.st, "multi", source(&f), Options::default())
        .await
        .unwrap();
    assert_eq!(
        (rep.status.as_str(), rep.rows_written),
        ("succeeded", 3),
        "{rep:?}"
    );
    // XLSX with the Chinese labels as the header.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.trim().split(',').enumerate() {
        ws.write(0, c as u16, h).unwrap();
    }
    for (ri, line) in rows(4, 60).lines().enumerate() {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        for (c, v) in rdr.records().next().unwrap().unwrap().iter().enumerate() {
            ws.write(ri as u32 + 1, c as u16, v).unwrap();
        }
    }
    let f = write(e.dir.path(), "rows.xlsx", &wb.save_to_buffer().unwrap());
    let rep = ingest::ingest(&e.st, "multi", source(&f), Options::default())
        .await
        .unwrap();
    assert_eq!(
        (rep.status.as_str(), rep.rows_written),
        ("succeeded", 4),
        "{rep:?}"
    );
    assert_eq!(count(&e, "SELECT count(*) FROM multi").await, 7);
    // Parquet: a file of the table itself, read back and loaded again.
    let table = e.st.lake.open("multi").await.unwrap();
    let uri = table.get_file_uris().unwrap().next().unwrap();
    let path = uri.strip_prefix("file://").unwrap_or(&uri).to_string();
    let src = read::open_file(
        std::path::Path::new(&path),
        Some(Format::Parquet),
        Limits::default(),
    )
    .unwrap();
    let rep = ingest::ingest(&e.st, "multi", src, Options::default())
        .await
        .unwrap();
    assert_eq!(rep.status, "succeeded", "{rep:?}");
    assert!(rep.rows_written >= 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_table_loads_with_its_rules() {
    let e = env().await;
    let r = zhengshu_lake::seed_demo(&e.st, e.unit_id, 3000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.status, "succeeded", "{r:?}");
    assert_eq!(r.rows_read, 3000);
    // The generator's defects: bad ID checksums, empty names and unreadable dates.
    assert!(
        r.rows_quarantined >= 20 && r.rows_quarantined <= 40,
        "{}",
        r.rows_quarantined
    );
    assert_eq!(r.rows_written + r.rows_quarantined, 3000);
    assert_eq!(
        count(&e, "SELECT count(DISTINCT street) FROM enterprises").await,
        11
    );
    // Seeding again does nothing.
    assert!(zhengshu_lake::seed_demo(&e.st, e.unit_id, 3000)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grouping_by_text_columns_runs_on_codes_and_counts_every_row() {
    let e = env().await;
    zhengshu_lake::seed_demo(&e.st, e.unit_id, 3000)
        .await
        .unwrap()
        .unwrap();
    let q = "SELECT street, industry, count(*) AS n FROM enterprises GROUP BY 1, 2 ORDER BY 1, 2";
    let plan = sql::query(&e.st, &format!("EXPLAIN {q}"), QueryLimits::default())
        .await
        .unwrap();
    let plan_text = format!("{:?}", plan.rows);
    assert!(plan_text.contains("group_codes"), "{plan_text}");
    let grouped = sql::query(&e.st, q, QueryLimits::default()).await.unwrap();
    // The same counts from the rows themselves.
    let raw = sql::query(
        &e.st,
        "SELECT street, industry FROM enterprises",
        QueryLimits {
            max_rows: 10_000,
            ..QueryLimits::default()
        },
    )
    .await
    .unwrap();
    let mut expected: std::collections::BTreeMap<(Option<String>, Option<String>), i64> =
        Default::default();
    for r in &raw.rows {
        *expected.entry((r[0].clone(), r[1].clone())).or_default() += 1;
    }
    let got: std::collections::BTreeMap<(Option<String>, Option<String>), i64> = grouped
        .rows
        .iter()
        .map(|r| {
            (
                (r[0].clone(), r[1].clone()),
                r[2].as_deref().unwrap().parse().unwrap(),
            )
        })
        .collect();
    assert!(got.len() > 40, "{}", got.len());
    assert_eq!(got, expected);
    assert_eq!(got.values().sum::<i64>(), raw.rows.len() as i64);
}
