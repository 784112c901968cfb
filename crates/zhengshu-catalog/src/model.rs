//! 数据资源: a catalog entry, its data items (信息项), and the rules every entry obeys.

mod validate;
mod vocab;

pub use validate::{is_valid_classification, ValidDataItem, ValidResource};
pub use vocab::{
    Action, CatalogType, DataType, OpenType, ResourceFormat, SecurityGrade, ShareMethod,
    SharingType, Status, UpdateCycle,
};

use serde::{Deserialize, Serialize};
use zhengshu_core::PiiKind;

/// A data resource (数据资源) as stored: metadata after GB/T 21063 plus its lifecycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Resource {
    pub id: i64,
    /// 资源代码: `{classification}-{unit id, 4 digits}-{sequence, 4 digits}`, unique.
    pub code: String,
    /// 资源名称.
    pub name: String,
    /// 资源摘要.
    pub summary: String,
    pub catalog_type: CatalogType,
    /// 资源分类代码: 类 (1 digit) + 项 (2) + 目 (3), optionally 细目 (3 more).
    pub classification: String,
    /// 主题 (e.g. 社会保障), free text.
    pub theme: String,
    /// 资源提供方.
    pub provider_unit_id: i64,
    pub provider_name: String,
    pub format: ResourceFormat,
    pub sharing_type: SharingType,
    /// 共享条件 (required for 有条件共享).
    pub sharing_conditions: String,
    /// 不予共享依据 (required for 不予共享).
    pub sharing_basis: String,
    pub share_method: ShareMethod,
    pub open_type: OpenType,
    /// 开放条件 (required for 有条件开放).
    pub open_conditions: String,
    /// 不予开放依据 (required for 不予开放).
    pub open_basis: String,
    pub update_cycle: UpdateCycle,
    pub security_grade: SecurityGrade,
    /// 发布日期 YYYY-MM-DD; set on approval when not given.
    pub publish_date: Option<String>,
    /// 关联资源代码.
    pub related_codes: Vec<String>,
    pub keywords: Vec<String>,
    pub status: Status,
    /// The reviewer's last comment (approve or return).
    pub review_comment: String,
    /// Counts the recorded versions.
    pub version: i64,
    pub created_by: Option<i64>,
    pub submitted_by: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub published_at: Option<String>,
    /// 信息项, in order.
    pub items: Vec<DataItem>,
}

impl Resource {
    /// The first three digits of the classification (类 + 项), the classification facet.
    pub fn class_item(&self) -> &str {
        self.classification.get(..3).unwrap_or(&self.classification)
    }

    /// The summary cut to about 80 characters, for result lists.
    pub fn summary_short(&self) -> String {
        let mut s: String = self.summary.chars().take(80).collect();
        if self.summary.chars().count() > 80 {
            s.push('…');
        }
        s
    }
}

/// 信息项: one field of a data resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DataItem {
    /// Field name: letters, digits and `_`, starting with a letter.
    pub name: String,
    /// 中文名称.
    pub label: String,
    pub data_type: DataType,
    pub length: Option<i64>,
    pub description: String,
    /// 敏感类别: drives masking when the data is shared or opened.
    #[schema(value_type = String, example = "resident_id")]
    pub pii_kind: PiiKind,
}

/// A resource as entered in the form, the API or a spreadsheet row: every vocabulary
/// value is a string (its code or its Chinese label) so that [`NewResource::validate`]
/// can say exactly which field is wrong.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewResource {
    /// A code to keep (imports, demo); blank = generated from classification, unit and sequence.
    pub code: Option<String>,
    pub name: String,
    pub summary: String,
    /// 基础/主题/部门 (or basic/thematic/department); blank = from the classification's first digit.
    pub catalog_type: String,
    /// e.g. `101001`.
    pub classification: String,
    pub theme: String,
    /// Blank = the caller's own unit.
    pub provider_unit_id: Option<i64>,
    /// 电子文件/电子表格/数据库/图形图像/流媒体/自描述格式/服务接口.
    pub format: String,
    /// 无条件共享/有条件共享/不予共享.
    pub sharing_type: String,
    pub sharing_conditions: String,
    pub sharing_basis: String,
    /// 接口/文件/库表; blank = 接口.
    pub share_method: String,
    /// 无条件开放/有条件开放/不予开放.
    pub open_type: String,
    pub open_conditions: String,
    pub open_basis: String,
    /// 实时/每日/每周/每月/每季度/每半年/每年/其他.
    pub update_cycle: String,
    /// 核心/重要/一般.
    pub security_grade: String,
    /// YYYY-MM-DD.
    pub publish_date: Option<String>,
    pub related_codes: Vec<String>,
    pub keywords: Vec<String>,
    pub items: Vec<NewDataItem>,
}

/// A data item as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewDataItem {
    pub name: String,
    pub label: String,
    /// 字符型/整数型/数值型/日期型/日期时间型/布尔型/二进制 (or string/integer/…).
    pub data_type: String,
    pub length: Option<i64>,
    pub description: String,
    /// none/name/resident_id/mobile/address/bank_card/email/other or 无/姓名/身份证号/….
    pub pii_kind: String,
}

impl From<&Resource> for NewResource {
    /// The form values of a stored resource (for editing).
    fn from(r: &Resource) -> Self {
        NewResource {
            code: Some(r.code.clone()),
            name: r.name.clone(),
            summary: r.summary.clone(),
            catalog_type: r.catalog_type.as_str().into(),
            classification: r.classification.clone(),
            theme: r.theme.clone(),
            provider_unit_id: Some(r.provider_unit_id),
            format: r.format.as_str().into(),
            sharing_type: r.sharing_type.as_str().into(),
            sharing_conditions: r.sharing_conditions.clone(),
            sharing_basis: r.sharing_basis.clone(),
            share_method: r.share_method.as_str().into(),
            open_type: r.open_type.as_str().into(),
            open_conditions: r.open_conditions.clone(),
            open_basis: r.open_basis.clone(),
            update_cycle: r.update_cycle.as_str().into(),
            security_grade: r.security_grade.as_str().into(),
            publish_date: r.publish_date.clone(),
            related_codes: r.related_codes.clone(),
            keywords: r.keywords.clone(),
            items: r
                .items
                .iter()
                .map(|i| NewDataItem {
                    name: i.name.clone(),
                    label: i.label.clone(),
                    data_type: i.data_type.as_str().into(),
                    length: i.length,
                    description: i.description.clone(),
                    pii_kind: i.pii_kind.as_str().into(),
                })
                .collect(),
        }
    }
}
