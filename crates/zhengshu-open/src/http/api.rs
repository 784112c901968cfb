//! `/api/v1/open/…` for the providers and the platform: applications, decisions, figures.

use axum::extract::{Path, Query, State};
use serde::Deserialize;
use zhengshu_http::{perm, ApiError, ApiJson, Authorized};

use crate::model::{AppDecision, AppStatus, Application};
use crate::service::{self, Reviewer};
use crate::stats::{self, Summary};
use crate::{OpenError, OpenState};

/// Applications in one state, or all.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AppQuery {
    /// pending, approved, rejected, withdrawn or revoked.
    pub status: Option<String>,
}

/// The applications to the caller's unit's datasets (all for the platform), newest first.
#[utoipa::path(get, path = "/api/v1/open/applications", tag = "open", params(AppQuery),
    responses((status = 200, body = [Application])))]
pub(crate) async fn applications(
    State(st): State<OpenState>,
    who: Authorized<perm::OpenReview>,
    Query(q): Query<AppQuery>,
) -> Result<ApiJson<Vec<Application>>, ApiError> {
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(AppStatus::parse(s).ok_or_else(|| {
            OpenError::invalid(
                "status",
                format!("`{s}`: use pending, approved, rejected, withdrawn or revoked"),
            )
        })?),
    };
    Ok(ApiJson(
        service::review_queue(&st, &Reviewer::of(&who), status).await?,
    ))
}

/// Approves (optionally until a day) or rejects (with a reason) a pending application.
#[utoipa::path(post, path = "/api/v1/open/applications/{id}/decision", tag = "open",
    request_body = AppDecision,
    responses((status = 200, body = Application), (status = 403), (status = 409), (status = 422)))]
pub(crate) async fn decide(
    State(st): State<OpenState>,
    who: Authorized<perm::OpenReview>,
    Path(id): Path<i64>,
    ApiJson(d): ApiJson<AppDecision>,
) -> Result<ApiJson<Application>, ApiError> {
    Ok(ApiJson(
        service::decide(&st, &Reviewer::of(&who), id, &d).await?,
    ))
}

/// The period of the figures.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StatsQuery {
    /// Days back from today (default 30, at most 3660).
    pub days: Option<i64>,
}

/// Views, downloads and API calls per day, dataset and unit.
#[utoipa::path(get, path = "/api/v1/open/stats", tag = "open", params(StatsQuery),
    responses((status = 200, body = Summary)))]
pub(crate) async fn stats(
    State(st): State<OpenState>,
    _who: Authorized<perm::OpenReview>,
    Query(q): Query<StatsQuery>,
) -> Result<ApiJson<Summary>, ApiError> {
    let days = q.days.unwrap_or(30);
    if !(1..=3660).contains(&days) {
        return Err(OpenError::invalid("days", "1–3660").into());
    }
    let since = (st.clock.today() - chrono::Duration::days(days - 1))
        .format("%Y-%m-%d")
        .to_string();
    Ok(ApiJson(stats::summary(&st, &since).await?))
}
