//! Streamed downloads of an opened dataset: CSV (UTF-8 with a BOM so that Excel reads
//! Chinese), JSON (an array of objects), XLSX and Parquet.
//!
//! Nothing is collected: every format is built from [`data::stream`], one record batch
//! (DataFusion's 8,192 rows) at a time.
//! - CSV and JSON encode each batch as the body asks for the next chunk, so the server
//!   holds about one batch whatever the table's size, and a slow client slows the scan.
//! - Parquet is written by a task into a bounded in-memory pipe that the body reads;
//!   row groups are cut at [`PARQUET_ROW_GROUP_ROWS`] rows or [`PARQUET_ROW_GROUP_BYTES`],
//!   which bounds the writer's buffer.
//! - XLSX cannot be written as a stream (a zip whose parts need their sizes), so a
//!   blocking task writes it with the constant-memory worksheet (rows go to a temporary
//!   file as they are written) to a temporary file, which is then streamed and deleted.
//!   Excel holds 1,048,576 rows with the header; a larger table is refused with 422.

use std::io;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use futures::StreamExt;
use tokio::io::AsyncReadExt;
use zhengshu_http::{ApiError, MaybePrincipal};
use zhengshu_lake::deltalake::arrow::array::{Array, AsArray, RecordBatch};
use zhengshu_lake::deltalake::arrow::compute::cast;
use zhengshu_lake::deltalake::arrow::csv::WriterBuilder as CsvWriterBuilder;
use zhengshu_lake::deltalake::arrow::datatypes::{
    DataType as ArrowType, Float64Type, Schema, SchemaRef,
};
use zhengshu_lake::deltalake::arrow::json::writer::{
    JsonArray, WriterBuilder as JsonWriterBuilder,
};
use zhengshu_lake::deltalake::arrow::json::Writer as JsonWriter;
use zhengshu_lake::deltalake::arrow::util::display::{ArrayFormatter, FormatOptions};
use zhengshu_lake::deltalake::datafusion::execution::SendableRecordBatchStream;
use zhengshu_lake::deltalake::parquet::arrow::AsyncArrowWriter;
use zhengshu_lake::deltalake::parquet::basic::Compression;
use zhengshu_lake::deltalake::parquet::file::properties::WriterProperties;

use crate::http::pages::pct;
use crate::model::{Caller, Dataset};
use crate::stats::Event;
use crate::{data, service, OpenError, OpenState};

/// Rows Excel holds in a sheet besides the header row (1,048,576 in all).
pub const XLSX_MAX_ROWS: i64 = 1_048_575;
/// Excel's longest cell text.
const XLSX_MAX_CELL_CHARS: usize = 32_767;
/// Integers beyond this lose digits as Excel numbers (15 significant digits); they are
/// written as text.
const XLSX_MAX_EXACT_INT: f64 = 999_999_999_999_999.0;
pub const PARQUET_ROW_GROUP_ROWS: usize = 128 * 1024;
pub const PARQUET_ROW_GROUP_BYTES: usize = 64 << 20;
/// The pipe between the Parquet writer task and the response body.
const PIPE_BYTES: usize = 256 * 1024;
/// Chunks read from the XLSX file.
const FILE_CHUNK: usize = 64 * 1024;

/// A download format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Xlsx,
    Parquet,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Csv, Format::Json, Format::Xlsx, Format::Parquet];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Parquet => "parquet",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        let s = s.trim().to_ascii_lowercase();
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Parquet => "application/vnd.apache.parquet",
        }
    }
}

/// `Content-Disposition`: the code as the plain file name, the dataset's Chinese name as
/// the UTF-8 one (RFC 6266).
fn disposition(ds: &Dataset, format: Format) -> String {
    let ext = format.as_str();
    let ascii: String = ds
        .resource
        .code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    format!(
        "attachment; filename=\"{ascii}.{ext}\"; filename*=UTF-8''{}.{ext}",
        pct(&ds.resource.name)
    )
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// `/open/datasets/{code}/download/{format}`: the whole public view of the dataset as a
/// file, streamed.
pub async fn download(
    State(st): State<OpenState>,
    MaybePrincipal(who): MaybePrincipal,
    headers: HeaderMap,
    Path((code, format)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let Some(format) = Format::parse(&format) else {
        return Err(ApiError::bad_request(format!(
            "unknown download format `{format}`; use one of {}",
            Format::ALL.map(Format::as_str).join(", ")
        )));
    };
    let mut ds = service::dataset(&st, &code).await?;
    let caller = service::caller(&st, &headers, who.as_ref()).await?;
    if let Err(e) = service::authorize(&st, &caller, &ds).await {
        // A browser without a login is sent to sign in and back to the dataset.
        if caller == Caller::Anonymous && wants_html(&headers) {
            let back = format!("/open/datasets/{}", pct(&ds.resource.code));
            return Ok(Redirect::to(&format!("/console/login?next={}", pct(&back))).into_response());
        }
        return Err(e.into());
    }
    if !ds.has_data() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no_data",
            format!(
                "dataset {} has no data to download yet: its unit has not connected it to \
                 the data lake (the metadata is on /open/datasets/{})",
                ds.resource.code, ds.resource.code
            ),
        ));
    }
    if format == Format::Xlsx {
        service::figures(&st, &mut ds).await?;
        fits_a_sheet(&ds.resource.code, ds.rows)?;
    }
    let stream = data::stream(&st, &ds).await?;
    let body = match format {
        Format::Csv => encoded(stream, CsvEncoder::default()),
        Format::Json => encoded(stream, JsonEncoder::new()),
        Format::Parquet => parquet_body(stream),
        Format::Xlsx => xlsx_body(stream, sheet_name(&ds)).await?,
    };
    st.stats
        .record(&service::today_s(&st), ds.resource.id, Event::Download);
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition(&ds, format)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(resp)
}

