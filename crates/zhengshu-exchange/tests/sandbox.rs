//! The share query layer on a real Delta table (the demo enterprise register) and the test
//! database (SQLite, or PostgreSQL with ZHENGSHU_TEST_POSTGRES): the SQL sandbox refuses
//! file, URL, DDL, DML and catalog escapes, shows only the granted views and columns,
//! keeps the row filter and the masks whatever the query does; REST pages cover the view
//! exactly once on a pinned version.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::sync::Arc;

use zhengshu_catalog::{Actor, CatalogState};
use zhengshu_core::clock::{FixedClock, SharedClock};
use zhengshu_core::PiiKind;
use zhengshu_db::testing::TestDb;
use zhengshu_exchange::model::{Condition, Grant, GrantState, Op};
use zhengshu_exchange::query::{self, Format, RowsQuery, View};
use zhengshu_exchange::ExchangeError;
use zhengshu_lake::deltalake::arrow::array::{Array, RecordBatch, StringArray};
use zhengshu_lake::deltalake::arrow::compute::cast;
use zhengshu_lake::deltalake::arrow::datatypes::DataType as ArrowType;
use zhengshu_lake::deltalake::datafusion::prelude::SessionContext;
use zhengshu_lake::read::{self, Limits};
use zhengshu_lake::sql::QueryLimits;
use zhengshu_lake::{LakeState, NewFromSample};

const STREETS: [&str; 2] = ["平湖街道", "坂田街道"];
const GRANTED: [&str; 8] = [
    "credit_code",
    "name",
    "legal_rep",
    "id_number",
    "phone",
    "street",
    "registered_capital",
    "established_on",
];

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
        &zhengshu_exchange::MIGRATIONS,
    ])
    .await
    .unwrap();
    let clock: SharedClock = Arc::new(FixedClock::new(
        chrono::DateTime::parse_from_rfc3339("2026-11-25T02:00:00Z")
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
        "2026-11-25T02:00:00Z",
    )
    .await
    .unwrap();
    let catalog = CatalogState::new(db.db.clone(), clock, None).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let st = LakeState::new(catalog, &format!("file://{}/lake", dir.path().display()))
        .await
        .unwrap();
    zhengshu_lake::seed_demo(&st, unit.id, 600).await.unwrap();
    let e = Env {
        st,
        unit_id: unit.id,
        dir,
        _db: db,
    };
    persons(&e).await;
    e
}

fn source(path: &std::path::Path) -> Box<dyn read::RowSource> {
    read::open_file(path, None, Limits::default()).unwrap()
}

/// A second table, ungranted unless a test grants it: `persons` (name, resident ID,
/// street, birth date, age).
async fn persons(e: &Env) {
    let mut csv = String::from("姓名,身份证号,街道,出生日期,年龄\n");
    for i in 0..50 {
        let id17 = format!("44030719{:02}0101{:03}", 60 + i % 30, i);
        let id = format!(
            "{id17}{}",
            zhengshu_core::resident_id_check_char(&id17).unwrap()
        );
        csv.push_str(&format!(
            "秘密{i},{id},{},19{}-01-01,{}\n",
            STREETS[i % 2],
            60 + i % 30,
            2026 - (1960 + i % 30)
        ));
    }
    let path = e.dir.path().join("persons.csv");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(csv.as_bytes())
        .unwrap();
    let (items, _, _) = zhengshu_lake::propose(source(&path)).unwrap();
    zhengshu_lake::create_from_sample(
        &e.st,
        &Actor::system(),
        &NewFromSample {
            unit_id: e.unit_id,
            name: "人员信息".into(),
            table: "persons".into(),
            key: "id_number".into(),
            items,
            update_cycle: "每日".into(),
            file_name: "persons.csv".into(),
        },
    )
    .await
    .unwrap();
    let r = zhengshu_lake::ingest(
        &e.st,
        "persons",
        source(&path),
        zhengshu_lake::Options::default(),
    )
    .await
    .unwrap();
    assert_eq!(r.rows_written, 50, "{r:?}");
}

fn street_filter() -> Vec<Condition> {
    vec![Condition {
        column: "street".into(),
        op: Op::In,
        values: STREETS.iter().map(|s| s.to_string()).collect(),
    }]
}

async fn view_with(e: &Env, columns: &[&str], raw: &[&str], filter: Vec<Condition>) -> View {
    let t = zhengshu_lake::target(&e.st, "enterprises").await.unwrap();
    View {
        table: "enterprises".into(),
        key: t.key.clone(),
        grant: Grant {
            id: 1,
            scenario_id: 1,
            scenario_name: "智慧社区".into(),
            resource_id: t.resource.id,
            resource_code: t.resource.code.clone(),
            resource_name: t.resource.name.clone(),
            provider_unit_id: e.unit_id,
            request_id: 1,
            columns: columns.iter().map(|s| s.to_string()).collect(),
            raw_columns: raw.iter().map(|s| s.to_string()).collect(),
            row_filter: filter,
            valid_until: "2027-11-24".into(),
            revoked_at: None,
            revoke_reason: String::new(),
            created_at: "2026-11-25T02:00:00Z".into(),
            state: GrantState::Active,
        },
        items: t.resource.items,
    }
}

/// The default grant: every item but `industry` and `status`, PII masked, two streets.
async fn view(e: &Env) -> View {
    view_with(e, &GRANTED, &[], street_filter()).await
}

fn limits() -> QueryLimits {
    QueryLimits {
        max_rows: 100_000,
        ..QueryLimits::default()
    }
}

async fn sandbox(e: &Env, views: &[View]) -> SessionContext {
    query::session(&e.st, views, limits()).await.unwrap()
}

/// Direct DataFusion over the raw tables (what the sandbox must never expose).
async fn raw(e: &Env, sql: &str) -> Vec<RecordBatch> {
    let ctx = SessionContext::new();
    for t in ["enterprises", "persons"] {
        let d = e.st.lake.open(t).await.unwrap();
        ctx.register_table(t, d.table_provider().await.unwrap())
            .unwrap();
    }
    ctx.sql(sql).await.unwrap().collect().await.unwrap()
}

async fn run(ctx: &SessionContext, sql: &str) -> Result<Vec<RecordBatch>, ExchangeError> {
    query::sql(ctx, sql, limits()).await.map(|(b, _)| b)
}

