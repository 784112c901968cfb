use super::*;
use proptest::prelude::*;

#[test]
fn traditional_annotated_and_simplified_fold_together() {
    for input in [
        "大數(shù)據(jù)",
        "大數據",
        "大数据",
        "大數（shù）據（jù）",
        "大数据(dà shù jù)",
    ] {
        assert_eq!(normalize_for_search(input), "大数据", "{input}");
    }
    assert_eq!(normalize_for_search("ＡＢＣ１２３"), "abc123");
    assert_eq!(normalize_for_search("龍崗區　政務服務"), "龙岗区 政务服务");
}

#[test]
fn half_width() {
    assert_eq!(to_half_width("ＡＢＣ１２３！～"), "ABC123!~");
    assert_eq!(to_half_width("（有限公司）　"), "(有限公司) ");
    assert_eq!(to_half_width("大数据，。"), "大数据,。");
}

#[test]
fn simplified() {
    assert_eq!(to_simplified("龍崗區政務數據開放"), "龙岗区政务数据开放");
    assert_eq!(to_simplified("already 简体 text"), "already 简体 text");
}

#[test]
fn strips_pinyin_in_its_forms() {
    assert_eq!(strip_pinyin_annotations("會(huì)議"), "會議");
    assert_eq!(strip_pinyin_annotations("會（huì）議"), "會議");
    assert_eq!(strip_pinyin_annotations("會(hui4)議(yi4)"), "會議");
    assert_eq!(strip_pinyin_annotations("大樹(dà shù)下"), "大樹下");
    assert_eq!(strip_pinyin_annotations("西安(xī'ān)市"), "西安市");
    assert_eq!(strip_pinyin_annotations("會(huì)(huì)"), "會");
    assert_eq!(strip_pinyin_annotations("綠(lǜ)色"), "綠色");
}

#[test]
fn keeps_parentheses_that_are_not_pinyin() {
    for kept in [
        "某某(有限公司)",
        "年报(2021)",
        "数据(data)",
        "接口(API)",
        "abc(huì)",
        "(huì)開頭",
        "大(dà shù)",
        "會(huì",
        "會 (huì)",
        "咖啡(café)",
    ] {
        assert_eq!(strip_pinyin_annotations(kept), kept);
    }
}

fn folding_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "大",
            "數",
            "据",
            "會",
            "議",
            "區",
            "A",
            "ｂ",
            "１",
            "7",
            " ",
            "　",
            "(",
            ")",
            "（",
            "）",
            "huì",
            "dà shù",
            "hui4",
            "data",
            "2021",
            "有限公司",
        ]),
        0..16,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn normalizing_twice_changes_nothing(text in folding_text()) {
        let once = normalize_for_search(&text);
        prop_assert_eq!(normalize_for_search(&once), once);
    }

    #[test]
    fn no_full_width_forms_remain(text in "\\PC{0,30}") {
        let half = to_half_width(&text);
        let full_width = |c: char| ('\u{FF01}'..='\u{FF5E}').contains(&c) || c == '\u{3000}';
        prop_assert!(!half.chars().any(full_width), "{}", half);
        prop_assert_eq!(half.chars().count(), text.chars().count());
    }

    #[test]
    fn simplification_keeps_char_count(text in "\\PC{0,30}") {
        prop_assert_eq!(to_simplified(&text).chars().count(), text.chars().count());
    }

    #[test]
    fn text_without_parentheses_is_untouched(text in "[^()（）]{0,30}") {
        prop_assert_eq!(strip_pinyin_annotations(&text), text);
    }

    #[test]
    fn stripping_only_removes(text in folding_text()) {
        let stripped = strip_pinyin_annotations(&text);
        // What remains is the input with some parenthesised runs taken out.
        let mut rest = text.as_str();
        for c in stripped.chars() {
            let at = rest.find(c);
            prop_assert!(at.is_some());
            rest = &rest[at.unwrap_or(0) + c.len_utf8()..];
        }
    }
}
