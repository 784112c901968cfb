//! Share data as JSON, CSV or an Arrow IPC stream.

use zhengshu_lake::deltalake::arrow::array::RecordBatch;
use zhengshu_lake::deltalake::arrow::csv::WriterBuilder as CsvWriterBuilder;
use zhengshu_lake::deltalake::arrow::datatypes::Schema;
use zhengshu_lake::deltalake::arrow::ipc::writer::StreamWriter;
use zhengshu_lake::deltalake::arrow::json::writer::{
    JsonArray, WriterBuilder as JsonWriterBuilder,
};

use super::Format;
use crate::ExchangeError;

impl Format {
    /// `json`, `csv` or `arrow` (also `ipc`); `None` for anything else.
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "arrow" | "ipc" => Some(Format::Arrow),
            _ => None,
        }
    }

    /// The format an `Accept` header asks for, if it names one of ours.
    pub fn from_accept(accept: &str) -> Option<Format> {
        accept
            .split(',')
            .map(|m| {
                m.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .find_map(|m| match m.as_str() {
                "application/json" => Some(Format::Json),
                "text/csv" => Some(Format::Csv),
                "application/vnd.apache.arrow.stream" => Some(Format::Arrow),
                _ => None,
            })
    }

    /// The HTTP content type of the format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Arrow => "application/vnd.apache.arrow.stream",
        }
    }
}

/// JSON: `{"rows": [{column: value, …}], "next_cursor": …, "count": n}` with typed values
/// (numbers as numbers, dates and times as text, nulls as null).
fn json(batches: &[RecordBatch], next_cursor: Option<&str>) -> Result<Vec<u8>, ExchangeError> {
    let mut out = b"{\"rows\":".to_vec();
    let count: usize = batches.iter().map(RecordBatch::num_rows).sum();
    if count == 0 {
        out.extend_from_slice(b"[]");
    } else {
        let mut w = JsonWriterBuilder::new()
            .with_explicit_nulls(true)
            .build::<_, JsonArray>(&mut out);
        for b in batches {
            w.write(b)?;
        }
        w.finish()?;
        drop(w);
    }
    out.extend_from_slice(b",\"next_cursor\":");
    serde_json::to_writer(&mut out, &next_cursor)
        .map_err(|e| ExchangeError::Sql(format!("JSON: {e}")))?;
    out.extend_from_slice(b",\"count\":");
    out.extend_from_slice(count.to_string().as_bytes());
    out.push(b'}');
    Ok(out)
}

/// CSV with a header row (UTF-8; the header is written even when there are no rows).
fn csv(batches: &[RecordBatch]) -> Result<Vec<u8>, ExchangeError> {
    let mut out = Vec::new();
    {
        let mut w = CsvWriterBuilder::new().with_header(true).build(&mut out);
        for b in batches {
            w.write(b)?;
        }
    }
    Ok(out)
}

/// An Arrow IPC stream (one schema message, then the batches).
fn arrow(batches: &[RecordBatch]) -> Result<Vec<u8>, ExchangeError> {
    let schema = batches
        .first()
        .map(RecordBatch::schema)
        .unwrap_or_else(|| std::sync::Arc::new(Schema::empty()));
    let mut out = Vec::new();
    {
        let mut w = StreamWriter::try_new(&mut out, &schema)?;
        for b in batches {
            w.write(b)?;
        }
        w.finish()?;
    }
    Ok(out)
}

pub(super) fn encode(
    batches: &[RecordBatch],
    format: Format,
    next_cursor: Option<&str>,
) -> Result<(&'static str, Vec<u8>), ExchangeError> {
    let body = match format {
        Format::Json => json(batches, next_cursor)?,
        Format::Csv => csv(batches)?,
        Format::Arrow => arrow(batches)?,
    };
    Ok((format.content_type(), body))
}
