//! The demo catalog: every unit's resources from `catalog_content`, published directly,
//! with exactly 151 opened to the public (the reference district's figure).

use std::collections::{HashMap, HashSet};

use zhengshu_catalog::{CatalogState, NewDataItem, NewResource};
use zhengshu_db::Db;

use crate::catalog_content::{resources_for, DemoResource};
use crate::district::{self, UnitKind};

/// How many resources the reference district opens.
pub const OPEN_RESOURCES: usize = 151;

/// One planned resource: which unit provides which content, and whether it is opened.
struct Planned {
    unit_id: i64,
    unit_short: &'static str,
    kind_has_many_units: bool,
    content: &'static DemoResource,
    open: bool,
}

/// Chooses exactly `OPEN_RESOURCES` open resources, spread over the units round-robin,
/// each with a distinct name.
fn plan(units: &[(i64, &'static str, UnitKind)]) -> Vec<Planned> {
    let mut per_kind: HashMap<UnitKind, usize> = HashMap::new();
    for (_, _, k) in units {
        *per_kind.entry(*k).or_default() += 1;
    }
    let mut planned: Vec<Planned> = Vec::new();
    for (id, short, kind) in units {
        for content in resources_for(*kind) {
            planned.push(Planned {
                unit_id: *id,
                unit_short: short,
                kind_has_many_units: per_kind[kind] > 1,
                content,
                open: false,
            });
        }
    }
    // Round-robin over units: the i-th candidate of every unit before the (i+1)-th.
    let mut rank: Vec<(usize, usize)> = Vec::new();
    let mut seen_per_unit: HashMap<i64, usize> = HashMap::new();
    for (i, p) in planned.iter().enumerate() {
        if p.content.is_open_candidate() && !p.content.has_personal_data() {
            let r = seen_per_unit.entry(p.unit_id).or_default();
            rank.push((*r, i));
            *r += 1;
        }
    }
    rank.sort();
    let mut names: HashSet<String> = HashSet::new();
    let mut opened = 0;
    for (_, i) in rank {
        if opened == OPEN_RESOURCES {
            break;
        }
        let name = display_name(&planned[i]);
        if names.insert(name) {
            planned[i].open = true;
            opened += 1;
        }
    }
    planned
}

fn display_name(p: &Planned) -> String {
    if p.kind_has_many_units {
        format!("{}{}", p.unit_short, p.content.name)
    } else {
        p.content.name.to_string()
    }
}

fn to_new(p: &Planned, seq: usize) -> NewResource {
    let c = p.content;
    let (open_type, open_conditions) = if p.open {
        (c.opening.to_string(), c.opening_condition.to_string())
    } else {
        ("不予开放".to_string(), String::new())
    };
    // Publish dates spread over 2019–2021, the years the reference platform was built.
    let day = seq % 1000;
    let date = chrono_like_date(2019, day);
    NewResource {
        code: None,
        name: display_name(p),
        summary: c.summary.to_string(),
        catalog_type: c.catalog_type.to_string(),
        classification: c.classification.to_string(),
        theme: c.theme.to_string(),
        provider_unit_id: Some(p.unit_id),
        format: c.format.to_string(),
        sharing_type: c.sharing.to_string(),
        sharing_conditions: c.sharing_condition.to_string(),
        sharing_basis: c.sharing_basis.to_string(),
        share_method: String::new(),
        open_type,
        open_conditions,
        open_basis: if p.open {
            String::new()
        } else {
            "涉及内部管理或个人信息，暂不开放".to_string()
        },
        update_cycle: c.update_cycle.to_string(),
        security_grade: c.grade.to_string(),
        publish_date: Some(date),
        related_codes: Vec::new(),
        keywords: vec![c.theme.to_string()],
        items: c
            .items
            .iter()
            .map(|i| NewDataItem {
                name: i.name.to_string(),
                label: i.label.to_string(),
                data_type: i.data_type.to_string(),
                length: i.length.map(i64::from),
                description: i.description.to_string(),
                pii_kind: i.pii.to_string(),
            })
            .collect(),
    }
}

/// `YYYY-MM-DD` for day `n` (0-based) counted from 1 January of `year`, months of 28 days
/// to keep it simple and always valid.
fn chrono_like_date(year: i32, n: usize) -> String {
    let y = year + (n / 336) as i32;
    let m = (n % 336) / 28 + 1;
    let d = n % 28 + 1;
    format!("{y:04}-{m:02}-{d:02}")
}

/// Builds the demo catalog when it is empty; returns how many resources were published.
pub async fn seed(db: &Db, catalog: &CatalogState) -> anyhow::Result<usize> {
    let existing = zhengshu_catalog::headline(db)
        .await?
        .iter()
        .find(|(k, _)| *k == "catalog_resources")
        .map(|(_, n)| *n)
        .unwrap_or(0);
    if existing > 0 {
        return Ok(0);
    }
    let mut units = Vec::new();
    for u in district::units() {
        if let Some(row) = zhengshu_auth::units::find_by_name(db, u.name).await? {
            units.push((row.id, u.short_name, u.kind));
        }
    }
    let planned = plan(&units);
    let news: Vec<NewResource> = planned
        .iter()
        .enumerate()
        .map(|(i, p)| to_new(p, i))
        .collect();
    for chunk in news.chunks(250) {
        zhengshu_catalog::create_demo_resources(catalog, chunk).await?;
    }
    Ok(news.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_exactly_151_open_with_distinct_names_and_no_personal_data() {
        let units: Vec<(i64, &'static str, UnitKind)> = district::units()
            .iter()
            .enumerate()
            .map(|(i, u)| (i as i64 + 1, u.short_name, u.kind))
            .collect();
        let planned = plan(&units);
        let open: Vec<&Planned> = planned.iter().filter(|p| p.open).collect();
        assert_eq!(open.len(), OPEN_RESOURCES);
        assert!(open.iter().all(|p| !p.content.has_personal_data()));
        let names: HashSet<String> = open.iter().map(|p| display_name(p)).collect();
        assert_eq!(names.len(), OPEN_RESOURCES);
        let providers: HashSet<i64> = open.iter().map(|p| p.unit_id).collect();
        assert!(
            providers.len() > 60,
            "open resources come from {} units only",
            providers.len()
        );
        assert!(planned.len() > 1500);
        // Every unit provides something.
        let with_resources: HashSet<i64> = planned.iter().map(|p| p.unit_id).collect();
        assert_eq!(with_resources.len(), units.len());
    }

    #[test]
    fn dates_are_valid() {
        for n in [0, 27, 28, 335, 336, 999] {
            let d = chrono_like_date(2019, n);
            assert_eq!(d.len(), 10, "{d}");
        }
    }
}
