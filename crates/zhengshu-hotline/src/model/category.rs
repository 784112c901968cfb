//! 诉求分类: the dispatch catalog's categories. They are also the Open311 services.

use serde::Serialize;

use super::AppealType;

/// One category of appeal (诉求分类), with the units that usually lead it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Category {
    /// Stable code, the Open311 `service_code`.
    pub code: &'static str,
    pub name: &'static str,
    pub name_en: &'static str,
    /// Open311 `group`.
    pub group: &'static str,
    /// Substrings of the names of the units that usually lead this category, best first;
    /// empty means the street office (街道办事处) of the order's street.
    pub unit_hints: &'static [&'static str],
    /// The appeal type most orders of this category have.
    pub typical_appeal: AppealType,
    /// Words that route an order here by rule (the dispatch catalog's rules).
    pub keywords: &'static [&'static str],
}

macro_rules! cat {
    ($code:literal, $name:literal, $en:literal, $group:literal, [$($hint:literal),*], $appeal:ident, [$($kw:literal),*]) => {
        Category {
            code: $code,
            name: $name,
            name_en: $en,
            group: $group,
            unit_hints: &[$($hint),*],
            typical_appeal: AppealType::$appeal,
            keywords: &[$($kw),*],
        }
    };
}

/// The catalog, in display order.
pub const CATEGORIES: &[Category] = &[
    cat!(
        "CS01",
        "噪音扰民",
        "Noise nuisance",
        "城市管理",
        ["城市管理", "生态环境"],
        Complaint,
        ["广场舞", "噪音扰民"]
    ),
    cat!(
        "CS02",
        "占道经营",
        "Street vending",
        "城市管理",
        ["城市管理"],
        Complaint,
        ["占道经营", "摆摊"]
    ),
    cat!(
        "CS03",
        "垃圾清运",
        "Rubbish collection",
        "城市管理",
        ["城市管理"],
        Help,
        ["垃圾清运", "垃圾桶满"]
    ),
    cat!(
        "CS04",
        "违章搭建",
        "Illegal construction",
        "城市管理",
        ["城市管理", "规划"],
        Complaint,
        ["违章搭建", "违建"]
    ),
    cat!(
        "CS05",
        "路灯不亮",
        "Street lights out",
        "城市管理",
        ["城市管理"],
        Help,
        ["路灯不亮", "路灯坏"]
    ),
    cat!(
        "JT01",
        "道路破损",
        "Damaged roads",
        "交通出行",
        ["交通运输", "城市管理"],
        Help,
        ["路面坑洼", "井盖缺失"]
    ),
    cat!(
        "JT02",
        "违章停车",
        "Illegal parking",
        "交通出行",
        ["公安", "交通"],
        Complaint,
        ["乱停车", "违停"]
    ),
    cat!(
        "JT03",
        "交通拥堵",
        "Traffic congestion",
        "交通出行",
        ["交通运输", "公安"],
        Suggestion,
        ["红绿灯时长"]
    ),
    cat!(
        "JT04",
        "公交线路建议",
        "Bus routes",
        "交通出行",
        ["交通运输"],
        Suggestion,
        ["公交线路", "公交站"]
    ),
    cat!(
        "ZJ01",
        "房屋漏水",
        "Leaking homes",
        "住房建设",
        ["住房和建设", "住房"],
        Help,
        ["楼顶漏水", "卫生间漏水", "渗水"]
    ),
    cat!(
        "ZJ02",
        "物业纠纷",
        "Property management disputes",
        "住房建设",
        ["住房和建设", "住房"],
        Complaint,
        ["物业费", "物业公司"]
    ),
    cat!(
        "ZJ03",
        "施工扰民",
        "Construction nuisance",
        "住房建设",
        ["住房和建设", "住房"],
        Complaint,
        ["夜间施工", "工地"]
    ),
    cat!(
        "RS01",
        "欠薪",
        "Unpaid wages",
        "就业社保",
        ["人力资源"],
        Help,
        ["拖欠工资", "欠薪"]
    ),
    cat!(
        "RS02",
        "社保咨询",
        "Social insurance",
        "就业社保",
        ["人力资源", "社会保障"],
        Consultation,
        ["社保转移", "养老保险"]
    ),
    cat!(
        "GA01",
        "户籍咨询",
        "Household registration",
        "公安户政",
        ["公安"],
        Consultation,
        ["入户", "户口迁移"]
    ),
    cat!(
        "JY01",
        "教育入学",
        "School enrolment",
        "教育",
        ["教育"],
        Consultation,
        ["学位申请", "积分入学"]
    ),
    cat!(
        "WJ01",
        "医疗投诉",
        "Medical complaints",
        "卫生健康",
        ["卫生健康", "卫生"],
        Complaint,
        ["医疗纠纷", "医生态度"]
    ),
    cat!(
        "SC01",
        "食品安全",
        "Food safety",
        "市场监管",
        ["市场监督", "市场"],
        Complaint,
        ["食品安全", "过期食品"]
    ),
    cat!(
        "SC02",
        "消费投诉",
        "Consumer complaints",
        "市场监管",
        ["市场监督", "市场"],
        Complaint,
        ["退款", "预付卡"]
    ),
    cat!(
        "HB01",
        "环境污染",
        "Pollution",
        "生态环境",
        ["生态环境", "环境"],
        Complaint,
        ["排污", "异味"]
    ),
    cat!(
        "SW01",
        "供水问题",
        "Water supply",
        "水务",
        ["水务"],
        Help,
        ["停水", "水压低"]
    ),
    cat!(
        "MZ01",
        "社会救助",
        "Social assistance",
        "民政",
        ["民政"],
        Help,
        ["低保", "临时救助"]
    ),
    cat!(
        "YB01",
        "医保咨询",
        "Medical insurance",
        "医疗保障",
        ["医疗保障", "医保"],
        Consultation,
        ["医保报销", "医保卡"]
    ),
    cat!("QT01", "其他", "Other", "其他", [], Consultation, []),
];

/// The category with this code.
pub fn category(code: &str) -> Option<&'static Category> {
    let code = code.trim();
    CATEGORIES
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code))
}
