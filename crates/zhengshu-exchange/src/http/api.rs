//! `/api/v1/share/…` for platform users: scenarios, requests, decisions, grants, tokens,
//! usage, the audit log and settings.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use zhengshu_http::{perm, ApiError, ApiJson, Authorized};

use crate::audit::{self, AuditRecord, UsageRow};
use crate::model::{
    AccessRequest, Decision, Grant, NewRequest, NewScenario, NewScenarioToken, RequestStatus,
    Scenario, ScenarioToken, Settings,
};
use crate::service::{self, ShareActor};
use crate::{ExchangeError, ExchangeState};

/// Scenarios, optionally of one unit.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ScenarioQuery {
    pub unit_id: Option<i64>,
}

/// The register of scenarios.
#[utoipa::path(get, path = "/api/v1/share/scenarios", tag = "share", params(ScenarioQuery),
    responses((status = 200, body = [Scenario])))]
pub(crate) async fn list_scenarios(
    State(st): State<ExchangeState>,
    _who: Authorized<perm::ShareRead>,
    Query(q): Query<ScenarioQuery>,
) -> Result<ApiJson<Vec<Scenario>>, ApiError> {
    Ok(ApiJson(service::scenarios(&st, q.unit_id).await?))
}

/// Registers a scenario of the caller's unit.
#[utoipa::path(post, path = "/api/v1/share/scenarios", tag = "share", request_body = NewScenario,
    responses((status = 201, body = Scenario), (status = 409), (status = 422)))]
pub(crate) async fn register(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRequest>,
    ApiJson(new): ApiJson<NewScenario>,
) -> Result<(StatusCode, ApiJson<Scenario>), ApiError> {
    let s = service::register_scenario(&st, &ShareActor::of(&who), &new).await?;
    Ok((StatusCode::CREATED, ApiJson(s)))
}

/// One scenario.
#[utoipa::path(get, path = "/api/v1/share/scenarios/{id}", tag = "share",
    responses((status = 200, body = Scenario), (status = 404)))]
pub(crate) async fn show_scenario(
    State(st): State<ExchangeState>,
    _who: Authorized<perm::ShareRead>,
    Path(id): Path<i64>,
) -> Result<ApiJson<Scenario>, ApiError> {
    Ok(ApiJson(service::get_scenario(&st, id).await?))
}

/// Suspend (`active: false`) or re-activate a scenario.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct StatusChange {
    pub active: bool,
}

/// Suspends or re-activates a scenario (platform).
#[utoipa::path(post, path = "/api/v1/share/scenarios/{id}/status", tag = "share", request_body = StatusChange,
    responses((status = 200, body = Scenario)))]
pub(crate) async fn scenario_status(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareAdmin>,
    Path(id): Path<i64>,
    ApiJson(c): ApiJson<StatusChange>,
) -> Result<ApiJson<Scenario>, ApiError> {
    Ok(ApiJson(
        service::set_scenario_active(&st, &ShareActor::of(&who), id, c.active).await?,
    ))
}

/// Asks for access to a resource. 201 with the request: `approved` (无条件共享, with its
/// grant), `pending` (有条件共享, with its due day) or `refused` (不予共享, with the basis).
#[utoipa::path(post, path = "/api/v1/share/scenarios/{id}/requests", tag = "share", request_body = NewRequest,
    responses((status = 201, body = AccessRequest), (status = 404), (status = 422)))]
pub(crate) async fn request_access(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRequest>,
    Path(id): Path<i64>,
    ApiJson(new): ApiJson<NewRequest>,
) -> Result<(StatusCode, ApiJson<AccessRequest>), ApiError> {
    let r = service::request_access(&st, &ShareActor::of(&who), id, &new).await?;
    Ok((StatusCode::CREATED, ApiJson(r)))
}

async fn own_scenario(
    st: &ExchangeState,
    actor: &ShareActor,
    id: i64,
) -> Result<Scenario, ExchangeError> {
    let sc = service::get_scenario(st, id).await?;
    if !actor.owns_unit(sc.unit_id) {
        return Err(ExchangeError::Forbidden(format!(
            "scenario {} belongs to {}; only its own unit sees its tokens",
            sc.name, sc.unit_name
        )));
    }
    Ok(sc)
}

/// A scenario's tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/share/scenarios/{id}/tokens", tag = "share",
    responses((status = 200, body = [ScenarioToken])))]
pub(crate) async fn list_tokens(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRequest>,
    Path(id): Path<i64>,
) -> Result<ApiJson<Vec<ScenarioToken>>, ApiError> {
    own_scenario(&st, &ShareActor::of(&who), id).await?;
    Ok(ApiJson(crate::store::tokens(&st.db, id).await?))
}

/// A new token with its secret (shown once).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub token: ScenarioToken,
    /// `zsx_…`: send as `Authorization: Bearer …`. Not shown again.
    pub secret: String,
}

