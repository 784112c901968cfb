//! 参考区: the reference district the demo builds — a Shenzhen-like 深圳市龙岗区 with
//! 71 municipal units (city bureaus and their 龙岗 branches), 69 district units and
//! 11 street offices (街道办事处), and a few communities (社区) per street.
//!
//! Plain data, no database code: the seeder turns these into rows.
//!
//! Parent convention: a unit's `parent` names the unit it reports to *when that unit is
//! itself in the list* (a city bureau for its 龙岗 branch, a district bureau for its
//! centres, hospitals and offices). Top-level bureaus and the 11 street offices have no
//! parent: 龙岗区人民政府, which the street offices report to, is not a unit here.

mod table;

/// 区名: the district's name.
pub const DISTRICT: &str = "龙岗区";

/// 市名: the city the district belongs to.
pub const CITY: &str = "深圳市";

/// 街道: the district's 11 streets.
pub const STREETS: [&str; 11] = [
    "平湖街道",
    "坂田街道",
    "布吉街道",
    "南湾街道",
    "横岗街道",
    "龙城街道",
    "龙岗街道",
    "坪地街道",
    "园山街道",
    "宝龙街道",
    "吉华街道",
];

/// 单位类别: a coarse functional category of a unit, used to pick the data resources
/// (数据资源) the demo catalog lists for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitKind {
    /// 市场监管
    MarketRegulation,
    /// 公安
    PublicSecurity,
    /// 公安交警
    TrafficPolice,
    /// 教育
    Education,
    /// 卫生健康 (bureaus, disease control, health inspection)
    Health,
    /// 医院 (public hospitals)
    Hospital,
    /// 人力资源和社会保障
    HumanResources,
    /// 民政、残联
    CivilAffairs,
    /// 住房和建设
    HousingConstruction,
    /// 住房公积金
    HousingFund,
    /// 交通运输
    Transport,
    /// 城市管理和综合执法
    UrbanManagement,
    /// 生态环境
    Environment,
    /// 规划和自然资源、不动产登记、城市更新
    PlanningLand,
    /// 水务
    Water,
    /// 应急管理、消防、气象
    Emergency,
    /// 财政、审计、金融、公共资源交易
    Finance,
    /// 税务
    Tax,
    /// 统计
    Statistics,
    /// 文化广电旅游体育
    CultureSports,
    /// 退役军人事务
    VeteranAffairs,
    /// 医疗保障
    MedicalInsurance,
    /// 司法行政 (司法局、公证、法律援助)
    Justice,
    /// 法院、检察院
    Courts,
    /// 信访
    Petitions,
    /// 政务服务数据管理
    DataBureau,
    /// 公共信用
    Credit,
    /// 公用事业 (power, water supply, gas)
    Utilities,
    /// 群团组织 (工会、共青团、妇联、科协、工商联、红十字会)
    PartyMassOrgs,
    /// 经济、科技、工业、商务、国资
    Economy,
    /// 街道办事处
    StreetOffice,
    /// 其他 (general offices, archives, foreign affairs, ports)
    Other,
}

impl UnitKind {
    /// Every kind, in declaration order.
    pub const ALL: [UnitKind; 32] = [
        UnitKind::MarketRegulation,
        UnitKind::PublicSecurity,
        UnitKind::TrafficPolice,
        UnitKind::Education,
        UnitKind::Health,
        UnitKind::Hospital,
        UnitKind::HumanResources,
        UnitKind::CivilAffairs,
        UnitKind::HousingConstruction,
        UnitKind::HousingFund,
        UnitKind::Transport,
        UnitKind::UrbanManagement,
        UnitKind::Environment,
        UnitKind::PlanningLand,
        UnitKind::Water,
        UnitKind::Emergency,
        UnitKind::Finance,
        UnitKind::Tax,
        UnitKind::Statistics,
        UnitKind::CultureSports,
        UnitKind::VeteranAffairs,
        UnitKind::MedicalInsurance,
        UnitKind::Justice,
        UnitKind::Courts,
        UnitKind::Petitions,
        UnitKind::DataBureau,
        UnitKind::Credit,
        UnitKind::Utilities,
        UnitKind::PartyMassOrgs,
        UnitKind::Economy,
        UnitKind::StreetOffice,
        UnitKind::Other,
    ];

