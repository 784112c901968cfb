use std::collections::HashSet;

use super::*;
use crate::district::units;

fn all() -> impl Iterator<Item = (UnitKind, &'static DemoResource)> {
    UnitKind::ALL
        .into_iter()
        .flat_map(|kind| resources_for(kind).iter().map(move |r| (kind, r)))
}

/// Every resource once per unit that lists it.
fn per_unit() -> Vec<&'static DemoResource> {
    units()
        .iter()
        .flat_map(|u| resources_for(u.kind).iter())
        .collect()
}

fn is_snake_case(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !s.contains("__")
        && !s.ends_with('_')
}

#[test]
fn every_kind_used_by_the_district_has_8_to_25_resources() {
    for unit in units() {
        let n = resources_for(unit.kind).len();
        assert!(
            (8..=25).contains(&n),
            "{:?} ({}) has {n} resources",
            unit.kind,
            unit.name
        );
    }
    for kind in UnitKind::ALL {
        let n = resources_for(kind).len();
        assert!((8..=25).contains(&n), "{kind:?} has {n} resources");
    }
}

#[test]
fn names_are_unique_within_a_kind() {
    for kind in UnitKind::ALL {
        let mut seen = HashSet::new();
        for r in resources_for(kind) {
            assert!(seen.insert(r.name), "{kind:?}: {} listed twice", r.name);
        }
    }
}

#[test]
fn every_field_holds_a_known_value() {
    for (kind, r) in all() {
        let at = format!("{kind:?} / {}", r.name);
        assert!(
            !r.name.is_empty() && r.summary.chars().count() >= 15,
            "{at}: summary too short"
        );
        assert!(
            CATALOG_TYPES.contains(&r.catalog_type),
            "{at}: {}",
            r.catalog_type
        );
        assert!(THEMES.contains(&r.theme), "{at}: {}", r.theme);
        assert!(FORMATS.contains(&r.format), "{at}: {}", r.format);
        assert!(SHARING_TYPES.contains(&r.sharing), "{at}: {}", r.sharing);
        assert!(OPENING_TYPES.contains(&r.opening), "{at}: {}", r.opening);
        assert!(
            UPDATE_CYCLES.contains(&r.update_cycle),
            "{at}: {}",
            r.update_cycle
        );
        assert!(GRADES.contains(&r.grade), "{at}: {}", r.grade);
    }
}

#[test]
fn items_are_well_formed() {
    for (kind, r) in all() {
        let at = format!("{kind:?} / {}", r.name);
        assert!(
            (5..=15).contains(&r.items.len()),
            "{at}: {} items",
            r.items.len()
        );
        let mut names = HashSet::new();
        let mut labels = HashSet::new();
        for item in r.items {
            assert!(is_snake_case(item.name), "{at}: {}", item.name);
            assert!(names.insert(item.name), "{at}: column {} twice", item.name);
            assert!(
                labels.insert(item.label),
                "{at}: label {} twice",
                item.label
            );
            assert!(!item.label.is_empty(), "{at}: {}", item.name);
            assert!(
                DATA_TYPES.contains(&item.data_type),
                "{at}: {} {}",
                item.name,
                item.data_type
            );
            assert!(
                PII_KINDS.contains(&item.pii),
                "{at}: {} {}",
                item.name,
                item.pii
            );
            assert_eq!(
                item.data_type == "string",
                item.length.is_some(),
                "{at}: {} length",
                item.name
            );
            assert!(
                item.length.is_none_or(|n| (1..=4000).contains(&n)),
                "{at}: {}",
                item.name
            );
        }
    }
}

#[test]
fn pii_kinds_match_the_usual_columns() {
    for (kind, r) in all() {
        for item in r.items {
            let at = format!("{kind:?} / {} / {}", r.name, item.name);
            if item.label.contains("身份证") {
                assert_eq!(item.pii, "resident_id", "{at}");
            }
            if item.label.contains("手机") {
                assert_eq!(item.pii, "mobile", "{at}");
            }
            if item.label.contains("银行账号") || item.label.contains("银行卡号") {
                assert_eq!(item.pii, "bank_card", "{at}");
            }
            if item.pii == "resident_id" {
                assert!(
                    item.label.contains("身份") || item.label.contains("证件号码"),
                    "{at}"
                );
            }
        }
    }
}

