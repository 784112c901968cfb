//! The REST query string: `fields`, PostgREST-style filters, `sort`, `limit`, `cursor`,
//! `format`.

use super::{Format, RowsQuery, StrictBound, DEFAULT_LIMIT, MAX_LIMIT};
use crate::model::{Condition, Op};
use crate::ExchangeError;

/// Query-string names that are not columns.
pub const RESERVED: [&str; 5] = ["fields", "sort", "limit", "cursor", "format"];

fn is_column_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `a, b,"c,d"` → `[a, b, c,d]` (double quotes keep commas; `""` is a quote).
fn split_values(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn names(field: &str, value: &str) -> Result<Vec<String>, ExchangeError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            if is_column_name(s) {
                Ok(s.to_string())
            } else {
                Err(ExchangeError::invalid(
                    field,
                    format!("`{s}` is not a column name"),
                ))
            }
        })
        .collect()
}

impl RowsQuery {
    /// From the query string pairs: `fields=a,b` (default: every granted item),
    /// `<column>=eq.X` / `in.(A,B)` / `gte.X` / `lte.X` / `gt.X` / `lt.X` / `prefix.X`,
    /// `sort=a,-b`, `limit` (default 100, at most 10000), `cursor`, `format=json|csv|arrow`.
    /// Columns are checked against the grant when the query runs.
    pub fn parse(pairs: &[(String, String)]) -> Result<(RowsQuery, Format), ExchangeError> {
        let mut q = RowsQuery {
            limit: DEFAULT_LIMIT,
            ..RowsQuery::default()
        };
        let mut format = Format::Json;
        for (name, value) in pairs {
            match name.as_str() {
                "fields" => {
                    for f in names("fields", value)? {
                        if !q.fields.contains(&f) {
                            q.fields.push(f);
                        }
                    }
                }
                "sort" => {
                    for s in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                        let (column, desc) = if let Some(c) = s.strip_prefix('-') {
                            (c, true)
                        } else if let Some(c) = s.strip_suffix(".desc") {
                            (c, true)
                        } else {
                            let c = s.strip_prefix('+').unwrap_or(s);
                            (c.strip_suffix(".asc").unwrap_or(c), false)
                        };
                        let column = names("sort", column)?.concat();
                        if column.is_empty() {
                            return Err(ExchangeError::invalid("sort", "a sort names a column"));
                        }
                        if q.sort.iter().any(|(c, _)| *c == column) {
                            return Err(ExchangeError::invalid(
                                "sort",
                                format!("`{column}` is named twice"),
                            ));
                        }
                        q.sort.push((column, desc));
                    }
                }
                "limit" => {
                    let n = value.trim().parse::<usize>().map_err(|_| {
                        ExchangeError::invalid(
                            "limit",
                            format!("`{value}` is not a number of rows (1 to {MAX_LIMIT})"),
                        )
                    })?;
                    if n == 0 || n > MAX_LIMIT {
                        return Err(ExchangeError::invalid(
                            "limit",
                            format!(
                                "{n} rows per page asked; the most is {MAX_LIMIT} (page through \
                                 the rest with the cursor)"
                            ),
                        ));
                    }
                    q.limit = n;
                }
                "cursor" => {
                    q.cursor = Some(value.trim().to_string()).filter(|c| !c.is_empty());
                }
                "format" => {
                    format = Format::parse(value).ok_or_else(|| {
                        ExchangeError::invalid(
                            "format",
                            format!("`{value}` is not a format; use json, csv or arrow"),
                        )
                    })?;
                }
                column => parse_filter(&mut q, column, value)?,
            }
        }
        Ok((q, format))
    }

    /// The filters, sort and page size as one line, for audit records.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self.filters.iter().map(Condition::describe).collect();
        parts.extend(self.strict.iter().map(|s| {
            format!(
                "{} {} {}",
                s.column,
                if s.greater { ">" } else { "<" },
                s.value
            )
        }));
        let mut out = parts.join(" and ");
        if !self.sort.is_empty() {
            let sort: Vec<String> = self
                .sort
                .iter()
                .map(|(c, d)| if *d { format!("-{c}") } else { c.clone() })
                .collect();
            out.push_str(&format!("; sort {}", sort.join(",")));
        }
        out.push_str(&format!("; limit {}", self.limit));
        if self.cursor.is_some() {
            out.push_str("; next page");
        }
        out.trim_start_matches("; ").to_string()
    }
}

fn parse_filter(q: &mut RowsQuery, column: &str, value: &str) -> Result<(), ExchangeError> {
    if !is_column_name(column) {
        return Err(ExchangeError::invalid(
            column,
            format!(
                "`{column}` is neither a column nor one of {}",
                RESERVED.join(", ")
            ),
        ));
    }
    let usage = || {
        ExchangeError::invalid(
            column,
            format!(
                "`{value}`: write the filter as eq.X, in.(A,B), gte.X, lte.X, gt.X, lt.X or prefix.X"
            ),
        )
    };
    let (op, arg) = value.split_once('.').ok_or_else(usage)?;
    let cond = |op: Op, values: Vec<String>| Condition {
        column: column.to_string(),
        op,
        values,
    };
    let op = op.trim().to_ascii_lowercase();
    if matches!(op.as_str(), "gte" | "lte" | "gt" | "lt") && arg.trim().is_empty() {
        return Err(ExchangeError::invalid(
            column,
            format!("{op}. needs a value, e.g. {op}.100"),
        ));
    }
    match op.as_str() {
        "eq" => q.filters.push(cond(Op::Eq, vec![arg.to_string()])),
        "in" => {
            let arg = arg.trim();
            let inner = arg
                .strip_prefix('(')
                .and_then(|a| a.strip_suffix(')'))
                .unwrap_or(arg);
            q.filters.push(cond(Op::In, split_values(inner)));
        }
        "gte" => q
            .filters
            .push(cond(Op::Range, vec![arg.to_string(), String::new()])),
        "lte" => q
            .filters
            .push(cond(Op::Range, vec![String::new(), arg.to_string()])),
        "prefix" => q.filters.push(cond(Op::Prefix, vec![arg.to_string()])),
        "gt" | "lt" => q.strict.push(StrictBound {
            column: column.to_string(),
            greater: op == "gt",
            value: arg.to_string(),
        }),
        _ => return Err(usage()),
    }
    Ok(())
}
