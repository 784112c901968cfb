//! 数据转换: reading the text that Chinese source systems emit as typed values.
//!
//! Every parser trims (the ideographic space U+3000 included) and folds full-width forms
//! (`０-９`, `－`, `，`, `．`, `：`) to ASCII first. ASCII input, the common case, is read
//! in place without allocating: this runs once per cell of every ingested row.

use std::borrow::Cow;
use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// Why a value could not be read as its data item's type; shown to data officers in quarantine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoerceError(pub String);

impl fmt::Display for CoerceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CoerceError {}

const INTEGER_FORMS: &str = "is not an integer (expected digits such as 1234, -56 or 1,234,567)";
const NUMBER_FORMS: &str =
    "is not a number (expected digits such as 1234.5, -0.25, 1,234.50, 1.5e3 or ¥1,234.50)";
const DATE_FORMS: &str = "is not a date (expected 2021-02-09, 2021/2/9, 2021年2月9日 or 20210209)";
const DATETIME_FORMS: &str = "is not a date and time (expected 2021-02-09 13:05:06, \
     2021-02-09T13:05:06+08:00, 2021/2/9 13:05 or 2021年2月9日 13时05分06秒)";
const BOOL_FORMS: &str =
    "is not a yes/no value (expected 是/否, 真/假, 有/无, true/false, yes/no, y/n or 1/0)";
const GROUPING: &str =
    "has misplaced thousand separators (expected groups of 3 digits such as 1,234,567)";

/// Beijing time (UTC+8, no daylight saving), the zone of naive times.
const BEIJING_OFFSET_SECS: i64 = 8 * 3600;

/// How many characters of an offending value a message quotes.
const SHOWN_CHARS: usize = 40;

/// A message naming `value` (trimmed, cut to 40 characters) and what is wrong with it.
fn error(value: &str, what: &str) -> CoerceError {
    let value = value.trim();
    if value.is_empty() {
        return CoerceError(format!("an empty value {what}"));
    }
    let shown = match value.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => Cow::Owned(format!("{}…", &value[..cut])),
        None => Cow::Borrowed(value),
    };
    CoerceError(format!("`{shown}` {what}"))
}

/// Whether a cell holds no value: after trimming, empty, `\N`, `NULL` or `null`.
pub fn is_null(s: &str) -> bool {
    is_null_trimmed(s.trim())
}

/// [`is_null`] of a cell already trimmed.
pub fn is_null_trimmed(s: &str) -> bool {
    matches!(s, "" | "\\N" | "NULL" | "null")
}

fn is_full_width(c: char) -> bool {
    matches!(u32::from(c), 0x3000 | 0xFF01..=0xFF5E)
}

/// `s` trimmed, full-width forms folded to ASCII; borrowed unless something was folded.
fn fold(s: &str) -> Cow<'_, str> {
    let s = s.trim();
    if s.is_ascii() || !s.chars().any(is_full_width) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(zhengshu_core::to_half_width(s))
    }
}

/// What is wrong with a numeric or date value, before it is put into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Syntax,
    Grouping,
    Range,
    NotFinite,
    Calendar,
    Year,
    Time,
}

impl Fault {
    fn message(self, value: &str, forms: &str) -> CoerceError {
        error(
            value,
            match self {
                Fault::Syntax => forms,
                Fault::Grouping => GROUPING,
                Fault::Range => "is outside the 64-bit integer range",
                Fault::NotFinite => "is outside the range of a 64-bit floating-point number",
                Fault::Calendar => "is not a valid calendar date",
                Fault::Year => "has a year outside 1000–9999",
                Fault::Time => "has an invalid time of day",
            },
        )
    }
}

/// Split an optional leading `+` or `-`: (negative, rest).
fn split_sign(b: &[u8]) -> (bool, &[u8]) {
    match b {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, b),
    }
}

/// Check digits that may carry thousand separators in valid 3-digit groups.
fn check_grouped(b: &[u8]) -> Result<(), Fault> {
    if b.is_empty() || !b.iter().all(|c| c.is_ascii_digit() || *c == b',') {
        return Err(Fault::Syntax);
    }
    if !b.contains(&b',') {
        return Ok(());
    }
    let mut groups = b.split(|c| *c == b',');
    let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
    if first_ok && groups.all(|g| g.len() == 3) {
        Ok(())
    } else {
        Err(Fault::Grouping)
    }
}

