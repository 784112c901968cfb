#![doc = include_str!("../README.md")]

pub mod catalog;
pub mod catalog_content;
pub mod district;

use std::collections::HashMap;

use zhengshu_auth::{units, users, NewUnit, NewUser, Role};
use zhengshu_core::clock::SharedClock;
use zhengshu_db::Db;

/// The platform's own unit: the district's Government Services and Data Management Bureau.
pub const BUREAU_NAME: &str = "龙岗区政务服务数据管理局";

/// Demo staff accounts: (username, display name, role, unit name). They share the admin
/// password printed at the first start.
pub const DEMO_USERS: &[(&str, &str, Role, &str)] = &[
    ("unitadmin", "周单位管理", Role::UnitAdmin, BUREAU_NAME),
    ("officer", "陈数据", Role::DataOfficer, BUREAU_NAME),
    ("reviewer", "李审核", Role::Reviewer, BUREAU_NAME),
    (
        "marketreviewer",
        "黄审核",
        Role::Reviewer,
        "深圳市市场监督管理局龙岗监管局",
    ),
    ("developer", "王场景", Role::ScenarioDeveloper, BUREAU_NAME),
    ("operator", "张话务", Role::HotlineOperator, BUREAU_NAME),
    (
        "handler",
        "刘承办",
        Role::Handler,
        "龙岗区城市管理和综合执法局",
    ),
    ("supervisor", "赵督办", Role::Supervisor, BUREAU_NAME),
    ("disclosure", "孙公开", Role::DisclosureOfficer, BUREAU_NAME),
    // A registered member of the public on the open-data portal (no unit, no console).
    ("citizen", "周市民", Role::PublicUser, ""),
];

/// A valid government-unit credit code (GB 32100): registration authority 1 (机构编制),
/// category 1 (机关), the area code, a 9-character organisation code, the check character.
pub fn unit_credit_code(area: &str, seq: u32) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut org = String::new();
    let mut x = (seq as u64)
        .wrapping_mul(2_654_435_761)
        .wrapping_add(0x9E37_79B9)
        % 10_000_000_000;
    for _ in 0..8 {
        org.push(ALPHABET[(x % 10) as usize] as char);
        x /= 10;
    }
    org.push(ALPHABET[(seq % 31) as usize] as char);
    let first17 = format!("11{area}{org}");
    let check = zhengshu_core::validate::credit_code_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// Builds the demo units once. Returns a summary, or `None` when the data folder already
/// holds units (the demo never seeds twice).
pub async fn seed(db: &Db, clock: &SharedClock) -> anyhow::Result<Option<String>> {
    if units::count(db).await? > 0 {
        return Ok(None);
    }
    let now = zhengshu_db::ts(clock.now());
    let all = district::units();
    let mut ids: HashMap<&str, i64> = HashMap::new();
    // Parents first, so children can point at them.
    let (roots, children): (Vec<_>, Vec<_>) = all
        .iter()
        .enumerate()
        .partition(|(_, u)| u.parent.is_none());
    for (i, u) in roots.into_iter().chain(children) {
        let area = if u.level == "municipal" {
            "440300"
        } else {
            "440307"
        };
        let phone = format!("0755-{}", 28_000_000 + (i as u32 * 7_919) % 999_999);
        let new = NewUnit {
            name: u.name.to_string(),
            short_name: u.short_name.to_string(),
            level: u.level.to_string(),
            parent_id: u.parent.and_then(|p| ids.get(p).copied()),
            credit_code: Some(unit_credit_code(area, i as u32 + 1)),
            contact_name: format!(
                "{}老师",
                ["陈", "李", "王", "张", "刘", "黄", "林", "吴"][i % 8]
            ),
            contact_phone: phone,
        };
        let unit = units::create(db, &new, &now).await?;
        ids.insert(u.name, unit.id);
    }
    let by_level = units::count_by_level(db).await?;
    let summary = by_level
        .iter()
        .map(|(l, n)| format!("{} {}", n, l.label_zh()))
        .collect::<Vec<_>>()
        .join(", ");
    tracing::info!(%summary, "demo units created");
    Ok(Some(format!("units: {summary}")))
}

/// How many 12345 work orders the demo loads (a year of the district's orders, scaled).
pub const DEMO_ORDERS: usize = 20_000;

/// Builds each module's demo content when it is empty: the catalog (2,000+ resources,
/// 151 open) and a year of hotline orders. Returns a summary ("" when nothing was added).
pub async fn seed_modules(
    db: &Db,
    clock: &SharedClock,
    catalog: &zhengshu_catalog::CatalogState,
) -> anyhow::Result<String> {
    let mut parts = Vec::new();
    let resources = catalog::seed(db, catalog).await?;
    if resources > 0 {
        parts.push(format!(
            "{resources} catalog resources ({} open)",
            catalog::OPEN_RESOURCES
        ));
    }
    let orders = db.scalar_i64("SELECT COUNT(*) FROM hotline_orders").await?;
    if orders == 0 {
        let units = units::list(db, &Default::default()).await?;
        let n = zhengshu_hotline::seed_demo(db, clock.as_ref(), &units, DEMO_ORDERS).await?;
        parts.push(format!("{n} hotline work orders"));
    }
    Ok(parts.join(", "))
}

/// Creates the demo staff accounts that do not exist yet; returns how many were made.
pub async fn seed_users(db: &Db, clock: &SharedClock, password: &str) -> anyhow::Result<usize> {
    let now = zhengshu_db::ts(clock.now());
    let mut made = 0;
    for (username, display, role, unit) in DEMO_USERS {
        if users::get_by_username(db, username).await.is_ok() {
            continue;
        }
        let unit_id = if unit.is_empty() {
            None
        } else {
            units::find_by_name(db, unit).await?.map(|u| u.id)
        };
        users::create(
            db,
            &NewUser {
                username: username.to_string(),
                display_name: display.to_string(),
                unit_id,
                roles: vec![*role],
                password: password.to_string(),
            },
            &now,
        )
        .await?;
        made += 1;
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_credit_codes_are_valid_and_distinct() {
        let codes: Vec<String> = (1..=200).map(|i| unit_credit_code("440307", i)).collect();
        for c in &codes {
            assert!(zhengshu_core::validate::is_valid_credit_code(c), "{c}");
            assert!(c.starts_with("11440307"));
        }
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), codes.len());
    }
}
