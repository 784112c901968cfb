//! Conditions compiled to DataFusion expressions, with values typed by the column, and the
//! test of which outer predicates may cross a view's barrier.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use zhengshu_lake::deltalake::arrow::datatypes::DataType as ArrowType;
use zhengshu_lake::deltalake::datafusion::common::ScalarValue;
use zhengshu_lake::deltalake::datafusion::functions::string::expr_fn::starts_with;
use zhengshu_lake::deltalake::datafusion::logical_expr::{Expr, Operator};
use zhengshu_lake::deltalake::datafusion::prelude::lit;

use crate::model::{Condition, Op};
use crate::ExchangeError;

/// Most values one `in` condition may list.
const MAX_IN_VALUES: usize = 1000;

/// A value given as text, typed as the column's Arrow type. `field` names the request
/// field in errors (`row_filter`, or the REST column).
pub(crate) fn typed_value(
    field: &str,
    column: &str,
    ty: &ArrowType,
    raw: &str,
) -> Result<ScalarValue, ExchangeError> {
    let bad = |what: &str| {
        ExchangeError::invalid(
            field,
            format!("`{raw}` is not {what}, which `{column}` holds"),
        )
    };
    let v = raw.trim();
    let scalar = match ty {
        ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View => {
            return Ok(ScalarValue::Utf8(Some(raw.to_string())))
        }
        ArrowType::Int8
        | ArrowType::Int16
        | ArrowType::Int32
        | ArrowType::Int64
        | ArrowType::UInt8
        | ArrowType::UInt16
        | ArrowType::UInt32
        | ArrowType::UInt64 => {
            ScalarValue::Int64(Some(v.parse::<i64>().map_err(|_| bad("an integer"))?))
        }
        ArrowType::Float16 | ArrowType::Float32 | ArrowType::Float64 => {
            let f = v.parse::<f64>().map_err(|_| bad("a number"))?;
            if !f.is_finite() {
                return Err(bad("a finite number"));
            }
            ScalarValue::Float64(Some(f))
        }
        ArrowType::Date32 | ArrowType::Date64 => {
            let d = NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| bad("a date written YYYY-MM-DD"))?;
            // `NaiveDate::default()` is 1970-01-01, day 0 of Date32.
            let days = d.signed_duration_since(NaiveDate::default()).num_days();
            ScalarValue::Date32(Some(i32::try_from(days).map_err(|_| bad("a date"))?))
        }
        ArrowType::Timestamp(_, tz) => {
            let micros = DateTime::parse_from_rfc3339(v)
                .map(|t| t.timestamp_micros())
                .or_else(|_| {
                    NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%S")
                        .map(|t| t.and_utc().timestamp_micros())
                })
                .map_err(|_| bad("a time written 2026-11-24T08:00:00Z"))?;
            ScalarValue::TimestampMicrosecond(Some(micros), tz.clone())
        }
        ArrowType::Boolean => ScalarValue::Boolean(Some(match v.to_ascii_lowercase().as_str() {
            "true" | "t" | "1" | "yes" | "是" => true,
            "false" | "f" | "0" | "no" | "否" => false,
            _ => return Err(bad("true or false")),
        })),
        other => {
            return Err(ExchangeError::invalid(
                field,
                format!("`{column}` ({other}) cannot be filtered"),
            ))
        }
    };
    if &scalar.data_type() == ty {
        return Ok(scalar);
    }
    scalar.cast_to(ty).map_err(|_| bad("in range"))
}

fn one<'a>(field: &str, c: &'a Condition) -> Result<&'a str, ExchangeError> {
    match c.values.as_slice() {
        [v] => Ok(v),
        _ => Err(ExchangeError::invalid(
            field,
            format!(
                "`{}` {} takes exactly one value, not {}",
                c.column,
                c.op.as_str(),
                c.values.len()
            ),
        )),
    }
}

