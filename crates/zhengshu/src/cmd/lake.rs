//! `zhengshu ingest …`, `zhengshu sql …`, `zhengshu lake …`.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use anyhow::Context;
use zhengshu_auth::units;
use zhengshu_catalog::Actor;
use zhengshu_core::clock::{SharedClock, SystemClock};
use zhengshu_lake::ingest as lake_ingest;
use zhengshu_lake::read::{self, Format, Limits};
use zhengshu_lake::LakeState;

use crate::cli::{IngestArgs, LakeCmd, OutputFormat, SqlArgs};
use crate::config::Settings;

/// The lake's state for a command. The catalog's search index is kept in memory: a
/// running server holds the on-disk one, and picks up resources this command registers
/// through the catalog's change sequence.
pub(crate) async fn lake_state(s: &Settings) -> anyhow::Result<LakeState> {
    let db = super::open_db(s).await?;
    let clock: SharedClock = Arc::new(SystemClock);
    let catalog = zhengshu_catalog::CatalogState::new(db.clone(), clock, None).await?;
    Ok(LakeState::new(catalog, &s.lake_url).await?)
}

async fn unit_id(st: &LakeState, unit: &str) -> anyhow::Result<i64> {
    Ok(match unit.parse::<i64>() {
        Ok(id) => units::get(&st.db, id).await?.id,
        Err(_) => {
            units::find_by_name(&st.db, unit)
                .await?
                .with_context(|| format!("no unit named `{unit}`; see `zhengshu unit list`"))?
                .id
        }
    })
}

/// A table name from a file name: ASCII letters and digits, lower-cased.
fn table_from_file(path: &std::path::Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let mut t: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    t = t.trim_matches('_').to_string();
    if !t.starts_with(|c: char| c.is_ascii_lowercase()) {
        t = format!("t_{t}");
    }
    t.truncate(63);
    t
}

fn open_source(
    path: &std::path::Path,
    format: Option<&str>,
) -> anyhow::Result<Box<dyn read::RowSource>> {
    let fmt = match format {
        Some(f) => Some(
            Format::from_name(&format!("x.{f}"))
                .with_context(|| format!("--input-format `{f}`: use csv, json, xlsx or parquet"))?,
        ),
        None => None,
    };
    Ok(read::open_file(path, fmt, Limits::default())?)
}

