//! The values a unique rule has seen in one batch, in bounded memory.
//!
//! The first [`UNIQUE_IN_MEMORY_VALUES`] distinct values (64-bit hashes of their text) are
//! held in a hash set and a repeat of one of them is found as its row is read, so the row
//! goes to quarantine with the others of its chunk. Past the bound, a value not in the set
//! is written with its line to sorted runs in anonymous temporary files (16 bytes a row;
//! the kernel deletes them with the process, however it ends), and the repeats among those
//! rows are found once the batch has been read, by merging the runs: the row of the
//! smallest line keeps the value, as in memory. What the batch then does with those rows
//! depends on whether its rows are still to be written (a spooled batch: an upsert's, or an
//! append's with a blocking unique rule, see `ingest::write`) or already are (an append's
//! otherwise). The runs take their bytes from the batch's [`Scratch`].
//!
//! Memory: the set (at most 2²³ buckets of 9 bytes, 75 MB, and its previous half while it
//! grows), one run being filled (16 MB) and, at the end, a read buffer per run and the
//! list of repeated rows found (16 bytes each; a batch with more repeats than its reject
//! ratio allows fails anyway).

use std::collections::{BinaryHeap, HashSet};
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Distinct values of a unique rule held in memory per batch; see the module docs. Just
/// below the 7,340,032 that 2²³ hash buckets take before they double.
pub const UNIQUE_IN_MEMORY_VALUES: usize = 7_000_000;

/// Rows past the bound written to disk as one sorted run.
const RUN_ROWS: usize = 1 << 20;

/// A row past the bound whose value an earlier row past the bound had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Repeat {
    pub line: u64,
    /// The line of the row that keeps the value.
    pub first: u64,
}

/// The temporary disk one batch may take in its folder, shared by the unique rules' runs
/// and the spooled batch (see `ingest::write`), and what they hold now.
#[derive(Debug)]
pub struct Scratch {
    folder: PathBuf,
    max: u64,
    used: AtomicU64,
}

impl Scratch {
    pub fn new(folder: PathBuf, max: u64) -> Scratch {
        Scratch {
            folder,
            max,
            used: AtomicU64::new(0),
        }
    }

    /// Bytes held now.
    pub fn used(&self) -> u64 {
        self.used.load(Ordering::Relaxed)
    }

    /// Takes `n` more bytes, or fails when that is more than the folder may give.
    fn take(&self, n: u64) -> std::io::Result<()> {
        self.used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                used.checked_add(n).filter(|&u| u <= self.max)
            })
            .map(|_| ())
            .map_err(|_| {
                std::io::Error::other(format!(
                    "the batch needs more than the {} of temporary disk it may use in {} (the \
                     free space there less a reserve); point TMPDIR at a folder on a larger \
                     disk, free space there, or submit the batch in smaller parts",
                    crate::fmt_bytes(i64::try_from(self.max).unwrap_or(i64::MAX)),
                    self.folder.display()
                ))
            })
    }

    fn give_back(&self, n: u64) {
        self.used.fetch_sub(n, Ordering::Relaxed);
    }
}

pub struct Seen {
    /// Distinct values held in memory.
    cap: usize,
    inner: Mutex<Inner>,
    /// The runs and their bytes.
    runs: Mutex<(Vec<std::fs::File>, u64)>,
    scratch: Arc<Scratch>,
    run_rows: usize,
}

struct Inner {
    set: HashSet<u64>,
    /// (hash, line) of rows past the bound, not yet in a run.
    pending: Vec<(u64, u64)>,
}

impl Seen {
    /// `cap` values in memory; runs in `scratch`'s folder, within its bound.
    pub fn new(cap: usize, scratch: Arc<Scratch>) -> Seen {
        Seen::with_run_rows(cap, scratch, RUN_ROWS)
    }

    fn with_run_rows(cap: usize, scratch: Arc<Scratch>, run_rows: usize) -> Seen {
        Seen {
            cap,
            inner: Mutex::new(Inner {
                set: HashSet::new(),
                pending: Vec::new(),
            }),
            runs: Mutex::new((Vec::new(), 0)),
            scratch,
            run_rows: run_rows.max(1),
        }
    }

