//! 脱敏 masking of personal data for display and export.
//!
//! Every function works on characters, not bytes, and never panics on short input:
//! a value too short to keep both ends is masked entirely.

#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// 敏感信息类别: what kind of personal data a data item (信息项) holds, which decides
/// how it is masked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    /// 无: not personal data, shown as is.
    #[default]
    None,
    /// 姓名: a person's name.
    Name,
    /// 身份证号: resident ID number.
    ResidentId,
    /// 手机号: mobile number.
    Mobile,
    /// 地址: postal or home address.
    Address,
    /// 银行卡号: bank card number.
    BankCard,
    /// 电子邮箱: e-mail address.
    Email,
    /// 其他敏感: other sensitive data, hidden entirely.
    Other,
}

/// A string that names no [`PiiKind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown PII kind {0:?}, expected one of none, name, resident_id, mobile, address, bank_card, email, other")]
pub struct UnknownPiiKind(pub String);

impl PiiKind {
    /// Every kind, in declaration order.
    pub const ALL: [PiiKind; 8] = [
        Self::None,
        Self::Name,
        Self::ResidentId,
        Self::Mobile,
        Self::Address,
        Self::BankCard,
        Self::Email,
        Self::Other,
    ];

    /// Stable snake_case name, as in serde.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Name => "name",
            Self::ResidentId => "resident_id",
            Self::Mobile => "mobile",
            Self::Address => "address",
            Self::BankCard => "bank_card",
            Self::Email => "email",
            Self::Other => "other",
        }
    }

    /// Chinese label for pages and spreadsheets.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::None => "无",
            Self::Name => "姓名",
            Self::ResidentId => "身份证号",
            Self::Mobile => "手机号",
            Self::Address => "地址",
            Self::BankCard => "银行卡号",
            Self::Email => "电子邮箱",
            Self::Other => "其他敏感",
        }
    }

    /// Whether values of this kind are personal data.
    pub fn is_sensitive(self) -> bool {
        self != Self::None
    }
}

impl fmt::Display for PiiKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PiiKind {
    type Err = UnknownPiiKind;

    /// Accepts the snake_case name or the Chinese label (as found in imported sheets).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(s) || kind.label_zh() == s)
            .ok_or_else(|| UnknownPiiKind(s.to_string()))
    }
}

/// Mask `value` according to its kind. [`PiiKind::None`] returns it unchanged;
/// [`PiiKind::Other`] hides it entirely (`****`, empty stays empty).
pub fn mask(kind: PiiKind, value: &str) -> String {
    match kind {
        PiiKind::None => value.to_string(),
        PiiKind::Name => mask_name(value),
        PiiKind::ResidentId => mask_resident_id(value),
        PiiKind::Mobile => mask_mobile(value),
        PiiKind::Address => mask_address(value),
        PiiKind::BankCard => mask_bank_card(value),
        PiiKind::Email => mask_email(value),
        PiiKind::Other if value.is_empty() => String::new(),
        PiiKind::Other => HIDDEN.to_string(),
    }
}

/// What replaces a hidden tail of unknown length.
const HIDDEN: &str = "****";

/// Keep the first `head` and last `tail` characters, one `*` per other character; a value
/// of at most `head + tail` characters becomes all `*`.
fn keep_ends(value: &str, head: usize, tail: usize) -> String {
    let len = value.chars().count();
    if len <= head + tail {
        return "*".repeat(len);
    }
    value
        .chars()
        .enumerate()
        .map(|(i, c)| if i < head || i >= len - tail { c } else { '*' })
        .collect()
}

/// Name: keep the first character (`段誉` → `段*`, `欧阳锋` → `欧**`).
pub fn mask_name(value: &str) -> String {
    keep_ends(value, 1, 0)
}

/// Resident ID: keep the first 1 and last 2 characters (`1***************2X`).
pub fn mask_resident_id(value: &str) -> String {
    keep_ends(value, 1, 2)
}

/// Resident ID where the birth region is needed: keep the first 6 and last 4.
pub fn mask_resident_id_region(value: &str) -> String {
    keep_ends(value, 6, 4)
}

/// Mobile: keep the first 3 and last 4 (`180****1999`).
pub fn mask_mobile(value: &str) -> String {
    keep_ends(value, 3, 4)
}

/// Bank card: keep the first 4 and last 4 digits; spaces and hyphens between digit
/// groups stay in place (`6222 **** **** 7890`).
pub fn mask_bank_card(value: &str) -> String {
    let is_separator = |c: char| c.is_whitespace() || c == '-';
    let significant = value.chars().filter(|c| !is_separator(*c)).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if is_separator(c) {
                return c;
            }
            seen += 1;
            let kept = significant > 8 && (seen <= 4 || seen > significant - 4);
            if kept {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Address: keep everything through the street and hide the tail with `****`.
///
/// The street ends at the first `街道`, or failing that at the first `镇` or `乡`. Without
/// any of these the first 6 characters are kept (at most half of a short address).
pub fn mask_address(value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    let chars: Vec<char> = value.chars().collect();
    let street_end = chars
        .windows(2)
        .position(|w| w == ['街', '道'])
        .map(|i| i + 2)
        .or_else(|| {
            chars
                .iter()
                .position(|c| matches!(c, '镇' | '乡'))
                .map(|i| i + 1)
        });
    let keep = street_end.unwrap_or_else(|| 6.min(chars.len() / 2));
    let mut masked: String = chars[..keep].iter().collect();
    masked.push_str(HIDDEN);
    masked
}

/// E-mail: keep the first character of the local part and the domain
/// (`duanyu@example.cn` → `d***@example.cn`).
pub fn mask_email(value: &str) -> String {
    let (local, domain) = match value.rsplit_once('@') {
        Some((local, domain)) => (local, Some(domain)),
        None => (value, None),
    };
    let mut masked: String = local.chars().take(1).collect();
    if !value.is_empty() {
        masked.push_str("***");
    }
    if let Some(domain) = domain {
        masked.push('@');
        masked.push_str(domain);
    }
    masked
}
