//! Turning `filters`, `q`, `fields` and `sort` into DataFusion expressions over a view's
//! columns: values typed like their column, unknown fields named in the error.

use serde_json::Value;
use zhengshu_lake::deltalake::arrow::datatypes::{DataType as ArrowType, Schema};
use zhengshu_lake::deltalake::datafusion::common::ScalarValue;
use zhengshu_lake::deltalake::datafusion::logical_expr::expr::Like;
use zhengshu_lake::deltalake::datafusion::logical_expr::{cast, Expr};
use zhengshu_lake::deltalake::datafusion::prelude::{ident, lit};

use super::records::ckan_type;
use crate::ckan::CkanError;

/// Most values one filter may list.
const MAX_FILTER_VALUES: usize = 1000;

pub(super) fn is_text(t: &ArrowType) -> bool {
    matches!(
        t,
        ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View
    )
}

/// A column of the view: name and type.
#[derive(Debug, Clone)]
pub(super) struct Column {
    pub(super) name: String,
    pub(super) ty: ArrowType,
}

pub(super) fn columns_of(schema: &Schema) -> Vec<Column> {
    schema
        .fields()
        .iter()
        .map(|f| Column {
            name: f.name().clone(),
            ty: f.data_type().clone(),
        })
        .collect()
}

fn names(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn find<'a>(
    columns: &'a [Column],
    field: &str,
    name: &str,
) -> Result<&'a Column, CkanError> {
    columns.iter().find(|c| c.name == name).ok_or_else(|| {
        let hint = if name == "_id" {
            " (`_id` is the row's position in the result, not a stored column)"
        } else {
            ""
        };
        CkanError::invalid(
            field,
            format!(
                "field \"{name}\" not in the resource{hint}; its fields are {}",
                names(columns)
            ),
        )
    })
}

/// A filter value typed as its column, so that the comparison needs no cast of the
/// column and reaches the Delta scan.
fn typed(field: &str, c: &Column, v: &Value) -> Result<ScalarValue, CkanError> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => {
            return Err(CkanError::invalid(
                field,
                format!("field \"{}\": {other} is not a value", c.name),
            ))
        }
    };
    let text = if is_text(&c.ty) {
        text
    } else {
        text.trim().to_string()
    };
    ScalarValue::try_from_string(text.clone(), &c.ty).map_err(|_| {
        CkanError::invalid(
            field,
            format!(
                "field \"{}\" holds {} values; \"{text}\" is not one",
                c.name,
                ckan_type(&c.ty)
            ),
        )
    })
}

/// `filters`: `{"field": value}` or `{"field": [values]}`, all of which must hold.
pub(super) fn filter_exprs(
    key: &str,
    v: &Value,
    columns: &[Column],
) -> Result<Vec<Expr>, CkanError> {
    let Value::Object(m) = v else {
        return Err(CkanError::invalid(
            key,
            "Must be a JSON object: {\"field\": value, \"field2\": [value, value]}",
        ));
    };
    let mut out = Vec::new();
    for (name, value) in m {
        let c = find(columns, key, name)?;
        out.push(match value {
            Value::Null => ident(&c.name).is_null(),
            Value::Array(items) => {
                if items.is_empty() || items.len() > MAX_FILTER_VALUES {
                    return Err(CkanError::invalid(
                        key,
                        format!(
                            "field \"{name}\" lists {} values; give 1 to {MAX_FILTER_VALUES}",
                            items.len()
                        ),
                    ));
                }
                let mut values = items
                    .iter()
                    .map(|i| typed(key, c, i).map(lit))
                    .collect::<Result<Vec<_>, _>>()?;
                if values.len() == 1 {
                    ident(&c.name).eq(values.remove(0))
                } else {
                    ident(&c.name).in_list(values, false)
                }
            }
            scalar => ident(&c.name).eq(lit(typed(key, c, scalar)?)),
        });
    }
    Ok(out)
}

