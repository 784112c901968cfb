//! Console pages: the searchable list and a resource's page (metadata, data items,
//! actions, versions with their diffs).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use zhengshu_http::{perm, render, ApiError, Authorized, Chrome, Lang};

use super::view::Results;
use super::{actor_of, SearchQuery};
use crate::model::{Resource, Status};
use crate::service::{self, Version};
use crate::CatalogState;

#[derive(Template)]
#[template(path = "catalog/list.html")]
struct ListPage {
    chrome: Chrome,
    results: Results,
    can_write: bool,
    can_review: bool,
    pending: usize,
}

pub(crate) async fn list(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogRead>,
    lang: Lang,
    Query(q): Query<SearchQuery>,
) -> Result<Response, ApiError> {
    let actor = actor_of(&auth);
    let page = crate::search(&state, actor.viewer(), &q.params(), lang == Lang::En).await?;
    let pending = if actor.can_review {
        service::review_queue(&state, 500).await?.len()
    } else {
        0
    };
    Ok(render(&ListPage {
        chrome: Chrome::console(&auth, lang, "/console/catalog"),
        results: Results::new("/console/catalog", true, &q, page),
        can_write: actor.can_write,
        can_review: actor.can_review,
        pending,
    }))
}

#[derive(Template)]
#[template(path = "catalog/detail.html")]
struct DetailPage {
    chrome: Chrome,
    r: Resource,
    versions: Vec<Version>,
    message: Option<String>,
    can_edit: bool,
    can_submit: bool,
    can_review: bool,
    can_deprecate: bool,
    public: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Flash {
    msg: Option<String>,
}

pub(crate) async fn detail(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogRead>,
    lang: Lang,
    Path(id): Path<i64>,
    Query(flash): Query<Flash>,
) -> Result<Response, ApiError> {
    let actor = actor_of(&auth);
    let r = service::get(&state, Some(&actor), id).await?;
    let versions = service::versions(&state, &actor, id).await?;
    let owns = actor.can_write && (actor.can_review || actor.unit_id == Some(r.provider_unit_id));
    let submitted_by_me = r.submitted_by.is_some() && r.submitted_by == actor.user_id;
    Ok(render(&DetailPage {
        chrome: Chrome::console(&auth, lang, "/console/catalog"),
        can_edit: owns && r.status.is_editable(),
        can_submit: owns && r.status.is_editable(),
        can_review: actor.can_review && r.status == Status::Submitted && !submitted_by_me,
        can_deprecate: owns && r.status == Status::Published,
        public: r.status == Status::Published && r.open_type.is_public(),
        message: flash.msg.filter(|m| !m.is_empty()),
        r,
        versions,
    }))
}
