//! The lake itself: one Delta Lake table per connected resource under the lake URL
//! (`file:///…` by default, an object store at scale), always addressed by URL through
//! `object_store`, never by local path. Loaded tables are cached and brought up to date
//! incrementally, so a query does not re-read the log.

use std::collections::HashMap;
use std::sync::Arc;

use deltalake::arrow::datatypes::{
    DataType as ArrowType, Field, Schema as ArrowSchema, SchemaRef, TimeUnit,
};
use deltalake::datafusion::execution::cache::cache_manager::{
    CacheManagerConfig, CachedFileMetadataEntry, FileMetadataCache,
};
use deltalake::datafusion::execution::cache::default_cache::DefaultCache;
use deltalake::datafusion::execution::memory_pool::FairSpillPool;
use deltalake::datafusion::execution::object_store::{
    DefaultObjectStoreRegistry, ObjectStoreRegistry,
};
use deltalake::datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use deltalake::datafusion::execution::session_state::{SessionState, SessionStateBuilder};
use deltalake::datafusion::prelude::SessionConfig;
use deltalake::kernel::StructType;
use deltalake::logstore::object_store::{ObjectStoreExt as _, PutPayload};
use deltalake::logstore::ObjectStoreRef;
use deltalake::{DeltaTable, DeltaTableBuilder, ObjectStoreError, Path as ObjectPath};
use tokio::sync::Mutex;
use url::Url;
use zhengshu_catalog::model::{DataItem, DataType};

use crate::LakeError;

/// The Arrow type a data item is stored as.
pub fn arrow_type(t: DataType) -> ArrowType {
    match t {
        DataType::String => ArrowType::Utf8,
        DataType::Integer => ArrowType::Int64,
        DataType::Number => ArrowType::Float64,
        DataType::Date => ArrowType::Date32,
        DataType::Datetime => ArrowType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        DataType::Boolean => ArrowType::Boolean,
        DataType::Binary => ArrowType::Binary,
    }
}

/// The table schema of a resource's data items (all nullable; the label is the column
/// comment, so other engines show the Chinese name too).
pub fn arrow_schema(items: &[DataItem]) -> SchemaRef {
    Arc::new(ArrowSchema::new(
        items
            .iter()
            .map(|i| {
                Field::new(&i.name, arrow_type(i.data_type), true).with_metadata(
                    [("comment".to_string(), i.label.clone())]
                        .into_iter()
                        .collect(),
                )
            })
            .collect::<Vec<_>>(),
    ))
}

/// Whether `name` is a valid table name: lower-case letters, digits and `_`, starting with
/// a letter, at most 63 characters, and not `new`, `sql` or `jobs`.
pub fn is_valid_table_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && name.len() <= 63
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        // Console paths under /console/lake/ that a table name must not shadow.
        && !matches!(name, "new" | "sql" | "jobs")
}

/// How long an opened table is served from the cache before its log is checked again for
/// commits made by other processes.
pub const FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(1);

/// Bytes of Parquet footers and page indexes kept between queries (see [`Lake::runtime`]).
pub const FILE_METADATA_CACHE_BYTES: usize = 256 << 20;

/// The memory pool of [`Lake::planning_state`]'s own runtime (planning allocates nothing
/// from it; the plans run in runtimes of their own).
const PLANNING_MEMORY_BYTES: usize = 64 << 20;

/// The lake: a root URL, a cache of opened tables and a cache of their files' Parquet
/// metadata.
pub struct Lake {
    root: Url,
    /// Opened tables with the moment their log was last checked.
    cache: Mutex<HashMap<String, (DeltaTable, std::time::Instant)>>,
    meta: MetaStore,
    /// Parquet footers and page indexes by file path, shared by every query session. Data
    /// files are never rewritten in place (a commit adds new files under new names), so an
    /// entry stays true for as long as its file exists.
    file_metadata: Arc<FileMetadataCache>,
    /// The object stores of every runtime [`Lake::runtime`] builds: a table's store,
    /// registered when a query first plans a scan of it, serves every later query, and a
    /// plan made in one session runs in another's runtime.
    object_stores: Arc<dyn ObjectStoreRegistry>,
    /// See [`Lake::planning_state`].
    planning: std::sync::OnceLock<Arc<SessionState>>,
}

impl std::fmt::Debug for Lake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lake")
            .field("root", &self.root)
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

/// The platform's own small files in the lake's object store, under `<lake root>/_zhengshu/`
/// (e.g. the audit log's anchored head). No table can live there: table names start with a
/// letter. Cheap to clone; the store is built on first use from the lake URL, the same way
/// delta-rs builds a table's store.
#[derive(Debug, Clone)]
pub struct MetaStore {
    root: Url,
    store: Arc<tokio::sync::OnceCell<ObjectStoreRef>>,
}

impl MetaStore {
    /// The folder under the lake root that holds the platform's files.
    pub const DIR: &'static str = "_zhengshu";