pub(crate) async fn ingest(s: &Settings, a: IngestArgs) -> anyhow::Result<()> {
    let st = lake_state(s).await?;
    let (table, file) = if a.create {
        let file = a.file.clone().or_else(|| a.table.as_ref().map(Into::into));
        let file = file.context("give the file to create the resource from")?;
        let table = a
            .table_name
            .clone()
            .unwrap_or_else(|| table_from_file(&file));
        let unit = a.unit.as_deref().context("--create needs --unit")?;
        let name = a.name.clone().context("--create needs --name (资源名称)")?;
        let unit_id = unit_id(&st, unit).await?;
        // Propose the data items from the whole file.
        let f2 = file.clone();
        let fmt = a.input_format.clone();
        let proposal = tokio::task::spawn_blocking(move || {
            anyhow::Ok(zhengshu_lake::propose(open_source(&f2, fmt.as_deref())?)?.0)
        })
        .await??;
        let new = zhengshu_lake::NewFromSample {
            unit_id,
            name,
            table: table.clone(),
            key: a.key.clone().unwrap_or_default(),
            items: proposal,
            update_cycle: a.cycle.clone().unwrap_or_default(),
            file_name: file
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_default(),
        };
        let (r, _) = zhengshu_lake::create_from_sample(&st, &Actor::system(), &new).await?;
        eprintln!(
            "created resource {} 「{}」 ({} data items) and table `{table}`",
            r.code,
            r.name,
            r.items.len()
        );
        (table, file)
    } else {
        let table = a.table.clone().context("give the table")?;
        let file = a.file.clone().context("give the file to load")?;
        (table, file)
    };
    if let Some(rules) = &a.rules {
        let text = std::fs::read_to_string(rules)
            .with_context(|| format!("cannot read {}", rules.display()))?;
        let rules: Vec<zhengshu_lake::rules::Rule> = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a JSON array of rules", rules.display()))?;
        for r in rules {
            zhengshu_lake::add_rule(&st, &table, r).await?;
        }
    }
    if !a.standardise.is_empty() {
        let c = apply_settings(&st, &table, None, &a.standardise).await?;
        eprintln!("standardisation of `{table}`: {}", describe_transforms(&c));
    }
    let mode = lake_ingest::Mode::parse(&a.mode)
        .with_context(|| format!("--mode `{}`: use append, overwrite or upsert", a.mode))?;
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    let source = open_source(&file, a.input_format.as_deref())?;
    let progress = Arc::new(lake_ingest::Progress::default());
    progress.bytes_total.store(size, Ordering::Relaxed);
    let bar = (a.format == OutputFormat::Table
        && std::io::IsTerminal::is_terminal(&std::io::stderr()))
    .then(|| {
        let b = indicatif::ProgressBar::new(size);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg} ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let ticker = bar.clone().map(|b| {
        let p = progress.clone();
        tokio::spawn(async move {
            loop {
                b.set_position(p.bytes_read.load(Ordering::Relaxed));
                b.set_message(format!("{} rows", p.rows_read.load(Ordering::Relaxed)));
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        })
    });
    let report = lake_ingest::ingest(
        &st,
        &table,
        source,
        lake_ingest::Options {
            mode,
            batch_id: a.batch_id.clone(),
            source: file.display().to_string(),
            max_reject_ratio: a.max_reject_ratio,
            progress: Some(progress),
            ..lake_ingest::Options::default()
        },
    )
    .await?;
    if let Some(t) = ticker {
        t.abort();
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    match a.format {
        OutputFormat::Json => println!("{}", serde_json::to_string(&report)?),
        _ => print_report(&report),
    }
    if report.status != "succeeded" {
        anyhow::bail!(
            "the batch was not loaded: {}",
            report.error.clone().unwrap_or_default()
        );
    }
    Ok(())
}

fn print_report(r: &lake_ingest::Report) {
    println!(
        "job {} · table {} · batch {} · {}",
        r.job_id,
        r.table,
        r.batch_id,
        r.mode.as_str()
    );
    println!(
        "status: {}{}",
        r.status,
        if r.already_applied {
            " (batch already applied; nothing changed)"
        } else {
            ""
        }
    );
    println!("input: {}", r.detected);
    println!(
        "rows: {} read, {} written, {} quarantined · {:.1} s · {:.0} rows/s · quality {:.2}",
        r.rows_read, r.rows_written, r.rows_quarantined, r.secs, r.rows_per_sec, r.quality_score
    );
    if let Some(v) = r.version {
        println!("table version: {v}");
    }
    if !r.columns_missing.is_empty() {
        println!(
            "data items missing from the file (left empty): {}",
            r.columns_missing.join(", ")
        );
    }
    if !r.columns_extra.is_empty() {
        println!(
            "extra columns in the file (ignored): {}",
            r.columns_extra.join(", ")
        );
    }
    for o in r.coercion.iter().chain(&r.rules) {
        println!(
            "  {:<20} {:<24} {:>8} failed{}",
            o.column,
            o.label,
            o.failed,
            if o.blocking { "" } else { " (report only)" }
        );
        for (line, why) in o.examples.iter().take(3) {
            println!("      line {line}: {why}");
        }
    }
    for n in &r.notes {
        println!("note: {n}");
    }
    if let Some(e) = &r.error {
        println!("error: {e}");
    }
}

fn print_result(r: &zhengshu_lake::sql::QueryResult, format: OutputFormat) -> anyhow::Result<()> {
    match format {
        OutputFormat::Json => {
            let rows: Vec<serde_json::Map<String, serde_json::Value>> = r
                .rows
                .iter()
                .map(|row| {
                    r.columns
                        .iter()
                        .cloned()
                        .zip(row.iter().map(|c| {
                            c.clone()
                                .map(serde_json::Value::String)
                                .unwrap_or(serde_json::Value::Null)
                        }))
                        .collect()
                })
                .collect();
            println!("{}", serde_json::to_string(&rows)?);
        }
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout());
            w.write_record(&r.columns)?;
            for row in &r.rows {
                w.write_record(row.iter().map(|c| c.clone().unwrap_or_default()))?;
            }
            w.flush()?;
        }
        OutputFormat::Table => {
            let widths: Vec<usize> = (0..r.columns.len())
                .map(|i| {
                    r.rows
                        .iter()
                        .map(|row| row[i].as_deref().unwrap_or("null").chars().count())
                        .chain(std::iter::once(r.columns[i].chars().count()))
                        .max()
                        .unwrap_or(0)
                        .min(40)
                })
                .collect();
            let line = |cells: Vec<String>| {
                cells
                    .iter()
                    .zip(&widths)
                    .map(|(c, w)| {
                        let c: String = c.chars().take(40).collect();
                        format!("{c:<w$}")
                    })
                    .collect::<Vec<_>>()
                    .join(" │ ")
            };
            println!("{}", line(r.columns.clone()));
            println!(
                "{}",
                widths
                    .iter()
                    .map(|w| "─".repeat(*w))
                    .collect::<Vec<_>>()
                    .join("─┼─")
            );
            for row in &r.rows {
                println!(
                    "{}",
                    line(
                        row.iter()
                            .map(|c| c.clone().unwrap_or_else(|| "null".into()))
                            .collect()
                    )
                );
            }
            println!(
                "({} rows{})",
                r.rows.len(),
                if r.truncated { ", truncated" } else { "" }
            );
        }
    }
    Ok(())
}

pub(crate) async fn sql(s: &Settings, a: SqlArgs) -> anyhow::Result<()> {
    let st = lake_state(s).await?;
    let limits = zhengshu_lake::sql::QueryLimits {
        max_rows: a.max_rows,
        ..Default::default()
    };
    let ctx = zhengshu_lake::sql::session(&st, limits).await?;
    let mut last = None;
    for _ in 0..a.repeat.max(1) {
        let started = std::time::Instant::now();
        let r = zhengshu_lake::sql::run_in(&ctx, &a.sql, limits).await?;
        if a.timing {
            eprintln!("time_ms={:.3}", started.elapsed().as_secs_f64() * 1000.0);
        }
        last = Some(r);
    }
    if let Some(r) = last {
        print_result(&r, a.format)?;
    }
    Ok(())
}

pub(crate) async fn lake(s: &Settings, cmd: LakeCmd) -> anyhow::Result<()> {
    let st = lake_state(s).await?;
    match cmd {
        LakeCmd::List { format } => {
            let mut out = Vec::new();
            for c in zhengshu_lake::store::tables(&st.db).await? {
                let stats = match st.lake.open(&c.table_name).await {
                    Ok(t) => zhengshu_lake::table::stats(&t).unwrap_or_default(),
                    Err(_) => Default::default(),
                };
                out.push(serde_json::json!({
                    "table": c.table_name,
                    "resource_id": c.resource_id,
                    "url": st.lake.table_url(&c.table_name)?.to_string(),
                    "version": stats.version,
                    "files": stats.files,
                    "rows": stats.rows,
                    "bytes": stats.bytes,
                }));
            }
            if format == OutputFormat::Json {
                println!("{}", serde_json::to_string(&out)?);
            } else {
                for t in &out {
                    println!(
                        "{:<24} v{:<4} {:>12} rows {:>6} files {:>14} bytes  {}",
                        t["table"].as_str().unwrap_or(""),
                        t["version"],
                        t["rows"],
                        t["files"],
                        t["bytes"],
                        t["url"].as_str().unwrap_or("")
                    );
                }
            }
        }
        LakeCmd::Rules { table, file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let rules: Vec<zhengshu_lake::rules::Rule> = serde_json::from_str(&text)
                .with_context(|| format!("{}: not a JSON array of rules", file.display()))?;
            for r in rules {
                let r = zhengshu_lake::add_rule(&st, &table, r).await?;
                println!("rule {}: {} on {}", r.id, r.kind.as_str(), r.column);
            }
        }
        LakeCmd::Settings {
            table,
            key,
            standardise,
        } => {
            let c = if key.is_none() && standardise.is_empty() {
                zhengshu_lake::store::table(&st.db, &table)
                    .await?
                    .with_context(|| format!("no lake table `{table}`"))?
            } else {
                apply_settings(&st, &table, key, &standardise).await?
            };
            println!("table:       {}", c.table_name);
            println!("key column:  {}", c.key_column);
            println!("standardise: {}", describe_transforms(&c));
        }
        LakeCmd::History { table } => {
            for h in zhengshu_lake::maintain::history(&st, &table, 100).await? {
                println!(
                    "v{:<5} {:<32} {:<12} {}",
                    h.version,
                    h.timestamp.unwrap_or_default(),
                    h.operation,
                    h.batch_id.unwrap_or_default()
                );
            }
        }
        LakeCmd::Optimize { table, zorder } => {
            let c = zhengshu_lake::maintain::optimize(&st, &table, zorder.as_deref()).await?;
            println!(
                "compacted {}: {} files removed, {} added, version {}{} in {:.1} s",
                c.table,
                c.files_removed,
                c.files_added,
                c.version,
                c.clustered_by
                    .map(|k| format!(", clustered by {k}"))
                    .unwrap_or_default(),
                c.secs
            );
        }
        LakeCmd::Vacuum {
            table,
            retain_hours,
            dry_run,
        } => {
            let v = zhengshu_lake::maintain::vacuum(&st, &table, retain_hours, dry_run).await?;
            println!(
                "{} {}: {} files (retention {} h)",
                if dry_run { "would vacuum" } else { "vacuumed" },
                v.table,
                v.files_deleted,
                v.retention_hours
            );
        }
        LakeCmd::PullAdd {
            table,
            source_url,
            query,
            watermark,
            mode,
        } => {
            let p = zhengshu_lake::pull::add(
                &st,
                &zhengshu_lake::pull::Pull {
                    id: 0,
                    table_name: table,
                    source_url,
                    query,
                    watermark_column: watermark,
                    last_watermark: String::new(),
                    mode,
                    enabled: true,
                    last_run_at: None,
                    last_job_id: None,
                    last_error: String::new(),
                },
            )
            .await?;
            println!(
                "pull {} added for {} from {}",
                p.id,
                p.table_name,
                p.masked_url()
            );
        }
        LakeCmd::PullRun { id } => {
            let r = zhengshu_lake::pull::run(&st, id).await?;
            print_report(&r);
        }
    }
    Ok(())
}

/// Merges `COLUMN=T1,T2` specs (and a new key, when given) into the table's settings.
async fn apply_settings(
    st: &zhengshu_lake::LakeState,
    table: &str,
    key: Option<String>,
    specs: &[String],
) -> anyhow::Result<zhengshu_lake::store::Connected> {
    let c = zhengshu_lake::store::table(&st.db, table)
        .await?
        .with_context(|| format!("no lake table `{table}`"))?;
    let mut transforms = c.transforms;
    for spec in specs {
        let (col, list) = spec.split_once('=').with_context(|| {
            format!("--standardise `{spec}`: write COLUMN=T1,T2, e.g. name=trim,half_width")
        })?;
        let names: Vec<String> = list
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect();
        let parsed =
            lake_ingest::parse_transforms(&HashMap::from([(col.trim().to_string(), names)]))?;
        for (col, ts) in parsed {
            if ts.is_empty() {
                transforms.remove(&col);
            } else {
                transforms.insert(col, ts);
            }
        }
    }
    let key = key.unwrap_or(c.key_column);
    Ok(zhengshu_lake::set_settings(st, table, &key, &transforms).await?)
}

fn describe_transforms(c: &zhengshu_lake::store::Connected) -> String {
    let mut cols: Vec<_> = c.transforms.iter().collect();
    cols.sort_by(|a, b| a.0.cmp(b.0));
    if cols.is_empty() {
        return "none".into();
    }
    cols.iter()
        .map(|(col, ts)| {
            let ts: Vec<&str> = ts.iter().map(|t| t.as_str()).collect();
            format!("{col}={}", ts.join(","))
        })
        .collect::<Vec<_>>()
        .join(" ")
}
