//! Usage counters: views, downloads and API calls per dataset and day (China time).
//!
//! A request only bumps a counter in memory; the counters are added to `open_stats` by
//! [`Counters::flush`] (every few seconds on a server, and before every read of the
//! figures), one upsert per (day, dataset) touched. A crash loses at most the last few
//! seconds of counts, never a request.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Serialize;
use sqlx::Row;
use zhengshu_db::{get_i64, Db};

use crate::OpenError;

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A dataset page was viewed.
    View,
    /// A file was downloaded.
    Download,
    /// An API call read the dataset (CKAN `datastore_search`, `package_show`, SQL …).
    ApiCall,
}

type Key = (String, i64);

/// The counts not yet written, per (day, resource id): [views, downloads, API calls].
#[derive(Debug, Default)]
pub struct Counters {
    pending: Mutex<HashMap<Key, [i64; 3]>>,
    flushing: tokio::sync::Mutex<()>,
}

impl Counters {
    /// Counts one event on `day` (YYYY-MM-DD).
    pub fn record(&self, day: &str, resource_id: i64, event: Event) {
        let mut map = self
            .pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let e = map.entry((day.to_string(), resource_id)).or_default();
        e[event as usize] += 1;
    }

    /// Writes the pending counts. On a database error the counts are put back.
    pub async fn flush(&self, db: &Db) -> Result<(), OpenError> {
        let _one = self.flushing.lock().await;
        let taken: Vec<(Key, [i64; 3])> = {
            let mut map = self
                .pending
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            map.drain().collect()
        };
        if taken.is_empty() {
            return Ok(());
        }
        let mut result = Ok(());
        let mut tx = db.pool().begin().await?;
        for ((day, rid), [v, d, a]) in &taken {
            let r = sqlx::query(
                "INSERT INTO open_stats (day, resource_id, views, downloads, api_calls) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (day, resource_id) DO UPDATE SET \
                 views = open_stats.views + excluded.views, \
                 downloads = open_stats.downloads + excluded.downloads, \
                 api_calls = open_stats.api_calls + excluded.api_calls",
            )
            .bind(day)
            .bind(rid)
            .bind(v)
            .bind(d)
            .bind(a)
            .execute(&mut *tx)
            .await;
            if let Err(e) = r {
                result = Err(e);
                break;
            }
        }
        let result = match result {
            Ok(()) => tx.commit().await,
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            let mut map = self
                .pending
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for (k, c) in taken {
                let e = map.entry(k).or_default();
                for i in 0..3 {
                    e[i] += c[i];
                }
            }
            return Err(e.into());
        }
        Ok(())
    }
}

/// Counts over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Totals {
    pub views: i64,
    pub downloads: i64,
    pub api_calls: i64,
}

fn totals_of(r: &sqlx::any::AnyRow) -> Result<Totals, OpenError> {
    Ok(Totals {
        views: get_i64(r, "v")?,
        downloads: get_i64(r, "d")?,
        api_calls: get_i64(r, "a")?,
    })
}

// PostgreSQL's SUM over BIGINT is NUMERIC, which the Any driver cannot decode: cast back.
const SUMS: &str = "CAST(COALESCE(SUM(views), 0) AS BIGINT) AS v, \
                    CAST(COALESCE(SUM(downloads), 0) AS BIGINT) AS d, \
                    CAST(COALESCE(SUM(api_calls), 0) AS BIGINT) AS a";

/// All counts so far (flush first for the latest).
pub async fn totals(db: &Db) -> Result<Totals, OpenError> {
    let row = sqlx::query(&format!("SELECT {SUMS} FROM open_stats"))
        .fetch_one(db.pool())
        .await?;
    totals_of(&row)
}

/// Counts per dataset since `since` (YYYY-MM-DD, inclusive; "" = always), most used first.
pub async fn by_resource(db: &Db, since: &str) -> Result<Vec<(i64, Totals)>, OpenError> {
    sqlx::query(&format!(
        "SELECT resource_id, {SUMS} FROM open_stats WHERE day >= $1 GROUP BY resource_id \
         ORDER BY COALESCE(SUM(downloads), 0) + COALESCE(SUM(api_calls), 0) DESC, resource_id"
    ))
    .bind(since)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| Ok((get_i64(r, "resource_id")?, totals_of(r)?)))
    .collect()
}

