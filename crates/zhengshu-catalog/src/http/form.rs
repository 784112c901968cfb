//! The console form to register or edit a resource, data items as editable rows.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use zhengshu_core::PiiKind;
use zhengshu_http::{perm, render, ApiError, ApiForm, Authorized, Chrome, Lang, Principal};

use super::actor_of;
use crate::error::FieldError;
use crate::model::{
    CatalogType, DataType, NewDataItem, NewResource, OpenType, ResourceFormat, SecurityGrade,
    ShareMethod, SharingType, UpdateCycle,
};
use crate::service::{self, Actor};
use crate::{CatalogError, CatalogState};

/// One `<option>`.
#[derive(Debug, Clone)]
pub(crate) struct Opt {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

fn opts<T: Copy + PartialEq>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    parse: fn(&str) -> Option<T>,
    current: &str,
) -> Vec<Opt> {
    let cur = parse(current);
    all.iter()
        .map(|v| Opt {
            value: code(*v).into(),
            label: label(*v).into(),
            selected: cur == Some(*v),
        })
        .collect()
}

/// A data-item row of the form.
#[derive(Debug, Clone)]
pub(crate) struct ItemRow {
    pub(crate) name: String,
    pub(crate) label: String,
    pub(crate) length: String,
    pub(crate) description: String,
    pub(crate) types: Vec<Opt>,
    pub(crate) piis: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "catalog/form.html")]
struct FormPage {
    chrome: Chrome,
    title: String,
    action: String,
    cancel: String,
    code: Option<String>,
    errors: Vec<(String, String)>,
    v: NewResource,
    related: String,
    keywords: String,
    catalog_types: Vec<Opt>,
    units: Vec<Opt>,
    formats: Vec<Opt>,
    sharing_types: Vec<Opt>,
    share_methods: Vec<Opt>,
    open_types: Vec<Opt>,
    update_cycles: Vec<Opt>,
    grades: Vec<Opt>,
    items: Vec<ItemRow>,
}

fn field_label(field: &str) -> String {
    match field {
        "provider_unit_id" => "资源提供方".into(),
        f if f.starts_with("items[") => f.replace("items", "信息项"),
        f => crate::version::field_label(f),
    }
}

async fn form_page(
    state: &CatalogState,
    p: &Principal,
    lang: Lang,
    (title, action, cancel): (String, String, String),
    v: NewResource,
    errors: &[FieldError],
) -> Result<FormPage, ApiError> {
    let actor = actor_of(p);
    let units = zhengshu_auth::units::list(&state.db, &Default::default()).await?;
    let chosen = v.provider_unit_id.or(actor.unit_id);
    let units = units
        .into_iter()
        .filter(|u| actor.can_review || Some(u.id) == actor.unit_id)
        .map(|u| Opt {
            value: u.id.to_string(),
            label: u.name,
            selected: Some(u.id) == chosen,
        })
        .collect();
    let item_row = |i: &NewDataItem| ItemRow {
        name: i.name.clone(),
        label: i.label.clone(),
        length: i.length.map(|l| l.to_string()).unwrap_or_default(),
        description: i.description.clone(),
        types: opts(
            DataType::ALL,
            DataType::as_str,
            DataType::label_zh,
            DataType::parse,
            &i.data_type,
        ),
        piis: PiiKind::ALL
            .iter()
            .map(|k| Opt {
                value: k.as_str().into(),
                label: k.label_zh().into(),
                selected: i.pii_kind.parse::<PiiKind>().unwrap_or_default() == *k,
            })
            .collect(),
    };
    let mut items: Vec<ItemRow> = v.items.iter().map(item_row).collect();
    let blank = NewDataItem {
        data_type: "string".into(),
        ..Default::default()
    };
    while items.len() < v.items.len() + 3 {
        items.push(item_row(&blank));
    }
    Ok(FormPage {
        chrome: Chrome::console(p, lang, "/console/catalog"),
        title,
        action,
        cancel,
        code: v.code.clone().filter(|c| !c.is_empty()),
        errors: errors
            .iter()
            .map(|e| (field_label(&e.field), e.message.clone()))
            .collect(),
        related: v.related_codes.join(","),
        keywords: v.keywords.join(","),
        catalog_types: opts(
            CatalogType::ALL,
            CatalogType::as_str,
            CatalogType::label_zh,
            CatalogType::parse,
            &v.catalog_type,
        ),
        units,
        formats: opts(
            ResourceFormat::ALL,
            ResourceFormat::as_str,
            ResourceFormat::label_zh,
            ResourceFormat::parse,
            &v.format,
        ),
        sharing_types: opts(
            SharingType::ALL,
            SharingType::as_str,
            SharingType::label_zh,
            SharingType::parse,
            &v.sharing_type,
        ),
        share_methods: opts(
            ShareMethod::ALL,
            ShareMethod::as_str,
            ShareMethod::label_zh,
            ShareMethod::parse,
            &v.share_method,
        ),
        open_types: opts(
            OpenType::ALL,
            OpenType::as_str,
            OpenType::label_zh,
            OpenType::parse,
            &v.open_type,
        ),
        update_cycles: opts(
            UpdateCycle::ALL,
            UpdateCycle::as_str,
            UpdateCycle::label_zh,
            UpdateCycle::parse,
            &v.update_cycle,
        ),
        grades: opts(
            SecurityGrade::ALL,
            SecurityGrade::as_str,
            SecurityGrade::label_zh,
            SecurityGrade::parse,
            &v.security_grade,
        ),
        items,
        v,
    })
}