#[test]
fn sharing_and_opening_conditions_are_consistent() {
    for (kind, r) in all() {
        let at = format!("{kind:?} / {}", r.name);
        assert_eq!(
            r.sharing == "有条件共享",
            !r.sharing_condition.is_empty(),
            "{at}: 共享条件"
        );
        assert_eq!(
            r.sharing == "不予共享",
            !r.sharing_basis.is_empty(),
            "{at}: 不予共享依据"
        );
        assert_eq!(
            r.opening == "有条件开放",
            !r.opening_condition.is_empty(),
            "{at}: 开放条件"
        );
        if r.sharing == "不予共享" {
            assert!(
                r.sharing_basis.starts_with('《'),
                "{at}: basis must cite a law"
            );
            assert_eq!(r.opening, "不予开放", "{at}: not shared, so not opened");
        }
        if r.grade == "核心" {
            assert_eq!(r.opening, "不予开放", "{at}: core data is never opened");
        }
    }
}

#[test]
fn personal_data_is_never_opened_without_conditions() {
    for (kind, r) in all() {
        let at = format!("{kind:?} / {}", r.name);
        if r.has_personal_data() {
            assert_ne!(r.opening, "无条件开放", "{at}");
        }
        let identifying = r
            .items
            .iter()
            .any(|i| matches!(i.pii, "resident_id" | "bank_card" | "mobile"));
        if identifying {
            assert_eq!(
                r.opening, "不予开放",
                "{at}: ID, mobile or bank numbers are never opened"
            );
        }
    }
}

#[test]
fn classification_codes_follow_the_scheme() {
    for (kind_index, kind) in UnitKind::ALL.into_iter().enumerate() {
        for (ordinal, r) in resources_for(kind).iter().enumerate() {
            let at = format!("{kind:?} / {} / {}", r.name, r.classification);
            let code = r.classification;
            assert!(
                code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
                "{at}"
            );
            let xiang: usize = code[1..3].parse().unwrap();
            let mu: usize = code[3..].parse().unwrap();
            assert_eq!(mu, ordinal + 1, "{at}: 目 is the position in the list");
            match r.catalog_type {
                "基础" => {
                    assert!(code.starts_with('1'), "{at}");
                    assert!((1..=BASE_CATEGORIES.len()).contains(&xiang), "{at}");
                }
                "主题" => {
                    assert!(code.starts_with('2'), "{at}");
                    assert_eq!(THEMES.get(xiang.wrapping_sub(1)), Some(&r.theme), "{at}");
                }
                _ => {
                    assert!(code.starts_with('3'), "{at}");
                    assert_eq!(xiang, kind_index + 1, "{at}");
                }
            }
        }
    }
}

#[test]
fn the_catalog_has_the_reference_shape() {
    let rows = per_unit();
    let total = rows.len();
    assert!(
        (1_500..=4_000).contains(&total),
        "{total} resources over all units"
    );
    let count = |f: &dyn Fn(&DemoResource) -> bool| rows.iter().filter(|r| f(r)).count();
    let open = count(&|r| r.is_open_candidate());
    assert!(
        open >= 250,
        "only {open} open candidates, the demo opens 151"
    );
    let not_shared = count(&|r| r.sharing == "不予共享") * 100 / total;
    let conditional = count(&|r| r.sharing == "有条件共享") * 100 / total;
    assert!((3..=8).contains(&not_shared), "不予共享 {not_shared} %");
    assert!(
        (18..=35).contains(&conditional),
        "有条件共享 {conditional} %"
    );
    let distinct_open = all().filter(|(_, r)| r.is_open_candidate()).count();
    assert!(
        distinct_open >= 151,
        "{distinct_open} distinct open candidates"
    );
}

#[test]
fn has_personal_data_looks_at_items() {
    let hukou = resources_for(UnitKind::PublicSecurity)
        .iter()
        .find(|r| r.name == "户籍人口信息");
    assert!(hukou.is_some_and(DemoResource::has_personal_data));
    let stats = resources_for(UnitKind::Statistics);
    assert!(stats
        .iter()
        .any(|r| !r.has_personal_data() && r.opening == "无条件开放"));
}