/// Issues a token for a scenario.
#[utoipa::path(post, path = "/api/v1/share/scenarios/{id}/tokens", tag = "share", request_body = NewScenarioToken,
    responses((status = 201, body = CreatedToken)))]
pub(crate) async fn create_token(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRequest>,
    Path(id): Path<i64>,
    ApiJson(new): ApiJson<NewScenarioToken>,
) -> Result<(StatusCode, ApiJson<CreatedToken>), ApiError> {
    let (token, secret) = service::create_token(&st, &ShareActor::of(&who), id, &new).await?;
    Ok((StatusCode::CREATED, ApiJson(CreatedToken { token, secret })))
}

/// Revokes a scenario token.
#[utoipa::path(post, path = "/api/v1/share/tokens/{id}/revoke", tag = "share",
    responses((status = 204), (status = 409)))]
pub(crate) async fn revoke_token(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRequest>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    service::revoke_token(&st, &ShareActor::of(&who), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Requests, optionally by status.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RequestQuery {
    /// pending, approved, rejected, refused, withdrawn.
    pub status: Option<String>,
}

/// Requests the caller's unit made or must answer (the platform: all).
#[utoipa::path(get, path = "/api/v1/share/requests", tag = "share", params(RequestQuery),
    responses((status = 200, body = [AccessRequest])))]
pub(crate) async fn list_requests(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRead>,
    Query(q): Query<RequestQuery>,
) -> Result<ApiJson<Vec<AccessRequest>>, ApiError> {
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(RequestStatus::parse(s).ok_or_else(|| {
            ApiError::invalid(
                "status",
                format!("`{s}`: use pending, approved, rejected, refused or withdrawn"),
            )
        })?),
        None => None,
    };
    Ok(ApiJson(
        service::requests_for(&st, &ShareActor::of(&who), status).await?,
    ))
}

async fn visible_request(
    st: &ExchangeState,
    actor: &ShareActor,
    id: i64,
) -> Result<AccessRequest, ExchangeError> {
    let r = service::get_request(st, id).await?;
    if !service::can_see_request(st, actor, &r).await? {
        return Err(ExchangeError::Forbidden(format!(
            "request {id} is between other units"
        )));
    }
    Ok(r)
}

/// One request.
#[utoipa::path(get, path = "/api/v1/share/requests/{id}", tag = "share",
    responses((status = 200, body = AccessRequest), (status = 404)))]
pub(crate) async fn show_request(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRead>,
    Path(id): Path<i64>,
) -> Result<ApiJson<AccessRequest>, ApiError> {
    Ok(ApiJson(
        visible_request(&st, &ShareActor::of(&who), id).await?,
    ))
}

/// The provider's decision: approve (optionally narrower, with a reason) or reject.
#[utoipa::path(post, path = "/api/v1/share/requests/{id}/decision", tag = "share", request_body = Decision,
    responses((status = 200, body = AccessRequest), (status = 409), (status = 422)))]
pub(crate) async fn decide(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareReview>,
    Path(id): Path<i64>,
    ApiJson(d): ApiJson<Decision>,
) -> Result<ApiJson<AccessRequest>, ApiError> {
    Ok(ApiJson(
        service::decide(&st, &ShareActor::of(&who), id, &d).await?,
    ))
}

/// Withdraws a pending request.
#[utoipa::path(post, path = "/api/v1/share/requests/{id}/withdraw", tag = "share",
    responses((status = 200, body = AccessRequest), (status = 409)))]
pub(crate) async fn withdraw(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRequest>,
    Path(id): Path<i64>,
) -> Result<ApiJson<AccessRequest>, ApiError> {
    Ok(ApiJson(
        service::withdraw(&st, &ShareActor::of(&who), id).await?,
    ))
}

/// Grants, optionally of one scenario.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct GrantQuery {
    pub scenario_id: Option<i64>,
}

/// Grants the caller's unit holds or gave (the platform: all).
#[utoipa::path(get, path = "/api/v1/share/grants", tag = "share", params(GrantQuery),
    responses((status = 200, body = [Grant])))]
pub(crate) async fn list_grants(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRead>,
    Query(q): Query<GrantQuery>,
) -> Result<ApiJson<Vec<Grant>>, ApiError> {
    let actor = ShareActor::of(&who);
    let all = service::grants(&st, q.scenario_id, None).await?;
    if actor.is_admin {
        return Ok(ApiJson(all));
    }
    let own: Vec<i64> = match actor.unit_id {
        Some(u) => crate::store::scenarios(&st.db, Some(u))
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect(),
        None => vec![],
    };
    Ok(ApiJson(
        all.into_iter()
            .filter(|g| actor.unit_id == Some(g.provider_unit_id) || own.contains(&g.scenario_id))
            .collect(),
    ))
}

