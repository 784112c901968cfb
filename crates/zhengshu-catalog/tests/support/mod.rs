//! A catalog test app: a fresh database (SQLite, or PostgreSQL with
//! ZHENGSHU_TEST_POSTGRES), two units, an officer per unit, a reviewer, a reader, API
//! tokens, a fixed clock and an in-RAM index.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::body::Body;
use axum::extract::FromRef;
use axum::http::{Request, StatusCode};
use axum::Router;
use chrono::TimeZone;
use http_body_util::BodyExt;
use tower::ServiceExt;
use zhengshu_auth::{NewToken, NewUnit, NewUser, Role};
use zhengshu_catalog::{Actor, CatalogState, NewDataItem, NewResource};
use zhengshu_core::FixedClock;
use zhengshu_db::testing::TestDb;
use zhengshu_http::AuthState;

#[derive(Clone, FromRef)]
pub(crate) struct TestState {
    pub auth: AuthState,
    pub catalog: CatalogState,
}

pub(crate) struct User {
    pub id: i64,
    pub token: String,
    pub actor: Actor,
}

pub(crate) struct App {
    pub tdb: TestDb,
    pub clock: Arc<FixedClock>,
    pub state: CatalogState,
    pub auth: AuthState,
    pub unit_a: i64,
    pub unit_b: i64,
    pub officer: User,
    pub officer_b: User,
    pub reviewer: User,
    pub reviewer2: User,
    pub reader: User,
}

pub(crate) const NOW: &str = "2026-03-02T02:00:00.000000Z";

async fn user(
    db: &zhengshu_db::Db,
    name: &str,
    unit: Option<i64>,
    role: Role,
    clock: &FixedClock,
) -> User {
    use zhengshu_core::Clock;
    let u = zhengshu_auth::users::create(
        db,
        &NewUser {
            username: name.into(),
            display_name: format!("{name} 用户"),
            unit_id: unit,
            roles: vec![role],
            password: "correct horse battery".into(),
        },
        NOW,
    )
    .await
    .unwrap();
    let (_, token) = zhengshu_auth::token::create(
        db,
        u.id,
        &NewToken {
            name: "t".into(),
            scopes: vec![],
            expires_in_days: None,
        },
        clock.now(),
    )
    .await
    .unwrap();
    let perms = zhengshu_auth::role::permissions_of(&[role]);
    let actor = Actor {
        user_id: Some(u.id),
        name: u.display_name.clone(),
        unit_id: unit,
        can_read: perms.contains(&zhengshu_auth::Permission::CatalogRead),
        can_write: perms.contains(&zhengshu_auth::Permission::CatalogWrite),
        can_review: perms.contains(&zhengshu_auth::Permission::CatalogReview),
    };
    User {
        id: u.id,
        token,
        actor,
    }
}

pub(crate) async fn app() -> App {
    let tdb = TestDb::new(&[
        &zhengshu_db::MIGRATIONS,
        &zhengshu_auth::MIGRATIONS,
        &zhengshu_catalog::MIGRATIONS,
    ])
    .await
    .unwrap();
    let db = tdb.db.clone();
    let clock = Arc::new(FixedClock::new(
        chrono::Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap(),
    ));
    let unit = |name: &str| NewUnit {
        name: name.into(),
        short_name: String::new(),
        level: "区级".into(),
        ..Default::default()
    };
    let unit_a = zhengshu_auth::units::create(&db, &unit("区政务服务数据管理局"), NOW)
        .await
        .unwrap()
        .id;
    let unit_b = zhengshu_auth::units::create(&db, &unit("区卫生健康局"), NOW)
        .await
        .unwrap()
        .id;
    let officer = user(&db, "officer", Some(unit_a), Role::DataOfficer, &clock).await;
    let officer_b = user(&db, "officer_b", Some(unit_b), Role::DataOfficer, &clock).await;
    let reviewer = user(&db, "reviewer", Some(unit_a), Role::Reviewer, &clock).await;
    let reviewer2 = user(&db, "reviewer2", Some(unit_a), Role::Reviewer, &clock).await;
    let reader = user(&db, "reader", Some(unit_b), Role::ScenarioDeveloper, &clock).await;
    let state = CatalogState::new(db.clone(), clock.clone(), None)
        .await
        .unwrap()
        .with_base_url("https://data.example.gov.cn");
    let auth = AuthState {
        db,
        clock: clock.clone(),
        policy: Arc::new(Default::default()),
        secure_cookies: false,
    };
    App {
        tdb,
        clock,
        state,
        auth,
        unit_a,
        unit_b,
        officer,
        officer_b,
        reviewer,
        reviewer2,
        reader,
    }
}

impl App {
    pub(crate) fn router(&self) -> Router {
        Router::new()
            .merge(zhengshu_catalog::http::routes::<TestState>())
            .layer(axum::middleware::from_fn_with_state(
                self.auth.clone(),
                zhengshu_http::guard,
            ))
            .with_state(TestState {
                auth: self.auth.clone(),
                catalog: self.state.clone(),
            })
    }

    /// Sends a request; returns status, content type and body text.
    pub(crate) async fn send(&self, req: Request<Body>) -> (StatusCode, String, String) {
        let res = self.router().oneshot(req).await.unwrap();
        let status = res.status();
        let ct = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (status, ct, String::from_utf8_lossy(&bytes).into_owned())
    }

    pub(crate) async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, String) {
        let mut b = Request::get(path);
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        let (s, _, body) = self.send(b.body(Body::empty()).unwrap()).await;
        (s, body)
    }

    pub(crate) async fn get_json(
        &self,
        path: &str,
        token: Option<&str>,
    ) -> (StatusCode, serde_json::Value) {
        let (s, body) = self.get(path, token).await;
        (
            s,
            serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
        )
    }

    pub(crate) async fn post_json(
        &self,
        path: &str,
        token: &str,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        self.send_json("POST", path, token, body).await
    }

    pub(crate) async fn send_json(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: serde_json::Value,
    ) -> (StatusCode, serde_json::Value) {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let (s, _, body) = self.send(req).await;
        (
            s,
            serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Counts rows of a catalog table.
    pub(crate) async fn count(&self, table: &str) -> i64 {
        self.tdb
            .db
            .scalar_i64(&format!("SELECT COUNT(*) FROM {table}"))
            .await
            .unwrap()
    }
}

/// A valid entry of unit `unit` with this name and summary.
pub(crate) fn sample(unit: i64, name: &str, summary: &str) -> NewResource {
    NewResource {
        name: name.into(),
        summary: summary.into(),
        classification: "101001".into(),
        theme: "社会保障".into(),
        provider_unit_id: Some(unit),
        format: "数据库".into(),
        sharing_type: "无条件共享".into(),
        open_type: "无条件开放".into(),
        update_cycle: "每日".into(),
        security_grade: "一般".into(),
        keywords: vec!["人口".into()],
        items: vec![
            NewDataItem {
                name: "xm".into(),
                label: "姓名".into(),
                data_type: "字符型".into(),
                length: Some(50),
                pii_kind: "姓名".into(),
                ..Default::default()
            },
            NewDataItem {
                name: "sfzh".into(),
                label: "身份证号".into(),
                data_type: "字符型".into(),
                length: Some(18),
                pii_kind: "身份证号".into(),
                ..Default::default()
            },
            NewDataItem {
                name: "csrq".into(),
                label: "出生日期".into(),
                data_type: "日期型".into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    }
}
