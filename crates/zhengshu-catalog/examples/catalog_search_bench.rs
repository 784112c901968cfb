//! Catalog search benchmark: builds a catalog of N resources (default 100,000) in a fresh
//! SQLite database, serves the real router on a loopback port, and fires search queries
//! at `GET /api/v1/catalog/resources` from C keep-alive connections. Prints p50/p90/p99
//! latency and queries per second.
//!
//! ```sh
//! cargo run --release -p zhengshu-catalog --example catalog_search_bench -- --resources 100000 --queries 4000 --concurrency 4
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::FromRef;
use axum::Router;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use zhengshu_auth::{NewToken, NewUnit, NewUser, Role};
use zhengshu_catalog::{CatalogState, NewDataItem, NewResource};
use zhengshu_core::SystemClock;
use zhengshu_db::Db;
use zhengshu_http::AuthState;

#[derive(Clone, FromRef)]
struct AppState {
    auth: AuthState,
    catalog: CatalogState,
}

struct Args {
    resources: usize,
    queries: usize,
    concurrency: usize,
}

fn args() -> Args {
    let mut a = Args {
        resources: 100_000,
        queries: 4000,
        concurrency: 4,
    };
    let argv: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i + 1 < argv.len() {
        let v: usize = argv[i + 1].parse().expect("a number");
        match argv[i].as_str() {
            "--resources" => a.resources = v,
            "--queries" => a.queries = v,
            "--concurrency" => a.concurrency = v.max(1),
            other => {
                panic!("unknown option {other}; use --resources N --queries N --concurrency N")
            }
        }
        i += 2;
    }
    a
}

/// A small deterministic generator (xorshift64*), so every run builds the same catalog.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() % xs.len() as u64) as usize]
    }
}

const SUBJECTS: &[&str] = &[
    "户籍人口",
    "流动人口",
    "企业法人",
    "个体工商户",
    "社会组织",
    "不动产登记",
    "公积金缴存",
    "社保参保",
    "医疗机构",
    "药品经营",
    "中小学校",
    "学生学籍",
    "公交线路",
    "出租车运营",
    "城市道路",
    "桥梁隧道",
    "河道水系",
    "空气质量",
    "水质监测",
    "噪声监测",
    "垃圾分类",
    "消防设施",
    "安全生产",
    "食品安全",
    "市场主体",
    "税务登记",
    "信用评价",
    "行政许可",
    "行政处罚",
    "政务服务事项",
    "热线工单",
    "网格事件",
    "人口普查",
    "低保对象",
    "残疾人",
    "退役军人",
    "老年人",
    "婚姻登记",
    "出生登记",
    "疫苗接种",
    "核酸检测",
    "5G基站",
    "路灯设施",
    "停车场",
    "充电桩",
    "城市公园",
    "文物保护",
    "公共图书馆",
    "体育场馆",
    "大数据平台",
];
const ASPECTS: &[&str] = &[
    "基本信息",
    "统计数据",
    "名录",
    "台账",
    "许可信息",
    "监测数据",
    "运行数据",
    "地理信息",
    "变更记录",
    "年度报告",
    "实时数据",
    "历史数据",
];
const THEMES: &[&str] = &[
    "公共服务",
    "社会保障",
    "生态环保",
    "教育文化",
    "医疗卫生",
    "交通运输",
    "城市建设",
    "经济发展",
    "市场监管",
    "公共安全",
];
const ITEMS: &[(&str, &str, &str, &str)] = &[
    ("xm", "姓名", "字符型", "姓名"),
    ("sfzh", "身份证号", "字符型", "身份证号"),
    ("sjhm", "手机号码", "字符型", "手机号"),
    ("zz", "住址", "字符型", "地址"),
    ("tyshxydm", "统一社会信用代码", "字符型", "无"),
    ("jgmc", "机构名称", "字符型", "无"),
    ("djrq", "登记日期", "日期型", "无"),
    ("gxsj", "更新时间", "日期时间型", "无"),
    ("sl", "数量", "整数型", "无"),
    ("je", "金额", "数值型", "无"),
    ("jd", "经度", "数值型", "无"),
    ("wd", "纬度", "数值型", "无"),
    ("zt", "状态", "字符型", "无"),
    ("bz", "备注", "字符型", "无"),
];
const CLASSES: &[&str] = &[
    "101001", "101002", "102001", "103001", "104001", "105001", "201001", "202001", "203001",
    "204002", "301001", "302001", "303001",
];
const FORMATS: &[&str] = &["数据库", "电子表格", "服务接口", "电子文件"];
const CYCLES: &[&str] = &["实时", "每日", "每周", "每月", "每季度", "每年"];

