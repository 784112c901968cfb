//! `/console/open`: the providers' reviewers decide applications for their unit's
//! conditionally opened datasets; everyone with the permission sees the portal's figures.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use zhengshu_http::{perm, render, ApiError, ApiForm, Authorized, Chrome, Lang, Principal};

use crate::http::account::see_other;
use crate::model::{AppDecision, AppStatus, Application};
use crate::service::{self, Reviewer};
use crate::stats::{self, Summary};
use crate::{OpenError, OpenState};

#[derive(Template)]
#[template(path = "open/console.html")]
struct ConsolePage {
    chrome: Chrome,
    pending: Vec<Application>,
    decided: Vec<Application>,
    today: String,
    summary: Summary,
    chart: String,
    error: Option<String>,
}

impl ConsolePage {
    fn status_label(&self, s: &AppStatus) -> &'static str {
        if self.chrome.is_en() {
            s.label_en()
        } else {
            s.label_zh()
        }
    }

    /// (badge class, text) of a pending application's due day.
    fn due(&self, a: &Application) -> (&'static str, &'static str) {
        if a.due_date.as_str() < self.today.as_str() {
            ("danger", self.chrome.t("已逾期", "overdue"))
        } else if a.due_date == self.today {
            ("warn", self.chrome.t("今日到期", "due today"))
        } else {
            ("ok", self.chrome.t("未到期", "on time"))
        }
    }
}

async fn page(
    st: &OpenState,
    p: &Principal,
    lang: Lang,
    error: Option<String>,
) -> Result<Response, ApiError> {
    let who = Reviewer::of(p);
    let all = service::review_queue(st, &who, None).await?;
    let (pending, decided): (Vec<_>, Vec<_>) = all
        .into_iter()
        .partition(|a| a.status == AppStatus::Pending);
    let since = (st.clock.today() - chrono::Duration::days(29))
        .format("%Y-%m-%d")
        .to_string();
    let summary = stats::summary(st, &since).await?;
    let chart = serde_json::json!({
        "days": summary.by_day.iter().map(|(d, _)| d).collect::<Vec<_>>(),
        "views": summary.by_day.iter().map(|(_, t)| t.views).collect::<Vec<_>>(),
        "downloads": summary.by_day.iter().map(|(_, t)| t.downloads).collect::<Vec<_>>(),
        "api_calls": summary.by_day.iter().map(|(_, t)| t.api_calls).collect::<Vec<_>>(),
    })
    .to_string()
    .replace("</", "<\\/");
    Ok(render(&ConsolePage {
        chrome: Chrome::console(p, lang, "/console/open"),
        pending,
        decided: decided.into_iter().take(100).collect(),
        today: service::today_s(st),
        summary,
        chart,
        error,
    }))
}

/// The review queue and the figures.
pub async fn index(
    State(st): State<OpenState>,
    who: Authorized<perm::OpenReview>,
    lang: Lang,
) -> Result<Response, ApiError> {
    page(&st, &who, lang, None).await
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    /// `approve` or `reject`.
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    valid_until: String,
}

async fn or_page(
    st: &OpenState,
    p: &Principal,
    lang: Lang,
    r: Result<Application, OpenError>,
) -> Result<Response, ApiError> {
    match r {
        Ok(_) => Ok(see_other("/console/open")),
        Err(e @ (OpenError::Invalid { .. } | OpenError::Conflict(_) | OpenError::Forbidden(_))) => {
            let status = match e {
                OpenError::Forbidden(_) => StatusCode::FORBIDDEN,
                OpenError::Conflict(_) => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let mut resp = page(st, p, lang, Some(e.to_string())).await?;
            *resp.status_mut() = status;
            Ok(resp)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn decide(
    State(st): State<OpenState>,
    who: Authorized<perm::OpenReview>,
    lang: Lang,
    Path(id): Path<i64>,
    ApiForm(f): ApiForm<DecisionForm>,
) -> Result<Response, ApiError> {
    let approve = match f.action.as_str() {
        "approve" => true,
        "reject" => false,
        other => {
            return Err(ApiError::invalid(
                "action",
                format!("`{other}`: use approve or reject"),
            ))
        }
    };
    let d = AppDecision {
        approve,
        reason: f.reason,
        valid_until: Some(f.valid_until).filter(|s| !s.trim().is_empty()),
    };
    let r = service::decide(&st, &Reviewer::of(&who), id, &d).await;
    or_page(&st, &who, lang, r).await
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    reason: String,
}

pub async fn revoke(
    State(st): State<OpenState>,
    who: Authorized<perm::OpenReview>,
    lang: Lang,
    Path(id): Path<i64>,
    ApiForm(f): ApiForm<RevokeForm>,
) -> Result<Response, ApiError> {
    let r = service::revoke(&st, &Reviewer::of(&who), id, &f.reason).await;
    or_page(&st, &who, lang, r).await
}
