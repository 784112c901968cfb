use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use zhengshu_auth::units::{self, ImportFormat, ImportReport, UnitFilter};
use zhengshu_auth::{AuthError, NewUnit, Permission, Unit, UnitLevel, User};
use zhengshu_http::{perm, render, ApiError, ApiForm, Authorized, Chrome, Lang};

use super::see_other;
use crate::WebState;

#[derive(Template)]
#[template(path = "units.html")]
struct UnitsPage {
    chrome: Chrome,
    units: Vec<Unit>,
    filter_level: String,
    filter_q: String,
    can_write: bool,
    levels: Vec<(&'static str, &'static str)>,
    form_error: Option<String>,
    report: Option<ImportReport>,
    ok: Option<String>,
}

impl UnitsPage {
    fn level_label(&self, l: &UnitLevel) -> &'static str {
        if self.chrome.is_en() {
            l.label_en()
        } else {
            l.label_zh()
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ListParams {
    level: Option<String>,
    q: Option<String>,
    ok: Option<String>,
}

async fn page(
    a: &Authorized<impl Send + Sync>,
    lang: Lang,
    s: &WebState,
    p: ListParams,
    form_error: Option<String>,
    report: Option<ImportReport>,
) -> Result<Response, ApiError> {
    let filter = UnitFilter {
        level: p.level.clone().filter(|l| !l.is_empty()),
        q: p.q.clone().filter(|q| !q.is_empty()),
    };
    let list = units::list(&s.db, &filter).await?;
    let levels = UnitLevel::ALL
        .iter()
        .map(|l| {
            (
                l.as_str(),
                if lang == Lang::En {
                    l.label_en()
                } else {
                    l.label_zh()
                },
            )
        })
        .collect();
    let status = if form_error.is_some() || report.as_ref().is_some_and(|r| !r.errors.is_empty()) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = UnitsPage {
        chrome: Chrome::console(a, lang, "/console/units"),
        units: list,
        filter_level: p.level.unwrap_or_default(),
        filter_q: p.q.unwrap_or_default(),
        can_write: a.can(Permission::UnitsWrite),
        levels,
        form_error,
        report,
        ok: p.ok,
    };
    Ok((status, render(&page)).into_response())
}

pub(crate) async fn list(
    a: Authorized<perm::UnitsRead>,
    lang: Lang,
    State(s): State<WebState>,
    Query(p): Query<ListParams>,
) -> Result<Response, ApiError> {
    page(&a, lang, &s, p, None, None).await
}

pub(crate) async fn create(
    a: Authorized<perm::UnitsWrite>,
    lang: Lang,
    State(s): State<WebState>,
    ApiForm(new): ApiForm<NewUnit>,
) -> Result<Response, ApiError> {
    match units::create(&s.db, &new, &zhengshu_db::ts(s.clock.now())).await {
        Ok(u) => Ok(see_other(&format!("/console/units/{}", u.id))),
        Err(e @ (AuthError::Invalid { .. } | AuthError::Duplicate { .. })) => {
            page(
                &a,
                lang,
                &s,
                ListParams::default(),
                Some(e.to_string()),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn import(
    a: Authorized<perm::UnitsWrite>,
    lang: Lang,
    State(s): State<WebState>,
    mut mp: Multipart,
) -> Result<Response, ApiError> {
    let mut file: Option<(Option<String>, Vec<u8>)> = None;
    let mut dry_run = false;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(format!("bad upload: {e}")))?
    {
        match field.name() {
            Some("file") => {
                let name = field.file_name().map(str::to_string);
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| ApiError::bad_request(format!("bad upload: {e}")))?;
                file = Some((name, bytes.to_vec()));
            }
            Some("dry_run") => dry_run = true,
            _ => {}
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return page(
            &a,
            lang,
            &s,
            ListParams::default(),
            Some("choose a CSV or XLSX file to import".into()),
            None,
        )
        .await;
    };
    let format = ImportFormat::detect(name.as_deref(), &bytes);
    match units::import_file(
        &s.db,
        &bytes,
        format,
        dry_run,
        &zhengshu_db::ts(s.clock.now()),
    )
    .await
    {
        Ok(report) if report.errors.is_empty() && !dry_run => Ok(see_other(&format!(
            "/console/units?ok=imported+{}",
            report.created
        ))),
        Ok(report) => page(&a, lang, &s, ListParams::default(), None, Some(report)).await,
        Err(e @ AuthError::Invalid { .. }) => {
            page(
                &a,
                lang,
                &s,
                ListParams::default(),
                Some(e.to_string()),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    chrome: Chrome,
    unit: Unit,
    parent: Option<Unit>,
    users: Vec<User>,
}

impl UnitPage {
    fn level_label(&self) -> &'static str {
        if self.chrome.is_en() {
            self.unit.level.label_en()
        } else {
            self.unit.level.label_zh()
        }
    }
}

pub(crate) async fn show(
    a: Authorized<perm::UnitsRead>,
    lang: Lang,
    State(s): State<WebState>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let unit = units::get(&s.db, id).await?;
    let parent = match unit.parent_id {
        Some(p) => units::get(&s.db, p).await.ok(),
        None => None,
    };
    let users = if a.can(Permission::UsersRead) {
        zhengshu_auth::users::list(&s.db, Some(id)).await?
    } else {
        Vec::new()
    };
    Ok(render(&UnitPage {
        chrome: Chrome::console(&a, lang, "/console/units"),
        unit,
        parent,
        users,
    }))
}
