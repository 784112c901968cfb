//! Files: the import page and API, the empty templates, and XLSX/CSV exports.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zhengshu_http::{perm, render, ApiError, ApiJson, Authorized, Chrome, Lang};

use super::{actor_of, SearchQuery};
use crate::import::{self, ImportReport, MAX_IMPORT_BYTES};
use crate::{export, store, CatalogError, CatalogState};

/// The most resources one export holds.
const MAX_EXPORT: usize = 100_000;

fn attachment(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        file_name.replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "_"),
        super::url_encode(file_name)
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV: &str = "text/csv; charset=utf-8";

/// The empty import template (XLSX, sheet 资源目录 with drop-down lists).
#[utoipa::path(get, path = "/api/v1/catalog/template.xlsx", tag = "catalog", responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub(crate) async fn template_xlsx(
    _auth: Authorized<perm::CatalogRead>,
) -> Result<Response, ApiError> {
    Ok(attachment(
        export::template_xlsx()?,
        XLSX,
        "资源目录导入模板.xlsx",
    ))
}

/// The empty import template (CSV, UTF-8 with BOM).
#[utoipa::path(get, path = "/api/v1/catalog/template.csv", tag = "catalog", responses((status = 200, content_type = "text/csv")))]
pub(crate) async fn template_csv(
    _auth: Authorized<perm::CatalogRead>,
) -> Result<Response, ApiError> {
    Ok(attachment(
        export::template_csv()?,
        CSV,
        "资源目录导入模板.csv",
    ))
}

async fn exported(
    state: &CatalogState,
    auth: &Authorized<perm::CatalogRead>,
    q: &SearchQuery,
) -> Result<Vec<crate::Resource>, ApiError> {
    let actor = actor_of(auth);
    state
        .index
        .sync(&state.db, state.clock.now())
        .await
        .map_err(ApiError::from)?;
    let hits = state
        .index
        .search(&q.params_with(MAX_EXPORT, 0), actor.viewer())?;
    let mut conn = state.db.pool().acquire().await?;
    let mut out = Vec::with_capacity(hits.ids.len());
    for chunk in hits.ids.chunks(500) {
        out.extend(store::get_many(&mut conn, chunk).await?);
    }
    Ok(out)
}

/// The catalog (what the caller may see), filtered like a search, as XLSX.
#[utoipa::path(get, path = "/api/v1/catalog/export.xlsx", tag = "catalog", params(SearchQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub(crate) async fn export_xlsx(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogRead>,
    Query(q): Query<SearchQuery>,
) -> Result<Response, ApiError> {
    let rows = exported(&state, &auth, &q).await?;
    Ok(attachment(
        export::to_xlsx(&rows)?,
        XLSX,
        "政务数据资源目录.xlsx",
    ))
}

/// The catalog, filtered like a search, as CSV (UTF-8 with BOM for Excel).
#[utoipa::path(get, path = "/api/v1/catalog/export.csv", tag = "catalog", params(SearchQuery), responses((status = 200, content_type = "text/csv")))]
pub(crate) async fn export_csv(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogRead>,
    Query(q): Query<SearchQuery>,
) -> Result<Response, ApiError> {
    let rows = exported(&state, &auth, &q).await?;
    Ok(attachment(
        export::to_csv(&rows)?,
        CSV,
        "政务数据资源目录.csv",
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub(crate) struct ImportQuery {
    /// Check only; write nothing.
    #[serde(default)]
    dry_run: Option<String>,
}

fn truthy(s: Option<&str>) -> bool {
    matches!(s.map(str::trim), Some("1" | "true" | "on" | "yes"))
}

/// The uploaded file (field `file`) and the dry-run checkbox (field `dry_run`).
async fn read_upload(mut mp: Multipart) -> Result<(Vec<u8>, Option<String>, bool), CatalogError> {
    let mut file = None;
    let mut dry_run = false;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(upload_error(e.body_text())),
        };
        match field.name() {
            Some("file") => {
                let name = field.file_name().map(str::to_string);
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| upload_error(e.body_text()))?;
                file = Some((bytes.to_vec(), name));
            }
            Some("dry_run") => dry_run = truthy(field.text().await.ok().as_deref()),
            _ => {}
        }
    }
    let (bytes, name) = file.ok_or_else(|| {
        CatalogError::File("no file uploaded; send it in the multipart field `file`".into())
    })?;
    Ok((bytes, name, dry_run))
}

