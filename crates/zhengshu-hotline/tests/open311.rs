//! Issue 7: Open311 GeoReport v2 responses, validated against the specification's JSON
//! shapes, their XML forms, and the error arrays for bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/app.rs"]
mod app;

use app::TestApp;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use chrono::DateTime;
use serde_json::Value;

fn is_str_or_null(v: &Value) -> bool {
    v.is_string() || v.is_null()
}

fn is_iso_with_offset(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| DateTime::parse_from_rfc3339(s).is_ok() && s.ends_with("+08:00"))
}

/// `GET services`: an array of service entries.
fn check_services(v: &Value) {
    let list = v.as_array().expect("services is a top-level array");
    assert!(!list.is_empty());
    for s in list {
        assert!(s["service_code"].is_string(), "{s}");
        assert!(s["service_name"].is_string(), "{s}");
        assert!(is_str_or_null(&s["description"]), "{s}");
        assert!(s["metadata"].is_boolean(), "{s}");
        assert!(
            ["realtime", "batch", "blackbox"].contains(&s["type"].as_str().unwrap()),
            "{s}"
        );
        assert!(
            is_str_or_null(&s["keywords"]) && is_str_or_null(&s["group"]),
            "{s}"
        );
    }
}

/// `GET services/{code}`: the service definition.
fn check_definition(v: &Value) {
    assert!(v["service_code"].is_string());
    for a in v["attributes"].as_array().expect("attributes array") {
        assert!(
            a["variable"].is_boolean() && a["required"].is_boolean(),
            "{a}"
        );
        assert!(a["code"].is_string() && a["description"].is_string(), "{a}");
        assert!(a["order"].is_number(), "{a}");
        let dt = a["datatype"].as_str().unwrap();
        assert!(
            [
                "string",
                "number",
                "datetime",
                "text",
                "singlevaluelist",
                "multivaluelist"
            ]
            .contains(&dt),
            "{a}"
        );
        if dt.ends_with("valuelist") {
            for val in a["values"].as_array().unwrap() {
                assert!(val["key"].is_string() && val["name"].is_string(), "{val}");
            }
        }
    }
}

/// `GET requests` and `GET requests/{id}`: an array of service requests.
fn check_requests(v: &Value) -> &Vec<Value> {
    let list = v
        .as_array()
        .expect("service requests are a top-level array");
    for r in list {
        assert!(r["service_request_id"].is_string(), "{r}");
        assert!(
            ["open", "closed"].contains(&r["status"].as_str().unwrap()),
            "{r}"
        );
        for k in [
            "status_notes",
            "service_name",
            "description",
            "agency_responsible",
            "service_notice",
            "address",
            "address_id",
            "media_url",
        ] {
            assert!(is_str_or_null(&r[k]), "{k}: {r}");
        }
        assert!(r["service_code"].is_string(), "{r}");
        assert!(r["zipcode"].is_null() || r["zipcode"].is_string());
        assert!(is_iso_with_offset(&r["requested_datetime"]), "{r}");
        assert!(
            r["updated_datetime"].is_null() || is_iso_with_offset(&r["updated_datetime"]),
            "{r}"
        );
        assert!(
            r["expected_datetime"].is_null() || is_iso_with_offset(&r["expected_datetime"]),
            "{r}"
        );
        assert!(r["lat"].is_null() || r["lat"].is_number());
        assert!(r["long"].is_null() || r["long"].is_number());
    }
    list
}

/// Errors: an array of `{code, description}` whose code is the HTTP status.
fn check_error(status: StatusCode, v: &Value, expected: u16, needle: &str) {
    assert_eq!(status.as_u16(), expected, "{v}");
    let list = v.as_array().expect("errors are a top-level array");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["code"], expected);
    let d = list[0]["description"].as_str().unwrap();
    assert!(d.contains(needle), "`{d}` should mention `{needle}`");
}

async fn key(app: &TestApp) -> String {
    zhengshu_hotline::create_open311_key(&app.db, &*app.clock, "test client")
        .await
        .unwrap()
}

#[tokio::test]
async fn discovery_and_services_follow_the_spec() {
    let app = TestApp::new().await;
    let (s, v) = app
        .call(Method::GET, "/open311/v2/discovery.json", None, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["changeset"].is_string() && v["contact"].is_string() && v["key_service"].is_string());
    let ep = &v["endpoints"][0];
    assert_eq!(ep["specification"], "http://wiki.open311.org/GeoReport_v2");
    assert!(ep["url"].as_str().unwrap().ends_with("/open311/v2"));
    assert!(ep["formats"]
        .as_array()
        .unwrap()
        .contains(&Value::from("text/xml")));
    let (s, v) = app
        .call(Method::GET, "/open311/v2/services.json", None, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    check_services(&v);
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["service_code"] == "CS02" && s["service_name"] == "占道经营"));
    let (s, v) = app
        .call(Method::GET, "/open311/v2/services/CS02.json", None, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    check_definition(&v);
    let (s, v) = app
        .call(Method::GET, "/open311/v2/services/XX01.json", None, None)
        .await;
    check_error(s, &v, 404, "XX01");
    let (s, v) = app
        .call(Method::GET, "/open311/v2/services.html", None, None)
        .await;
    check_error(s, &v, 404, "services.html");

    let (s, xml) = app.get_text("/open311/v2/services.xml", None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        xml.starts_with("<?xml")
            && xml.contains("<services><service>")
            && xml.contains("<service_code>CS02</service_code>"),
        "{xml}"
    );
    let (_, xml) = app.get_text("/open311/v2/services/CS02.xml", None).await;
    assert!(
        xml.contains("<service_definition>")
            && xml.contains("<attributes><attribute>")
            && xml.contains("<values><value><key>"),
        "{xml}"
    );
    let (_, xml) = app.get_text("/open311/v2/discovery.xml", None).await;
    assert!(
        xml.contains("<discovery>")
            && xml.contains("<endpoints><endpoint>")
            && xml.contains("<format>text/xml</format>")
    );
}