/// Counts per day since `since`, for one dataset or all (None), oldest first.
pub async fn by_day(
    db: &Db,
    resource_id: Option<i64>,
    since: &str,
) -> Result<Vec<(String, Totals)>, OpenError> {
    let filter = if resource_id.is_some() {
        " AND resource_id = $2"
    } else {
        ""
    };
    let sql = format!(
        "SELECT day, {SUMS} FROM open_stats WHERE day >= $1{filter} GROUP BY day ORDER BY day"
    );
    let mut q = sqlx::query(&sql).bind(since);
    if let Some(id) = resource_id {
        q = q.bind(id);
    }
    q.fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| Ok((r.try_get::<String, _>("day")?, totals_of(r)?)))
        .collect()
}

/// The counts of one dataset so far.
pub async fn of_resource(db: &Db, resource_id: i64) -> Result<Totals, OpenError> {
    let row = sqlx::query(&format!(
        "SELECT {SUMS} FROM open_stats WHERE resource_id = $1"
    ))
    .bind(resource_id)
    .fetch_one(db.pool())
    .await?;
    totals_of(&row)
}

/// One dataset's use.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DatasetStats {
    pub resource_id: i64,
    pub code: String,
    pub name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub totals: Totals,
}

/// One unit's opened datasets and their use.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitStats {
    pub unit_id: i64,
    pub unit_name: String,
    /// Datasets the unit has opened (无条件开放 + 有条件开放, published).
    pub datasets: i64,
    pub totals: Totals,
}

/// The portal's figures over a period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Summary {
    /// First day counted (YYYY-MM-DD).
    pub since: String,
    pub totals: Totals,
    /// Per day, oldest first (days without use are left out).
    pub by_day: Vec<(String, Totals)>,
    /// The most used datasets first (at most 50).
    pub datasets: Vec<DatasetStats>,
    /// Every unit that opens data, the most datasets first.
    pub units: Vec<UnitStats>,
}

/// The figures since `since` (YYYY-MM-DD): pending counts are flushed first.
pub async fn summary(st: &crate::OpenState, since: &str) -> Result<Summary, OpenError> {
    use std::collections::HashMap;
    use zhengshu_catalog::search::{Facet, SearchParams, Viewer};

    st.stats.flush(&st.db).await?;
    let page = zhengshu_catalog::find::search(
        &st.catalog,
        Viewer::Public,
        &SearchParams {
            limit: 0,
            ..SearchParams::default()
        },
        false,
    )
    .await?;
    let mut units: Vec<UnitStats> = page
        .facets
        .iter()
        .find(|f| f.facet == Facet::Unit)
        .map(|f| {
            f.values
                .iter()
                .filter_map(|v| {
                    Some(UnitStats {
                        unit_id: v.value.parse().ok()?,
                        unit_name: v.label.clone(),
                        datasets: v.count as i64,
                        totals: Totals::default(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let mut datasets = Vec::new();
    let mut unit_totals: HashMap<i64, Totals> = HashMap::new();
    for (rid, t) in by_resource(&st.db, since).await? {
        let Ok(r) = zhengshu_catalog::service::get(&st.catalog, None, rid).await else {
            continue;
        };
        let u = unit_totals.entry(r.provider_unit_id).or_default();
        u.views += t.views;
        u.downloads += t.downloads;
        u.api_calls += t.api_calls;
        if datasets.len() < 50 {
            datasets.push(DatasetStats {
                resource_id: rid,
                code: r.code,
                name: r.name,
                unit_id: r.provider_unit_id,
                unit_name: r.provider_name,
                totals: t,
            });
        }
    }
    for u in &mut units {
        if let Some(t) = unit_totals.get(&u.unit_id) {
            u.totals = *t;
        }
    }
    units.sort_by(|a, b| {
        b.datasets
            .cmp(&a.datasets)
            .then_with(|| a.unit_name.cmp(&b.unit_name))
    });
    let by_day = by_day(&st.db, None, since).await?;
    let mut totals = Totals::default();
    for (_, t) in &by_day {
        totals.views += t.views;
        totals.downloads += t.downloads;
        totals.api_calls += t.api_calls;
    }
    Ok(Summary {
        since: since.to_string(),
        totals,
        by_day,
        datasets,
        units,
    })
}