fn upload_error(detail: String) -> CatalogError {
    if detail.contains("limit") || detail.contains("too large") {
        CatalogError::File(format!(
            "the file is larger than {} MB; split it into several files",
            MAX_IMPORT_BYTES / 1024 / 1024
        ))
    } else {
        CatalogError::File(format!("the upload could not be read: {detail}"))
    }
}

/// Import resources (as drafts of the caller's unit) from the XLSX or CSV template.
/// All or nothing: any row error means nothing is written. `?dry_run=true` only checks.
#[utoipa::path(post, path = "/api/v1/catalog/import", tag = "catalog", params(ImportQuery),
    request_body(content_type = "multipart/form-data", description = "field `file`: the filled template (.xlsx or .csv)"),
    responses((status = 200, body = ImportReport, description = "read; see `errors` for row problems"), (status = 400, description = "the file as a whole is unusable"), (status = 413)))]
pub(crate) async fn import_api(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogWrite>,
    Query(q): Query<ImportQuery>,
    mp: Multipart,
) -> Result<Response, ApiError> {
    let (bytes, name, dry_form) = read_upload(mp).await.map_err(file_error)?;
    let dry_run = dry_form || truthy(q.dry_run.as_deref());
    let report = import::import_file(&state, &actor_of(&auth), &bytes, name.as_deref(), dry_run)
        .await
        .map_err(file_error)?;
    let status = if report.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, ApiJson(report)).into_response())
}

fn file_error(e: CatalogError) -> ApiError {
    match &e {
        CatalogError::File(m) if m.contains("larger than") || m.contains("the limit is") => {
            ApiError::too_large(e.to_string())
        }
        _ => e.into(),
    }
}

#[derive(Template)]
#[template(path = "catalog/import.html")]
struct ImportPage {
    chrome: Chrome,
    dry_run: bool,
    report: Option<ImportReport>,
    file_error: Option<String>,
}

pub(crate) async fn import_page(auth: Authorized<perm::CatalogWrite>, lang: Lang) -> Response {
    render(&ImportPage {
        chrome: Chrome::console(&auth, lang, "/console/catalog/import"),
        dry_run: true,
        report: None,
        file_error: None,
    })
}

pub(crate) async fn import_form(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogWrite>,
    lang: Lang,
    mp: Multipart,
) -> Result<Response, ApiError> {
    let chrome = Chrome::console(&auth, lang, "/console/catalog/import");
    let result = match read_upload(mp).await {
        Ok((bytes, name, dry_run)) => (
            dry_run,
            import::import_file(&state, &actor_of(&auth), &bytes, name.as_deref(), dry_run).await,
        ),
        Err(e) => (false, Err(e)),
    };
    let page = match result {
        (dry_run, Ok(report)) => {
            let status = if report.errors.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            return Ok((
                status,
                render(&ImportPage {
                    chrome,
                    dry_run,
                    report: Some(report),
                    file_error: None,
                }),
            )
                .into_response());
        }
        (dry_run, Err(e @ (CatalogError::File(_) | CatalogError::Forbidden(_)))) => ImportPage {
            chrome,
            dry_run,
            report: None,
            file_error: Some(e.to_string()),
        },
        (_, Err(e)) => return Err(e.into()),
    };
    Ok((StatusCode::BAD_REQUEST, render(&page)).into_response())
}
