//! Quality rules (质量规则) per resource: declared on a column, blocking (the row goes to
//! quarantine) or reporting (counted in the quality report only).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use zhengshu_catalog::model::DataType;

use crate::LakeError;

/// What a rule checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleKind {
    /// 非空.
    NotNull,
    /// 唯一: no two rows of one batch share the value (across batches, upsert by key keeps
    /// one row per key).
    Unique,
    /// 取值范围: numbers, or dates as `YYYY-MM-DD`; either bound may be left out.
    Range {
        #[serde(default)]
        min: Option<String>,
        #[serde(default)]
        max: Option<String>,
    },
    /// 枚举值.
    Allowed { values: Vec<String> },
    /// 正则 (the whole value must match).
    Regex { pattern: String },
    /// 身份证号校验 (GB 11643).
    ResidentId,
    /// 统一社会信用代码校验 (GB 32100).
    CreditCode,
    /// 手机号格式.
    Mobile,
    /// 日期不晚于今天.
    NotFuture,
    /// 时效: the newest value of this date column is within the resource's update cycle
    /// (checked once per batch, reporting only).
    Freshness,
    /// 参照完整性: the value exists in `column` of another lake table.
    Reference { table: String, column: String },
}

impl RuleKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            RuleKind::NotNull => "not_null",
            RuleKind::Unique => "unique",
            RuleKind::Range { .. } => "range",
            RuleKind::Allowed { .. } => "allowed",
            RuleKind::Regex { .. } => "regex",
            RuleKind::ResidentId => "resident_id",
            RuleKind::CreditCode => "credit_code",
            RuleKind::Mobile => "mobile",
            RuleKind::NotFuture => "not_future",
            RuleKind::Freshness => "freshness",
            RuleKind::Reference { .. } => "reference",
        }
    }

    pub fn label_zh(&self) -> &'static str {
        match self {
            RuleKind::NotNull => "非空",
            RuleKind::Unique => "唯一",
            RuleKind::Range { .. } => "取值范围",
            RuleKind::Allowed { .. } => "枚举值",
            RuleKind::Regex { .. } => "正则",
            RuleKind::ResidentId => "身份证号校验",
            RuleKind::CreditCode => "统一社会信用代码校验",
            RuleKind::Mobile => "手机号格式",
            RuleKind::NotFuture => "日期不晚于今天",
            RuleKind::Freshness => "更新时效",
            RuleKind::Reference { .. } => "参照完整性",
        }
    }

    /// The parameters in one line, for lists.
    pub fn params(&self) -> String {
        match self {
            RuleKind::Range { min, max } => format!(
                "{} … {}",
                min.as_deref().unwrap_or("−∞"),
                max.as_deref().unwrap_or("+∞")
            ),
            RuleKind::Allowed { values } => values.join(", "),
            RuleKind::Regex { pattern } => pattern.clone(),
            RuleKind::Reference { table, column } => format!("{table}.{column}"),
            _ => String::new(),
        }
    }
}

/// A rule as declared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rule {
    #[serde(default)]
    pub id: i64,
    pub column: String,
    #[serde(flatten)]
    pub kind: RuleKind,
    /// Blocking rules send failing rows to quarantine; reporting rules only count them.
    #[serde(default = "yes")]
    pub blocking: bool,
}

fn yes() -> bool {
    true
}

/// One cell after standardisation and coercion, as the rules see it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cell<'a> {
    /// The standardised text; None = null.
    pub text: Option<&'a str>,
    /// Numbers (integer or number columns).
    pub num: Option<f64>,
    /// Days since 1970-01-01 (date columns) or of the UTC date (datetime columns).
    pub day: Option<i32>,
}

/// A rule ready to run against a column of a given type.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub rule: Rule,
    check: Check,
}

#[derive(Debug)]
enum Check {
    NotNull,
    Unique,
    RangeNum(Option<f64>, Option<f64>),
    RangeDay(Option<i32>, Option<i32>),
    RangeText(Option<String>, Option<String>),
    Allowed(HashSet<String>),
    Regex(regex::Regex),
    ResidentId,
    CreditCode,
    Mobile,
    NotFuture(i32),
    Freshness,
    Reference(HashSet<String>),
}

