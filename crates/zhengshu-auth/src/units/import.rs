//! Bulk import of units from CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) or XLSX, with
//! Chinese or English headers. Every row is checked first; a file with any bad row
//! writes nothing (all-or-nothing), and a dry run only reports.

use std::collections::HashMap;

use serde::Serialize;
use zhengshu_db::Db;

use super::{NewUnit, ValidUnit};
use crate::AuthError;

/// The largest import file accepted.
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;

/// The file format, from the file name or content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    Csv,
    Xlsx,
}

impl ImportFormat {
    /// Guesses from a file name, then from the leading bytes (XLSX is a ZIP: `PK`).
    pub fn detect(file_name: Option<&str>, bytes: &[u8]) -> ImportFormat {
        let lower = file_name.unwrap_or_default().to_lowercase();
        if lower.ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04") {
            ImportFormat::Xlsx
        } else {
            ImportFormat::Csv
        }
    }
}

/// A problem with one row (1-based, counting the header as row 1) and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    pub rows: usize,
    pub created: usize,
    pub errors: Vec<RowError>,
}

const HEADERS: [(&str, &[&str]); 7] = [
    ("name", &["单位名称", "名称", "name"]),
    ("short_name", &["简称", "short_name"]),
    ("level", &["层级", "级别", "level"]),
    ("parent", &["上级单位", "parent"]),
    (
        "credit_code",
        &["统一社会信用代码", "信用代码", "credit_code"],
    ),
    ("contact_name", &["联系人", "contact_name"]),
    ("contact_phone", &["联系电话", "contact_phone"]),
];

/// Reads, checks and (unless `dry_run`) writes the units of one file.
pub async fn import_file(
    db: &Db,
    bytes: &[u8],
    format: ImportFormat,
    dry_run: bool,
    now: &str,
) -> Result<ImportReport, AuthError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(AuthError::invalid(
            "file",
            format!(
                "file is {} bytes; the limit is {MAX_IMPORT_BYTES}",
                bytes.len()
            ),
        ));
    }
    let table = match format {
        ImportFormat::Csv => read_csv(bytes)?,
        ImportFormat::Xlsx => read_xlsx(bytes)?,
    };
    let Some((header, body)) = table.split_first() else {
        return Err(AuthError::invalid("file", "the file is empty"));
    };
    let cols = map_headers(header)?;
    let mut errors = Vec::new();
    let mut valid: Vec<(usize, ValidUnit, Option<String>)> = Vec::new();
    let mut names_in_file: HashMap<String, usize> = HashMap::new();
    let mut codes_in_file: HashMap<String, usize> = HashMap::new();
    for (i, cells) in body.iter().enumerate() {
        let row_no = i + 2;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |k: &str| {
            cols.get(k)
                .and_then(|&c| cells.get(c))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let new = NewUnit {
            name: get("name"),
            short_name: get("short_name"),
            level: get("level"),
            parent_id: None,
            credit_code: Some(get("credit_code")),
            contact_name: get("contact_name"),
            contact_phone: get("contact_phone"),
        };
        let parent = Some(get("parent")).filter(|p| !p.is_empty());
        match new.validate() {
            Err(AuthError::Invalid { field, message }) => errors.push(RowError {
                row: row_no,
                column: column_label(&field),
                message,
            }),
            Err(e) => return Err(e),
            Ok(v) => {
                if let Some(first) = names_in_file.insert(v.name.clone(), row_no) {
                    errors.push(RowError {
                        row: row_no,
                        column: "单位名称".into(),
                        message: format!("`{}` repeats row {first}", v.name),
                    });
                    continue;
                }
                if let Some(code) = &v.credit_code {
                    if let Some(first) = codes_in_file.insert(code.clone(), row_no) {
                        errors.push(RowError {
                            row: row_no,
                            column: "统一社会信用代码".into(),
                            message: format!("`{code}` repeats row {first}"),
                        });
                        continue;
                    }
                }
                valid.push((row_no, v, parent));
            }
        }
    }
    // Check against the database: duplicates and parents.
    let existing = super::list(db, &Default::default()).await?;
    let existing_names: HashMap<&str, i64> =
        existing.iter().map(|u| (u.name.as_str(), u.id)).collect();
    let existing_codes: std::collections::HashSet<&str> = existing
        .iter()
        .filter_map(|u| u.credit_code.as_deref())
        .collect();
    for (row, v, parent) in &valid {
        if existing_names.contains_key(v.name.as_str()) {
            errors.push(RowError {
                row: *row,
                column: "单位名称".into(),
                message: format!("unit `{}` already exists", v.name),
            });
        }
        if let Some(code) = v
            .credit_code
            .as_deref()
            .filter(|c| existing_codes.contains(c))
        {
            errors.push(RowError {
                row: *row,
                column: "统一社会信用代码".into(),
                message: format!("credit code `{code}` already belongs to another unit"),
            });
        }
        if let Some(p) = parent {
            let known = existing_names.contains_key(p.as_str())
                || names_in_file.get(p).is_some_and(|r| r < row);
            if !known {
                errors.push(RowError {
                    row: *row,
                    column: "上级单位".into(),
                    message: format!(
                        "parent unit `{p}` is unknown (it must exist or come earlier in the file)"
                    ),
                });
            }
        }
    }
    errors.sort_by_key(|e| e.row);
    let rows = valid.len()
        + errors
            .iter()
            .map(|e| e.row)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
    if !errors.is_empty() || dry_run {
        return Ok(ImportReport {
            dry_run,
            rows,
            created: 0,
            errors,
        });
    }
    let mut tx = db.pool().begin().await?;
    let mut ids: HashMap<String, i64> = existing_names
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect();
    for (_, mut v, parent) in valid {
        v.parent_id = parent.and_then(|p| ids.get(&p).copied());
        let id = super::insert(&mut tx, &v, now).await?;
        ids.insert(v.name.clone(), id);
    }
    tx.commit().await?;
    Ok(ImportReport {
        dry_run,
        rows,
        created: rows,
        errors,
    })
}

