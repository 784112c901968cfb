use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use zhengshu_auth::{users, NewUser, Permission, Role, User};
use zhengshu_http::{perm, ApiError, ApiJson, Authorized, Principal};

use crate::WebState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(crate) struct UserFilter {
    /// Only users of this unit.
    unit_id: Option<i64>,
}

/// Users a platform admin sees all of; a unit admin sees their own unit's.
pub(crate) fn visible_unit(p: &Principal, asked: Option<i64>) -> Option<i64> {
    if p.user.roles.contains(&Role::PlatformAdmin) {
        asked
    } else {
        p.user.unit_id.or(Some(-1))
    }
}

/// List users.
#[utoipa::path(get, path = "/api/v1/users", tag = "platform", params(UserFilter), security(("token" = [])),
    responses((status = 200, body = [User])))]
pub(crate) async fn list(
    a: Authorized<perm::UsersRead>,
    State(s): State<WebState>,
    Query(f): Query<UserFilter>,
) -> Result<ApiJson<Vec<User>>, ApiError> {
    Ok(ApiJson(
        users::list(&s.db, visible_unit(&a, f.unit_id)).await?,
    ))
}

/// Checks that the caller may create this account: unit admins only in their own unit,
/// and nobody grants a role with permissions they lack.
pub(crate) fn check_grant(p: &Principal, new: &NewUser) -> Result<(), ApiError> {
    let is_admin = p.user.roles.contains(&Role::PlatformAdmin);
    if !is_admin {
        if new.unit_id.is_none() || new.unit_id != p.user.unit_id {
            return Err(ApiError::forbidden(
                "unit admins create accounts in their own unit only",
            ));
        }
        if new.roles.iter().any(|r| matches!(r, Role::PlatformAdmin)) {
            return Err(ApiError::forbidden(
                "only a platform admin can grant the platform admin role",
            ));
        }
        let own: Vec<Permission> = p.permissions.clone();
        if let Some(r) = new
            .roles
            .iter()
            .find(|r| r.permissions().iter().any(|x| !own.contains(x)))
        {
            return Err(ApiError::forbidden(format!(
                "you cannot grant `{}`: it has permissions you do not hold",
                r.as_str()
            )));
        }
    }
    Ok(())
}

/// Create a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "platform", request_body = NewUser, security(("token" = [])),
    responses((status = 201, body = User), (status = 409, description = "username exists"), (status = 422, description = "invalid field")))]
pub(crate) async fn create(
    a: Authorized<perm::UsersWrite>,
    State(s): State<WebState>,
    ApiJson(new): ApiJson<NewUser>,
) -> Result<(StatusCode, ApiJson<User>), ApiError> {
    check_grant(&a, &new)?;
    let user = users::create(&s.db, &new, &zhengshu_db::ts(s.clock.now())).await?;
    Ok((StatusCode::CREATED, ApiJson(user)))
}
