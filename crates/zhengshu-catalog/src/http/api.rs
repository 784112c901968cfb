//! JSON API handlers: thin wrappers over the service.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use zhengshu_http::{perm, ApiError, ApiJson, Authorized, Lang};

use super::{actor_of, SearchQuery};
use crate::find::SearchPage;
use crate::model::{NewResource, Resource};
use crate::service::{self, Version};
use crate::CatalogState;

/// A review or deprecation comment.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct Comment {
    #[serde(default)]
    pub comment: String,
}

/// The result of a rebuild.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Reindexed {
    pub resources: usize,
}

/// Search the catalog (what the caller may see) with facets and sorting.
#[utoipa::path(get, path = "/api/v1/catalog/resources", tag = "catalog", params(SearchQuery),
    responses((status = 200, body = SearchPage), (status = 401), (status = 403)))]
pub(crate) async fn search(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogRead>,
    lang: Lang,
    Query(q): Query<SearchQuery>,
) -> Result<ApiJson<SearchPage>, ApiError> {
    let actor = actor_of(&auth);
    Ok(ApiJson(
        crate::search(&state, actor.viewer(), &q.params(), lang == Lang::En).await?,
    ))
}

/// Register a resource as a draft (草稿).
#[utoipa::path(post, path = "/api/v1/catalog/resources", tag = "catalog", request_body = NewResource,
    responses((status = 201, body = Resource), (status = 409, description = "duplicate code"), (status = 422, description = "invalid fields")))]
pub(crate) async fn create(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogWrite>,
    ApiJson(new): ApiJson<NewResource>,
) -> Result<(StatusCode, ApiJson<Resource>), ApiError> {
    let r = service::create(&state, &actor_of(&auth), &new).await?;
    Ok((StatusCode::CREATED, ApiJson(r)))
}

/// One resource with its data items.
#[utoipa::path(get, path = "/api/v1/catalog/resources/{id}", tag = "catalog", params(("id" = i64, Path)),
    responses((status = 200, body = Resource), (status = 404)))]
pub(crate) async fn show(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogRead>,
    Path(id): Path<i64>,
) -> Result<ApiJson<Resource>, ApiError> {
    Ok(ApiJson(
        service::get(&state, Some(&actor_of(&auth)), id).await?,
    ))
}

/// Change a draft or returned resource (all fields, data items replaced).
#[utoipa::path(put, path = "/api/v1/catalog/resources/{id}", tag = "catalog", params(("id" = i64, Path)), request_body = NewResource,
    responses((status = 200, body = Resource), (status = 409, description = "not editable in its status"), (status = 422)))]
pub(crate) async fn update(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogWrite>,
    Path(id): Path<i64>,
    ApiJson(new): ApiJson<NewResource>,
) -> Result<ApiJson<Resource>, ApiError> {
    Ok(ApiJson(
        service::update(&state, &actor_of(&auth), id, &new).await?,
    ))
}

/// Submit for review (待审核).
#[utoipa::path(post, path = "/api/v1/catalog/resources/{id}/submit", tag = "catalog", params(("id" = i64, Path)),
    responses((status = 200, body = Resource), (status = 409)))]
pub(crate) async fn submit(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogWrite>,
    Path(id): Path<i64>,
) -> Result<ApiJson<Resource>, ApiError> {
    Ok(ApiJson(
        service::submit(&state, &actor_of(&auth), id).await?,
    ))
}

/// Approve and publish a submitted resource.
#[utoipa::path(post, path = "/api/v1/catalog/resources/{id}/approve", tag = "catalog", params(("id" = i64, Path)), request_body = Option<Comment>,
    responses((status = 200, body = Resource), (status = 409)))]
pub(crate) async fn approve(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogReview>,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Result<ApiJson<Resource>, ApiError> {
    // The body is optional: empty, or `{"comment": "..."}`.
    let comment = if body.iter().all(u8::is_ascii_whitespace) {
        String::new()
    } else {
        serde_json::from_slice::<Comment>(&body)
            .map_err(|e| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "malformed_json",
                    format!("send {{\"comment\": \"...\"}} or nothing: {e}"),
                )
            })?
            .comment
    };
    Ok(ApiJson(
        service::approve(&state, &actor_of(&auth), id, &comment).await?,
    ))
}

/// Return a submitted resource to its provider with a comment.
#[utoipa::path(post, path = "/api/v1/catalog/resources/{id}/return", tag = "catalog", params(("id" = i64, Path)), request_body = Comment,
    responses((status = 200, body = Resource), (status = 409), (status = 422, description = "comment missing")))]
pub(crate) async fn return_for_changes(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogReview>,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<Comment>,
) -> Result<ApiJson<Resource>, ApiError> {
    Ok(ApiJson(
        service::return_for_changes(&state, &actor_of(&auth), id, &body.comment).await?,
    ))
}

/// Deprecate a published resource (已废止), with the reason.
#[utoipa::path(post, path = "/api/v1/catalog/resources/{id}/deprecate", tag = "catalog", params(("id" = i64, Path)), request_body = Comment,
    responses((status = 200, body = Resource), (status = 409), (status = 422)))]
pub(crate) async fn deprecate(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogWrite>,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<Comment>,
) -> Result<ApiJson<Resource>, ApiError> {
    Ok(ApiJson(
        service::deprecate(&state, &actor_of(&auth), id, &body.comment).await?,
    ))
}

/// The version history, each with the fields changed since the previous version.
#[utoipa::path(get, path = "/api/v1/catalog/resources/{id}/versions", tag = "catalog", params(("id" = i64, Path)),
    responses((status = 200, body = [Version]), (status = 404)))]
pub(crate) async fn versions(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogRead>,
    Path(id): Path<i64>,
) -> Result<ApiJson<Vec<Version>>, ApiError> {
    Ok(ApiJson(
        service::versions(&state, &actor_of(&auth), id).await?,
    ))
}

/// Resources waiting for review, oldest first.
#[utoipa::path(get, path = "/api/v1/catalog/review-queue", tag = "catalog", responses((status = 200, body = [Resource])))]
pub(crate) async fn review_queue(
    State(state): State<CatalogState>,
    _auth: Authorized<perm::CatalogReview>,
) -> Result<ApiJson<Vec<Resource>>, ApiError> {
    Ok(ApiJson(service::review_queue(&state, 500).await?))
}

/// Rebuild this instance's search index from the database.
#[utoipa::path(post, path = "/api/v1/catalog/reindex", tag = "catalog", responses((status = 200, body = Reindexed)))]
pub(crate) async fn reindex(
    State(state): State<CatalogState>,
    _auth: Authorized<perm::CatalogReview>,
) -> Result<ApiJson<Reindexed>, ApiError> {
    Ok(ApiJson(Reindexed {
        resources: crate::reindex(&state).await?,
    }))
}
