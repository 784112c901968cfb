//! What the share API looks up on every call — the token and its scenario, the grant's
//! view of a resource — kept for a moment, so that a keyed fetch does not pay eight
//! database statements before it reads a row.
//!
//! An entry is served for at most [`FRESH_FOR`]. Every change this process makes to
//! scenarios, grants or tokens forgets every entry at once (a revocation here takes effect
//! on the next call); a change made by another server behind the same database is seen
//! within [`FRESH_FOR`], as the lake's table cache sees other writers' commits. Dates are
//! checked again on every use (a token's expiry, a grant's last day), against the
//! platform's clock, so an entry never outlives what it stands for.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::model::{Scenario, ScenarioToken};
use crate::query::View;

/// How long an entry is served before it is looked up again.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

/// Entries kept per map; beyond it the map is emptied (tokens and scenarios number in the
/// hundreds, so this only bounds a flood of distinct bad keys).
const MAX_ENTRIES: usize = 10_000;

struct Entry<T> {
    value: T,
    at: Instant,
    generation: u64,
}

/// The share API's lookup cache; see the module docs.
#[derive(Default)]
pub struct ShareCache {
    generation: AtomicU64,
    tokens: Mutex<HashMap<String, Entry<(ScenarioToken, Scenario)>>>,
    views: Mutex<HashMap<(i64, String), Entry<View>>>,
}

impl std::fmt::Debug for ShareCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShareCache")
            .field("generation", &self.generation.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

fn get<K: std::hash::Hash + Eq, T: Clone>(
    map: &Mutex<HashMap<K, Entry<T>>>,
    key: &K,
    generation: u64,
) -> Option<T> {
    let map = map.lock().unwrap_or_else(|e| e.into_inner());
    map.get(key)
        .filter(|e| e.generation == generation && e.at.elapsed() < FRESH_FOR)
        .map(|e| e.value.clone())
}

fn put<K: std::hash::Hash + Eq, T>(
    map: &Mutex<HashMap<K, Entry<T>>>,
    key: K,
    value: T,
    generation: u64,
) {
    let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
    if map.len() >= MAX_ENTRIES {
        map.clear();
    }
    map.insert(
        key,
        Entry {
            value,
            at: Instant::now(),
            generation,
        },
    );
}

impl ShareCache {
    /// The generation a lookup starts in: an entry made from it is stored under it, so a
    /// change that lands while the lookup runs is not hidden by the lookup's older answer.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Forgets every entry (after any change to scenarios, grants or tokens).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.views.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The token (by the hash of its secret) and its scenario.
    pub fn token(&self, hash: &str) -> Option<(ScenarioToken, Scenario)> {
        get(&self.tokens, &hash.to_string(), self.generation())
    }

    pub fn put_token(&self, hash: &str, value: (ScenarioToken, Scenario), generation: u64) {
        put(&self.tokens, hash.to_string(), value, generation);
    }

    /// A scenario's view of a resource (named by table or code).
    pub fn view(&self, scenario_id: i64, resource: &str) -> Option<View> {
        get(
            &self.views,
            &(scenario_id, resource.to_string()),
            self.generation(),
        )
    }

    pub fn put_view(&self, scenario_id: i64, resource: &str, view: View, generation: u64) {
        put(
            &self.views,
            (scenario_id, resource.to_string()),
            view,
            generation,
        );
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn an_entry_is_served_until_a_change_or_its_age() {
        let c = ShareCache::default();
        let m: Mutex<HashMap<&str, Entry<i64>>> = Mutex::default();
        let g = c.generation();
        put(&m, "k", 7, g);
        assert_eq!(get(&m, &"k", c.generation()), Some(7));
        c.invalidate();
        assert_eq!(
            get(&m, &"k", c.generation()),
            None,
            "a change forgets the entry"
        );
        // A lookup that started before the change does not store its older answer.
        put(&m, "k", 7, g);
        assert_eq!(get(&m, &"k", c.generation()), None);
        let g = c.generation();
        put(&m, "k", 8, g);
        assert_eq!(get(&m, &"k", g), Some(8));
        m.lock().unwrap().get_mut("k").unwrap().at -= FRESH_FOR;
        assert_eq!(get(&m, &"k", g), None, "an old entry is looked up again");
    }
}
