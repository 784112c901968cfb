//! Console and public pages: the form, the lifecycle buttons, the diff view, the public
//! catalog (only open resources), with a bearer token standing in for the session.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use support::{app, sample, App};
use zhengshu_catalog::service;

async fn post_form(app: &App, path: &str, token: &str, body: &str) -> (StatusCode, String, String) {
    let req = Request::post(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = app.router();
    let res = tower::ServiceExt::oneshot(res, req).await.unwrap();
    let status = res.status();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = http_body_util::BodyExt::collect(res.into_body())
        .await
        .unwrap()
        .to_bytes();
    (
        status,
        location,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn form(unit: i64, name: &str, extra: &str) -> String {
    let fields = [
        ("name", name),
        ("summary", "全区大數據资源"),
        ("classification", "201003"),
        ("format", "electronic_file"),
        ("sharing_type", "conditional"),
        ("sharing_conditions", "仅限政务用途"),
        ("share_method", "api"),
        ("open_type", "unconditional"),
        ("update_cycle", "monthly"),
        ("security_grade", "general"),
        ("keywords", "统计,年鉴"),
        ("item_name", "nd"),
        ("item_label", "年度"),
        ("item_type", "integer"),
        ("item_length", "4"),
        ("item_pii", "none"),
        ("item_desc", ""),
        ("item_name", ""),
        ("item_label", ""),
        ("item_type", "string"),
        ("item_length", ""),
        ("item_pii", "none"),
        ("item_desc", ""),
    ];
    let mut s: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect();
    s.push(format!("provider_unit_id={unit}"));
    let mut out = s.join("&");
    out.push_str(extra);
    out
}

#[tokio::test]
async fn officer_uses_the_form_and_reviewer_publishes_from_the_page() {
    let app = app().await;
    let (s, body) = app
        .get("/console/catalog/new", Some(&app.officer.token))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("name=\"item_name\"") && body.contains("有条件共享"));

    // Missing conditions: the form comes back with the error and nothing is stored.
    let bad = form(app.unit_a, "统计年鉴", "").replace(
        "sharing_conditions=%E4%BB%85%E9%99%90%E6%94%BF%E5%8A%A1%E7%94%A8%E9%80%94",
        "sharing_conditions=",
    );
    let (s, _, body) = post_form(&app, "/console/catalog/new", &app.officer.token, &bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("有条件共享 needs its conditions"), "{body}");
    assert!(
        body.contains("value=\"统计年鉴\""),
        "the entered values are kept"
    );
    let (s, _, body) = post_form(
        &app,
        "/console/catalog/new",
        &app.officer.token,
        &form(
            app.unit_a,
            "统计年鉴",
            "&item_name=x&item_label=y&item_length=ten",
        ),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("`ten` is not a whole number"));
    assert_eq!(app.count("catalog_resources").await, 0);

    let (s, loc, _) = post_form(
        &app,
        "/console/catalog/new",
        &app.officer.token,
        &form(app.unit_a, "统计年鉴", ""),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let id: i64 = loc.rsplit('/').next().unwrap().parse().unwrap();
    let r = service::get(&app.state, Some(&app.officer.actor), id)
        .await
        .unwrap();
    assert_eq!(
        (r.items.len(), r.items[0].length, r.keywords.len()),
        (1, Some(4), 2)
    );

    // Edit page round-trips the values; change the name.
    let (s, body) = app
        .get(
            &format!("/console/catalog/{id}/edit"),
            Some(&app.officer.token),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains(&r.code));
    let (s, _, _) = post_form(
        &app,
        &format!("/console/catalog/{id}/edit"),
        &app.officer.token,
        &format!("{}&code={}", form(app.unit_a, "统计年鉴2025", ""), r.code),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);

    let (s, loc, _) = post_form(
        &app,
        &format!("/console/catalog/{id}/submit"),
        &app.officer.token,
        "",
    )
    .await;
    assert_eq!(
        (s, loc.as_str()),
        (
            StatusCode::SEE_OTHER,
            format!("/console/catalog/{id}").as_str()
        )
    );
    let (_, body) = app
        .get("/console/catalog/review", Some(&app.reviewer.token))
        .await;
    assert!(body.contains("统计年鉴2025"));
    let (_, body) = app
        .get(&format!("/console/catalog/{id}"), Some(&app.reviewer.token))
        .await;
    assert!(body.contains("data-testid=\"catalog-approve\""));
    assert!(
        body.contains("<del>统计年鉴</del>") && body.contains("<ins>统计年鉴2025</ins>"),
        "the diff view shows the rename"
    );
    // The officer cannot approve: the page shows why.
    let (s, _, _) = post_form(
        &app,
        &format!("/console/catalog/{id}/approve"),
        &app.officer.token,
        "comment=",
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = post_form(
        &app,
        &format!("/console/catalog/{id}/approve"),
        &app.reviewer.token,
        "comment=%E5%A5%BD",
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, loc, _) = post_form(
        &app,
        &format!("/console/catalog/{id}/approve"),
        &app.reviewer.token,
        "comment=",
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(
        loc.contains("?msg="),
        "a refused step comes back with a message: {loc}"
    );
    let (_, body) = app.get(&loc, Some(&app.reviewer.token)).await;
    assert!(body.contains("data-testid=\"catalog-message\""));

    // Public pages show it; search by the traditional form.
    let (s, body) = app
        .get("/catalog?q=%E5%A4%A7%E6%95%B8%E6%93%9A", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("统计年鉴2025"), "{body}");
    let (s, body) = app.get(&format!("/catalog/{}", r.code), None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("年度") && body.contains(".jsonld"));
}

#[tokio::test]
async fn console_list_has_facets_and_public_sees_only_open_resources() {
    let app = app().await;
    let s = &app.state;
    for (name, open) in [("公开甲", "无条件开放"), ("不开放乙", "不予开放")] {
        let mut n = sample(app.unit_a, name, "数据");
        n.open_type = open.into();
        n.open_basis = "涉密".into();
        let r = service::create(s, &app.officer.actor, &n).await.unwrap();
        service::submit(s, &app.officer.actor, r.id).await.unwrap();
        service::approve(s, &app.reviewer.actor, r.id, "")
            .await
            .unwrap();
    }
    let draft = service::create(s, &app.officer.actor, &sample(app.unit_a, "草稿丙", "数据"))
        .await
        .unwrap();
    let (st, body) = app.get("/console/catalog", Some(&app.officer.token)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        body.contains("草稿丙")
            && body.contains("不开放乙")
            && body.contains("data-facet=\"open_type\"")
    );
    let (_, body) = app
        .get(
            "/console/catalog?open_type=not_open",
            Some(&app.officer.token),
        )
        .await;
    assert!(body.contains("不开放乙") && !body.contains("公开甲"));
    let (_, body) = app.get("/catalog", None).await;
    assert!(body.contains("公开甲") && !body.contains("不开放乙") && !body.contains("草稿丙"));
    let (st, _) = app.get(&format!("/catalog/{}", draft.code), None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = app.get("/console/catalog", None).await;
    assert_eq!(
        st,
        StatusCode::SEE_OTHER,
        "signed-out console visits go to the login page"
    );
}
