//! 统计分析: volumes by type, category, street and unit; on-time and satisfaction rates;
//! top issues this week; trends. Read from the roll-up `hotline_stats_daily`, so the page
//! costs the same at a million orders as at a thousand.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use zhengshu_core::china_offset;
use zhengshu_db::{ts, Db};

use crate::model::{category, AppealType};
use crate::HotlineError;

/// The period of the statistics (China dates, inclusive).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct StatsQuery {
    /// `YYYY-MM-DD`; default one year before `to`.
    pub from: Option<String>,
    /// `YYYY-MM-DD`; default today.
    pub to: Option<String>,
}

/// Figures of one group.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Bucket {
    pub key: String,
    pub label: String,
    pub received: i64,
    pub closed: i64,
    pub on_time: i64,
    pub called_back: i64,
    pub satisfied: i64,
    pub basic: i64,
    pub unsatisfied: i64,
}

impl Bucket {
    /// Share of closed orders closed by their deadline.
    pub fn on_time_rate(&self) -> f64 {
        ratio(self.on_time, self.closed)
    }
    /// Share of call-backs rated 满意 or 基本满意.
    pub fn satisfaction_rate(&self) -> f64 {
        ratio(self.satisfied + self.basic, self.called_back)
    }
    fn add(&mut self, c: &[i64; 7]) {
        self.received += c[0];
        self.closed += c[1];
        self.on_time += c[2];
        self.called_back += c[3];
        self.satisfied += c[4];
        self.basic += c[5];
        self.unsatisfied += c[6];
    }
}

fn ratio(a: i64, b: i64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// One point of the trend.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrendPoint {
    /// A day (`2026-11-24`) or, for periods over 92 days, a month (`2026-11`).
    pub period: String,
    pub received: i64,
    pub closed: i64,
}

/// The statistics page's data.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Stats {
    pub from: String,
    pub to: String,
    pub total: Bucket,
    pub on_time_rate: f64,
    pub satisfaction_rate: f64,
    /// Orders still with the units now, and those past their deadline.
    pub open_now: i64,
    pub overdue_now: i64,
    pub by_type: Vec<Bucket>,
    pub by_category: Vec<Bucket>,
    pub by_street: Vec<Bucket>,
    pub by_unit: Vec<Bucket>,
    /// The most frequent categories of the last 7 days.
    pub top_this_week: Vec<Bucket>,
    pub trend: Vec<TrendPoint>,
}

fn parse_day(field: &str, s: Option<&str>) -> Result<Option<NaiveDate>, HotlineError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                HotlineError::invalid(field, format!("`{s}` is not a date; use YYYY-MM-DD"))
            }),
    }
}

const SUMS: &str =
    "CAST(SUM(received) AS BIGINT) AS received, CAST(SUM(closed) AS BIGINT) AS closed, \
    CAST(SUM(on_time) AS BIGINT) AS on_time, CAST(SUM(called_back) AS BIGINT) AS called_back, \
    CAST(SUM(satisfied) AS BIGINT) AS satisfied, CAST(SUM(basic) AS BIGINT) AS basic, \
    CAST(SUM(unsatisfied) AS BIGINT) AS unsatisfied";

fn counts(r: &sqlx::any::AnyRow) -> Result<[i64; 7], sqlx::Error> {
    Ok([
        r.try_get("received")?,
        r.try_get("closed")?,
        r.try_get("on_time")?,
        r.try_get("called_back")?,
        r.try_get("satisfied")?,
        r.try_get("basic")?,
        r.try_get("unsatisfied")?,
    ])
}

/// Recomputes the statistics roll-up from the orders (after bulk loads or repairs).
pub async fn rebuild(db: &Db) -> Result<(), HotlineError> {
    crate::store::rebuild_rollup(db).await
}

/// Open orders past their handling deadline at `now`.
pub async fn overdue_count(db: &Db, now: DateTime<Utc>) -> Result<i64, HotlineError> {
    let open = crate::open_states_sql();
    let n: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM hotline_orders WHERE state IN ({open}) AND state <> 'accepted' AND due_at < $1"
    ))
    .bind(ts(now))
    .fetch_one(db.pool())
    .await?;
    Ok(n)
}

