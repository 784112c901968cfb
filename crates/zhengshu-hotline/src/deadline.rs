//! 办理时限: deadlines in working days (or hours) from the configurable table
//! `hotline_deadline_rules`, counted on the working-day calendar; and the yellow/red
//! warnings (黄牌/红牌) against the clock.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use zhengshu_core::{china_offset, WorkingCalendar};
use zhengshu_db::{parse_ts, ts, Db};

use crate::model::{AppealType, Urgency};
use crate::HotlineError;

/// How a rule's amount is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Span {
    /// 工作日: on the working-day calendar, ending at the same time of day.
    WorkingDays,
    /// 小时: wall-clock hours.
    Hours,
}

impl Span {
    pub fn as_str(self) -> &'static str {
        match self {
            Span::WorkingDays => "working_days",
            Span::Hours => "hours",
        }
    }
    pub fn parse(s: &str) -> Option<Span> {
        match s.trim() {
            "working_days" | "工作日" => Some(Span::WorkingDays),
            "hours" | "小时" => Some(Span::Hours),
            _ => None,
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Span::WorkingDays => "个工作日",
            Span::Hours => "小时",
        }
    }
}

/// One row of the deadline table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Limit {
    pub amount: i64,
    pub span: Span,
}

impl Limit {
    /// The instant `self` after `from`.
    pub fn after(self, cal: &WorkingCalendar, from: DateTime<Utc>) -> DateTime<Utc> {
        match self.span {
            Span::Hours => from + Duration::hours(self.amount),
            Span::WorkingDays => add_working_days(cal, from, self.amount),
        }
    }
}

/// `from` moved `n` working days on, at the same China time of day.
pub fn add_working_days(cal: &WorkingCalendar, from: DateTime<Utc>, n: i64) -> DateTime<Utc> {
    let local = from.with_timezone(&china_offset());
    let day = cal.add_working_days(
        local.date_naive(),
        u32::try_from(n.max(0)).unwrap_or(u32::MAX),
    );
    let moved = day.and_time(local.time());
    moved
        .and_local_timezone(china_offset())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(from)
}

/// The deadline table as loaded: rule key → limit.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineRules {
    rules: BTreeMap<String, Limit>,
}

/// A rule key with its label, for the rules page.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RuleRow {
    pub key: String,
    pub label: String,
    pub amount: i64,
    pub span: Span,
    pub updated_at: String,
}

/// The built-in defaults (DOMAIN.md; suggestions: 15 working days, urgent and emergency
/// shorter), used when a key is missing from the table.
fn default_limit(key: &str) -> Option<Limit> {
    let wd = |amount| {
        Some(Limit {
            amount,
            span: Span::WorkingDays,
        })
    };
    match key {
        "sign" | "callback" => wd(1),
        "return" => wd(2),
        "extension_max" => wd(10),
        _ => {
            let mut parts = key.strip_prefix("handle.")?.split('.');
            let appeal = AppealType::parse(parts.next()?)?;
            let urgency = Urgency::parse(parts.next()?)?;
            match (urgency, appeal) {
                (Urgency::Emergency, _) => Some(Limit {
                    amount: 2,
                    span: Span::Hours,
                }),
                (Urgency::Normal, AppealType::Consultation) => wd(3),
                (Urgency::Normal, AppealType::Help) => wd(5),
                (Urgency::Normal, AppealType::Complaint) => wd(13),
                (Urgency::Normal, AppealType::Suggestion) => wd(15),
                (Urgency::Urgent, AppealType::Consultation | AppealType::Help) => wd(1),
                (Urgency::Urgent, AppealType::Complaint) => wd(3),
                (Urgency::Urgent, AppealType::Suggestion) => wd(5),
            }
        }
    }
}

