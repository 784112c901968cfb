//! 目录内容: plausible data resources (数据资源) and their data items (信息项) per unit
//! kind, from which the demo builds a catalog of the reference district's shape.
//!
//! Plain data, no database code. Every unit of a kind lists the same resources; the seeder
//! prefixes names with the unit where the same name would appear twice.
//!
//! Classification codes (资源分类, 类 1 digit + 项 2 + 目 3) follow one scheme:
//! - 类 `1` 基础, 项 `01` 人口, `02` 法人, `03` 自然资源和空间地理, `04` 社会信用, `05` 电子证照;
//! - 类 `2` 主题, 项 = the position of the theme in [`THEMES`] (`01` 公共服务 … `12` 农业农村);
//! - 类 `3` 部门, 项 = the position of the unit kind in [`UnitKind::ALL`] (`01` …);
//! - 目 = the resource's position in its kind's list (`001` …), so codes are unique per kind.

use crate::district::UnitKind;

/// Builds `&[DemoItem]` / `&[DemoResource]` from a compact notation (kept out of rustfmt's
/// reach so that one data item stays one line):
///
/// ```text
/// "资源名称" {
///     "资源摘要"
///     "分类代码" "目录类型" "主题" "格式" "更新周期" "分级"
///     "共享类型" 共享条件 共享依据
///     "开放类型" 开放条件
///     column_name "中文名" string(64) name "说明";   // length and 说明 are optional
/// }
/// ```
///
/// Conditions and bases are a string literal or one of the constants in `basis`.
macro_rules! resources {
    ($(
        $name:literal {
            $summary:literal
            $class:literal $ctype:literal $theme:literal $format:literal $cycle:literal $grade:literal
            $sharing:literal $scond:tt $sbasis:tt
            $opening:literal $ocond:tt
            $( $iname:ident $ilabel:literal $ity:ident $( ( $ilen:literal ) )? $ipii:ident $( $idesc:literal )? ; )+
        }
    )+) => {
        &[$(
            DemoResource {
                name: $name,
                summary: $summary,
                classification: $class,
                catalog_type: $ctype,
                theme: $theme,
                format: $format,
                sharing: $sharing,
                sharing_condition: $scond,
                sharing_basis: $sbasis,
                opening: $opening,
                opening_condition: $ocond,
                update_cycle: $cycle,
                grade: $grade,
                items: &[$(
                    DemoItem {
                        name: stringify!($iname),
                        label: $ilabel,
                        data_type: stringify!($ity),
                        length: item_length!($($ilen)?),
                        pii: stringify!($ipii),
                        description: item_description!($($idesc)?),
                    },
                )+],
            },
        )+]
    };
}

macro_rules! item_length {
    () => {
        None
    };
    ($len:literal) => {
        Some($len)
    };
}

macro_rules! item_description {
    () => {
        ""
    };
    ($desc:literal) => {
        $desc
    };
}

mod basis;
mod civil_affairs;
mod courts;
mod credit;
mod culture_sports;
mod data_bureau;
mod economy;
mod education;
mod emergency;
mod environment;
mod finance;
mod health;
mod hospital;
mod housing_construction;
mod housing_fund;
mod human_resources;
mod justice;
mod market_regulation;
mod medical_insurance;
mod other;
mod party_mass_orgs;
mod petitions;
mod planning_land;
mod public_security;
mod statistics;
mod street_office;
mod tax;
mod traffic_police;
mod transport;
mod urban_management;
mod utilities;
mod veteran_affairs;
mod water;

#[cfg(test)]
mod tests;

/// 目录类型: the catalog types of GB/T 21063 (基础 / 主题 / 部门).
pub const CATALOG_TYPES: [&str; 3] = ["基础", "主题", "部门"];

/// 主题: the themes used in this content; their position (1-based) is the 项 of a 主题 code.
pub const THEMES: [&str; 12] = [
    "公共服务",
    "社会保障",
    "生态环保",
    "城市建设",
    "经济发展",
    "教育文化",
    "医疗卫生",
    "交通出行",
    "公共安全",
    "政务管理",
    "信用服务",
    "农业农村",
];

/// 基础目录的项: the five base registries; their position (1-based) is the 项 of a 基础 code.
pub const BASE_CATEGORIES: [&str; 5] =
    ["人口", "法人", "自然资源和空间地理", "社会信用", "电子证照"];

/// 资源格式.
pub const FORMATS: [&str; 7] = [
    "电子文件",
    "电子表格",
    "数据库",
    "图形图像",
    "流媒体",
    "自描述格式",
    "服务接口",
];

/// 共享类型.
pub const SHARING_TYPES: [&str; 3] = ["无条件共享", "有条件共享", "不予共享"];

/// 开放类型.
pub const OPENING_TYPES: [&str; 3] = ["无条件开放", "有条件开放", "不予开放"];

/// 更新周期.
pub const UPDATE_CYCLES: [&str; 8] = [
    "实时",
    "每日",
    "每周",
    "每月",
    "每季度",
    "每半年",
    "每年",
    "其他",
];