    /// 中文名 of the category.
    pub fn label_zh(self) -> &'static str {
        match self {
            UnitKind::MarketRegulation => "市场监管",
            UnitKind::PublicSecurity => "公安",
            UnitKind::TrafficPolice => "公安交警",
            UnitKind::Education => "教育",
            UnitKind::Health => "卫生健康",
            UnitKind::Hospital => "医院",
            UnitKind::HumanResources => "人力资源和社会保障",
            UnitKind::CivilAffairs => "民政",
            UnitKind::HousingConstruction => "住房和建设",
            UnitKind::HousingFund => "住房公积金",
            UnitKind::Transport => "交通运输",
            UnitKind::UrbanManagement => "城市管理",
            UnitKind::Environment => "生态环境",
            UnitKind::PlanningLand => "规划和自然资源",
            UnitKind::Water => "水务",
            UnitKind::Emergency => "应急管理",
            UnitKind::Finance => "财政金融",
            UnitKind::Tax => "税务",
            UnitKind::Statistics => "统计",
            UnitKind::CultureSports => "文化广电旅游体育",
            UnitKind::VeteranAffairs => "退役军人事务",
            UnitKind::MedicalInsurance => "医疗保障",
            UnitKind::Justice => "司法行政",
            UnitKind::Courts => "法院检察院",
            UnitKind::Petitions => "信访",
            UnitKind::DataBureau => "政务服务数据管理",
            UnitKind::Credit => "公共信用",
            UnitKind::Utilities => "公用事业",
            UnitKind::PartyMassOrgs => "群团组织",
            UnitKind::Economy => "经济发展",
            UnitKind::StreetOffice => "街道办事处",
            UnitKind::Other => "其他",
        }
    }
}

/// 单位: one government unit of the reference district.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoUnit {
    /// 全称, e.g. `深圳市公安局龙岗分局`.
    pub name: &'static str,
    /// 简称, e.g. `市公安局龙岗分局`; unique like the full name.
    pub short_name: &'static str,
    /// `municipal`, `district` or `street` (the codes of `zhengshu_auth::units::UnitLevel`).
    pub level: &'static str,
    /// Full name of the parent unit, which is itself in [`units()`]; see the module doc.
    pub parent: Option<&'static str>,
    /// Functional category, which picks the unit's catalog content.
    pub kind: UnitKind,
}

/// Every unit of the reference district: 71 municipal, then 69 district, then 11 street
/// units, each parent listed before its children.
pub fn units() -> Vec<DemoUnit> {
    let levels = [
        ("municipal", table::MUNICIPAL),
        ("district", table::DISTRICT_UNITS),
        ("street", table::STREET_OFFICES),
    ];
    levels
        .into_iter()
        .flat_map(|(level, rows)| {
            rows.iter()
                .map(move |&(name, short_name, parent, kind)| DemoUnit {
                    name,
                    short_name,
                    level,
                    parent: (!parent.is_empty()).then_some(parent),
                    kind,
                })
        })
        .collect()
}

/// The full name of the street office (街道办事处) of `street` (`平湖街道` or `平湖`), if
/// it is one of [`STREETS`].
pub fn street_office(street: &str) -> Option<&'static str> {
    let index = street_index(street)?;
    table::STREET_OFFICES.get(index).map(|row| row.0)
}

/// 社区: the communities of `street` (`平湖街道` or `平湖`), 5 or 6 per street; empty for a
/// name that is not one of [`STREETS`]. Community names are unique across the district.
pub fn communities(street: &str) -> Vec<&'static str> {
    street_index(street)
        .and_then(|index| table::COMMUNITIES.get(index))
        .map(|list| list.to_vec())
        .unwrap_or_default()
}