    fn new(lake_root: &Url) -> Result<MetaStore, LakeError> {
        let root = lake_root
            .join(&format!("{}/", Self::DIR))
            .map_err(|e| LakeError::Storage(e.to_string()))?;
        Ok(MetaStore {
            root,
            store: Arc::new(tokio::sync::OnceCell::new()),
        })
    }

    /// The URL of `path` (relative to `<lake root>/_zhengshu/`), for messages.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.root)
    }

    async fn store(&self) -> Result<&ObjectStoreRef, LakeError> {
        self.store
            .get_or_try_init(|| async {
                deltalake::logstore::store_for(&self.root, std::iter::empty::<(String, String)>())
                    .map_err(|e| {
                        LakeError::Storage(format!("cannot open the store at {}: {e}", self.root))
                    })
            })
            .await
    }

    fn location(&self, path: &str) -> Result<ObjectPath, LakeError> {
        ObjectPath::parse(path)
            .ok()
            .filter(|p| !p.as_ref().is_empty())
            .ok_or_else(|| LakeError::invalid("path", format!("`{path}` is not a file path")))
    }

    /// Writes (atomically replaces) the file at `path`, e.g. `audit/head.json`.
    pub async fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), LakeError> {
        let location = self.location(path)?;
        self.store()
            .await?
            .put(&location, PutPayload::from(bytes))
            .await
            .map_err(|e| LakeError::Storage(format!("cannot write {}: {e}", self.url(path))))?;
        Ok(())
    }

    /// Reads the file at `path`; `None` when there is none.
    pub async fn get(&self, path: &str) -> Result<Option<Vec<u8>>, LakeError> {
        let location = self.location(path)?;
        let store = self.store().await?;
        let failed = |e: ObjectStoreError| {
            LakeError::Storage(format!("cannot read {}: {e}", self.url(path)))
        };
        match store.get(&location).await {
            Ok(r) => Ok(Some(r.bytes().await.map_err(failed)?.to_vec())),
            Err(ObjectStoreError::NotFound { .. }) => Ok(None),
            Err(e) => Err(failed(e)),
        }
    }
}

impl Lake {
    /// A lake rooted at `url` (`file:///…`, or `s3://…` in builds with the `s3` feature).
    pub fn new(url: &str) -> Result<Lake, LakeError> {
        let mut s = url.to_string();
        if !s.ends_with('/') {
            s.push('/');
        }
        let root = Url::parse(&s)
            .map_err(|e| LakeError::invalid("lake_url", format!("`{url}` is not a URL: {e}")))?;
        if root.scheme() == "file" {
            if let Ok(p) = root.to_file_path() {
                std::fs::create_dir_all(&p).map_err(|e| {
                    LakeError::Storage(format!(
                        "cannot create the lake folder {}: {e}",
                        p.display()
                    ))
                })?;
            }
        }
        Ok(Lake {
            meta: MetaStore::new(&root)?,
            root,
            cache: Mutex::new(HashMap::new()),
            file_metadata: Arc::new(
                DefaultCache::<ObjectPath, CachedFileMetadataEntry>::new(FILE_METADATA_CACHE_BYTES)
                    .with_name("zhengshu-file-metadata"),
            ),
            object_stores: Arc::new(DefaultObjectStoreRegistry::new()),
            planning: std::sync::OnceLock::new(),
        })
    }

    /// A query runtime that spills or fails beyond `memory_bytes` and shares the lake's
    /// Parquet metadata cache. Every session gets its own memory pool, but not its own
    /// cache: without the shared one, each query would read and decode again the footer
    /// and page index of every file it touches (a keyed lookup on a clustered table reads
    /// one row group, so those reads were most of its work).
    pub fn runtime(&self, memory_bytes: usize) -> Result<Arc<RuntimeEnv>, LakeError> {
        Ok(RuntimeEnvBuilder::new()
            .with_memory_pool(Arc::new(FairSpillPool::new(memory_bytes)))
            .with_object_store_registry(self.object_stores.clone())
            .with_cache_manager(
                CacheManagerConfig::default()
                    .with_file_metadata_cache(Some(self.file_metadata.clone()))
                    .with_metadata_cache_limit(FILE_METADATA_CACHE_BYTES),
            )
            .build_arc()?)
    }

    /// A session state to plan hand-built logical plans in (the share API's REST reads),
    /// made once per lake: building a state registers DataFusion's ≈ 170 functions, which
    /// a keyed fetch paid on every call. It has no tables and no information schema; a plan
    /// made in it runs with a runtime of its own ([`Lake::runtime`], the query's memory
    /// limit), which shares this state's object stores. Its query start time is the time
    /// it was made, so plans planned in it must not use `now()`.
    pub fn planning_state(&self) -> Result<Arc<SessionState>, LakeError> {
        if let Some(s) = self.planning.get() {
            return Ok(s.clone());
        }
        let config = SessionConfig::new()
            .with_information_schema(false)
            .with_default_catalog_and_schema("datafusion", "public");
        let state = SessionStateBuilder::new()
            .with_config(config)
            .with_runtime_env(self.runtime(PLANNING_MEMORY_BYTES)?)
            .with_default_features()
            .build();
        Ok(self.planning.get_or_init(|| Arc::new(state)).clone())
    }