/// Read an integer: `-1,234`, `１２３`, `42.0`.
pub fn parse_integer(s: &str) -> Result<i64, CoerceError> {
    integer(fold(s).as_bytes()).map_err(|fault| fault.message(s, INTEGER_FORMS))
}

fn integer(b: &[u8]) -> Result<i64, Fault> {
    let (negative, rest) = split_sign(b);
    // Spreadsheets write whole numbers as `42.0`.
    let digits = rest
        .strip_suffix(b".00")
        .or_else(|| rest.strip_suffix(b".0"))
        .unwrap_or(rest);
    check_grouped(digits)?;
    // Accumulated as a negative number so that i64::MIN fits.
    let mut value: i64 = 0;
    for &c in digits.iter().filter(|c| c.is_ascii_digit()) {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_sub(i64::from(c - b'0')))
            .ok_or(Fault::Range)?;
    }
    if negative {
        Ok(value)
    } else {
        value.checked_neg().ok_or(Fault::Range)
    }
}

/// Read a finite number: `1,234.50`, `-1.5e3`, `¥1,234.50`, `1234元`, `．５`.
pub fn parse_number(s: &str) -> Result<f64, CoerceError> {
    number(&fold(s)).map_err(|fault| fault.message(s, NUMBER_FORMS))
}

fn number(t: &str) -> Result<f64, Fault> {
    let t = t.strip_suffix('元').map_or(t, str::trim_end);
    let (mut negative, mut body) = split_sign(t.as_bytes());
    // A currency sign, before or after the sign: `¥-12`, `-¥12`.
    if let Some(rest) = strip_currency(body) {
        body = rest;
        if !negative {
            (negative, body) = split_sign(body);
        }
    }
    let grouped = check_decimal(body)?;
    let magnitude = if !grouped {
        parse_f64(body)?
    } else if body.len() <= 64 {
        // Separators dropped into a stack buffer: no allocation for ordinary values.
        let mut buf = [0u8; 64];
        let mut len = 0;
        for &c in body.iter().filter(|c| **c != b',') {
            buf[len] = c;
            len += 1;
        }
        parse_f64(&buf[..len])?
    } else {
        let digits: Vec<u8> = body.iter().copied().filter(|c| *c != b',').collect();
        parse_f64(&digits)?
    };
    if !magnitude.is_finite() {
        return Err(Fault::NotFinite);
    }
    Ok(if negative { -magnitude } else { magnitude })
}

fn strip_currency(b: &[u8]) -> Option<&[u8]> {
    const YEN: &[u8] = "¥".as_bytes();
    const FULL_WIDTH_YEN: &[u8] = "￥".as_bytes();
    let rest = b
        .strip_prefix(YEN)
        .or_else(|| b.strip_prefix(FULL_WIDTH_YEN))?;
    Some(rest.trim_ascii_start())
}

fn parse_f64(b: &[u8]) -> Result<f64, Fault> {
    std::str::from_utf8(b)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or(Fault::Syntax)
}

/// Check an unsigned decimal (`1,234.5e-3`; `.5` and `5.` too); whether it has separators.
/// Letters never pass, so Rust's `inf` and `NaN` spellings are never handed to `parse`.
fn check_decimal(b: &[u8]) -> Result<bool, Fault> {
    let (mantissa, exponent) = match b.iter().position(|c| matches!(c, b'e' | b'E')) {
        Some(at) => (&b[..at], Some(&b[at + 1..])),
        None => (b, None),
    };
    if let Some(exponent) = exponent {
        let (_, digits) = split_sign(exponent);
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return Err(Fault::Syntax);
        }
    }
    let (whole, fraction) = match mantissa.iter().position(|c| *c == b'.') {
        Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
        None => (mantissa, &[][..]),
    };
    if !fraction.iter().all(u8::is_ascii_digit) || whole.len() + fraction.len() == 0 {
        return Err(Fault::Syntax);
    }
    if whole.is_empty() {
        return Ok(false);
    }
    check_grouped(whole)?;
    Ok(whole.contains(&b','))
}

