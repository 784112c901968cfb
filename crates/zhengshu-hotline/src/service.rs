//! The rules of the closed loop: who may do what to an order, when, and what it changes.
//! Every change runs in one transaction with its event (who and when) and its move in the
//! statistics roll-up.

mod actions;
mod create;
mod query;

pub use actions::{DispatchInput, ExtensionInput};
pub use create::Intake;
pub use query::{viewer_actions, OrderDetail, OrderFilter, OrderList, OrderRow};

use std::sync::{Arc, RwLock};
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Utc};
use zhengshu_core::{china_offset, SharedClock, WorkingCalendar};
use zhengshu_db::{ts, Backend, Db};

use crate::classify::Classifier;
use crate::deadline::DeadlineRules;
use crate::model::{Action, OrderState, WorkOrder};
use crate::store::{self, Facts, Patch};
use crate::HotlineError;

/// Who performs an action: a signed-in user (acting for their unit) or a program.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
    /// The unit the user acts for (`user.unit_id`).
    pub unit_id: Option<i64>,
}

impl Actor {
    pub fn user(user: &zhengshu_auth::User) -> Actor {
        Actor {
            user_id: Some(user.id),
            name: user.display_name.clone(),
            unit_id: user.unit_id,
        }
    }

    /// A program or the platform itself (Open311 clients, the demo loader).
    pub fn system(name: &str) -> Actor {
        Actor {
            user_id: None,
            name: name.to_string(),
            unit_id: None,
        }
    }
}

/// The working-day calendar and deadline table in force, cached briefly.
#[derive(Debug)]
pub(crate) struct Config {
    pub(crate) calendar: WorkingCalendar,
    pub(crate) rules: DeadlineRules,
}

/// How long the calendar and deadline table are cached (changes made through this
/// process clear the cache at once).
const CONFIG_TTL: StdDuration = StdDuration::from_secs(30);

/// The hotline service: database, clock, the cached deadline table and the classifier.
#[derive(Debug)]
pub struct Hotline {
    pub(crate) db: Db,
    pub(crate) clock: SharedClock,
    config: RwLock<Option<(Instant, Arc<Config>)>>,
    pub(crate) classifier: RwLock<Classifier>,
    /// SQLite has one writer: queueing writers here is faster than letting them spin
    /// on the busy handler.
    write_lock: Option<tokio::sync::Mutex<()>>,
}

/// What a transition changes besides the order row.
#[derive(Debug, Clone)]
pub(crate) enum Extra {
    None,
    CoUnits(Vec<i64>),
    Extension {
        days: i64,
        reason: String,
    },
    ExtensionDecision {
        approved: bool,
        note: String,
    },
    Supervision(String),
    CoReply {
        unit_id: i64,
        part: String,
    },
    MergeInto {
        target_id: i64,
        target_state: OrderState,
    },
}

/// The plan of one transition, built after the state check.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) patch: Patch,
    pub(crate) note: String,
    pub(crate) extra: Extra,
}

impl Hotline {
    /// The service on `db`; trains the classifier from the orders already there.
    pub async fn new(db: Db, clock: SharedClock) -> Result<Hotline, HotlineError> {
        let write_lock = (db.backend() == Backend::Sqlite).then(|| tokio::sync::Mutex::new(()));
        let hotline = Hotline {
            db,
            clock,
            config: RwLock::new(None),
            classifier: RwLock::new(Classifier::default()),
            write_lock,
        };
        hotline.retrain().await?;
        Ok(hotline)
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) async fn write_guard(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match &self.write_lock {
            Some(m) => Some(m.lock().await),
            None => None,
        }
    }

    /// The calendar and deadline table (cached for 30 s).
    pub(crate) async fn config(&self) -> Result<Arc<Config>, HotlineError> {
        if let Ok(guard) = self.config.read() {
            if let Some((at, cfg)) = guard.as_ref() {
                if at.elapsed() < CONFIG_TTL {
                    return Ok(cfg.clone());
                }
            }
        }
        let cfg = Arc::new(Config {
            calendar: zhengshu_db::calendar::load(&self.db).await?,
            rules: DeadlineRules::load(&self.db).await?,
        });
        if let Ok(mut guard) = self.config.write() {
            *guard = Some((Instant::now(), cfg.clone()));
        }
        Ok(cfg)
    }

