//! zhengshu's opened datasets as CKAN dictionaries: package, resource, organization,
//! group, tag.
//!
//! Identifiers: a package's `id` and `name` are the resource code; its one resource has
//! the code as `id` too (DataStore tables are named by it). The organization is the
//! providing unit (`unit-{id}`), the group the theme (主题), the tags the keywords. A
//! dataset with lake data has one CSV resource (the streamed download) whose other
//! formats are listed in `download_urls`; a dataset without data has one `HTML` resource,
//! its page on the portal, with `datastore_active: false`. The catalog's figures
//! (更新周期, 开放类型, 开放条件, 资源格式 …; rows, version and quality score when known)
//! are `extras`.

use chrono::SecondsFormat;
use serde_json::{json, Value};
use zhengshu_catalog::model::{OpenType, Resource};

use crate::model::Dataset;

/// CKAN's timestamp form: UTC without an offset, microseconds (`2026-03-02T02:00:00.000000`).
pub fn ckan_time(ts: &str) -> Value {
    match zhengshu_db::parse_ts(ts) {
        Some(t) => Value::String(
            t.to_rfc3339_opts(SecondsFormat::Micros, true)
                .trim_end_matches('Z')
                .to_string(),
        ),
        None if ts.is_empty() => Value::Null,
        None => Value::String(ts.to_string()),
    }
}

/// The licence: an opened dataset's terms are the portal's; conditional ones are not open
/// in the Open Definition's sense (an application is needed).
fn license(r: &Resource) -> (&'static str, &'static str, bool) {
    if r.open_type == OpenType::Unconditional {
        ("other-open", "Other (Open)", true)
    } else {
        ("other-closed", "Other (Not Open)", false)
    }
}

/// The licences `license_list` shows.
pub fn licenses() -> Value {
    json!([
        {"id": "other-open", "title": "Other (Open)", "url": "", "status": "active",
         "od_conformance": "approved", "osd_conformance": "not reviewed", "is_generic": true,
         "domain_content": true, "domain_data": true, "domain_software": false,
         "maintainer": "", "family": ""},
        {"id": "other-closed", "title": "Other (Not Open)", "url": "", "status": "active",
         "od_conformance": "not reviewed", "osd_conformance": "not reviewed", "is_generic": true,
         "domain_content": true, "domain_data": true, "domain_software": false,
         "maintainer": "", "family": ""},
    ])
}

/// The organization (the providing unit) as a package shows it.
/// `created` is the unit's creation time when known.
pub fn organization(unit_id: i64, title: &str, created: Option<&str>) -> Value {
    let name = format!("unit-{unit_id}");
    json!({
        "id": name,
        "name": name,
        "title": title,
        "display_name": title,
        "type": "organization",
        "description": "",
        "image_url": "",
        "image_display_url": "",
        "created": created.map(ckan_time),
        "is_organization": true,
        "approval_status": "approved",
        "state": "active",
    })
}

/// A group (a theme).
pub fn group(theme: &str) -> Value {
    json!({
        "id": theme,
        "name": theme,
        "title": theme,
        "display_name": theme,
        "description": "",
        "image_display_url": "",
        "type": "group",
        "is_organization": false,
        "approval_status": "approved",
        "state": "active",
    })
}

/// A tag (a keyword).
pub fn tag(name: &str) -> Value {
    json!({
        "id": name,
        "name": name,
        "display_name": name,
        "state": "active",
        "vocabulary_id": null,
    })
}

fn created(r: &Resource) -> &str {
    r.published_at.as_deref().unwrap_or(&r.created_at)
}