/// `column <op> values` as an expression over `column` (the column itself, or its masked
/// value), of type `ty`.
pub(crate) fn condition_expr(
    field: &str,
    c: &Condition,
    ty: &ArrowType,
    column: Expr,
) -> Result<Expr, ExchangeError> {
    let value = |raw: &str| typed_value(field, &c.column, ty, raw).map(lit);
    Ok(match c.op {
        Op::Eq => column.eq(value(one(field, c)?)?),
        Op::In => {
            if c.values.is_empty() || c.values.len() > MAX_IN_VALUES {
                return Err(ExchangeError::invalid(
                    field,
                    format!(
                        "`{}` in takes 1 to {MAX_IN_VALUES} values, not {}",
                        c.column,
                        c.values.len()
                    ),
                ));
            }
            let values = c
                .values
                .iter()
                .map(|v| value(v))
                .collect::<Result<Vec<_>, _>>()?;
            column.in_list(values, false)
        }
        Op::Range => {
            let [low, high] = c.values.as_slice() else {
                return Err(ExchangeError::invalid(
                    field,
                    format!(
                        "`{}` range takes two values, low and high (either may be empty)",
                        c.column
                    ),
                ));
            };
            let mut parts = Vec::new();
            if !low.trim().is_empty() {
                parts.push(column.clone().gt_eq(value(low)?));
            }
            if !high.trim().is_empty() {
                parts.push(column.clone().lt_eq(value(high)?));
            }
            parts
                .into_iter()
                .reduce(Expr::and)
                .unwrap_or_else(|| lit(true))
        }
        Op::Prefix => {
            if !matches!(
                ty,
                ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View
            ) {
                return Err(ExchangeError::invalid(
                    field,
                    format!("prefix works on text items only; `{}` is {ty}", c.column),
                ));
            }
            starts_with(column, lit(one(field, c)?.to_string()))
        }
    })
}

/// `target > value` (`greater`) or `target < value`, for the column `column`.
pub(crate) fn strict_expr(
    field: &str,
    column: &str,
    greater: bool,
    raw: &str,
    ty: &ArrowType,
    target: Expr,
) -> Result<Expr, ExchangeError> {
    let v = lit(typed_value(field, column, ty, raw)?);
    Ok(if greater { target.gt(v) } else { target.lt(v) })
}

/// Whether an outer predicate may be evaluated inside a view, below its row filter:
/// only if it cannot fail on any value. An expression that can fail (a cast of a
/// column, arithmetic, any function) could otherwise stop the query with an error
/// that quotes a value of a row the row filter hides. Such predicates stay above
/// the view and see only its rows.
pub(crate) fn cannot_fail(e: &Expr) -> bool {
    match e {
        Expr::Column(_) | Expr::Literal(..) => true,
        Expr::BinaryExpr(b) => {
            matches!(
                b.op,
                Operator::Eq
                    | Operator::NotEq
                    | Operator::Lt
                    | Operator::LtEq
                    | Operator::Gt
                    | Operator::GtEq
                    | Operator::And
                    | Operator::Or
                    | Operator::IsDistinctFrom
                    | Operator::IsNotDistinctFrom
            ) && cannot_fail(&b.left)
                && cannot_fail(&b.right)
        }
        Expr::Not(x)
        | Expr::IsNull(x)
        | Expr::IsNotNull(x)
        | Expr::IsTrue(x)
        | Expr::IsFalse(x)
        | Expr::IsUnknown(x)
        | Expr::IsNotTrue(x)
        | Expr::IsNotFalse(x)
        | Expr::IsNotUnknown(x) => cannot_fail(x),
        Expr::Between(b) => cannot_fail(&b.expr) && cannot_fail(&b.low) && cannot_fail(&b.high),
        Expr::InList(l) => cannot_fail(&l.expr) && l.list.iter().all(cannot_fail),
        Expr::Like(l) => cannot_fail(&l.expr) && matches!(l.pattern.as_ref(), Expr::Literal(..)),
        Expr::Cast(c) => matches!(c.expr.as_ref(), Expr::Literal(..)),
        Expr::TryCast(c) => cannot_fail(&c.expr),
        _ => false,
    }
}
