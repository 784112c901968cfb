//! JSON API: orders, suggestions, statistics, deadline rules, Open311 keys.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use zhengshu_http::{perm, ApiError, ApiJson, Authorized};

use crate::deadline::{self, RuleRow, Span};
use crate::keys::{self, Open311Key};
use crate::model::{Category, NewOrder, WorkOrder, CATEGORIES};
use crate::service::{Actor, OrderDetail, OrderFilter, OrderList};
use crate::stats::{self, Stats, StatsQuery};
use crate::suggest::{SuggestInput, Suggestion};
use crate::HotlineState;

/// The dispatch catalog's categories (also the Open311 services).
#[utoipa::path(get, path = "/api/v1/hotline/categories", tag = "hotline",
    responses((status = 200, body = Vec<Category>)))]
pub(crate) async fn categories(_who: Authorized<perm::HotlineRead>) -> Json<&'static [Category]> {
    Json(CATEGORIES)
}

/// Orders, newest first, with filters and warning levels.
#[utoipa::path(get, path = "/api/v1/hotline/orders", tag = "hotline", params(OrderFilter),
    responses((status = 200, body = OrderList), (status = 422, description = "bad filter")))]
pub(crate) async fn list_orders(
    State(st): State<HotlineState>,
    _who: Authorized<perm::HotlineRead>,
    Query(f): Query<OrderFilter>,
) -> Result<Json<OrderList>, ApiError> {
    Ok(Json(st.list(&f).await?))
}

/// Creates an order (受理); with `lead_unit_id` it is dispatched at once.
#[utoipa::path(post, path = "/api/v1/hotline/orders", tag = "hotline", request_body = NewOrder,
    responses((status = 201, body = WorkOrder), (status = 422, description = "a field is invalid")))]
pub(crate) async fn create_order(
    State(st): State<HotlineState>,
    who: Authorized<perm::HotlineIntake>,
    ApiJson(new): ApiJson<NewOrder>,
) -> Result<(StatusCode, Json<WorkOrder>), ApiError> {
    let order = st.create(&Actor::user(&who.user), &new).await?;
    Ok((StatusCode::CREATED, Json(order)))
}

/// One order with its timeline and the actions the caller may take.
#[utoipa::path(get, path = "/api/v1/hotline/orders/{order_no}", tag = "hotline",
    params(("order_no" = String, Path, description = "e.g. GD202611240001")),
    responses((status = 200, body = OrderDetail), (status = 404, description = "no such order")))]
pub(crate) async fn get_order(
    State(st): State<HotlineState>,
    who: Authorized<perm::HotlineRead>,
    Path(order_no): Path<String>,
) -> Result<Json<OrderDetail>, ApiError> {
    Ok(Json(
        st.detail(&order_no, &who.permissions, who.user.unit_id)
            .await?,
    ))
}

/// Suggested category and lead unit (with confidence), duplicates, redirect text.
#[utoipa::path(post, path = "/api/v1/hotline/suggest", tag = "hotline", request_body = SuggestInput,
    responses((status = 200, body = Suggestion)))]
pub(crate) async fn suggest(
    State(st): State<HotlineState>,
    _who: Authorized<perm::HotlineIntake>,
    ApiJson(input): ApiJson<SuggestInput>,
) -> Result<Json<Suggestion>, ApiError> {
    Ok(Json(st.suggest(&input).await?))
}

/// Statistics of a period (from the roll-up).
#[utoipa::path(get, path = "/api/v1/hotline/stats", tag = "hotline", params(StatsQuery),
    responses((status = 200, body = Stats), (status = 422, description = "bad date")))]
pub(crate) async fn stats_json(
    State(st): State<HotlineState>,
    _who: Authorized<perm::HotlineSupervise>,
    Query(q): Query<StatsQuery>,
) -> Result<Json<Stats>, ApiError> {
    Ok(Json(stats::compute(st.db(), &q, st.now()).await?))
}