/// Reads the posted form (repeated `item_*` fields become data items).
pub(crate) fn parse_form(fields: &[(String, String)]) -> (NewResource, Vec<FieldError>) {
    let mut r = NewResource::default();
    let mut errors = Vec::new();
    let mut cols: [Vec<&str>; 6] = Default::default();
    for (k, v) in fields {
        let v = v.as_str();
        match k.as_str() {
            "code" => r.code = Some(v.to_string()).filter(|s| !s.trim().is_empty()),
            "name" => r.name = v.into(),
            "summary" => r.summary = v.into(),
            "catalog_type" => r.catalog_type = v.into(),
            "classification" => r.classification = v.into(),
            "theme" => r.theme = v.into(),
            "provider_unit_id" => match v.trim().parse::<i64>() {
                Ok(id) => r.provider_unit_id = Some(id),
                Err(_) if v.trim().is_empty() => {}
                Err(_) => errors.push(FieldError::new(
                    "provider_unit_id",
                    format!("`{v}` is not a unit id"),
                )),
            },
            "format" => r.format = v.into(),
            "sharing_type" => r.sharing_type = v.into(),
            "sharing_conditions" => r.sharing_conditions = v.into(),
            "sharing_basis" => r.sharing_basis = v.into(),
            "share_method" => r.share_method = v.into(),
            "open_type" => r.open_type = v.into(),
            "open_conditions" => r.open_conditions = v.into(),
            "open_basis" => r.open_basis = v.into(),
            "update_cycle" => r.update_cycle = v.into(),
            "security_grade" => r.security_grade = v.into(),
            "publish_date" => r.publish_date = Some(v.to_string()).filter(|s| !s.trim().is_empty()),
            "related_codes" => r.related_codes = vec![v.into()],
            "keywords" => r.keywords = vec![v.into()],
            "item_name" => cols[0].push(v),
            "item_label" => cols[1].push(v),
            "item_type" => cols[2].push(v),
            "item_length" => cols[3].push(v),
            "item_pii" => cols[4].push(v),
            "item_desc" => cols[5].push(v),
            _ => {}
        }
    }
    let at = |c: &Vec<&str>, i: usize| c.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
    for i in 0..cols[0].len().max(cols[1].len()) {
        let (name, label) = (at(&cols[0], i), at(&cols[1], i));
        if name.is_empty() && label.is_empty() {
            continue;
        }
        let len_s = at(&cols[3], i);
        let length = if len_s.is_empty() {
            None
        } else {
            match len_s.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push(FieldError::new(
                        format!("items[{}].length", r.items.len() + 1),
                        format!("`{len_s}` is not a whole number"),
                    ));
                    None
                }
            }
        };
        r.items.push(NewDataItem {
            name,
            label,
            data_type: at(&cols[2], i),
            length,
            pii_kind: at(&cols[4], i),
            description: at(&cols[5], i),
        });
    }
    (r, errors)
}

async fn save(
    state: &CatalogState,
    p: &Principal,
    lang: Lang,
    fields: Vec<(String, String)>,
    id: Option<i64>,
) -> Result<Response, ApiError> {
    let actor: Actor = actor_of(p);
    let (new, mut errors) = parse_form(&fields);
    let (title, action, cancel) = match id {
        None => (
            "登记数据资源".to_string(),
            "/console/catalog/new".to_string(),
            "/console/catalog".to_string(),
        ),
        Some(id) => (
            "编辑数据资源".to_string(),
            format!("/console/catalog/{id}/edit"),
            format!("/console/catalog/{id}"),
        ),
    };
    if errors.is_empty() {
        let result = match id {
            None => service::create(state, &actor, &new).await,
            Some(id) => service::update(state, &actor, id, &new).await,
        };
        match result {
            Ok(r) => return Ok(Redirect::to(&format!("/console/catalog/{}", r.id)).into_response()),
            Err(CatalogError::Invalid(e)) => errors = e,
            Err(
                e @ (CatalogError::DuplicateCode(_)
                | CatalogError::Forbidden(_)
                | CatalogError::Conflict(_)),
            ) => errors = vec![FieldError::new("resource", e.to_string())],
            Err(e) => return Err(e.into()),
        }
    }
    let page = form_page(state, p, lang, (title, action, cancel), new, &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

pub(crate) async fn new_page(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogWrite>,
    lang: Lang,
) -> Result<Response, ApiError> {
    let v = NewResource {
        share_method: "api".into(),
        ..Default::default()
    };
    let labels = (
        "登记数据资源".into(),
        "/console/catalog/new".into(),
        "/console/catalog".into(),
    );
    Ok(render(
        &form_page(&state, &auth, lang, labels, v, &[]).await?,
    ))
}

pub(crate) async fn create(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogWrite>,
    lang: Lang,
    ApiForm(fields): ApiForm<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    save(&state, &auth, lang, fields, None).await
}

pub(crate) async fn edit_page(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogWrite>,
    lang: Lang,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let r = service::get(&state, Some(&actor_of(&auth)), id).await?;
    let labels = (
        format!("编辑：{}", r.name),
        format!("/console/catalog/{id}/edit"),
        format!("/console/catalog/{id}"),
    );
    Ok(render(
        &form_page(&state, &auth, lang, labels, NewResource::from(&r), &[]).await?,
    ))
}

pub(crate) async fn update(
    State(state): State<CatalogState>,
    auth: Authorized<perm::CatalogWrite>,
    lang: Lang,
    Path(id): Path<i64>,
    ApiForm(fields): ApiForm<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    save(&state, &auth, lang, fields, Some(id)).await
}
