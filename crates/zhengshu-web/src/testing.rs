//! `TestApp`: the real router on a fresh database (SQLite, or PostgreSQL when
//! `ZHENGSHU_TEST_POSTGRES` is set) with a fixed clock, called without a socket.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use chrono::{TimeZone, Utc};
use tower::ServiceExt;
use zhengshu_auth::{token, users, NewToken, NewUser, Role, User};
use zhengshu_core::clock::{Clock, FixedClock};
use zhengshu_db::testing::TestDb;

use crate::{app, migrations, AppState, WebConfig};

/// The password every test user gets.
pub const TEST_PASSWORD: &str = "test-password-123";

/// A response: status, headers and body text.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub text: String,
}

impl TestResponse {
    /// The body as JSON (panics with the body when it is not JSON: tests only).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text).unwrap_or_else(|_| panic!("not JSON: {}", self.text))
    }
    /// The `error.code` of an error envelope.
    pub fn error_code(&self) -> Option<String> {
        serde_json::from_str::<serde_json::Value>(&self.text)
            .ok()?
            .pointer("/error/code")?
            .as_str()
            .map(str::to_string)
    }
    /// Cookies set by the response, as `name=value`.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .map(str::to_string)
            .collect()
    }
}

/// The app on a fresh database.
pub struct TestApp {
    pub state: AppState,
    pub clock: Arc<FixedClock>,
    router: Router,
    _db: TestDb,
    _lake: Option<tempfile::TempDir>,
}

impl TestApp {
    #[expect(clippy::expect_used, reason = "test helper")]
    pub async fn new() -> TestApp {
        Self::with_config(WebConfig {
            max_body_bytes: 1024 * 1024,
            lake_url: String::new(),
        })
        .await
        .expect("test app")
    }

    #[expect(clippy::expect_used, reason = "test helper")]
    pub async fn with_config(mut config: WebConfig) -> Result<TestApp, zhengshu_db::DbError> {
        let db = TestDb::new(&migrations()).await?;
        // A lake of its own in a temporary folder unless the test names one.
        let lake_dir = if config.lake_url.is_empty() {
            let dir = tempfile::tempdir().expect("lake folder");
            config.lake_url = format!("file://{}", dir.path().display());
            Some(dir)
        } else {
            None
        };
        let start = Utc
            .with_ymd_and_hms(2026, 3, 2, 2, 0, 0)
            .single()
            .unwrap_or_default();
        let clock = Arc::new(FixedClock::new(start));
        let state = AppState::open(
            db.db.clone(),
            clock.clone(),
            config,
            zhengshu_auth::LoginPolicy::default(),
            None,
        )
        .await
        .expect("module states");
        let router = app(state.clone());
        Ok(TestApp {
            state,
            clock,
            router,
            _db: db,
            _lake: lake_dir,
        })
    }

    pub fn db(&self) -> &zhengshu_db::Db {
        &self.state.web.db
    }

    /// Creates a user with these roles and returns it with an API token.
    #[expect(clippy::expect_used, reason = "test helper")]
    pub async fn user_with_token(
        &self,
        username: &str,
        roles: &[Role],
        unit_id: Option<i64>,
    ) -> (User, String) {
        let now = zhengshu_db::ts(self.clock.now());
        let user = users::create(
            self.db(),
            &NewUser {
                username: username.into(),
                display_name: username.into(),
                unit_id,
                roles: roles.to_vec(),
                password: TEST_PASSWORD.into(),
            },
            &now,
        )
        .await
        .expect("create user");
        let (_, secret) = token::create(
            self.db(),
            user.id,
            &NewToken {
                name: "test".into(),
                scopes: vec![],
                expires_in_days: None,
            },
            self.clock.now(),
        )
        .await
        .expect("create token");
        (user, secret)
    }

    /// Sends a request. `body` is sent as JSON when it is a JSON value.
    #[expect(clippy::expect_used, reason = "test helper")]
    pub async fn send(&self, req: Request<Body>) -> TestResponse {
        let resp = self.router.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("body");
        TestResponse {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A request with an optional bearer token and JSON body.
    #[expect(clippy::expect_used, reason = "test helper")]
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        json: Option<serde_json::Value>,
    ) -> TestResponse {
        let mut b = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).expect("method"))
            .uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match json {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        }
        .expect("request");
        self.send(req).await
    }

    /// Logs in through the form like a browser; returns (cookie header, csrf token).
    #[expect(clippy::expect_used, reason = "test helper")]
    pub async fn browser_login(&self, username: &str, password: &str) -> (String, String) {
        let page = self.call("GET", "/console/login", None, None).await;
        let pre = page
            .set_cookies()
            .into_iter()
            .find(|c| c.starts_with("zs_csrf="))
            .expect("csrf cookie");
        let csrf = pre.trim_start_matches("zs_csrf=").to_string();
        let body = format!("username={username}&password={password}&_csrf={csrf}");
        let resp = self
            .send(
                Request::post("/console/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::COOKIE, &pre)
                    .body(Body::from(body))
                    .expect("request"),
            )
            .await;
        assert_eq!(
            resp.status,
            StatusCode::SEE_OTHER,
            "login failed: {}",
            resp.text
        );
        let session = resp
            .set_cookies()
            .into_iter()
            .find(|c| c.starts_with("zs_session="))
            .expect("session cookie");
        let me = self
            .send(
                Request::get("/console/tokens")
                    .header(header::COOKIE, &session)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await;
        let csrf = me
            .text
            .split("name=\"_csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("csrf in page")
            .to_string();
        (session, csrf)
    }
}