/// The statistics as CSV.
#[utoipa::path(get, path = "/api/v1/hotline/stats.csv", tag = "hotline", params(StatsQuery),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub(crate) async fn stats_csv(
    State(st): State<HotlineState>,
    _who: Authorized<perm::HotlineSupervise>,
    Query(q): Query<StatsQuery>,
) -> Result<Response, ApiError> {
    let s = stats::compute(st.db(), &q, st.now()).await?;
    let body = stats::to_csv(&s)?;
    let name = format!(
        "attachment; filename=\"hotline-stats-{}-{}.csv\"",
        s.from, s.to
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        body,
    )
        .into_response())
}

/// The deadline table.
#[utoipa::path(get, path = "/api/v1/hotline/deadline-rules", tag = "hotline",
    responses((status = 200, body = Vec<RuleRow>)))]
pub(crate) async fn list_rules(
    State(st): State<HotlineState>,
    _who: Authorized<perm::HotlineRead>,
) -> Result<Json<Vec<RuleRow>>, ApiError> {
    Ok(Json(deadline::list_rows(st.db()).await?))
}

/// A new value for one deadline rule.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(crate) struct RuleInput {
    pub amount: i64,
    /// `working_days` or `hours`.
    pub unit: String,
}

/// Changes one deadline rule (supervisor or admin).
#[utoipa::path(put, path = "/api/v1/hotline/deadline-rules/{key}", tag = "hotline", request_body = RuleInput,
    params(("key" = String, Path, description = "e.g. handle.complaint.normal")),
    responses((status = 200, body = Vec<RuleRow>), (status = 422, description = "bad key or amount")))]
pub(crate) async fn update_rule(
    State(st): State<HotlineState>,
    who: Authorized<perm::HotlineSupervise>,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<RuleInput>,
) -> Result<Json<Vec<RuleRow>>, ApiError> {
    let span = Span::parse(&input.unit).ok_or_else(|| {
        ApiError::invalid(
            "unit",
            format!("`{}` is not a unit; use working_days or hours", input.unit),
        )
    })?;
    deadline::update_rule(st.db(), &key, input.amount, span, who.user.id, st.now()).await?;
    st.clear_config_cache();
    Ok(Json(deadline::list_rows(st.db()).await?))
}

/// Open311 API keys (never their secrets).
#[utoipa::path(get, path = "/api/v1/hotline/open311-keys", tag = "hotline",
    responses((status = 200, body = Vec<Open311Key>)))]
pub(crate) async fn list_keys(
    State(st): State<HotlineState>,
    _who: Authorized<perm::Open311Keys>,
) -> Result<Json<Vec<Open311Key>>, ApiError> {
    Ok(Json(keys::list(st.db()).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(crate) struct KeyInput {
    /// Who will use the key.
    pub name: String,
}

/// A new key with its secret, shown only in this response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct IssuedKey {
    pub key: Open311Key,
    pub api_key: String,
}

/// Issues an Open311 API key.
#[utoipa::path(post, path = "/api/v1/hotline/open311-keys", tag = "hotline", request_body = KeyInput,
    responses((status = 201, body = IssuedKey), (status = 422, description = "bad name")))]
pub(crate) async fn create_key(
    State(st): State<HotlineState>,
    who: Authorized<perm::Open311Keys>,
    ApiJson(input): ApiJson<KeyInput>,
) -> Result<(StatusCode, Json<IssuedKey>), ApiError> {
    let (key, api_key) = keys::issue(st.db(), st.now(), &input.name, Some(who.user.id)).await?;
    Ok((StatusCode::CREATED, Json(IssuedKey { key, api_key })))
}

/// Revokes an Open311 API key.
#[utoipa::path(post, path = "/api/v1/hotline/open311-keys/{id}/revoke", tag = "hotline",
    params(("id" = i64, Path)), responses((status = 204), (status = 404, description = "no such key")))]
pub(crate) async fn revoke_key(
    State(st): State<HotlineState>,
    _who: Authorized<perm::Open311Keys>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    keys::revoke(st.db(), id, st.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Accuracy of the classifier on the held-out 20 % of the history.
#[utoipa::path(get, path = "/api/v1/hotline/classifier", tag = "hotline",
    responses((status = 200, body = crate::Report)))]
pub(crate) async fn classifier_report(
    State(st): State<HotlineState>,
    _who: Authorized<perm::HotlineSupervise>,
) -> Result<Json<crate::Report>, ApiError> {
    Ok(Json(crate::evaluate_classifier(st.db()).await?))
}
