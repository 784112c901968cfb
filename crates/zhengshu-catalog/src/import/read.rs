//! Reading an uploaded file into rows of cells.

use calamine::{Data, Reader, Xlsx};

use crate::sheet::SHEET_NAME;
use crate::CatalogError;

/// The rows of the file: XLSX (sheet 资源目录) or CSV.
pub(super) fn table(
    bytes: &[u8],
    file_name: Option<&str>,
) -> Result<Vec<Vec<String>>, CatalogError> {
    let lower = file_name.unwrap_or_default().to_lowercase();
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) || lower.ends_with(".xls") {
        return Err(CatalogError::File(
            "old .xls workbooks are not read; save the file as .xlsx (Excel 2007+) or CSV".into(),
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") || lower.ends_with(".xlsx") {
        xlsx(bytes)
    } else {
        csv(bytes)
    }
}

/// UTF-8 (with or without BOM), else GB18030 (a superset of GBK, what Excel writes on
/// Chinese Windows).
pub(super) fn decode(bytes: &[u8]) -> Result<String, CatalogError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors {
        return Err(CatalogError::File(
            "the CSV is neither UTF-8 nor GBK/GB18030 text".into(),
        ));
    }
    Ok(text.into_owned())
}

fn csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, CatalogError> {
    let text = decode(bytes)?;
    if text.contains('\0') {
        return Err(CatalogError::File(
            "this is not a CSV text file; upload the template as .xlsx or .csv".into(),
        ));
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec
            .map_err(|e| CatalogError::File(format!("row {}: the CSV is malformed: {e}", i + 1)))?;
        out.push(rec.iter().map(str::to_string).collect());
    }
    Ok(out)
}

fn cell(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::DateTime(d) => excel_date(d.as_f64()).unwrap_or_else(|| d.to_string()),
        Data::Error(e) => format!("#ERROR {e:?}"),
        other => other.to_string(),
    }
}

/// An Excel date serial (days since 1899-12-30) as YYYY-MM-DD.
fn excel_date(serial: f64) -> Option<String> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let date = epoch.checked_add_signed(chrono::Duration::days(serial.floor() as i64))?;
    Some(date.format("%Y-%m-%d").to_string())
}

fn xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, CatalogError> {
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| {
        CatalogError::File(format!(
            "not a readable XLSX workbook ({e}); save it again from Excel as .xlsx"
        ))
    })?;
    let names = wb.sheet_names();
    if !names.iter().any(|n| n == SHEET_NAME) {
        return Err(CatalogError::File(format!(
            "no sheet named `{SHEET_NAME}` (found: {}); put the resources on the template's `{SHEET_NAME}` sheet",
            names.join(", ")
        )));
    }
    let range = wb
        .worksheet_range(SHEET_NAME)
        .map_err(|e| CatalogError::File(format!("cannot read sheet `{SHEET_NAME}`: {e}")))?;
    wb.load_merged_regions()
        .map_err(|e| CatalogError::File(format!("cannot read the merged cells: {e}")))?;
    if let Some((_, _, dims)) = wb.merged_regions_by_sheet(SHEET_NAME).first() {
        let a1 = |(r, c): (u32, u32)| format!("{}{}", col_name(c), r + 1);
        return Err(CatalogError::File(format!(
            "merged cells {}:{} on sheet `{SHEET_NAME}`; unmerge them and repeat the value in each row",
            a1(dims.start),
            a1(dims.end)
        )));
    }
    let mut rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell).collect()).collect();
    // The range starts at the first used cell; pad so row numbers match the sheet.
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    for r in &mut rows {
        for _ in 0..first_col {
            r.insert(0, String::new());
        }
    }
    for _ in 0..first_row {
        rows.insert(0, Vec::new());
    }
    if let Some((i, err)) = rows
        .iter()
        .enumerate()
        .find_map(|(i, r)| r.iter().find(|c| c.starts_with("#ERROR")).map(|c| (i, c)))
    {
        return Err(CatalogError::File(format!(
            "row {}: a cell holds a formula error ({err}); fix it in Excel",
            i + 1
        )));
    }
    Ok(rows)
}

fn col_name(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gbk_and_bom() {
        let (gbk, _, _) = encoding_rs::GBK.encode("资源名称,数据");
        assert_eq!(decode(&gbk).unwrap(), "资源名称,数据");
        assert_eq!(decode("\u{feff}资源".as_bytes()).unwrap(), "资源");
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(27), "AB");
        assert_eq!(excel_date(46082.0).as_deref(), Some("2026-03-01"));
    }
}
