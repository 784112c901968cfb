//! Console lifecycle actions (submit, approve, return, deprecate) and the review queue.
//! Each action redirects back to the resource page, with a message when refused.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zhengshu_http::{perm, render, ApiError, ApiForm, Authorized, Chrome, Lang};

use super::{actor_of, url_encode};
use crate::model::Resource;
use crate::service;
use crate::{CatalogError, CatalogState};

#[derive(Template)]
#[template(path = "catalog/review.html")]
struct QueuePage {
    chrome: Chrome,
    rows: Vec<Resource>,
}

pub(crate) async fn queue(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogReview>,
    lang: Lang,
) -> Result<Response, ApiError> {
    let rows = service::review_queue(&state, 500).await?;
    Ok(render(&QueuePage {
        chrome: Chrome::console(&auth, lang, "/console/catalog/review"),
        rows,
    }))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CommentForm {
    #[serde(default)]
    comment: String,
}

/// Where to go after an action: the resource page, with the refusal if any.
fn back(id: i64, result: Result<Resource, CatalogError>) -> Result<Response, ApiError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/console/catalog/{id}")).into_response()),
        Err(
            e @ (CatalogError::Invalid(_) | CatalogError::Conflict(_) | CatalogError::Forbidden(_)),
        ) => Ok(Redirect::to(&format!(
            "/console/catalog/{id}?msg={}",
            url_encode(&e.to_string())
        ))
        .into_response()),
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn submit(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogWrite>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    back(id, service::submit(&state, &actor_of(&auth), id).await)
}

pub(crate) async fn approve(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogReview>,
    Path(id): Path<i64>,
    ApiForm(form): ApiForm<CommentForm>,
) -> Result<Response, ApiError> {
    back(
        id,
        service::approve(&state, &actor_of(&auth), id, &form.comment).await,
    )
}

pub(crate) async fn return_for_changes(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogReview>,
    Path(id): Path<i64>,
    ApiForm(form): ApiForm<CommentForm>,
) -> Result<Response, ApiError> {
    back(
        id,
        service::return_for_changes(&state, &actor_of(&auth), id, &form.comment).await,
    )
}

pub(crate) async fn deprecate(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogWrite>,
    Path(id): Path<i64>,
    ApiForm(form): ApiForm<CommentForm>,
) -> Result<Response, ApiError> {
    back(
        id,
        service::deprecate(&state, &actor_of(&auth), id, &form.comment).await,
    )
}
