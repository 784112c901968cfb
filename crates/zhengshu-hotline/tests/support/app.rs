//! A test app: fresh database, fixed clock, units, users with tokens, and the router.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::body::Body;
use axum::extract::FromRef;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use chrono::{DateTime, TimeZone, Utc};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use zhengshu_auth::{LoginPolicy, NewToken, NewUnit, NewUser, Role, Unit};
use zhengshu_core::{china_offset, FixedClock, SharedClock};
use zhengshu_db::testing::TestDb;
use zhengshu_db::{ts, Db};
use zhengshu_hotline::{Actor, HotlineState, NewOrder, WorkOrder};
use zhengshu_http::AuthState;

#[derive(Clone, FromRef)]
pub(crate) struct TestState {
    pub(crate) auth: AuthState,
    pub(crate) hotline: HotlineState,
}

pub(crate) struct User {
    pub(crate) actor: Actor,
    pub(crate) token: String,
    pub(crate) id: i64,
}

pub(crate) struct TestApp {
    pub(crate) _db: TestDb,
    pub(crate) db: Db,
    pub(crate) clock: Arc<FixedClock>,
    pub(crate) state: HotlineState,
    pub(crate) router: Router,
    /// 龙岗区城市管理和综合执法局, 龙岗区住房和建设局, 坂田街道办事处.
    pub(crate) units: Vec<Unit>,
    pub(crate) operator: User,
    pub(crate) handler: User,
    pub(crate) other_handler: User,
    pub(crate) street_handler: User,
    pub(crate) supervisor: User,
    pub(crate) reader: User,
}

/// China time.
pub(crate) fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    china_offset()
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// Monday 2026-11-23 09:00 China time.
pub(crate) fn monday() -> DateTime<Utc> {
    at(2026, 11, 23, 9, 0)
}

async fn user(db: &Db, name: &str, unit: Option<i64>, role: Role, now: DateTime<Utc>) -> User {
    let u = zhengshu_auth::users::create(
        db,
        &NewUser {
            username: name.into(),
            display_name: format!("{name} 用户"),
            unit_id: unit,
            roles: vec![role],
            password: "correct horse battery".into(),
        },
        &ts(now),
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
        now,
    )
    .await
    .unwrap();
    User {
        actor: Actor::user(&u),
        token,
        id: u.id,
    }
}

impl TestApp {
    pub(crate) async fn new() -> TestApp {
        let tdb = TestDb::new(&[
            &zhengshu_auth::MIGRATIONS,
            &zhengshu_db::MIGRATIONS,
            &zhengshu_hotline::MIGRATIONS,
        ])
        .await
        .unwrap();
        let db = tdb.db.clone();
        let clock = Arc::new(FixedClock::new(monday()));
        let now = ts(monday());
        let mut units = Vec::new();
        for (name, level) in [
            ("龙岗区城市管理和综合执法局", "district"),
            ("龙岗区住房和建设局", "district"),
            ("坂田街道办事处", "street"),
        ] {
            let u = zhengshu_auth::units::create(
                &db,
                &NewUnit {
                    name: name.into(),
                    level: level.into(),
                    ..Default::default()
                },
                &now,
            )
            .await
            .unwrap();
            units.push(u);
        }
        let operator = user(&db, "operator", None, Role::HotlineOperator, monday()).await;
        let handler = user(&db, "handler", Some(units[0].id), Role::Handler, monday()).await;
        let other_handler = user(&db, "handler2", Some(units[1].id), Role::Handler, monday()).await;
        let street_handler =
            user(&db, "handler3", Some(units[2].id), Role::Handler, monday()).await;
        let supervisor = user(&db, "supervisor", None, Role::Supervisor, monday()).await;
        let reader = user(&db, "officer", None, Role::DataOfficer, monday()).await;
        let shared: SharedClock = clock.clone();
        let state = HotlineState::new(db.clone(), shared.clone()).await.unwrap();
        let auth = AuthState {
            db: db.clone(),
            clock: shared,
            policy: Arc::new(LoginPolicy::default()),
            secure_cookies: false,
        };
        let router = Router::new()
            .merge(zhengshu_hotline::routes())
            .layer(axum::middleware::from_fn_with_state(
                auth.clone(),
                zhengshu_http::guard,
            ))
            .with_state(TestState {
                auth,
                hotline: state.clone(),
            });
        TestApp {
            _db: tdb,
            db,
            clock,
            state,
            router,
            units,
            operator,
            handler,
            other_handler,
            street_handler,
            supervisor,
            reader,
        }
    }

    pub(crate) fn lead(&self) -> i64 {
        self.units[0].id
    }

    /// A complaint about street vending in 坂田, optionally dispatched to the city
    /// management bureau.
    pub(crate) fn new_order(&self, dispatch: bool) -> NewOrder {
        NewOrder {
            channel: Some("phone".into()),
            caller_name: "陈女士".into(),
            caller_phone: "13800138000".into(),
            appeal_type: "complaint".into(),
            category_code: "CS02".into(),
            content: "五和大道人行道上有大量流动摊贩占道经营，行人无法通行。".into(),
            address: "坂田街道五和大道100号".into(),
            street: "坂田".into(),
            lat: None,
            long: None,
            urgency: None,
            lead_unit_id: dispatch.then(|| self.lead()),
            co_unit_ids: vec![],
        }
    }

    pub(crate) async fn dispatched(&self) -> WorkOrder {
        self.state
            .create(&self.operator.actor, &self.new_order(true))
            .await
            .unwrap()
    }

    pub(crate) async fn count(&self, table: &str) -> i64 {
        self.db
            .scalar_i64(&format!("SELECT COUNT(*) FROM {table}"))
            .await
            .unwrap()
    }

    /// A request with an optional bearer token and JSON body; answers status and body
    /// (JSON when it parses, else a string).
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string()))
                .unwrap(),
            None => req.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    /// A form-encoded POST (Open311).
    pub(crate) async fn form(
        &self,
        path: &str,
        token: Option<&str>,
        fields: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    pub(crate) async fn raw(
        &self,
        req: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    pub(crate) async fn send(&self, req: Request<Body>) -> (StatusCode, Value) {
        let (status, _, text) = self.raw(req).await;
        let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, v)
    }

    pub(crate) async fn get_text(&self, path: &str, token: Option<&str>) -> (StatusCode, String) {
        let mut req = Request::builder().uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let (s, _, t) = self.raw(req.body(Body::empty()).unwrap()).await;
        (s, t)
    }
}

pub(crate) fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
