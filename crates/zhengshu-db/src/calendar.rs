//! Admin-added working-day calendar days (next year's holidays and 调休 make-up
//! workdays), merged over the official tables in `zhengshu-core`.

use chrono::NaiveDate;
use sqlx::Row;

use crate::{Db, DbError};

/// One admin-entered day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDay {
    pub day: NaiveDate,
    /// `holiday` or `workday`.
    pub kind: String,
    pub name: String,
}

pub async fn list(db: &Db) -> Result<Vec<CalendarDay>, DbError> {
    let rows = sqlx::query("SELECT day, kind, name FROM calendar_days ORDER BY day")
        .fetch_all(db.pool())
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let day: String = r.try_get("day")?;
        let Ok(day) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") else {
            continue;
        };
        out.push(CalendarDay {
            day,
            kind: r.try_get("kind")?,
            name: r.try_get("name")?,
        });
    }
    Ok(out)
}

/// Inserts or replaces one day.
pub async fn upsert(
    db: &Db,
    day: NaiveDate,
    kind: &str,
    name: &str,
    by_user: Option<i64>,
    now: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO calendar_days (day, kind, name, created_by, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, \
         created_by = excluded.created_by, created_at = excluded.created_at",
    )
    .bind(day.format("%Y-%m-%d").to_string())
    .bind(kind)
    .bind(name)
    .bind(by_user)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn delete(db: &Db, day: NaiveDate) -> Result<bool, DbError> {
    let r = sqlx::query("DELETE FROM calendar_days WHERE day = $1")
        .bind(day.format("%Y-%m-%d").to_string())
        .execute(db.pool())
        .await?;
    Ok(r.rows_affected() > 0)
}

/// The working-day calendar in force: the official tables plus the admin-added days.
pub async fn load(db: &Db) -> Result<zhengshu_core::calendar::WorkingCalendar, DbError> {
    use zhengshu_core::calendar::{DayKind, WorkingCalendar};
    let days = list(db).await?;
    Ok(
        WorkingCalendar::official().with_overrides(days.into_iter().map(|d| {
            let kind = if d.kind == "workday" {
                DayKind::MakeupWorkday
            } else {
                DayKind::Holiday
            };
            (d.day, kind, d.name)
        })),
    )
}