fn resource(rng: &mut Rng, i: usize, unit: (i64, &str)) -> NewResource {
    let subject = rng.pick(SUBJECTS);
    let aspect = rng.pick(ASPECTS);
    let n_items = 3 + (rng.next() % 5) as usize;
    let mut items: Vec<NewDataItem> = Vec::new();
    for _ in 0..n_items {
        let (name, label, ty, pii) = *rng.pick(ITEMS);
        if items.iter().any(|it| it.name == name) {
            continue;
        }
        items.push(NewDataItem {
            name: name.into(),
            label: label.into(),
            data_type: ty.into(),
            pii_kind: pii.into(),
            ..Default::default()
        });
    }
    let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
    // Some summaries are written in traditional characters or with pinyin annotations.
    let big_data = match i % 10 {
        0 => "大數據",
        1 => "大數(shù)據(jù)",
        2 => "大数据",
        _ => "数据",
    };
    let (sharing, open) = match rng.next() % 4 {
        0 => ("有条件共享", "有条件开放"),
        1 => ("无条件共享", "不予开放"),
        _ => ("无条件共享", "无条件开放"),
    };
    NewResource {
        name: format!("{subject}{aspect}"),
        summary: format!("{}负责汇集的{subject}{aspect}，包括{}等信息项，依托{big_data}平台按需共享，第{i}号资源。", unit.1, labels.join("、")),
        classification: (*rng.pick(CLASSES)).into(),
        theme: (*rng.pick(THEMES)).into(),
        provider_unit_id: Some(unit.0),
        format: (*rng.pick(FORMATS)).into(),
        sharing_type: sharing.into(),
        sharing_conditions: if sharing == "有条件共享" { "经提供方审核同意".into() } else { String::new() },
        open_type: open.into(),
        open_conditions: if open == "有条件开放" { "实名申请".into() } else { String::new() },
        open_basis: if open == "不予开放" { "涉及个人信息".into() } else { String::new() },
        update_cycle: (*rng.pick(CYCLES)).into(),
        security_grade: if open == "不予开放" { "重要".into() } else { "一般".into() },
        keywords: vec![(*subject).into(), (*aspect).into()],
        items,
        ..Default::default()
    }
}

const QUERIES: &[&str] = &[
    "q=%E5%A4%A7%E6%95%B0%E6%8D%AE", // 大数据
    "q=%E5%A4%A7%E6%95%B8%E6%93%9A", // 大數據
    "q=%E4%BA%BA%E5%8F%A3",          // 人口
    "q=%E6%88%B7%E7%B1%8D%E4%BA%BA%E5%8F%A3%E5%9F%BA%E6%9C%AC%E4%BF%A1%E6%81%AF", // 户籍人口基本信息
    "q=%E7%A4%BE%E4%BF%9D&sort=name",                                             // 社保
    "q=%E5%8C%BB%E7%96%97&open_type=unconditional",                               // 医疗
    "q=%E8%BA%AB%E4%BB%BD%E8%AF%81%E5%8F%B7", // 身份证号 (a data item)
    "q=%E4%BC%81%E4%B8%9A+%E4%BF%A1%E7%94%A8", // 企业 信用
    "q=%E5%85%85%E7%94%B5",                   // 充电 (partial word)
    "q=5G",
    "security_grade=important&sort=updated",
    "catalog_type=basic&format=database",
    "q=%E7%9B%91%E6%B5%8B&theme=%E7%94%9F%E6%80%81%E7%8E%AF%E4%BF%9D", // 监测 + theme
    "q=%E7%83%AD%E7%BA%BF%E5%B7%A5%E5%8D%95&page=3",                   // 热线工单, page 3
    "",
];