async fn ok(ctx: &SessionContext, sql: &str) -> Vec<RecordBatch> {
    match run(ctx, sql).await {
        Ok(b) => b,
        Err(e) => panic!("{sql}: {e}"),
    }
}

async fn refused(ctx: &SessionContext, sql: &str) -> String {
    match run(ctx, sql).await {
        Ok(b) => panic!("{sql} ran: {} rows", rows(&b)),
        Err(e) => e.to_string(),
    }
}

fn rows(batches: &[RecordBatch]) -> usize {
    batches.iter().map(RecordBatch::num_rows).sum()
}

/// A column of the result as text.
fn texts(batches: &[RecordBatch], column: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    for b in batches {
        let i = b.schema().index_of(column).unwrap();
        let a = cast(b.column(i), &ArrowType::Utf8).unwrap();
        let a = a.as_any().downcast_ref::<StringArray>().unwrap();
        out.extend(a.iter().map(|v| v.map(String::from)));
    }
    out
}

fn int(batches: &[RecordBatch]) -> i64 {
    texts(batches, batches[0].schema().field(0).name())[0]
        .as_deref()
        .unwrap()
        .parse()
        .unwrap()
}

fn columns(batches: &[RecordBatch]) -> Vec<String> {
    batches[0]
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect()
}

