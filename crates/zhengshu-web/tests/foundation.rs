//! The foundation through the real app: login, sessions, CSRF, tokens, units, bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;
use zhengshu_auth::Role;
use zhengshu_web::testing::{TestApp, TEST_PASSWORD};

async fn unit_count(app: &TestApp) -> i64 {
    app.db()
        .scalar_i64("SELECT COUNT(*) FROM units")
        .await
        .unwrap()
}

#[tokio::test]
async fn console_redirects_to_login_and_login_shows_dashboard_figures() {
    let app = TestApp::new().await;
    let (_, admin) = app
        .user_with_token("admin", &[Role::PlatformAdmin], None)
        .await;
    for (name, level) in [("龙岗区教育局", "district"), ("平湖街道办事处", "street")] {
        let r = app
            .call(
                "POST",
                "/api/v1/units",
                Some(&admin),
                Some(json!({"name": name, "level": level})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let r = app.call("GET", "/console", None, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .starts_with("/console/login"));

    let (cookie, _) = app.browser_login("admin", TEST_PASSWORD).await;
    let page = app
        .send(
            Request::get("/console")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let figure = page
        .text
        .split("data-testid=\"figure-units\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    assert_eq!(figure, unit_count(&app).await.to_string());
    assert_eq!(figure, "2");
}

#[tokio::test]
async fn wrong_password_is_401_and_repeated_failures_lock_the_account() {
    let app = TestApp::new().await;
    app.user_with_token("clerk", &[Role::DataOfficer], None)
        .await;
    let page = app.call("GET", "/console/login", None, None).await;
    let pre = page
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("zs_csrf="))
        .unwrap();
    let csrf = pre.trim_start_matches("zs_csrf=").to_string();
    let attempt = |pw: &'static str| {
        let body = format!("username=clerk&password={pw}&_csrf={csrf}");
        Request::post("/console/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &pre)
            .body(Body::from(body))
            .unwrap()
    };
    for _ in 0..4 {
        let r = app.send(attempt("wrong-password")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.text.contains("data-testid=\"login-error\""));
        assert!(r
            .set_cookies()
            .iter()
            .all(|c| !c.starts_with("zs_session=")));
    }
    let fifth = app.send(attempt("wrong-password")).await;
    assert_eq!(fifth.status, StatusCode::LOCKED);
    // Even the right password is refused while locked…
    let locked = app.send(attempt(TEST_PASSWORD)).await;
    assert_eq!(locked.status, StatusCode::LOCKED);
    // …and accepted once the lock has passed.
    app.clock.advance(chrono::Duration::minutes(16));
    let ok = app.send(attempt(TEST_PASSWORD)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let sessions = app
        .db()
        .scalar_i64("SELECT COUNT(*) FROM sessions")
        .await
        .unwrap();
    assert_eq!(sessions, 1);
}

#[tokio::test]
async fn session_form_post_without_csrf_is_refused_and_writes_nothing() {
    let app = TestApp::new().await;
    app.user_with_token("admin", &[Role::PlatformAdmin], None)
        .await;
    let (cookie, csrf) = app.browser_login("admin", TEST_PASSWORD).await;
    let form = |extra: &str| {
        Request::post("/console/units")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &cookie)
            .body(Body::from(format!(
                "name=龙岗区水务局&level=district{extra}"
            )))
            .unwrap()
    };
    let r = app.send(form("")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.error_code().as_deref(), Some("csrf_failed"));
    let r = app.send(form("&_csrf=not-the-token")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(unit_count(&app).await, 0);
    let r = app.send(form(&format!("&_csrf={csrf}"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(unit_count(&app).await, 1);
    // JSON with the session cookie needs the header too.
    let r = app
        .send(
            Request::post("/api/v1/units")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, &cookie)
                .body(Body::from(
                    json!({"name": "龙岗区统计局", "level": "district"}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(unit_count(&app).await, 1);
}

#[tokio::test]
async fn tokens_expire_and_can_be_revoked() {
    let app = TestApp::new().await;
    let (_, admin) = app
        .user_with_token("admin", &[Role::PlatformAdmin], None)
        .await;
    let r = app
        .call(
            "POST",
            "/api/v1/tokens",
            Some(&admin),
            Some(json!({"name": "etl", "scopes": ["units_read"], "expires_in_days": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let body = r.json();
    let scoped = body["token"].as_str().unwrap().to_string();
    let id = body["id"].as_i64().unwrap();
    assert!(scoped.starts_with("zs_"));
    // Scoped: reading works, writing does not.
    assert_eq!(
        app.call("GET", "/api/v1/units", Some(&scoped), None)
            .await
            .status,
        StatusCode::OK
    );
    let w = app
        .call(
            "POST",
            "/api/v1/units",
            Some(&scoped),
            Some(json!({"name": "x单位", "level": "district"})),
        )
        .await;
    assert_eq!(w.status, StatusCode::FORBIDDEN);
    // Expired after a day.
    app.clock.advance(chrono::Duration::days(2));
    let e = app.call("GET", "/api/v1/units", Some(&scoped), None).await;
    assert_eq!(e.status, StatusCode::UNAUTHORIZED);
    assert_eq!(e.error_code().as_deref(), Some("unauthorized"));
    // Revoke the admin's own token through the API with another token.
    let r = app
        .call(
            "POST",
            "/api/v1/tokens",
            Some(&admin),
            Some(json!({"name": "second"})),
        )
        .await;
    let second = r.json()["token"].as_str().unwrap().to_string();
    let list = app
        .call("GET", "/api/v1/tokens", Some(&second), None)
        .await
        .json();
    let first_id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "test")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        app.call(
            "DELETE",
            &format!("/api/v1/tokens/{first_id}"),
            Some(&second),
            None
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.call("GET", "/api/v1/me", Some(&admin), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.call(
            "DELETE",
            &format!("/api/v1/tokens/{id}"),
            Some(&second),
            None
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    // A scope the owner lacks is refused.
    let (_, officer) = app
        .user_with_token("officer", &[Role::DataOfficer], None)
        .await;
    let r = app
        .call(
            "POST",
            "/api/v1/tokens",
            Some(&officer),
            Some(json!({"name": "x", "scopes": ["units_write"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("units_write"));
}

#[tokio::test]
async fn bad_requests_get_the_envelope_and_write_nothing() {
    let app = TestApp::new().await;
    let (_, admin) = app
        .user_with_token("admin", &[Role::PlatformAdmin], None)
        .await;
    // Unknown route.
    let r = app
        .call("GET", "/api/v1/nothing-here", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code().as_deref(), Some("not_found"));
    // Wrong method.
    let r = app.call("PATCH", "/api/v1/units", Some(&admin), None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.error_code().as_deref(), Some("method_not_allowed"));
    // Malformed JSON.
    let bad = Request::post("/api/v1/units")
        .header(header::AUTHORIZATION, format!("Bearer {admin}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"name\": \"x\", "))
        .unwrap();
    let r = app.send(bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_code().as_deref(), Some("malformed_json"));
    // Missing field.
    let r = app
        .call(
            "POST",
            "/api/v1/units",
            Some(&admin),
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("level"));
    // Wrong content type.
    let r = app
        .send(
            Request::post("/api/v1/units")
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("hi"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Oversize body (the test app accepts 1 MiB).
    let big = json!({"name": "x".repeat(2 * 1024 * 1024), "level": "district"});
    let r = app
        .call("POST", "/api/v1/units", Some(&admin), Some(big))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error_code().as_deref(), Some("body_too_large"));
    // Invalid credit code names the field.
    let r = app.call("POST", "/api/v1/units", Some(&admin), Some(json!({"name": "龙岗区审计局", "level": "district", "credit_code": "11440307MB2C9XXXX1"}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("credit_code"), "{}", r.text);
    // Bad token.
    let r = app
        .call("GET", "/api/v1/units", Some("zs_notarealtoken"), None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unit_count(&app).await, 0);
    // Duplicates are 409.
    let ok = app
        .call(
            "POST",
            "/api/v1/units",
            Some(&admin),
            Some(json!({"name": "龙岗区审计局", "level": "区级"})),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    let dup = app
        .call(
            "POST",
            "/api/v1/units",
            Some(&admin),
            Some(json!({"name": "龙岗区审计局", "level": "district"})),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(unit_count(&app).await, 1);
}

#[tokio::test]
async fn unit_import_is_all_or_nothing_and_reads_gbk() {
    let app = TestApp::new().await;
    let (_, admin) = app
        .user_with_token("admin", &[Role::PlatformAdmin], None)
        .await;
    let good = zhengshu_demo_free_code(1);
    let csv = format!(
        "单位名称,简称,层级,上级单位,统一社会信用代码,联系人,联系电话\n龙岗区民政局,区民政局,区级,,{good},陈老师,0755-28000001\n平湖街道办事处,平湖街道,街道,龙岗区民政局,11440307BADCODE000,,\n,,区级,,,,\n"
    );
    let import = |bytes: Vec<u8>, q: &str| {
        Request::post(format!("/api/v1/units/import{q}"))
            .header(header::AUTHORIZATION, format!("Bearer {admin}"))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(bytes))
            .unwrap()
    };
    let r = app.send(import(csv.clone().into_bytes(), "")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let report = r.json();
    let errors = report["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["row"] == 3 && e["column"] == "统一社会信用代码"),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e["row"] == 4 && e["column"] == "单位名称"),
        "{errors:?}"
    );
    assert_eq!(unit_count(&app).await, 0, "nothing half-imported");
    // Fixed file, GBK-encoded, dry run first.
    let fixed = csv
        .replace("11440307BADCODE000", "")
        .replace("\n,,区级,,,,\n", "\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&fixed);
    let r = app.send(import(gbk.to_vec(), "?dry_run=true")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["rows"], 2);
    assert_eq!(unit_count(&app).await, 0);
    let r = app.send(import(gbk.to_vec(), "")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["created"], 2);
    let units = app
        .call("GET", "/api/v1/units?level=street", Some(&admin), None)
        .await
        .json();
    assert_eq!(units[0]["name"], "平湖街道办事处");
    assert!(units[0]["parent_id"].is_i64());
    // Importing the same file again: duplicates, nothing written.
    let r = app.send(import(gbk.to_vec(), "")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unit_count(&app).await, 2);
}

#[tokio::test]
async fn unit_import_reads_xlsx_and_rejects_missing_headers() {
    let app = TestApp::new().await;
    let (_, admin) = app
        .user_with_token("admin", &[Role::PlatformAdmin], None)
        .await;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["单位名称", "层级", "统一社会信用代码"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "龙岗区科技创新局").unwrap();
    ws.write_string(1, 1, "区级").unwrap();
    ws.write_string(1, 2, zhengshu_demo_free_code(7)).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let req = |b: Vec<u8>| {
        Request::post("/api/v1/units/import")
            .header(header::AUTHORIZATION, format!("Bearer {admin}"))
            .header(
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            .body(Body::from(b))
            .unwrap()
    };
    let r = app.send(req(bytes)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(unit_count(&app).await, 1);
    let r = app.send(req(b"PK\x03\x04 not really a zip".to_vec())).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("XLSX"), "{}", r.text);
    let r = app
        .send(
            Request::post("/api/v1/units/import")
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .header(header::CONTENT_TYPE, "text/csv")
                .body(Body::from("名称X,层级X\na,b\n"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("missing header"), "{}", r.text);
    assert_eq!(unit_count(&app).await, 1);
}

/// A valid unit credit code for tests.
fn zhengshu_demo_free_code(seq: u32) -> String {
    let first17 = format!("11440307{:08}{}", 10_000_000 + seq, seq % 10);
    let c = zhengshu_core::validate::credit_code_check_char(&first17).unwrap();
    format!("{first17}{c}")
}

#[tokio::test]
async fn health_metrics_and_openapi() {
    let app = TestApp::new().await;
    let h = app.call("GET", "/healthz", None, None).await;
    assert_eq!(h.status, StatusCode::OK);
    assert_eq!(h.json()["status"], "ok");
    let r = app.call("GET", "/readyz", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["checks"]["database"], "ok");
    let m = app.call("GET", "/metrics", None, None).await;
    assert!(
        m.text.contains(
            "zhengshu_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
        ),
        "{}",
        m.text
    );
    assert!(m.text.contains("zhengshu_http_request_duration_seconds_bucket{method=\"GET\",route=\"/readyz\",le=\"+Inf\"} 1"));
    let doc = app
        .call("GET", "/api/openapi.json", None, None)
        .await
        .json();
    assert_eq!(
        doc["openapi"].as_str().map(|v| v.starts_with("3.")),
        Some(true)
    );
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn readyz_reports_a_missing_lake() {
    let dir = tempfile::tempdir().unwrap();
    let lake = dir.path().join("lake");
    let app = TestApp::with_config(zhengshu_web::WebConfig {
        max_body_bytes: 1024,
        lake_url: format!("file://{}", lake.display()),
    })
    .await
    .unwrap();
    assert_eq!(
        app.call("GET", "/readyz", None, None).await.status,
        StatusCode::OK
    );
    // The lake folder disappears (an unmounted disk): not ready.
    std::fs::remove_dir_all(&lake).unwrap();
    let r = app.call("GET", "/readyz", None, None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.json()["checks"]["lake"]
        .as_str()
        .unwrap()
        .contains("does not exist"));
}

#[tokio::test]
async fn pages_render_in_both_languages() {
    let app = TestApp::new().await;
    app.user_with_token("admin", &[Role::PlatformAdmin], None)
        .await;
    let (cookie, _) = app.browser_login("admin", TEST_PASSWORD).await;
    for path in [
        "/console",
        "/console/units",
        "/console/users",
        "/console/roles",
        "/console/tokens",
        "/console/calendar",
    ] {
        let zh = app
            .send(
                Request::get(path)
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(zh.status, StatusCode::OK, "{path}");
        assert!(zh.text.contains("lang=\"zh-CN\""), "{path}");
        let en = app
            .send(
                Request::get(path)
                    .header(header::COOKIE, format!("{cookie}; zs_lang=en"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(en.text.contains("lang=\"en\""), "{path}");
    }
    let home = app.call("GET", "/", None, None).await;
    assert!(home.text.contains("<nav"));
    let sw = app
        .call("GET", "/lang/en?next=/console/units", None, None)
        .await;
    assert_eq!(sw.status, StatusCode::SEE_OTHER);
    assert!(sw.set_cookies().contains(&"zs_lang=en".to_string()));
    assert_eq!(
        app.call("GET", "/lang/fr", None, None).await.status,
        StatusCode::BAD_REQUEST
    );
    // The calendar page computes a deadline across 国庆 2025: 2025-09-30 + 1 working day = 2025-10-09.
    let cal = app
        .send(
            Request::get("/console/calendar?year=2025&from=2025-09-30&days=1")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        cal.text.contains("data-testid=\"calc-due\">2025-10-09<"),
        "{}",
        cal.text
    );
}
