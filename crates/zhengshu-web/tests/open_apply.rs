//! Conditional opening (有条件开放) through the real app: a member of the public
//! registers, applies for a conditionally opened dataset; only a reviewer of the providing
//! unit (or the platform) decides, by a due day counted in working days; approval unlocks
//! the data for the applicant's session and app keys; revocation, withdrawal, key
//! revocation and rate limits take it away again. Also the usage counters.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode};
use serde_json::json;
use zhengshu_auth::Role;
use zhengshu_catalog::{NewDataItem, NewResource, Resource};
use zhengshu_open::model::{AppStatus, Caller};
use zhengshu_open::service;
use zhengshu_open::stats::Event;
use zhengshu_open::OpenError;
use zhengshu_web::testing::{TestApp, TestResponse};

struct World {
    app: TestApp,
    admin: String,
    /// Reviewer of the providing unit, and of another unit.
    reviewer: String,
    other_reviewer: String,
    conditional: Resource,
    open: Resource,
}

fn new_resource(unit: i64, name: &str, open_type: &str) -> NewResource {
    let item = |name: &str, label: &str, t: &str| NewDataItem {
        name: name.into(),
        label: label.into(),
        data_type: t.into(),
        ..NewDataItem::default()
    };
    NewResource {
        name: name.into(),
        summary: format!("{name}：龙岗区的测试数据"),
        classification: "201009".into(),
        theme: "公共服务".into(),
        provider_unit_id: Some(unit),
        format: "电子表格".into(),
        sharing_type: "无条件共享".into(),
        open_type: open_type.into(),
        open_conditions: if open_type == "有条件开放" {
            "仅用于科研和公益用途".into()
        } else {
            String::new()
        },
        update_cycle: "每月".into(),
        security_grade: "一般".into(),
        items: vec![
            item("site_code", "站点编号", "字符型"),
            item("site_name", "站点名称", "字符型"),
            item("street", "所属街道", "字符型"),
            item("beds", "床位数", "整数型"),
        ],
        ..NewResource::default()
    }
}

