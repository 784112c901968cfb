//! The catalog spreadsheet layout shared by the import template, the importer and the
//! exports: one row per resource, Chinese headers, data items in one cell.

use crate::model::{NewDataItem, NewResource, Resource};

/// The sheet name of the template and of exports.
pub const SHEET_NAME: &str = "资源目录";

/// A column: header (Chinese), also accepted (English key), required, the form field it
/// fills (for error messages), and a note for the instructions sheet.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub key: &'static str,
    pub required: bool,
    pub note: &'static str,
}

const fn col(
    header: &'static str,
    key: &'static str,
    required: bool,
    note: &'static str,
) -> Column {
    Column {
        header,
        key,
        required,
        note,
    }
}

/// Every column, in template order.
pub const COLUMNS: &[Column] = &[
    col(
        "资源代码",
        "code",
        false,
        "留空则自动生成：分类代码-单位编号-4位序号",
    ),
    col("资源名称", "name", true, "不超过100字"),
    col("资源摘要", "summary", true, ""),
    col(
        "资源分类代码",
        "classification",
        true,
        "类1位+项2位+目3位，如 101001（1基础 2主题 3部门）",
    ),
    col(
        "目录类型",
        "catalog_type",
        false,
        "基础/主题/部门，留空按分类代码首位",
    ),
    col("主题", "theme", false, "如 社会保障"),
    col("资源提供方", "provider", false, "单位名称，留空为本单位"),
    col(
        "资源格式",
        "format",
        true,
        "电子文件/电子表格/数据库/图形图像/流媒体/自描述格式/服务接口",
    ),
    col(
        "共享类型",
        "sharing_type",
        true,
        "无条件共享/有条件共享/不予共享",
    ),
    col("共享条件", "sharing_conditions", false, "有条件共享时必填"),
    col(
        "不予共享依据",
        "sharing_basis",
        false,
        "不予共享时必填：法律、法规或国家政策依据",
    ),
    col(
        "共享方式",
        "share_method",
        false,
        "接口/文件/库表，默认接口",
    ),
    col(
        "开放类型",
        "open_type",
        true,
        "无条件开放/有条件开放/不予开放",
    ),
    col("开放条件", "open_conditions", false, "有条件开放时必填"),
    col("不予开放依据", "open_basis", false, "不予开放时必填"),
    col(
        "更新周期",
        "update_cycle",
        true,
        "实时/每日/每周/每月/每季度/每半年/每年/其他",
    ),
    col("数据分级", "security_grade", true, "核心/重要/一般"),
    col("发布日期", "publish_date", false, "YYYY-MM-DD"),
    col("关联资源代码", "related_codes", false, "多个用逗号分隔"),
    col("关键词", "keywords", false, "多个用逗号分隔"),
    col(
        "信息项",
        "items",
        false,
        "每项一行或用分号分隔：字段名|中文名称|数据类型|长度|敏感类别|描述",
    ),
];

/// The header of a form field key (for row errors).
pub fn header_of(field: &str) -> &'static str {
    let key = if field.starts_with("items") {
        "items"
    } else if field == "provider_unit_id" {
        "provider"
    } else {
        field
    };
    COLUMNS
        .iter()
        .find(|c| c.key == key)
        .map(|c| c.header)
        .unwrap_or("资源名称")
}

/// Data items as one cell.
pub fn items_cell(r: &Resource) -> String {
    r.items
        .iter()
        .map(|i| {
            format!(
                "{}|{}|{}|{}|{}|{}",
                i.name,
                i.label,
                i.data_type.label_zh(),
                i.length.map(|l| l.to_string()).unwrap_or_default(),
                i.pii_kind.label_zh(),
                i.description
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parses an items cell; errors name the item and what is wrong.
pub fn parse_items(cell: &str) -> Result<Vec<NewDataItem>, String> {
    let mut out = Vec::new();
    for (i, line) in cell
        .split(['\n', ';', '；'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let parts: Vec<&str> = line.split(['|', '｜']).map(str::trim).collect();
        if parts.len() < 3 {
            return Err(format!(
                "item {} `{line}` needs at least 字段名|中文名称|数据类型",
                i + 1
            ));
        }
        let length = match parts.get(3).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                s.parse::<i64>()
                    .map_err(|_| format!("item {} length `{s}` is not a whole number", i + 1))?,
            ),
        };
        out.push(NewDataItem {
            name: parts[0].into(),
            label: parts[1].into(),
            data_type: parts[2].into(),
            length,
            pii_kind: parts.get(4).copied().unwrap_or_default().into(),
            description: parts.get(5..).map(|p| p.join("|")).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// The cells of one resource, in [`COLUMNS`] order.
pub fn row_of(r: &Resource) -> Vec<String> {
    vec![
        r.code.clone(),
        r.name.clone(),
        r.summary.clone(),
        r.classification.clone(),
        r.catalog_type.label_zh().into(),
        r.theme.clone(),
        r.provider_name.clone(),
        r.format.label_zh().into(),
        r.sharing_type.label_zh().into(),
        r.sharing_conditions.clone(),
        r.sharing_basis.clone(),
        r.share_method.label_zh().into(),
        r.open_type.label_zh().into(),
        r.open_conditions.clone(),
        r.open_basis.clone(),
        r.update_cycle.label_zh().into(),
        r.security_grade.label_zh().into(),
        r.publish_date.clone().unwrap_or_default(),
        r.related_codes.join(","),
        r.keywords.join(","),
        items_cell(r),
    ]
}

/// A row read from a file, by column key; `provider` is a unit name to resolve.
pub fn new_resource(
    get: &dyn Fn(&str) -> String,
) -> Result<(NewResource, String), (String, String)> {
    let items = parse_items(&get("items")).map_err(|e| ("items".to_string(), e))?;
    let list = |k: &str| vec![get(k)];
    let code = Some(get("code")).filter(|c| !c.is_empty());
    Ok((
        NewResource {
            code,
            name: get("name"),
            summary: get("summary"),
            catalog_type: get("catalog_type"),
            classification: get("classification"),
            theme: get("theme"),
            provider_unit_id: None,
            format: get("format"),
            sharing_type: get("sharing_type"),
            sharing_conditions: get("sharing_conditions"),
            sharing_basis: get("sharing_basis"),
            share_method: get("share_method"),
            open_type: get("open_type"),
            open_conditions: get("open_conditions"),
            open_basis: get("open_basis"),
            update_cycle: get("update_cycle"),
            security_grade: get("security_grade"),
            publish_date: Some(get("publish_date")).filter(|d| !d.is_empty()),
            related_codes: list("related_codes"),
            keywords: list("keywords"),
            items,
        },
        get("provider"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_cell_parses_lines_and_semicolons() {
        let items = parse_items("xm|姓名|字符型|50|姓名\nsfzh|身份证号|字符型|18|身份证号|公民身份号码；csrq|出生日期|日期型").unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].description, "公民身份号码");
        assert_eq!(items[2].length, None);
        assert!(parse_items("xm|姓名").unwrap_err().contains("item 1"));
        assert!(parse_items("xm|姓名|字符型|五十")
            .unwrap_err()
            .contains("五十"));
    }

    #[test]
    fn every_column_has_a_distinct_header_and_key() {
        let mut h: Vec<_> = COLUMNS.iter().map(|c| c.header).collect();
        h.sort();
        h.dedup();
        assert_eq!(h.len(), COLUMNS.len());
        assert_eq!(header_of("items[2].name"), "信息项");
        assert_eq!(header_of("sharing_basis"), "不予共享依据");
    }
}
