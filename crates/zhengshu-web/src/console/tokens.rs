use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zhengshu_auth::{token, ApiToken, NewToken, Permission};
use zhengshu_http::{perm, render, ApiError, ApiForm, Authorized, Chrome, Lang};

use super::see_other;
use crate::WebState;

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    chrome: Chrome,
    tokens: Vec<ApiToken>,
    my_permissions: Vec<Permission>,
    created: Option<String>,
    error: Option<String>,
}

async fn page(
    a: &Authorized<perm::ConsoleAccess>,
    lang: Lang,
    s: &WebState,
    created: Option<String>,
    error: Option<String>,
) -> Result<Response, ApiError> {
    let tokens = token::list_for_user(&s.db, a.user.id).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if created.is_some() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let p = TokensPage {
        chrome: Chrome::console(a, lang, "/console/tokens"),
        tokens,
        my_permissions: a.permissions.clone(),
        created,
        error,
    };
    Ok((status, render(&p)).into_response())
}

pub(crate) async fn list(
    a: Authorized<perm::ConsoleAccess>,
    lang: Lang,
    State(s): State<WebState>,
) -> Result<Response, ApiError> {
    page(&a, lang, &s, None, None).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct TokenForm {
    name: String,
    #[serde(default)]
    scopes: String,
    #[serde(default)]
    expires_in_days: String,
}

pub(crate) async fn create(
    a: Authorized<perm::ConsoleAccess>,
    lang: Lang,
    State(s): State<WebState>,
    ApiForm(f): ApiForm<TokenForm>,
) -> Result<Response, ApiError> {
    let expires = match f.expires_in_days.trim() {
        "" => None,
        d => match d.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return page(
                    &a,
                    lang,
                    &s,
                    None,
                    Some(format!("expires_in_days: `{d}` is not a number of days")),
                )
                .await
            }
        },
    };
    let scopes = f
        .scopes
        .split([',', ' '])
        .filter_map(Permission::parse)
        .collect();
    let new = NewToken {
        name: f.name,
        scopes,
        expires_in_days: expires,
    };
    match token::create(&s.db, a.user.id, &new, s.clock.now()).await {
        Ok((_, secret)) => page(&a, lang, &s, Some(secret), None).await,
        Err(e @ zhengshu_auth::AuthError::Invalid { .. }) => {
            page(&a, lang, &s, None, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn revoke(
    a: Authorized<perm::ConsoleAccess>,
    State(s): State<WebState>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    token::revoke(&s.db, a.user.id, id, s.clock.now()).await?;
    Ok(see_other("/console/tokens"))
}
