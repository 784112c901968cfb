//! A shared fixture of the open-data portal's tests (issue 6): two providing units and
//! four published datasets with known rows, loaded through the real catalog and lake.
//!
//! | dataset | open type | data |
//! |---|---|---|
//! | `air` 龙岗区空气质量监测日报 | 无条件开放 | [`AIR_ROWS`] rows, [`air_rows`], in two data files |
//! | `credit` 龙岗区企业信用评价结果 | 有条件开放 | [`CREDIT_ROWS`] rows, [`credit_rows`] |
//! | `libraries` 龙岗区公共图书馆名录 | 无条件开放 | none (metadata only) |
//! | `closed` 龙岗区执法检查内部记录 | 不予开放 | 3 rows (the public must never see them) |
//!
//! Use it with `mod open_support;` and `open_support::world().await`.
#![allow(
    dead_code,
    unreachable_pub,
    reason = "a module of test files: each uses its own part of the shared fixture"
)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, NaiveDate};
use zhengshu_catalog::{Actor, NewDataItem, NewResource, Resource};
use zhengshu_web::testing::TestApp;

/// Rows of the air-quality table.
pub const AIR_ROWS: usize = 300;
/// Rows of the credit table.
pub const CREDIT_ROWS: usize = 40;
/// The monitoring stations (five, in turn).
pub const STATIONS: [&str; 5] = ["龙城", "坪地", "南湾", "横岗", "布吉"];
/// The lake tables.
pub const AIR_TABLE: &str = "air_quality_daily";
pub const CREDIT_TABLE: &str = "enterprise_credit";
pub const CLOSED_TABLE: &str = "internal_inspections";

/// One row of 龙岗区空气质量监测日报.
#[derive(Debug, Clone, PartialEq)]
pub struct AirRow {
    /// The key, 1..=300.
    pub record_id: i64,
    pub station: String,
    pub street: String,
    /// YYYY-MM-DD, 2025-01-01 onwards, five rows a day.
    pub monitor_date: String,
    pub aqi: i64,
    /// One decimal.
    pub pm25: f64,
    /// 优 / 良 / 轻度污染.
    pub level: String,
}

/// The air-quality rows, in key order.
pub fn air_rows() -> Vec<AirRow> {
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    (0..AIR_ROWS)
        .map(|i| {
            let aqi = 20 + ((i * 37) % 131) as i64;
            let pm25 = (aqi as f64 * 4.5).round() / 10.0;
            AirRow {
                record_id: i as i64 + 1,
                station: format!("{}监测站", STATIONS[i % 5]),
                street: format!("{}街道", STATIONS[i % 5]),
                monitor_date: (start + Duration::days((i / 5) as i64))
                    .format("%Y-%m-%d")
                    .to_string(),
                aqi,
                pm25,
                level: match aqi {
                    ..=50 => "优",
                    51..=100 => "良",
                    _ => "轻度污染",
                }
                .to_string(),
            }
        })
        .collect()
}

/// One row of 龙岗区企业信用评价结果.
#[derive(Debug, Clone, PartialEq)]
pub struct CreditRow {
    pub credit_code: String,
    pub company: String,
    /// A–D in turn.
    pub grade: String,
    pub score: i64,
}

pub fn credit_rows() -> Vec<CreditRow> {
    (0..CREDIT_ROWS)
        .map(|i| CreditRow {
            credit_code: format!("91440307MA5{i:07}"),
            company: format!("深圳市龙岗区样例{i}号企业有限公司"),
            grade: ["A", "B", "C", "D"][i % 4].to_string(),
            score: 60 + i as i64,
        })
        .collect()
}

/// A published dataset of the fixture.
#[derive(Debug, Clone)]
pub struct Published {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit_id: i64,
}

impl From<&Resource> for Published {
    fn from(r: &Resource) -> Self {
        Published {
            id: r.id,
            code: r.code.clone(),
            name: r.name.clone(),
            unit_id: r.provider_unit_id,
        }
    }
}

