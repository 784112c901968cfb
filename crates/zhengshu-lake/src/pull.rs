//! Scheduled pulls from a unit's own PostgreSQL or MySQL database: a SQL query, made
//! incremental by a watermark column, run at the resource's update cycle. Each run is an
//! ordinary ingest batch (rules, quarantine, one commit); the watermark advances only
//! when the batch commits.
//!
//! The pull sends its query over the database's simple (text) protocol, so every column
//! arrives as the text the database prints — dates, times, decimals, JSON and all — and
//! is coerced by the ingest like a CSV cell. The watermark goes into the query as an
//! escaped string literal (the simple protocol has no parameters).

use std::sync::mpsc;

use serde::{Deserialize, Serialize};
use sqlx::{Column, Row};
use zhengshu_db::get_i64;

use crate::read::{Chunk, ReadError, RowSource};
use crate::{ingest, LakeError, LakeState};

/// A pull as configured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Pull {
    #[serde(default)]
    pub id: i64,
    pub table_name: String,
    /// `postgres://…` or `mysql://…` (credentials included; shown masked).
    pub source_url: String,
    pub query: String,
    /// Column of the query whose values only grow (an update time, an id); blank = full
    /// reload each run.
    #[serde(default)]
    pub watermark_column: String,
    #[serde(default)]
    pub last_watermark: String,
    /// append, overwrite or upsert.
    #[serde(default = "append")]
    pub mode: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub last_run_at: Option<String>,
    #[serde(default)]
    pub last_job_id: Option<i64>,
    #[serde(default)]
    pub last_error: String,
}

fn append() -> String {
    "append".into()
}

fn yes() -> bool {
    true
}

impl Pull {
    /// The source URL with its password replaced by `***`.
    pub fn masked_url(&self) -> String {
        zhengshu_db::redact(&self.source_url)
    }
}

fn pull_row(r: &sqlx::any::AnyRow) -> Result<Pull, LakeError> {
    Ok(Pull {
        id: get_i64(r, "id")?,
        table_name: r.try_get("table_name")?,
        source_url: r.try_get("source_url")?,
        query: r.try_get("query")?,
        watermark_column: r.try_get("watermark_column")?,
        last_watermark: r.try_get("last_watermark")?,
        mode: r.try_get("mode")?,
        enabled: get_i64(r, "enabled")? != 0,
        last_run_at: r.try_get("last_run_at")?,
        last_job_id: r.try_get("last_job_id")?,
        last_error: r.try_get("last_error")?,
    })
}

pub async fn list(state: &LakeState, table: Option<&str>) -> Result<Vec<Pull>, LakeError> {
    let rows = match table {
        Some(t) => {
            sqlx::query("SELECT * FROM lake_pulls WHERE table_name = $1 ORDER BY id")
                .bind(t)
                .fetch_all(state.db.pool())
                .await?
        }
        None => {
            sqlx::query("SELECT * FROM lake_pulls ORDER BY id")
                .fetch_all(state.db.pool())
                .await?
        }
    };
    rows.iter().map(pull_row).collect()
}

