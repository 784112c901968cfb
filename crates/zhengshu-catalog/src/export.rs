//! 导出: the catalog (or a filter of it) as XLSX and CSV in the template's layout, and
//! the empty import template.

use rust_xlsxwriter::{DataValidation, Format, Workbook, XlsxError};

use crate::model::{
    CatalogType, OpenType, Resource, ResourceFormat, SecurityGrade, ShareMethod, SharingType,
    UpdateCycle,
};
use crate::sheet::{row_of, COLUMNS, SHEET_NAME};
use crate::CatalogError;

fn xlsx_error(e: XlsxError) -> CatalogError {
    CatalogError::File(format!("could not write the workbook: {e}"))
}

fn sheet_with_headers(wb: &mut Workbook) -> Result<&mut rust_xlsxwriter::Worksheet, XlsxError> {
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_NAME)?;
    for (i, c) in COLUMNS.iter().enumerate() {
        let col = i as u16;
        ws.write_string_with_format(0, col, c.header, &bold)?;
        let width = match c.key {
            "summary" | "items" => 40,
            "name" | "provider" | "sharing_conditions" | "sharing_basis" | "open_conditions"
            | "open_basis" => 24,
            _ => 14,
        };
        ws.set_column_width(col, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(ws)
}

/// Resources as an XLSX workbook (sheet 资源目录, one row each).
pub fn to_xlsx(resources: &[Resource]) -> Result<Vec<u8>, CatalogError> {
    let mut wb = Workbook::new();
    let wrap = Format::new().set_text_wrap();
    let ws = sheet_with_headers(&mut wb).map_err(xlsx_error)?;
    for (i, r) in resources.iter().enumerate() {
        for (j, value) in row_of(r).iter().enumerate() {
            let row = (i + 1) as u32;
            if value.contains('\n') {
                ws.write_string_with_format(row, j as u16, value, &wrap)
                    .map_err(xlsx_error)?;
            } else {
                ws.write_string(row, j as u16, value).map_err(xlsx_error)?;
            }
        }
    }
    wb.save_to_buffer().map_err(xlsx_error)
}

/// Resources as CSV, UTF-8 with a BOM so that Excel opens the Chinese text correctly.
pub fn to_csv(resources: &[Resource]) -> Result<Vec<u8>, CatalogError> {
    let mut out = b"\xef\xbb\xbf".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let write = |w: &mut csv::Writer<&mut Vec<u8>>, row: &[String]| {
            w.write_record(row)
                .map_err(|e| CatalogError::File(format!("could not write the CSV: {e}")))
        };
        write(
            &mut w,
            &COLUMNS
                .iter()
                .map(|c| c.header.to_string())
                .collect::<Vec<_>>(),
        )?;
        for r in resources {
            write(&mut w, &row_of(r))?;
        }
        w.flush().map_err(|e| CatalogError::File(e.to_string()))?;
    }
    Ok(out)
}

fn labels<T: Copy>(all: &[T], label: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| label(*v)).collect()
}

/// The empty import template: sheet 资源目录 with drop-down lists for the controlled
/// values, and a 填写说明 sheet.
pub fn template_xlsx() -> Result<Vec<u8>, CatalogError> {
    let mut wb = Workbook::new();
    let ws = sheet_with_headers(&mut wb).map_err(xlsx_error)?;
    let lists: [(&str, Vec<&str>); 8] = [
        (
            "catalog_type",
            labels(CatalogType::ALL, CatalogType::label_zh),
        ),
        (
            "format",
            labels(ResourceFormat::ALL, ResourceFormat::label_zh),
        ),
        (
            "sharing_type",
            labels(SharingType::ALL, SharingType::label_zh),
        ),
        (
            "share_method",
            labels(ShareMethod::ALL, ShareMethod::label_zh),
        ),
        ("open_type", labels(OpenType::ALL, OpenType::label_zh)),
        (
            "update_cycle",
            labels(UpdateCycle::ALL, UpdateCycle::label_zh),
        ),
        (
            "security_grade",
            labels(SecurityGrade::ALL, SecurityGrade::label_zh),
        ),
        ("publish_date", Vec::new()),
    ];
    for (key, values) in lists.iter().filter(|(_, v)| !v.is_empty()) {
        if let Some(col) = COLUMNS.iter().position(|c| c.key == *key) {
            let dv = DataValidation::new()
                .allow_list_strings(values)
                .map_err(xlsx_error)?;
            ws.add_data_validation(1, col as u16, 5000, col as u16, &dv)
                .map_err(xlsx_error)?;
        }
    }
    let notes = wb.add_worksheet();
    notes.set_name("填写说明").map_err(xlsx_error)?;
    let bold = Format::new().set_bold();
    for (i, h) in ["列", "必填", "说明"].iter().enumerate() {
        notes
            .write_string_with_format(0, i as u16, *h, &bold)
            .map_err(xlsx_error)?;
    }
    notes.set_column_width(0, 16).map_err(xlsx_error)?;
    notes.set_column_width(2, 80).map_err(xlsx_error)?;
    for (i, c) in COLUMNS.iter().enumerate() {
        let row = (i + 1) as u32;
        notes.write_string(row, 0, c.header).map_err(xlsx_error)?;
        notes
            .write_string(row, 1, if c.required { "是" } else { "" })
            .map_err(xlsx_error)?;
        notes.write_string(row, 2, c.note).map_err(xlsx_error)?;
    }
    let example = (COLUMNS.len() + 3) as u32;
    notes
        .write_string_with_format(example, 0, "信息项示例", &bold)
        .map_err(xlsx_error)?;
    notes
        .write_string(
            example,
            2,
            "xm|姓名|字符型|50|姓名；sfzh|身份证号|字符型|18|身份证号|公民身份号码",
        )
        .map_err(xlsx_error)?;
    wb.save_to_buffer().map_err(xlsx_error)
}

/// The empty import template as CSV (UTF-8 with BOM, header row only).
pub fn template_csv() -> Result<Vec<u8>, CatalogError> {
    to_csv(&[])
}
