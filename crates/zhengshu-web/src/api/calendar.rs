use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use zhengshu_core::calendar::DayKind;
use zhengshu_http::{perm, ApiError, ApiJson, Authorized};

use crate::WebState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct DayOut {
    pub day: String,
    /// `holiday` or `workday` (调休 make-up workday).
    pub kind: String,
    pub name: String,
    /// `official` (built in) or `admin` (added here).
    pub source: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(crate) struct YearParam {
    /// Calendar year (default: this year).
    year: Option<i32>,
}

pub(crate) async fn days_of_year(s: &WebState, year: i32) -> Result<Vec<DayOut>, ApiError> {
    let cal = zhengshu_db::calendar::load(&s.db).await?;
    let admin: Vec<NaiveDate> = zhengshu_db::calendar::list(&s.db)
        .await?
        .into_iter()
        .map(|d| d.day)
        .collect();
    Ok(cal
        .days()
        .filter(|(d, _, _)| chrono::Datelike::year(d) == year)
        .map(|(d, kind, name)| DayOut {
            day: d.to_string(),
            kind: match kind {
                DayKind::Holiday => "holiday".into(),
                DayKind::MakeupWorkday => "workday".into(),
            },
            name: name.to_string(),
            source: if admin.contains(&d) {
                "admin".into()
            } else {
                "official".into()
            },
        })
        .collect())
}

/// Holidays and make-up workdays of a year (official tables plus admin-added days).
#[utoipa::path(get, path = "/api/v1/calendar/days", tag = "platform", params(YearParam), security(("token" = [])),
    responses((status = 200, body = [DayOut])))]
pub(crate) async fn days(
    _a: Authorized<perm::ConsoleAccess>,
    State(s): State<WebState>,
    Query(q): Query<YearParam>,
) -> Result<ApiJson<Vec<DayOut>>, ApiError> {
    let year = q
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&s.clock.today()));
    Ok(ApiJson(days_of_year(&s, year).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(crate) struct NewDay {
    /// YYYY-MM-DD
    pub day: String,
    /// `holiday` or `workday`
    pub kind: String,
    /// e.g. 春节
    pub name: String,
}

pub(crate) async fn save_day(
    s: &WebState,
    user_id: i64,
    d: &NewDay,
) -> Result<NaiveDate, ApiError> {
    let day = NaiveDate::parse_from_str(d.day.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::invalid("day", format!("`{}` is not a date; use YYYY-MM-DD", d.day))
    })?;
    if !matches!(d.kind.as_str(), "holiday" | "workday") {
        return Err(ApiError::invalid(
            "kind",
            format!("`{}`: use `holiday` or `workday`", d.kind),
        ));
    }
    if d.name.trim().is_empty() || d.name.chars().count() > 40 {
        return Err(ApiError::invalid(
            "name",
            "give the festival name (1–40 characters), e.g. 春节",
        ));
    }
    zhengshu_db::calendar::upsert(
        &s.db,
        day,
        &d.kind,
        d.name.trim(),
        Some(user_id),
        &zhengshu_db::ts(s.clock.now()),
    )
    .await?;
    Ok(day)
}

/// Add or change a holiday or make-up workday (e.g. next year's State Council notice).
#[utoipa::path(post, path = "/api/v1/calendar/days", tag = "platform", request_body = NewDay, security(("token" = [])),
    responses((status = 201, description = "saved"), (status = 422, description = "invalid field")))]
pub(crate) async fn add_day(
    a: Authorized<perm::CalendarWrite>,
    State(s): State<WebState>,
    ApiJson(d): ApiJson<NewDay>,
) -> Result<StatusCode, ApiError> {
    save_day(&s, a.user.id, &d).await?;
    Ok(StatusCode::CREATED)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(crate) struct WorkingDaysParams {
    /// Start date, YYYY-MM-DD.
    from: String,
    /// Working days to add.
    days: u32,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct WorkingDaysOut {
    pub from: String,
    pub days: u32,
    /// The date `days` working days after `from`.
    pub due: String,
}

/// The date N working days after a date (the deadline rule every module uses).
#[utoipa::path(get, path = "/api/v1/calendar/working-days", tag = "platform", params(WorkingDaysParams), security(("token" = [])),
    responses((status = 200, body = WorkingDaysOut), (status = 422, description = "bad date")))]
pub(crate) async fn working_days(
    _a: Authorized<perm::ConsoleAccess>,
    State(s): State<WebState>,
    Query(q): Query<WorkingDaysParams>,
) -> Result<ApiJson<WorkingDaysOut>, ApiError> {
    let from = NaiveDate::parse_from_str(q.from.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::invalid(
            "from",
            format!("`{}` is not a date; use YYYY-MM-DD", q.from),
        )
    })?;
    if q.days > 3650 {
        return Err(ApiError::invalid("days", "at most 3650"));
    }
    let cal = zhengshu_db::calendar::load(&s.db).await?;
    let due = cal.add_working_days(from, q.days);
    Ok(ApiJson(WorkingDaysOut {
        from: from.to_string(),
        days: q.days,
        due: due.to_string(),
    }))
}
