//! 批量导入: the catalog template as XLSX or CSV (UTF-8, UTF-8 with BOM, or GBK).
//! Every row is checked; a file with any bad row writes nothing (all-or-nothing), and
//! a dry run only reports. Problems with the file as a whole (size, sheet, headers,
//! merged cells, encoding) are one file error.

mod read;

use std::collections::HashMap;

use serde::Serialize;
use zhengshu_db::ts;

use crate::model::{Action, Status};
use crate::service::{prepare, record, Actor};
use crate::sheet::{self, COLUMNS};
use crate::store::{self, Stamp};
use crate::{CatalogError, CatalogState};

/// The largest file accepted.
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;
/// The most resources in one file.
pub const MAX_IMPORT_ROWS: usize = 5000;

/// A problem with one row (counting the header as row 1) and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// What an import did or, in a dry run, would do.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    /// Non-empty data rows read.
    pub rows: usize,
    /// Resources written (0 on a dry run or when any row is wrong).
    pub created: usize,
    /// The codes the rows got (or would get).
    pub codes: Vec<String>,
    pub errors: Vec<RowError>,
}

/// Reads, checks and (unless `dry_run` or any row is wrong) registers the resources of
/// one file as drafts of `actor`.
pub async fn import_file(
    state: &CatalogState,
    actor: &Actor,
    bytes: &[u8],
    file_name: Option<&str>,
    dry_run: bool,
) -> Result<ImportReport, CatalogError> {
    if !actor.can_write {
        return Err(CatalogError::Forbidden(
            "importing needs the catalog_write permission".into(),
        ));
    }
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(CatalogError::File(format!(
            "the file is {} bytes; the limit is {MAX_IMPORT_BYTES} bytes ({} MB): split it into several files",
            bytes.len(),
            MAX_IMPORT_BYTES / 1024 / 1024
        )));
    }
    let table = read::table(bytes, file_name)?;
    let Some((header, body)) = table.split_first() else {
        return Err(CatalogError::File(
            "the file is empty; download the template and fill it in".into(),
        ));
    };
    let cols = map_headers(header)?;
    let data: Vec<(usize, &Vec<String>)> = body
        .iter()
        .enumerate()
        .map(|(i, r)| (i + 2, r))
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .collect();
    if data.is_empty() {
        return Err(CatalogError::File(
            "the file has headers but no resource rows".into(),
        ));
    }
    if data.len() > MAX_IMPORT_ROWS {
        return Err(CatalogError::File(format!(
            "{} rows; at most {MAX_IMPORT_ROWS} per file",
            data.len()
        )));
    }
    let units = unit_names(state).await?;
    let now = ts(state.clock.now());
    let mut report = ImportReport {
        dry_run,
        rows: data.len(),
        ..Default::default()
    };
    let mut codes_in_file: HashMap<String, usize> = HashMap::new();
    let mut tx = state.db.pool().begin().await?;
    for (row, cells) in data {
        let get = |k: &str| {
            cols.get(k)
                .and_then(|&i| cells.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let err = |column: &str, message: String| RowError {
            row,
            column: column.to_string(),
            message,
        };
        let (mut new, provider) = match sheet::new_resource(&get) {
            Ok(v) => v,
            Err((field, message)) => {
                report.errors.push(err(sheet::header_of(&field), message));
                continue;
            }
        };
        if !provider.is_empty() {
            match units.get(provider.as_str()) {
                Some(id) => new.provider_unit_id = Some(*id),
                None => {
                    report.errors.push(err(
                        "资源提供方",
                        format!(
                            "unit `{provider}` is unknown; use the unit's full name as in 单位管理"
                        ),
                    ));
                    continue;
                }
            }
        }
        if let Some(code) = &new.code {
            if let Some(first) = codes_in_file.insert(code.clone(), row) {
                report.errors.push(err(
                    "资源代码",
                    format!("code `{code}` repeats row {first}"),
                ));
                continue;
            }
        }
        match prepare(&mut tx, actor, &new, None).await {
            Ok((v, code)) => {
                let id = store::insert(
                    &mut tx,
                    &v,
                    &code,
                    Status::Draft,
                    &Stamp {
                        actor_id: actor.user_id,
                        now: &now,
                    },
                )
                .await?;
                record(&mut tx, id, Action::Import, actor, "", &now).await?;
                report.codes.push(code);
            }
            Err(CatalogError::Invalid(fields)) => {
                report.errors.extend(fields.into_iter().map(|f| {
                    err(
                        sheet::header_of(&f.field),
                        format!("{}: {}", f.field, f.message),
                    )
                }));
            }
            Err(CatalogError::DuplicateCode(code)) => report.errors.push(err(
                "资源代码",
                format!("code `{code}` already exists in the catalog"),
            )),
            Err(CatalogError::Forbidden(m)) => report.errors.push(err("资源提供方", m)),
            Err(e) => return Err(e),
        }
    }
    if !report.errors.is_empty() || dry_run {
        tx.rollback().await?;
        return Ok(report);
    }
    tx.commit().await?;
    report.created = report.codes.len();
    state.index.sync(&state.db, state.clock.now()).await?;
    Ok(report)
}

async fn unit_names(state: &CatalogState) -> Result<HashMap<String, i64>, CatalogError> {
    let units = zhengshu_auth::units::list(&state.db, &Default::default()).await?;
    let mut out = HashMap::new();
    for u in units {
        if !u.short_name.is_empty() {
            out.insert(u.short_name.clone(), u.id);
        }
        out.insert(u.name, u.id);
    }
    Ok(out)
}

fn map_headers(header: &[String]) -> Result<HashMap<&'static str, usize>, CatalogError> {
    let mut cols = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let h = h
            .trim()
            .trim_start_matches('\u{feff}')
            .trim_end_matches('*');
        if h.is_empty() {
            continue;
        }
        match COLUMNS
            .iter()
            .find(|c| c.header == h || c.key.eq_ignore_ascii_case(h))
        {
            Some(c) => {
                if cols.insert(c.key, i).is_some() {
                    return Err(CatalogError::File(format!(
                        "column `{}` appears twice in the header row",
                        c.header
                    )));
                }
            }
            None => {
                return Err(CatalogError::File(format!(
                    "unknown column `{h}` in the header row; use the template's headers ({})",
                    COLUMNS
                        .iter()
                        .map(|c| c.header)
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        }
    }
    let missing: Vec<&str> = COLUMNS
        .iter()
        .filter(|c| c.required && !cols.contains_key(c.key))
        .map(|c| c.header)
        .collect();
    if !missing.is_empty() {
        return Err(CatalogError::File(format!(
            "missing header(s) {}; the first row must name the columns as in the template",
            missing.join(", ")
        )));
    }
    Ok(cols)
}