/// Refuses an XLSX of more rows than an Excel sheet holds (422, pointing to CSV and
/// Parquet).
fn fits_a_sheet(code: &str, rows: Option<i64>) -> Result<(), OpenError> {
    match rows {
        Some(rows) if rows > XLSX_MAX_ROWS => Err(OpenError::TooLarge(format!(
            "dataset {code} has {rows} rows; an Excel sheet holds {XLSX_MAX_ROWS} rows besides \
             its header. Download it as CSV or Parquet instead."
        ))),
        _ => Ok(()),
    }
}

fn io_err(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// Encodes record batches into bytes, one batch at a time.
trait Encoder: Send + 'static {
    /// The bytes of one batch (with whatever must precede the first).
    fn batch(&mut self, b: &RecordBatch) -> Result<Vec<u8>, OpenError>;
    /// The bytes after the last batch (`schema` for a header when there were no rows).
    fn finish(&mut self, schema: &SchemaRef) -> Result<Vec<u8>, OpenError>;
}

/// CSV: a BOM, one header row of field names, the rows.
#[derive(Default)]
struct CsvEncoder {
    started: bool,
}

impl CsvEncoder {
    fn encode(&mut self, b: &RecordBatch) -> Result<Vec<u8>, OpenError> {
        let mut out = Vec::with_capacity(64 * 1024);
        if !self.started {
            out.extend_from_slice("\u{feff}".as_bytes());
        }
        let mut w = CsvWriterBuilder::new()
            .with_header(!self.started)
            .build(&mut out);
        w.write(b)?;
        drop(w);
        self.started = true;
        Ok(out)
    }
}

impl Encoder for CsvEncoder {
    fn batch(&mut self, b: &RecordBatch) -> Result<Vec<u8>, OpenError> {
        if b.num_rows() == 0 {
            return Ok(Vec::new());
        }
        self.encode(b)
    }

    fn finish(&mut self, schema: &SchemaRef) -> Result<Vec<u8>, OpenError> {
        if self.started {
            return Ok(Vec::new());
        }
        self.encode(&RecordBatch::new_empty(schema.clone()))
    }
}

/// JSON: `[{"field": value, …}, …]`, nulls written out, numbers as numbers.
struct JsonEncoder {
    w: JsonWriter<Vec<u8>, JsonArray>,
}

impl JsonEncoder {
    fn new() -> JsonEncoder {
        JsonEncoder {
            w: JsonWriterBuilder::new()
                .with_explicit_nulls(true)
                .build(Vec::new()),
        }
    }
}

impl Encoder for JsonEncoder {
    fn batch(&mut self, b: &RecordBatch) -> Result<Vec<u8>, OpenError> {
        self.w.write(b)?;
        Ok(std::mem::take(self.w.get_mut()))
    }

    fn finish(&mut self, _schema: &SchemaRef) -> Result<Vec<u8>, OpenError> {
        self.w.finish()?;
        Ok(std::mem::take(self.w.get_mut()))
    }
}

/// The body of a batch-by-batch encoding: a batch is read from the scan only when the
/// client has taken the previous chunk. An error after the first byte ends the body with
/// an error, so the client sees a broken download, never a short file that looks whole.
fn encoded<E: Encoder>(stream: SendableRecordBatchStream, encoder: E) -> Body {
    let schema = stream.schema();
    let state = Some((stream, encoder));
    let chunks = futures::stream::unfold(state, move |state| {
        let schema = schema.clone();
        async move {
            let (mut stream, mut enc) = state?;
            loop {
                match stream.next().await {
                    Some(Ok(b)) => match enc.batch(&b) {
                        Ok(bytes) if bytes.is_empty() => continue,
                        Ok(bytes) => return Some((Ok(Bytes::from(bytes)), Some((stream, enc)))),
                        Err(e) => return Some((Err(failed(e)), None)),
                    },
                    Some(Err(e)) => return Some((Err(failed(e)), None)),
                    None => {
                        return match enc.finish(&schema) {
                            Ok(bytes) if bytes.is_empty() => None,
                            Ok(bytes) => Some((Ok(Bytes::from(bytes)), None)),
                            Err(e) => Some((Err(failed(e)), None)),
                        }
                    }
                }
            }
        }
    });
    Body::from_stream(chunks)
}

