//! Walks every route with every role (and with no login) and checks allowed/denied
//! against the role → permission table. Also checks that every OpenAPI operation is in
//! the route list, so a new endpoint cannot skip this test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use zhengshu_auth::role::permissions_of;
use zhengshu_auth::Role;
use zhengshu_web::testing::TestApp;

fn denied_by_permission(status: StatusCode, text: &str) -> bool {
    status == StatusCode::FORBIDDEN && text.contains("permission")
}

#[tokio::test]
async fn every_route_with_every_role() {
    let app = TestApp::new().await;
    let mut callers = Vec::new();
    for role in Role::ALL {
        let (_, token) = app.user_with_token(role.as_str(), &[role], None).await;
        callers.push((role, token));
    }
    let specs = zhengshu_web::route_specs();
    assert!(
        specs.len() > 30,
        "route list looks incomplete: {}",
        specs.len()
    );
    let mut checked = 0;
    for spec in &specs {
        let body = matches!(spec.method, "POST" | "PUT" | "PATCH").then(|| serde_json::json!({}));
        if spec.scenario_only {
            // The share API answers scenario tokens only: no login and every role's user
            // token are refused alike (grant states are walked in the exchange's suite).
            let r = app.call(spec.method, spec.path, None, body.clone()).await;
            assert!(
                r.status == StatusCode::UNAUTHORIZED || r.status == StatusCode::FORBIDDEN,
                "{} {} without login: {}",
                spec.method,
                spec.path,
                r.status
            );
            for (role, token) in &callers {
                let r = app
                    .call(spec.method, spec.path, Some(token), body.clone())
                    .await;
                assert_eq!(
                    r.status,
                    StatusCode::UNAUTHORIZED,
                    "{} {} as {}: a user token must be refused, got {} {}",
                    spec.method,
                    spec.path,
                    role.as_str(),
                    r.status,
                    r.text
                );
                assert!(r.text.contains("scenario"), "{}", r.text);
                checked += 1;
            }
            continue;
        }
        // No login.
        let r = app.call(spec.method, spec.path, None, body.clone()).await;
        match spec.permission {
            None => assert!(
                r.status != StatusCode::UNAUTHORIZED && r.status != StatusCode::FORBIDDEN,
                "{} {} public but got {}",
                spec.method,
                spec.path,
                r.status
            ),
            Some(_) => {
                let page = zhengshu_http::is_login_page(&spec.method.parse().unwrap(), spec.path);
                let expected = if page {
                    StatusCode::SEE_OTHER
                } else if spec.method == "GET" || spec.path.starts_with("/api/") {
                    StatusCode::UNAUTHORIZED
                } else {
                    StatusCode::FORBIDDEN
                };
                // Unsafe console methods without a session fail CSRF (403) before auth; an
                // API call without any credential gets its 401.
                assert_eq!(
                    r.status, expected,
                    "{} {} without login: {}",
                    spec.method, spec.path, r.text
                );
            }
        }
        for (role, token) in &callers {
            let r = app
                .call(spec.method, spec.path, Some(token), body.clone())
                .await;
            let allowed = spec
                .permission
                .is_none_or(|p| permissions_of(&[*role]).contains(&p));
            if allowed {
                assert!(
                    r.status != StatusCode::UNAUTHORIZED
                        && !denied_by_permission(r.status, &r.text),
                    "{} {} as {}: expected allowed, got {} {}",
                    spec.method,
                    spec.path,
                    role.as_str(),
                    r.status,
                    r.text
                );
            } else {
                assert!(
                    denied_by_permission(r.status, &r.text),
                    "{} {} as {}: expected 403, got {} {}",
                    spec.method,
                    spec.path,
                    role.as_str(),
                    r.status,
                    r.text
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, specs.len() * Role::ALL.len());
}

#[test]
fn every_openapi_operation_is_in_the_route_list() {
    let doc = serde_json::to_value(zhengshu_web::openapi()).unwrap();
    let specs = zhengshu_web::route_specs();
    let matches = |template: &str, path: &str| {
        let path = path.split('?').next().unwrap_or(path);
        let t: Vec<&str> = template.split('/').collect();
        let p: Vec<&str> = path.split('/').collect();
        t.len() == p.len() && t.iter().zip(&p).all(|(a, b)| a.starts_with('{') || a == b)
    };
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            let m = method.to_uppercase();
            assert!(
                specs.iter().any(|s| s.method == m && matches(path, s.path)),
                "{m} {path} is documented but not in route_specs()"
            );
        }
    }
}