    /// Records `(line, hash)` pairs of one chunk; returns the indexes (into `values`) of the
    /// rows whose value is a repeat known now. A value past the bound is taken as new here
    /// and checked by [`Seen::repeats`].
    pub fn check(&self, values: &[(u64, u64)]) -> std::io::Result<Vec<usize>> {
        let mut repeats = Vec::new();
        let mut full = Vec::new();
        {
            let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            let inner = &mut *inner;
            for (i, &(line, h)) in values.iter().enumerate() {
                if inner.set.contains(&h) {
                    repeats.push(i);
                } else if inner.set.len() < self.cap {
                    inner.set.insert(h);
                } else {
                    inner.pending.push((h, line));
                    if inner.pending.len() >= self.run_rows {
                        full.push(std::mem::take(&mut inner.pending));
                    }
                }
            }
        }
        // Sorted and written outside the lock: the other workers go on meanwhile.
        for run in full {
            self.write_run(run)?;
        }
        Ok(repeats)
    }

    fn write_run(&self, mut run: Vec<(u64, u64)>) -> std::io::Result<()> {
        let bytes = run.len() as u64 * 16;
        self.scratch.take(bytes)?;
        let mut runs = self.runs.lock().unwrap_or_else(|e| e.into_inner());
        runs.1 += bytes;
        drop(runs);
        run.sort_unstable();
        let mut file = tempfile::tempfile_in(&self.scratch.folder)?;
        {
            let mut w = BufWriter::with_capacity(1 << 16, &mut file);
            for (h, line) in &run {
                w.write_all(&h.to_le_bytes())?;
                w.write_all(&line.to_le_bytes())?;
            }
            w.flush()?;
        }
        file.rewind()?;
        self.runs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .push(file);
        Ok(())
    }

    /// The number of distinct values held in memory.
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// Whether rows went past the bound (and [`Seen::repeats`] has work to do).
    #[cfg(test)]
    fn overflowed(&self) -> bool {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        !inner.pending.is_empty()
            || !self
                .runs
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .0
                .is_empty()
    }

    /// Once every row is checked: the rows past the bound that repeat a value of an earlier
    /// row past the bound, sorted by line; at most `limit` of them (`None` when there are
    /// more). Frees the set.
    pub fn repeats(&self, limit: usize) -> std::io::Result<Option<Vec<Repeat>>> {
        let pending = {
            let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            inner.set = HashSet::new();
            std::mem::take(&mut inner.pending)
        };
        if !pending.is_empty() {
            self.write_run(pending)?;
        }
        let (runs, bytes) =
            std::mem::take(&mut *self.runs.lock().unwrap_or_else(|e| e.into_inner()));
        // The runs' files go when this returns (anonymous files, closed).
        let _give_back = GiveBack(&self.scratch, bytes);
        let mut readers: Vec<BufReader<std::fs::File>> = runs
            .into_iter()
            .map(|f| BufReader::with_capacity(1 << 16, f))
            .collect();
        // A k-way merge of the sorted runs by (hash, line): each hash's rows come together,
        // the smallest line first.
        let mut heap = BinaryHeap::new();
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some((h, line)) = next_pair(r)? {
                heap.push(std::cmp::Reverse((h, line, i)));
            }
        }
        let mut out = Vec::new();
        let mut current: Option<(u64, u64)> = None; // (hash, first line)
        while let Some(std::cmp::Reverse((h, line, i))) = heap.pop() {
            match current {
                Some((ch, first)) if ch == h => {
                    if out.len() == limit {
                        return Ok(None);
                    }
                    out.push(Repeat { line, first });
                }
                _ => current = Some((h, line)),
            }
            if let Some((h, line)) = next_pair(&mut readers[i])? {
                heap.push(std::cmp::Reverse((h, line, i)));
            }
        }
        out.sort_unstable();
        Ok(Some(out))
    }
}

/// Returns bytes to a [`Scratch`] when dropped.
struct GiveBack<'a>(&'a Scratch, u64);

impl Drop for GiveBack<'_> {
    fn drop(&mut self) {
        self.0.give_back(self.1);
    }
}

impl Drop for Seen {
    fn drop(&mut self) {
        let runs = self.runs.get_mut().unwrap_or_else(|e| e.into_inner());
        self.scratch.give_back(runs.1);
    }
}

