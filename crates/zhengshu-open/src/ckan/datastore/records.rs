//! DataStore records as CKAN writes them: objects, lists, CSV or TSV, with the synthetic
//! `_id`; and the DataStore type names of Arrow types.

use serde_json::{json, Map, Value};
use zhengshu_lake::deltalake::arrow::array::RecordBatch;
use zhengshu_lake::deltalake::arrow::datatypes::DataType as ArrowType;
use zhengshu_lake::deltalake::arrow::json::writer::{JsonArray, WriterBuilder};

use crate::ckan::CkanError;

/// The DataStore type name of an Arrow type.
pub(super) fn ckan_type(t: &ArrowType) -> &'static str {
    match t {
        ArrowType::Int8
        | ArrowType::Int16
        | ArrowType::Int32
        | ArrowType::Int64
        | ArrowType::UInt8
        | ArrowType::UInt16
        | ArrowType::UInt32
        | ArrowType::UInt64 => "int",
        ArrowType::Float16
        | ArrowType::Float32
        | ArrowType::Float64
        | ArrowType::Decimal128(..)
        | ArrowType::Decimal256(..) => "numeric",
        ArrowType::Date32 | ArrowType::Date64 => "date",
        ArrowType::Timestamp(..) => "timestamp",
        ArrowType::Time32(_) | ArrowType::Time64(_) => "time",
        ArrowType::Boolean => "bool",
        ArrowType::Binary | ArrowType::LargeBinary | ArrowType::BinaryView => "bytea",
        _ => "text",
    }
}

/// How records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RecordsFormat {
    Objects,
    Lists,
    Csv,
    Tsv,
}

impl RecordsFormat {
    pub(super) fn parse(s: &str) -> Option<RecordsFormat> {
        match s.trim() {
            "" | "objects" => Some(RecordsFormat::Objects),
            "lists" => Some(RecordsFormat::Lists),
            "csv" => Some(RecordsFormat::Csv),
            "tsv" => Some(RecordsFormat::Tsv),
            _ => None,
        }
    }

    pub(super) fn as_str(self) -> &'static str {
        match self {
            RecordsFormat::Objects => "objects",
            RecordsFormat::Lists => "lists",
            RecordsFormat::Csv => "csv",
            RecordsFormat::Tsv => "tsv",
        }
    }
}

/// Batches as JSON objects (numbers as numbers, dates and times as text, nulls as null).
pub(super) fn json_rows(batches: &[RecordBatch]) -> Result<Vec<Map<String, Value>>, CkanError> {
    if batches.iter().all(|b| b.num_rows() == 0) {
        return Ok(Vec::new());
    }
    let mut buf = Vec::new();
    {
        let mut w = WriterBuilder::new()
            .with_explicit_nulls(true)
            .build::<_, JsonArray>(&mut buf);
        for b in batches {
            w.write(b)
                .map_err(|e| CkanError::Internal(format!("encoding records: {e}")))?;
        }
        w.finish()
            .map_err(|e| CkanError::Internal(format!("encoding records: {e}")))?;
    }
    serde_json::from_slice(&buf).map_err(|e| CkanError::Internal(format!("encoding records: {e}")))
}

fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The records in the requested format; `first_id` is the `_id` of the first row (None =
/// no `_id`).
pub(super) fn records(
    rows: Vec<Map<String, Value>>,
    fields: &[String],
    first_id: Option<usize>,
    format: RecordsFormat,
) -> Result<Value, CkanError> {
    let cells = |i: usize, row: &Map<String, Value>| -> Vec<Value> {
        let mut out = Vec::with_capacity(fields.len() + 1);
        if let Some(first) = first_id {
            out.push(json!(first + i));
        }
        out.extend(
            fields
                .iter()
                .map(|f| row.get(f).cloned().unwrap_or(Value::Null)),
        );
        out
    };
    Ok(match format {
        RecordsFormat::Objects => Value::Array(
            rows.into_iter()
                .enumerate()
                .map(|(i, mut row)| {
                    if let Some(first) = first_id {
                        row.insert("_id".into(), json!(first + i));
                    }
                    Value::Object(row)
                })
                .collect(),
        ),
        RecordsFormat::Lists => Value::Array(
            rows.iter()
                .enumerate()
                .map(|(i, r)| Value::Array(cells(i, r)))
                .collect(),
        ),
        RecordsFormat::Csv | RecordsFormat::Tsv => {
            let mut w = csv::WriterBuilder::new()
                .delimiter(if format == RecordsFormat::Csv {
                    b','
                } else {
                    b'\t'
                })
                .from_writer(Vec::new());
            for (i, r) in rows.iter().enumerate() {
                w.write_record(cells(i, r).iter().map(cell_text))
                    .map_err(|e| CkanError::Internal(format!("writing CSV: {e}")))?;
            }
            let bytes = w
                .into_inner()
                .map_err(|e| CkanError::Internal(format!("writing CSV: {e}")))?;
            Value::String(String::from_utf8_lossy(&bytes).into_owned())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_in_every_format() {
        let rows = vec![
            json!({"name": "甲", "n": 1}).as_object().cloned().unwrap(),
            json!({"name": "乙,丙", "n": null})
                .as_object()
                .cloned()
                .unwrap(),
        ];
        let fields = vec!["name".to_string(), "n".to_string()];
        assert_eq!(
            records(rows.clone(), &fields, Some(11), RecordsFormat::Lists).unwrap(),
            json!([[11, "甲", 1], [12, "乙,丙", null]])
        );
        assert_eq!(
            records(rows.clone(), &fields, Some(11), RecordsFormat::Objects).unwrap()[1]["_id"],
            json!(12)
        );
        assert_eq!(
            records(rows, &fields, None, RecordsFormat::Csv).unwrap(),
            json!("甲,1\n\"乙,丙\",\n")
        );
    }
}