/// A date, and the time of day that followed it if any (with its UTC offset in seconds,
/// if one was written).
struct Parts {
    date: NaiveDate,
    time: Option<(NaiveTime, Option<i64>)>,
}

/// Read up to `max` (at least `min`) ASCII digits at the start of `s`.
fn digits(s: &str, min: usize, max: usize) -> Result<(u32, &str), Fault> {
    let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if n < min {
        return Err(Fault::Syntax);
    }
    let value = s.as_bytes()[..n]
        .iter()
        .fold(0, |acc, d| acc * 10 + u32::from(d - b'0'));
    Ok((value, &s[n..]))
}

fn parts(t: &str) -> Result<Parts, Fault> {
    let (date, rest) = date_prefix(t)?;
    let time = if rest.is_empty() {
        None
    } else if let Some(time) = rest.strip_prefix(['T', 't']) {
        Some(time_of_day(time)?)
    } else if rest.starts_with(' ') {
        Some(time_of_day(rest.trim_start())?)
    } else {
        return Err(Fault::Syntax);
    };
    Ok(Parts { date, time })
}

/// `2021-02-09`, `2021-2-9`, `2021/2/9`, `2021.2.9`, `2021年2月9日` (日 optional), `20210209`.
fn date_prefix(s: &str) -> Result<(NaiveDate, &str), Fault> {
    let (year, rest) = digits(s, 4, 4)?;
    let (month, day, rest) = if let Some(rest) = rest.strip_prefix('年') {
        let (month, rest) = digits(rest, 1, 2)?;
        let rest = rest.strip_prefix('月').ok_or(Fault::Syntax)?;
        let (day, rest) = digits(rest, 1, 2)?;
        (month, day, rest.strip_prefix('日').unwrap_or(rest))
    } else if let Some(sep @ ('-' | '/' | '.')) = rest.chars().next() {
        let (month, rest) = digits(&rest[1..], 1, 2)?;
        let rest = rest.strip_prefix(sep).ok_or(Fault::Syntax)?;
        let (day, rest) = digits(rest, 1, 2)?;
        (month, day, rest)
    } else {
        let (month_day, rest) = digits(rest, 4, 4)?;
        (month_day / 100, month_day % 100, rest)
    };
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(Fault::Syntax);
    }
    if !(1000..=9999).contains(&year) {
        return Err(Fault::Year);
    }
    let year = i32::try_from(year).map_err(|_| Fault::Year)?;
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(Fault::Calendar)?;
    Ok((date, rest))
}

/// `13:05`, `13:05:06`, `13:05:06.123456` with an optional `Z`/`+08:00` offset;
/// `13时05分`, `13时05分06秒`.
fn time_of_day(s: &str) -> Result<(NaiveTime, Option<i64>), Fault> {
    let (hour, rest) = digits(s, 1, 2)?;
    let (minute, second, nano, offset) = if let Some(rest) = rest.strip_prefix(['时', '点']) {
        let (minute, rest) = digits(rest, 1, 2)?;
        let rest = rest.strip_prefix('分').unwrap_or(rest);
        let (second, rest) = if rest.is_empty() {
            (0, rest)
        } else {
            let (second, rest) = digits(rest, 1, 2)?;
            (second, rest.strip_prefix('秒').unwrap_or(rest))
        };
        if !rest.is_empty() {
            return Err(Fault::Syntax);
        }
        (minute, second, 0, None)
    } else {
        let rest = rest.strip_prefix(':').ok_or(Fault::Syntax)?;
        let (minute, rest) = digits(rest, 2, 2)?;
        let (second, nano, rest) = match rest.strip_prefix(':') {
            Some(rest) => seconds(rest)?,
            None => (0, 0, rest),
        };
        (minute, second, nano, utc_offset(rest)?)
    };
    if second > 59 {
        return Err(Fault::Time);
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nano).ok_or(Fault::Time)?;
    Ok((time, offset))
}