/// The fixture.
pub struct OpenWorld {
    pub app: TestApp,
    /// 龙岗区生态环境局 (provides `air` and `closed`).
    pub env_unit: (i64, String),
    /// 龙岗区发展和改革局 (provides `credit` and `libraries`).
    pub dev_unit: (i64, String),
    /// 无条件开放 with data, of `env_unit`; theme 生态环境, keywords 空气质量 环境监测.
    pub air: Published,
    /// 有条件开放 with data, of `dev_unit`; theme 信用服务, keywords 企业信用 营商环境.
    pub credit: Published,
    /// 无条件开放 without data, of `dev_unit`; theme 文化休闲, keywords 公共文化 图书馆.
    pub libraries: Published,
    /// 不予开放 with data, of `env_unit`.
    pub closed: Published,
}

fn item(name: &str, label: &str, data_type: &str, description: &str) -> NewDataItem {
    NewDataItem {
        name: name.into(),
        label: label.into(),
        data_type: data_type.into(),
        description: description.into(),
        pii_kind: "无".into(),
        ..NewDataItem::default()
    }
}

#[allow(clippy::too_many_arguments)]
fn resource(
    unit: i64,
    name: &str,
    summary: &str,
    theme: &str,
    open_type: &str,
    update_cycle: &str,
    format: &str,
    keywords: &[&str],
    items: Vec<NewDataItem>,
) -> NewResource {
    NewResource {
        name: name.into(),
        summary: summary.into(),
        classification: "201001".into(),
        theme: theme.into(),
        provider_unit_id: Some(unit),
        format: format.into(),
        sharing_type: "无条件共享".into(),
        share_method: "接口".into(),
        open_type: open_type.into(),
        open_conditions: if open_type == "有条件开放" {
            "仅限科研与征信用途，需说明用途并经提供单位审核".into()
        } else {
            String::new()
        },
        open_basis: if open_type == "不予开放" {
            "涉及行政执法工作秘密，依据《政府信息公开条例》第十六条不予开放".into()
        } else {
            String::new()
        },
        update_cycle: update_cycle.into(),
        security_grade: "一般".into(),
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
        items,
        ..NewResource::default()
    }
}

async fn unit(app: &TestApp, name: &str) -> (i64, String) {
    let u = zhengshu_auth::units::create(
        app.db(),
        &zhengshu_auth::units::NewUnit {
            name: name.into(),
            short_name: name.trim_start_matches("龙岗区").into(),
            level: "district".into(),
            ..Default::default()
        },
        &zhengshu_db::ts(chrono::Utc::now()),
    )
    .await
    .unwrap();
    (u.id, u.name)
}

async fn publish(app: &TestApp, new: NewResource) -> Published {
    let r = zhengshu_catalog::create_demo_resource(&app.state.catalog, &new)
        .await
        .unwrap();
    Published::from(&r)
}

