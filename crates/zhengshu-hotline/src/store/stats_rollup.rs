//! The statistics roll-up `hotline_stats_daily`: per creation day and dimension, the
//! current facts of the orders created that day. Every transition moves the order's
//! facts from the old buckets to the new ones in the same transaction; [`rebuild`]
//! recomputes the table from the orders with the same definitions.

use sqlx::{Any, Transaction};
use zhengshu_db::Db;

use crate::model::{OrderState, Satisfaction, WorkOrder};
use crate::HotlineError;

/// The dimensions the statistics page groups by.
pub(crate) const DIMS: [&str; 4] = ["type", "category", "street", "unit"];

/// What one order contributes to its buckets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Facts {
    pub(crate) day: String,
    pub(crate) keys: [String; 4],
    pub(crate) counts: [i64; 7],
}

impl Facts {
    pub(crate) fn of(o: &WorkOrder, created_day: &str) -> Facts {
        let closed = matches!(o.state, OrderState::Closed | OrderState::CalledBack);
        let on_time = closed
            && match (&o.closed_at, &o.due_at) {
                (Some(c), Some(d)) => c <= d,
                _ => true,
            };
        let sat = o.satisfaction;
        let b = |x: bool| i64::from(x);
        Facts {
            day: created_day.to_string(),
            keys: [
                o.appeal_type.as_str().to_string(),
                o.category_code.clone(),
                o.street.clone(),
                o.lead_unit_id.map(|u| u.to_string()).unwrap_or_default(),
            ],
            counts: [
                b(o.state != OrderState::Merged),
                b(closed),
                b(on_time),
                b(sat.is_some()),
                b(sat == Some(Satisfaction::Satisfied)),
                b(sat == Some(Satisfaction::Basic)),
                b(sat == Some(Satisfaction::Unsatisfied)),
            ],
        }
    }
}

/// One bucket change.
type Bump<'a> = (&'a str, &'static str, &'a str, [i64; 7]);

/// Applies the bucket changes in one statement (no two of them share a bucket).
async fn bump_all(tx: &mut Transaction<'_, Any>, bumps: &[Bump<'_>]) -> Result<(), HotlineError> {
    let bumps: Vec<&Bump<'_>> = bumps
        .iter()
        .filter(|b| b.3.iter().any(|x| *x != 0))
        .collect();
    if bumps.is_empty() {
        return Ok(());
    }
    let values = (0..bumps.len())
        .map(|r| {
            format!(
                "({})",
                (1..=10)
                    .map(|c| format!("${}", r * 10 + c))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO hotline_stats_daily (day, dim, key, received, closed, on_time, called_back, satisfied, basic, unsatisfied) \
         VALUES {values} ON CONFLICT (day, dim, key) DO UPDATE SET \
         received = hotline_stats_daily.received + excluded.received, closed = hotline_stats_daily.closed + excluded.closed, \
         on_time = hotline_stats_daily.on_time + excluded.on_time, called_back = hotline_stats_daily.called_back + excluded.called_back, \
         satisfied = hotline_stats_daily.satisfied + excluded.satisfied, basic = hotline_stats_daily.basic + excluded.basic, \
         unsatisfied = hotline_stats_daily.unsatisfied + excluded.unsatisfied"
    );
    let mut q = sqlx::query(&sql);
    for (day, dim, key, c) in bumps {
        q = q.bind(*day).bind(*dim).bind(*key);
        for x in c {
            q = q.bind(*x);
        }
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// Moves an order's contribution from `old` (none for a new order) to `new`.
pub(crate) async fn apply_delta(
    tx: &mut Transaction<'_, Any>,
    old: Option<&Facts>,
    new: &Facts,
) -> Result<(), HotlineError> {
    let mut bumps: Vec<Bump<'_>> = Vec::with_capacity(8);
    for (i, dim) in DIMS.iter().enumerate() {
        match old {
            Some(o) if o.day == new.day && o.keys[i] == new.keys[i] => {
                let mut d = [0; 7];
                for (k, slot) in d.iter_mut().enumerate() {
                    *slot = new.counts[k] - o.counts[k];
                }
                bumps.push((&new.day, dim, &new.keys[i], d));
            }
            Some(o) => {
                bumps.push((&o.day, dim, &o.keys[i], o.counts.map(|x| -x)));
                bumps.push((&new.day, dim, &new.keys[i], new.counts));
            }
            None => bumps.push((&new.day, dim, &new.keys[i], new.counts)),
        }
    }
    bump_all(tx, &bumps).await
}

/// Recomputes the roll-up from the orders (after bulk loads).
pub(crate) async fn rebuild(db: &Db) -> Result<(), HotlineError> {
    let mut tx = db.pool().begin().await?;
    sqlx::query("DELETE FROM hotline_stats_daily")
        .execute(&mut *tx)
        .await?;
    let columns = [
        ("type", "appeal_type"),
        ("category", "category_code"),
        ("street", "street"),
        ("unit", "COALESCE(CAST(lead_unit_id AS TEXT), '')"),
    ];
    for (dim, expr) in columns {
        sqlx::query(&format!(
            "INSERT INTO hotline_stats_daily (day, dim, key, received, closed, on_time, called_back, satisfied, basic, unsatisfied) \
             SELECT created_day, '{dim}', {expr}, \
             SUM(CASE WHEN state <> 'merged' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN state IN ('closed', 'called_back') THEN 1 ELSE 0 END), \
             SUM(CASE WHEN state IN ('closed', 'called_back') AND (closed_at IS NULL OR due_at IS NULL OR closed_at <= due_at) THEN 1 ELSE 0 END), \
             SUM(CASE WHEN satisfaction IS NOT NULL THEN 1 ELSE 0 END), \
             SUM(CASE WHEN satisfaction = 'satisfied' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN satisfaction = 'basic' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN satisfaction = 'unsatisfied' THEN 1 ELSE 0 END) \
             FROM hotline_orders GROUP BY created_day, {expr}"
        ))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
