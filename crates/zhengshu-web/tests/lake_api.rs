//! The lake's HTTP API through the real app: pushing rows with a token (idempotent batch
//! ids, the owning unit only), bad bodies, rules, jobs and quarantine, SQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;
use zhengshu_auth::Role;
use zhengshu_web::testing::TestApp;

const CSV: &str = "统一社会信用代码,企业名称,成立日期,注册资本\n\
91440307000000001N,甲公司,2024年5月6日,\"1,200\"\n\
91440307000000002R,乙公司,20240507,35.5\n";

async fn setup() -> (TestApp, String, String, String) {
    let app = TestApp::new().await;
    let (_, admin) = app
        .user_with_token("admin", &[Role::PlatformAdmin], None)
        .await;
    let mut units = Vec::new();
    for name in ["龙岗区市场监督管理局", "龙岗区教育局"] {
        let r = app
            .call(
                "POST",
                "/api/v1/units",
                Some(&admin),
                Some(json!({"name": name, "level": "district"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        units.push(r.json()["id"].as_i64().unwrap());
    }
    let (_, officer) = app
        .user_with_token("officer", &[Role::DataOfficer], Some(units[0]))
        .await;
    let (_, other) = app
        .user_with_token("other", &[Role::DataOfficer], Some(units[1]))
        .await;
    // The owning unit's officer creates the resource from a sample through the library.
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("s.csv");
    std::fs::write(&sample, CSV).unwrap();
    let src = zhengshu_lake::read::open_file(&sample, None, Default::default()).unwrap();
    let (items, _, _) = zhengshu_lake::propose(src).unwrap();
    zhengshu_lake::create_from_sample(
        &app.state.lake,
        &zhengshu_catalog::Actor::system(),
        &zhengshu_lake::NewFromSample {
            unit_id: units[0],
            name: "企业登记".into(),
            table: "ent".into(),
            key: "credit_code".into(),
            items,
            update_cycle: String::new(),
            file_name: "s.csv".into(),
        },
    )
    .await
    .unwrap();
    (app, admin, officer, other)
}

async fn push(
    app: &TestApp,
    token: &str,
    query: &str,
    ct: &str,
    body: &str,
) -> zhengshu_web::testing::TestResponse {
    let req = Request::builder()
        .method("POST")
        .uri(format!("/api/v1/lake/tables/ent/rows{query}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(req).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_rows_once_per_batch_id_by_the_owning_unit_only() {
    let (app, admin, officer, other) = setup().await;
    let r = push(&app, &officer, "?batch_id=b1", "text/csv", CSV).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let rep = r.json();
    assert_eq!(
        (rep["rows_written"].as_u64(), rep["status"].as_str()),
        (Some(2), Some("succeeded"))
    );
    let again = push(&app, &officer, "?batch_id=b1", "text/csv", CSV)
        .await
        .json();
    assert_eq!(again["already_applied"], true);
    // JSON rows with the data item names.
    let rows = json!([{"credit_code": "91440307000000003W", "name": "丙公司", "established_on": "2024/5/8", "registered_capital": "１２"}]);
    let r = push(
        &app,
        &officer,
        "?batch_id=b2",
        "application/json",
        &rows.to_string(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Another unit's officer may not load into this table.
    let r = push(&app, &other, "", "text/csv", CSV).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    // Bad bodies: a type we do not read, an empty body, an unknown mode.
    let r = push(&app, &officer, "", "application/pdf", "%PDF").await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.text);
    let r = push(&app, &officer, "", "text/csv", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = push(&app, &officer, "?mode=replace", "text/csv", CSV).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("append, overwrite or upsert"), "{}", r.text);

    // SQL for platform staff: three rows, typed.
    let r = app
        .call(
            "POST",
            "/api/v1/lake/sql",
            Some(&admin),
            Some(json!({"sql": "SELECT count(*), sum(registered_capital) FROM ent"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["rows"][0], json!(["3", "1247.5"]));
    let r = app
        .call(
            "POST",
            "/api/v1/lake/sql",
            Some(&admin),
            Some(json!({"sql": "DROP TABLE ent"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let r = app
        .call(
            "POST",
            "/api/v1/lake/sql",
            Some(&officer),
            Some(json!({"sql": "SELECT 1"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_quarantine_and_the_job_report() {
    let (app, _admin, officer, _) = setup().await;
    let r = app
        .call(
            "POST",
            "/api/v1/lake/tables/ent/rules",
            Some(&officer),
            Some(json!({"column": "credit_code", "kind": "credit_code"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = app
        .call(
            "POST",
            "/api/v1/lake/tables/ent/rules",
            Some(&officer),
            Some(json!({"column": "nope", "kind": "not_null"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("not a data item"), "{}", r.text);
    let body = format!("{CSV}91440307000000001X,坏公司,2024-01-01,1\n");
    let r = push(&app, &officer, "", "text/csv", &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let job = r.json()["job_id"].as_i64().unwrap();
    assert_eq!(r.json()["rows_quarantined"], 1);
    let j = app
        .call(
            "GET",
            &format!("/api/v1/lake/jobs/{job}"),
            Some(&officer),
            None,
        )
        .await
        .json();
    assert_eq!(j["status"], "succeeded");
    let q = app
        .call(
            "GET",
            &format!("/api/v1/lake/jobs/{job}/quarantine.csv"),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(q.status, StatusCode::OK);
    assert!(q.text.contains("坏公司"), "{}", q.text);
    assert!(q.text.contains(",4,"), "line 4 of the body: {}", q.text);
    let list = app
        .call("GET", "/api/v1/lake/tables", Some(&officer), None)
        .await
        .json();
    assert_eq!(list[0]["stats"]["rows"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn standardisation_set_on_the_table_page_applies_to_the_next_batch() {
    let (app, admin, officer, _) = setup().await;
    let (cookie, csrf) = app
        .browser_login("officer", zhengshu_web::testing::TEST_PASSWORD)
        .await;
    let body = format!("_csrf={csrf}&key_column=credit_code&t_name_trim=1&t_name_half_width=1");
    let req = Request::post("/console/lake/ent/settings")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .body(Body::from(body))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("settings saved"));
    let c = zhengshu_lake::store::table(app.db(), "ent")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.transforms["name"].len(), 2);
    // Full-width letters and padding in the name are standardised on load.
    let csv = "统一社会信用代码,企业名称,成立日期,注册资本\n91440307000000003W,  ＡＢＣ公司 ,2024-01-01,1\n";
    let r = push(&app, &officer, "", "text/csv", csv).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app
        .call(
            "POST",
            "/api/v1/lake/sql",
            Some(&admin),
            Some(json!({"sql": "SELECT name FROM ent"})),
        )
        .await;
    assert_eq!(r.json()["rows"][0][0], "ABC公司");
}