pub(crate) fn day_number(d: chrono::NaiveDate) -> i32 {
    (d - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days() as i32
}

impl Compiled {
    /// Checks a rule against its column's type and prepares it. `reference` holds the
    /// values of the referenced column for reference rules; `today` is the clock's date.
    pub(crate) fn new(
        rule: Rule,
        data_type: DataType,
        today: chrono::NaiveDate,
        reference: Option<HashSet<String>>,
    ) -> Result<Compiled, LakeError> {
        let bad = |m: String| LakeError::invalid("rules", format!("{}: {m}", rule.column));
        let check = match &rule.kind {
            RuleKind::NotNull => Check::NotNull,
            RuleKind::Unique => Check::Unique,
            RuleKind::Range { min, max } => match data_type {
                DataType::Integer | DataType::Number => {
                    let p = |s: &Option<String>| -> Result<Option<f64>, LakeError> {
                        s.as_deref()
                            .filter(|s| !s.trim().is_empty())
                            .map(|s| {
                                crate::coerce::parse_number(s)
                                    .map_err(|e| bad(format!("range bound: {e}")))
                            })
                            .transpose()
                    };
                    Check::RangeNum(p(min)?, p(max)?)
                }
                DataType::Date | DataType::Datetime => {
                    let p = |s: &Option<String>| -> Result<Option<i32>, LakeError> {
                        s.as_deref()
                            .filter(|s| !s.trim().is_empty())
                            .map(|s| {
                                crate::coerce::parse_date(s)
                                    .map(day_number)
                                    .map_err(|e| bad(format!("range bound: {e}")))
                            })
                            .transpose()
                    };
                    Check::RangeDay(p(min)?, p(max)?)
                }
                _ => Check::RangeText(min.clone(), max.clone()),
            },
            RuleKind::Allowed { values } => {
                if values.is_empty() {
                    return Err(bad("list at least one allowed value".into()));
                }
                Check::Allowed(values.iter().map(|v| v.trim().to_string()).collect())
            }
            RuleKind::Regex { pattern } => Check::Regex(
                regex::Regex::new(&format!("^(?:{pattern})$"))
                    .map_err(|e| bad(format!("the pattern does not compile: {e}")))?,
            ),
            RuleKind::ResidentId => Check::ResidentId,
            RuleKind::CreditCode => Check::CreditCode,
            RuleKind::Mobile => Check::Mobile,
            RuleKind::NotFuture | RuleKind::Freshness
                if !matches!(data_type, DataType::Date | DataType::Datetime) =>
            {
                return Err(bad(format!(
                    "{} applies to date or datetime columns; this one is {}",
                    rule.kind.as_str(),
                    data_type.as_str()
                )))
            }
            RuleKind::NotFuture => Check::NotFuture(day_number(today)),
            RuleKind::Freshness => Check::Freshness,
            RuleKind::Reference { .. } => Check::Reference(reference.unwrap_or_default()),
        };
        Ok(Compiled { rule, check })
    }

    /// Whether this rule needs the batch-wide unique set.
    pub(crate) fn is_unique(&self) -> bool {
        matches!(self.check, Check::Unique)
    }

    pub(crate) fn is_freshness(&self) -> bool {
        matches!(self.check, Check::Freshness)
    }

    /// None = passes; Some(reason) = fails. Null values pass every rule but not-null
    /// (declare not-null to forbid them). Unique and freshness are checked elsewhere.
    pub(crate) fn check(&self, cell: &Cell<'_>) -> Option<String> {
        let Some(text) = cell.text else {
            return match self.check {
                Check::NotNull => Some("is empty (not-null rule)".into()),
                _ => None,
            };
        };
        let ok = match &self.check {
            Check::NotNull | Check::Unique | Check::Freshness => true,
            Check::RangeNum(lo, hi) => match cell.num {
                Some(n) => lo.is_none_or(|lo| n >= lo) && hi.is_none_or(|hi| n <= hi),
                None => true,
            },
            Check::RangeDay(lo, hi) => match cell.day {
                Some(d) => lo.is_none_or(|lo| d >= lo) && hi.is_none_or(|hi| d <= hi),
                None => true,
            },
            Check::RangeText(lo, hi) => {
                lo.as_deref().is_none_or(|lo| text >= lo)
                    && hi.as_deref().is_none_or(|hi| text <= hi)
            }
            Check::Allowed(set) => set.contains(text),
            Check::Regex(re) => re.is_match(text),
            Check::ResidentId => zhengshu_core::validate::is_valid_resident_id(text),
            Check::CreditCode => zhengshu_core::validate::is_valid_credit_code(text),
            Check::Mobile => zhengshu_core::validate::is_valid_mobile(text),
            Check::NotFuture(today) => cell.day.is_none_or(|d| d <= *today),
            Check::Reference(set) => set.contains(text),
        };
        if ok {
            return None;
        }
        let v: String = text.chars().take(40).collect();
        Some(match &self.rule.kind {
            RuleKind::Range { .. } => format!("`{v}` is outside {}", self.rule.kind.params()),
            RuleKind::Allowed { .. } => format!("`{v}` is not one of the allowed values"),
            RuleKind::Regex { pattern } => format!("`{v}` does not match /{pattern}/"),
            RuleKind::ResidentId => format!("`{v}` is not a valid resident ID (GB 11643 checksum)"),
            RuleKind::CreditCode => {
                format!("`{v}` is not a valid unified social credit code (GB 32100 checksum)")
            }
            RuleKind::Mobile => format!("`{v}` is not a mobile number (11 digits, 1[3-9]…)"),
            RuleKind::NotFuture => format!("`{v}` is in the future"),
            RuleKind::Reference { table, column } => {
                format!("`{v}` does not exist in {table}.{column}")
            }
            _ => format!("`{v}` fails {}", self.rule.kind.as_str()),
        })
    }
}

/// The days an update cycle allows between fresh data (None = no fixed cycle).
pub fn cycle_days(cycle: zhengshu_catalog::model::UpdateCycle) -> Option<i64> {
    use zhengshu_catalog::model::UpdateCycle as U;
    Some(match cycle {
        U::Realtime | U::Daily => 1,
        U::Weekly => 7,
        U::Monthly => 31,
        U::Quarterly => 92,
        U::HalfYearly => 183,
        U::Yearly => 366,
        _ => return None,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn cell(text: &str) -> Cell<'_> {
        Cell {
            text: Some(text),
            num: text.parse().ok(),
            day: crate::coerce::parse_date(text).ok().map(day_number),
        }
    }

    fn compile(json: &str, t: DataType) -> Result<Compiled, LakeError> {
        let rule: Rule = serde_json::from_str(json).unwrap();
        Compiled::new(
            rule,
            t,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            None,
        )
    }

    #[test]
    fn rules_parse_from_json_and_check() {
        let r = compile(
            r#"{"column":"n","kind":"range","min":"0","max":"100"}"#,
            DataType::Number,
        )
        .unwrap();
        assert!(r.rule.blocking);
        assert!(r.check(&cell("50")).is_none());
        assert!(r.check(&cell("101")).unwrap().contains("outside"));
        let r = compile(
            r#"{"column":"d","kind":"not_future","blocking":false}"#,
            DataType::Date,
        )
        .unwrap();
        assert!(!r.rule.blocking);
        assert!(r.check(&cell("2026-11-24")).is_none());
        assert!(r.check(&cell("2026-11-25")).is_some());
        let r = compile(r#"{"column":"c","kind":"credit_code"}"#, DataType::String).unwrap();
        assert!(r.check(&cell("91440300MA5DC0XX0X")).is_some());
        let r = compile(
            r#"{"column":"c","kind":"allowed","values":["是","否"]}"#,
            DataType::String,
        )
        .unwrap();
        assert!(r.check(&cell("是")).is_none());
        assert!(r.check(&cell("未知")).is_some());
        let r = compile(r#"{"column":"c","kind":"not_null"}"#, DataType::String).unwrap();
        assert!(r
            .check(&Cell {
                text: None,
                num: None,
                day: None
            })
            .is_some());
        // Nulls pass the other rules.
        let r = compile(r#"{"column":"c","kind":"mobile"}"#, DataType::String).unwrap();
        assert!(r
            .check(&Cell {
                text: None,
                num: None,
                day: None
            })
            .is_none());
        assert!(r.check(&cell("13800138000")).is_none());
        assert!(r.check(&cell("1380013800")).is_some());
    }

    #[test]
    fn bad_rules_are_refused_with_reasons() {
        let e = compile(
            r#"{"column":"c","kind":"regex","pattern":"("}"#,
            DataType::String,
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("does not compile"), "{e}");
        let e = compile(r#"{"column":"c","kind":"not_future"}"#, DataType::String)
            .err()
            .unwrap();
        assert!(e.to_string().contains("date or datetime"), "{e}");
        let e = compile(
            r#"{"column":"c","kind":"range","min":"abc"}"#,
            DataType::Integer,
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("range bound"), "{e}");
    }
}
