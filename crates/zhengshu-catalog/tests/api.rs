//! The JSON API through the real router: lifecycle, bad input, permissions, search.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::{app, sample};

#[tokio::test]
async fn register_submit_approve_through_the_api() {
    let app = app().await;
    let body = serde_json::to_value(sample(
        app.unit_a,
        "社保参保信息",
        "全区社会保险参保人员信息",
    ))
    .unwrap();
    let (s, r) = app
        .post_json("/api/v1/catalog/resources", &app.officer.token, body)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let id = r["id"].as_i64().unwrap();
    assert_eq!(r["status"], "draft");
    assert_eq!(r["items"][1]["pii_kind"], "resident_id");
    let (s, _) = app
        .post_json(
            &format!("/api/v1/catalog/resources/{id}/submit"),
            &app.officer.token,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, queue) = app
        .get_json("/api/v1/catalog/review-queue", Some(&app.reviewer.token))
        .await;
    assert_eq!((s, queue[0]["id"].as_i64()), (StatusCode::OK, Some(id)));
    let (s, e) = app
        .post_json(
            &format!("/api/v1/catalog/resources/{id}/return"),
            &app.reviewer.token,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["error"]["message"].as_str().unwrap().contains("comment"),
        "{e}"
    );
    let (s, r) = app
        .post_json(
            &format!("/api/v1/catalog/resources/{id}/approve"),
            &app.reviewer.token,
            json!({"comment": "同意发布"}),
        )
        .await;
    assert_eq!(
        (s, r["status"].as_str()),
        (StatusCode::OK, Some("published"))
    );
    let (s, again) = app
        .post_json(
            &format!("/api/v1/catalog/resources/{id}/approve"),
            &app.reviewer.token,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{again}");
    let (s, v) = app
        .get_json(
            &format!("/api/v1/catalog/resources/{id}/versions"),
            Some(&app.reader.token),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert_eq!(v[2]["comment"], "同意发布");
    let (s, page) = app
        .get_json(
            "/api/v1/catalog/resources?q=%E7%A4%BE%E4%BF%9D&sort=name",
            Some(&app.reader.token),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page["total"], 1);
    assert_eq!(page["resources"][0]["code"], r["code"]);
    let facet = page["facets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["facet"] == "sharing_type")
        .unwrap()
        .clone();
    assert_eq!(facet["values"][0]["label"], "无条件共享");
}

#[tokio::test]
async fn invalid_entries_get_every_problem_and_write_nothing() {
    let app = app().await;
    let mut bad = sample(app.unit_a, "", "摘要");
    bad.sharing_type = "有条件共享".into();
    bad.classification = "9".into();
    bad.items[0].data_type = "varchar".into();
    let (s, e) = app
        .post_json(
            "/api/v1/catalog/resources",
            &app.officer.token,
            serde_json::to_value(bad).unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let msg = e["error"]["message"].as_str().unwrap();
    for needle in [
        "name: is required",
        "classification",
        "sharing_conditions",
        "items[1].data_type: `varchar`",
    ] {
        assert!(msg.contains(needle), "{needle} missing in {msg}");
    }
    let (s, e) = app
        .post_json(
            "/api/v1/catalog/resources",
            &app.officer.token,
            json!({"name": 5}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let req = axum::http::Request::post("/api/v1/catalog/resources")
        .header("authorization", format!("Bearer {}", app.officer.token))
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{not json"))
        .unwrap();
    let (s, _, _) = app.send(req).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("catalog_resources").await, 0);
    assert_eq!(app.count("catalog_versions").await, 0);
}

#[tokio::test]
async fn permissions_are_enforced() {
    let app = app().await;
    let body = serde_json::to_value(sample(app.unit_a, "甲", "乙")).unwrap();
    let (s, _) = app
        .post_json(
            "/api/v1/catalog/resources",
            &app.reviewer.token,
            body.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "reviewers do not register");
    let (s, _) = app
        .post_json("/api/v1/catalog/resources", &app.reader.token, body.clone())
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.get_json("/api/v1/catalog/resources", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, r) = app
        .post_json(
            "/api/v1/catalog/resources",
            &app.officer.token,
            body.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let id = r["id"].as_i64().unwrap();
    let (s, _) = app
        .get_json(
            &format!("/api/v1/catalog/resources/{id}"),
            Some(&app.officer_b.token),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "another unit's draft is invisible"
    );
    let (s, _) = app
        .send_json(
            "PUT",
            &format!("/api/v1/catalog/resources/{id}"),
            &app.officer_b.token,
            body.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .post_json(
            &format!("/api/v1/catalog/resources/{id}/approve"),
            &app.officer.token,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, r) = app
        .send_json(
            "PUT",
            &format!("/api/v1/catalog/resources/{id}"),
            &app.officer.token,
            body,
        )
        .await;
    assert_eq!((s, r["version"].as_i64()), (StatusCode::OK, Some(2)));
    // A session-cookie POST without the CSRF token is refused by the guard.
    let req = axum::http::Request::post("/api/v1/catalog/resources/1/submit")
        .header("cookie", "zs_session=nope")
        .body(axum::body::Body::empty())
        .unwrap();
    let (s, _, _) = app.send(req).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn openapi_lists_the_catalog_paths() {
    use utoipa::OpenApi;
    let doc = zhengshu_catalog::ApiDoc::openapi();
    let json = serde_json::to_value(&doc).unwrap();
    let paths = json["paths"].as_object().unwrap();
    for p in [
        "/api/v1/catalog/resources",
        "/api/v1/catalog/resources/{id}/approve",
        "/api/v1/catalog/import",
        "/api/v1/catalog/export.xlsx",
    ] {
        assert!(paths.contains_key(p), "{p} not documented");
    }
    assert!(json["components"]["schemas"]["NewResource"].is_object());
    // Every JSON API route of ROUTE_SPECS is documented.
    for spec in zhengshu_catalog::ROUTE_SPECS
        .iter()
        .filter(|s| s.path.starts_with("/api/"))
    {
        let templ = spec.path.replace("/1/", "/{id}/");
        let templ = if templ.ends_with("/1") {
            format!("{}{{id}}", &templ[..templ.len() - 1])
        } else {
            templ
        };
        assert!(
            paths.contains_key(&templ),
            "{} {} is not in the OpenAPI document",
            spec.method,
            spec.path
        );
    }
}

#[tokio::test]
async fn every_route_spec_answers_with_its_permission() {
    let app = app().await;
    for spec in zhengshu_catalog::ROUTE_SPECS {
        let req = axum::http::Request::builder()
            .method(spec.method)
            .uri(spec.path)
            .body(axum::body::Body::empty())
            .unwrap();
        let (s, _, _) = app.send(req).await;
        if spec.permission.is_none() {
            assert_ne!(s, StatusCode::UNAUTHORIZED, "{} {}", spec.method, spec.path);
            continue;
        }
        // No caller: API answers 401, console GET pages redirect to the login page.
        if spec.path.starts_with("/console") && spec.method == "GET" {
            assert_eq!(s, StatusCode::SEE_OTHER, "{} {}", spec.method, spec.path);
        } else {
            assert!(
                matches!(s, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
                "{} {} gave {s}",
                spec.method,
                spec.path
            );
        }
        // A hotline operator holds no catalog permission at all.
    }
}