fn failed(e: impl std::fmt::Display) -> io::Error {
    tracing::warn!(error = %e, "download failed while streaming");
    io_err(e)
}

/// Parquet: a writer task feeds a bounded pipe; the body reads the other end. When the
/// writer fails the body ends with an error; when the client goes away the pipe closes
/// and the writer stops.
fn parquet_body(mut stream: SendableRecordBatchStream) -> Body {
    let schema = plain_schema(&stream.schema());
    let (tx, rx) = tokio::io::duplex(PIPE_BYTES);
    let writer = tokio::spawn(async move {
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(PARQUET_ROW_GROUP_ROWS))
            .set_max_row_group_bytes(Some(PARQUET_ROW_GROUP_BYTES))
            .build();
        let target = schema.clone();
        let mut w = AsyncArrowWriter::try_new(tx, schema, Some(props)).map_err(io_err)?;
        while let Some(b) = stream.next().await {
            let b = plain_batch(&target, &b.map_err(io_err)?).map_err(io_err)?;
            w.write(&b).await.map_err(io_err)?;
        }
        w.close().await.map_err(io_err)?;
        Ok::<(), io::Error>(())
    });
    read_body(rx, Some(writer), None)
}

/// The type a reader of any Arrow version understands: the scan's string and binary
/// views become plain strings and binaries in the file.
fn plain_type(t: &ArrowType) -> ArrowType {
    match t {
        ArrowType::Utf8View => ArrowType::Utf8,
        ArrowType::BinaryView => ArrowType::Binary,
        other => other.clone(),
    }
}

fn plain_schema(schema: &SchemaRef) -> SchemaRef {
    Arc::new(Schema::new(
        schema
            .fields()
            .iter()
            .map(|f| f.as_ref().clone().with_data_type(plain_type(f.data_type())))
            .collect::<Vec<_>>(),
    ))
}

fn plain_batch(target: &SchemaRef, b: &RecordBatch) -> Result<RecordBatch, OpenError> {
    let columns = b
        .columns()
        .iter()
        .zip(target.fields())
        .map(|(c, f)| {
            if c.data_type() == f.data_type() {
                Ok(c.clone())
            } else {
                cast(c, f.data_type())
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RecordBatch::try_new(target.clone(), columns)?)
}

/// A body that reads `reader` to its end; then, if a writer task is given, its outcome
/// decides whether the body ends cleanly. `keep` lives as long as the body (a temporary
/// file to delete afterwards).
fn read_body<R>(
    reader: R,
    writer: Option<tokio::task::JoinHandle<io::Result<()>>>,
    keep: Option<tempfile::TempPath>,
) -> Body
where
    R: tokio::io::AsyncRead + Send + Unpin + 'static,
{
    let chunks = futures::stream::unfold(Some((reader, writer, keep)), |state| async move {
        let (mut reader, writer, keep) = state?;
        let mut buf = vec![0u8; FILE_CHUNK];
        match reader.read(&mut buf).await {
            Ok(0) => {
                let outcome = match writer {
                    Some(task) => match task.await {
                        Ok(r) => r,
                        Err(e) => Err(io_err(e)),
                    },
                    None => Ok(()),
                };
                drop(keep);
                outcome.err().map(|e| (Err(failed(e)), None))
            }
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(Bytes::from(buf)), Some((reader, writer, keep))))
            }
            Err(e) => Some((Err(failed(e)), None)),
        }
    });
    Body::from_stream(chunks)
}

/// A sheet name Excel accepts (at most 31 characters, none of `[]:*?/\`).
fn sheet_name(ds: &Dataset) -> String {
    let name: String = ds
        .resource
        .code
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if name.is_empty() {
        "data".into()
    } else {
        name
    }
}