    /// Forgets the cached deadline table (after an edit).
    pub fn clear_config_cache(&self) {
        if let Ok(mut guard) = self.config.write() {
            *guard = None;
        }
    }

    /// Runs one transition: state check, the rule checks in `plan`, the update guarded by
    /// the row version, the extra rows, the event and the statistics move.
    pub(crate) async fn transition<F>(
        &self,
        actor: &Actor,
        order_no: &str,
        action: Action,
        plan: F,
    ) -> Result<WorkOrder, HotlineError>
    where
        F: FnOnce(&WorkOrder, &Config, DateTime<Utc>) -> Result<Plan, HotlineError>,
    {
        let _guard = self.write_guard().await;
        let order = store::get_by_no(&self.db, order_no).await?;
        let next =
            order
                .state
                .apply(action)
                .map_err(|refusal| HotlineError::IllegalTransition {
                    order_no: order.order_no.clone(),
                    refusal,
                })?;
        let cfg = self.config().await?;
        let now = self.now();
        let plan = plan(&order, &cfg, now)?;
        let now_s = ts(now);
        let mut tx = self.db.pool().begin().await?;
        if !store::update_order(&mut tx, &order, next, &now_s, &plan.patch).await? {
            return Err(HotlineError::conflict(
                &order.order_no,
                "was changed by someone else just now; reload and try again",
            ));
        }
        run_extra(&mut tx, &order, actor, &now_s, &plan.extra).await?;
        store::insert_event(
            &mut tx,
            order.id,
            &now_s,
            actor.user_id,
            &actor.name,
            actor.unit_id,
            action.as_str(),
            Some(order.state),
            next,
            &plan.note,
        )
        .await?;
        let updated = store::get_in_tx(&mut tx, order.id).await?;
        let day = created_day(&order.created_at);
        store::apply_delta(
            &mut tx,
            Some(&Facts::of(&order, &day)),
            &Facts::of(&updated, &day),
        )
        .await?;
        tx.commit().await?;
        Ok(updated)
    }
}

/// The China date (`YYYY-MM-DD`) of a stored creation time.
pub(crate) fn created_day(created_at: &str) -> String {
    zhengshu_db::parse_ts(created_at)
        .map(|t| {
            t.with_timezone(&china_offset())
                .format("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or_default()
}

async fn run_extra(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    order: &WorkOrder,
    actor: &Actor,
    now: &str,
    extra: &Extra,
) -> Result<(), HotlineError> {
    match extra {
        Extra::None => {}
        Extra::CoUnits(units) => store::set_co_units(tx, order.id, units).await?,
        Extra::Extension { days, reason } => {
            sqlx::query(
                "INSERT INTO hotline_extensions (order_id, days, reason, requested_by, requested_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(order.id)
            .bind(*days)
            .bind(reason)
            .bind(actor.user_id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        Extra::ExtensionDecision { approved, note } => {
            sqlx::query(
                "UPDATE hotline_extensions SET decision = $1, decided_by = $2, decided_at = $3, decision_note = $4 \
                 WHERE order_id = $5 AND decision IS NULL",
            )
            .bind(if *approved { "approved" } else { "refused" })
            .bind(actor.user_id)
            .bind(now)
            .bind(note)
            .bind(order.id)
            .execute(&mut **tx)
            .await?;
        }
        Extra::Supervision(note) => {
            sqlx::query(
                "INSERT INTO hotline_supervisions (order_id, unit_id, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(order.id)
            .bind(order.lead_unit_id)
            .bind(note)
            .bind(actor.user_id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        Extra::CoReply { unit_id, part } => {
            sqlx::query("UPDATE hotline_co_units SET part = $1, replied_at = $2 WHERE order_id = $3 AND unit_id = $4")
                .bind(part)
                .bind(now)
                .bind(order.id)
                .bind(*unit_id)
                .execute(&mut **tx)
                .await?;
        }
        Extra::MergeInto {
            target_id,
            target_state,
        } => {
            store::insert_event(
                tx,
                *target_id,
                now,
                actor.user_id,
                &actor.name,
                actor.unit_id,
                "merge",
                Some(*target_state),
                *target_state,
                &format!("并入重复工单 {}", order.order_no),
            )
            .await?;
        }
    }
    Ok(())
}
