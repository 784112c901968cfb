//! 检索规范化: folding text so that a search for 大数据 finds 大數據, ＡＢＣ and 大數(shù)據.

mod pinyin;
#[cfg(test)]
mod tests;

use std::sync::LazyLock;

use regex::Regex;

/// Full-width forms (U+FF01–U+FF5E) to ASCII, and the ideographic space U+3000 to a space.
pub fn to_half_width(s: &str) -> String {
    s.chars()
        .map(|c| match u32::from(c) {
            0x3000 => ' ',
            code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Traditional to simplified Chinese, character by character (with a few context rules,
/// e.g. 乾隆 keeps 乾 while 乾淨 becomes 干净). Other text is unchanged.
pub fn to_simplified(s: &str) -> String {
    fast2s::convert(s)
}

/// A parenthesised run, ASCII or full-width parentheses, no nesting.
static PARENTHESISED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[(（]([^()（）]{1,64})[)）]").expect("constant pattern compiles")
});

/// Remove inline pinyin written in parentheses after Han characters.
///
/// `會(huì)議` → `會議`; also `（huì）`, tone numbers (`hui4`), several syllables
/// (`大樹(dà shù)`, `西安(xī'ān)`). The parentheses go only when they follow a Han
/// character and hold nothing but pinyin syllables, no more syllables than the Han
/// characters just before them, and at least one tone (mark or number), so
/// `(有限公司)`, `(2021)` and `数据(data)` stay as they are.
pub fn strip_pinyin_annotations(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    for caps in PARENTHESISED.captures_iter(s) {
        let (Some(whole), Some(content)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        out.push_str(&s[copied..whole.start()]);
        copied = whole.start();
        // Counted on the output, so consecutive annotations (會(huì)(huì)) all go.
        let han_before = out.chars().rev().take_while(|c| is_han(*c)).count();
        if han_before == 0 {
            continue;
        }
        if let Some(syllables) = pinyin::toned_syllable_count(content.as_str()) {
            if syllables <= han_before {
                copied = whole.end();
            }
        }
    }
    out.push_str(&s[copied..]);
    out
}

/// Fold text for indexing and querying: half-width, pinyin annotations removed,
/// simplified characters, lower case.
pub fn normalize_for_search(s: &str) -> String {
    to_simplified(&strip_pinyin_annotations(&to_half_width(s))).to_lowercase()
}

/// Whether `c` is a CJK ideograph (汉字).
fn is_han(c: char) -> bool {
    matches!(u32::from(c),
        0x3007
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x2FA1F
        | 0x30000..=0x323AF)
}