async fn fire(addr: std::net::SocketAddr, token: String, paths: Vec<String>) -> Vec<Duration> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let mut out = Vec::with_capacity(paths.len());
    let mut buf = vec![0u8; 1 << 20];
    for path in paths {
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n"
        );
        let t = Instant::now();
        stream.write_all(req.as_bytes()).await.unwrap();
        // Read the head, then Content-Length bytes of body.
        let mut have = 0;
        let (head_end, len) = loop {
            let n = stream.read(&mut buf[have..]).await.unwrap();
            assert!(n > 0, "server closed the connection");
            have += n;
            if let Some(pos) = buf[..have].windows(4).position(|w| w == b"\r\n\r\n") {
                let head = std::str::from_utf8(&buf[..pos])
                    .unwrap()
                    .to_ascii_lowercase();
                assert!(
                    head.starts_with("http/1.1 200"),
                    "{path}: {}",
                    head.lines().next().unwrap_or("")
                );
                let len: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map(|v| v.trim().parse().unwrap())
                    .expect("content-length");
                break (pos + 4, len);
            }
        };
        while have < head_end + len {
            let n = stream.read(&mut buf[have..]).await.unwrap();
            assert!(n > 0);
            have += n;
        }
        out.push(t.elapsed());
    }
    out
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let a = args();
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&zhengshu_db::sqlite_url_for_dir(dir.path()))
        .await
        .unwrap();
    db.migrate(&[
        &zhengshu_db::MIGRATIONS,
        &zhengshu_auth::MIGRATIONS,
        &zhengshu_catalog::MIGRATIONS,
    ])
    .await
    .unwrap();
    let clock: zhengshu_core::SharedClock = Arc::new(SystemClock);
    let now = zhengshu_db::ts(clock.now());
    let mut units = Vec::new();
    for i in 0..140 {
        let name = format!("区第{i:03}号数据提供单位");
        let u = zhengshu_auth::units::create(
            &db,
            &NewUnit {
                name: name.clone(),
                level: "区级".into(),
                ..Default::default()
            },
            &now,
        )
        .await
        .unwrap();
        units.push((u.id, name));
    }
    let user = zhengshu_auth::users::create(
        &db,
        &NewUser {
            username: "bench".into(),
            display_name: "bench".into(),
            unit_id: Some(units[0].0),
            roles: vec![Role::ScenarioDeveloper],
            password: "bench-password-123".into(),
        },
        &now,
    )
    .await
    .unwrap();
    let (_, token) = zhengshu_auth::token::create(
        &db,
        user.id,
        &NewToken {
            name: "bench".into(),
            scopes: vec![],
            expires_in_days: None,
        },
        clock.now(),
    )
    .await
    .unwrap();

    let state = CatalogState::new(db.clone(), clock.clone(), None)
        .await
        .unwrap();
    let t = Instant::now();
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    let mut done = 0;
    while done < a.resources {
        let n = (a.resources - done).min(5000);
        let batch: Vec<NewResource> = (done..done + n)
            .map(|i| {
                let (id, name) = &units[(rng.next() % units.len() as u64) as usize];
                resource(&mut rng, i, (*id, name))
            })
            .collect();
        zhengshu_catalog::create_demo_resources(&state, &batch)
            .await
            .unwrap();
        done += n;
        eprintln!("  {done} resources stored");
    }
    let stored = t.elapsed();
    let t = Instant::now();
    let indexed = zhengshu_catalog::reindex(&state).await.unwrap();
    let reindex = t.elapsed();

    if std::env::var("BENCH_PROFILE").is_ok() {
        use zhengshu_catalog::{SearchParams, Viewer};
        let viewer = Viewer::Staff {
            unit_id: Some(units[0].0),
            can_write: false,
            can_review: false,
        };
        for q in ["大数据", "", "人口", "户籍人口基本信息", "充电"] {
            let p = SearchParams {
                q: q.into(),
                limit: 20,
                ..Default::default()
            };
            let t = Instant::now();
            let mut total = 0;
            for _ in 0..20 {
                total = state.index.search(&p, viewer).unwrap().total;
            }
            let idx = t.elapsed() / 20;
            let t = Instant::now();
            for _ in 0..20 {
                zhengshu_catalog::search(&state, viewer, &p, false)
                    .await
                    .unwrap();
            }
            let full = t.elapsed() / 20;
            eprintln!("  profile q={q:?}: {total} hits, index {idx:?}, service {full:?}");
        }
        let t = Instant::now();
        for _ in 0..20 {
            zhengshu_auth::token::authenticate(&db, &token, clock.now())
                .await
                .unwrap();
            zhengshu_auth::users::get(&db, user.id).await.unwrap();
        }
        eprintln!("  profile token auth + user: {:?}", t.elapsed() / 20);
    }
    let auth = AuthState {
        db: db.clone(),
        clock: clock.clone(),
        policy: Arc::new(Default::default()),
        secure_cookies: false,
    };
    let app = Router::new()
        .merge(zhengshu_catalog::routes::<AppState>())
        .layer(axum::middleware::from_fn_with_state(
            auth.clone(),
            zhengshu_http::guard,
        ))
        .with_state(AppState {
            auth,
            catalog: state,
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let path = |i: usize| {
        let q = QUERIES[i % QUERIES.len()];
        if q.is_empty() {
            "/api/v1/catalog/resources".to_string()
        } else {
            format!("/api/v1/catalog/resources?{q}")
        }
    };
    // Warm-up: one round of every query.
    fire(
        addr,
        token.clone(),
        (0..QUERIES.len() * 4).map(path).collect(),
    )
    .await;
    let t = Instant::now();
    let per = a.queries / a.concurrency;
    let tasks: Vec<_> = (0..a.concurrency)
        .map(|c| {
            tokio::spawn(fire(
                addr,
                token.clone(),
                (0..per).map(|i| path(i * a.concurrency + c)).collect(),
            ))
        })
        .collect();
    let mut lat = Vec::new();
    for task in tasks {
        lat.extend(task.await.unwrap());
    }
    let wall = t.elapsed();
    lat.sort();
    println!("catalog search benchmark");
    println!(
        "  resources            {indexed} (stored in {:.1} s, full reindex {:.1} s)",
        stored.as_secs_f64(),
        reindex.as_secs_f64()
    );
    println!(
        "  queries              {} over {} keep-alive connections, {} distinct query strings",
        lat.len(),
        a.concurrency,
        QUERIES.len()
    );
    println!("  latency p50          {:.2} ms", pct(&lat, 0.50));
    println!("  latency p90          {:.2} ms", pct(&lat, 0.90));
    println!("  latency p99          {:.2} ms", pct(&lat, 0.99));
    println!("  latency max          {:.2} ms", pct(&lat, 1.0));
    println!(
        "  throughput           {:.0} queries/s",
        lat.len() as f64 / wall.as_secs_f64()
    );
}