/// XLSX: the batches go over a small channel to a blocking task that writes a
/// constant-memory worksheet into a temporary file; the file is then streamed.
async fn xlsx_body(
    mut stream: SendableRecordBatchStream,
    sheet: String,
) -> Result<Body, OpenError> {
    let schema = stream.schema();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<RecordBatch>(2);
    let pump = tokio::spawn(async move {
        while let Some(b) = stream.next().await {
            if tx.send(b?).await.is_err() {
                break;
            }
        }
        Ok::<(), OpenError>(())
    });
    let written = tokio::task::spawn_blocking(move || {
        let file = tempfile::Builder::new()
            .prefix("zhengshu-download-")
            .suffix(".xlsx")
            .tempfile()
            .map_err(|e| OpenError::Sql(format!("XLSX: temporary file: {e}")))?
            .into_temp_path();
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet_with_constant_memory();
        ws.set_name(&sheet).map_err(xlsx_err)?;
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, f) in schema.fields().iter().enumerate() {
            ws.write_string_with_format(0, col_index(c)?, f.name(), &bold)
                .map_err(xlsx_err)?;
        }
        let mut row: u32 = 1;
        while let Some(b) = rx.blocking_recv() {
            write_rows(ws, &mut row, &b)?;
        }
        book.save(&file).map_err(xlsx_err)?;
        Ok::<_, OpenError>(file)
    })
    .await
    .map_err(|e| OpenError::Sql(format!("XLSX writer: {e}")))?;
    pump.await
        .map_err(|e| OpenError::Sql(format!("XLSX reader: {e}")))??;
    let path = written?;
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|e| OpenError::Sql(format!("XLSX: {e}")))?;
    Ok(read_body(file, None, Some(path)))
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> OpenError {
    OpenError::Sql(format!("XLSX: {e}"))
}

fn col_index(c: usize) -> Result<u16, OpenError> {
    u16::try_from(c)
        .ok()
        .filter(|c| *c < 16_384)
        .ok_or_else(|| OpenError::TooLarge("an Excel sheet holds 16,384 columns".into()))
}

/// Writes a batch's rows: numbers as numbers, booleans as booleans, the rest as text
/// (dates and times in ISO form); nulls are left empty.
fn write_rows(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: &mut u32,
    b: &RecordBatch,
) -> Result<(), OpenError> {
    enum Col<'a> {
        Number(zhengshu_lake::deltalake::arrow::array::Float64Array, bool),
        Bool(&'a zhengshu_lake::deltalake::arrow::array::BooleanArray),
        Text(ArrayFormatter<'a>),
    }
    let opts = FormatOptions::default();
    let mut cols = Vec::with_capacity(b.num_columns());
    for a in b.columns() {
        let t = a.data_type();
        cols.push(
            if t.is_integer() || t.is_floating() || matches!(t, ArrowType::Decimal128(..)) {
                let f = cast(a, &ArrowType::Float64)?;
                Col::Number(f.as_primitive::<Float64Type>().clone(), t.is_integer())
            } else if *t == ArrowType::Boolean {
                Col::Bool(a.as_boolean())
            } else {
                Col::Text(ArrayFormatter::try_new(a.as_ref(), &opts)?)
            },
        );
    }
    for r in 0..b.num_rows() {
        if i64::from(*row) > XLSX_MAX_ROWS {
            return Err(OpenError::TooLarge(format!(
                "more than {XLSX_MAX_ROWS} rows do not fit an Excel sheet; download CSV or \
                 Parquet instead"
            )));
        }
        for (c, (a, col)) in b.columns().iter().zip(&cols).enumerate() {
            if a.is_null(r) {
                continue;
            }
            let c = col_index(c)?;
            match col {
                Col::Number(v, integer) => {
                    let x = v.value(r);
                    if *integer && x.abs() > XLSX_MAX_EXACT_INT {
                        let text =
                            zhengshu_lake::deltalake::arrow::util::display::array_value_to_string(
                                a, r,
                            )?;
                        ws.write_string(*row, c, text)
                    } else {
                        ws.write_number(*row, c, x)
                    }
                }
                Col::Bool(v) => ws.write_boolean(*row, c, v.value(r)),
                Col::Text(f) => {
                    let s = f.value(r).to_string();
                    let s: String = if s.chars().count() > XLSX_MAX_CELL_CHARS {
                        s.chars().take(XLSX_MAX_CELL_CHARS).collect()
                    } else {
                        s
                    };
                    ws.write_string(*row, c, s)
                }
            }
            .map_err(xlsx_err)?;
        }
        *row += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xlsx_stops_at_excels_row_limit() {
        assert!(fits_a_sheet("x", None).is_ok());
        assert!(fits_a_sheet("x", Some(1_048_575)).is_ok());
        let e = fits_a_sheet("101001-0012-0003", Some(1_048_576)).err();
        let api = zhengshu_http::ApiError::from(e.expect("refused"));
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(api.message.contains("CSV or Parquet"), "{}", api.message);
        assert!(api.message.contains("1048576 rows"), "{}", api.message);
    }

    #[test]
    fn formats_parse() {
        assert_eq!(Format::parse("CSV"), Some(Format::Csv));
        assert_eq!(Format::parse("parquet"), Some(Format::Parquet));
        assert_eq!(Format::parse("pdf"), None);
    }
}
