use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use zhengshu_auth::units::{self, ImportFormat, ImportReport, UnitFilter};
use zhengshu_auth::{NewUnit, Unit};
use zhengshu_http::{perm, ApiError, ApiJson, Authorized};

use crate::WebState;

/// List units, optionally by level or name.
#[utoipa::path(get, path = "/api/v1/units", tag = "platform", params(UnitFilter), security(("token" = [])),
    responses((status = 200, body = [Unit])))]
pub(crate) async fn list(
    _a: Authorized<perm::UnitsRead>,
    State(s): State<WebState>,
    Query(f): Query<UnitFilter>,
) -> Result<ApiJson<Vec<Unit>>, ApiError> {
    Ok(ApiJson(units::list(&s.db, &f).await?))
}

/// Create a unit.
#[utoipa::path(post, path = "/api/v1/units", tag = "platform", request_body = NewUnit, security(("token" = [])),
    responses((status = 201, body = Unit), (status = 409, description = "name or credit code exists"), (status = 422, description = "invalid field")))]
pub(crate) async fn create(
    _a: Authorized<perm::UnitsWrite>,
    State(s): State<WebState>,
    ApiJson(new): ApiJson<NewUnit>,
) -> Result<(StatusCode, ApiJson<Unit>), ApiError> {
    let unit = units::create(&s.db, &new, &zhengshu_db::ts(s.clock.now())).await?;
    Ok((StatusCode::CREATED, ApiJson(unit)))
}

/// One unit.
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "platform", params(("id" = i64, Path, description = "unit id")), security(("token" = [])),
    responses((status = 200, body = Unit), (status = 404, description = "no such unit")))]
pub(crate) async fn show(
    _a: Authorized<perm::UnitsRead>,
    State(s): State<WebState>,
    Path(id): Path<i64>,
) -> Result<ApiJson<Unit>, ApiError> {
    Ok(ApiJson(units::get(&s.db, id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(crate) struct ImportParams {
    /// Check only; write nothing.
    #[serde(default)]
    dry_run: bool,
}

/// Import units from a CSV (UTF-8 or GBK) or XLSX file sent as the request body. All or
/// nothing: any row error writes nothing and lists every error.
#[utoipa::path(post, path = "/api/v1/units/import", tag = "platform", params(ImportParams), security(("token" = [])),
    request_body(content = String, content_type = "text/csv", description = "CSV or XLSX bytes (set Content-Type to text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)"),
    responses((status = 200, body = ImportReport, description = "imported, or dry run"), (status = 422, body = ImportReport, description = "row errors; nothing written")))]
pub(crate) async fn import(
    _a: Authorized<perm::UnitsWrite>,
    State(s): State<WebState>,
    Query(p): Query<ImportParams>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, ApiJson<ImportReport>), ApiError> {
    if body.is_empty() {
        return Err(ApiError::bad_request(
            "send the CSV or XLSX file as the request body",
        ));
    }
    let ct = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let format = if ct.contains("spreadsheetml") {
        ImportFormat::Xlsx
    } else {
        ImportFormat::detect(None, &body)
    };
    let report = units::import_file(
        &s.db,
        &body,
        format,
        p.dry_run,
        &zhengshu_db::ts(s.clock.now()),
    )
    .await?;
    let status = if report.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, ApiJson(report)))
}