async fn granted_rows(e: &Env) -> i64 {
    int(&raw(
        e,
        "SELECT count(*) FROM enterprises WHERE street IN ('平湖街道', '坂田街道')",
    )
    .await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_and_url_reads_are_refused() {
    let e = env().await;
    let ctx = sandbox(&e, &[view(&e).await]).await;
    let lake_file = e
        .dir
        .path()
        .join("lake/enterprises/_delta_log/00000000000000000000.json");
    assert!(lake_file.exists());
    for sql in [
        "SELECT * FROM read_csv('/etc/passwd')".to_string(),
        "SELECT * FROM read_parquet('/tmp/x.parquet')".to_string(),
        "SELECT * FROM read_json('/etc/passwd')".to_string(),
        "SELECT * FROM '/etc/passwd'".to_string(),
        "SELECT * FROM 'file:///etc/passwd'".to_string(),
        format!("SELECT * FROM '{}'", lake_file.display()),
        format!(
            "SELECT * FROM 'file://{}/lake/enterprises/'",
            e.dir.path().display()
        ),
        "SELECT * FROM at_version('enterprises', 0)".to_string(),
        "SELECT * FROM at_time('enterprises', '2026-11-25T00:00:00Z')".to_string(),
    ] {
        let msg = refused(&ctx, &sql).await;
        assert!(!msg.contains("root:"), "{sql}: {msg}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statements_other_than_a_query_are_refused() {
    let e = env().await;
    let ctx = sandbox(&e, &[view(&e).await]).await;
    let out = e.dir.path().join("out.csv");
    for (sql, what) in [
        (
            format!("COPY (SELECT * FROM enterprises) TO '{}'", out.display()),
            "COPY",
        ),
        (
            "COPY enterprises TO '/tmp/x.parquet' STORED AS PARQUET".into(),
            "COPY",
        ),
        (
            "CREATE EXTERNAL TABLE x STORED AS CSV LOCATION '/etc/passwd'".into(),
            "CREATE EXTERNAL TABLE",
        ),
        (
            "CREATE VIEW v AS SELECT * FROM enterprises".into(),
            "CREATE VIEW",
        ),
        (
            "CREATE TABLE t AS SELECT * FROM enterprises".into(),
            "CREATE TABLE",
        ),
        ("DROP TABLE enterprises".into(), "DROP TABLE"),
        (
            "INSERT INTO enterprises (credit_code) VALUES ('x')".into(),
            "INSERT INTO",
        ),
        ("DELETE FROM enterprises".into(), "DELETE FROM"),
        ("SET datafusion.execution.batch_size = 1".into(), "SET"),
        ("EXPLAIN SELECT * FROM enterprises".into(), "EXPLAIN"),
        ("DESCRIBE enterprises".into(), "DESCRIBE"),
        ("SELECT 1; SELECT 2".into(), "2 statements"),
    ] {
        let msg = refused(&ctx, &sql).await;
        assert!(
            msg.contains(what) && (msg.contains("not allowed") || msg.contains("statements")),
            "{sql}: {msg}"
        );
    }
    // Inside a query, DDL/DML is still refused by the read-only options.
    refused(&ctx, "SELECT * INTO t2 FROM enterprises").await;
    assert!(!out.exists());
    // Nothing was created: the session still has only the view.
    let tables = ok(
        &ctx,
        "SELECT table_name FROM information_schema.tables WHERE table_schema <> 'information_schema'",
    )
    .await;
    assert_eq!(
        texts(&tables, "table_name"),
        vec![Some("enterprises".into())]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalog_lists_only_granted_views_and_columns() {
    let e = env().await;
    let ctx = sandbox(&e, &[view(&e).await]).await;
    assert_eq!(ctx.catalog_names(), vec!["datafusion".to_string()]);

    let shown = ok(&ctx, "SHOW TABLES").await;
    let names: BTreeSet<(String, String)> = texts(&shown, "table_schema")
        .into_iter()
        .zip(texts(&shown, "table_name"))
        .map(|(s, t)| (s.unwrap(), t.unwrap()))
        .filter(|(s, _)| s != "information_schema")
        .collect();
    assert_eq!(
        names,
        BTreeSet::from([("public".to_string(), "enterprises".to_string())])
    );

    let all = ok(&ctx, "SELECT * FROM information_schema.tables").await;
    let everything = format!("{:?}", texts(&all, "table_name"));
    assert!(!everything.contains("persons"), "{everything}");
    assert!(
        texts(&all, "table_schema")
            .iter()
            .all(|s| matches!(s.as_deref(), Some("public" | "information_schema"))),
        "{:?}",
        texts(&all, "table_schema")
    );

    let schemata = ok(&ctx, "SELECT schema_name FROM information_schema.schemata").await;
    let schemata: BTreeSet<String> = texts(&schemata, "schema_name")
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(schemata, BTreeSet::from(["public".to_string()]));

    let cols = ok(
        &ctx,
        "SELECT table_name, column_name FROM information_schema.columns \
         WHERE table_schema = 'public' ORDER BY ordinal_position",
    )
    .await;
    assert!(texts(&cols, "table_name")
        .iter()
        .all(|t| t.as_deref() == Some("enterprises")));
    let listed: Vec<String> = texts(&cols, "column_name").into_iter().flatten().collect();
    assert_eq!(listed, GRANTED.map(String::from).to_vec());

    let shown = ok(&ctx, "SHOW COLUMNS FROM enterprises").await;
    let listed: BTreeSet<String> = texts(&shown, "column_name").into_iter().flatten().collect();
    assert_eq!(listed, GRANTED.map(String::from).into_iter().collect());

    // Settings reveal no path of the lake.
    let settings = ok(&ctx, "SELECT * FROM information_schema.df_settings").await;
    let lake_path = e.dir.path().display().to_string();
    assert!(!format!("{:?}", texts(&settings, "value")).contains(&lake_path));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_granted_columns_exist() {
    let e = env().await;
    let ctx = sandbox(&e, &[view(&e).await]).await;
    let star = ok(&ctx, "SELECT * FROM enterprises").await;
    assert_eq!(columns(&star), GRANTED.map(String::from).to_vec());
    assert_eq!(rows(&star) as i64, granted_rows(&e).await);
    for sql in [
        "SELECT status FROM enterprises",
        "SELECT industry FROM enterprises",
        "SELECT enterprises.status FROM enterprises",
        "SELECT count(*) FROM enterprises WHERE status = '存续'",
        "SELECT credit_code FROM enterprises ORDER BY industry",
        "SELECT \"status\" FROM enterprises",
    ] {
        let msg = refused(&ctx, sql).await;
        assert!(
            msg.contains("status") || msg.contains("industry"),
            "{sql}: {msg}"
        );
    }
    // An aggregate with no column still counts the view's rows only.
    let n = ok(&ctx, "SELECT count(*) FROM enterprises").await;
    assert_eq!(int(&n), granted_rows(&e).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_row_filter_cannot_be_bypassed() {
    let e = env().await;
    let ctx = sandbox(&e, &[view(&e).await]).await;
    let granted = granted_rows(&e).await;
    let total = int(&raw(&e, "SELECT count(*) FROM enterprises").await);
    assert!(total > granted * 2, "{total} vs {granted}");

    for sql in [
        "SELECT count(*) FROM enterprises WHERE street = '布吉街道' OR 1 = 1",
        "SELECT count(*) FROM enterprises WHERE true OR street IS NULL",
        "SELECT count(*) FROM (SELECT * FROM enterprises) t",
        "SELECT count(*) FROM enterprises WHERE credit_code IN (SELECT credit_code FROM enterprises)",
        "SELECT count(*) FROM (SELECT credit_code FROM enterprises UNION SELECT credit_code FROM enterprises) u",
        "SELECT count(DISTINCT a.credit_code) FROM enterprises a JOIN enterprises b ON a.credit_code = b.credit_code OR true",
        "SELECT count(*) FROM datafusion.public.enterprises",
        "SELECT count(*) FROM public.enterprises",
        "WITH x AS (SELECT * FROM enterprises WHERE 1 = 1 OR street <> '') SELECT count(*) FROM x",
    ] {
        let n = int(&ok(&ctx, sql).await);
        assert!(n <= granted, "{sql}: {n} > {granted}");
    }
    let streets = ok(
        &ctx,
        "SELECT DISTINCT street FROM enterprises WHERE street = '布吉街道' OR 1=1",
    )
    .await;
    let streets: BTreeSet<String> = texts(&streets, "street").into_iter().flatten().collect();
    assert_eq!(streets, STREETS.map(String::from).into_iter().collect());
    let hidden = ok(
        &ctx,
        "SELECT count(*) FROM enterprises WHERE street = '布吉街道'",
    )
    .await;
    assert_eq!(int(&hidden), 0);

    for sql in [
        "SELECT * FROM persons",
        "SELECT * FROM enterprises e JOIN persons p ON e.street = p.street",
        "SELECT * FROM enterprises WHERE legal_rep IN (SELECT name FROM persons)",
        "SELECT * FROM masked.enterprises",
        "SELECT * FROM datafusion.masked.enterprises",
        "SELECT * FROM lake.public.enterprises",
        "SELECT * FROM datafusion.information_schema.enterprises",
    ] {
        let msg = refused(&ctx, sql).await;
        assert!(!msg.contains("秘密"), "{sql}: {msg}");
    }
    // The ungranted table is as absent as a table that never existed.
    let a = refused(&ctx, "SELECT * FROM persons").await;
    let b = refused(&ctx, "SELECT * FROM no_such_table").await;
    assert_eq!(a.replace("persons", "X"), b.replace("no_such_table", "X"));
}

/// A predicate that can fail must not run on rows the row filter hides, or its error
/// could quote them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_do_not_quote_hidden_rows() {
    let e = env().await;
    let ctx = sandbox(&e, &[view(&e).await]).await;
    let hidden = raw(
        &e,
        "SELECT credit_code, name, street FROM enterprises \
         WHERE street NOT IN ('平湖街道', '坂田街道') ORDER BY credit_code",
    )
    .await;
    let codes: Vec<String> = texts(&hidden, "credit_code")
        .into_iter()
        .flatten()
        .collect();
    let some = codes[..20]
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let hidden_values: HashSet<String> = texts(&hidden, "name")
        .into_iter()
        .chain(texts(&hidden, "street"))
        .flatten()
        .filter(|v| !v.is_empty())
        .collect();
    assert!(hidden_values.contains("布吉街道"));
    // These fail on the granted rows: the error quotes a granted value, never a hidden one.
    for sql in [
        "SELECT * FROM enterprises WHERE CAST(street AS BIGINT) = 1".to_string(),
        "SELECT * FROM enterprises WHERE CAST(name AS BIGINT) = 1".to_string(),
        "SELECT * FROM enterprises WHERE CAST(street || name AS INT) > 0 AND credit_code <> ''"
            .to_string(),
        "SELECT * FROM enterprises WHERE arrow_cast(name, 'Int64') = 1".to_string(),
        "SELECT * FROM enterprises e JOIN enterprises f ON CAST(e.street AS INT) = CAST(f.name AS INT)"
            .to_string(),
        format!("SELECT * FROM enterprises WHERE CAST(name AS BIGINT) = 1 OR credit_code IN ({some})"),
    ] {
        let msg = refused(&ctx, &sql).await;
        for v in &hidden_values {
            assert!(!msg.contains(v.as_str()), "{sql}: {msg} quotes {v}");
        }
    }
    // These select hidden rows only: the failing predicate never sees them, so the query
    // returns nothing instead of an error quoting them.
    for sql in [
        format!(
            "SELECT * FROM enterprises WHERE CAST(name AS BIGINT) = 1 AND credit_code IN ({some})"
        ),
        format!(
            "SELECT * FROM enterprises WHERE credit_code IN ({some}) AND CAST(name AS BIGINT) = 1"
        ),
        format!(
            "SELECT * FROM enterprises WHERE CAST(street AS BIGINT) = 1 AND credit_code = '{}'",
            codes[0]
        ),
        format!(
            "SELECT count(*) FROM enterprises WHERE credit_code IN ({some}) \
             AND arrow_cast(name, 'Int64') > 0"
        ),
    ] {
        let out = ok(&ctx, &sql).await;
        assert!(rows(&out) <= 1, "{sql}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pii_is_masked_and_no_function_unmasks_it() {
    let e = env().await;
    let v = view_with(&e, &GRANTED, &["phone"], street_filter()).await;
    let ctx = sandbox(&e, &[v]).await;
    let raw_rows = raw(
        &e,
        "SELECT credit_code, legal_rep, id_number, phone FROM enterprises \
         WHERE street IN ('平湖街道', '坂田街道') ORDER BY credit_code",
    )
    .await;
    let seen = ok(
        &ctx,
        "SELECT credit_code, legal_rep, id_number, phone FROM enterprises ORDER BY credit_code",
    )
    .await;
    assert_eq!(texts(&seen, "credit_code"), texts(&raw_rows, "credit_code"));
    let mask = |kind, v: &Option<String>| v.as_deref().map(|v| zhengshu_core::mask(kind, v));
    let raw_ids = texts(&raw_rows, "id_number");
    assert_eq!(
        texts(&seen, "id_number"),
        raw_ids
            .iter()
            .map(|v| mask(PiiKind::ResidentId, v))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        texts(&seen, "legal_rep"),
        texts(&raw_rows, "legal_rep")
            .iter()
            .map(|v| mask(PiiKind::Name, v))
            .collect::<Vec<_>>()
    );
    // `phone` is granted raw.
    assert_eq!(texts(&seen, "phone"), texts(&raw_rows, "phone"));
    let raw_set: HashSet<String> = raw_ids.iter().flatten().cloned().collect();
    let some_id = raw_ids.iter().flatten().next().unwrap().clone();

    for sql in [
        "SELECT substr(id_number, 7, 8) AS v FROM enterprises",
        "SELECT regexp_replace(id_number, '\\*', '0', 'g') AS v FROM enterprises",
        "SELECT CAST(id_number AS VARCHAR) AS v FROM enterprises",
        "SELECT arrow_cast(id_number, 'LargeUtf8') AS v FROM enterprises",
        "SELECT mask_pii('none', id_number) AS v FROM enterprises",
        "SELECT reverse(reverse(id_number)) AS v FROM enterprises",
        "SELECT id_number AS v FROM enterprises ORDER BY id_number",
        "SELECT max(id_number) AS v FROM enterprises",
    ] {
        let out = ok(&ctx, sql).await;
        for v in texts(&out, "v").into_iter().flatten() {
            assert!(!raw_set.contains(&v), "{sql} revealed {v}");
            assert!(
                !v.contains(&some_id[6..14]) || v.contains('*'),
                "{sql}: {v}"
            );
        }
    }
    // Probing a masked column compares against the masked text only.
    let probe = ok(
        &ctx,
        &format!("SELECT count(*) FROM enterprises WHERE id_number = '{some_id}'"),
    )
    .await;
    assert_eq!(int(&probe), 0);
    let probe = ok(
        &ctx,
        &format!(
            "SELECT count(*) FROM enterprises WHERE id_number LIKE '{}%'",
            &some_id[..14]
        ),
    )
    .await;
    assert_eq!(int(&probe), 0);
    let masked_id = zhengshu_core::mask(PiiKind::ResidentId, &some_id);
    let probe = ok(
        &ctx,
        &format!("SELECT count(*) FROM enterprises WHERE id_number = '{masked_id}'"),
    )
    .await;
    assert!(int(&probe) >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_filters_reach_the_delta_scan() {
    let e = env().await;
    let ctx = sandbox(&e, &[view(&e).await]).await;
    let code = texts(
        &ok(&ctx, "SELECT credit_code FROM enterprises LIMIT 1").await,
        "credit_code",
    )[0]
    .clone()
    .unwrap();
    // EXPLAIN is refused through `query::sql`; the plan is read straight from the session.
    let plan = ctx
        .sql(&format!(
            "EXPLAIN SELECT * FROM enterprises WHERE credit_code = '{code}'"
        ))
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    let physical = texts(&plan, "plan")
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n");
    // The key predicate and the row filter are both below the masking projection, in the scan.
    let scan = physical
        .lines()
        .find(|l| l.contains("DataSourceExec") && l.contains("predicate="))
        .unwrap_or_default();
    assert!(scan.contains(&code), "{physical}");
    assert!(scan.contains("street"), "{physical}");
    assert!(physical.contains("ViewBarrierExec"), "{physical}");
    // A predicate that can fail stays above the view, out of the scan.
    let plan = ctx
        .sql(&format!(
            "EXPLAIN SELECT * FROM enterprises WHERE CAST(name AS BIGINT) = 1 AND credit_code = '{code}'"
        ))
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    let physical = texts(&plan, "plan")
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n");
    let scan = physical
        .lines()
        .find(|l| l.contains("DataSourceExec") && l.contains("predicate="))
        .unwrap_or_default();
    assert!(scan.contains(&code), "{physical}");
    assert!(!scan.contains("CAST(name"), "{physical}");
    let got = ok(
        &ctx,
        &format!("SELECT credit_code FROM enterprises WHERE credit_code = '{code}'"),
    )
    .await;
    assert_eq!(texts(&got, "credit_code"), vec![Some(code)]);
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// Appends the CSV's rows to `enterprises`; the number written.
async fn append_enterprises(e: &Env, file: &str, csv: &str) -> u64 {
    let path = e.dir.path().join(file);
    std::fs::write(&path, csv).unwrap();
    let r = zhengshu_lake::ingest(
        &e.st,
        "enterprises",
        source(&path),
        zhengshu_lake::Options::default(),
    )
    .await
    .unwrap();
    assert_eq!(r.rows_quarantined, 0, "{r:?}");
    r.rows_written
}

/// Every page of a query, following the cursor; the credit codes in page order.
async fn all_pages(e: &Env, v: &View, list: &[(&str, &str)]) -> (Vec<String>, usize) {
    let (mut q, _) = RowsQuery::parse(&pairs(list)).unwrap();
    let mut codes = Vec::new();
    let mut pages = 0;
    let mut version = None;
    loop {
        let page = query::rows(&e.st, v, &q, limits()).await.unwrap();
        pages += 1;
        assert!(page.rows <= q.limit);
        assert_eq!(*version.get_or_insert(page.version), page.version);
        codes.extend(texts(&page.batches, "credit_code").into_iter().flatten());
        match page.next_cursor {
            Some(c) => q.cursor = Some(c),
            None => break,
        }
        assert!(pages < 1000);
    }
    (codes, pages)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_pages_cover_the_view_exactly_once() {
    let e = env().await;
    let v = view(&e).await;
    let expected: BTreeSet<String> = texts(
        &raw(
            &e,
            "SELECT credit_code FROM enterprises WHERE street IN ('平湖街道', '坂田街道')",
        )
        .await,
        "credit_code",
    )
    .into_iter()
    .flatten()
    .collect();
    assert!(expected.len() > 50);
    for list in [
        vec![("limit", "7")],
        vec![("limit", "13"), ("sort", "credit_code")],
        vec![("limit", "9"), ("sort", "-registered_capital")],
        vec![("limit", "11"), ("sort", "street,-established_on")],
        vec![("limit", "10"), ("sort", "legal_rep")],
        vec![("limit", "8"), ("sort", "-credit_code")],
    ] {
        let (codes, pages) = all_pages(&e, &v, &list).await;
        let unique: BTreeSet<String> = codes.iter().cloned().collect();
        assert_eq!(unique.len(), codes.len(), "{list:?}: a row came twice");
        assert_eq!(unique, expected, "{list:?}");
        assert!(pages > 5, "{list:?}");
    }
    // Default sort = key order.
    let (codes, _) = all_pages(&e, &v, &[("limit", "50")]).await;
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted);

    // Filters narrow within the grant, never beyond it.
    let (codes, _) = all_pages(
        &e,
        &v,
        &[
            ("limit", "5"),
            ("street", "eq.平湖街道"),
            ("registered_capital", "gte.100"),
        ],
    )
    .await;
    let want = texts(
        &raw(
            &e,
            "SELECT credit_code FROM enterprises WHERE street = '平湖街道' AND registered_capital >= 100",
        )
        .await,
        "credit_code",
    );
    assert_eq!(
        codes.iter().cloned().collect::<BTreeSet<_>>(),
        want.into_iter().flatten().collect::<BTreeSet<_>>()
    );
    let (codes, _) = all_pages(&e, &v, &[("street", "eq.布吉街道")]).await;
    assert!(codes.is_empty());
    let (codes, _) = all_pages(
        &e,
        &v,
        &[("street", "in.(布吉街道,平湖街道)"), ("limit", "1000")],
    )
    .await;
    let want = int(&raw(
        &e,
        "SELECT count(*) FROM enterprises WHERE street = '平湖街道'",
    )
    .await);
    assert_eq!(codes.len() as i64, want);
    let (codes, _) = all_pages(
        &e,
        &v,
        &[
            ("credit_code", "prefix.9144"),
            ("registered_capital", "gt.100"),
            ("registered_capital", "lt.500"),
            ("legal_rep", "prefix.王"),
        ],
    )
    .await;
    let want = int(&raw(
        &e,
        "SELECT count(*) FROM enterprises WHERE street IN ('平湖街道', '坂田街道') \
         AND registered_capital > 100 AND registered_capital < 500 AND legal_rep LIKE '王%'",
    )
    .await);
    assert_eq!(codes.len() as i64, want);
}

/// Rows sharing a key, in runs longer than a page: keyset paging still returns each row
/// once, in key order, and the same order every time (the key-only sort in DataFusion keeps
/// an arbitrary part of the run that ends a page; the run is read again and ordered).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_keyset_pages_split_runs_of_one_key() {
    let e = env().await;
    let v = view(&e).await;
    let mut csv = String::from("统一社会信用代码,企业名称,法定代表人,身份证号,联系电话,街道,所属行业,注册资本（万元）,成立日期,登记状态\n");
    let mut runs = Vec::new();
    for (r, n) in [(0u64, 23usize), (1, 9), (2, 1)] {
        let cc17 = format!("91440307{:09}", 980_000_000 + r);
        let cc = format!(
            "{cc17}{}",
            zhengshu_core::credit_code_check_char(&cc17).unwrap()
        );
        let id17 = "440307198001010011";
        let id = format!(
            "{}{}",
            &id17[..17],
            zhengshu_core::resident_id_check_char(&id17[..17]).unwrap()
        );
        for i in 0..n {
            // Names differ, the other items repeat: the name alone tells rows apart.
            csv.push_str(&format!(
                "{cc},同号企业{r}-{i:02},王五,{id},13800138000,平湖街道,制造业,{},2020年1月1日,存续\n",
                100 + (i * 7) % 5
            ));
        }
        runs.push((cc, n));
    }
    assert_eq!(append_enterprises(&e, "runs.csv", &csv).await, 33);
    let codes = runs
        .iter()
        .map(|(c, _)| c.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let filter = format!("in.({codes})");

    let names_of = |batches: &[RecordBatch]| -> Vec<String> {
        texts(batches, "name").into_iter().flatten().collect()
    };
    let mut orders = Vec::new();
    for limit in ["4", "5", "7", "23", "40"] {
        let (mut q, _) =
            RowsQuery::parse(&pairs(&[("limit", limit), ("credit_code", &filter)])).unwrap();
        let mut keys = Vec::new();
        let mut names = Vec::new();
        loop {
            let page = query::rows(&e.st, &v, &q, limits()).await.unwrap();
            keys.extend(texts(&page.batches, "credit_code").into_iter().flatten());
            names.extend(names_of(&page.batches));
            match page.next_cursor {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
            assert!(names.len() <= 33, "limit {limit}: paging does not end");
        }
        let unique: BTreeSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), 33, "limit {limit}: {names:?}");
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "limit {limit}: pages leave key order");
        for (cc, n) in &runs {
            assert_eq!(keys.iter().filter(|k| *k == cc).count(), *n);
        }
        orders.push(names);
    }
    // One order, whatever the page size.
    for o in &orders[1..] {
        assert_eq!(o, &orders[0]);
    }

    // `key=eq.X` reads without ordering by the key (every row has it): the same rows, in
    // the same order, on pages of any size.
    let (cc, n) = &runs[0];
    let want: Vec<String> = orders[0]
        .iter()
        .filter(|name| name.starts_with("同号企业0-"))
        .cloned()
        .collect();
    assert_eq!(want.len(), *n);
    for limit in ["1", "4", "22", "23", "24"] {
        let eq = format!("eq.{cc}");
        let (mut q, _) =
            RowsQuery::parse(&pairs(&[("limit", limit), ("credit_code", &eq)])).unwrap();
        let mut names = Vec::new();
        loop {
            let page = query::rows(&e.st, &v, &q, limits()).await.unwrap();
            names.extend(names_of(&page.batches));
            match page.next_cursor {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
            assert!(names.len() <= 33, "eq, limit {limit}: paging does not end");
        }
        assert_eq!(names, want, "eq, limit {limit}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_paging_stays_on_its_version() {
    let e = env().await;
    let v = view(&e).await;
    let before = granted_rows(&e).await;
    let (mut q, _) = RowsQuery::parse(&pairs(&[("limit", "20")])).unwrap();
    let first = query::rows(&e.st, &v, &q, limits()).await.unwrap();
    let mut codes: Vec<String> = texts(&first.batches, "credit_code")
        .into_iter()
        .flatten()
        .collect();

    // New rows in a granted street arrive between pages.
    let mut csv = String::from("统一社会信用代码,企业名称,法定代表人,身份证号,联系电话,街道,所属行业,注册资本（万元）,成立日期,登记状态\n");
    for i in 0..30 {
        let cc17 = format!("91440307{:09}", 990_000_000 + i);
        let cc = format!(
            "{cc17}{}",
            zhengshu_core::credit_code_check_char(&cc17).unwrap()
        );
        let id17 = format!("44030719800101{:03}", i);
        let id = format!(
            "{id17}{}",
            zhengshu_core::resident_id_check_char(&id17).unwrap()
        );
        csv.push_str(&format!(
            "{cc},新企业{i},王五,{id},1380013{:04},平湖街道,制造业,100,2020年1月1日,存续\n",
            i
        ));
    }
    assert_eq!(append_enterprises(&e, "more.csv", &csv).await, 30);
    assert_eq!(granted_rows(&e).await, before + 30);

    q.cursor = first.next_cursor.clone();
    while let Some(c) = q.cursor.take() {
        q.cursor = Some(c);
        let page = query::rows(&e.st, &v, &q, limits()).await.unwrap();
        assert_eq!(page.version, first.version);
        codes.extend(texts(&page.batches, "credit_code").into_iter().flatten());
        q.cursor = page.next_cursor;
    }
    assert_eq!(codes.len() as i64, before);
    assert!(!codes.iter().any(|c| c.starts_with("91440307990")));
    // A new paging sees the new version.
    q.cursor = None;
    let fresh = query::rows(&e.st, &v, &q, limits()).await.unwrap();
    assert!(fresh.version > first.version);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_refuses_bad_queries() {
    let e = env().await;
    let v = view(&e).await;
    let parse = |list: &[(&str, &str)]| RowsQuery::parse(&pairs(list));
    let err = parse(&[("limit", "10001")]).unwrap_err().to_string();
    assert!(err.contains("10000"), "{err}");
    assert!(parse(&[("limit", "0")]).is_err());
    assert!(parse(&[("limit", "ten")]).is_err());
    assert!(parse(&[("format", "xml")]).is_err());
    assert!(parse(&[("street", "like.平湖%")]).is_err());
    assert!(parse(&[("street", "平湖街道")]).is_err());
    assert!(parse(&[("a b", "eq.1")]).is_err());
    let (q, f) = parse(&[
        ("format", "csv"),
        ("street", "in.(\"a,b\",c)"),
        ("sort", "-street,name"),
    ])
    .unwrap();
    assert_eq!(f, Format::Csv);
    assert_eq!(
        q.filters[0].values,
        vec!["a,b".to_string(), "c".to_string()]
    );
    assert_eq!(
        q.sort,
        vec![("street".to_string(), true), ("name".to_string(), false)]
    );
    assert_eq!(q.limit, 100);

    let (er, vr) = (&e, &v);
    let rows = move |list: Vec<(&'static str, &'static str)>| async move {
        let (q, _) = RowsQuery::parse(&pairs(&list)).unwrap();
        query::rows(&er.st, vr, &q, limits()).await
    };
    for (list, needle) in [
        (vec![("status", "eq.存续")], "credit_code"),
        (vec![("fields", "credit_code,industry")], "credit_code"),
        (vec![("sort", "status")], "credit_code"),
        (vec![("registered_capital", "eq.abc")], "number"),
        (vec![("registered_capital", "prefix.1")], "text"),
        (vec![("cursor", "garbage")], "cursor"),
        (
            vec![("cursor", "eyJ0IjoiZW50ZXJwcmlzZXMifQ.AAAA")],
            "cursor",
        ),
    ] {
        let err = rows(list.clone()).await.unwrap_err();
        assert!(
            matches!(err, ExchangeError::Invalid { .. }),
            "{list:?}: {err}"
        );
        assert!(err.to_string().contains(needle), "{list:?}: {err}");
    }
    // A real cursor, altered in one character, or reused with another sort, is refused.
    let first = rows(vec![("limit", "5")]).await.unwrap();
    let cursor = first.next_cursor.unwrap();
    let mut chars: Vec<char> = cursor.chars().collect();
    chars[3] = if chars[3] == 'A' { 'B' } else { 'A' };
    let altered: String = chars.into_iter().collect();
    let (mut q, _) = RowsQuery::parse(&pairs(&[("limit", "5")])).unwrap();
    q.cursor = Some(altered);
    assert!(query::rows(&e.st, &v, &q, limits()).await.is_err());
    let (mut q, _) = RowsQuery::parse(&pairs(&[("limit", "5"), ("sort", "-credit_code")])).unwrap();
    q.cursor = Some(cursor.clone());
    let err = query::rows(&e.st, &v, &q, limits()).await.unwrap_err();
    assert!(err.to_string().contains("another query"), "{err}");
    let (mut q, _) = RowsQuery::parse(&pairs(&[("limit", "5")])).unwrap();
    q.cursor = Some(cursor);
    assert!(query::rows(&e.st, &v, &q, limits()).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_filters_on_masked_columns_see_the_mask() {
    let e = env().await;
    let v = view(&e).await;
    let raw_ids = texts(
        &raw(
            &e,
            "SELECT id_number FROM enterprises WHERE street = '平湖街道' ORDER BY credit_code LIMIT 1",
        )
        .await,
        "id_number",
    );
    let id = raw_ids[0].clone().unwrap();
    let (er, vr) = (&e, &v);
    let run = move |filter: String| async move {
        let (q, _) = RowsQuery::parse(&pairs(&[("id_number", filter.as_str())])).unwrap();
        query::rows(&er.st, vr, &q, limits()).await.unwrap()
    };
    assert_eq!(run(format!("eq.{id}")).await.rows, 0);
    assert_eq!(run(format!("prefix.{}", &id[..14])).await.rows, 0);
    assert_eq!(run(format!("in.({id})")).await.rows, 0);
    let masked = zhengshu_core::mask(PiiKind::ResidentId, &id);
    let page = run(format!("eq.{masked}")).await;
    assert!(page.rows >= 1);
    assert!(texts(&page.batches, "id_number")
        .iter()
        .all(|v| v.as_deref() == Some(masked.as_str())));
    // Sorting by a masked column orders by the masked text.
    let (q, _) =
        RowsQuery::parse(&pairs(&[("sort", "legal_rep"), ("fields", "legal_rep")])).unwrap();
    let page = query::rows(&e.st, &v, &q, limits()).await.unwrap();
    let names: Vec<String> = texts(&page.batches, "legal_rep")
        .into_iter()
        .flatten()
        .collect();
    assert!(names.iter().all(|n| n.contains('*')), "{names:?}");
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_encode_as_json_csv_and_arrow() {
    let e = env().await;
    let v = view(&e).await;
    let (q, _) = RowsQuery::parse(&pairs(&[
        ("limit", "3"),
        (
            "fields",
            "credit_code,registered_capital,established_on,legal_rep",
        ),
    ]))
    .unwrap();
    let page = query::rows(&e.st, &v, &q, limits()).await.unwrap();
    let cursor = page.next_cursor.clone().unwrap();

    let (ct, body) = query::encode(&page.batches, Format::Json, Some(&cursor)).unwrap();
    assert_eq!(ct, "application/json");
    let j: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(j["count"], 3);
    assert_eq!(j["next_cursor"], cursor.as_str());
    let first = &j["rows"][0];
    assert!(first["credit_code"].is_string(), "{first}");
    assert!(first["registered_capital"].is_number(), "{first}");
    assert!(first["established_on"].is_string(), "{first}");
    assert!(first["legal_rep"].as_str().unwrap().contains('*'));
    assert_eq!(first.as_object().unwrap().len(), 4);

    let (ct, body) = query::encode(&page.batches, Format::Csv, None).unwrap();
    assert!(ct.starts_with("text/csv"));
    let text = String::from_utf8(body).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("credit_code,registered_capital,established_on,legal_rep")
    );
    assert_eq!(lines.count(), 3);

    let (ct, body) = query::encode(&page.batches, Format::Arrow, None).unwrap();
    assert_eq!(ct, "application/vnd.apache.arrow.stream");
    let reader =
        zhengshu_lake::deltalake::arrow::ipc::reader::StreamReader::try_new(&body[..], None)
            .unwrap();
    let back: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
    assert_eq!(rows(&back), 3);
    assert_eq!(
        texts(&back, "credit_code"),
        texts(&page.batches, "credit_code")
    );

    // An empty page still names its columns; JSON nulls are explicit.
    let (q, _) = RowsQuery::parse(&pairs(&[
        ("street", "eq.布吉街道"),
        ("fields", "credit_code,street"),
    ]))
    .unwrap();
    let empty = query::rows(&e.st, &v, &q, limits()).await.unwrap();
    assert_eq!(empty.rows, 0);
    assert!(empty.next_cursor.is_none());
    let (_, body) = query::encode(&empty.batches, Format::Csv, None).unwrap();
    assert_eq!(
        String::from_utf8(body).unwrap().trim(),
        "credit_code,street"
    );
    let (_, body) = query::encode(&empty.batches, Format::Json, None).unwrap();
    let j: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        j,
        serde_json::json!({"rows": [], "next_cursor": null, "count": 0})
    );
    let nulls = ok(
        &sandbox(&e, std::slice::from_ref(&v)).await,
        "SELECT credit_code, NULL AS nothing FROM enterprises LIMIT 1",
    )
    .await;
    let (_, body) = query::encode(&nulls, Format::Json, None).unwrap();
    let j: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(j["rows"][0]["nothing"].is_null());
    assert!(j["rows"][0].as_object().unwrap().contains_key("nothing"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_stops_at_max_rows_and_checks_grants() {
    let e = env().await;
    let ctx = sandbox(&e, &[view(&e).await]).await;
    let (b, truncated) = query::sql(
        &ctx,
        "SELECT * FROM enterprises",
        QueryLimits {
            max_rows: 10,
            ..limits()
        },
    )
    .await
    .unwrap();
    assert_eq!(rows(&b), 10);
    assert!(truncated);
    let (b, truncated) = query::sql(&ctx, "SELECT count(*) FROM enterprises", limits())
        .await
        .unwrap();
    assert_eq!(rows(&b), 1);
    assert!(!truncated);

    // A row filter on a column the table does not have is refused when the view is built.
    let bad = view_with(
        &e,
        &GRANTED,
        &[],
        vec![Condition {
            column: "nope".into(),
            op: Op::Eq,
            values: vec!["x".into()],
        }],
    )
    .await;
    let err = query::session(&e.st, &[bad], limits()).await.err().unwrap();
    assert!(matches!(err, ExchangeError::Invalid { .. }), "{err}");
    let bad = view_with(
        &e,
        &GRANTED,
        &[],
        vec![Condition {
            column: "registered_capital".into(),
            op: Op::Range,
            values: vec!["ten".into(), "".into()],
        }],
    )
    .await;
    let err = query::session(&e.st, &[bad], limits()).await.err().unwrap();
    assert!(matches!(err, ExchangeError::Invalid { .. }), "{err}");
    // Ranges with an open end and dates typed as dates.
    let ranged = view_with(
        &e,
        &GRANTED,
        &[],
        vec![
            Condition {
                column: "registered_capital".into(),
                op: Op::Range,
                values: vec!["100".into(), "".into()],
            },
            Condition {
                column: "name".into(),
                op: Op::Prefix,
                values: vec!["深圳市王".into()],
            },
        ],
    )
    .await;
    let ctx = sandbox(&e, &[ranged]).await;
    let n = int(&ok(&ctx, "SELECT count(*) FROM enterprises").await);
    let want = int(&raw(
        &e,
        "SELECT count(*) FROM enterprises WHERE registered_capital >= 100 AND name LIKE '深圳市王%'",
    )
    .await);
    assert_eq!(n, want);
    assert!(n > 0);
}

async fn persons_view(e: &Env, filter: Vec<Condition>) -> View {
    let t = zhengshu_lake::target(&e.st, "persons").await.unwrap();
    let mut v = view_with(e, &[], &[], filter).await;
    v.table = "persons".into();
    v.key = t.key.clone();
    v.grant.resource_id = t.resource.id;
    v.grant.columns = t.resource.items.iter().map(|i| i.name.clone()).collect();
    v.items = t.resource.items;
    v
}

/// Dates and integers are typed in row filters, REST filters and JSON; a table whose key
/// is masked pages by offset in an order of what the caller sees.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dates_and_integers_are_typed_and_a_masked_key_stays_hidden() {
    let e = env().await;
    let t = zhengshu_lake::target(&e.st, "persons").await.unwrap();
    let types: Vec<(&str, &str, PiiKind)> = t
        .resource
        .items
        .iter()
        .map(|i| (i.name.as_str(), i.data_type.as_str(), i.pii_kind))
        .collect();
    assert!(
        types.contains(&("birth_date", "date", PiiKind::None)),
        "{types:?}"
    );
    assert!(
        types.contains(&("age", "integer", PiiKind::None)),
        "{types:?}"
    );
    assert!(
        types.contains(&("id_number", "string", PiiKind::ResidentId)),
        "{types:?}"
    );
    assert_eq!(t.key, "id_number");

    let range = |column: &str, low: &str, high: &str| Condition {
        column: column.into(),
        op: Op::Range,
        values: vec![low.into(), high.into()],
    };
    let v = persons_view(
        &e,
        vec![
            range("birth_date", "1970-01-01", "1979-12-31"),
            range("age", "", "54"),
        ],
    )
    .await;
    let ctx = sandbox(&e, std::slice::from_ref(&v)).await;
    let want = int(&raw(
        &e,
        "SELECT count(*) FROM persons WHERE birth_date BETWEEN DATE '1970-01-01' AND DATE '1979-12-31' \
         AND age <= 54",
    )
    .await);
    assert!(want > 0);
    assert_eq!(int(&ok(&ctx, "SELECT count(*) FROM persons").await), want);
    // Only persons is granted here: enterprises is not there.
    refused(&ctx, "SELECT * FROM enterprises").await;

    let bad = persons_view(&e, vec![range("birth_date", "1970/01/01", "")]).await;
    let err = query::session(&e.st, &[bad], limits()).await.err().unwrap();
    assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");

    // REST: typed filters, paging by offset over masked keys covers every row once.
    let v = persons_view(&e, vec![]).await;
    let list = [
        ("birth_date", "gte.1965-01-01"),
        ("age", "gt.40"),
        ("limit", "4"),
    ];
    let (mut q, _) = RowsQuery::parse(&pairs(&list)).unwrap();
    let mut seen = Vec::new();
    loop {
        let page = query::rows(&e.st, &v, &q, limits()).await.unwrap();
        let ids = texts(&page.batches, "id_number");
        let dates = texts(&page.batches, "birth_date");
        seen.extend(
            ids.into_iter()
                .zip(dates)
                .map(|(i, d)| (i.unwrap(), d.unwrap())),
        );
        let Some(c) = page.next_cursor else { break };
        // The cursor carries no key value.
        let body = c.split('.').next().unwrap();
        use base64::Engine as _;
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(body)
            .unwrap();
        let json = String::from_utf8(json).unwrap();
        assert!(!json.contains("440307"), "{json}");
        q.cursor = Some(c);
    }
    let raw_rows = raw(
        &e,
        "SELECT id_number, birth_date FROM persons WHERE birth_date >= DATE '1965-01-01' AND age > 40",
    )
    .await;
    let mut want: Vec<(String, String)> = texts(&raw_rows, "id_number")
        .into_iter()
        .zip(texts(&raw_rows, "birth_date"))
        .map(|(i, d)| {
            (
                zhengshu_core::mask(PiiKind::ResidentId, &i.unwrap()),
                d.unwrap(),
            )
        })
        .collect();
    want.sort();
    let mut got = seen.clone();
    got.sort();
    assert!(!want.is_empty());
    assert_eq!(got, want);

    for (list, needle) in [
        ([("birth_date", "eq.1980/01/01")], "YYYY-MM-DD"),
        ([("age", "eq.forty")], "integer"),
        ([("age", "prefix.4")], "text"),
    ] {
        let (q, _) = RowsQuery::parse(&pairs(&list)).unwrap();
        let err = query::rows(&e.st, &v, &q, limits()).await.unwrap_err();
        assert!(err.to_string().contains(needle), "{list:?}: {err}");
    }

    let (q, _) =
        RowsQuery::parse(&pairs(&[("fields", "birth_date,age,name"), ("limit", "1")])).unwrap();
    let page = query::rows(&e.st, &v, &q, limits()).await.unwrap();
    let (_, body) =
        query::encode(&page.batches, Format::Json, page.next_cursor.as_deref()).unwrap();
    let j: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let row = &j["rows"][0];
    let date = row["birth_date"].as_str().unwrap();
    assert!(
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
        "{row}"
    );
    assert!(row["age"].is_i64(), "{row}");
    assert!(row["name"].as_str().unwrap().contains('*'), "{row}");
    assert!(j["next_cursor"].is_string());
}