fn street_index(street: &str) -> Option<usize> {
    let street = street.trim();
    STREETS
        .iter()
        .position(|s| *s == street || s.trim_end_matches("街道") == street)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn count(level: &str) -> usize {
        units().iter().filter(|u| u.level == level).count()
    }

    #[test]
    fn the_district_has_the_reference_shape() {
        assert_eq!(count("municipal"), 71);
        assert_eq!(count("district"), 69);
        assert_eq!(count("street"), 11);
        assert_eq!(units().len(), 151);
    }

    #[test]
    fn names_and_short_names_are_unique() {
        let all = units();
        let names: HashSet<_> = all.iter().map(|u| u.name).collect();
        let shorts: HashSet<_> = all.iter().map(|u| u.short_name).collect();
        assert_eq!(names.len(), all.len(), "duplicate full name");
        assert_eq!(shorts.len(), all.len(), "duplicate short name");
        for u in &all {
            assert!(
                !u.name.trim().is_empty() && u.name.trim() == u.name,
                "{u:?}"
            );
            assert!(!u.short_name.trim().is_empty(), "{u:?}");
        }
    }

    #[test]
    fn every_parent_exists_earlier_and_within_reach() {
        let all = units();
        for (i, u) in all.iter().enumerate() {
            let Some(parent) = u.parent else { continue };
            let pos = all.iter().position(|p| p.name == parent);
            let pos = pos.unwrap_or_else(|| panic!("{}: parent {parent} is not a unit", u.name));
            assert!(pos < i, "{}: parent {parent} must come first", u.name);
            assert_ne!(
                all[pos].level, "street",
                "{}: a street office is no parent",
                u.name
            );
        }
    }

    #[test]
    fn named_units_the_demo_relies_on_are_present() {
        let all = units();
        let has = |name: &str, level: &str| all.iter().any(|u| u.name == name && u.level == level);
        assert!(has("龙岗区政务服务数据管理局", "district"));
        assert!(has("深圳市政务服务数据管理局", "municipal"));
        assert!(has("深圳市公安局龙岗分局", "municipal"));
        assert!(has("国家税务总局深圳市龙岗区税务局", "municipal"));
        assert!(has("龙岗区人民法院", "district"));
    }

    #[test]
    fn street_offices_match_streets_and_have_no_parent() {
        let streets: Vec<_> = units()
            .into_iter()
            .filter(|u| u.level == "street")
            .collect();
        for (unit, street) in streets.iter().zip(STREETS) {
            assert_eq!(unit.short_name, street);
            assert!(unit.name.starts_with(street) && unit.name.ends_with("办事处"));
            assert_eq!(unit.kind, UnitKind::StreetOffice);
            assert_eq!(unit.parent, None);
            assert_eq!(street_office(street), Some(unit.name));
        }
        assert_eq!(street_office("平湖"), Some("平湖街道办事处"));
        assert_eq!(street_office("福田街道"), None);
        assert!(units()
            .iter()
            .filter(|u| u.level != "street")
            .all(|u| u.kind != UnitKind::StreetOffice));
    }

    #[test]
    fn every_street_has_three_to_six_unique_communities() {
        let mut seen = HashSet::new();
        for street in STREETS {
            let list = communities(street);
            assert!((3..=6).contains(&list.len()), "{street}: {}", list.len());
            for c in list {
                assert!(c.ends_with("社区"), "{c}");
                assert!(seen.insert(c), "community {c} listed twice");
            }
        }
        assert_eq!(communities("坂田"), communities("坂田街道"));
        assert!(communities("南山街道").is_empty());
    }

    #[test]
    fn kind_labels_are_distinct_and_all_is_complete() {
        let labels: HashSet<_> = UnitKind::ALL.iter().map(|k| k.label_zh()).collect();
        assert_eq!(labels.len(), UnitKind::ALL.len());
        let kinds: HashSet<_> = UnitKind::ALL.iter().collect();
        assert_eq!(kinds.len(), UnitKind::ALL.len());
    }
}
