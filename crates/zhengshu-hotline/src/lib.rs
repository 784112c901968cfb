#![doc = include_str!("../README.md")]

pub mod classify;
pub mod deadline;
pub mod demo;
mod error;
mod export;
mod http;
pub mod keys;
pub mod model;
pub mod open311;
pub mod service;
pub mod stats;
mod store;
pub mod suggest;

use std::sync::Arc;

pub use classify::{evaluate_classifier, Report};
pub use demo::seed_demo;
pub use error::HotlineError;
pub use export::{anonymised_closed_orders, AnonymisedOrder};
pub use http::{routes, ApiDoc, ROUTE_SPECS};
pub use keys::create_open311_key;
pub use model::{
    Action, AppealType, Channel, NewOrder, OrderState, Satisfaction, Urgency, WorkOrder,
};
pub use service::{Actor, Hotline};
pub use store::{CoUnit, Event, Extension, Supervision};

use zhengshu_core::SharedClock;
use zhengshu_db::Db;

/// The migrations of this crate (orders, events, deadline rules, Open311 keys, roll-up).
pub static MIGRATIONS: zhengshu_db::MigrationSet = zhengshu_db::MigrationSet {
    module: "hotline",
    sqlite: sqlx::migrate!("migrations/sqlite"),
    postgres: sqlx::migrate!("migrations/postgres"),
};

/// What the hotline handlers need (`HotlineState: FromRef<AppState>`).
#[derive(Clone, Debug)]
pub struct HotlineState {
    pub hotline: Arc<Hotline>,
}

impl HotlineState {
    /// Builds the service and trains the classifier on the orders already stored.
    pub async fn new(db: Db, clock: SharedClock) -> Result<HotlineState, HotlineError> {
        Ok(HotlineState {
            hotline: Arc::new(Hotline::new(db, clock).await?),
        })
    }
}

impl std::ops::Deref for HotlineState {
    type Target = Hotline;
    fn deref(&self) -> &Hotline {
        &self.hotline
    }
}

/// Dashboard figures: `hotline_orders` (all), `hotline_open` (still with the units),
/// `hotline_waiting` (accepted, not yet dispatched).
pub async fn headline(db: &Db) -> Result<Vec<(&'static str, i64)>, HotlineError> {
    let open = open_states_sql();
    let total = db.scalar_i64("SELECT COUNT(*) FROM hotline_orders").await?;
    let open_n = db
        .scalar_i64(&format!(
            "SELECT COUNT(*) FROM hotline_orders WHERE state IN ({open})"
        ))
        .await?;
    let waiting = db
        .scalar_i64("SELECT COUNT(*) FROM hotline_orders WHERE state = 'accepted'")
        .await?;
    Ok(vec![
        ("hotline_orders", total),
        ("hotline_open", open_n),
        ("hotline_waiting", waiting),
    ])
}

/// [`headline`] plus `hotline_overdue`: open orders past their deadline at `now`.
pub async fn headline_at(
    db: &Db,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<(&'static str, i64)>, HotlineError> {
    let mut out = headline(db).await?;
    out.push(("hotline_overdue", stats::overdue_count(db, now).await?));
    Ok(out)
}

/// `'accepted', 'dispatched', …`: the open states for SQL `IN` lists.
pub(crate) fn open_states_sql() -> String {
    OrderState::open_states()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}
