//! The demo district's hotline: a year of synthetic work orders with plausible content,
//! categories, streets, units, deadlines, call-backs — most closed, some open or overdue.

mod content;
mod lifecycle;

use rand::rngs::StdRng;
use rand::SeedableRng;
use zhengshu_auth::{Unit, UnitLevel};
use zhengshu_core::Clock;
use zhengshu_db::{ts, Db};

use crate::model::{Category, CATEGORIES};
use crate::HotlineError;

/// The default number of demo orders (a year of a district's calls, scaled down).
pub const DEFAULT_DEMO_ORDERS: usize = 30_000;

/// The unit that usually leads `category` in `street`: the first unit whose name contains
/// one of the category's hints (district units first), else the street office of the
/// street (a unit whose name contains the street's short name and 街道), else any
/// street-level unit.
pub fn unit_for<'a>(category: &Category, street: &str, units: &'a [Unit]) -> Option<&'a Unit> {
    for hint in category.unit_hints {
        let found = units
            .iter()
            .filter(|u| u.status == "active" && u.name.contains(hint))
            .min_by_key(|u| (u.level != UnitLevel::District, u.id));
        if found.is_some() {
            return found;
        }
    }
    street_office(street, units)
}

/// The street office (街道办事处) of `street`.
pub fn street_office<'a>(street: &str, units: &'a [Unit]) -> Option<&'a Unit> {
    let short = street.trim_end_matches("街道");
    units
        .iter()
        .filter(|u| u.status == "active")
        .find(|u| !short.is_empty() && u.name.contains(short) && u.name.contains("街道"))
        .or_else(|| units.iter().find(|u| u.level == UnitLevel::Street))
        .or_else(|| units.iter().find(|u| u.level == UnitLevel::District))
        .or_else(|| units.first())
}

/// Options of a bulk load.
#[derive(Debug, Clone, Copy)]
pub struct SeedOptions {
    /// Write the timeline events of each order (the demo does; the 1M-order benchmark
    /// load does not, to stay within minutes).
    pub events: bool,
    /// RNG seed, so the demo is the same every time.
    pub seed: u64,
}

impl Default for SeedOptions {
    fn default() -> Self {
        SeedOptions {
            events: true,
            seed: 20_261_127,
        }
    }
}

/// Loads `orders` demo orders spread over the year before `clock.now()`, the keyword
/// rules of the dispatch catalog, and rebuilds the statistics roll-up. Returns the number
/// of orders written. Build (or [`crate::Hotline::retrain`]) the hotline state afterwards
/// so the classifier learns from them.
pub async fn seed_demo(
    db: &Db,
    clock: &dyn Clock,
    units: &[Unit],
    orders: usize,
) -> Result<usize, HotlineError> {
    seed_rules(db, clock).await?;
    seed_orders(db, clock, units, orders, SeedOptions::default()).await
}

/// The dispatch catalog's keyword rules (category keywords, unit left to the model).
pub async fn seed_rules(db: &Db, clock: &dyn Clock) -> Result<(), HotlineError> {
    let now = ts(clock.now());
    for c in CATEGORIES {
        for k in c.keywords {
            crate::classify::add_rule(db, k, c.code, None, &now).await?;
        }
    }
    Ok(())
}

/// Bulk-loads synthetic orders (batched inserts in one transaction).
pub async fn seed_orders(
    db: &Db,
    clock: &dyn Clock,
    units: &[Unit],
    orders: usize,
    opts: SeedOptions,
) -> Result<usize, HotlineError> {
    if units.is_empty() {
        return Err(HotlineError::invalid(
            "units",
            "create the district's units before the demo orders",
        ));
    }
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let cal = zhengshu_db::calendar::load(db).await?;
    let rules = crate::deadline::DeadlineRules::load(db).await?;
    let plan = lifecycle::plan(&mut rng, clock.now(), &cal, &rules, units, orders);
    lifecycle::write(db, &plan, opts.events).await?;
    crate::store::rebuild_rollup(db).await?;
    Ok(plan.len())
}

/// A street's approximate centre (lat, long).
pub(crate) fn street_centre_of(street: &str) -> (f64, f64) {
    content::street_centre(street)
}