/// Connects a dataset to a new lake table and loads each CSV (header = item names) as
/// its own batch, so that the table has one data file per CSV.
async fn load(app: &TestApp, p: &Published, table: &str, key: &str, batches: &[String]) {
    zhengshu_lake::connect(&app.state.lake, &Actor::system(), p.id, table, key)
        .await
        .unwrap();
    for csv in batches {
        let mut f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
        std::io::Write::write_all(&mut f, csv.as_bytes()).unwrap();
        let source = zhengshu_lake::read::open_file(
            f.path(),
            Some(zhengshu_lake::read::Format::Csv),
            zhengshu_lake::read::Limits::default(),
        )
        .unwrap();
        let report = zhengshu_lake::ingest(
            &app.state.lake,
            table,
            source,
            zhengshu_lake::Options {
                source: format!("{table}.csv"),
                ..zhengshu_lake::Options::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(report.status, "succeeded", "{report:?}");
        assert_eq!(
            report.rows_written,
            csv.lines().count() as u64 - 1,
            "{table}: {report:?}"
        );
    }
}

/// Builds the fixture on a fresh app.
pub async fn world() -> OpenWorld {
    let app = TestApp::new().await;
    let env_unit = unit(&app, "龙岗区生态环境局").await;
    let dev_unit = unit(&app, "龙岗区发展和改革局").await;

    let air = publish(
        &app,
        resource(
            env_unit.0,
            "龙岗区空气质量监测日报",
            "龙岗区各空气质量自动监测站每日发布的空气质量指数、PM2.5浓度和空气质量等级。",
            "生态环境",
            "无条件开放",
            "每日",
            "电子表格",
            &["空气质量", "环境监测"],
            vec![
                item("record_id", "记录编号", "整数型", "每条监测记录的编号"),
                item("station", "监测站点", "字符型", "自动监测站名称"),
                item("street", "所在街道", "字符型", ""),
                item("monitor_date", "监测日期", "日期型", ""),
                item("aqi", "空气质量指数", "整数型", "AQI，按HJ 633-2012计算"),
                item("pm25", "PM2.5浓度", "数值型", "微克每立方米，日均值"),
                item("level", "空气质量等级", "字符型", "优、良、轻度污染等"),
            ],
        ),
    )
    .await;
    // Two batches, so two data files: rows 1–150 and 151–300.
    let header = "record_id,station,street,monitor_date,aqi,pm25,level\n";
    let mut halves = [header.to_string(), header.to_string()];
    for r in air_rows() {
        halves[usize::from(r.record_id > (AIR_ROWS / 2) as i64)].push_str(&format!(
            "{},{},{},{},{},{:.1},{}\n",
            r.record_id, r.station, r.street, r.monitor_date, r.aqi, r.pm25, r.level
        ));
    }
    load(&app, &air, AIR_TABLE, "record_id", &halves).await;

    let credit = publish(
        &app,
        resource(
            dev_unit.0,
            "龙岗区企业信用评价结果",
            "龙岗区企业公共信用综合评价的等级与得分，供征信与科研使用。",
            "信用服务",
            "有条件开放",
            "每月",
            "数据库",
            &["企业信用", "营商环境"],
            vec![
                item("credit_code", "统一社会信用代码", "字符型", ""),
                item("company", "企业名称", "字符型", ""),
                item("grade", "评价等级", "字符型", "A、B、C、D"),
                item("score", "评价得分", "整数型", ""),
            ],
        ),
    )
    .await;
    let mut csv = String::from("credit_code,company,grade,score\n");
    for r in credit_rows() {
        csv.push_str(&format!(
            "{},{},{},{}\n",
            r.credit_code, r.company, r.grade, r.score
        ));
    }
    load(&app, &credit, CREDIT_TABLE, "credit_code", &[csv]).await;

    let libraries = publish(
        &app,
        resource(
            dev_unit.0,
            "龙岗区公共图书馆名录",
            "龙岗区公共图书馆及其分馆的名称和地址。",
            "文化休闲",
            "无条件开放",
            "每年",
            "电子文件",
            &["公共文化", "图书馆"],
            vec![
                item("library", "图书馆名称", "字符型", ""),
                item("address", "地址", "字符型", ""),
            ],
        ),
    )
    .await;

    let closed = publish(
        &app,
        resource(
            env_unit.0,
            "龙岗区执法检查内部记录",
            "生态环境执法检查的内部工作记录。",
            "生态环境",
            "不予开放",
            "每月",
            "数据库",
            &["执法检查"],
            vec![
                item("case_no", "案件编号", "字符型", ""),
                item("finding", "检查发现", "字符型", ""),
            ],
        ),
    )
    .await;
    load(
        &app,
        &closed,
        CLOSED_TABLE,
        "case_no",
        &["case_no,finding\nJC-001,废水超标\nJC-002,废气未处理\nJC-003,台账缺失\n".to_string()],
    )
    .await;

    OpenWorld {
        app,
        env_unit,
        dev_unit,
        air,
        credit,
        libraries,
        closed,
    }
}

impl OpenWorld {
    /// A registered user (注册用户) approved for the conditional dataset, and an app key
    /// of theirs: (user id, key secret).
    pub async fn approved_key(&self, username: &str) -> (i64, String) {
        let st = &self.app.state.open;
        let (user, _) = self
            .app
            .user_with_token(username, &[zhengshu_auth::Role::PublicUser], None)
            .await;
        let application = zhengshu_open::service::apply(
            st,
            user.id,
            &zhengshu_open::model::NewApplication {
                dataset: self.credit.code.clone(),
                purpose: "研究企业信用等级与营商环境之间的关系，用于学术论文".into(),
                organisation: "深圳大学".into(),
                contact: "researcher@example.edu.cn".into(),
            },
        )
        .await
        .unwrap();
        zhengshu_open::service::decide(
            st,
            &zhengshu_open::service::Reviewer {
                user_id: 0,
                unit_id: None,
                is_admin: true,
            },
            application.id,
            &zhengshu_open::model::AppDecision {
                approve: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let (_, secret) = zhengshu_open::service::create_key(st, user.id, "论文研究")
            .await
            .unwrap();
        (user.id, secret)
    }
}
