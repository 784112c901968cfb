//! Identifier checks: 居民身份证号码 (GB 11643), 统一社会信用代码 (GB 32100), mobile numbers.

#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The 31 characters a unified social credit code may use (no I, O, S, V, Z).
const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Why a string is not a resident ID number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Not 18 characters long.
    #[error("length {len}, expected 18")]
    Length {
        /// Length found, in characters.
        len: usize,
    },
    /// A character other than a digit (or a final X).
    #[error("character '{ch}' at position {position} is not a digit")]
    Character {
        /// 1-based position.
        position: usize,
        /// The offending character.
        ch: char,
    },
    /// Characters 7–14 are not a calendar date.
    #[error("birth date {digits} is not a date")]
    BirthDate {
        /// The eight digits found.
        digits: String,
    },
    /// 校验位错误: the check character does not match.
    #[error("check character is {found}, expected {expected}")]
    Check {
        /// Check character found (upper-cased).
        found: char,
        /// Check character computed from the first 17 digits.
        expected: char,
    },
}

/// Why a string is not a unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    /// Not 18 characters long.
    #[error("length {len}, expected 18")]
    Length {
        /// Length found, in characters.
        len: usize,
    },
    /// A character outside `0-9A-Z` minus I, O, S, V, Z.
    #[error("character '{ch}' at position {position} is not allowed (digits and A–Z without I, O, S, V, Z)")]
    Character {
        /// 1-based position.
        position: usize,
        /// The offending character.
        ch: char,
    },
    /// 校验位错误: the check character does not match.
    #[error("check character is {found}, expected {expected}")]
    Check {
        /// Check character found (upper-cased).
        found: char,
        /// Check character computed from the first 17 characters.
        expected: char,
    },
}

/// 居民身份证号码: a checked 18-character resident ID number, stored with an upper-case X.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentId {
    value: String,
    birth_date: NaiveDate,
}

impl ResidentId {
    /// The number, normalised (a final `x` becomes `X`).
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Date of birth, characters 7–14.
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// Whether the sequence number (characters 15–17) is odd, which denotes a man.
    pub fn is_male(&self) -> bool {
        self.value.as_bytes()[16] % 2 == 1
    }

    /// The 6-digit administrative division code of the place of registration.
    pub fn area_code(&self) -> &str {
        &self.value[..6]
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl FromStr for ResidentId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        resident_id(s)
    }
}

impl TryFrom<String> for ResidentId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        resident_id(&s)
    }
}

impl From<ResidentId> for String {
    fn from(id: ResidentId) -> Self {
        id.value
    }
}

/// Check a resident ID number: 18 characters, 17 digits and a check digit or X (either
/// case), a real birth date, and the GB 11643 checksum.
pub fn resident_id(s: &str) -> Result<ResidentId, IdError> {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() != 18 {
        return Err(IdError::Length { len: chars.len() });
    }
    for (i, &ch) in chars.iter().enumerate() {
        let allowed = ch.is_ascii_digit() || (i == 17 && matches!(ch, 'X' | 'x'));
        if !allowed {
            return Err(IdError::Character {
                position: i + 1,
                ch,
            });
        }
    }
    let value = s.to_ascii_uppercase();
    let birth_date = id_birth_date(value.as_bytes()).ok_or_else(|| IdError::BirthDate {
        digits: value[6..14].to_string(),
    })?;
    let found = chars[17].to_ascii_uppercase();
    let expected = id_check(&value.as_bytes()[..17]);
    if found != expected {
        return Err(IdError::Check { found, expected });
    }
    Ok(ResidentId { value, birth_date })
}

/// The date in characters 7–14 (`YYYYMMDD`) of an ID whose first 17 bytes are ASCII
/// digits, if it is a calendar date.
fn id_birth_date(digits: &[u8]) -> Option<NaiveDate> {
    let number = |from: usize, to: usize| {
        digits[from..to]
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
    };
    let year = i32::try_from(number(6, 10)).ok()?;
    NaiveDate::from_ymd_opt(year, number(10, 12), number(12, 14))
}

/// Whether `s` is a valid resident ID number (see [`resident_id`]), without allocating:
/// ingest runs it on every row of a checked column.
pub fn is_valid_resident_id(s: &str) -> bool {
    let b = s.as_bytes();
    // 18 bytes of which 17 are digits: non-ASCII text never passes.
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let last = char::from(b[17].to_ascii_uppercase());
    id_birth_date(b).is_some() && last == id_check(&b[..17])
}

/// The GB 11643 check character for 17 digits, or `None` if `first17` is not 17 digits.
pub fn resident_id_check_char(first17: &str) -> Option<char> {
    let digits = first17.as_bytes();
    (digits.len() == 17 && digits.iter().all(u8::is_ascii_digit)).then(|| id_check(digits))
}