    pub fn root(&self) -> &Url {
        &self.root
    }

    /// The platform's own files under `<lake root>/_zhengshu/` (a cheap handle to keep).
    pub fn meta(&self) -> MetaStore {
        self.meta.clone()
    }

    /// Writes `<lake root>/_zhengshu/<path>` (atomically replacing it).
    pub async fn put_meta(&self, path: &str, bytes: Vec<u8>) -> Result<(), LakeError> {
        self.meta.put(path, bytes).await
    }

    /// Reads `<lake root>/_zhengshu/<path>`; `None` when there is none.
    pub async fn get_meta(&self, path: &str) -> Result<Option<Vec<u8>>, LakeError> {
        self.meta.get(path).await
    }

    /// The URL of a table.
    pub fn table_url(&self, name: &str) -> Result<Url, LakeError> {
        self.root
            .join(&format!("{name}/"))
            .map_err(|e| LakeError::Storage(e.to_string()))
    }

    /// Creates an empty Delta table for the items (a no-op when it exists with the same columns).
    pub async fn create(
        &self,
        name: &str,
        label: &str,
        items: &[DataItem],
    ) -> Result<DeltaTable, LakeError> {
        let url = self.table_url(name)?;
        let mut exists = true;
        if url.scheme() == "file" {
            if let Ok(p) = url.to_file_path() {
                std::fs::create_dir_all(&p).map_err(|e| {
                    LakeError::Storage(format!("cannot create {}: {e}", p.display()))
                })?;
                exists = p.join("_delta_log").is_dir();
            }
        }
        // Loading a table that is not there logs a kernel error; a new local table is
        // known to be new, so it is only built, not loaded.
        let table = if exists {
            DeltaTable::try_from_url(url).await?
        } else {
            DeltaTableBuilder::from_url(url)?.build()?
        };
        if table.version().is_some() {
            return Ok(table);
        }
        let schema = arrow_schema(items);
        use deltalake::kernel::engine::arrow_conversion::TryIntoKernel as _;
        let st: StructType = schema
            .as_ref()
            .try_into_kernel()
            .map_err(|e| LakeError::Storage(format!("schema: {e}")))?;
        let table = table
            .create()
            .with_table_name(name)
            .with_comment(label)
            .with_columns(st.fields().cloned())
            .await?;
        self.cache
            .lock()
            .await
            .insert(name.into(), (table.clone(), std::time::Instant::now()));
        Ok(table)
    }

    /// The latest state of a table (from the cache, brought up to date).
    pub async fn open(&self, name: &str) -> Result<DeltaTable, LakeError> {
        let mut cache = self.cache.lock().await;
        if let Some((t, checked)) = cache.get_mut(name) {
            // Commits made by this process forget the table (ingest, maintenance), so they
            // are seen at once; the log is re-read for other writers (the CLI, other
            // servers) at most once per FRESH_FOR, not on every query.
            if checked.elapsed() >= FRESH_FOR {
                t.update_incremental(None).await?;
                *checked = std::time::Instant::now();
            }
            return Ok(t.clone());
        }
        let url = self.table_url(name)?;
        let table = deltalake::open_table(url)
            .await
            .map_err(|e| LakeError::not_found_or(name, e))?;
        cache.insert(name.into(), (table.clone(), std::time::Instant::now()));
        Ok(table)
    }

    /// A table as of a version (time travel).
    pub async fn open_version(&self, name: &str, version: i64) -> Result<DeltaTable, LakeError> {
        let url = self.table_url(name)?;
        DeltaTableBuilder::from_url(url)?
            .with_version(
                u64::try_from(version)
                    .map_err(|_| LakeError::invalid("version", "versions start at 0"))?,
            )
            .load()
            .await
            .map_err(|e| LakeError::not_found_or(name, e))
    }

    /// A table as of a moment (the last version committed at or before it).
    pub async fn open_at(
        &self,
        name: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<DeltaTable, LakeError> {
        let url = self.table_url(name)?;
        let mut t = DeltaTableBuilder::from_url(url)?
            .build()
            .map_err(|e| LakeError::not_found_or(name, e))?;
        t.load_with_datetime(at)
            .await
            .map_err(|e| LakeError::not_found_or(name, e))?;
        Ok(t)
    }

    /// Forgets a cached table (after maintenance that rewrote it).
    pub async fn forget(&self, name: &str) {
        self.cache.lock().await.remove(name);
    }
}

/// Size figures of a table's current version, from the log (no data is read).
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct TableStats {
    pub version: i64,
    pub files: i64,
    pub rows: i64,
    pub bytes: i64,
}

/// Reads the current version's figures from the table's file list.
pub fn stats(table: &DeltaTable) -> Result<TableStats, LakeError> {
    let snapshot = table.snapshot()?;
    let mut s = TableStats {
        version: table.version().map(|v| v as i64).unwrap_or(-1),
        ..TableStats::default()
    };
    for f in snapshot.log_data().iter() {
        s.files += 1;
        s.bytes += f.size();
        s.rows += f.num_records().unwrap_or(0) as i64;
    }
    Ok(s)
}
