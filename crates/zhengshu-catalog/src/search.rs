//! 目录检索: the embedded full-text index (tantivy) over the catalog.
//!
//! Each server instance keeps its own index (in RAM, or in a folder under the data dir)
//! and keeps it in step with the database through the change sequence in
//! `catalog_changes`: every write appends a row in the same transaction; an instance
//! applies its own writes at once and, before each search, applies the rows after the
//! last sequence number it has seen ([`SearchIndex::sync`]). A full rebuild reads every
//! resource from the database.

mod analyze;
mod facets;
mod query;

pub use facets::{Facet, FacetCount, FacetValues};
pub use query::{SearchHits, SearchParams, Sort, Viewer};

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use zhengshu_db::{parse_ts, Db};

use crate::model::Resource;
use crate::{store, CatalogError};

/// Written into each commit so an on-disk index knows where it stands.
const PAYLOAD_PREFIX: &str = "zhengshu-catalog-index v1 seq=";
/// A missing sequence number younger than this may still be an open transaction.
const GAP_GRACE_SECS: i64 = 10;
const WRITER_HEAP: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) id: Field,
    pub(crate) all: Field,
    pub(crate) title: Field,
    pub(crate) facets: [Field; Facet::ALL.len()],
    pub(crate) publish_date: Field,
    pub(crate) updated: Field,
    pub(crate) name_key: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("zh")
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let id = b.add_u64_field("id", INDEXED | FAST);
    let all = b.add_text_field("all", text.clone());
    let title = b.add_text_field("title", text);
    let facets = Facet::ALL.map(|f| b.add_text_field(f.as_str(), STRING | FAST));
    let publish_date = b.add_i64_field("publish_date", FAST);
    let updated = b.add_i64_field("updated", FAST);
    let name_key = b.add_u64_field("name_key", FAST);
    (
        b.build(),
        Fields {
            id,
            all,
            title,
            facets,
            publish_date,
            updated,
            name_key,
        },
    )
}