/// Why a grant is revoked.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Revoke {
    pub reason: String,
}

/// Revokes a grant (provider reviewers, the scenario's unit, the platform).
#[utoipa::path(post, path = "/api/v1/share/grants/{id}/revoke", tag = "share", request_body = Revoke,
    responses((status = 200, body = Grant), (status = 409)))]
pub(crate) async fn revoke_grant(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRead>,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<Revoke>,
) -> Result<ApiJson<Grant>, ApiError> {
    Ok(ApiJson(
        service::revoke_grant(&st, &ShareActor::of(&who), id, &r.reason).await?,
    ))
}

/// Usage over the last `days` days (default 30).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct UsageQuery {
    pub days: Option<i64>,
    pub scenario_id: Option<i64>,
}

/// Share calls per day, scenario, resource and provider: the platform sees all, a unit
/// the use of its own data and its own scenarios' calls.
#[utoipa::path(get, path = "/api/v1/share/usage", tag = "share", params(UsageQuery),
    responses((status = 200, body = [UsageRow])))]
pub(crate) async fn usage(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareRead>,
    Query(q): Query<UsageQuery>,
) -> Result<ApiJson<Vec<UsageRow>>, ApiError> {
    Ok(ApiJson(
        usage_for(
            &st,
            &ShareActor::of(&who),
            q.days.unwrap_or(30),
            q.scenario_id,
        )
        .await?,
    ))
}

pub(crate) async fn usage_for(
    st: &ExchangeState,
    actor: &ShareActor,
    days: i64,
    scenario_id: Option<i64>,
) -> Result<Vec<UsageRow>, ExchangeError> {
    if !(1..=3660).contains(&days) {
        return Err(ExchangeError::invalid("days", "1–3660"));
    }
    let since = (st.clock.today() - chrono::Duration::days(days - 1))
        .format("%Y-%m-%d")
        .to_string();
    if actor.is_admin {
        return audit::usage(&st.db, &since, scenario_id, None).await;
    }
    let Some(unit) = actor.unit_id else {
        return Ok(vec![]);
    };
    let own: Vec<i64> = crate::store::scenarios(&st.db, Some(unit))
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let mut rows = audit::usage(&st.db, &since, scenario_id, Some(unit)).await?;
    for sid in own.iter().filter(|s| scenario_id.is_none_or(|x| x == **s)) {
        for r in audit::usage(&st.db, &since, Some(*sid), None).await? {
            if r.provider_unit_id != Some(unit) {
                rows.push(r);
            }
        }
    }
    rows.sort_by(|a, b| a.day.cmp(&b.day));
    Ok(rows)
}

/// How many records.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    pub limit: Option<i64>,
    pub scenario_id: Option<i64>,
}

/// The latest audit records (platform).
#[utoipa::path(get, path = "/api/v1/share/audit", tag = "share", params(AuditQuery),
    responses((status = 200, body = [AuditRecord])))]
pub(crate) async fn audit_recent(
    State(st): State<ExchangeState>,
    _who: Authorized<perm::ShareAdmin>,
    Query(q): Query<AuditQuery>,
) -> Result<ApiJson<Vec<AuditRecord>>, ApiError> {
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    Ok(ApiJson(
        audit::recent(&st.db, limit, q.scenario_id, None).await?,
    ))
}

/// Checks the whole hash chain and its anchor (platform); the same as `zhengshu audit verify`.
#[utoipa::path(get, path = "/api/v1/share/audit/verify", tag = "share",
    responses((status = 200, body = Object)))]
pub(crate) async fn audit_verify(
    State(st): State<ExchangeState>,
    _who: Authorized<perm::ShareAdmin>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let anchor = audit::Anchor::new(&st.lake.lake);
    let report = audit::verify(&st.db, Some(&anchor)).await?;
    Ok(axum::Json(
        serde_json::to_value(report).map_err(ApiError::internal)?,
    ))
}

/// The sharing settings.
#[utoipa::path(get, path = "/api/v1/share/settings", tag = "share",
    responses((status = 200, body = Settings)))]
pub(crate) async fn get_settings(
    State(st): State<ExchangeState>,
    _who: Authorized<perm::ShareRead>,
) -> Result<ApiJson<Settings>, ApiError> {
    Ok(ApiJson(service::settings(&st).await?))
}

/// Changes the sharing settings (platform).
#[utoipa::path(put, path = "/api/v1/share/settings", tag = "share", request_body = Settings,
    responses((status = 200, body = Settings), (status = 422)))]
pub(crate) async fn put_settings(
    State(st): State<ExchangeState>,
    who: Authorized<perm::ShareAdmin>,
    ApiJson(s): ApiJson<Settings>,
) -> Result<ApiJson<Settings>, ApiError> {
    Ok(ApiJson(
        service::save_settings(&st, &ShareActor::of(&who), &s).await?,
    ))
}