/// `06` or `06.123456`: (seconds, nanoseconds, rest). Digits past the ninth are dropped.
fn seconds(s: &str) -> Result<(u32, u32, &str), Fault> {
    let (second, rest) = digits(s, 2, 2)?;
    let Some(fraction) = rest.strip_prefix(['.', ',']) else {
        return Ok((second, 0, rest));
    };
    let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return Err(Fault::Syntax);
    }
    let (nano, _) = digits(fraction, 1, 9)?;
    let scale = 10u32.pow(9 - u32::try_from(n.min(9)).map_err(|_| Fault::Syntax)?);
    Ok((second, nano * scale, &fraction[n..]))
}

/// `` (naive), `Z`, `+08:00`, `+0800` or `+08`: the offset east of UTC in seconds.
fn utc_offset(s: &str) -> Result<Option<i64>, Fault> {
    let (negative, rest) = match s.as_bytes().first() {
        None => return Ok(None),
        Some(b'Z' | b'z') if s.len() == 1 => return Ok(Some(0)),
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        Some(_) => return Err(Fault::Syntax),
    };
    let (hours, rest) = digits(rest, 2, 2)?;
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    let (minutes, rest) = if rest.is_empty() {
        (0, rest)
    } else {
        digits(rest, 2, 2)?
    };
    if !rest.is_empty() || hours > 23 || minutes > 59 {
        return Err(Fault::Syntax);
    }
    let secs = i64::from(hours * 3600 + minutes * 60);
    Ok(Some(if negative { -secs } else { secs }))
}

/// Read a date; a time of day after it (`2021-02-09 13:05:06`) is checked, then ignored.
pub fn parse_date(s: &str) -> Result<NaiveDate, CoerceError> {
    parts(&fold(s))
        .map(|parts| parts.date)
        .map_err(|fault| fault.message(s, DATE_FORMS))
}

/// Whether `s` reads as a date (or date and time), and if so whether it has a time part.
pub(crate) fn date_has_time(s: &str) -> Option<bool> {
    parts(&fold(s)).ok().map(|parts| parts.time.is_some())
}

/// Read an instant as microseconds since the Unix epoch. Times without an offset, and
/// bare dates (at 00:00), are Beijing time.
pub fn parse_datetime(s: &str) -> Result<i64, CoerceError> {
    let Parts { date, time } = parts(&fold(s)).map_err(|fault| fault.message(s, DATETIME_FORMS))?;
    let (time, offset) = time.unwrap_or((NaiveTime::MIN, None));
    let offset = offset.unwrap_or(BEIJING_OFFSET_SECS);
    // Years 1000..=9999 are far inside the i64 microsecond range (±292,000 years).
    Ok(NaiveDateTime::new(date, time).and_utc().timestamp_micros() - offset * 1_000_000)
}

/// Read a yes/no value: 是/否, 真/假, 有/无, true/false, t/f, yes/no, y/n (any case), 1/0.
pub fn parse_bool(s: &str) -> Result<bool, CoerceError> {
    let t = fold(s);
    let t = t.as_ref();
    let any = |words: &[&str]| words.iter().any(|w| w.eq_ignore_ascii_case(t));
    if any(&["是", "真", "有", "1", "true", "t", "yes", "y"]) {
        Ok(true)
    } else if any(&["否", "假", "无", "0", "false", "f", "no", "n"]) {
        Ok(false)
    } else {
        Err(error(s, BOOL_FORMS))
    }
}

/// Per-column standardisation declared on a resource (applied before coercion, in the order listed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transform {
    /// 去除首尾空格: leading and trailing white space (U+3000 included) removed.
    Trim,
    /// 全角转半角: full-width letters, digits and punctuation to ASCII.
    HalfWidth,
    /// 去除拼音注音: `會(huì)議` → `會議`.
    StripPinyin,
    /// 身份证校验位 x 大写: a resident ID's check character `x` → `X`.
    UpperIdX,
}

impl Transform {
    /// Every transform, in declaration order.
    pub const ALL: [Transform; 4] = [
        Transform::Trim,
        Transform::HalfWidth,
        Transform::StripPinyin,
        Transform::UpperIdX,
    ];