async fn world() -> World {
    let app = TestApp::new().await;
    let (_, admin) = app
        .user_with_token("admin", &[Role::PlatformAdmin], None)
        .await;
    let mut units = Vec::new();
    for name in ["龙岗区民政局", "龙岗区教育局"] {
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
    let (_, reviewer) = app
        .user_with_token("mzreviewer", &[Role::Reviewer], Some(units[0]))
        .await;
    let (_, other_reviewer) = app
        .user_with_token("jyreviewer", &[Role::Reviewer], Some(units[1]))
        .await;
    let conditional = zhengshu_catalog::create_demo_resource(
        &app.state.catalog,
        &new_resource(units[0], "长者服务站点信息", "有条件开放"),
    )
    .await
    .unwrap();
    let open = zhengshu_catalog::create_demo_resource(
        &app.state.catalog,
        &new_resource(units[0], "养老机构信息", "无条件开放"),
    )
    .await
    .unwrap();
    for r in [&conditional, &open] {
        let n = zhengshu_open::demo::load(&app.state.open, r, 40)
            .await
            .unwrap();
        assert_eq!(n, 40);
    }
    World {
        app,
        admin,
        reviewer,
        other_reviewer,
        conditional,
        open,
    }
}

fn cookie_of(r: &TestResponse, name: &str) -> String {
    r.set_cookies()
        .into_iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie in {:?}", r.headers))
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

fn csrf_in(page: &str) -> String {
    page.split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("csrf in page")
        .to_string()
}

async fn post_form(app: &TestApp, path: &str, cookie: &str, body: &str) -> TestResponse {
    app.send(
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

async fn get_page(app: &TestApp, path: &str, cookie: &str) -> TestResponse {
    app.send(
        Request::get(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Registers `username` through the form; returns (session cookie, csrf, user id).
async fn register(app: &TestApp, username: &str) -> (String, String, i64) {
    let page = app.call("GET", "/open/register", None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    let pre = cookie_of(&page, "zs_csrf");
    let csrf = pre.trim_start_matches("zs_csrf=").to_string();
    // Two different passwords: the form comes back with the reason, nothing is created.
    let r = post_form(
        app,
        "/open/register",
        &pre,
        &format!(
            "username={username}&display_name={}&password=open-data-2026&password2=other-2026xx&_csrf={csrf}",
            enc("周市民")
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("两次输入的密码不一致"), "{}", r.text);
    assert!(zhengshu_auth::users::get_by_username(app.db(), username)
        .await
        .is_err());
    // Without the CSRF token the form is refused.
    let r = post_form(
        app,
        "/open/register",
        &pre,
        &format!(
            "username={username}&display_name=x&password=open-data-2026&password2=open-data-2026"
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = post_form(
        app,
        "/open/register",
        &pre,
        &format!(
            "username={username}&display_name={}&password=open-data-2026&password2=open-data-2026&_csrf={csrf}",
            enc("周市民")
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.headers[header::LOCATION], "/open/account");
    let session = cookie_of(&r, "zs_session");
    let user = zhengshu_auth::users::get_by_username(app.db(), username)
        .await
        .unwrap();
    assert_eq!(user.roles, vec![Role::PublicUser]);
    assert_eq!(user.unit_id, None);
    let account = get_page(app, "/open/account", &session).await;
    assert_eq!(account.status, StatusCode::OK, "{}", account.text);
    assert!(account.text.contains("还没有申请"), "{}", account.text);
    // A registered member of the public has no console.
    let console = get_page(app, "/console", &session).await;
    assert_eq!(console.status, StatusCode::FORBIDDEN);
    let csrf = csrf_in(&account.text);
    (session, csrf, user.id)
}

fn key_headers(key: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(header::AUTHORIZATION, HeaderValue::from_str(key).unwrap());
    h
}

#[tokio::test]
async fn apply_decide_read_revoke() {
    let w = world().await;
    let app = &w.app;
    let st = &app.state.open;
    let (session, csrf, user_id) = register(app, "citizen1").await;
    let user = Caller::User { user_id };
    let cond = service::dataset(st, &w.conditional.code).await.unwrap();
    let open = service::dataset(st, &w.open.code).await.unwrap();
    assert!(cond.is_conditional() && cond.has_data());
    // Before any application: open data for everyone, conditional data for no one.
    assert!(service::may_read(st, &Caller::Anonymous, &open)
        .await
        .unwrap());
    assert!(!service::may_read(st, &Caller::Anonymous, &cond)
        .await
        .unwrap());
    assert!(!service::may_read(st, &user, &cond).await.unwrap());
    assert!(matches!(
        service::authorize(st, &Caller::Anonymous, &cond).await,
        Err(OpenError::Unauthenticated(m)) if m.contains("sign in and apply")
    ));
    assert!(matches!(
        service::authorize(st, &user, &cond).await,
        Err(OpenError::Forbidden(_))
    ));

    // A purpose that says nothing is refused; an open dataset needs no application.
    let apply = |code: &str, purpose: &str| {
        format!(
            "purpose={}&organisation={}&contact=a%40b.cn&_csrf={csrf}",
            enc(purpose),
            enc("深圳某大学"),
        )
        .replace("CODE", code)
    };
    let r = post_form(
        app,
        &format!("/open/datasets/{}/apply", w.conditional.code),
        &session,
        &apply(&w.conditional.code, "研究"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("purpose"), "{}", r.text);
    let r = post_form(
        app,
        &format!("/open/datasets/{}/apply", w.open.code),
        &session,
        &apply(&w.open.code, "分析养老机构床位的空间分布情况"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("no application is needed"), "{}", r.text);

    let r = post_form(
        app,
        &format!("/open/datasets/{}/apply", w.conditional.code),
        &session,
        &apply(
            &w.conditional.code,
            "分析长者服务站点的覆盖范围，用于课题研究",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // The test clock is Monday 2026-03-02; ten working days later is Monday 2026-03-16.
    assert!(r.text.contains("2026-03-16"), "{}", r.text);
    let mine = service::my_applications(st, user_id).await.unwrap();
    assert_eq!(mine.len(), 1);
    let a = &mine[0];
    assert_eq!(
        (a.status, a.due_date.as_str(), a.organisation.as_str()),
        (AppStatus::Pending, "2026-03-16", "深圳某大学")
    );
    // A second application while one is pending is refused.
    let r = post_form(
        app,
        &format!("/open/datasets/{}/apply", w.conditional.code),
        &session,
        &apply(
            &w.conditional.code,
            "分析长者服务站点的覆盖范围，用于课题研究",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("already"), "{}", r.text);

    // Who sees and decides it: the provider's reviewer and the platform, not another unit.
    let list = |token: &str| {
        let token = token.to_string();
        async move {
            app.call(
                "GET",
                "/api/v1/open/applications?status=pending",
                Some(&token),
                None,
            )
            .await
        }
    };
    let ids = |r: &TestResponse| -> Vec<i64> {
        r.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(&list(&w.reviewer).await), vec![a.id]);
    assert_eq!(ids(&list(&w.admin).await), vec![a.id]);
    assert!(ids(&list(&w.other_reviewer).await).is_empty());
    let bad = app
        .call(
            "GET",
            "/api/v1/open/applications?status=maybe",
            Some(&w.admin),
            None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let path = format!("/api/v1/open/applications/{}/decision", a.id);
    let r = app
        .call(
            "POST",
            &path,
            Some(&w.other_reviewer),
            Some(json!({"approve": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = app
        .call(
            "POST",
            &path,
            Some(&w.reviewer),
            Some(json!({"approve": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("reason"), "{}", r.text);
    let r = app
        .call(
            "POST",
            &path,
            Some(&w.reviewer),
            Some(json!({"approve": true, "valid_until": "2031-01-01"})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "beyond three years: {}",
        r.text
    );
    let r = app
        .call(
            "POST",
            &path,
            Some(&w.reviewer),
            Some(json!({"approve": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["status"], "approved");
    assert_eq!(r.json()["valid_until"], "2027-03-02");
    let again = app
        .call(
            "POST",
            &path,
            Some(&w.reviewer),
            Some(json!({"approve": false, "reason": "晚了"})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);

    // Approved: the applicant reads it signed in; still no one else.
    assert!(service::may_read(st, &user, &cond).await.unwrap());
    assert!(!service::may_read(st, &Caller::Anonymous, &cond)
        .await
        .unwrap());
    let account = get_page(app, "/open/account", &session).await;
    assert!(account.text.contains("已通过"), "{}", account.text);

    // An app key, shown once, unlocks it for programs; revoked, it opens nothing.
    let r = post_form(
        app,
        "/open/account/keys",
        &session,
        &format!("name=script&_csrf={csrf}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let secret = r
        .text
        .split("data-testid=\"new-key-secret\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_string();
    assert!(secret.starts_with("zso_") && secret.len() > 40, "{secret}");
    let caller = service::caller(st, &key_headers(&secret), None)
        .await
        .unwrap();
    assert!(matches!(caller, Caller::Key { user_id: u, .. } if u == user_id));
    assert!(service::may_read(st, &caller, &cond).await.unwrap());
    // The bearer form and CKAN's header are read too.
    let mut h = HeaderMap::new();
    h.insert("x-ckan-api-key", HeaderValue::from_str(&secret).unwrap());
    assert!(matches!(
        service::caller(st, &h, None).await.unwrap(),
        Caller::Key { .. }
    ));
    let bearer = key_headers(&format!("Bearer {secret}"));
    assert!(matches!(
        service::caller(st, &bearer, None).await.unwrap(),
        Caller::Key { .. }
    ));
    // The key is not a user credential anywhere else.
    let r = app.call("GET", "/api/v1/units", Some(&secret), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);

    // Rate limit: a key allowed two calls a minute gets the third refused with a wait.
    let key = zhengshu_open::store::keys(app.db(), user_id).await.unwrap()[0].clone();
    zhengshu_db::sqlx::query("UPDATE open_keys SET rate_per_minute = 2 WHERE id = $1")
        .bind(key.id)
        .execute(app.db().pool())
        .await
        .unwrap();
    let mut outcomes = Vec::new();
    for _ in 0..3 {
        outcomes.push(
            service::caller(st, &key_headers(&secret), None)
                .await
                .is_ok(),
        );
    }
    // (The first call above used one of the bucket's tokens at the old rate's capacity.)
    assert!(outcomes.contains(&false), "{outcomes:?}");
    match service::caller(st, &key_headers(&secret), None).await {
        Err(OpenError::RateLimited {
            limit: 2,
            retry_after,
        }) => assert!(retry_after >= 1),
        other => panic!("expected a rate limit, got {other:?}"),
    }

    let r = post_form(
        app,
        &format!("/open/account/keys/{}/revoke", key.id),
        &session,
        &format!("_csrf={csrf}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert!(matches!(
        service::caller(st, &key_headers(&secret), None).await,
        Err(OpenError::Unauthenticated(_))
    ));

    // The provider revokes the approval: the data closes again.
    let r = post_form(
        app,
        &format!("/console/open/applications/{}/revoke", a.id),
        "",
        "reason=x",
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "no session, no CSRF: {}",
        r.text
    );
    let revoked = service::revoke(
        st,
        &service::Reviewer {
            user_id: 0,
            unit_id: Some(cond.resource.provider_unit_id),
            is_admin: false,
        },
        a.id,
        "用途超出申请范围",
    )
    .await
    .unwrap();
    assert_eq!(revoked.status, AppStatus::Revoked);
    assert!(!service::may_read(st, &user, &cond).await.unwrap());
}

#[tokio::test]
async fn withdraw_reject_and_permissions() {
    let w = world().await;
    let app = &w.app;
    let st = &app.state.open;
    let (session, csrf, user_id) = register(app, "citizen2").await;
    let body = format!(
        "purpose={}&_csrf={csrf}",
        enc("开发便民小程序，为居民提供长者服务指引")
    );
    let path = format!("/open/datasets/{}/apply", w.conditional.code);
    let r = post_form(app, &path, &session, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let first = service::my_applications(st, user_id).await.unwrap()[0].clone();
    // Withdrawn by the applicant; then a new one is allowed, and rejected with a reason.
    let r = post_form(
        app,
        &format!("/open/account/applications/{}/withdraw", first.id),
        &session,
        &format!("_csrf={csrf}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(
        service::application(st, first.id).await.unwrap().status,
        AppStatus::Withdrawn
    );
    let r = post_form(app, &path, &session, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let second = service::my_applications(st, user_id).await.unwrap()[0].clone();
    assert_ne!(second.id, first.id);
    let r = app
        .call(
            "POST",
            &format!("/api/v1/open/applications/{}/decision", second.id),
            Some(&w.admin),
            Some(json!({"approve": false, "reason": "用途与开放条件不符"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let account = get_page(app, "/open/account", &session).await;
    assert!(
        account.text.contains("用途与开放条件不符"),
        "{}",
        account.text
    );
    assert!(!service::may_read(
        st,
        &Caller::User { user_id },
        &service::dataset(st, &w.conditional.code).await.unwrap()
    )
    .await
    .unwrap());
    // No approval, no key.
    let r = post_form(
        app,
        "/open/account/keys",
        &session,
        &format!("name=k&_csrf={csrf}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("no approved application"), "{}", r.text);
    // Staff without the permission cannot apply; a stranger's withdrawal is not found.
    let r = app
        .call(
            "POST",
            &path,
            Some(&w.reviewer),
            Some(json!({"purpose": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert!(matches!(
        service::withdraw(st, user_id + 1000, second.id).await,
        Err(OpenError::NotFound(_))
    ));
    // A dataset that is not opened does not exist for the portal.
    assert!(matches!(
        service::dataset(st, "999999-0000-0000").await,
        Err(OpenError::NotFound(_))
    ));
}

#[tokio::test]
async fn usage_counters_add_up_per_day_dataset_and_unit() {
    let w = world().await;
    let st = &w.app.state.open;
    let (c, o) = (w.conditional.id, w.open.id);
    for _ in 0..3 {
        st.stats.record("2026-03-01", o, Event::View);
    }
    st.stats.record("2026-03-01", o, Event::Download);
    st.stats.record("2026-03-02", o, Event::ApiCall);
    st.stats.record("2026-03-02", c, Event::View);
    st.stats.flush(&st.db).await.unwrap();
    // Counts after a flush are added, not replaced.
    st.stats.record("2026-03-02", o, Event::ApiCall);
    let s = zhengshu_open::stats::summary(st, "2026-03-01")
        .await
        .unwrap();
    assert_eq!(
        (s.totals.views, s.totals.downloads, s.totals.api_calls),
        (4, 1, 2)
    );
    assert_eq!(s.by_day.len(), 2);
    assert_eq!(s.by_day[0].0, "2026-03-01");
    assert_eq!(s.by_day[1].1.api_calls, 2);
    assert_eq!(s.datasets[0].resource_id, o, "the most used first");
    let unit = s
        .units
        .iter()
        .find(|u| u.unit_id == w.open.provider_unit_id)
        .unwrap();
    assert_eq!(unit.datasets, 2);
    assert_eq!(unit.totals.views, 4);
    let later = zhengshu_open::stats::summary(st, "2026-03-02")
        .await
        .unwrap();
    assert_eq!(later.totals.views, 1);
    let h = zhengshu_open::headline(st).await.unwrap();
    assert!(h.contains(&("open_datasets", 2)), "{h:?}");
    assert!(h.contains(&("open_downloads", 1)), "{h:?}");
    let r = w
        .app
        .call("GET", "/api/v1/open/stats?days=2", Some(&w.admin), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["totals"]["api_calls"], 2);
    let r = w
        .app
        .call("GET", "/api/v1/open/stats?days=0", Some(&w.admin), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}