/// Computes the statistics of a period at `now`.
pub async fn compute(db: &Db, q: &StatsQuery, now: DateTime<Utc>) -> Result<Stats, HotlineError> {
    let today = now.with_timezone(&china_offset()).date_naive();
    let to = parse_day("to", q.to.as_deref())?.unwrap_or(today);
    let from = parse_day("from", q.from.as_deref())?.unwrap_or(to - Duration::days(364));
    if from > to {
        return Err(HotlineError::invalid(
            "from",
            format!("{from} is after {to}"),
        ));
    }
    let (from_s, to_s) = (from.to_string(), to.to_string());
    let rows = sqlx::query(&format!(
        "SELECT dim, key, {SUMS} FROM hotline_stats_daily WHERE day >= $1 AND day <= $2 GROUP BY dim, key"
    ))
    .bind(&from_s)
    .bind(&to_s)
    .fetch_all(db.pool())
    .await?;
    let units: HashMap<String, String> = zhengshu_auth::units::list(db, &Default::default())
        .await?
        .into_iter()
        .map(|u| (u.id.to_string(), u.name))
        .collect();
    let mut dims: BTreeMap<String, Vec<Bucket>> = BTreeMap::new();
    let mut total = Bucket {
        key: "total".into(),
        label: "合计".into(),
        ..Bucket::default()
    };
    for r in &rows {
        let dim: String = r.try_get("dim")?;
        let key: String = r.try_get("key")?;
        let c = counts(r)?;
        if dim == "type" {
            total.add(&c);
        }
        let label = label_of(&dim, &key, &units);
        let mut b = Bucket {
            key,
            label,
            ..Bucket::default()
        };
        b.add(&c);
        dims.entry(dim).or_default().push(b);
    }
    for list in dims.values_mut() {
        list.retain(|b| b.received > 0 || b.closed > 0);
        list.sort_by(|a, b| b.received.cmp(&a.received).then(a.key.cmp(&b.key)));
    }
    let week_from = (today - Duration::days(6)).to_string();
    let top_rows = sqlx::query(&format!(
        "SELECT key, {SUMS} FROM hotline_stats_daily WHERE dim = 'category' AND day >= $1 GROUP BY key ORDER BY received DESC LIMIT 10"
    ))
    .bind(&week_from)
    .fetch_all(db.pool())
    .await?;
    let mut top_this_week = Vec::new();
    for r in &top_rows {
        let key: String = r.try_get("key")?;
        let mut b = Bucket {
            label: label_of("category", &key, &units),
            key,
            ..Bucket::default()
        };
        b.add(&counts(r)?);
        if b.received > 0 {
            top_this_week.push(b);
        }
    }
    let trend_rows = sqlx::query(&format!(
        "SELECT day, {SUMS} FROM hotline_stats_daily WHERE dim = 'type' AND day >= $1 AND day <= $2 GROUP BY day ORDER BY day"
    ))
    .bind(&from_s)
    .bind(&to_s)
    .fetch_all(db.pool())
    .await?;
    let monthly = (to - from).num_days() > 92;
    let mut trend: Vec<TrendPoint> = Vec::new();
    for r in &trend_rows {
        let day: String = r.try_get("day")?;
        let c = counts(r)?;
        let period = if monthly {
            day.chars().take(7).collect()
        } else {
            day
        };
        match trend.last_mut() {
            Some(p) if p.period == period => {
                p.received += c[0];
                p.closed += c[1];
            }
            _ => trend.push(TrendPoint {
                period,
                received: c[0],
                closed: c[1],
            }),
        }
    }
    let open = crate::open_states_sql();
    let open_now = db
        .scalar_i64(&format!(
            "SELECT COUNT(*) FROM hotline_orders WHERE state IN ({open})"
        ))
        .await?;
    let mut take = |d: &str| dims.remove(d).unwrap_or_default();
    Ok(Stats {
        from: from_s,
        to: to_s,
        on_time_rate: total.on_time_rate(),
        satisfaction_rate: total.satisfaction_rate(),
        total,
        open_now,
        overdue_now: overdue_count(db, now).await?,
        by_type: take("type"),
        by_category: take("category"),
        by_street: take("street"),
        by_unit: take("unit"),
        top_this_week,
        trend,
    })
}

fn label_of(dim: &str, key: &str, units: &HashMap<String, String>) -> String {
    match dim {
        "type" => AppealType::parse(key)
            .map(|a| a.label_zh().to_string())
            .unwrap_or_else(|| key.to_string()),
        "category" => category(key)
            .map(|c| c.name.to_string())
            .unwrap_or_else(|| key.to_string()),
        "unit" if key.is_empty() => "未派单".to_string(),
        "unit" => units
            .get(key)
            .cloned()
            .unwrap_or_else(|| format!("unit {key}")),
        _ => key.to_string(),
    }
}

/// The statistics as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese).
pub fn to_csv(s: &Stats) -> Result<Vec<u8>, HotlineError> {
    let mut w = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let io = |e: csv::Error| HotlineError::invalid("export", e.to_string());
    w.write_record([
        "维度 dimension",
        "代码 key",
        "名称 name",
        "受理 received",
        "办结 closed",
        "按时办结 on_time",
        "按时办结率 on_time_rate",
        "回访 called_back",
        "满意 satisfied",
        "基本满意 basic",
        "不满意 unsatisfied",
        "满意率 satisfaction_rate",
    ])
    .map_err(io)?;
    let groups: [(&str, &[Bucket]); 6] = [
        ("total", std::slice::from_ref(&s.total)),
        ("type", &s.by_type),
        ("category", &s.by_category),
        ("street", &s.by_street),
        ("unit", &s.by_unit),
        ("top_this_week", &s.top_this_week),
    ];
    for (dim, buckets) in groups {
        for b in buckets {
            w.write_record([
                dim.to_string(),
                b.key.clone(),
                b.label.clone(),
                b.received.to_string(),
                b.closed.to_string(),
                b.on_time.to_string(),
                format!("{:.4}", b.on_time_rate()),
                b.called_back.to_string(),
                b.satisfied.to_string(),
                b.basic.to_string(),
                b.unsatisfied.to_string(),
                format!("{:.4}", b.satisfaction_rate()),
            ])
            .map_err(io)?;
        }
    }
    w.into_inner()
        .map_err(|e| HotlineError::invalid("export", e.to_string()))
}