/// The search index of one instance.
pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    pub(crate) fields: Fields,
    /// Every change up to this sequence number is applied.
    last_seq: AtomicI64,
    /// Resource id → the version this index holds (to skip re-applying own writes).
    applied: Mutex<HashMap<i64, i64>>,
    sync_lock: tokio::sync::Mutex<()>,
    /// Whether a full rebuild is due (a new on-disk or in-RAM index).
    fresh: bool,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("last_seq", &self.last_seq.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir` (created if needed; rebuilt if its schema is older), or
    /// an in-RAM index for `None`.
    pub fn open(dir: Option<PathBuf>) -> Result<SearchIndex, CatalogError> {
        analyze::warm_up();
        let (schema, fields) = schema();
        let (index, fresh, seq) = match dir {
            None => (Index::create_in_ram(schema), true, 0),
            Some(dir) => open_dir(dir, schema)?,
        };
        index.tokenizers().register("zh", analyze::ZhTokenizer);
        let writer = index.writer_with_num_threads(1, WRITER_HEAP)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            reader,
            writer: Mutex::new(writer),
            fields,
            last_seq: AtomicI64::new(seq),
            applied: Mutex::new(HashMap::new()),
            sync_lock: tokio::sync::Mutex::new(()),
            fresh,
        })
    }

    /// The last change sequence number applied.
    pub fn last_seq(&self) -> i64 {
        self.last_seq.load(Ordering::SeqCst)
    }

    /// Number of documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn doc(&self, r: &Resource) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, r.id as u64);
        doc.add_text(f.title, &r.name);
        let mut all = format!(
            "{} {} {} {} {} {}",
            r.name,
            r.summary,
            r.code,
            r.provider_name,
            r.theme,
            r.keywords.join(" ")
        );
        for item in &r.items {
            all.push(' ');
            all.push_str(&item.label);
        }
        doc.add_text(f.all, &all);
        for (facet, field) in Facet::ALL.iter().zip(f.facets) {
            doc.add_text(field, facet.value_of(r));
        }
        let date = r
            .publish_date
            .as_deref()
            .map(|d| d.replace('-', "").parse::<i64>().unwrap_or(0))
            .unwrap_or(0);
        doc.add_i64(f.publish_date, date);
        doc.add_i64(
            f.updated,
            parse_ts(&r.updated_at)
                .map(|t| t.timestamp_micros())
                .unwrap_or(0),
        );
        doc.add_u64(f.name_key, name_key(&r.name));
        doc
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Puts these resources (their current state) into the index and commits.
    pub fn apply(&self, resources: &[Resource], removed: &[i64]) -> Result<(), CatalogError> {
        let mut w = self.writer();
        let mut applied = self.applied.lock().unwrap_or_else(PoisonError::into_inner);
        for id in removed {
            w.delete_term(Term::from_field_u64(self.fields.id, *id as u64));
            applied.remove(id);
        }
        for r in resources {
            w.delete_term(Term::from_field_u64(self.fields.id, r.id as u64));
            w.add_document(self.doc(r))?;
            applied.insert(r.id, r.version);
        }
        drop(applied);
        commit(&mut w, self.last_seq())?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    /// Brings the index up to date with the database: applies the changes after the
    /// last seen sequence number (or rebuilds everything when asked to or when new).
    /// Returns how many resources were re-indexed.
    pub async fn sync(&self, db: &Db, now: DateTime<Utc>) -> Result<usize, CatalogError> {
        let _guard = self.sync_lock.lock().await;
        if self.fresh && self.last_seq() == 0 {
            let mut conn = db.pool().acquire().await?;
            if store::max_seq(&mut conn).await? > 0 && self.num_docs() == 0 {
                drop(conn);
                return self.rebuild_locked(db).await;
            }
        }
        let mut total = 0;
        loop {
            let last = self.last_seq();
            let mut conn = db.pool().acquire().await?;
            let changes = store::changes_since(&mut conn, last, 2000).await?;
            if changes.is_empty() {
                return Ok(total);
            }
            if changes.iter().any(|c| c.resource_id.is_none()) {
                drop(conn);
                return self.rebuild_locked(db).await;
            }
            let mut ids: Vec<i64> = changes.iter().filter_map(|c| c.resource_id).collect();
            ids.sort_unstable();
            ids.dedup();
            let mut found = Vec::new();
            for chunk in ids.chunks(500) {
                found.extend(store::get_many(&mut conn, chunk).await?);
            }
            drop(conn);
            let stale: Vec<Resource> = {
                let applied = self.applied.lock().unwrap_or_else(PoisonError::into_inner);
                found
                    .into_iter()
                    .filter(|r| applied.get(&r.id) != Some(&r.version))
                    .collect()
            };
            let present: Vec<i64> = stale.iter().map(|r| r.id).collect();
            total += stale.len();
            let watermark = watermark(last, &changes, now);
            let mut w = self.writer();
            {
                let mut applied = self.applied.lock().unwrap_or_else(PoisonError::into_inner);
                for r in &stale {
                    w.delete_term(Term::from_field_u64(self.fields.id, r.id as u64));
                    w.add_document(self.doc(r))?;
                    applied.insert(r.id, r.version);
                }
            }
            if !present.is_empty() || watermark != last {
                commit(&mut w, watermark)?;
                drop(w);
                self.reader.reload()?;
            }
            self.last_seq.store(watermark, Ordering::SeqCst);
            if watermark == last || changes.len() < 2000 {
                return Ok(total);
            }
        }
    }

    /// Rebuilds the whole index from the database; returns the number of resources.
    pub async fn rebuild(&self, db: &Db) -> Result<usize, CatalogError> {
        let _guard = self.sync_lock.lock().await;
        self.rebuild_locked(db).await
    }

    async fn rebuild_locked(&self, db: &Db) -> Result<usize, CatalogError> {
        let mut conn = db.pool().acquire().await?;
        // Changes made while we read are replayed by the next sync.
        let seq = store::max_seq(&mut conn).await?;
        self.writer().delete_all_documents()?;
        let mut applied = HashMap::new();
        let mut after = 0;
        let mut count = 0;
        loop {
            let page = store::page_after(&mut conn, after, 1000).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            let w = self.writer();
            for r in &page {
                w.add_document(self.doc(r))?;
                applied.insert(r.id, r.version);
            }
            count += page.len();
        }
        let mut w = self.writer();
        commit(&mut w, seq)?;
        drop(w);
        self.reader.reload()?;
        *self.applied.lock().unwrap_or_else(PoisonError::into_inner) = applied;
        self.last_seq.store(seq, Ordering::SeqCst);
        Ok(count)
    }

    pub(crate) fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }
}

fn commit(w: &mut IndexWriter, seq: i64) -> Result<(), CatalogError> {
    let mut prepared = w.prepare_commit()?;
    prepared.set_payload(&format!("{PAYLOAD_PREFIX}{seq}"));
    prepared.commit()?;
    Ok(())
}

fn open_dir(dir: PathBuf, schema: Schema) -> Result<(Index, bool, i64), CatalogError> {
    use tantivy::directory::MmapDirectory;
    std::fs::create_dir_all(&dir)
        .map_err(|e| CatalogError::Index(format!("cannot create {}: {e}", dir.display())))?;
    let open = |schema: Schema| -> Result<Index, CatalogError> {
        let mmap = MmapDirectory::open(&dir)
            .map_err(|e| CatalogError::Index(format!("cannot open {}: {e}", dir.display())))?;
        Ok(Index::open_or_create(mmap, schema)?)
    };
    let index = match open(schema.clone()) {
        Ok(i) => i,
        Err(_) => {
            // An index of an older schema: start again (the database has everything).
            std::fs::remove_dir_all(&dir)
                .map_err(|e| CatalogError::Index(format!("cannot clear {}: {e}", dir.display())))?;
            std::fs::create_dir_all(&dir).map_err(|e| CatalogError::Index(e.to_string()))?;
            open(schema)?
        }
    };
    let seq = index.load_metas()?.payload.and_then(|p| {
        p.strip_prefix(PAYLOAD_PREFIX)
            .and_then(|s| s.parse::<i64>().ok())
    });
    Ok((index, seq.is_none(), seq.unwrap_or(0)))
}

/// The highest sequence number up to which every change is applied. A hole in the
/// sequence is an insert whose transaction has not committed yet (PostgreSQL hands out
/// sequence numbers before commit), unless later changes are older than the grace
/// period, in which case it was rolled back and is skipped.
fn watermark(last: i64, changes: &[store::Change], now: DateTime<Utc>) -> i64 {
    let mut wm = last;
    for c in changes {
        if c.seq == wm + 1 {
            wm = c.seq;
            continue;
        }
        let old =
            parse_ts(&c.created_at).is_some_and(|t| now - t > Duration::seconds(GAP_GRACE_SECS));
        if old {
            wm = c.seq;
        } else {
            break;
        }
    }
    wm
}

/// Sort key for "by name": the first eight bytes of the normalised name, big-endian.
fn name_key(name: &str) -> u64 {
    let norm = zhengshu_core::normalize_for_search(name);
    let mut bytes = [0u8; 8];
    for (slot, b) in bytes.iter_mut().zip(norm.bytes()) {
        *slot = b;
    }
    u64::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(seq: i64, at: &str) -> store::Change {
        store::Change {
            seq,
            resource_id: Some(1),
            created_at: at.into(),
        }
    }

    #[test]
    fn watermark_waits_for_young_gaps_and_skips_old_ones() {
        let now = parse_ts("2026-01-01T00:01:00.000000Z").unwrap_or_default();
        let young = "2026-01-01T00:00:58.000000Z";
        let old = "2026-01-01T00:00:00.000000Z";
        assert_eq!(watermark(3, &[change(4, young), change(5, young)], now), 5);
        assert_eq!(watermark(3, &[change(4, young), change(6, young)], now), 4);
        assert_eq!(watermark(3, &[change(4, young), change(6, old)], now), 6);
    }

    #[test]
    fn name_key_orders_like_the_names() {
        assert!(name_key("abc") < name_key("abd"));
        assert!(name_key("人口") < name_key("法人"));
    }
}