/// Every rule key, in page order.
pub fn rule_keys() -> Vec<String> {
    let mut keys: Vec<String> = ["sign", "return", "extension_max", "callback"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for u in Urgency::ALL {
        for a in AppealType::ALL {
            keys.push(handle_key(*a, *u));
        }
    }
    keys
}

fn handle_key(appeal: AppealType, urgency: Urgency) -> String {
    format!("handle.{}.{}", appeal.as_str(), urgency.as_str())
}

/// The label of a rule key.
pub fn rule_label(key: &str) -> String {
    match key {
        "sign" => "签收时限 (sign)".into(),
        "return" => "退单时限 (return a wrong dispatch)".into(),
        "extension_max" => "延期上限 (extension at most)".into(),
        "callback" => "回访时限 (call-back after closing)".into(),
        _ => {
            let mut parts = key.trim_start_matches("handle.").split('.');
            let a = parts.next().and_then(AppealType::parse);
            let u = parts.next().and_then(Urgency::parse);
            match (a, u) {
                (Some(a), Some(u)) => format!("办结时限 · {} · {}", a.label_zh(), u.label_zh()),
                _ => key.to_string(),
            }
        }
    }
}

impl Default for DeadlineRules {
    fn default() -> Self {
        let rules = rule_keys()
            .into_iter()
            .filter_map(|k| default_limit(&k).map(|l| (k, l)))
            .collect();
        DeadlineRules { rules }
    }
}

impl DeadlineRules {
    fn get(&self, key: &str) -> Limit {
        self.rules
            .get(key)
            .copied()
            .or_else(|| default_limit(key))
            .unwrap_or(Limit {
                amount: 1,
                span: Span::WorkingDays,
            })
    }
    pub fn sign(&self) -> Limit {
        self.get("sign")
    }
    pub fn return_limit(&self) -> Limit {
        self.get("return")
    }
    pub fn callback(&self) -> Limit {
        self.get("callback")
    }
    /// The most working days an order may be extended by, in total.
    pub fn extension_max_days(&self) -> i64 {
        self.get("extension_max").amount
    }
    pub fn handle(&self, appeal: AppealType, urgency: Urgency) -> Limit {
        self.get(&handle_key(appeal, urgency))
    }

    /// Loads the table (missing keys keep the defaults).
    pub async fn load(db: &Db) -> Result<DeadlineRules, HotlineError> {
        let mut out = DeadlineRules::default();
        for r in list_rows(db).await? {
            out.rules.insert(
                r.key,
                Limit {
                    amount: r.amount,
                    span: r.span,
                },
            );
        }
        Ok(out)
    }
}

/// The rows of the table with their labels.
pub async fn list_rows(db: &Db) -> Result<Vec<RuleRow>, HotlineError> {
    let rows = sqlx::query("SELECT rule_key, amount, unit, updated_at FROM hotline_deadline_rules")
        .fetch_all(db.pool())
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let key: String = r.try_get("rule_key")?;
        let unit: String = r.try_get("unit")?;
        out.push(RuleRow {
            label: rule_label(&key),
            amount: r.try_get("amount")?,
            span: Span::parse(&unit).unwrap_or(Span::WorkingDays),
            updated_at: r.try_get("updated_at")?,
            key,
        });
    }
    let order = rule_keys();
    out.sort_by_key(|r| order.iter().position(|k| *k == r.key).unwrap_or(usize::MAX));
    Ok(out)
}

/// Changes one rule (supervisor or admin); the amount must be 1–60 working days or
/// 1–72 hours, and `extension_max`/`sign`/`return`/`callback` count working days.
pub async fn update_rule(
    db: &Db,
    key: &str,
    amount: i64,
    span: Span,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), HotlineError> {
    if !rule_keys().iter().any(|k| k == key) {
        return Err(HotlineError::invalid(
            "key",
            format!("`{key}` is not a deadline rule; see the rules page"),
        ));
    }
    if !key.starts_with("handle.") && span != Span::WorkingDays {
        return Err(HotlineError::invalid(
            "unit",
            format!("`{key}` is counted in working days"),
        ));
    }
    let max = match span {
        Span::WorkingDays => 60,
        Span::Hours => 72,
    };
    if !(1..=max).contains(&amount) {
        return Err(HotlineError::invalid(
            "amount",
            format!("{amount} is out of range 1–{max} {}", span.as_str()),
        ));
    }
    sqlx::query(
        "INSERT INTO hotline_deadline_rules (rule_key, amount, unit, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (rule_key) DO UPDATE SET amount = excluded.amount, unit = excluded.unit, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(key)
    .bind(amount)
    .bind(span.as_str())
    .bind(ts(now))
    .bind(by)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// 预警: the warning level of a deadline.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    None,
    /// 黄牌: less than one working day, or less than 25 % of the time, remains.
    Yellow,
    /// 红牌: overdue.
    Red,
}

impl Warning {
    pub fn as_str(self) -> &'static str {
        match self {
            Warning::None => "none",
            Warning::Yellow => "yellow",
            Warning::Red => "red",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Warning::None => "正常",
            Warning::Yellow => "黄牌预警",
            Warning::Red => "红牌超期",
        }
    }
    pub fn badge(self) -> &'static str {
        match self {
            Warning::None => "ok",
            Warning::Yellow => "warn",
            Warning::Red => "danger",
        }
    }
}