/// GB 11643 check over ASCII digits (the caller has checked them).
fn id_check(digits: &[u8]) -> char {
    let sum: u32 = digits
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    ID_CHECK[(sum % 11) as usize]
}

/// 统一社会信用代码: a checked 18-character unified social credit code, upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

impl CreditCode {
    /// The code, upper-case.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 登记管理部门代码 (character 1: 1 机构编制, 5 民政, 9 市场监管, Y 其他, …).
    pub fn registration_authority(&self) -> char {
        char::from(self.0.as_bytes()[0])
    }

    /// 机构类别代码 (character 2).
    pub fn entity_category(&self) -> char {
        char::from(self.0.as_bytes()[1])
    }

    /// 登记管理机关行政区划码 (characters 3–8).
    pub fn area_code(&self) -> &str {
        &self.0[2..8]
    }

    /// 主体标识码 (characters 9–17, the former organisation code).
    pub fn organization_code(&self) -> &str {
        &self.0[8..17]
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CreditCode {
    type Err = CreditCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        credit_code(s)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        credit_code(&s)
    }
}

impl From<CreditCode> for String {
    fn from(code: CreditCode) -> Self {
        code.0
    }
}

/// Each byte's place in [`CREDIT_ALPHABET`] (lower case too); `u8::MAX` for any other byte.
const CREDIT_VALUES: [u8; 256] = {
    let mut table = [u8::MAX; 256];
    let alphabet = CREDIT_ALPHABET.as_bytes();
    let mut i = 0;
    while i < alphabet.len() {
        table[alphabet[i] as usize] = i as u8;
        table[alphabet[i].to_ascii_lowercase() as usize] = i as u8;
        i += 1;
    }
    table
};

fn credit_index(ch: char) -> Option<u32> {
    let b = u8::try_from(ch).ok()?;
    let v = CREDIT_VALUES[usize::from(b)];
    (v != u8::MAX).then_some(u32::from(v))
}

/// Check a unified social credit code: 18 characters from the GB 32100 alphabet (lower
/// case accepted and upper-cased) with a valid check character.
pub fn credit_code(s: &str) -> Result<CreditCode, CreditCodeError> {
    let chars: Vec<char> = s.chars().map(|c| c.to_ascii_uppercase()).collect();
    if chars.len() != 18 {
        return Err(CreditCodeError::Length { len: chars.len() });
    }
    let mut indexes = Vec::with_capacity(18);
    for (i, &ch) in chars.iter().enumerate() {
        match credit_index(ch) {
            Some(index) => indexes.push(index),
            None => {
                return Err(CreditCodeError::Character {
                    position: i + 1,
                    ch,
                })
            }
        }
    }
    let expected = credit_check(&indexes[..17]);
    let found = chars[17];
    let value: String = chars.iter().collect();
    if found != expected {
        return Err(CreditCodeError::Check { found, expected });
    }
    Ok(CreditCode(value))
}

/// Whether `s` is a valid unified social credit code (see [`credit_code`]), without
/// allocating: ingest runs it on every row of a checked column.
pub fn is_valid_credit_code(s: &str) -> bool {
    let b = s.as_bytes();
    // 18 bytes, each in the alphabet: non-ASCII text never passes.
    if b.len() != 18 {
        return false;
    }
    let mut sum = 0u32;
    for (&byte, w) in b[..17].iter().zip(CREDIT_WEIGHTS) {
        let v = CREDIT_VALUES[usize::from(byte)];
        if v == u8::MAX {
            return false;
        }
        sum += u32::from(v) * w;
    }
    u32::from(CREDIT_VALUES[usize::from(b[17])]) == (31 - sum % 31) % 31
}

/// The GB 32100 check character for the first 17 characters of a credit code, or `None`
/// if `first17` is not 17 characters of the code alphabet (upper case only).
pub fn credit_code_check_char(first17: &str) -> Option<char> {
    let indexes: Option<Vec<u32>> = first17.chars().map(credit_index).collect();
    indexes
        .filter(|indexes| indexes.len() == 17)
        .map(|indexes| credit_check(&indexes))
}

/// GB 32100 check over alphabet indexes (the caller has checked them).
fn credit_check(indexes: &[u32]) -> char {
    let sum: u32 = indexes.iter().zip(CREDIT_WEIGHTS).map(|(i, w)| i * w).sum();
    let check = (31 - sum % 31) % 31;
    char::from(CREDIT_ALPHABET.as_bytes()[check as usize])
}

static MOBILE: LazyLock<Regex> = LazyLock::new(|| {
    // `[0-9]`, not `\d`: Rust's `\d` also matches non-ASCII digits.
    Regex::new("^1[3-9][0-9]{9}$").expect("constant pattern compiles")
});

/// Whether `s` is a mainland mobile number: 11 digits, `1[3-9]` then 9 digits.
pub fn is_valid_mobile(s: &str) -> bool {
    MOBILE.is_match(s)
}