fn next_pair(r: &mut impl Read) -> std::io::Result<Option<(u64, u64)>> {
    let mut buf = [0u8; 16];
    match r.read_exact(&mut buf) {
        Ok(()) => {
            let (h, l) = buf.split_at(8);
            Ok(Some((
                u64::from_le_bytes(h.try_into().unwrap_or_default()),
                u64::from_le_bytes(l.try_into().unwrap_or_default()),
            )))
        }
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn unbounded(dir: &std::path::Path) -> Arc<Scratch> {
        Arc::new(Scratch::new(dir.to_path_buf(), u64::MAX))
    }

    /// The runs count against the batch's temporary disk while they exist: past it the
    /// check fails with the folder named; once merged (or dropped) they are given back.
    #[test]
    fn runs_take_their_bytes_from_the_scratch_bound() {
        let dir = tempfile::tempdir().unwrap();
        let rows: Vec<(u64, u64)> = (1..=100u64).map(|l| (l, l)).collect();
        // Ten runs of ten rows, 160 bytes each: 1,600 bytes in all.
        let scratch = Arc::new(Scratch::new(dir.path().to_path_buf(), 1_600));
        let seen = Seen::with_run_rows(0, scratch.clone(), 10);
        seen.check(&rows).unwrap();
        assert_eq!(scratch.used(), 1_600);
        assert_eq!(seen.repeats(usize::MAX).unwrap().unwrap(), vec![]);
        assert_eq!(scratch.used(), 0);

        let scratch = Arc::new(Scratch::new(dir.path().to_path_buf(), 1_599));
        let seen = Seen::with_run_rows(0, scratch.clone(), 10);
        let e = seen.check(&rows).unwrap_err().to_string();
        assert!(e.contains("of temporary disk it may use in"), "{e}");
        assert!(e.contains(&dir.path().display().to_string()), "{e}");
        assert_eq!(scratch.used(), 1_440);
        drop(seen);
        assert_eq!(scratch.used(), 0);
    }

    /// Every repeat is found once, with its first line, whichever side of the bound and
    /// whichever run each row fell in; the in-memory part finds its repeats at once.
    #[test]
    fn repeats_past_the_bound_are_found_on_disk_as_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        // Lines 1..=5000, values drawn from 0..1500 so most repeat, some many times.
        let rows: Vec<(u64, u64)> = (1..=5000u64)
            .map(|line| (line, (line * 7919 + line / 3) % 1500))
            .collect();
        for (cap, run_rows) in [(0, 7), (100, 64), (1000, 1000), (10_000, 16)] {
            let seen = Seen::with_run_rows(cap, unbounded(dir.path()), run_rows);
            let mut now = Vec::new();
            for chunk in rows.chunks(333) {
                for i in seen.check(chunk).unwrap() {
                    now.push(chunk[i].0);
                }
            }
            assert_eq!(seen.overflowed(), cap < 1500, "cap {cap}");
            let later = seen.repeats(usize::MAX).unwrap().unwrap();
            // The truth: every row but the first of its value.
            let mut first: HashMap<u64, u64> = HashMap::new();
            let mut expected = Vec::new();
            for &(line, v) in &rows {
                match first.get(&v) {
                    Some(&f) => expected.push((line, f)),
                    None => {
                        first.insert(v, line);
                    }
                }
            }
            let mut got: Vec<u64> = now.clone();
            got.extend(later.iter().map(|r| r.line));
            got.sort_unstable();
            let mut want: Vec<u64> = expected.iter().map(|e| e.0).collect();
            want.sort_unstable();
            assert_eq!(got, want, "cap {cap}");
            // Found later: the first line is the value's first past the bound, which is its
            // first in the batch (a value in the set never reaches the runs).
            for r in &later {
                assert!(expected.contains(&(r.line, r.first)), "cap {cap}: {r:?}");
            }
            if cap >= 1500 {
                assert!(later.is_empty());
            }
        }
    }

    #[test]
    fn the_list_of_repeats_is_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let seen = Seen::with_run_rows(0, unbounded(dir.path()), 10);
        let rows: Vec<(u64, u64)> = (1..=100u64).map(|l| (l, l % 10)).collect();
        seen.check(&rows).unwrap();
        assert_eq!(seen.repeats(89).unwrap(), None);
        let seen = Seen::with_run_rows(0, unbounded(dir.path()), 10);
        seen.check(&rows).unwrap();
        assert_eq!(seen.repeats(90).unwrap().unwrap().len(), 90);
    }
}