fn column_label(field: &str) -> String {
    HEADERS
        .iter()
        .find(|(k, _)| *k == field)
        .map(|(_, names)| names[0].to_string())
        .unwrap_or_else(|| field.to_string())
}

fn map_headers(header: &[String]) -> Result<HashMap<&'static str, usize>, AuthError> {
    let mut cols = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}');
        if let Some((key, _)) = HEADERS
            .iter()
            .find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(h)))
        {
            cols.insert(*key, i);
        }
    }
    for required in ["name", "level"] {
        if !cols.contains_key(required) {
            return Err(AuthError::invalid(
                "file",
                format!("missing header `{}`; the first row must name the columns (单位名称, 简称, 层级, 上级单位, 统一社会信用代码, 联系人, 联系电话)", column_label(required)),
            ));
        }
    }
    Ok(cols)
}

/// Decodes CSV bytes: UTF-8 (with or without BOM), else GB18030 (a superset of GBK).
pub fn decode_text(bytes: &[u8]) -> Result<String, AuthError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors {
        return Err(AuthError::invalid(
            "file",
            "the file is neither UTF-8 nor GBK/GB18030 text",
        ));
    }
    Ok(text.into_owned())
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, AuthError> {
    let text = decode_text(bytes)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| AuthError::invalid("file", format!("row {}: {e}", i + 1)))?;
        out.push(rec.iter().map(str::to_string).collect());
    }
    Ok(out)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, AuthError> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| AuthError::invalid("file", format!("not a readable XLSX workbook: {e}")))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| AuthError::invalid("file", "the workbook has no sheet"))?
        .map_err(|e| AuthError::invalid("file", format!("cannot read the first sheet: {e}")))?;
    Ok(range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}
