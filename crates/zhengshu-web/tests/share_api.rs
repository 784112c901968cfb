//! The share API and its management through the real app (issue 5, "Security tests"):
//! every share endpoint against every grant state (none, pending, granted, expired,
//! revoked) and every user role, every management endpoint against every role, the
//! sharing types and decisions, escalation of overdue requests, masked and filtered data
//! in JSON, CSV and Arrow, rate limits and the audit trail.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};
use tower::ServiceExt;
use zhengshu_auth::{Permission, Role};
use zhengshu_catalog::{Actor, NewDataItem, NewResource, Status};
use zhengshu_core::clock::Clock;
use zhengshu_web::testing::{TestApp, TestResponse};

const BANTIAN: &str = "坂田街道";

/// The columns most grants in these tests ask for.
const COLUMNS: [&str; 5] = ["credit_code", "name", "legal_rep", "id_number", "street"];

/// Provider unit U1 (owns `enterprises`), scenario unit U2, an unrelated unit U3.
struct World {
    app: TestApp,
    /// Platform admin (no unit).
    admin: String,
    u1: i64,
    u2: i64,
    u3: i64,
    /// Reviewer of U1, the provider.
    reviewer: String,
    /// Scenario developer of U2.
    dev: String,
    /// The catalog resource of `enterprises`.
    resource_id: i64,
}

