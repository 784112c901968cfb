//! Demo content of the portal: data for a few of the catalog's opened resources (loaded
//! through the lake's real ingest pipeline), a registered member of the public with one
//! approved and one pending application, and some use so the figures are not empty.

use zhengshu_catalog::model::{DataType, OpenType, Resource};
use zhengshu_catalog::search::{SearchParams, Viewer};
use zhengshu_catalog::Actor;

use crate::model::{AppDecision, NewApplication};
use crate::service::{self, Reviewer};
use crate::stats::Event;
use crate::{OpenError, OpenState};

const STREETS: [&str; 11] = [
    "平湖街道",
    "坂田街道",
    "布吉街道",
    "南湾街道",
    "横岗街道",
    "龙城街道",
    "龙岗街道",
    "坪地街道",
    "园山街道",
    "宝龙街道",
    "吉华街道",
];

/// The lake table name of an opened resource: `open_` and its code.
pub fn table_name(r: &Resource) -> String {
    format!("open_{}", r.code.replace('-', "_")).to_lowercase()
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn is_lng(n: &str, label: &str) -> bool {
    n == "lng"
        || n == "lon"
        || n.starts_with("longitude")
        || n.ends_with("_lng")
        || label.contains("经度")
}

fn is_lat(n: &str, label: &str) -> bool {
    n == "lat" || n.starts_with("latitude") || n.ends_with("_lat") || label.contains("纬度")
}

/// A valid unified social credit code (GB 32100) for row `i`.
fn credit_code(i: usize) -> String {
    let first17 = format!(
        "91440307{:09}",
        (i as u64).wrapping_mul(2_654_435_761) % 1_000_000_000
    );
    let check = zhengshu_core::credit_code_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// A plausible value of data item `name` (label `label`) of type `t` in row `i`; the
/// first item (the table's key) is unique.
fn value(name: &str, label: &str, t: DataType, i: usize, first: bool) -> String {
    let street = STREETS[i % STREETS.len()];
    let n = name.to_lowercase();
    match t {
        DataType::Integer if first => (i + 1).to_string(),
        DataType::Integer => ((i * 37 + name.len() * 11) % 500 + 1).to_string(),
        DataType::Number if is_lng(&n, label) => {
            format!("114.{:06}", 150_000 + (i * 7919) % 150_000)
        }
        DataType::Number if is_lat(&n, label) => {
            format!("22.{:06}", 600_000 + (i * 104_729) % 150_000)
        }
        DataType::Number => format!("{}.{:02}", (i * 53) % 1_000, (i * 7) % 100),
        DataType::Date => format!(
            "{}-{:02}-{:02}",
            2019 + i % 7,
            1 + (i / 7) % 12,
            1 + (i / 3) % 28
        ),
        DataType::Datetime => format!(
            "{}-{:02}-{:02} {:02}:{:02}:00",
            2024 + i % 3,
            1 + (i / 7) % 12,
            1 + (i / 3) % 28,
            8 + i % 12,
            (i * 13) % 60
        ),
        DataType::Boolean => (if i.is_multiple_of(3) { "否" } else { "是" }).to_string(),
        DataType::Binary => String::new(),
        DataType::String => {
            let base: String = label
                .trim_end_matches("名称")
                .trim_end_matches("编号")
                .trim_end_matches("号码")
                .chars()
                .take(8)
                .collect();
            if n.contains("uscc") || n.contains("credit_code") || label.contains("信用代码") {
                credit_code(i)
            } else if n.ends_with("code")
                || n.ends_with("_no")
                || n == "id"
                || label.ends_with("编号")
                || label.ends_with("号")
            {
                format!("LG{}{:06}", base.chars().take(2).collect::<String>(), i + 1)
            } else if n.contains("community") || label.contains("社区") {
                format!("{}第{}社区", street.trim_end_matches("街道"), 1 + i)
            } else if n.contains("street") || label.contains("街道") {
                street.to_string()
            } else if n.contains("address") || label.contains("地址") || label.contains("位置")
            {
                format!("深圳市龙岗区{street}龙岗大道{}号", 100 + (i * 7) % 900)
            } else if n.contains("phone") || n.contains("tel") || label.contains("电话") {
                format!("0755-2896{:04}", i % 10_000)
            } else if is_lng(&n, label) {
                format!("114.{:06}", 150_000 + (i * 7919) % 150_000)
            } else if is_lat(&n, label) {
                format!("22.{:06}", 600_000 + (i * 104_729) % 150_000)
            } else if label.contains("单位")
                || label.contains("企业")
                || label.contains("当事人")
                || label.contains("公司")
            {
                format!(
                    "深圳市{}{}科技有限公司",
                    ["龙城", "坂田", "布吉", "平湖"][i % 4],
                    i + 1
                )
            } else if n.contains("type")
                || n.contains("category")
                || n.contains("level")
                || n.contains("status")
                || label.contains("类型")
                || label.contains("类别")
                || label.contains("等级")
                || label.contains("状态")
            {
                let short: String = label
                    .trim_end_matches("类型")
                    .trim_end_matches("类别")
                    .trim_end_matches("等级")
                    .trim_end_matches("状态")
                    .chars()
                    .take(4)
                    .collect();
                format!("{short}{}类", ["一", "二", "三", "四"][i % 4])
            } else if n.contains("hours") || label.contains("时间") {
                ["08:30-17:30", "09:00-18:00", "全天开放"][i % 3].to_string()
            } else if first || label.ends_with("名称") || n.ends_with("name") {
                format!("{street}{base}{}", i + 1)
            } else {
                format!("{base}（{}）", ["甲", "乙", "丙", "丁", "戊"][i % 5])
            }
        }
    }
}

fn demo_csv(r: &Resource, rows: usize) -> String {
    let mut out = r
        .items
        .iter()
        .map(|i| csv_cell(&i.label))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for n in 0..rows {
        let line = r
            .items
            .iter()
            .enumerate()
            .map(|(k, item)| csv_cell(&value(&item.name, &item.label, item.data_type, n, k == 0)))
            .collect::<Vec<_>>()
            .join(",");
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Loads `rows` synthetic rows into a new lake table for resource `r` (keyed by its
/// first data item). Returns the rows written.
pub async fn load(st: &OpenState, r: &Resource, rows: usize) -> Result<u64, OpenError> {
    let table = table_name(r);
    let key = r.items.first().map(|i| i.name.clone()).unwrap_or_default();
    zhengshu_lake::connect(&st.lake, &Actor::system(), r.id, &table, &key).await?;
    let mut f = tempfile::NamedTempFile::new()
        .map_err(|e| zhengshu_lake::LakeError::Storage(e.to_string()))?;
    std::io::Write::write_all(&mut f, demo_csv(r, rows).as_bytes())
        .map_err(|e| zhengshu_lake::LakeError::Storage(e.to_string()))?;
    let source = zhengshu_lake::read::open_file(
        f.path(),
        Some(zhengshu_lake::read::Format::Csv),
        zhengshu_lake::read::Limits::default(),
    )
    .map_err(zhengshu_lake::LakeError::from)?;
    let report = zhengshu_lake::ingest(
        &st.lake,
        &table,
        source,
        zhengshu_lake::Options {
            batch_id: Some(format!("demo-open-{}", r.code)),
            source: format!("demo {}.csv", r.code),
            ..zhengshu_lake::Options::default()
        },
    )
    .await?;
    Ok(report.rows_written)
}

/// What the demo made.
#[derive(Debug, Default)]
pub struct Seeded {
    pub datasets: usize,
    pub rows: u64,
    pub applications: usize,
}

/// Gives `datasets` opened resources (a few of them conditionally opened) `rows` rows of
/// data each, and the demo member of the public `citizen` (if that account exists) an
/// approved and a pending application. Does nothing when opened data exists already.
pub async fn seed(st: &OpenState, datasets: usize, rows: usize) -> Result<Seeded, OpenError> {
    let mut out = Seeded::default();
    for t in zhengshu_lake::store::tables(&st.db).await? {
        if t.table_name.starts_with("open_") {
            return Ok(out);
        }
    }
    let page = zhengshu_catalog::find::search(
        &st.catalog,
        Viewer::Public,
        &SearchParams {
            limit: 500,
            ..SearchParams::default()
        },
        false,
    )
    .await?;
    let usable = |r: &&Resource| {
        r.items.len() >= 3
            && r.items
                .iter()
                .all(|i| !i.pii_kind.is_sensitive() && i.data_type != DataType::Binary)
    };
    let mut picked: Vec<&Resource> = Vec::new();
    let conditional = (datasets / 4).max(1);
    let mut themes = std::collections::HashSet::new();
    for r in page
        .resources
        .iter()
        .filter(usable)
        .filter(|r| r.open_type == OpenType::Conditional)
        .take(conditional)
    {
        themes.insert(r.theme.clone());
        picked.push(r);
    }
    for r in page
        .resources
        .iter()
        .filter(usable)
        .filter(|r| r.open_type == OpenType::Unconditional)
    {
        if picked.len() >= datasets {
            break;
        }
        if themes.insert(r.theme.clone()) || themes.len() >= 8 {
            picked.push(r);
        }
    }
    for r in &picked {
        out.rows += load(st, r, rows).await?;
        out.datasets += 1;
    }
    // Some use, so that the figures and charts have something to show.
    let today = st.clock.today();
    for (k, r) in picked.iter().enumerate() {
        for back in 0..14i64 {
            let day = (today - chrono::Duration::days(back))
                .format("%Y-%m-%d")
                .to_string();
            let n = (k * 7 + back as usize * 3) % 11;
            for _ in 0..(n + 2) {
                st.stats.record(&day, r.id, Event::View);
            }
            for _ in 0..(n / 2) {
                st.stats.record(&day, r.id, Event::Download);
            }
            for _ in 0..n {
                st.stats.record(&day, r.id, Event::ApiCall);
            }
        }
    }
    st.stats.flush(&st.db).await?;
    // The demo member of the public: approved for one conditional dataset, waiting for
    // another (or the same unit's review of a second one).
    if let Ok(citizen) = zhengshu_auth::users::get_by_username(&st.db, "citizen").await {
        let conditional: Vec<&&Resource> = picked
            .iter()
            .filter(|r| r.open_type == OpenType::Conditional)
            .collect();
        let all_conditional: Vec<&Resource> = page
            .resources
            .iter()
            .filter(|r| r.open_type == OpenType::Conditional)
            .collect();
        if let Some(first) = conditional.first() {
            let a = service::apply(
                st,
                citizen.id,
                &NewApplication {
                    dataset: first.code.clone(),
                    purpose: "高校课题研究：分析龙岗区公共服务设施的空间分布".into(),
                    organisation: "深圳某大学城市规划学院".into(),
                    contact: "zhou@example.edu.cn".into(),
                },
            )
            .await?;
            service::decide(
                st,
                &Reviewer {
                    user_id: citizen.id,
                    unit_id: None,
                    is_admin: true,
                },
                a.id,
                &AppDecision {
                    approve: true,
                    reason: "演示：用途明确，同意开放".into(),
                    valid_until: None,
                },
            )
            .await?;
            out.applications += 1;
        }
        if let Some(second) = all_conditional
            .iter()
            .find(|r| conditional.first().is_none_or(|f| f.id != r.id))
        {
            service::apply(
                st,
                citizen.id,
                &NewApplication {
                    dataset: second.code.clone(),
                    purpose: "开发便民小程序，为居民提供办事指引".into(),
                    organisation: "龙岗区某科技有限公司".into(),
                    contact: "0755-28950000".into(),
                },
            )
            .await?;
            out.applications += 1;
        }
    }
    Ok(out)
}
