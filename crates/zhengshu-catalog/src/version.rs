//! 版本: what changed between two snapshots of a resource, field by field.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// One changed field: its key, Chinese label, and the value before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldChange {
    /// e.g. `summary` or `items.xm`.
    pub field: String,
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Bookkeeping fields that change with every version and are not part of the diff.
const IGNORED: &[&str] = &[
    "id",
    "version",
    "created_at",
    "updated_at",
    "created_by",
    "submitted_by",
    "provider_unit_id",
    "published_at",
];

/// The Chinese label of a snapshot field.
pub fn field_label(key: &str) -> String {
    let label = match key {
        "code" => "资源代码",
        "name" => "资源名称",
        "summary" => "资源摘要",
        "catalog_type" => "目录类型",
        "classification" => "资源分类代码",
        "theme" => "主题",
        "provider_name" => "资源提供方",
        "format" => "资源格式",
        "sharing_type" => "共享类型",
        "sharing_conditions" => "共享条件",
        "sharing_basis" => "不予共享依据",
        "share_method" => "共享方式",
        "open_type" => "开放类型",
        "open_conditions" => "开放条件",
        "open_basis" => "不予开放依据",
        "update_cycle" => "更新周期",
        "security_grade" => "数据分级",
        "publish_date" => "发布日期",
        "related_codes" => "关联资源代码",
        "keywords" => "关键词",
        "status" => "状态",
        "review_comment" => "审核意见",
        _ => {
            return key
                .strip_prefix("items.")
                .map(|n| format!("信息项 {n}"))
                .unwrap_or_else(|| key.to_string())
        }
    };
    label.to_string()
}

fn show(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(show).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// Flattens a snapshot to field → displayed value; data items become `items.{name}`.
fn flatten(snapshot: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(obj) = snapshot.as_object() else {
        return out;
    };
    for (k, v) in obj {
        if IGNORED.contains(&k.as_str()) {
            continue;
        }
        if k == "items" {
            for item in v.as_array().into_iter().flatten() {
                let name = item.get("name").map(show).unwrap_or_default();
                let field = |f: &str| item.get(f).map(show).unwrap_or_default();
                let text = format!(
                    "{} | {} | {} | {} | {}",
                    field("label"),
                    field("data_type"),
                    field("length"),
                    field("pii_kind"),
                    field("description")
                );
                out.insert(format!("items.{name}"), text);
            }
            continue;
        }
        out.insert(k.clone(), vocab_label(k, &show(v)));
    }
    out
}

/// Vocabulary codes shown as their Chinese labels (`published` → 已发布).
fn vocab_label(key: &str, value: &str) -> String {
    use crate::model::*;
    let label = match key {
        "status" => Status::parse(value).map(Status::label_zh),
        "catalog_type" => CatalogType::parse(value).map(CatalogType::label_zh),
        "format" => ResourceFormat::parse(value).map(ResourceFormat::label_zh),
        "sharing_type" => SharingType::parse(value).map(SharingType::label_zh),
        "share_method" => ShareMethod::parse(value).map(ShareMethod::label_zh),
        "open_type" => OpenType::parse(value).map(OpenType::label_zh),
        "update_cycle" => UpdateCycle::parse(value).map(UpdateCycle::label_zh),
        "security_grade" => SecurityGrade::parse(value).map(SecurityGrade::label_zh),
        _ => None,
    };
    label
        .map(str::to_string)
        .unwrap_or_else(|| value.to_string())
}

/// Field-by-field differences from `before` (None: the first version) to `after`.
pub fn diff(before: Option<&Value>, after: &Value) -> Vec<FieldChange> {
    let a = before.map(flatten).unwrap_or_default();
    let b = flatten(after);
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (x, y) = (
                a.get(k).filter(|s| !s.is_empty()),
                b.get(k).filter(|s| !s.is_empty()),
            );
            (x != y).then(|| FieldChange {
                field: k.clone(),
                label: field_label(k),
                before: x.cloned(),
                after: y.cloned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_changed_added_and_removed_fields_and_items() {
        let a = json!({"id": 1, "version": 1, "name": "人口", "summary": "旧", "items": [{"name": "xm", "label": "姓名"}, {"name": "sfz", "label": "身份证"}]});
        let b = json!({"id": 1, "version": 2, "name": "人口", "summary": "新", "theme": "民政", "items": [{"name": "xm", "label": "姓名"}, {"name": "dh", "label": "电话"}]});
        let d = diff(Some(&a), &b);
        let keys: Vec<&str> = d.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(keys, ["items.dh", "items.sfz", "summary", "theme"]);
        assert_eq!(d[2].before.as_deref(), Some("旧"));
        assert_eq!(d[2].after.as_deref(), Some("新"));
        assert_eq!(d[1].after, None);
        assert_eq!(d[2].label, "资源摘要");
    }

    #[test]
    fn first_version_lists_every_filled_field() {
        let d = diff(None, &json!({"name": "人口", "summary": "", "version": 1}));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].before, None);
    }
}