async fn world(rows: usize) -> World {
    let app = TestApp::new().await;
    let (_, admin) = app
        .user_with_token("admin", &[Role::PlatformAdmin], None)
        .await;
    let mut units = Vec::new();
    for name in [
        "龙岗区市场监督管理局",
        "龙岗区政务服务数据管理局",
        "龙岗区教育局",
    ] {
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
    let (u1, u2, u3) = (units[0], units[1], units[2]);
    zhengshu_lake::seed_demo(&app.state.lake, u1, rows)
        .await
        .unwrap()
        .expect("enterprises created");
    let table = zhengshu_lake::store::table(&app.state.lake.db, "enterprises")
        .await
        .unwrap()
        .expect("enterprises connected");
    let resource_id = table.resource_id;
    // Requests need a published resource: seed_demo registers a draft.
    let sys = Actor::system();
    let r = zhengshu_catalog::service::get(&app.state.catalog, Some(&sys), resource_id)
        .await
        .unwrap();
    if r.status != Status::Published {
        zhengshu_catalog::service::submit(&app.state.catalog, &sys, resource_id)
            .await
            .unwrap();
        zhengshu_catalog::service::approve(&app.state.catalog, &sys, resource_id, "同意发布")
            .await
            .unwrap();
    }
    let r = zhengshu_catalog::service::get(&app.state.catalog, Some(&sys), resource_id)
        .await
        .unwrap();
    assert_eq!(r.status, Status::Published);
    assert_eq!(
        r.sharing_type.as_str(),
        "conditional",
        "seed_demo registers 有条件共享"
    );
    let (_, reviewer) = app
        .user_with_token("reviewer1", &[Role::Reviewer], Some(u1))
        .await;
    let (_, dev) = app
        .user_with_token("dev2", &[Role::ScenarioDeveloper], Some(u2))
        .await;
    World {
        app,
        admin,
        u1,
        u2,
        u3,
        reviewer,
        dev,
        resource_id,
    }
}

fn scenario_body(name: &str) -> Value {
    json!({
        "name": name,
        "purpose": "社区网格化管理，核对辖区企业与人员信息",
        "legal_basis": "《广东省政务数据资源共享管理办法（试行）》第十三条",
        "contact_name": "王工",
        "contact_phone": "0755-28950000",
        "systems": "网格管理系统",
    })
}

/// Registers a scenario of the caller's unit; returns its id.
async fn register(app: &TestApp, token: &str, name: &str) -> i64 {
    let r = app
        .call(
            "POST",
            "/api/v1/share/scenarios",
            Some(token),
            Some(scenario_body(name)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "register {name}: {}", r.text);
    r.json()["id"].as_i64().unwrap()
}

/// A request body for `enterprises`.
fn ask(columns: &[&str], street: Option<&str>) -> Value {
    let filter = match street {
        Some(s) => json!([{"column": "street", "op": "in", "values": [s]}]),
        None => json!([]),
    };
    json!({
        "resource": "enterprises",
        "columns": columns,
        "row_filter": filter,
        "purpose": "核对辖区企业登记信息",
    })
}

async fn request(app: &TestApp, token: &str, scenario: i64, body: Value) -> TestResponse {
    app.call(
        "POST",
        &format!("/api/v1/share/scenarios/{scenario}/requests"),
        Some(token),
        Some(body),
    )
    .await
}

/// Makes a request that must be created; returns the request JSON.
async fn request_ok(app: &TestApp, token: &str, scenario: i64, body: Value) -> Value {
    let r = request(app, token, scenario, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "request: {}", r.text);
    r.json()
}

async fn decide(app: &TestApp, token: &str, request_id: i64, body: Value) -> TestResponse {
    app.call(
        "POST",
        &format!("/api/v1/share/requests/{request_id}/decision"),
        Some(token),
        Some(body),
    )
    .await
}

/// Requests and has the provider's reviewer approve; returns the grant id.
async fn granted(w: &World, scenario: i64, body: Value) -> i64 {
    let req = request_ok(&w.app, &w.dev, scenario, body).await;
    assert_eq!(req["status"], "pending", "{req}");
    let id = req["id"].as_i64().unwrap();
    let r = decide(&w.app, &w.reviewer, id, json!({"action": "approve"})).await;
    assert_eq!(r.status, StatusCode::OK, "approve: {}", r.text);
    assert_eq!(r.json()["status"], "approved", "{}", r.text);
    r.json()["grant_id"].as_i64().expect("grant id")
}

/// Issues a scenario token; returns (id, secret).
async fn issue_token(app: &TestApp, token: &str, scenario: i64, body: Value) -> (i64, String) {
    let r = app
        .call(
            "POST",
            &format!("/api/v1/share/scenarios/{scenario}/tokens"),
            Some(token),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "token: {}", r.text);
    let j = r.json();
    let secret = j["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("zsx_"), "{secret}");
    (j["id"].as_i64().unwrap(), secret)
}

async fn grant_json(app: &TestApp, admin: &str, grant_id: i64) -> Value {
    let r = app
        .call("GET", "/api/v1/share/grants", Some(admin), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"].as_i64() == Some(grant_id))
        .cloned()
        .unwrap_or_else(|| panic!("grant {grant_id} not listed: {}", r.text))
}

async fn request_json(app: &TestApp, token: &str, id: i64) -> Value {
    let r = app
        .call(
            "GET",
            &format!("/api/v1/share/requests/{id}"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()
}

/// Percent-encodes a query-string value.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A share API request with extra headers; returns status, headers and raw body bytes.
async fn share_raw(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut b = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let req = match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string())),
        None => b.body(Body::empty()),
    }
    .unwrap();
    // The test app's own `send` reads the body as text; Arrow needs the bytes.
    let resp = zhengshu_web::app(app.state.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    (status, headers, bytes)
}

/// A share API request with extra headers, as text.
async fn share(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> TestResponse {
    let (status, headers, bytes) = share_raw(app, method, path, token, body, headers).await;
    TestResponse {
        status,
        headers,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn tables(app: &TestApp, token: &str) -> TestResponse {
    share(app, "GET", "/api/v1/share/tables", Some(token), None, &[]).await
}

async fn rows(app: &TestApp, token: &str, query: &str) -> TestResponse {
    share(
        app,
        "GET",
        &format!("/api/v1/share/enterprises/rows{query}"),
        Some(token),
        None,
        &[],
    )
    .await
}

async fn sql(app: &TestApp, token: &str, q: &str) -> TestResponse {
    share(
        app,
        "POST",
        "/api/v1/share/sql",
        Some(token),
        Some(json!({ "sql": q })),
        &[],
    )
    .await
}

/// Runs SQL on the staff session over the whole lake (what the provider sees).
async fn direct(app: &TestApp, q: &str) -> Vec<Vec<Option<String>>> {
    zhengshu_lake::sql::query(
        &app.state.lake,
        q,
        zhengshu_lake::sql::QueryLimits::default(),
    )
    .await
    .unwrap()
    .rows
}

async fn direct_count(app: &TestApp, q: &str) -> i64 {
    direct(app, q).await[0][0]
        .as_deref()
        .unwrap()
        .parse()
        .unwrap()
}

fn message(r: &TestResponse) -> String {
    r.json()
        .pointer("/error/message")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The single number of `SELECT count(*) AS n …`.
fn count_of(r: &TestResponse) -> i64 {
    let j = r.json();
    assert_eq!(j["rows"].as_array().map(Vec::len), Some(1), "{}", r.text);
    j["rows"][0]["n"]
        .as_i64()
        .unwrap_or_else(|| panic!("{}", r.text))
}

const COUNT_SQL: &str = "SELECT count(*) AS n FROM enterprises";

// ---------------------------------------------------------------------------------------
// 1. Every share endpoint × grant state, bad tokens and user tokens of every role
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn share_endpoints_by_grant_state() {
    let w = world(400).await;
    let app = &w.app;
    let cols = ["credit_code", "name", "street", "industry"];
    let expected = direct_count(
        app,
        &format!("SELECT count(*) FROM enterprises WHERE street = '{BANTIAN}'"),
    )
    .await;
    assert!(expected > 10, "too few rows in {BANTIAN}: {expected}");

    // One scenario per grant state, each with its own token.
    let states = ["none", "pending", "granted", "expired", "revoked"];
    let mut scenario = BTreeMap::new();
    let mut token = BTreeMap::new();
    for s in states {
        let id = register(app, &w.dev, &format!("场景-{s}")).await;
        let (_, t) = issue_token(
            app,
            &w.dev,
            id,
            json!({"name": "系统", "rate_per_minute": 10000}),
        )
        .await;
        scenario.insert(s, id);
        token.insert(s, t);
    }
    let pending = request_ok(app, &w.dev, scenario["pending"], ask(&cols, Some(BANTIAN))).await;
    assert_eq!(pending["status"], "pending", "{pending}");
    assert!(pending["grant_id"].is_null(), "{pending}");
    let mut grant = BTreeMap::new();
    for s in ["granted", "expired", "revoked"] {
        let mut body = ask(&cols, Some(BANTIAN));
        if s == "expired" {
            // The last day of use is today: tomorrow the grant has expired.
            body["valid_until"] = json!(app.clock.today().format("%Y-%m-%d").to_string());
        }
        grant.insert(s, granted(&w, scenario[s], body).await);
    }
    // While granted, all three read.
    for s in ["granted", "expired", "revoked"] {
        let r = rows(app, &token[s], "?limit=1000").await;
        assert_eq!(r.status, StatusCode::OK, "{s}: {}", r.text);
        assert_eq!(r.json()["count"].as_i64(), Some(expected), "{s}");
    }
    // Revoke one (the provider's reviewer), let another run out.
    let r = app
        .call(
            "POST",
            &format!("/api/v1/share/grants/{}/revoke", grant["revoked"]),
            Some(&w.reviewer),
            Some(json!({"reason": "场景已停止使用"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["state"], "revoked", "{}", r.text);

    // Tokens that will be revoked or expire; checked below.
    let (revoked_token_id, revoked_token) = issue_token(
        app,
        &w.dev,
        scenario["granted"],
        json!({"name": "将吊销", "rate_per_minute": 10000}),
    )
    .await;
    let (_, expiring_token) = issue_token(
        app,
        &w.dev,
        scenario["granted"],
        json!({"name": "一天有效", "rate_per_minute": 10000, "expires_in_days": 1}),
    )
    .await;
    assert_eq!(tables(app, &expiring_token).await.status, StatusCode::OK);
    assert_eq!(tables(app, &revoked_token).await.status, StatusCode::OK);
    let r = app
        .call(
            "POST",
            &format!("/api/v1/share/tokens/{revoked_token_id}/revoke"),
            Some(&w.dev),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);

    app.clock.advance(Duration::hours(25));
    assert_eq!(
        grant_json(app, &w.admin, grant["expired"]).await["state"],
        "expired"
    );
    assert_eq!(
        grant_json(app, &w.admin, grant["granted"]).await["state"],
        "active"
    );

    for s in states {
        let t = &token[s];
        // GET /api/v1/share/tables
        let r = tables(app, t).await;
        assert_eq!(r.status, StatusCode::OK, "tables {s}: {}", r.text);
        let listed = r.json().as_array().cloned().unwrap();
        // GET /api/v1/share/enterprises/rows
        let rr = rows(app, t, "?limit=1000").await;
        // POST /api/v1/share/sql
        let sr = sql(app, t, COUNT_SQL).await;
        if s == "granted" {
            assert_eq!(listed.len(), 1, "{}", r.text);
            assert_eq!(listed[0]["table"], "enterprises");
            assert_eq!(listed[0]["grant_id"].as_i64(), Some(grant[s]));
            let names: Vec<&str> = listed[0]["columns"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap())
                .collect();
            assert_eq!(
                names.iter().copied().collect::<BTreeSet<_>>(),
                cols.iter().copied().collect::<BTreeSet<_>>(),
                "{}",
                r.text
            );
            assert_eq!(rr.status, StatusCode::OK, "rows {s}: {}", rr.text);
            let j = rr.json();
            assert_eq!(j["count"].as_i64(), Some(expected), "{}", rr.text);
            let data = j["rows"].as_array().unwrap();
            assert_eq!(data.len() as i64, expected);
            assert!(
                data.iter().all(|row| row["street"] == BANTIAN),
                "{}",
                rr.text
            );
            assert_eq!(sr.status, StatusCode::OK, "sql {s}: {}", sr.text);
            // The row filter applies inside SQL too.
            assert_eq!(count_of(&sr), expected, "{}", sr.text);
        } else {
            assert!(listed.is_empty(), "tables {s} lists {}", r.text);
            assert_eq!(rr.status, StatusCode::FORBIDDEN, "rows {s}: {}", rr.text);
            assert_eq!(rr.error_code().as_deref(), Some("forbidden"), "{}", rr.text);
            let why = message(&rr);
            match s {
                "expired" => assert!(why.contains("expired"), "{s}: {why}"),
                "revoked" => assert!(why.contains("revoked"), "{s}: {why}"),
                _ => assert!(why.contains("no grant"), "{s}: {why}"),
            }
            assert_eq!(sr.status, StatusCode::FORBIDDEN, "sql {s}: {}", sr.text);
            assert!(
                sr.json().get("rows").is_none(),
                "sql {s} answered: {}",
                sr.text
            );
        }
    }

    // Bad credentials on every share endpoint.
    let endpoints: [(&str, &str, Option<Value>); 3] = [
        ("GET", "/api/v1/share/tables", None),
        ("GET", "/api/v1/share/enterprises/rows", None),
        ("POST", "/api/v1/share/sql", Some(json!({"sql": COUNT_SQL}))),
    ];
    let mut users = Vec::new();
    for role in Role::ALL {
        let unit = if role == Role::PlatformAdmin {
            None
        } else {
            Some(w.u2)
        };
        let (_, t) = app
            .user_with_token(&format!("user_{}", role.as_str()), &[role], unit)
            .await;
        users.push((role, t));
    }
    let mut no_token = Vec::new();
    for (method, path, body) in &endpoints {
        let call = |t: Option<String>| {
            let body = body.clone();
            async move { share(app, method, path, t.as_deref(), body, &[]).await }
        };
        // Checked at the end, so that the rest of the matrix runs whatever this says.
        let r = call(None).await;
        if r.status != StatusCode::UNAUTHORIZED || r.text.contains("\"rows\"") {
            no_token.push(format!(
                "{method} {path} without a token: {} {}",
                r.status, r.text
            ));
        }
        let r = call(Some("zsx_not-a-real-token".into())).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path} unknown: {}",
            r.text
        );
        let r = call(Some(revoked_token.clone())).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path} revoked token: {}",
            r.text
        );
        assert!(message(&r).contains("revoked"), "{}", r.text);
        let r = call(Some(expiring_token.clone())).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path} expired token: {}",
            r.text
        );
        assert!(message(&r).contains("expired"), "{}", r.text);
        for (role, t) in &users {
            let r = call(Some(t.clone())).await;
            assert_eq!(
                r.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} with the user token of a {}: {}",
                role.as_str(),
                r.text
            );
            assert_eq!(r.error_code().as_deref(), Some("unauthorized"));
        }
        // The scenario's good token still works on the same endpoint.
        let r = call(Some(token["granted"].clone())).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{method} {path} granted: {}",
            r.text
        );
    }

    // A suspended scenario's tokens are refused, and work again once re-activated.
    let status_path = format!("/api/v1/share/scenarios/{}/status", scenario["granted"]);
    let r = app
        .call(
            "POST",
            &status_path,
            Some(&w.admin),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["status"], "suspended");
    for (method, path, body) in &endpoints {
        let r = share(
            app,
            method,
            path,
            Some(&token["granted"]),
            body.clone(),
            &[],
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{method} {path} suspended: {}",
            r.text
        );
        assert!(message(&r).contains("suspended"), "{}", r.text);
    }
    let r = app
        .call(
            "POST",
            &status_path,
            Some(&w.admin),
            Some(json!({"active": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        rows(app, &token["granted"], "").await.status,
        StatusCode::OK
    );
    // No token at all: 401 on every share endpoint, like a bad token.
    assert!(no_token.is_empty(), "{}", no_token.join("\n"));
}

// ---------------------------------------------------------------------------------------
// 2. Management endpoints × every role
// ---------------------------------------------------------------------------------------

/// Who may do what, as designed (and as the role table says).
const REQUESTERS: [Role; 3] = [
    Role::PlatformAdmin,
    Role::UnitAdmin,
    Role::ScenarioDeveloper,
];
const REVIEWERS: [Role; 2] = [Role::PlatformAdmin, Role::Reviewer];
const READERS: [Role; 5] = [
    Role::PlatformAdmin,
    Role::UnitAdmin,
    Role::DataOfficer,
    Role::Reviewer,
    Role::ScenarioDeveloper,
];

struct Checks {
    fails: Vec<String>,
    count: usize,
}

impl Checks {
    /// `allowed` → exactly `ok`; otherwise 403.
    fn expect(&mut self, what: &str, r: &TestResponse, allowed: bool, ok: StatusCode) {
        self.count += 1;
        let want = if allowed { ok } else { StatusCode::FORBIDDEN };
        if r.status != want {
            self.fails.push(format!(
                "{what}: expected {want}, got {} {}",
                r.status, r.text
            ));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn management_endpoints_by_role() {
    let w = world(40).await;
    let app = &w.app;
    // The designed role sets agree with the role table.
    for role in Role::ALL {
        let p = role.permissions();
        assert_eq!(
            REQUESTERS.contains(&role),
            p.contains(&Permission::ShareRequest),
            "{role:?}"
        );
        assert_eq!(
            REVIEWERS.contains(&role),
            p.contains(&Permission::ShareReview),
            "{role:?}"
        );
        assert_eq!(
            READERS.contains(&role),
            p.contains(&Permission::ShareRead),
            "{role:?}"
        );
        assert_eq!(
            role == Role::PlatformAdmin,
            p.contains(&Permission::ShareAdmin),
            "{role:?}"
        );
    }
    let scenario = register(app, &w.dev, "智慧社区").await;
    let cols = ["credit_code", "name", "street"];
    let dev = w.dev.as_str();
    let fresh_pending = || async move {
        let r = request_ok(app, dev, scenario, ask(&cols, None)).await;
        assert_eq!(r["status"], "pending");
        r["id"].as_i64().unwrap()
    };
    let mut c = Checks {
        fails: Vec::new(),
        count: 0,
    };
    for role in Role::ALL {
        let name = role.as_str();
        let requester = REQUESTERS.contains(&role);
        let reviewer = REVIEWERS.contains(&role);
        let reader = READERS.contains(&role);
        let admin = role == Role::PlatformAdmin;
        // The same role in the provider unit, the scenario's unit and an unrelated unit.
        let (_, in_u1) = app
            .user_with_token(&format!("{name}_u1"), &[role], Some(w.u1))
            .await;
        let (_, in_u2) = app
            .user_with_token(&format!("{name}_u2"), &[role], Some(w.u2))
            .await;
        let (_, in_u3) = app
            .user_with_token(&format!("{name}_u3"), &[role], Some(w.u3))
            .await;

        // Register a scenario of one's own unit; of another unit only the platform.
        let r = app
            .call(
                "POST",
                "/api/v1/share/scenarios",
                Some(&in_u2),
                Some(scenario_body(&format!("{name}场景"))),
            )
            .await;
        c.expect(
            &format!("{name}: register own"),
            &r,
            requester,
            StatusCode::CREATED,
        );
        let mut other = scenario_body(&format!("{name}代登记"));
        other["unit_id"] = json!(w.u2);
        let r = app
            .call("POST", "/api/v1/share/scenarios", Some(&in_u3), Some(other))
            .await;
        c.expect(
            &format!("{name}: register for another unit"),
            &r,
            admin,
            StatusCode::CREATED,
        );
        // Read the register.
        let r = app
            .call("GET", "/api/v1/share/scenarios", Some(&in_u3), None)
            .await;
        c.expect(
            &format!("{name}: list scenarios"),
            &r,
            reader,
            StatusCode::OK,
        );

        // Request access for the U2 scenario: its own unit (or the platform) only.
        let r = request(app, &in_u2, scenario, ask(&cols, None)).await;
        c.expect(
            &format!("{name}: request (scenario unit)"),
            &r,
            requester,
            StatusCode::CREATED,
        );
        let r = request(app, &in_u3, scenario, ask(&cols, None)).await;
        c.expect(
            &format!("{name}: request (other unit)"),
            &r,
            admin,
            StatusCode::CREATED,
        );
        let r = request(app, &in_u1, scenario, ask(&cols, None)).await;
        c.expect(
            &format!("{name}: request (provider unit)"),
            &r,
            admin,
            StatusCode::CREATED,
        );

        // See a request: either side or the platform.
        let p = fresh_pending().await;
        for (who, t, allowed) in [
            ("provider", &in_u1, reader),
            ("scenario", &in_u2, reader),
            ("other", &in_u3, admin),
        ] {
            let r = app
                .call("GET", &format!("/api/v1/share/requests/{p}"), Some(t), None)
                .await;
            c.expect(
                &format!("{name}: see request ({who} unit)"),
                &r,
                allowed,
                StatusCode::OK,
            );
        }

        // Decide: the provider's reviewers or the platform; a reviewer of another unit
        // (even the scenario's) is refused.
        for (who, t, allowed) in [
            ("other", &in_u3, admin),
            ("scenario", &in_u2, admin),
            ("provider", &in_u1, reviewer),
        ] {
            let p = fresh_pending().await;
            let r = decide(app, t, p, json!({"action": "approve"})).await;
            c.expect(
                &format!("{name}: decide ({who} unit)"),
                &r,
                allowed,
                StatusCode::OK,
            );
            let after = request_json(app, &w.admin, p).await;
            let want = if allowed { "approved" } else { "pending" };
            if after["status"] != want {
                c.fails.push(format!(
                    "{name}: decide ({who} unit) left the request {}",
                    after["status"]
                ));
            }
        }

        // Withdraw: the scenario's unit or the platform.
        for (who, t, allowed) in [
            ("provider", &in_u1, admin),
            ("other", &in_u3, admin),
            ("scenario", &in_u2, requester),
        ] {
            let p = fresh_pending().await;
            let r = app
                .call(
                    "POST",
                    &format!("/api/v1/share/requests/{p}/withdraw"),
                    Some(t),
                    None,
                )
                .await;
            c.expect(
                &format!("{name}: withdraw ({who} unit)"),
                &r,
                allowed,
                StatusCode::OK,
            );
        }

        // Revoke a grant: the provider's reviewers, the scenario's unit, the platform.
        for (who, t, allowed) in [
            ("other", &in_u3, admin),
            ("provider", &in_u1, reviewer),
            ("scenario", &in_u2, requester),
        ] {
            let g = granted(&w, scenario, ask(&cols, None)).await;
            let r = app
                .call(
                    "POST",
                    &format!("/api/v1/share/grants/{g}/revoke"),
                    Some(t),
                    Some(json!({"reason": "不再需要该数据"})),
                )
                .await;
            c.expect(
                &format!("{name}: revoke grant ({who} unit)"),
                &r,
                allowed,
                StatusCode::OK,
            );
        }

        // Tokens: the scenario's own unit (or the platform) issues, lists and revokes.
        for (who, t, allowed) in [
            ("provider", &in_u1, admin),
            ("other", &in_u3, admin),
            ("scenario", &in_u2, requester),
        ] {
            let path = format!("/api/v1/share/scenarios/{scenario}/tokens");
            let r = app
                .call("POST", &path, Some(t), Some(json!({"name": "接口"})))
                .await;
            c.expect(
                &format!("{name}: create token ({who} unit)"),
                &r,
                allowed,
                StatusCode::CREATED,
            );
            let r = app.call("GET", &path, Some(t), None).await;
            c.expect(
                &format!("{name}: list tokens ({who} unit)"),
                &r,
                allowed,
                StatusCode::OK,
            );
            if r.status == StatusCode::OK
                && r.json()
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t.get("secret").is_some())
            {
                c.fails
                    .push(format!("{name}: token list shows secrets: {}", r.text));
            }
            let (tid, _) = issue_token(app, &w.dev, scenario, json!({"name": "待吊销"})).await;
            let r = app
                .call(
                    "POST",
                    &format!("/api/v1/share/tokens/{tid}/revoke"),
                    Some(t),
                    None,
                )
                .await;
            c.expect(
                &format!("{name}: revoke token ({who} unit)"),
                &r,
                allowed,
                StatusCode::NO_CONTENT,
            );
        }

        // Settings, usage, audit.
        let r = app
            .call("GET", "/api/v1/share/settings", Some(&in_u3), None)
            .await;
        c.expect(
            &format!("{name}: read settings"),
            &r,
            reader,
            StatusCode::OK,
        );
        let settings = json!({"review_working_days": 5, "max_grant_days": 365, "default_rate_per_minute": 600});
        let r = app
            .call(
                "PUT",
                "/api/v1/share/settings",
                Some(&in_u3),
                Some(settings),
            )
            .await;
        c.expect(&format!("{name}: put settings"), &r, admin, StatusCode::OK);
        let r = app
            .call("GET", "/api/v1/share/usage", Some(&in_u3), None)
            .await;
        c.expect(&format!("{name}: usage"), &r, reader, StatusCode::OK);
        let r = app
            .call("GET", "/api/v1/share/requests", Some(&in_u3), None)
            .await;
        c.expect(
            &format!("{name}: list requests"),
            &r,
            reader,
            StatusCode::OK,
        );
        let r = app
            .call("GET", "/api/v1/share/grants", Some(&in_u3), None)
            .await;
        c.expect(&format!("{name}: list grants"), &r, reader, StatusCode::OK);
        let r = app
            .call("GET", "/api/v1/share/audit", Some(&in_u3), None)
            .await;
        c.expect(&format!("{name}: audit"), &r, admin, StatusCode::OK);
        let r = app
            .call("GET", "/api/v1/share/audit/verify", Some(&in_u3), None)
            .await;
        c.expect(&format!("{name}: audit verify"), &r, admin, StatusCode::OK);
        // Suspend / re-activate a scenario: the platform only.
        let status_path = format!("/api/v1/share/scenarios/{scenario}/status");
        let r = app
            .call(
                "POST",
                &status_path,
                Some(&in_u2),
                Some(json!({"active": false})),
            )
            .await;
        c.expect(
            &format!("{name}: suspend scenario"),
            &r,
            admin,
            StatusCode::OK,
        );
        let r = app
            .call(
                "POST",
                &status_path,
                Some(&w.admin),
                Some(json!({"active": true})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    assert!(c.count > 300, "only {} checks", c.count);
    assert!(
        c.fails.is_empty(),
        "{} of {} checks failed:\n{}",
        c.fails.len(),
        c.count,
        c.fails.join("\n")
    );
    // Non-admin readers see the requests of their own unit only.
    let (_, reader_u3) = app
        .user_with_token("officer_u3_list", &[Role::DataOfficer], Some(w.u3))
        .await;
    let r = app
        .call("GET", "/api/v1/share/requests", Some(&reader_u3), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json().as_array().map(Vec::len), Some(0), "{}", r.text);
    let r = app
        .call("GET", "/api/v1/share/requests", Some(&w.reviewer), None)
        .await;
    assert!(!r.json().as_array().unwrap().is_empty(), "{}", r.text);
}

// ---------------------------------------------------------------------------------------
// 3. Sharing types and decisions
// ---------------------------------------------------------------------------------------

fn resource(unit: i64, name: &str, sharing_type: &str, basis: &str) -> NewResource {
    NewResource {
        name: name.into(),
        summary: format!("{name}：企业年度报告公示的主要信息"),
        classification: "301001".into(),
        provider_unit_id: Some(unit),
        format: "数据库".into(),
        sharing_type: sharing_type.into(),
        sharing_conditions: if sharing_type == "有条件共享" {
            "按需申请".into()
        } else {
            String::new()
        },
        sharing_basis: basis.into(),
        share_method: "接口".into(),
        open_type: "不予开放".into(),
        open_basis: "涉及个人信息".into(),
        update_cycle: "每年".into(),
        security_grade: "一般".into(),
        items: vec![
            NewDataItem {
                name: "credit_code".into(),
                label: "统一社会信用代码".into(),
                data_type: "字符型".into(),
                length: Some(18),
                pii_kind: "无".into(),
                ..Default::default()
            },
            NewDataItem {
                name: "legal_rep".into(),
                label: "法定代表人".into(),
                data_type: "字符型".into(),
                length: Some(50),
                pii_kind: "姓名".into(),
                ..Default::default()
            },
        ],
        ..NewResource::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharing_types() {
    let w = world(40).await;
    let app = &w.app;
    // The day before the May Day holidays (10:00 Beijing time): working days skip them.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 4, 29, 2, 0, 0).single().unwrap());
    let today = app.clock.today();
    let scenario = register(app, &w.dev, "企业服务").await;
    let open = zhengshu_catalog::create_demo_resource(
        &app.state.catalog,
        &resource(w.u1, "企业年报信息", "无条件共享", ""),
    )
    .await
    .unwrap();
    let basis = "《中华人民共和国个人信息保护法》第二十八条：敏感个人信息不予共享";
    let closed = zhengshu_catalog::create_demo_resource(
        &app.state.catalog,
        &resource(w.u1, "企业涉密信息", "不予共享", basis),
    )
    .await
    .unwrap();

    // 无条件共享: granted at once after the automatic checks.
    let r = request_ok(
        app,
        &w.dev,
        scenario,
        json!({"resource": open.code, "columns": ["credit_code", "legal_rep"], "purpose": "惠企政策推送"}),
    )
    .await;
    assert_eq!(r["status"], "approved", "{r}");
    let gid = r["grant_id"].as_i64().expect("a grant at once");
    assert!(r["due_date"].is_null(), "{r}");
    let g = grant_json(app, &w.admin, gid).await;
    assert_eq!(g["state"], "active");
    assert_eq!(g["scenario_id"].as_i64(), Some(scenario));
    assert_eq!(g["columns"], json!(["credit_code", "legal_rep"]));
    assert_eq!(g["raw_columns"], json!([]));
    // … but raw personal data is always reviewed by the provider.
    let cal = zhengshu_core::WorkingCalendar::official();
    let settings = app
        .call("GET", "/api/v1/share/settings", Some(&w.dev), None)
        .await
        .json();
    assert_eq!(
        settings["review_working_days"], 5,
        "default review period: {settings}"
    );
    let due5 = cal
        .add_working_days(today, 5)
        .format("%Y-%m-%d")
        .to_string();
    // The holidays are in the period: more than a calendar week.
    assert!(
        NaiveDate::parse_from_str(&due5, "%Y-%m-%d").unwrap() > today + Duration::days(7),
        "{due5}"
    );
    let r = request_ok(
        app,
        &w.dev,
        scenario,
        json!({"resource": open.code, "columns": ["credit_code", "legal_rep"],
               "raw_columns": ["legal_rep"], "purpose": "核验法定代表人身份"}),
    )
    .await;
    assert_eq!(r["status"], "pending", "{r}");
    assert!(r["grant_id"].is_null(), "{r}");
    assert_eq!(r["due_date"], due5.as_str(), "{r}");

    // 有条件共享: waits for the provider, due in 5 working days on the calendar.
    let r = request_ok(app, &w.dev, scenario, ask(&["credit_code", "name"], None)).await;
    assert_eq!(r["status"], "pending", "{r}");
    assert_eq!(r["due_date"], due5.as_str(), "{r}");
    assert_eq!(r["provider_unit_id"].as_i64(), Some(w.u1));
    // The period is configurable.
    let mut s8 = settings.clone();
    s8["review_working_days"] = json!(8);
    let put = app
        .call("PUT", "/api/v1/share/settings", Some(&w.admin), Some(s8))
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    let r = request_ok(app, &w.dev, scenario, ask(&["credit_code"], None)).await;
    assert_eq!(
        r["due_date"],
        cal.add_working_days(today, 8)
            .format("%Y-%m-%d")
            .to_string()
            .as_str(),
        "{r}"
    );
    let put = app
        .call(
            "PUT",
            "/api/v1/share/settings",
            Some(&w.admin),
            Some(settings.clone()),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);

    // 不予共享: refused with the catalog's legal basis.
    let r = request_ok(
        app,
        &w.dev,
        scenario,
        json!({"resource": closed.code, "columns": ["credit_code"], "purpose": "核对企业信息"}),
    )
    .await;
    assert_eq!(r["status"], "refused", "{r}");
    assert!(r["grant_id"].is_null(), "{r}");
    assert!(r["reason"].as_str().unwrap().contains(basis), "{r}");
    // A refused request cannot be approved afterwards.
    let d = decide(
        app,
        &w.admin,
        r["id"].as_i64().unwrap(),
        json!({"action": "approve"}),
    )
    .await;
    assert_eq!(d.status, StatusCode::CONFLICT, "{}", d.text);

    // Decisions that narrow the scope need a reason.
    let asked = ["credit_code", "name", "legal_rep", "street"];
    let p = request_ok(app, &w.dev, scenario, ask(&asked, None)).await["id"]
        .as_i64()
        .unwrap();
    let d = decide(
        app,
        &w.reviewer,
        p,
        json!({"action": "approve", "columns": ["credit_code", "name"]}),
    )
    .await;
    assert_eq!(d.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", d.text);
    assert_eq!(d.error_code().as_deref(), Some("invalid"), "{}", d.text);
    assert_eq!(request_json(app, &w.dev, p).await["status"], "pending");
    // Columns that were not asked for cannot be granted.
    let d = decide(
        app,
        &w.reviewer,
        p,
        json!({"action": "approve", "columns": ["credit_code", "phone"], "reason": "改为电话"}),
    )
    .await;
    assert_eq!(d.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", d.text);
    assert_eq!(request_json(app, &w.dev, p).await["status"], "pending");
    // A later end than asked cannot be granted either.
    let asked_until = request_json(app, &w.dev, p).await["valid_until"]
        .as_str()
        .unwrap()
        .to_string();
    let later = NaiveDate::parse_from_str(&asked_until, "%Y-%m-%d").unwrap() + Duration::days(1);
    let d = decide(
        app,
        &w.reviewer,
        p,
        json!({"action": "approve", "valid_until": later.to_string(), "reason": "延长"}),
    )
    .await;
    assert_eq!(d.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", d.text);
    // With a reason: the grant has the narrower columns.
    let reason = "用途仅需核对企业名称，不提供法定代表人信息";
    let d = decide(
        app,
        &w.reviewer,
        p,
        json!({"action": "approve", "columns": ["credit_code", "name"], "reason": reason}),
    )
    .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    let dj = d.json();
    assert_eq!(dj["status"], "approved");
    assert_eq!(dj["reason"], reason);
    let g = grant_json(app, &w.admin, dj["grant_id"].as_i64().unwrap()).await;
    assert_eq!(g["columns"], json!(["credit_code", "name"]), "{g}");
    assert_eq!(g["request_id"].as_i64(), Some(p));
    // Deciding twice is a conflict, either way.
    let d = decide(app, &w.reviewer, p, json!({"action": "approve"})).await;
    assert_eq!(d.status, StatusCode::CONFLICT, "{}", d.text);
    assert_eq!(d.error_code().as_deref(), Some("conflict"));
    let d = decide(
        app,
        &w.reviewer,
        p,
        json!({"action": "reject", "reason": "改变主意"}),
    )
    .await;
    assert_eq!(d.status, StatusCode::CONFLICT, "{}", d.text);

    // Rejecting needs a reason, which the scenario sees.
    let p = request_ok(app, &w.dev, scenario, ask(&asked, None)).await["id"]
        .as_i64()
        .unwrap();
    let d = decide(app, &w.reviewer, p, json!({"action": "reject"})).await;
    assert_eq!(d.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", d.text);
    let d = decide(
        app,
        &w.reviewer,
        p,
        json!({"action": "reject", "reason": " "}),
    )
    .await;
    assert_eq!(d.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", d.text);
    let d = decide(
        app,
        &w.reviewer,
        p,
        json!({"action": "maybe", "reason": "再议"}),
    )
    .await;
    assert_eq!(d.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", d.text);
    let reason = "用途与所申请信息项不相称";
    let d = decide(
        app,
        &w.reviewer,
        p,
        json!({"action": "reject", "reason": reason}),
    )
    .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    let seen = request_json(app, &w.dev, p).await;
    assert_eq!(seen["status"], "rejected");
    assert_eq!(seen["reason"], reason);
    assert!(seen["grant_id"].is_null());
    let d = decide(app, &w.reviewer, p, json!({"action": "approve"})).await;
    assert_eq!(d.status, StatusCode::CONFLICT, "{}", d.text);
    // A withdrawn request cannot be decided.
    let p = request_ok(app, &w.dev, scenario, ask(&asked, None)).await["id"]
        .as_i64()
        .unwrap();
    let r = app
        .call(
            "POST",
            &format!("/api/v1/share/requests/{p}/withdraw"),
            Some(&w.dev),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["status"], "withdrawn");
    let d = decide(app, &w.reviewer, p, json!({"action": "approve"})).await;
    assert_eq!(d.status, StatusCode::CONFLICT, "{}", d.text);
}

// ---------------------------------------------------------------------------------------
// 4. Overdue requests escalate to the platform
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overdue_requests_escalate() {
    let w = world(40).await;
    let app = &w.app;
    let scenario = register(app, &w.dev, "城市大脑事件中心").await;
    let (_, other_reviewer) = app
        .user_with_token("reviewer3", &[Role::Reviewer], Some(w.u3))
        .await;
    let p = request_ok(app, &w.dev, scenario, ask(&["credit_code", "name"], None)).await;
    let id = p["id"].as_i64().unwrap();
    let due = NaiveDate::parse_from_str(p["due_date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let at_10_beijing = |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(2, 0, 0).unwrap());
    // On the due day it is not overdue yet.
    app.clock.set(at_10_beijing(due));
    let n = zhengshu_exchange::service::escalate_overdue(&app.state.exchange)
        .await
        .unwrap();
    assert_eq!(n, 0);
    assert!(request_json(app, &w.admin, id).await["escalated_at"].is_null());
    // The day after, it escalates, once.
    app.clock.set(at_10_beijing(due + Duration::days(1)));
    let n = zhengshu_exchange::service::escalate_overdue(&app.state.exchange)
        .await
        .unwrap();
    assert_eq!(n, 1);
    let n = zhengshu_exchange::service::escalate_overdue(&app.state.exchange)
        .await
        .unwrap();
    assert_eq!(n, 0, "escalated twice");
    let r = request_json(app, &w.admin, id).await;
    assert_eq!(r["status"], "pending");
    assert!(r["escalated_at"].is_string(), "{r}");
    let audit = app
        .call(
            "GET",
            "/api/v1/share/audit?limit=1000",
            Some(&w.admin),
            None,
        )
        .await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.text);
    let records = audit.json().as_array().cloned().unwrap();
    let esc: Vec<&Value> = records
        .iter()
        .filter(|a| a["kind"] == "request.escalate")
        .collect();
    assert_eq!(esc.len(), 1, "{}", audit.text);
    assert_eq!(
        esc[0]["detail"]["request_id"].as_i64(),
        Some(id),
        "{}",
        audit.text
    );
    assert_eq!(esc[0]["scenario_id"].as_i64(), Some(scenario));
    assert_eq!(esc[0]["provider_unit_id"].as_i64(), Some(w.u1));
    // Still not for a reviewer of another unit; the platform admin decides it.
    let d = decide(app, &other_reviewer, id, json!({"action": "approve"})).await;
    assert_eq!(d.status, StatusCode::FORBIDDEN, "{}", d.text);
    let d = decide(app, &w.admin, id, json!({"action": "approve"})).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    assert_eq!(d.json()["status"], "approved");
    assert!(d.json()["grant_id"].is_i64());

    // Opening the console as the platform admin escalates too.
    let p2 = request_ok(app, &w.dev, scenario, ask(&["credit_code"], None)).await;
    let id2 = p2["id"].as_i64().unwrap();
    let due2 = NaiveDate::parse_from_str(p2["due_date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    app.clock.set(at_10_beijing(due2 + Duration::days(2)));
    assert!(request_json(app, &w.admin, id2).await["escalated_at"].is_null());
    let (cookie, _) = app
        .browser_login("admin", zhengshu_web::testing::TEST_PASSWORD)
        .await;
    let page = app
        .send(
            Request::get("/console/share")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let r = request_json(app, &w.admin, id2).await;
    assert!(r["escalated_at"].is_string(), "{r}");
    let d = decide(
        app,
        &w.admin,
        id2,
        json!({"action": "reject", "reason": "超期未审，平台驳回"}),
    )
    .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    assert_eq!(d.json()["status"], "rejected");
}

// ---------------------------------------------------------------------------------------
// 5. Masked and filtered data, paging, CSV and Arrow
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn masked_and_filtered_data() {
    let w = world(600).await;
    let app = &w.app;
    let items =
        zhengshu_catalog::service::get(&app.state.catalog, Some(&Actor::system()), w.resource_id)
            .await
            .unwrap()
            .items;
    let kind = |c: &str| items.iter().find(|i| i.name == c).unwrap().pii_kind;
    assert!(kind("legal_rep").is_sensitive() && kind("id_number").is_sensitive());
    assert!(!kind("street").is_sensitive());

    // The raw values, straight from the lake.
    let raw: BTreeMap<String, (String, String)> = direct(
        app,
        &format!(
            "SELECT credit_code, legal_rep, id_number FROM enterprises WHERE street = '{BANTIAN}'"
        ),
    )
    .await
    .into_iter()
    .map(|r| {
        (
            r[0].clone().unwrap(),
            (r[1].clone().unwrap(), r[2].clone().unwrap()),
        )
    })
    .collect();
    let n = raw.len();
    assert!(n > 20, "{n}");

    // A masked grant with a street filter.
    let masked_sc = register(app, &w.dev, "智慧社区").await;
    let g = granted(&w, masked_sc, ask(&COLUMNS, Some(BANTIAN))).await;
    assert_eq!(grant_json(app, &w.admin, g).await["raw_columns"], json!([]));
    let (_, t) = issue_token(
        app,
        &w.dev,
        masked_sc,
        json!({"name": "网格系统", "rate_per_minute": 10000}),
    )
    .await;

    let r = rows(app, &t, "?limit=10000").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let data = r.json()["rows"].as_array().cloned().unwrap();
    assert_eq!(data.len(), n, "every row of {BANTIAN}, no other");
    let want_keys: BTreeSet<&str> = COLUMNS.into_iter().collect();
    for row in &data {
        let keys: BTreeSet<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, want_keys, "columns outside the grant: {row}");
        assert_eq!(row["street"], BANTIAN, "{row}");
        let cc = row["credit_code"].as_str().unwrap();
        let (rep, id) = &raw[cc];
        let got_rep = row["legal_rep"].as_str().unwrap();
        let got_id = row["id_number"].as_str().unwrap();
        assert_eq!(
            got_rep,
            zhengshu_core::mask::mask(kind("legal_rep"), rep),
            "{row}"
        );
        assert_eq!(
            got_id,
            zhengshu_core::mask::mask(kind("id_number"), id),
            "{row}"
        );
        assert_ne!(got_id, id, "raw resident id leaked: {row}");
    }
    // Columns outside the grant cannot be asked for, filtered on or sorted by.
    for q in [
        "?fields=credit_code,phone",
        "?phone=eq.13000000000",
        "?sort=phone",
    ] {
        let r = rows(app, &t, q).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{q}: {}",
            r.text
        );
        assert!(
            message(&r).contains("not a granted column"),
            "{q}: {}",
            r.text
        );
    }
    // A REST filter cannot widen the grant's row filter.
    let r = rows(app, &t, &format!("?street=eq.{}", enc("布吉街道"))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["count"], 0, "{}", r.text);
    // fields narrows further.
    let r = rows(app, &t, "?fields=credit_code,legal_rep&limit=3").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for row in r.json()["rows"].as_array().unwrap() {
        assert_eq!(row.as_object().unwrap().len(), 2, "{row}");
    }
    // SQL masks the same way.
    let r = sql(
        app,
        &t,
        "SELECT credit_code, legal_rep, id_number FROM enterprises",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let srows = r.json()["rows"].as_array().cloned().unwrap();
    assert_eq!(srows.len(), n);
    for row in &srows {
        let (rep, id) = &raw[row["credit_code"].as_str().unwrap()];
        assert_eq!(
            row["legal_rep"].as_str().unwrap(),
            zhengshu_core::mask::mask(kind("legal_rep"), rep)
        );
        assert_eq!(
            row["id_number"].as_str().unwrap(),
            zhengshu_core::mask::mask(kind("id_number"), id)
        );
    }

    // Paging with the cursor returns every filtered row exactly once.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let q = match &cursor {
            Some(c) => format!("?limit=7&cursor={}", enc(c)),
            None => "?limit=7".to_string(),
        };
        let r = rows(app, &t, &q).await;
        assert_eq!(r.status, StatusCode::OK, "page {pages}: {}", r.text);
        let j = r.json();
        let page = j["rows"].as_array().unwrap();
        assert!(page.len() <= 7);
        seen.extend(
            page.iter()
                .map(|row| row["credit_code"].as_str().unwrap().to_string()),
        );
        pages += 1;
        assert!(pages <= n / 7 + 2, "paging does not end");
        match j["next_cursor"].as_str() {
            Some(c) => {
                assert_eq!(
                    r.headers.get("x-next-cursor").and_then(|v| v.to_str().ok()),
                    Some(c)
                );
                cursor = Some(c.to_string());
            }
            None => break,
        }
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "a row came twice");
    assert_eq!(seen.len(), n, "rows missing from the pages");
    assert_eq!(
        unique.into_iter().cloned().collect::<BTreeSet<_>>(),
        raw.keys().cloned().collect()
    );
    // A forged cursor is refused.
    let r = rows(app, &t, "?limit=7&cursor=AAAAforged").await;
    assert!(r.status.is_client_error(), "{} {}", r.status, r.text);

    // CSV has a header row.
    let r = rows(app, &t, "?format=csv&limit=5").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let ct = r
        .headers
        .get(header::CONTENT_TYPE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(ct.starts_with("text/csv"), "{ct}");
    let lines: Vec<&str> = r.text.lines().collect();
    assert_eq!(lines.len(), 6, "{}", r.text);
    let header_cols: BTreeSet<&str> = lines[0].split(',').collect();
    assert_eq!(header_cols, want_keys, "{}", lines[0]);
    assert!(lines[1..].iter().all(|l| l.contains(BANTIAN)), "{}", r.text);

    // Arrow IPC stream through `Accept`.
    let (status, headers, bytes) = share_raw(
        app,
        "GET",
        "/api/v1/share/enterprises/rows?limit=9",
        Some(&t),
        None,
        &[("accept", "application/vnd.apache.arrow.stream")],
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    assert_eq!(
        headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap(),
        "application/vnd.apache.arrow.stream"
    );
    // An IPC stream starts with the continuation marker of its schema message.
    assert_eq!(&bytes[..4], &[0xFF, 0xFF, 0xFF, 0xFF]);
    let reader = zhengshu_lake::deltalake::arrow::ipc::reader::StreamReader::try_new(
        std::io::Cursor::new(bytes),
        None,
    )
    .unwrap();
    let fields: BTreeSet<String> = reader
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(fields, want_keys.iter().map(|s| s.to_string()).collect());
    let mut arrow_rows = 0;
    for b in reader {
        arrow_rows += b.unwrap().num_rows();
    }
    assert_eq!(arrow_rows, 9);

    // A grant with the raw resident id, approved by the provider: raw values.
    let raw_sc = register(app, &w.dev, "社保待遇核验").await;
    let mut body = ask(&["credit_code", "legal_rep", "id_number"], None);
    body["raw_columns"] = json!(["id_number"]);
    let g = granted(&w, raw_sc, body).await;
    assert_eq!(
        grant_json(app, &w.admin, g).await["raw_columns"],
        json!(["id_number"])
    );
    let (_, t2) = issue_token(
        app,
        &w.dev,
        raw_sc,
        json!({"name": "核验系统", "rate_per_minute": 10000}),
    )
    .await;
    // `street` is not granted here: it can be neither read nor filtered on.
    let r = rows(app, &t2, &format!("?street=eq.{}", enc(BANTIAN))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let raw_all: BTreeMap<String, (String, String)> = direct(
        app,
        "SELECT credit_code, legal_rep, id_number FROM enterprises",
    )
    .await
    .into_iter()
    .map(|r| {
        (
            r[0].clone().unwrap(),
            (r[1].clone().unwrap(), r[2].clone().unwrap()),
        )
    })
    .collect();
    let r = rows(app, &t2, "?limit=10000").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let data = r.json()["rows"].as_array().cloned().unwrap();
    assert_eq!(data.len(), raw_all.len());
    for row in &data {
        let (rep, id) = &raw_all[row["credit_code"].as_str().unwrap()];
        assert_eq!(row["id_number"].as_str().unwrap(), id, "raw grant: {row}");
        // Only the column granted raw is raw.
        assert_eq!(
            row["legal_rep"].as_str().unwrap(),
            zhengshu_core::mask::mask(kind("legal_rep"), rep)
        );
        assert!(row.get("street").is_none(), "{row}");
    }
    let total = direct_count(app, "SELECT count(*) FROM enterprises").await;
    let r = sql(app, &t2, COUNT_SQL).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(count_of(&r), total, "no row filter on this grant");
}

// ---------------------------------------------------------------------------------------
// 6. Rate limits
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit() {
    let w = world(40).await;
    let app = &w.app;
    let sc = register(app, &w.dev, "一网统管").await;
    granted(&w, sc, ask(&["credit_code", "name"], None)).await;
    let (_, slow) = issue_token(
        app,
        &w.dev,
        sc,
        json!({"name": "限流", "rate_per_minute": 3}),
    )
    .await;
    let (_, other) = issue_token(
        app,
        &w.dev,
        sc,
        json!({"name": "另一个", "rate_per_minute": 3}),
    )
    .await;
    for i in 0..3 {
        let r = rows(app, &slow, "?limit=1").await;
        assert_eq!(r.status, StatusCode::OK, "call {i}: {}", r.text);
    }
    for (method, path, body) in [
        ("GET", "/api/v1/share/enterprises/rows", None),
        ("GET", "/api/v1/share/tables", None),
        ("POST", "/api/v1/share/sql", Some(json!({"sql": COUNT_SQL}))),
    ] {
        let r = share(app, method, path, Some(&slow), body, &[]).await;
        assert_eq!(
            r.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{path}: {}",
            r.text
        );
        assert_eq!(
            r.error_code().as_deref(),
            Some("rate_limited"),
            "{}",
            r.text
        );
        let retry = r
            .headers
            .get(header::RETRY_AFTER)
            .expect("Retry-After")
            .to_str()
            .unwrap();
        let secs: u64 = retry
            .parse()
            .unwrap_or_else(|_| panic!("Retry-After `{retry}`"));
        assert!((1..=60).contains(&secs), "{secs}");
    }
    // Limits are per token.
    let r = rows(app, &other, "?limit=1").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

// ---------------------------------------------------------------------------------------
// 7. Every call is audited
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_is_audited() {
    let w = world(100).await;
    let app = &w.app;
    let sc = register(app, &w.dev, "政策兑现").await;
    granted(&w, sc, ask(&["credit_code", "name", "street"], None)).await;
    // A resource of the same provider without a grant.
    let other = zhengshu_catalog::create_demo_resource(
        &app.state.catalog,
        &resource(w.u1, "企业年报信息", "有条件共享", ""),
    )
    .await
    .unwrap();
    let (token_id, t) = issue_token(
        app,
        &w.dev,
        sc,
        json!({"name": "兑现系统", "rate_per_minute": 4}),
    )
    .await;
    let user = [("x-user-id", "caseworker-17")];
    let r = share(
        app,
        "GET",
        "/api/v1/share/enterprises/rows?limit=5",
        Some(&t),
        None,
        &user,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = share(
        app,
        "POST",
        "/api/v1/share/sql",
        Some(&t),
        Some(json!({"sql": COUNT_SQL})),
        &user,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = share(
        app,
        "GET",
        &format!("/api/v1/share/{}/rows", other.code),
        Some(&t),
        None,
        &user,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = share(app, "GET", "/api/v1/share/tables", Some(&t), None, &user).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = share(app, "GET", "/api/v1/share/tables", Some(&t), None, &user).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);

    let r = app
        .call(
            "GET",
            &format!("/api/v1/share/audit?scenario_id={sc}&limit=1000"),
            Some(&w.admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let all = r.json().as_array().cloned().unwrap();
    let mut calls: Vec<&Value> = all
        .iter()
        .filter(|a| a["kind"].as_str().unwrap().starts_with("share."))
        .collect();
    calls.sort_by_key(|a| a["seq"].as_i64());
    let got: Vec<(&str, &str)> = calls
        .iter()
        .map(|a| (a["kind"].as_str().unwrap(), a["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("share.rows", "ok"),
            ("share.sql", "ok"),
            ("share.rows", "denied"),
            ("share.tables", "ok"),
            ("share.tables", "rate_limited"),
        ],
        "{}",
        r.text
    );
    for a in &calls {
        assert_eq!(a["scenario_id"].as_i64(), Some(sc), "{a}");
        assert_eq!(a["token_id"].as_i64(), Some(token_id), "{a}");
        assert_eq!(a["user_ref"], "caseworker-17", "{a}");
        assert_eq!(a["hash"].as_str().map(str::len), Some(64), "{a}");
    }
    assert_eq!(calls[0]["rows_returned"].as_i64(), Some(5), "{}", calls[0]);
    assert_eq!(calls[0]["resource_id"].as_i64(), Some(w.resource_id));
    assert_eq!(calls[0]["provider_unit_id"].as_i64(), Some(w.u1));
    assert!(calls[0]["bytes"].as_i64().unwrap() > 0);
    assert_eq!(calls[1]["rows_returned"].as_i64(), Some(1), "{}", calls[1]);
    assert!(
        calls[1]["detail"].to_string().contains("count(*)"),
        "{}",
        calls[1]
    );
    assert!(
        calls[2]["rows_returned"].as_i64().unwrap_or(0) == 0,
        "{}",
        calls[2]
    );
    assert_eq!(
        calls[3]["rows_returned"].as_i64(),
        Some(1),
        "one granted table: {}",
        calls[3]
    );
    // The decisions are in the log too.
    for kind in [
        "scenario.create",
        "request.create",
        "request.decide",
        "token.create",
    ] {
        assert!(
            all.iter().any(|a| a["kind"] == kind),
            "no {kind} record: {}",
            r.text
        );
    }
    // The chain is intact.
    let v = app
        .call("GET", "/api/v1/share/audit/verify", Some(&w.admin), None)
        .await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.text);
    let vj = v.json();
    assert!(vj["problem"].is_null(), "{}", v.text);
    assert!(
        vj["records"].as_i64().unwrap() >= all.len() as i64,
        "{}",
        v.text
    );

    // Usage for today.
    let day = zhengshu_db::ts(app.clock.now())[..10].to_string();
    let usage = |token: String| async move {
        let r = app
            .call(
                "GET",
                &format!("/api/v1/share/usage?scenario_id={sc}"),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.json().as_array().cloned().unwrap()
    };
    let u = usage(w.admin.clone()).await;
    let today: Vec<&Value> = u.iter().filter(|x| x["day"] == day.as_str()).collect();
    assert!(!today.is_empty(), "no usage for {day}: {u:?}");
    let sum = |k: &str| today.iter().map(|x| x[k].as_i64().unwrap()).sum::<i64>();
    assert_eq!(sum("calls"), 5, "{u:?}");
    assert_eq!(sum("denied"), 2, "{u:?}");
    assert_eq!(sum("rows"), 5 + 1 + 1, "{u:?}");
    // The scenario's unit sees its own calls; the provider sees the use of its data.
    let u = usage(w.dev.clone()).await;
    assert_eq!(
        u.iter().map(|x| x["calls"].as_i64().unwrap()).sum::<i64>(),
        5,
        "{u:?}"
    );
    let u = usage(w.reviewer.clone()).await;
    assert!(
        u.iter()
            .all(|x| x["provider_unit_id"].as_i64() == Some(w.u1)),
        "{u:?}"
    );
    assert!(
        u.iter().map(|x| x["calls"].as_i64().unwrap()).sum::<i64>() >= 2,
        "{u:?}"
    );
    // An unrelated unit sees none of it.
    let (_, outsider) = app
        .user_with_token("officer3", &[Role::DataOfficer], Some(w.u3))
        .await;
    let u = usage(outsider).await;
    assert!(u.is_empty(), "{u:?}");
}
