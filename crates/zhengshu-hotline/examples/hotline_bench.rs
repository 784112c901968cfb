//! Benchmark of issue 7: sustained order creation through Open311 `POST requests` and the
//! internal JSON API, and the supervisor's statistics page on a large order table.
//!
//! Serves the real router (with the auth/CSRF guard) on a loopback port and drives it with
//! concurrent keep-alive HTTP/1.1 clients. Run (see bench/hotline/README.md):
//!
//! ```sh
//! cargo run --release -p zhengshu-hotline --example hotline_bench -- --orders 1000000
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::FromRef;
use axum::Router;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use zhengshu_auth::{LoginPolicy, NewToken, NewUnit, NewUser, Role};
use zhengshu_core::{SharedClock, SystemClock};
use zhengshu_db::{ts, Db};
use zhengshu_hotline::HotlineState;
use zhengshu_http::AuthState;

#[derive(Clone, FromRef)]
struct AppState {
    auth: AuthState,
    hotline: HotlineState,
}

struct Args {
    orders: usize,
    requests: usize,
    concurrency: usize,
    page_loads: usize,
    db: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        orders: 1_000_000,
        requests: 20_000,
        concurrency: 32,
        page_loads: 50,
        db: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_default();
        match k.as_str() {
            "--orders" => a.orders = v.parse().expect("--orders N"),
            "--requests" => a.requests = v.parse().expect("--requests N"),
            "--concurrency" => a.concurrency = v.parse().expect("--concurrency N"),
            "--page-loads" => a.page_loads = v.parse().expect("--page-loads N"),
            "--db" => a.db = Some(v),
            other => panic!("unknown option {other}; use --orders, --requests, --concurrency, --page-loads, --db URL"),
        }
    }
    a
}

/// One keep-alive HTTP/1.1 connection.
struct Conn {
    stream: BufReader<TcpStream>,
}

impl Conn {
    async fn open(port: u16) -> Conn {
        let s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        s.set_nodelay(true).unwrap();
        Conn {
            stream: BufReader::new(s),
        }
    }

    /// Sends a request; answers the status and the body length.
    async fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, usize) {
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        req.push_str(body);
        self.stream
            .get_mut()
            .write_all(req.as_bytes())
            .await
            .unwrap();
        let mut line = String::new();
        self.stream.read_line(&mut line).await.unwrap();
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut len = 0usize;
        loop {
            line.clear();
            self.stream.read_line(&mut line).await.unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0u8; len];
        self.stream.read_exact(&mut body).await.unwrap();
        (status, len)
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

struct Summary {
    n: usize,
    secs: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
    errors: usize,
}

fn summarise(mut lat: Vec<Duration>, secs: f64, errors: usize) -> Summary {
    lat.sort();
    let q = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    Summary {
        n: lat.len(),
        secs,
        p50: q(0.50),
        p99: q(0.99),
        max: lat[lat.len() - 1],
        errors,
    }
}

fn print(name: &str, s: &Summary) {
    println!(
        "{name:<34} {:>7} req in {:>6.2}s = {:>8.1} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms   errors {}",
        s.n,
        s.secs,
        s.n as f64 / s.secs,
        s.p50.as_secs_f64() * 1e3,
        s.p99.as_secs_f64() * 1e3,
        s.max.as_secs_f64() * 1e3,
        s.errors
    );
}

/// `total` requests from `concurrency` clients; `make(i)` gives (method, path, headers, body).
async fn drive<F>(port: u16, total: usize, concurrency: usize, expect: u16, make: F) -> Summary
where
    F: Fn(usize) -> (String, String, Vec<(String, String)>, String) + Send + Sync + 'static,
{
    let make = Arc::new(make);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..concurrency {
        let make = make.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(port).await;
            let mut lat = Vec::new();
            let mut errors = 0;
            let mut i = c;
            while i < total {
                let (m, p, h, b) = make(i);
                let h: Vec<(&str, &str)> =
                    h.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let t = Instant::now();
                let (status, _) = conn.request(&m, &p, &h, &b).await;
                lat.push(t.elapsed());
                if status != expect {
                    errors += 1;
                }
                i += concurrency;
            }
            (lat, errors)
        }));
    }
    let mut lat = Vec::with_capacity(total);
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        lat.extend(l);
        errors += e;
    }
    summarise(lat, start.elapsed().as_secs_f64(), errors)
}