#[tokio::test]
async fn programs_post_requests_and_read_them_back() {
    let app = TestApp::new().await;
    let k = key(&app).await;
    let fields = [
        ("api_key", k.as_str()),
        ("service_code", "CS05"),
        ("address_string", "深圳市龙岗区龙城街道龙翔大道88号"),
        (
            "description",
            "龙翔大道人行天桥路灯不亮，联系电话13800138000",
        ),
        ("first_name", "小明"),
        ("last_name", "张"),
        ("phone", "13800138000"),
        ("attribute[appeal_type]", "help"),
    ];
    let (s, v) = app.form("/open311/v2/requests.json", None, &fields).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let created = v.as_array().expect("top-level array");
    assert_eq!(created.len(), 1);
    let id = created[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    let token = created[0]["token"].as_str().unwrap().to_string();
    assert!(id.starts_with("GD"));
    assert!(created[0]["account_id"].is_null() && created[0]["service_notice"].is_string());
    let o = app.state.get(&id).await.unwrap();
    assert_eq!(o.channel, zhengshu_hotline::Channel::Open311);
    assert_eq!(
        (o.caller_name.as_str(), o.street.as_str()),
        ("张小明", "龙城街道")
    );
    assert_eq!(o.state, zhengshu_hotline::OrderState::Accepted);

    let (s, v) = app
        .call(
            Method::GET,
            &format!("/open311/v2/requests/{id}.json"),
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let r = &check_requests(&v)[0];
    assert_eq!(r["status"], "open");
    assert_eq!(r["service_code"], "CS05");
    assert_eq!(r["service_name"], "路灯不亮");
    assert!(
        !r.to_string().contains("13800138000"),
        "no phone number in public data: {r}"
    );
    assert!(!r.to_string().contains("张小明"));
    assert_eq!(r["address"], "深圳市龙岗区龙城街道****");
    let (s, v) = app
        .call(
            Method::GET,
            &format!("/open311/v2/tokens/{token}.json"),
            None,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v[0]["service_request_id"], id.as_str());

    // The hotline closes it: Open311 status follows.
    let lead = zhengshu_hotline::service::DispatchInput {
        lead_unit_id: app.lead(),
        ..Default::default()
    };
    app.state
        .dispatch(&app.operator.actor, &id, &lead)
        .await
        .unwrap();
    app.state.sign(&app.handler.actor, &id).await.unwrap();
    app.state
        .reply(&app.handler.actor, &id, "路灯已修复")
        .await
        .unwrap();
    let (_, v) = app
        .call(
            Method::GET,
            &format!("/open311/v2/requests/{id}.json"),
            None,
            None,
        )
        .await;
    let r = &check_requests(&v)[0];
    assert_eq!(r["status"], "closed");
    assert_eq!(r["agency_responsible"], "龙岗区城市管理和综合执法局");
    assert!(r["status_notes"].as_str().unwrap().contains("路灯已修复"));
    let (_, xml) = app
        .get_text(&format!("/open311/v2/requests/{id}.xml"), None)
        .await;
    assert!(
        xml.contains("<service_requests><request>")
            && xml.contains("<status>closed</status>")
            && xml.contains("+08:00"),
        "{xml}"
    );
    let (s, v) = app.form("/open311/v2/requests.xml", None, &fields).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        v.as_str().unwrap().contains("<service_request_id>GD"),
        "{v}"
    );
}

#[tokio::test]
async fn requests_are_filtered_and_paged() {
    let app = TestApp::new().await;
    let a = app.dispatched().await;
    let mut other = app.new_order(false);
    other.category_code = "CS01".into();
    let b = app.state.create(&app.operator.actor, &other).await.unwrap();
    app.state
        .sign(&app.handler.actor, &a.order_no)
        .await
        .unwrap();
    app.state
        .reply(&app.handler.actor, &a.order_no, "已处理")
        .await
        .unwrap();
    let app = &app;
    let get = |q: String| async move {
        app.call(
            Method::GET,
            &format!("/open311/v2/requests.json{q}"),
            None,
            None,
        )
        .await
    };
    let ids = |v: &Value| {
        check_requests(v)
            .iter()
            .map(|r| r["service_request_id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let (s, v) = get(String::new()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ids(&v), [b.order_no.as_str(), a.order_no.as_str()]);
    let (_, v) = get("?status=closed".into()).await;
    assert_eq!(ids(&v), [a.order_no.as_str()]);
    let (_, v) = get("?status=open,closed&service_code=CS01".into()).await;
    assert_eq!(ids(&v), [b.order_no.as_str()]);
    let (_, v) = get(format!(
        "?service_request_id={},{}",
        a.order_no, "GD000000000000"
    ))
    .await;
    assert_eq!(ids(&v), [a.order_no.as_str()]);
    let (_, v) = get("?page_size=1&page=2".into()).await;
    assert_eq!(ids(&v), [a.order_no.as_str()]);
    let (_, v) = get("?start_date=2026-11-24T00:00:00%2B08:00".into()).await;
    assert!(ids(&v).is_empty());
    let (_, v) = get("?start_date=2026-11-23&end_date=2026-11-23T23:59:59Z".into()).await;
    assert_eq!(ids(&v).len(), 2);

    let (s, v) = get("?start_date=yesterday".into()).await;
    check_error(s, &v, 400, "start_date");
    let (s, v) = get("?start_date=2026-11-24&end_date=2026-11-01".into()).await;
    check_error(s, &v, 400, "after");
    let (s, v) = get("?status=pending".into()).await;
    check_error(s, &v, 400, "pending");
    let (s, v) = get("?service_code=NOPE".into()).await;
    check_error(s, &v, 404, "NOPE");
    let (s, v) = get("?page_size=5000".into()).await;
    check_error(s, &v, 400, "page_size");
    let (s, v) = app
        .call(
            Method::GET,
            "/open311/v2/requests/GD209912310001.json",
            None,
            None,
        )
        .await;
    check_error(s, &v, 404, "GD209912310001");
    let (s, v) = app
        .call(Method::GET, "/open311/v2/tokens/nope.json", None, None)
        .await;
    check_error(s, &v, 404, "nope");
}

#[tokio::test]
async fn bad_posts_answer_error_arrays_and_write_nothing() {
    let app = TestApp::new().await;
    let k = key(&app).await;
    let long = "很".repeat(4001);
    let base = vec![
        ("api_key", k.as_str()),
        ("service_code", "CS05"),
        ("lat", "22.72"),
        ("long", "114.25"),
        ("description", "路灯不亮"),
    ];
    let with = |changes: &[(&'static str, &'static str)], drop: &[&str]| {
        let mut f: Vec<(&str, &str)> = base
            .iter()
            .copied()
            .filter(|(k, _)| !drop.contains(k))
            .collect();
        f.extend_from_slice(changes);
        f
    };
    type Case<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str);
    let cases: Vec<Case> = vec![
        (with(&[], &["api_key"]), 403, "api_key"),
        (
            with(&[("api_key", "o311_wrong")], &["api_key"]),
            403,
            "not valid",
        ),
        (with(&[], &["service_code"]), 400, "service_code"),
        (
            with(&[("service_code", "ZZ99")], &["service_code"]),
            404,
            "ZZ99",
        ),
        (with(&[], &["lat", "long"]), 400, "location"),
        (with(&[], &["long"]), 400, "lat and long"),
        (with(&[("lat", "north")], &["lat"]), 400, "lat"),
        (
            with(&[("lat", "39.9"), ("long", "116.4")], &["lat", "long"]),
            400,
            "outside the district",
        ),
        (
            with(&[("attribute[urgency]", "emergency")], &[]),
            400,
            "110",
        ),
        (
            with(&[("attribute[appeal_type]", "chat")], &[]),
            400,
            "appeal_type",
        ),
    ];
    for (fields, code, needle) in cases {
        let (s, v) = app.form("/open311/v2/requests.json", None, &fields).await;
        check_error(s, &v, code, needle);
    }
    let mut f = with(&[], &["description"]);
    f.push(("description", long.as_str()));
    let (s, v) = app.form("/open311/v2/requests.json", None, &f).await;
    check_error(s, &v, 400, "4001 characters");
    let (s, x) = app
        .form(
            "/open311/v2/requests.xml",
            None,
            &with(&[], &["service_code"]),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        x.as_str()
            .unwrap()
            .contains("<errors><error><code>400</code>"),
        "{x}"
    );
    let req = Request::builder()
        .method(Method::POST)
        .uri("/open311/v2/requests.json")
        .header("content-type", "application/json")
        .body(Body::from("{}"))
        .unwrap();
    let (s, v) = app.send(req).await;
    check_error(s, &v, 400, "form-encoded");
    assert_eq!(app.count("hotline_orders").await, 0);
    // A revoked key no longer works.
    let id = zhengshu_hotline::keys::list(&app.db).await.unwrap()[0].id;
    zhengshu_hotline::keys::revoke(&app.db, id, app.state.now())
        .await
        .unwrap();
    let (s, v) = app.form("/open311/v2/requests.json", None, &base).await;
    check_error(s, &v, 403, "revoked");
}
