//! Issue 7: the JSON API and console pages through the router.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/app.rs"]
mod app;

use app::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn operators_create_orders_and_bad_input_writes_nothing() {
    let app = TestApp::new().await;
    let op = Some(app.operator.token.as_str());
    let body = json!({
        "caller_name": "王先生", "caller_phone": "13912345678", "appeal_type": "投诉举报", "category_code": "cs01",
        "content": "碧湖花园楼下广场舞音响太大", "street": "平湖", "lead_unit_id": app.lead()
    });
    let (s, v) = app
        .call(
            Method::POST,
            "/api/v1/hotline/orders",
            op,
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["state"], "dispatched");
    assert_eq!(v["street"], "平湖街道");
    assert_eq!(v["category_code"], "CS01");
    assert_eq!(v["lead_unit_name"], "龙岗区城市管理和综合执法局");
    let before = app.count("hotline_orders").await;
    let long = "很".repeat(4001);
    for (field, value, needle) in [
        ("content", json!(""), "content"),
        ("content", json!(long), "4001 characters"),
        ("category_code", json!("ZZ99"), "category_code"),
        ("street", json!("南山"), "street"),
        ("appeal_type", json!("chat"), "appeal_type"),
        ("caller_phone", json!("call me"), "caller_phone"),
        ("lead_unit_id", json!(424242), "unit 424242"),
    ] {
        let mut b = body.clone();
        b[field] = value;
        let (s, v) = app
            .call(Method::POST, "/api/v1/hotline/orders", op, Some(b))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {v}");
        assert!(
            v["error"]["message"].as_str().unwrap().contains(needle),
            "{field}: {v}"
        );
    }
    assert_eq!(app.count("hotline_orders").await, before);
    // Roles: a handler may not create; nobody anonymous.
    let (s, _) = app
        .call(
            Method::POST,
            "/api/v1/hotline/orders",
            Some(&app.handler.token),
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .call(Method::GET, "/api/v1/hotline/orders", None, None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // An anonymous POST: refused as unauthenticated, and nothing is written.
    let before = app
        .db
        .scalar_i64("SELECT COUNT(*) FROM hotline_orders")
        .await
        .unwrap();
    let (s, _) = app
        .call(Method::POST, "/api/v1/hotline/orders", None, Some(body))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let after = app
        .db
        .scalar_i64("SELECT COUNT(*) FROM hotline_orders")
        .await
        .unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn illegal_transitions_answer_409_with_the_current_state() {
    let app = TestApp::new().await;
    let o = app.dispatched().await;
    let h = Some(app.handler.token.as_str());
    let path = |a: &str| format!("/api/v1/hotline/orders/{}/{a}", o.order_no);
    let (s, v) = app.call(Method::POST, &path("sign"), h, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "signed");
    let (s, v) = app
        .call(
            Method::POST,
            &path("reply"),
            h,
            Some(json!({"reply": "已清理"})),
        )
        .await;
    assert_eq!((s, v["state"].as_str()), (StatusCode::OK, Some("closed")));
    let (s, v) = app.call(Method::POST, &path("sign"), h, None).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(v["error"]["code"], "illegal_transition");
    assert_eq!(
        v["error"]["message"],
        format!("order {} is 已办结 (closed); cannot sign", o.order_no)
    );
    // Wrong unit and wrong role.
    let o2 = app.dispatched().await;
    let (s, v) = app
        .call(
            Method::POST,
            &format!("/api/v1/hotline/orders/{}/sign", o2.order_no),
            Some(&app.other_handler.token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not to your unit"));
    let (s, _) = app
        .call(
            Method::POST,
            &format!("/api/v1/hotline/orders/{}/sign", o2.order_no),
            Some(&app.operator.token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app
        .call(
            Method::POST,
            "/api/v1/hotline/orders/GD209901010001/sign",
            h,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, v) = app
        .call(
            Method::POST,
            &format!("/api/v1/hotline/orders/{}/call-back", o.order_no),
            Some(&app.operator.token),
            Some(json!({"satisfaction": "so-so"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = app
        .call(
            Method::POST,
            &format!("/api/v1/hotline/orders/{}/call-back", o.order_no),
            Some(&app.operator.token),
            Some(json!({"satisfaction": "满意"})),
        )
        .await;
    assert_eq!(
        (s, v["state"].as_str()),
        (StatusCode::OK, Some("called_back"))
    );
}

#[tokio::test]
async fn the_order_shows_the_viewers_actions_and_the_list_filters() {
    let app = TestApp::new().await;
    let o = app.dispatched().await;
    let (s, v) = app
        .call(
            Method::GET,
            &format!("/api/v1/hotline/orders/{}", o.order_no),
            Some(&app.handler.token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let actions: Vec<&str> = v["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(actions, ["sign", "return"]);
    let (_, v) = app
        .call(
            Method::GET,
            &format!("/api/v1/hotline/orders/{}", o.order_no),
            Some(&app.other_handler.token),
            None,
        )
        .await;
    assert_eq!(v["allowed_actions"], json!([]));
    let (_, v) = app
        .call(
            Method::GET,
            &format!("/api/v1/hotline/orders/{}", o.order_no),
            Some(&app.supervisor.token),
            None,
        )
        .await;
    assert_eq!(v["allowed_actions"], json!(["supervise"]));
    assert_eq!(v["events"].as_array().unwrap().len(), 2);

    app.state
        .create(&app.operator.actor, &app.new_order(false))
        .await
        .unwrap();
    let op = Some(app.operator.token.as_str());
    let list = |q: &'static str| {
        app.call(
            Method::GET,
            Box::leak(format!("/api/v1/hotline/orders{q}").into_boxed_str()),
            op,
            None,
        )
    };
    let (s, v) = list("?state=dispatched").await;
    assert_eq!((s, v["total"].as_i64()), (StatusCode::OK, Some(1)));
    let (_, v) = list("?state=open&street=%E5%9D%82%E7%94%B0").await;
    assert_eq!(v["total"], 2);
    let (_, v) = list("?q=GD").await;
    assert_eq!(v["total"], 0);
    let (_, v) = list("?q=%E5%8D%A0%E9%81%93").await;
    assert_eq!(v["total"], 2);
    let (s, v) = list("?warning=orange").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _) = list("?state=lost").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // A data officer has no hotline permission.
    let (s, _) = app
        .call(
            Method::GET,
            "/api/v1/hotline/orders",
            Some(&app.reader.token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn suggestions_use_rules_and_find_duplicates_and_redirects() {
    let app = TestApp::new().await;
    let o = app.dispatched().await;
    let op = Some(app.operator.token.as_str());
    let (s, v) = app
        .call(
            Method::POST,
            "/api/v1/hotline/suggest",
            op,
            Some(json!({"content": o.content, "street": "坂田街道"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["category"]["value"], "CS02");
    assert_eq!(v["category"]["source"], "rule");
    assert_eq!(v["unit"]["value"], app.lead(), "{v}");
    assert_eq!(v["unit"]["label"], "龙岗区城市管理和综合执法局");
    assert_eq!(v["duplicates"][0]["order_no"], o.order_no);
    assert!(v["redirect"].is_null());
    let (_, v) = app
        .call(
            Method::POST,
            "/api/v1/hotline/suggest",
            op,
            Some(json!({"content": "我要起诉开发商", "street": ""})),
        )
        .await;
    assert_eq!(v["redirect"]["kind"], "诉讼");
    assert!(v["redirect"]["text"].as_str().unwrap().contains("人民法院"));
    // The model learnt the dispatch: a text without a rule keyword gets a model guess.
    let (_, v) = app
        .call(
            Method::POST,
            "/api/v1/hotline/suggest",
            op,
            Some(json!({"content": "五和大道人行道行人无法通行", "street": ""})),
        )
        .await;
    assert_eq!(v["category"]["source"], "model");
    assert_eq!(v["category"]["value"], "CS02");
    let c = v["category"]["confidence"].as_f64().unwrap();
    assert!(c > 0.0 && c <= 1.0);
    let (s, _) = app
        .call(
            Method::POST,
            "/api/v1/hotline/suggest",
            Some(&app.handler.token),
            Some(json!({"content": "x"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn supervisors_read_statistics_export_csv_and_edit_rules() {
    let app = TestApp::new().await;
    let o = app.dispatched().await;
    app.state
        .sign(&app.handler.actor, &o.order_no)
        .await
        .unwrap();
    app.state
        .reply(&app.handler.actor, &o.order_no, "已处理")
        .await
        .unwrap();
    app.state
        .call_back(
            &app.operator.actor,
            &o.order_no,
            zhengshu_hotline::Satisfaction::Satisfied,
            "",
        )
        .await
        .unwrap();
    app.dispatched().await;
    let sup = Some(app.supervisor.token.as_str());
    let (s, v) = app
        .call(Method::GET, "/api/v1/hotline/stats", sup, None)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["total"]["received"], 2);
    assert_eq!(v["total"]["closed"], 1);
    assert_eq!(v["on_time_rate"], 1.0);
    assert_eq!(v["satisfaction_rate"], 1.0);
    assert_eq!(v["open_now"], 1);
    assert_eq!(v["by_street"][0]["label"], "坂田街道");
    assert_eq!(v["by_unit"][0]["label"], "龙岗区城市管理和综合执法局");
    assert_eq!(v["top_this_week"][0]["label"], "占道经营");
    assert_eq!(v["trend"].as_array().unwrap().len(), 1);
    let (s, v) = app
        .call(
            Method::GET,
            "/api/v1/hotline/stats?from=2026-13-01",
            sup,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, text) = app.get_text("/api/v1/hotline/stats.csv", sup).await;
    assert_eq!(s, StatusCode::OK);
    assert!(text.starts_with('\u{feff}'));
    assert!(
        text.contains("category,CS02,占道经营,2,1,1,1.0000,1,1,0,0,1.0000"),
        "{text}"
    );
    let (s, _) = app
        .call(
            Method::GET,
            "/api/v1/hotline/stats",
            Some(&app.operator.token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (s, v) = app
        .call(
            Method::PUT,
            "/api/v1/hotline/deadline-rules/handle.help.normal",
            sup,
            Some(json!({"amount": 4, "unit": "working_days"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["key"] == "handle.help.normal" && r["amount"] == 4));
    let (s, v) = app
        .call(
            Method::PUT,
            "/api/v1/hotline/deadline-rules/handle.help.normal",
            sup,
            Some(json!({"amount": 0, "unit": "working_days"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _) = app
        .call(
            Method::PUT,
            "/api/v1/hotline/deadline-rules/sign",
            Some(&app.operator.token),
            Some(json!({"amount": 2, "unit": "working_days"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app
        .call(
            Method::GET,
            "/api/v1/hotline/deadline-rules",
            Some(&app.handler.token),
            None,
        )
        .await;
    assert_eq!((s, v.as_array().unwrap().len()), (StatusCode::OK, 16));
}

#[tokio::test]
async fn open311_keys_are_issued_listed_and_revoked() {
    let app = TestApp::new().await;
    let sup = Some(app.supervisor.token.as_str());
    let (s, v) = app
        .call(
            Method::POST,
            "/api/v1/hotline/open311-keys",
            sup,
            Some(json!({"name": "i深圳 app"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let key = v["api_key"].as_str().unwrap().to_string();
    assert!(key.starts_with("o311_") && key.len() > 30);
    let (_, list) = app
        .call(Method::GET, "/api/v1/hotline/open311-keys", sup, None)
        .await;
    assert_eq!(list[0]["name"], "i深圳 app");
    assert!(
        !list.to_string().contains(&key),
        "the secret is never listed"
    );
    let (s, _) = app
        .call(
            Method::POST,
            "/api/v1/hotline/open311-keys",
            sup,
            Some(json!({"name": " "})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = app
        .call(
            Method::POST,
            "/api/v1/hotline/open311-keys",
            Some(&app.operator.token),
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let id = list[0]["id"].as_i64().unwrap();
    let (s, _) = app
        .call(
            Method::POST,
            &format!("/api/v1/hotline/open311-keys/{id}/revoke"),
            sup,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = app
        .call(
            Method::POST,
            &format!("/api/v1/hotline/open311-keys/{id}/revoke"),
            sup,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let cli = zhengshu_hotline::create_open311_key(&app.db, &*app.clock, "cli")
        .await
        .unwrap();
    assert!(zhengshu_hotline::keys::authenticate(&app.db, &cli)
        .await
        .unwrap()
        .is_some());
    assert!(zhengshu_hotline::keys::authenticate(&app.db, &key)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn console_pages_render_and_forms_move_the_order() {
    let app = TestApp::new().await;
    let o = app.dispatched().await;
    let (s, html) = app
        .get_text("/console/hotline", Some(&app.operator.token))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(&o.order_no) && html.contains("已派单"));
    let (s, html) = app
        .get_text("/console/hotline/new", Some(&app.operator.token))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("name=\"content\"") && html.contains("龙岗区住房和建设局"));
    let (s, _) = app
        .get_text("/console/hotline/new", Some(&app.handler.token))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, html) = app
        .get_text(
            &format!("/console/hotline/orders/{}", o.order_no),
            Some(&app.handler.token),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("data-testid=\"sign\""));
    for path in [
        "/console/hotline/stats",
        "/console/hotline/rules",
        "/console/hotline/keys",
    ] {
        let (s, html) = app.get_text(path, Some(&app.supervisor.token)).await;
        assert_eq!(s, StatusCode::OK, "{path}: {html}");
    }
    // Form posts (a token caller needs no CSRF field) redirect back with the outcome.
    let (s, v) = app
        .form(
            &format!("/console/hotline/orders/{}/sign", o.order_no),
            Some(&app.handler.token),
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{v}");
    assert_eq!(
        app.state.get(&o.order_no).await.unwrap().state,
        zhengshu_hotline::OrderState::Signed
    );
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri(format!("/console/hotline/orders/{}/sign", o.order_no))
        .header("authorization", format!("Bearer {}", app.handler.token))
        .body(axum::body::Body::empty())
        .unwrap();
    let (s, headers, _) = app.raw(req).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let loc = headers["location"].to_str().unwrap();
    assert!(
        loc.contains("?error=") && loc.contains("cannot%20sign"),
        "{loc}"
    );
    let (s, _) = app
        .form(
            &format!("/console/hotline/orders/{}/extension", o.order_no),
            Some(&app.handler.token),
            &[("days", "3"), ("reason", "需现场勘查")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        app.state.get(&o.order_no).await.unwrap().state,
        zhengshu_hotline::OrderState::ExtensionPending
    );

    // The intake form creates and dispatches in one go; bad input shows the form again.
    let lead = app.lead().to_string();
    let fields = [
        ("caller_name", "李女士"),
        ("appeal_type", "help"),
        ("category_code", "CS05"),
        ("content", "龙岗大道路灯不亮"),
        ("street", "龙城街道"),
        ("urgency", "normal"),
        ("lead_unit_id", lead.as_str()),
        ("channel", "phone"),
    ];
    let (s, _) = app
        .form("/console/hotline/new", Some(&app.operator.token), &fields)
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let mut bad = fields.to_vec();
    bad[3] = ("content", "");
    let (s, v) = app
        .form("/console/hotline/new", Some(&app.operator.token), &bad)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v.as_str().unwrap().contains("form-errors"));
    let (s, html) = app
        .form(
            "/console/hotline/suggest",
            Some(&app.operator.token),
            &[("content", "龙岗大道路灯不亮"), ("street", "龙城街道")],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.as_str().unwrap().contains("路灯不亮"), "{html}");
}
