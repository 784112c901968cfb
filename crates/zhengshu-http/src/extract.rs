//! Extractors: who is calling, what they may do, and request bodies whose rejections
//! answer in the error envelope.

use std::marker::PhantomData;

use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use zhengshu_auth::role::permissions_of;
use zhengshu_auth::{session, token, AuthError, Permission, User};

use crate::perm::RequiredPermission;
use crate::{read_cookie, ApiError, AuthState, SESSION_COOKIE};

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Via {
    /// A browser session; state-changing requests must carry its CSRF token.
    Session { csrf: String },
    /// An API token (`Authorization: Bearer zs_…`).
    Token { id: i64 },
}

/// The authenticated caller: a user with the permissions of their roles (for a token,
/// narrowed to the token's scopes).
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub permissions: Vec<Permission>,
    pub via: Via,
}

impl Principal {
    pub fn can(&self, p: Permission) -> bool {
        self.permissions.contains(&p)
    }

    /// The CSRF token to embed in forms (empty for token callers).
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf } => csrf,
            Via::Token { .. } => "",
        }
    }

    /// Resolves the caller from the headers: a bearer token first, then the session cookie.
    pub async fn resolve(
        state: &AuthState,
        headers: &axum::http::HeaderMap,
    ) -> Result<Option<Principal>, AuthError> {
        let now = state.clock.now();
        if let Some(auth) = headers.get(axum::http::header::AUTHORIZATION) {
            let value = auth.to_str().map_err(|_| AuthError::BadToken)?;
            // A scenario's token or an open-data app key (CKAN clients send the key bare,
            // without `Bearer `): not a user; only the share API or the open-data API
            // accepts it.
            if token::is_module_key(value.strip_prefix("Bearer ").unwrap_or(value)) {
                return Ok(None);
            }
            let secret = value
                .strip_prefix("Bearer ")
                .ok_or(AuthError::BadToken)?
                .trim();
            let tok = token::authenticate(&state.db, secret, now).await?;
            let user = zhengshu_auth::users::get(&state.db, tok.user_id).await?;
            if user.status != "active" {
                return Err(AuthError::Disabled);
            }
            let permissions = permissions_of(&user.roles)
                .into_iter()
                .filter(|p| tok.scopes.contains(p))
                .collect();
            return Ok(Some(Principal {
                user,
                permissions,
                via: Via::Token { id: tok.id },
            }));
        }
        let Some(cookie) = read_cookie(headers, SESSION_COOKIE) else {
            return Ok(None);
        };
        let s = match session::lookup(&state.db, &cookie, now).await {
            Ok(s) => s,
            Err(AuthError::Unauthenticated) => return Ok(None),
            Err(e) => return Err(e),
        };
        let user = zhengshu_auth::users::get(&state.db, s.user_id).await?;
        let permissions = permissions_of(&user.roles);
        Ok(Some(Principal {
            user,
            permissions,
            via: Via::Session { csrf: s.csrf_token },
        }))
    }
}

/// Set by [`crate::guard`] so that the caller is resolved once per request.
#[derive(Debug, Clone)]
pub(crate) struct Resolved(pub(crate) Result<Option<Principal>, ApiError>);

async fn resolved(parts: &mut Parts, state: &AuthState) -> Result<Option<Principal>, ApiError> {
    if let Some(Resolved(r)) = parts.extensions.get::<Resolved>() {
        return r.clone();
    }
    let r = Principal::resolve(state, &parts.headers)
        .await
        .map_err(ApiError::from);
    parts.extensions.insert(Resolved(r.clone()));
    r
}

/// Why a protected request was refused: pages redirect to the login form, APIs answer
/// in the envelope.
#[derive(Debug)]
pub enum AuthRejection {
    Login { next: String },
    Api(ApiError),
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match self {
            AuthRejection::Login { next } => {
                let q: String = url_encode(&next);
                Redirect::to(&format!("/console/login?next={q}")).into_response()
            }
            AuthRejection::Api(e) => e.into_response(),
        }
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A page that sends a caller without a login to the login form: the console, and the
/// open-data portal's account page.
pub fn is_login_page(method: &Method, path: &str) -> bool {
    method == Method::GET && (path.starts_with("/console") || path.starts_with("/open/account"))
}

fn is_page(parts: &Parts) -> bool {
    is_login_page(&parts.method, parts.uri.path())
}

impl<S> FromRequestParts<S> for Principal
where
    AuthState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = AuthState::from_ref(state);
        match resolved(parts, &auth).await {
            Ok(Some(p)) => Ok(p),
            Ok(None) if is_page(parts) => Err(AuthRejection::Login {
                next: parts.uri.path().to_string(),
            }),
            Ok(None) => Err(AuthRejection::Api(ApiError::unauthorized(
                "log in, or send an API token as `Authorization: Bearer zs_…`",
            ))),
            Err(e) => Err(AuthRejection::Api(e)),
        }
    }
}

/// The caller if any (public pages that show more to staff).
#[derive(Debug, Clone)]
pub struct MaybePrincipal(pub Option<Principal>);

impl<S> FromRequestParts<S> for MaybePrincipal
where
    AuthState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = AuthState::from_ref(state);
        // A bad token on a public page is still an error the caller should see.
        Ok(MaybePrincipal(resolved(parts, &auth).await?))
    }
}

/// The permission check: the caller must hold `P::PERMISSION`. This is the one place
/// where routes are authorized.
#[derive(Debug, Clone)]
pub struct Authorized<P> {
    pub principal: Principal,
    _p: PhantomData<P>,
}

impl<P> std::ops::Deref for Authorized<P> {
    type Target = Principal;
    fn deref(&self) -> &Principal {
        &self.principal
    }
}

impl<S, P> FromRequestParts<S> for Authorized<P>
where
    AuthState: FromRef<S>,
    S: Send + Sync,
    P: RequiredPermission,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let principal = Principal::from_request_parts(parts, state).await?;
        if principal.can(P::PERMISSION) {
            Ok(Authorized {
                principal,
                _p: PhantomData,
            })
        } else {
            Err(AuthRejection::Api(ApiError::forbidden(format!(
                "this needs the `{}` permission, which your roles (or token scopes) do not grant",
                P::PERMISSION.as_str()
            ))))
        }
    }
}

/// JSON body whose rejections use the error envelope.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rej) => Err(json_rejection(rej)),
        }
    }
}

fn json_rejection(rej: JsonRejection) -> ApiError {
    match rej {
        JsonRejection::JsonDataError(e) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", e.body_text())
        }
        JsonRejection::JsonSyntaxError(e) => {
            ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", e.body_text())
        }
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as JSON with `Content-Type: application/json`",
        ),
        JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::too_large("the request body is larger than the server accepts")
        }
        other => ApiError::new(other.status(), "bad_request", other.body_text()),
    }
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// URL-encoded form body whose rejections use the error envelope.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiForm<T>(pub T);

impl<S, T> FromRequest<S> for ApiForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(ApiForm(v)),
            Err(FormRejection::FailedToDeserializeForm(e)) => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                e.body_text(),
            )),
            Err(FormRejection::BytesRejection(e))
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(ApiError::too_large(
                    "the form is larger than the server accepts",
                ))
            }
            Err(other) => Err(ApiError::new(
                other.status(),
                "bad_request",
                other.body_text(),
            )),
        }
    }
}
