use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use zhengshu_auth::{token, ApiToken, NewToken};
use zhengshu_http::{perm, ApiError, ApiJson, Authorized};

use crate::WebState;

/// A new token: `token` is shown this once and never again.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct CreatedToken {
    #[serde(flatten)]
    pub info: ApiToken,
    pub token: String,
}

/// Your API tokens.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "platform", security(("token" = [])), responses((status = 200, body = [ApiToken])))]
pub(crate) async fn list(
    a: Authorized<perm::ConsoleAccess>,
    State(s): State<WebState>,
) -> Result<ApiJson<Vec<ApiToken>>, ApiError> {
    Ok(ApiJson(token::list_for_user(&s.db, a.user.id).await?))
}

/// Create an API token (scopes are a subset of your permissions).
#[utoipa::path(post, path = "/api/v1/tokens", tag = "platform", request_body = NewToken, security(("token" = [])),
    responses((status = 201, body = CreatedToken), (status = 422, description = "invalid field")))]
pub(crate) async fn create(
    a: Authorized<perm::ConsoleAccess>,
    State(s): State<WebState>,
    ApiJson(new): ApiJson<NewToken>,
) -> Result<(StatusCode, ApiJson<CreatedToken>), ApiError> {
    let (info, token) = token::create(&s.db, a.user.id, &new, s.clock.now()).await?;
    Ok((StatusCode::CREATED, ApiJson(CreatedToken { info, token })))
}

/// Revoke one of your tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "platform", params(("id" = i64, Path, description = "token id")), security(("token" = [])),
    responses((status = 204, description = "revoked"), (status = 404, description = "no such live token of yours")))]
pub(crate) async fn revoke(
    a: Authorized<perm::ConsoleAccess>,
    State(s): State<WebState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    token::revoke(&s.db, a.user.id, id, s.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