const DISTRICT: &[&str] = &[
    "龙岗区城市管理和综合执法局",
    "龙岗区住房和建设局",
    "龙岗区人力资源局",
    "龙岗区教育局",
    "龙岗区卫生健康局",
    "深圳市市场监督管理局龙岗监管局",
    "龙岗区交通运输局",
    "深圳市公安局龙岗分局",
    "深圳市生态环境局龙岗管理局",
    "龙岗区水务局",
    "龙岗区民政局",
    "龙岗区医疗保障局",
];
const STREETS: &[&str] = &[
    "平湖", "坂田", "布吉", "南湾", "横岗", "龙城", "龙岗", "坪地", "园山", "宝龙", "吉华",
];

#[tokio::main]
async fn main() {
    let a = args();
    sqlx::any::install_default_drivers();
    let dir = std::env::temp_dir().join(format!("zs-hotline-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url =
        a.db.clone()
            .unwrap_or_else(|| zhengshu_db::sqlite_url_for_dir(&dir));
    let db = Db::connect(&url).await.unwrap();
    db.migrate(&[
        &zhengshu_auth::MIGRATIONS,
        &zhengshu_db::MIGRATIONS,
        &zhengshu_hotline::MIGRATIONS,
    ])
    .await
    .unwrap();
    let clock: SharedClock = Arc::new(SystemClock);
    let now = ts(clock.now());
    for name in DISTRICT {
        zhengshu_auth::units::create(
            &db,
            &NewUnit {
                name: name.to_string(),
                level: "district".into(),
                ..Default::default()
            },
            &now,
        )
        .await
        .unwrap();
    }
    for s in STREETS {
        zhengshu_auth::units::create(
            &db,
            &NewUnit {
                name: format!("{s}街道办事处"),
                level: "street".into(),
                ..Default::default()
            },
            &now,
        )
        .await
        .unwrap();
    }
    let units = zhengshu_auth::units::list(&db, &Default::default())
        .await
        .unwrap();
    let mk_user = |name: &'static str, role: Role| {
        let db = db.clone();
        let now = now.clone();
        async move {
            let u = zhengshu_auth::users::create(
                &db,
                &NewUser {
                    username: name.into(),
                    display_name: name.into(),
                    unit_id: None,
                    roles: vec![role],
                    password: "benchmark password".into(),
                },
                &now,
            )
            .await
            .unwrap();
            zhengshu_auth::token::create(
                &db,
                u.id,
                &NewToken {
                    name: "bench".into(),
                    scopes: vec![],
                    expires_in_days: None,
                },
                chrono::Utc::now(),
            )
            .await
            .unwrap()
            .1
        }
    };
    let operator = mk_user("operator", Role::HotlineOperator).await;
    let supervisor = mk_user("supervisor", Role::Supervisor).await;
    let key = zhengshu_hotline::create_open311_key(&db, &*clock, "bench")
        .await
        .unwrap();

    println!(
        "zhengshu hotline benchmark — {} ({} cores), {} concurrent clients",
        if url.starts_with("sqlite") {
            "SQLite"
        } else {
            "PostgreSQL"
        },
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        a.concurrency
    );
    let t = Instant::now();
    let n = zhengshu_hotline::demo::seed_orders(
        &db,
        &*clock,
        &units,
        a.orders,
        zhengshu_hotline::demo::SeedOptions {
            events: false,
            seed: 1,
        },
    )
    .await
    .unwrap();
    println!("loaded {n} orders (a year of synthetic history, no timeline events) and rebuilt the roll-up in {:.1}s", t.elapsed().as_secs_f64());

    // Accuracy on the generated history alone (before the benchmark adds its own orders).
    let t = Instant::now();
    let report = zhengshu_hotline::evaluate_classifier(&db).await.unwrap();
    println!(
        "{report}\n  (evaluated in {:.1}s)",
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let state = HotlineState::new(db.clone(), clock.clone()).await.unwrap();
    println!(
        "hotline state ready (classifier trained on the latest {} dispatched orders) in {:.1}s",
        zhengshu_hotline::classify::TRAINING_LIMIT,
        t.elapsed().as_secs_f64()
    );
    let auth = AuthState {
        db: db.clone(),
        clock: clock.clone(),
        policy: Arc::new(LoginPolicy::default()),
        secure_cookies: false,
    };
    let app = Router::new()
        .merge(zhengshu_hotline::routes())
        .layer(axum::middleware::from_fn_with_state(
            auth.clone(),
            zhengshu_http::guard,
        ))
        .with_state(AppState {
            auth,
            hotline: state,
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let streets = ["坂田街道", "布吉街道", "龙城街道", "横岗街道"];
    let key2 = key.clone();
    let s = drive(port, a.requests, a.concurrency, 200, move |i| {
        let body = format!(
            "api_key={}&service_code=CS05&address_string={}&description={}&attribute%5Bappeal_type%5D=help",
            enc(&key2),
            enc(&format!("深圳市龙岗区{}某某路{}号", streets[i % 4], i)),
            enc(&format!("第{i}号路灯不亮，晚上一片漆黑，请尽快维修。"))
        );
        ("POST".into(), "/open311/v2/requests.json".into(), vec![("Content-Type".into(), "application/x-www-form-urlencoded".into())], body)
    })
    .await;
    print("Open311 POST /requests.json", &s);

    let lead = units[0].id;
    let bearer = format!("Bearer {operator}");
    let s = drive(port, a.requests, a.concurrency, 201, move |i| {
        let body = serde_json::json!({
            "caller_name": "陈女士", "caller_phone": "13800138000", "appeal_type": "complaint", "category_code": "CS02",
            "content": format!("五和大道第{i}号门口有人占道经营"), "street": "坂田", "lead_unit_id": lead
        })
        .to_string();
        ("POST".into(), "/api/v1/hotline/orders".into(), vec![("Content-Type".into(), "application/json".into()), ("Authorization".into(), bearer.clone())], body)
    })
    .await;
    print("API POST (API token)", &s);

    // The same through a console session (cookie + CSRF header): the session lookup
    // writes nothing, unlike API-token authentication, which stamps `last_used_at`.
    let (session, _) = zhengshu_auth::session::login(
        &db,
        &LoginPolicy::default(),
        "operator",
        "benchmark password",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let cookie = format!("{}={}", zhengshu_http::SESSION_COOKIE, session.token);
    let csrf = session.csrf_token.clone();
    let s = drive(port, a.requests, a.concurrency, 201, move |i| {
        let body = serde_json::json!({
            "caller_name": "陈女士", "caller_phone": "13800138000", "appeal_type": "complaint", "category_code": "CS02",
            "content": format!("布吉老街第{i}号门口有人占道经营"), "street": "布吉", "lead_unit_id": lead
        })
        .to_string();
        let headers = vec![("Content-Type".into(), "application/json".into()), ("Cookie".into(), cookie.clone()), ("X-CSRF-Token".into(), csrf.clone())];
        ("POST".into(), "/api/v1/hotline/orders".into(), headers, body)
    })
    .await;
    print("API POST (console session)", &s);

    let sup = format!("Bearer {supervisor}");
    let total = n + 3 * a.requests;
    for (name, path) in [
        (
            "statistics page /console/hotline/stats",
            "/console/hotline/stats",
        ),
        (
            "statistics JSON /api/v1/hotline/stats",
            "/api/v1/hotline/stats",
        ),
        ("order list /console/hotline", "/console/hotline"),
    ] {
        let sup = sup.clone();
        let s = drive(port, a.page_loads, 1, 200, move |_| {
            (
                "GET".into(),
                path.into(),
                vec![("Authorization".into(), sup.clone())],
                String::new(),
            )
        })
        .await;
        print(&format!("{name} ({total} orders)"), &s);
    }

    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
