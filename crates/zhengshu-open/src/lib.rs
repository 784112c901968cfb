//! 数据开放: the open-data portal.
//!
//! The public finds the catalog's opened resources (无条件开放 and 有条件开放), previews
//! them, downloads them (CSV with a BOM, JSON, XLSX, Parquet, streamed from the lake) and
//! reads them through a CKAN-compatible Action API (`/api/3/action/…`), so that CKAN's
//! clients work unchanged. A conditionally opened dataset needs an approved application:
//! a registered user applies with a purpose, a reviewer of the owning unit decides within
//! a working-day deadline, and the applicant then downloads it signed in, or through the
//! API with an app key (`zso_…`, rate-limited). Views, downloads and API calls are counted
//! per dataset and day for the public ranking and the console.

pub mod ckan;
pub mod data;
pub mod demo;
pub mod download;
mod error;
pub mod http;
pub mod model;
pub mod service;
pub mod stats;
pub mod store;

pub use error::OpenError;
pub use http::{routes, ApiDoc, ROUTE_SPECS};

use std::sync::Arc;

use zhengshu_catalog::CatalogState;
use zhengshu_core::clock::SharedClock;
use zhengshu_db::Db;
use zhengshu_exchange::rate::RateLimiter;
use zhengshu_lake::LakeState;

/// The migrations of this crate (applications, app keys, usage counters).
pub static MIGRATIONS: zhengshu_db::MigrationSet = zhengshu_db::MigrationSet {
    module: "open",
    sqlite: zhengshu_db::sqlx::migrate!("migrations/sqlite"),
    postgres: zhengshu_db::sqlx::migrate!("migrations/postgres"),
};

/// What the portal's handlers need.
#[derive(Clone, Debug)]
pub struct OpenState {
    pub db: Db,
    pub clock: SharedClock,
    pub catalog: CatalogState,
    pub lake: LakeState,
    /// Usage counters, buffered in memory and flushed to `open_stats`.
    pub stats: Arc<stats::Counters>,
    /// Per-app-key rate limits.
    pub limiter: Arc<RateLimiter>,
    /// Working days a provider has to decide an application.
    pub review_working_days: i64,
}

impl OpenState {
    pub fn new(lake: LakeState) -> OpenState {
        OpenState {
            db: lake.db.clone(),
            clock: lake.clock.clone(),
            catalog: lake.catalog.clone(),
            stats: Arc::new(stats::Counters::default()),
            limiter: Arc::new(RateLimiter::default()),
            review_working_days: service::DEFAULT_REVIEW_WORKING_DAYS,
            lake,
        }
    }
}

/// Headline figures: open datasets, downloads and API calls so far.
pub async fn headline(st: &OpenState) -> Result<Vec<(&'static str, i64)>, OpenError> {
    st.stats.flush(&st.db).await?;
    let t = stats::totals(&st.db).await?;
    let open = service::open_count(st).await?;
    Ok(vec![
        ("open_datasets", open),
        ("open_downloads", t.downloads),
        ("open_api_calls", t.api_calls),
    ])
}