/// 数据分级 (GB/T 43697-2024).
pub const GRADES: [&str; 3] = ["核心", "重要", "一般"];

/// Data types of a data item.
pub const DATA_TYPES: [&str; 6] = ["string", "integer", "number", "date", "datetime", "boolean"];

/// PII kinds of a data item (the codes of `zhengshu_core::mask::PiiKind`).
pub const PII_KINDS: [&str; 8] = [
    "none",
    "name",
    "resident_id",
    "mobile",
    "address",
    "bank_card",
    "email",
    "other",
];

/// 信息项: one data item (column) of a data resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoItem {
    /// Column name, snake_case ASCII, unique within its resource.
    pub name: &'static str,
    /// 中文名称.
    pub label: &'static str,
    /// One of [`DATA_TYPES`].
    pub data_type: &'static str,
    /// 长度, given for strings.
    pub length: Option<u32>,
    /// One of [`PII_KINDS`]: `none` unless the item holds a natural person's data.
    pub pii: &'static str,
    /// 说明, may be empty.
    pub description: &'static str,
}

/// 数据资源: one catalog entry's content, without provider, code or dates (the seeder
/// adds those).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoResource {
    /// 资源名称, unique within its kind.
    pub name: &'static str,
    /// 资源摘要.
    pub summary: &'static str,
    /// 资源分类 code, 6 digits (see the module doc).
    pub classification: &'static str,
    /// One of [`CATALOG_TYPES`].
    pub catalog_type: &'static str,
    /// One of [`THEMES`].
    pub theme: &'static str,
    /// One of [`FORMATS`].
    pub format: &'static str,
    /// One of [`SHARING_TYPES`].
    pub sharing: &'static str,
    /// 共享条件: non-empty exactly when [`Self::sharing`] is 有条件共享.
    pub sharing_condition: &'static str,
    /// 不予共享依据: non-empty exactly when [`Self::sharing`] is 不予共享.
    pub sharing_basis: &'static str,
    /// One of [`OPENING_TYPES`].
    pub opening: &'static str,
    /// 开放条件: non-empty exactly when [`Self::opening`] is 有条件开放.
    pub opening_condition: &'static str,
    /// One of [`UPDATE_CYCLES`].
    pub update_cycle: &'static str,
    /// One of [`GRADES`].
    pub grade: &'static str,
    /// 信息项, 5 to 15.
    pub items: &'static [DemoItem],
}

impl DemoResource {
    /// Whether any data item holds a natural person's data (PII kind other than `none`).
    pub fn has_personal_data(&self) -> bool {
        self.items.iter().any(|item| item.pii != "none")
    }

    /// Whether the resource may be published on the open-data portal (无条件开放 or
    /// 有条件开放): the pool the demo picks its open resources from.
    pub fn is_open_candidate(&self) -> bool {
        self.opening != "不予开放"
    }
}

/// The data resources every unit of `kind` provides: 8 to 25 per kind, names unique within
/// the kind.
pub fn resources_for(kind: UnitKind) -> &'static [DemoResource] {
    match kind {
        UnitKind::MarketRegulation => market_regulation::RESOURCES,
        UnitKind::PublicSecurity => public_security::RESOURCES,
        UnitKind::TrafficPolice => traffic_police::RESOURCES,
        UnitKind::Education => education::RESOURCES,
        UnitKind::Health => health::RESOURCES,
        UnitKind::Hospital => hospital::RESOURCES,
        UnitKind::HumanResources => human_resources::RESOURCES,
        UnitKind::CivilAffairs => civil_affairs::RESOURCES,
        UnitKind::HousingConstruction => housing_construction::RESOURCES,
        UnitKind::HousingFund => housing_fund::RESOURCES,
        UnitKind::Transport => transport::RESOURCES,
        UnitKind::UrbanManagement => urban_management::RESOURCES,
        UnitKind::Environment => environment::RESOURCES,
        UnitKind::PlanningLand => planning_land::RESOURCES,
        UnitKind::Water => water::RESOURCES,
        UnitKind::Emergency => emergency::RESOURCES,
        UnitKind::Finance => finance::RESOURCES,
        UnitKind::Tax => tax::RESOURCES,
        UnitKind::Statistics => statistics::RESOURCES,
        UnitKind::CultureSports => culture_sports::RESOURCES,
        UnitKind::VeteranAffairs => veteran_affairs::RESOURCES,
        UnitKind::MedicalInsurance => medical_insurance::RESOURCES,
        UnitKind::Justice => justice::RESOURCES,
        UnitKind::Courts => courts::RESOURCES,
        UnitKind::Petitions => petitions::RESOURCES,
        UnitKind::DataBureau => data_bureau::RESOURCES,
        UnitKind::Credit => credit::RESOURCES,
        UnitKind::Utilities => utilities::RESOURCES,
        UnitKind::PartyMassOrgs => party_mass_orgs::RESOURCES,
        UnitKind::Economy => economy::RESOURCES,
        UnitKind::StreetOffice => street_office::RESOURCES,
        UnitKind::Other => other::RESOURCES,
    }
}
