use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use zhengshu_auth::Permission;
use zhengshu_http::{perm, render, ApiError, ApiForm, Authorized, Chrome, Lang};

use super::see_other;
use crate::api::calendar::{days_of_year, save_day, DayOut, NewDay};
use crate::WebState;

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    chrome: Chrome,
    year: i32,
    years: Vec<i32>,
    days: Vec<DayOut>,
    can_write: bool,
    calc_from: String,
    calc_days: String,
    calc_due: Option<String>,
    error: Option<String>,
    warn_next_year: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Params {
    year: Option<i32>,
    from: Option<String>,
    days: Option<u32>,
}

pub(crate) async fn page(
    a: Authorized<perm::ConsoleAccess>,
    lang: Lang,
    State(s): State<WebState>,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    render_page(&a, lang, &s, q, None).await
}

async fn render_page(
    a: &Authorized<perm::ConsoleAccess>,
    lang: Lang,
    s: &WebState,
    q: Params,
    error: Option<String>,
) -> Result<Response, ApiError> {
    let today = s.clock.today();
    let year = q.year.unwrap_or(today.year());
    let days = days_of_year(s, year).await?;
    let cal = zhengshu_db::calendar::load(&s.db).await?;
    let calc_from = q.from.clone().unwrap_or_else(|| today.to_string());
    let calc_days = q.days.unwrap_or(20);
    let calc_due = NaiveDate::parse_from_str(&calc_from, "%Y-%m-%d")
        .ok()
        .map(|d| cal.add_working_days(d, calc_days.min(3650)).to_string());
    let warn_next_year = today.month() >= 11 && !cal.has_days_in(today.year() + 1);
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let p = CalendarPage {
        chrome: Chrome::console(a, lang, "/console/calendar"),
        year,
        years: (2020..=today.year() + 1).collect(),
        days,
        can_write: a.can(Permission::CalendarWrite),
        calc_from,
        calc_days: calc_days.to_string(),
        calc_due,
        error,
        warn_next_year,
    };
    Ok((status, render(&p)).into_response())
}

pub(crate) async fn add(
    a: Authorized<perm::CalendarWrite>,
    State(s): State<WebState>,
    ApiForm(d): ApiForm<NewDay>,
) -> Result<Response, ApiError> {
    match save_day(&s, a.user.id, &d).await {
        Ok(day) => Ok(see_other(&format!("/console/calendar?year={}", day.year()))),
        Err(e) => Err(e),
    }
}
