#![doc = include_str!("../README.md")]

pub mod dcat;
mod error;
pub mod export;
pub mod find;
pub mod http;
pub mod import;
pub mod model;
pub mod search;
pub mod service;
pub mod sheet;
mod store;
pub mod version;

pub use error::{CatalogError, FieldError};
pub use find::{search, SearchPage};
pub use http::{routes, ApiDoc, ROUTE_SPECS};
pub use model::{DataItem, NewDataItem, NewResource, Resource, Status};
pub use search::{SearchIndex, SearchParams, Sort, Viewer};
pub use service::Actor;

use std::path::PathBuf;
use std::sync::Arc;

use zhengshu_core::clock::SharedClock;
use zhengshu_db::Db;

/// The migrations of this crate (resources, data items, versions, change sequence).
pub static MIGRATIONS: zhengshu_db::MigrationSet = zhengshu_db::MigrationSet {
    module: "catalog",
    sqlite: zhengshu_db::sqlx::migrate!("migrations/sqlite"),
    postgres: zhengshu_db::sqlx::migrate!("migrations/postgres"),
};

/// What the catalog's handlers need: the database, the clock and this instance's index.
#[derive(Clone, Debug)]
pub struct CatalogState {
    pub db: Db,
    pub clock: SharedClock,
    pub index: Arc<SearchIndex>,
    /// The public base URL for DCAT identifiers (e.g. `https://data.example.gov.cn`);
    /// None = taken from the request's Host header.
    pub base_url: Option<String>,
}

impl CatalogState {
    /// Opens the search index (`None` = in RAM; `Some(dir)` = on disk, e.g.
    /// `<data-dir>/catalog-index`) and brings it up to date with the database.
    pub async fn new(
        db: Db,
        clock: SharedClock,
        index_dir: Option<PathBuf>,
    ) -> Result<CatalogState, CatalogError> {
        let index = Arc::new(SearchIndex::open(index_dir)?);
        let state = CatalogState {
            db,
            clock,
            index,
            base_url: None,
        };
        state.index.sync(&state.db, state.clock.now()).await?;
        Ok(state)
    }

    /// Sets the public base URL used in DCAT identifiers.
    pub fn with_base_url(mut self, url: impl Into<String>) -> CatalogState {
        self.base_url = Some(url.into().trim_end_matches('/').to_string());
        self
    }
}

/// Applies the changes other instances made since this index last looked (cheap when
/// there are none). Search calls it; a server may also call it on a timer.
pub async fn sync_index(state: &CatalogState) -> Result<usize, CatalogError> {
    state.index.sync(&state.db, state.clock.now()).await
}

/// Rebuilds this instance's index from the database; returns the number of resources.
pub async fn reindex(state: &CatalogState) -> Result<usize, CatalogError> {
    state.index.rebuild(&state.db).await
}

/// Asks every running instance to rebuild its index (they see a marker in the change
/// sequence on their next sync). For `zhengshu catalog reindex` while servers run.
pub async fn request_reindex(
    db: &Db,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64, CatalogError> {
    let mut conn = db.pool().acquire().await?;
    Ok(store::record_change(&mut conn, None, &zhengshu_db::ts(now)).await?)
}

/// What `zhengshu catalog reindex` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReindexOutcome {
    /// The on-disk index was rebuilt here (no server held it); number of resources.
    Rebuilt(usize),
    /// A server holds the index (or indexes live in RAM): every instance was asked to
    /// rebuild on its next sync; the marker's sequence number.
    Requested(i64),
}

/// The CLI's reindex: rebuilds the on-disk index in `index_dir` when no running server
/// holds it, otherwise (or for RAM indexes) asks every instance to rebuild.
pub async fn reindex_command(
    db: &Db,
    clock: SharedClock,
    index_dir: Option<PathBuf>,
) -> Result<ReindexOutcome, CatalogError> {
    if let Some(dir) = index_dir {
        match SearchIndex::open(Some(dir)) {
            Ok(index) => return Ok(ReindexOutcome::Rebuilt(index.rebuild(db).await?)),
            Err(CatalogError::Index(m)) if m.contains("Lockfile") => {}
            Err(e) => return Err(e),
        }
    }
    Ok(ReindexOutcome::Requested(
        request_reindex(db, clock.now()).await?,
    ))
}

/// Publishes one demo resource directly (no review), recorded as a version by the
/// system actor, and indexes it.
pub async fn create_demo_resource(
    state: &CatalogState,
    new: &NewResource,
) -> Result<Resource, CatalogError> {
    let ids = service::publish_directly(state, std::slice::from_ref(new)).await?;
    let id = ids
        .first()
        .copied()
        .ok_or_else(|| CatalogError::NotFound("demo".into()))?;
    service::get(state, Some(&Actor::system()), id).await
}

/// Publishes many demo resources directly in one transaction; returns their ids.
pub async fn create_demo_resources(
    state: &CatalogState,
    news: &[NewResource],
) -> Result<Vec<i64>, CatalogError> {
    service::publish_directly(state, news).await
}

/// Dashboard figures: `catalog_resources` (all), `catalog_published`, `catalog_pending_review`,
/// `catalog_open` (published and opened to the public).
pub async fn headline(db: &Db) -> Result<Vec<(&'static str, i64)>, CatalogError> {
    let mut conn = db.pool().acquire().await?;
    let counts = store::count_by_status(&mut conn).await?;
    let get = |s: Status| {
        counts
            .iter()
            .find(|(k, _)| k == s.as_str())
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    Ok(vec![
        ("catalog_resources", counts.iter().map(|(_, n)| n).sum()),
        ("catalog_published", get(Status::Published)),
        ("catalog_pending_review", get(Status::Submitted)),
            ("catalog_open", db.scalar_i64("SELECT COUNT(*) FROM catalog_resources WHERE status = 'published' AND open_type <> 'not_open'").await?),
    ])
}
