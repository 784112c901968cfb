//! The public side: the home page (the open-data portal grows here) and the language
//! switch.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use zhengshu_http::{cookie, render, ApiError, Chrome, Lang, MaybePrincipal, LANG_COOKIE};

use crate::figures::{self, Figures};
use crate::{fmt_int, AppState, WebState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/lang/{code}", get(switch_lang))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    f: Figures,
}

impl HomePage {
    fn n(&self, v: &i64) -> String {
        fmt_int(*v)
    }
}

async fn home(
    lang: Lang,
    MaybePrincipal(p): MaybePrincipal,
    State(s): State<WebState>,
) -> Result<Response, ApiError> {
    let f = figures::load(&s).await?;
    Ok(render(&HomePage {
        chrome: Chrome::portal(lang, "/", p.as_ref()),
        f,
    }))
}

#[derive(Debug, Deserialize)]
struct NextParam {
    next: Option<String>,
}

/// Sets the language cookie and goes back to a local page.
async fn switch_lang(
    Path(code): Path<String>,
    Query(q): Query<NextParam>,
) -> Result<Response, ApiError> {
    let lang = Lang::parse(&code).ok_or_else(|| {
        ApiError::bad_request(format!("unknown language `{code}`; use `zh` or `en`"))
    })?;
    let next = q
        .next
        .filter(|n| n.starts_with('/') && !n.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    let mut resp = crate::console::see_other(&next);
    if let Ok(v) = cookie(LANG_COOKIE, lang.code(), Some(365 * 24 * 3600), false).parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}