/// The dataset's one resource.
pub fn resource(base: &str, ds: &Dataset) -> Value {
    let r = &ds.resource;
    let code = &r.code;
    let page = format!("{base}/open/datasets/{code}");
    let (format, url, mimetype, downloads) = if ds.has_data() {
        let dl = |f: &str| format!("{base}/open/datasets/{code}/download/{f}");
        (
            "CSV",
            dl("csv"),
            "text/csv",
            json!({"csv": dl("csv"), "json": dl("json"), "xlsx": dl("xlsx"), "parquet": dl("parquet")}),
        )
    } else {
        ("HTML", page.clone(), "text/html", json!({}))
    };
    json!({
        "id": code,
        "package_id": code,
        "name": r.name,
        "description": if ds.has_data() {
            format!("{}（数据接口：datastore_search?resource_id={code}）", r.summary_short())
        } else {
            "仅提供目录信息，数据尚未接入。Metadata only: the data is not connected yet.".to_string()
        },
        "format": format,
        "mimetype": mimetype,
        "url": url,
        "url_type": null,
        "download_urls": downloads,
        "datastore_active": ds.has_data(),
        "position": 0,
        "state": "active",
        "created": ckan_time(created(r)),
        "last_modified": ckan_time(&ds.last_update),
        "metadata_modified": ckan_time(&r.updated_at),
        "size": null,
        "hash": "",
        "cache_url": null,
        "has_views": false,
    })
}

fn extra(key: &str, value: impl Into<String>) -> Value {
    json!({"key": key, "value": value.into()})
}

/// The package dictionary. `figures` (rows, version, quality) are in `ds` when the
/// caller filled them in ([`crate::service::figures`]).
pub fn package(base: &str, ds: &Dataset) -> Value {
    let r = &ds.resource;
    let (license_id, license_title, isopen) = license(r);
    let mut extras = vec![
        extra("资源代码", r.code.clone()),
        extra("资源分类", r.classification.clone()),
        extra("目录类型", r.catalog_type.label_zh()),
        extra("资源格式", r.format.label_zh()),
        extra("开放类型", r.open_type.label_zh()),
        extra("更新周期", r.update_cycle.label_zh()),
        extra("数据分级", r.security_grade.label_zh()),
    ];
    if r.open_type == OpenType::Conditional {
        extras.push(extra("开放条件", r.open_conditions.clone()));
    }
    if let Some(d) = &r.publish_date {
        extras.push(extra("发布日期", d.clone()));
    }
    extras.push(extra("数据更新时间", ds.last_update.clone()));
    if let Some(n) = ds.rows {
        extras.push(extra("数据量", n.to_string()));
    }
    if let Some(v) = ds.version {
        extras.push(extra("数据版本", v.to_string()));
    }
    if let Some(q) = ds.quality {
        extras.push(extra("质量评分", format!("{q:.1}")));
    }
    let groups: Vec<Value> = if r.theme.trim().is_empty() {
        Vec::new()
    } else {
        vec![group(&r.theme)]
    };
    let tags: Vec<Value> = r.keywords.iter().map(|k| tag(k)).collect();
    json!({
        "id": r.code,
        "name": r.code,
        "title": r.name,
        "notes": r.summary,
        "type": "dataset",
        "state": "active",
        "private": false,
        "isopen": isopen,
        "license_id": license_id,
        "license_title": license_title,
        "license_url": "",
        "url": format!("{base}/open/datasets/{}", r.code),
        "version": null,
        "author": r.provider_name,
        "author_email": null,
        "maintainer": r.provider_name,
        "maintainer_email": null,
        "creator_user_id": null,
        "metadata_created": ckan_time(created(r)),
        "metadata_modified": ckan_time(&r.updated_at),
        "owner_org": format!("unit-{}", r.provider_unit_id),
        "organization": organization(r.provider_unit_id, &r.provider_name, None),
        "groups": groups,
        "num_tags": tags.len(),
        "tags": tags,
        "num_resources": 1,
        "resources": [resource(base, ds)],
        "extras": extras,
        "relationships_as_object": [],
        "relationships_as_subject": [],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_ckans_form() {
        assert_eq!(
            ckan_time("2026-03-02T02:00:00.000000Z"),
            json!("2026-03-02T02:00:00.000000")
        );
        assert_eq!(ckan_time(""), Value::Null);
    }
}