pub async fn get(state: &LakeState, id: i64) -> Result<Pull, LakeError> {
    let row = sqlx::query("SELECT * FROM lake_pulls WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.pool())
        .await?
        .ok_or_else(|| LakeError::NotFound(format!("pull {id}")))?;
    pull_row(&row)
}

/// Adds a pull after checking its URL, mode and watermark column name.
pub async fn add(state: &LakeState, p: &Pull) -> Result<Pull, LakeError> {
    crate::target(state, &p.table_name).await?;
    if !(p.source_url.starts_with("postgres://")
        || p.source_url.starts_with("postgresql://")
        || p.source_url.starts_with("mysql://"))
    {
        return Err(LakeError::invalid(
            "source_url",
            "give a postgres://USER:PASSWORD@HOST/DB or mysql://USER:PASSWORD@HOST/DB URL",
        ));
    }
    if ingest::Mode::parse(&p.mode).is_none() {
        return Err(LakeError::invalid("mode", "append, overwrite or upsert"));
    }
    if !p
        .watermark_column
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(LakeError::invalid(
            "watermark_column",
            "a plain column name (letters, digits, _)",
        ));
    }
    if p.query.trim().is_empty() {
        return Err(LakeError::invalid("query", "is required"));
    }
    let now = zhengshu_db::ts(state.clock.now());
    let row = sqlx::query(
        "INSERT INTO lake_pulls (table_name, source_url, query, watermark_column, last_watermark, mode, enabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&p.table_name)
    .bind(&p.source_url)
    .bind(p.query.trim().trim_end_matches(';'))
    .bind(&p.watermark_column)
    .bind(&p.last_watermark)
    .bind(&p.mode)
    .bind(p.enabled as i64)
    .bind(now)
    .fetch_one(state.db.pool())
    .await?;
    get(state, get_i64(&row, "id")?).await
}

/// The query a run sends: the configured one, filtered past the watermark and ordered by it.
pub fn run_query(p: &Pull) -> String {
    let q = p.query.trim().trim_end_matches(';');
    if p.watermark_column.is_empty() {
        return q.to_string();
    }
    let wm = &p.watermark_column;
    if p.last_watermark.is_empty() {
        format!("SELECT * FROM ({q}) AS zs_pull ORDER BY {wm}")
    } else {
        let last = literal(&p.last_watermark, p.source_url.starts_with("mysql"));
        format!("SELECT * FROM ({q}) AS zs_pull WHERE {wm} > {last} ORDER BY {wm}")
    }
}

/// `value` as a string literal that means the same text whatever the server's settings:
/// on PostgreSQL an `E''` string (backslash escapes always on), on MySQL the UTF-8 bytes
/// in hex converted to a string (unaffected by `NO_BACKSLASH_ESCAPES`; compared with a
/// number or a date it converts as a quoted string would).
fn literal(value: &str, mysql: bool) -> String {
    if mysql {
        format!("CONVERT(X'{}' USING utf8mb4)", hex::encode(value))
    } else {
        format!("E'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
    }
}

/// One row of the source as text, whichever database sent it.
trait TextRow {
    fn names(&self) -> Vec<String>;
    fn width(&self) -> usize;
    /// The value as the database prints it ("" for NULL).
    fn text(&self, i: usize) -> Result<String, String>;
}

macro_rules! text_row {
    ($row:ty) => {
        impl TextRow for $row {
            fn names(&self) -> Vec<String> {
                self.columns()
                    .iter()
                    .map(|c| c.name().to_string())
                    .collect()
            }

            fn width(&self) -> usize {
                self.columns().len()
            }

            fn text(&self, i: usize) -> Result<String, String> {
                // Unchecked: the simple protocol sends every type as text.
                self.try_get_unchecked::<Option<String>, _>(i)
                    .map(Option::unwrap_or_default)
                    .map_err(|e| format!("column `{}`: {e}", self.columns()[i].name()))
            }
        }
    };
}

text_row!(sqlx::postgres::PgRow);
text_row!(sqlx::mysql::MySqlRow);

/// Rows streamed from the source database into chunks, on the ingest's reader thread.
struct PullSource {
    header: Vec<String>,
    rx: mpsc::Receiver<Result<Chunk, String>>,
    first: Option<Chunk>,
    rows: u64,
}

impl RowSource for PullSource {
    fn header(&self) -> &[String] {
        &self.header
    }

    fn next_chunk(&mut self) -> Result<Option<Chunk>, ReadError> {
        if let Some(c) = self.first.take() {
            self.rows += c.len() as u64;
            return Ok(Some(c));
        }
        match self.rx.recv() {
            Ok(Ok(c)) => {
                self.rows += c.len() as u64;
                Ok(Some(c))
            }
            Ok(Err(e)) => Err(ReadError::Invalid(format!("the source database: {e}"))),
            Err(_) => Ok(None),
        }
    }

    fn bytes_read(&self) -> u64 {
        0
    }

    fn detected(&self) -> String {
        format!("database pull, {} rows", self.rows)
    }
}

/// The source database's connection.
enum Source {
    Postgres(sqlx::PgConnection),
    MySql(sqlx::MySqlConnection),
}

async fn connect<C: sqlx::Connection>(url: &str) -> Result<C, String> {
    match tokio::time::timeout(std::time::Duration::from_secs(10), C::connect(url)).await {
        Ok(Ok(c)) => Ok(c),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("no answer within 10 s".into()),
    }
}

type Header = Result<(Vec<String>, Option<Chunk>), String>;

/// Cuts the source's rows into chunks: the header and the first chunk go through `htx`
/// (so the ingest starts with the header), the rest through `tx`. Returns the newest
/// watermark seen, or None when the query failed.
async fn pump<R: TextRow>(
    mut stream: futures::stream::BoxStream<'_, Result<R, sqlx::Error>>,
    wm_col: &str,
    tx: mpsc::SyncSender<Result<Chunk, String>>,
    htx: tokio::sync::oneshot::Sender<Header>,
) -> Option<String> {
    use futures::TryStreamExt;
    let mut header: Option<Vec<String>> = None;
    let mut htx = Some(htx);
    let mut chunk = Chunk::default();
    let mut wm_idx = None;
    let mut newest = String::new();
    let mut sent_first = false;
    loop {
        let row = match stream.try_next().await {
            Ok(Some(r)) => r,
            Ok(None) => break,
            Err(e) => {
                let msg = format!("the query failed: {e}");
                if let Some(h) = htx.take() {
                    let _ = h.send(Err(msg));
                } else {
                    let _ = tx.send(Err(msg));
                }
                return None;
            }
        };
        if header.is_none() {
            let h = row.names();
            wm_idx = h.iter().position(|c| c == wm_col);
            header = Some(h);
        }
        for i in 0..row.width() {
            match row.text(i) {
                Ok(s) => chunk.push_field(&s),
                Err(e) => {
                    if let Some(h) = htx.take() {
                        let _ = h.send(Err(e));
                    } else {
                        let _ = tx.send(Err(e));
                    }
                    return None;
                }
            }
        }
        if let Some(w) = wm_idx {
            if let Ok(s) = row.text(w) {
                if watermark_after(&s, &newest) {
                    newest = s;
                }
            }
        }
        let line = chunk.len() as u64 + 1;
        chunk.end_row(line);
        if chunk.len() >= 8192 {
            let c = std::mem::take(&mut chunk);
            if !sent_first {
                sent_first = true;
                if let Some(h) = htx.take() {
                    let _ = h.send(Ok((header.clone().unwrap_or_default(), Some(c))));
                }
            } else if tx.send(Ok(c)).is_err() {
                return None;
            }
        }
    }
    if let Some(h) = htx.take() {
        let first = (!chunk.is_empty()).then_some(chunk);
        let _ = h.send(Ok((header.unwrap_or_default(), first)));
    } else if !chunk.is_empty() {
        let _ = tx.send(Ok(chunk));
    }
    Some(newest)
}

/// Runs a pull now: one ingest batch, then the watermark moves on.
pub async fn run(state: &LakeState, id: i64) -> Result<ingest::Report, LakeError> {
    let p = get(state, id).await?;
    let mode = ingest::Mode::parse(&p.mode).unwrap_or(ingest::Mode::Append);
    let now = zhengshu_db::ts(state.clock.now());
    let fail = |e: String| async {
        let _ =
            sqlx::query("UPDATE lake_pulls SET last_run_at = $1, last_error = $2 WHERE id = $3")
                .bind(&now)
                .bind(&e)
                .bind(id)
                .execute(state.db.pool())
                .await;
        LakeError::invalid("source_url", e)
    };
    let sql = run_query(&p);
    let connected = if p.source_url.starts_with("mysql") {
        connect::<sqlx::MySqlConnection>(&p.source_url)
            .await
            .map(Source::MySql)
    } else {
        connect::<sqlx::PgConnection>(&p.source_url)
            .await
            .map(Source::Postgres)
    };
    let conn = match connected {
        Ok(c) => c,
        Err(e) => return Err(fail(format!("cannot connect to {}: {e}", p.masked_url())).await),
    };
    let (tx, rx) = mpsc::sync_channel::<Result<Chunk, String>>(4);
    let (htx, hrx) =
        tokio::sync::oneshot::channel::<Result<(Vec<String>, Option<Chunk>), String>>();
    let wm_col = p.watermark_column.clone();
    let fetcher = tokio::spawn(async move {
        match conn {
            Source::Postgres(mut c) => {
                pump(sqlx::raw_sql(&sql).fetch(&mut c), &wm_col, tx, htx).await
            }
            Source::MySql(mut c) => pump(sqlx::raw_sql(&sql).fetch(&mut c), &wm_col, tx, htx).await,
        }
    });
    let (header, first) = match hrx.await {
        Ok(Ok(h)) => h,
        Ok(Err(e)) => return Err(fail(e).await),
        Err(_) => return Err(fail("the pull stopped".into()).await),
    };
    if header.is_empty() {
        // No rows since the last watermark: nothing to do.
        sqlx::query("UPDATE lake_pulls SET last_run_at = $1, last_error = '' WHERE id = $2")
            .bind(&now)
            .bind(id)
            .execute(state.db.pool())
            .await?;
        return Err(LakeError::Conflict(format!(
            "pull {id}: no new rows since watermark `{}`",
            p.last_watermark
        )));
    }
    let source = PullSource {
        header,
        rx,
        first,
        rows: 0,
    };
    let batch_id = format!("pull-{id}-{}-{}", p.last_watermark, now);
    let report = ingest::ingest(
        state,
        &p.table_name,
        Box::new(source),
        ingest::Options {
            mode,
            batch_id: Some(batch_id),
            source: format!("pull {id}"),
            ..ingest::Options::default()
        },
    )
    .await?;
    let newest = fetcher.await.ok().flatten().unwrap_or_default();
    let ok = report.status == "succeeded";
    let wm = if ok && !newest.is_empty() {
        newest
    } else {
        p.last_watermark.clone()
    };
    sqlx::query(
        "UPDATE lake_pulls SET last_run_at = $1, last_job_id = $2, last_watermark = $3, last_error = $4 WHERE id = $5",
    )
    .bind(&now)
    .bind(report.job_id)
    .bind(&wm)
    .bind(report.error.clone().unwrap_or_default())
    .bind(id)
    .execute(state.db.pool())
    .await?;
    Ok(report)
}

/// Whether watermark `a` is after `b`: numerically when both are numbers, else as text
/// (ISO dates and times order correctly as text).
pub fn watermark_after(a: &str, b: &str) -> bool {
    if b.is_empty() {
        return !a.is_empty();
    }
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x > y,
        _ => a > b,
    }
}

/// Runs every enabled pull whose update cycle has passed since its last run (the
/// server calls this every minute). Real-time resources are pulled every five minutes;
/// resources with cycle 其他 only when run by hand.
pub async fn run_due(state: &LakeState) -> Result<usize, LakeError> {
    let now = state.clock.now();
    let mut ran = 0;
    for p in list(state, None).await? {
        if !p.enabled {
            continue;
        }
        let Ok(t) = crate::target(state, &p.table_name).await else {
            continue;
        };
        use zhengshu_catalog::model::UpdateCycle as U;
        let every = match t.resource.update_cycle {
            U::Realtime => chrono::Duration::minutes(5),
            c => match crate::rules::cycle_days(c) {
                Some(d) => chrono::Duration::days(d),
                None => continue,
            },
        };
        let due = p
            .last_run_at
            .as_deref()
            .and_then(zhengshu_db::parse_ts)
            .is_none_or(|last| now - last >= every);
        if due {
            match run(state, p.id).await {
                Ok(r) => {
                    tracing::info!(pull = p.id, job = r.job_id, status = %r.status, rows = r.rows_written, "pull ran")
                }
                Err(e) => tracing::info!(pull = p.id, error = %e, "pull did not load"),
            }
            ran += 1;
        }
    }
    Ok(ran)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watermarks_compare_as_numbers_or_text() {
        assert!(watermark_after("10", "9"));
        assert!(!watermark_after("9", "10"));
        assert!(watermark_after(
            "2026-11-24 10:00:00",
            "2026-11-24 09:59:59"
        ));
        assert!(watermark_after("1", ""));
    }

    #[test]
    fn run_query_filters_past_the_watermark() {
        let mut p = Pull {
            id: 1,
            table_name: "t".into(),
            source_url: "mysql://u:p@h/db".into(),
            query: "SELECT id, v FROM src;".into(),
            watermark_column: "id".into(),
            last_watermark: "41".into(),
            mode: "append".into(),
            enabled: true,
            last_run_at: None,
            last_job_id: None,
            last_error: String::new(),
        };
        assert_eq!(
            run_query(&p),
            "SELECT * FROM (SELECT id, v FROM src) AS zs_pull WHERE id > CONVERT(X'3431' USING utf8mb4) ORDER BY id"
        );
        p.source_url = "postgres://u:secret@h/db".into();
        assert!(run_query(&p).contains("id > E'41'"));
        assert_eq!(p.masked_url(), "postgres://u:***@h/db");
    }

    #[test]
    fn watermark_literals_cannot_break_out_of_their_quotes() {
        let nasty = r"x\' OR 1=1 --";
        // Every backslash and quote doubled inside E'…': the literal ends where it began.
        assert_eq!(literal(nasty, false), r"E'x\\'' OR 1=1 --'");
        // Hex digits only between the quotes.
        assert_eq!(
            literal(nasty, true),
            "CONVERT(X'785c27204f5220313d31202d2d' USING utf8mb4)"
        );
    }
}