    /// The stable code, as in resource definitions.
    pub fn as_str(self) -> &'static str {
        match self {
            Transform::Trim => "trim",
            Transform::HalfWidth => "half_width",
            Transform::StripPinyin => "strip_pinyin",
            Transform::UpperIdX => "upper_id_x",
        }
    }

    /// Accepts the code (any case) or the Chinese label.
    pub fn parse(s: &str) -> Option<Transform> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s) || t.label_zh() == s)
    }

    /// The Chinese label shown to data officers.
    pub fn label_zh(self) -> &'static str {
        match self {
            Transform::Trim => "去除首尾空格",
            Transform::HalfWidth => "全角转半角",
            Transform::StripPinyin => "去除拼音注音",
            Transform::UpperIdX => "身份证校验位 x 大写",
        }
    }

    /// Apply to one value; borrowed when nothing changes (the common case, found by a
    /// byte scan before any copy).
    pub fn apply<'a>(self, s: &'a str) -> Cow<'a, str> {
        match self {
            Transform::Trim => Cow::Borrowed(s.trim()),
            Transform::HalfWidth => {
                if s.is_ascii() || !s.chars().any(is_full_width) {
                    Cow::Borrowed(s)
                } else {
                    Cow::Owned(zhengshu_core::to_half_width(s))
                }
            }
            Transform::StripPinyin => {
                if !s.contains(['(', '（']) {
                    return Cow::Borrowed(s);
                }
                let stripped = zhengshu_core::strip_pinyin_annotations(s);
                if stripped == s {
                    Cow::Borrowed(s)
                } else {
                    Cow::Owned(stripped)
                }
            }
            Transform::UpperIdX => match s.strip_suffix('x') {
                Some(first17) if s.chars().count() == 18 => Cow::Owned(format!("{first17}X")),
                _ => Cow::Borrowed(s),
            },
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Microseconds for a Beijing wall-clock time.
    fn beijing(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
        date(y, mo, d)
            .and_hms_opt(h, mi, s)
            .unwrap()
            .and_utc()
            .timestamp_micros()
            - 8 * 3_600_000_000
    }

    fn err<T: fmt::Debug>(r: Result<T, CoerceError>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn nulls() {
        for s in ["", "  ", "\u{3000}", "\\N", "NULL", "null", " null "] {
            assert!(is_null(s), "{s:?}");
        }
        for s in ["0", "Null", "NaN", "None", "-", "N"] {
            assert!(!is_null(s), "{s:?}");
        }
    }

    #[test]
    fn integers() {
        let cases = [
            ("42", 42),
            ("-42", -42),
            ("+42", 42),
            ("  7\u{3000}", 7),
            ("１２３", 123),
            ("－１２３", -123),
            ("＋５", 5),
            ("1,234,567", 1_234_567),
            ("1，234", 1234),
            ("-999,999", -999_999),
            ("42.0", 42),
            ("42.00", 42),
            ("9223372036854775807", i64::MAX),
            ("-9223372036854775808", i64::MIN),
            ("007", 7),
        ];
        for (s, n) in cases {
            assert_eq!(parse_integer(s), Ok(n), "{s:?}");
        }
    }

    #[test]
    fn integer_errors() {
        assert_eq!(
            err(parse_integer("N/A")),
            "`N/A` is not an integer (expected digits such as 1234, -56 or 1,234,567)"
        );
        for s in [
            "12.5", "42.000", "1e3", "", "-", "12a", "1 2", "0x10", "+-1",
        ] {
            assert!(err(parse_integer(s)).contains("is not an integer"), "{s:?}");
        }
        for s in ["1,23", ",123", "1,2345", "1234,567", "1,,234", "1,234,"] {
            assert!(
                err(parse_integer(s)).contains("thousand separators"),
                "{s:?}"
            );
        }
        for s in [
            "9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999999",
        ] {
            assert_eq!(
                err(parse_integer(s)),
                format!("`{s}` is outside the 64-bit integer range")
            );
        }
        assert_eq!(
            err(parse_integer("")),
            "an empty value is not an integer (expected digits such as 1234, -56 or 1,234,567)"
        );
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "x".repeat(100);
        let message = err(parse_integer(&long));
        assert!(
            message.starts_with(&format!("`{}…` ", "x".repeat(40))),
            "{message}"
        );
    }

    #[test]
    fn numbers() {
        let cases = [
            ("3.25", 3.25),
            ("-0.5", -0.5),
            (".5", 0.5),
            ("5.", 5.0),
            ("1,234.50", 1234.5),
            ("1.5e3", 1500.0),
            ("2E-2", 0.02),
            ("¥1,234.50", 1234.5),
            ("￥ 12", 12.0),
            ("-¥12", -12.0),
            ("¥-12", -12.0),
            ("100元", 100.0),
            ("¥100 元", 100.0),
            ("１２．５", 12.5),
            ("－３，０００", -3000.0),
            ("42", 42.0),
        ];
        for (s, n) in cases {
            assert_eq!(parse_number(s), Ok(n), "{s:?}");
        }
    }

    #[test]
    fn number_errors() {
        for s in [
            "NaN", "nan", "inf", "-inf", "Infinity", "abc", "", ".", "1e", "1.2.3", "¥", "元",
        ] {
            assert!(err(parse_number(s)).contains("is not a number"), "{s:?}");
        }
        assert!(err(parse_number("1,23.5")).contains("thousand separators"));
        for s in ["1e400", "-1e309", &"9".repeat(400)] {
            assert!(
                err(parse_number(s)).contains("outside the range of a 64-bit floating-point"),
                "{s:?}"
            );
        }
    }

    #[test]
    fn dates() {
        let d = date(2021, 2, 9);
        for s in [
            "2021-02-09",
            "2021-2-9",
            "2021/2/9",
            "2021/02/09",
            "2021.2.9",
            "2021年2月9日",
            "2021年2月9",
            "20210209",
            "２０２１－０２－０９",
            "２０２１年２月９日",
            " 2021-02-09 ",
            "2021-02-09 13:05:06",
            "2021-02-09T13:05:06.123456",
            "2021-02-09T23:05:06Z",
            "2021/2/9 13:05",
            "2021年2月9日 13时05分06秒",
            "20210209 13:05",
        ] {
            assert_eq!(parse_date(s), Ok(d), "{s:?}");
        }
    }

    #[test]
    fn date_errors() {
        assert_eq!(
            err(parse_date("N/A")),
            "`N/A` is not a date (expected 2021-02-09, 2021/2/9, 2021年2月9日 or 20210209)"
        );
        for s in [
            "2021-02",
            "2021-2/9",
            "21-2-9",
            "2021-02-09x",
            "202102091",
            "2021-02-09 noon",
            "",
        ] {
            assert!(err(parse_date(s)).contains("is not a date"), "{s:?}");
        }
        for s in ["2021-02-30", "2021-13-01", "20210230", "2021年2月0日"] {
            assert!(
                err(parse_date(s)).contains("not a valid calendar date"),
                "{s:?}"
            );
        }
        assert_eq!(
            err(parse_date("0999-01-01")),
            "`0999-01-01` has a year outside 1000–9999"
        );
        assert!(err(parse_date("2021-02-09 25:00")).contains("invalid time of day"));
    }

    #[test]
    fn datetimes() {
        let t = beijing(2021, 2, 9, 13, 5, 6);
        for s in [
            "2021-02-09 13:05:06",
            "2021-02-09T13:05:06",
            "2021-02-09T05:05:06Z",
            "2021-02-09T13:05:06+08:00",
            "2021-02-09T06:05:06+01:00",
            "2021-02-09T00:05:06-05:00",
            "2021-02-09T13:05:06+0800",
            "2021年2月9日 13时05分06秒",
            "２０２１－０２－０９　１３：０５：０６",
        ] {
            assert_eq!(parse_datetime(s), Ok(t), "{s:?}");
        }
        let minute = beijing(2021, 2, 9, 13, 5, 0);
        for s in [
            "2021/2/9 13:05",
            "2021年2月9日 13:05",
            "2021年2月9日 13时05分",
        ] {
            assert_eq!(parse_datetime(s), Ok(minute), "{s:?}");
        }
        assert_eq!(
            parse_datetime("2021-02-09T13:05:06.123456"),
            Ok(t + 123_456)
        );
        assert_eq!(parse_datetime("2021-02-09T13:05:06.5"), Ok(t + 500_000));
        assert_eq!(
            parse_datetime("2021-02-09"),
            Ok(beijing(2021, 2, 9, 0, 0, 0))
        );
        assert_eq!(parse_datetime("1970-01-01T08:00:00"), Ok(0));
        assert_eq!(parse_datetime("1970-01-01T00:00:00Z"), Ok(0));
    }

    #[test]
    fn datetime_errors() {
        assert!(err(parse_datetime("yesterday")).starts_with("`yesterday` is not a date and time"));
        for s in [
            "2021-02-09 13",
            "2021-02-09 13:5",
            "2021-02-09T13:05:06+8",
            "2021-02-09 13:05:06 +08:00",
        ] {
            assert!(
                err(parse_datetime(s)).contains("is not a date and time"),
                "{s:?}"
            );
        }
        for s in [
            "2021-02-09 24:00",
            "2021-02-09 13:60",
            "2021-02-09 13:05:60",
        ] {
            assert!(
                err(parse_datetime(s)).contains("invalid time of day"),
                "{s:?}"
            );
        }
        assert!(err(parse_datetime("2021-02-29 10:00")).contains("not a valid calendar date"));
    }

    #[test]
    fn date_or_datetime() {
        assert_eq!(date_has_time("2021-02-09"), Some(false));
        assert_eq!(date_has_time("2021-02-09 10:00"), Some(true));
        assert_eq!(date_has_time("tomorrow"), None);
    }

    #[test]
    fn bools() {
        for s in [
            "是", "真", "有", "true", "TRUE", "True", "t", "T", "yes", "Yes", "y", "Y", "1", " 是 ",
        ] {
            assert_eq!(parse_bool(s), Ok(true), "{s:?}");
        }
        for s in [
            "否", "假", "无", "false", "False", "f", "no", "NO", "n", "0", "０",
        ] {
            assert_eq!(parse_bool(s), Ok(false), "{s:?}");
        }
        assert_eq!(
            err(parse_bool("maybe")),
            "`maybe` is not a yes/no value (expected 是/否, 真/假, 有/无, true/false, yes/no, y/n or 1/0)"
        );
        assert!(parse_bool("2").is_err());
    }

    #[test]
    fn transform_codes() {
        for t in Transform::ALL {
            assert_eq!(Transform::parse(t.as_str()), Some(t));
            assert_eq!(Transform::parse(t.label_zh()), Some(t));
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(serde_json::from_str::<Transform>(&json).unwrap(), t);
        }
        assert_eq!(Transform::parse("HALF_WIDTH"), Some(Transform::HalfWidth));
        assert_eq!(Transform::parse("nope"), None);
    }

    #[test]
    fn transforms_change_what_they_should() {
        let cases = [
            (Transform::Trim, " a b\u{3000}", "a b"),
            (Transform::HalfWidth, "ＡＢＣ１２３，　x", "ABC123, x"),
            (Transform::StripPinyin, "會(huì)議", "會議"),
            (
                Transform::UpperIdX,
                "11010519491231002x",
                "11010519491231002X",
            ),
        ];
        for (t, input, output) in cases {
            assert_eq!(t.apply(input), output, "{t:?} {input:?}");
        }
    }

    #[test]
    fn transforms_borrow_when_nothing_changes() {
        let cases = [
            (Transform::Trim, "abc"),
            (Transform::HalfWidth, "plain ascii"),
            (Transform::HalfWidth, "深圳市"),
            (Transform::StripPinyin, "深圳市"),
            (Transform::StripPinyin, "数据(data)"),
            (Transform::UpperIdX, "11010519491231002X"),
            (Transform::UpperIdX, "box"),
            // 18 bytes but not 18 characters.
            (Transform::UpperIdX, "深圳市龙岗区x"),
            (Transform::UpperIdX, "1101051949123100211x"),
        ];
        for (t, input) in cases {
            let out = t.apply(input);
            assert_eq!(out, input, "{t:?} {input:?}");
            assert!(
                matches!(out, Cow::Borrowed(_)),
                "{t:?} {input:?} was copied"
            );
        }
        // Trimming borrows a sub-slice even when it changes the value.
        assert!(matches!(Transform::Trim.apply("  a  "), Cow::Borrowed("a")));
    }

    /// `n` with `sep` between groups of three digits.
    fn grouped(n: i64, sep: &str) -> String {
        let digits = n.unsigned_abs().to_string();
        let mut out = String::from(if n < 0 { "-" } else { "" });
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && i % 3 == digits.len() % 3 {
                out.push_str(sep);
            }
            out.push(c);
        }
        out
    }

    fn full_width(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(u32::from(c) + 0xFEE0).unwrap(),
                _ => c,
            })
            .collect()
    }

    const DATE_FORMATS: [&str; 8] = [
        "%Y-%m-%d",
        "%Y-%-m-%-d",
        "%Y/%-m/%-d",
        "%Y.%-m.%-d",
        "%Y年%-m月%-d日",
        "%Y年%-m月%-d",
        "%Y%m%d",
        "%Y/%m/%d",
    ];

    proptest! {
        #[test]
        fn integers_round_trip(
            n in any::<i64>(),
            sep in prop::sample::select(vec!["", ",", "，"]),
            wide in any::<bool>(),
            suffix in prop::sample::select(vec!["", ".0", ".00"]),
            pad in prop::sample::select(vec!["", " ", "\u{3000}"]),
        ) {
            let mut s = format!("{}{suffix}", grouped(n, sep));
            if wide {
                s = full_width(&s);
            }
            prop_assert_eq!(parse_integer(&format!("{pad}{s}{pad}")), Ok(n));
            prop_assert_eq!(parse_number(&s), Ok(n as f64));
        }

        #[test]
        fn dates_round_trip(
            days in 0i64..3_287_181,
            format in prop::sample::select(DATE_FORMATS.to_vec()),
            wide in any::<bool>(),
            time in prop::sample::select(vec!["", " 13:05", "T23:59:59.999999", " 0时0分0秒"]),
        ) {
            let d = date(1000, 1, 1) + chrono::Duration::days(days);
            prop_assume!(chrono::Datelike::year(&d) <= 9999);
            let mut s = format!("{}{time}", d.format(format));
            if wide {
                s = full_width(&s);
            }
            prop_assert_eq!(parse_date(&s), Ok(d), "{}", s);
        }

        #[test]
        fn datetimes_round_trip(secs in -30_610_224_000i64..253_402_000_000, micros in 0u32..1_000_000) {
            let utc = chrono::DateTime::from_timestamp(secs, micros * 1000).unwrap().naive_utc();
            let beijing = utc + chrono::Duration::hours(8);
            let expected = utc.and_utc().timestamp_micros();
            let naive = beijing.format("%Y-%m-%d %H:%M:%S%.6f").to_string();
            prop_assert_eq!(parse_datetime(&naive), Ok(expected), "{}", naive);
            let rfc = utc.and_utc().to_rfc3339();
            prop_assert_eq!(parse_datetime(&rfc), Ok(expected), "{}", rfc);
        }

        #[test]
        fn numbers_are_finite(s in "[-+¥￥0-9,，.．eE元 infINFatyNn]{0,24}|.*") {
            if let Ok(n) = parse_number(&s) {
                prop_assert!(n.is_finite(), "{s:?} gave {n}");
            }
        }

        #[test]
        fn nothing_panics(s in ".*|[-+0-9年月日时分秒:TZ ./]{0,30}") {
            let _ = is_null(&s);
            let _ = parse_integer(&s);
            let _ = parse_number(&s);
            let _ = parse_date(&s);
            let _ = parse_datetime(&s);
            let _ = parse_bool(&s);
            for t in Transform::ALL {
                let _ = t.apply(&s);
            }
            // Errors quote at most 40 characters of the value.
            if let Err(e) = parse_integer(&s) {
                prop_assert!(e.0.chars().count() < 40 + 140, "{}", e);
            }
        }
    }
}