/// The warning for a deadline that ran from `start` to `due`, seen at `now`.
pub fn warning(
    cal: &WorkingCalendar,
    start: DateTime<Utc>,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Warning {
    if now > due {
        return Warning::Red;
    }
    let total = (due - start).num_seconds().max(1);
    let left = (due - now).num_seconds();
    if left * 4 < total {
        return Warning::Yellow;
    }
    if total <= 24 * 3600 {
        return Warning::None;
    }
    let today = local_day(now);
    let due_day = local_day(due);
    // Less than one working day left: the deadline falls on the next working day at the
    // latest and the time of day has passed, or it falls today.
    let days_left = cal.working_days_between(today, due_day);
    if days_left == 0 || (days_left == 1 && local_time_secs(now) >= local_time_secs(due)) {
        return Warning::Yellow;
    }
    Warning::None
}

/// The warning of a stored pair of timestamps (none when either is missing).
pub fn warning_of(
    cal: &WorkingCalendar,
    start: Option<&str>,
    due: Option<&str>,
    now: DateTime<Utc>,
) -> Warning {
    match (start.and_then(parse_ts), due.and_then(parse_ts)) {
        (Some(s), Some(d)) => warning(cal, s, d, now),
        _ => Warning::None,
    }
}

fn local_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&china_offset()).date_naive()
}

fn local_time_secs(t: DateTime<Utc>) -> u32 {
    use chrono::Timelike;
    t.with_timezone(&china_offset()).num_seconds_from_midnight()
}

/// China time of a stored timestamp for pages (`2026-11-24 10:30`).
pub fn local_display(s: &str) -> String {
    parse_ts(s)
        .map(|t| {
            t.with_timezone(&china_offset())
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        china_offset()
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn defaults_follow_domain_md() {
        let r = DeadlineRules::default();
        assert_eq!(
            r.sign(),
            Limit {
                amount: 1,
                span: Span::WorkingDays
            }
        );
        assert_eq!(r.return_limit().amount, 2);
        assert_eq!(r.extension_max_days(), 10);
        assert_eq!(
            r.handle(AppealType::Consultation, Urgency::Normal).amount,
            3
        );
        assert_eq!(r.handle(AppealType::Help, Urgency::Normal).amount, 5);
        assert_eq!(r.handle(AppealType::Complaint, Urgency::Normal).amount, 13);
        assert_eq!(r.handle(AppealType::Suggestion, Urgency::Normal).amount, 15);
        assert_eq!(
            r.handle(AppealType::Help, Urgency::Emergency),
            Limit {
                amount: 2,
                span: Span::Hours
            }
        );
        assert_eq!(rule_keys().len(), 16);
    }

    #[test]
    fn working_days_skip_the_national_day_holiday() {
        let cal = WorkingCalendar::official();
        // Friday 2025-09-26 10:00 + 3 working days: Sunday 28 Sep is a make-up workday,
        // so Mon 29, Tue 30 Sep, Sun 28 → Tue 30 Sep 10:00.
        let due = add_working_days(&cal, at(2025, 9, 26, 10), 3);
        assert_eq!(due, at(2025, 9, 30, 10));
        // Tuesday 2025-09-30 + 1 working day jumps the 1–8 October holiday to Thursday 9 Oct.
        assert_eq!(
            add_working_days(&cal, at(2025, 9, 30, 9), 1),
            at(2025, 10, 9, 9)
        );
        let two_hours = Limit {
            amount: 2,
            span: Span::Hours,
        };
        assert_eq!(
            two_hours.after(&cal, at(2025, 10, 1, 22)),
            at(2025, 10, 2, 0)
        );
    }

    #[test]
    fn warnings_turn_yellow_then_red() {
        let cal = WorkingCalendar::official();
        // Monday 2026-11-23 09:00, 5 working days → Monday 30 Nov 09:00.
        let start = at(2026, 11, 23, 9);
        let due = add_working_days(&cal, start, 5);
        assert_eq!(due, at(2026, 11, 30, 9));
        assert_eq!(
            warning(&cal, start, due, at(2026, 11, 25, 9)),
            Warning::None
        );
        // Friday 27 Nov 10:00: one working day (Monday) left but past 09:00 → yellow.
        assert_eq!(
            warning(&cal, start, due, at(2026, 11, 27, 10)),
            Warning::Yellow
        );
        assert_eq!(
            warning(&cal, start, due, at(2026, 11, 30, 8)),
            Warning::Yellow
        );
        assert_eq!(
            warning(&cal, start, due, at(2026, 11, 30, 10)),
            Warning::Red
        );
        // Emergency: 2 hours, yellow in the last 30 minutes.
        let due = start + Duration::hours(2);
        assert_eq!(
            warning(&cal, start, due, start + Duration::minutes(100)),
            Warning::Yellow
        );
    }
}