/// `%text%` with LIKE's wildcards in `text` escaped.
fn contains_pattern(text: &str) -> String {
    let mut p = String::from("%");
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

fn contains(e: Expr, text: &str) -> Expr {
    Expr::Like(Like::new(
        false,
        Box::new(e),
        Box::new(lit(contains_pattern(text))),
        None,
        true,
    ))
}

/// `q`: a string (rows where a text field contains it, ignoring case) or
/// `{"field": "text"}` (that field contains it).
pub(super) fn q_exprs(key: &str, v: &Value, columns: &[Column]) -> Result<Vec<Expr>, CkanError> {
    match v {
        Value::String(s) if s.trim().is_empty() => Ok(Vec::new()),
        Value::String(s) => {
            let any = columns
                .iter()
                .filter(|c| is_text(&c.ty))
                .map(|c| contains(ident(&c.name), s.trim()))
                .reduce(Expr::or)
                .unwrap_or(lit(false));
            Ok(vec![any])
        }
        Value::Number(n) => q_exprs(key, &Value::String(n.to_string()), columns),
        Value::Object(m) => {
            let mut out = Vec::new();
            for (name, text) in m {
                let c = find(columns, key, name)?;
                let text = match text {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    _ => {
                        return Err(CkanError::invalid(
                            key,
                            format!("field \"{name}\": the text to look for must be a string"),
                        ))
                    }
                };
                let e = if is_text(&c.ty) {
                    ident(&c.name)
                } else {
                    cast(ident(&c.name), ArrowType::Utf8)
                };
                out.push(contains(e, text.trim()));
            }
            Ok(out)
        }
        _ => Err(CkanError::invalid(
            key,
            "Must be a string or a JSON object {\"field\": \"text\"}",
        )),
    }
}

/// One `sort` clause: `field`, `field asc|desc`, `"quoted field" desc`.
pub(super) fn sort_clause(clause: &str) -> Result<(String, bool), CkanError> {
    let clause = clause.trim();
    let (field, rest) = if let Some(q) = clause.strip_prefix('"') {
        match q.split_once('"') {
            Some((f, rest)) => (f.to_string(), rest.trim()),
            None => {
                return Err(CkanError::invalid(
                    "sort",
                    format!("a quote is not closed in `{clause}`"),
                ))
            }
        }
    } else {
        match clause.split_once(char::is_whitespace) {
            Some((f, rest)) => (f.to_string(), rest.trim()),
            None => (clause.to_string(), ""),
        }
    };
    let desc = match rest.to_ascii_lowercase().as_str() {
        "" | "asc" => false,
        "desc" => true,
        other => {
            return Err(CkanError::invalid(
                "sort",
                format!("`{other}` is not asc or desc (in `{clause}`)"),
            ))
        }
    };
    Ok((field, desc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cols() -> Vec<Column> {
        vec![
            Column {
                name: "id".into(),
                ty: ArrowType::Int64,
            },
            Column {
                name: "name".into(),
                ty: ArrowType::Utf8,
            },
            Column {
                name: "day".into(),
                ty: ArrowType::Date32,
            },
        ]
    }

    #[test]
    fn filter_values_are_typed_like_their_column() {
        let f = filter_exprs("filters", &json!({"id": "7", "name": ["a", "b"]}), &cols()).unwrap();
        assert_eq!(f[0], ident("id").eq(lit(ScalarValue::Int64(Some(7)))));
        assert_eq!(f[1], ident("name").in_list(vec![lit("a"), lit("b")], false));
        let d = filter_exprs("filters", &json!({"day": "2025-01-02"}), &cols()).unwrap();
        assert_eq!(d[0], ident("day").eq(lit(ScalarValue::Date32(Some(20090)))));
    }

    #[test]
    fn bad_filters_are_validation_errors() {
        for bad in [
            json!({"nope": 1}),
            json!({"id": "x"}),
            json!({"id": 1.5}),
            json!({"day": "yesterday"}),
            json!({"id": []}),
            json!({"id": {"a": 1}}),
            json!(["id", 1]),
        ] {
            let e = filter_exprs("filters", &bad, &cols()).unwrap_err();
            assert_eq!(e.status().as_u16(), 409, "{bad}: {e:?}");
            assert!(e.body()["filters"].is_array(), "{bad}: {e:?}");
        }
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn sort_clauses_parse() {
        assert_eq!(sort_clause(" aqi desc").unwrap(), ("aqi".into(), true));
        assert_eq!(sort_clause("station").unwrap(), ("station".into(), false));
        assert_eq!(sort_clause("\"a b\" DESC").unwrap(), ("a b".into(), true));
        assert!(sort_clause("a sideways").is_err());
    }
}
