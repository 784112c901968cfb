use super::*;
use proptest::prelude::*;

#[test]
fn masks_follow_the_common_conventions() {
    assert_eq!(mask_name("段誉"), "段*");
    assert_eq!(mask_name("段正淳"), "段**");
    assert_eq!(mask_resident_id("11010519491231002X"), "1***************2X");
    assert_eq!(
        mask_resident_id_region("11010519491231002X"),
        "110105********002X"
    );
    assert_eq!(mask_mobile("18012341999"), "180****1999");
    assert_eq!(mask_bank_card("6222021234567890"), "6222********7890");
    assert_eq!(mask_bank_card("6222 0212 3456 7890"), "6222 **** **** 7890");
    assert_eq!(mask_email("duanyu@example.cn"), "d***@example.cn");
}

#[test]
fn address_keeps_through_the_street() {
    assert_eq!(
        mask_address("广东省深圳市龙岗区坂田街道五和大道118号3栋"),
        "广东省深圳市龙岗区坂田街道****"
    );
    assert_eq!(mask_address("某县青山镇白云村5组"), "某县青山镇****");
    assert_eq!(mask_address("某县石门乡大路村"), "某县石门乡****");
    // 街道 wins over an earlier 镇.
    assert_eq!(mask_address("镇海区招宝山街道1号"), "镇海区招宝山街道****");
    assert_eq!(mask_address("深圳市龙岗区布吉路123号"), "深圳市龙岗区****");
    assert_eq!(mask_address("布吉路1号"), "布吉****");
    assert_eq!(mask_address(""), "");
}

#[test]
fn short_values_are_hidden_without_panicking() {
    assert_eq!(mask_name(""), "");
    assert_eq!(mask_name("段"), "*");
    assert_eq!(mask_resident_id("123"), "***");
    assert_eq!(mask_mobile("1801234"), "*******");
    assert_eq!(mask_bank_card("6222-0212"), "****-****");
    assert_eq!(mask_email(""), "");
    assert_eq!(mask_email("@example.cn"), "***@example.cn");
    assert_eq!(mask_email("not-an-email"), "n***");
    assert_eq!(mask_email("段誉@example.cn"), "段***@example.cn");
}

#[test]
fn mask_dispatches_on_kind() {
    assert_eq!(mask(PiiKind::None, "段誉"), "段誉");
    assert_eq!(mask(PiiKind::Name, "段誉"), "段*");
    assert_eq!(mask(PiiKind::Mobile, "18012341999"), "180****1999");
    assert_eq!(mask(PiiKind::Other, "秘密"), "****");
    assert_eq!(mask(PiiKind::Other, ""), "");
    assert_eq!(mask(PiiKind::Email, "a@b.cn"), "a***@b.cn");
}

#[test]
fn pii_kind_names_round_trip() {
    for kind in PiiKind::ALL {
        assert_eq!(kind.as_str().parse::<PiiKind>().unwrap(), kind);
        assert_eq!(kind.label_zh().parse::<PiiKind>().unwrap(), kind);
        let json = serde_json::to_string(&kind).unwrap();
        assert_eq!(json, format!("\"{}\"", kind.as_str()));
        assert_eq!(serde_json::from_str::<PiiKind>(&json).unwrap(), kind);
    }
    assert_eq!(PiiKind::BankCard.to_string(), "bank_card");
    assert_eq!(PiiKind::Other.label_zh(), "其他敏感");
    assert!(!PiiKind::None.is_sensitive());
    let err = "phone".parse::<PiiKind>().unwrap_err();
    assert!(err.to_string().contains("\"phone\""));
}

fn len(s: &str) -> usize {
    s.chars().count()
}

proptest! {
    #[test]
    fn length_is_preserved(value in "\\PC{0,30}") {
        prop_assert_eq!(len(&mask_name(&value)), len(&value));
        prop_assert_eq!(len(&mask_resident_id(&value)), len(&value));
        prop_assert_eq!(len(&mask_resident_id_region(&value)), len(&value));
        prop_assert_eq!(len(&mask_mobile(&value)), len(&value));
        prop_assert_eq!(len(&mask_bank_card(&value)), len(&value));
    }

    #[test]
    fn ends_are_kept_and_middle_hidden(value in "[^*]{11,30}") {
        let chars: Vec<char> = value.chars().collect();
        for (masked, head, tail) in [
            (mask_name(&value), 1, 0),
            (mask_resident_id(&value), 1, 2),
            (mask_resident_id_region(&value), 6, 4),
            (mask_mobile(&value), 3, 4),
        ] {
            let out: Vec<char> = masked.chars().collect();
            prop_assert_ne!(&masked, &value);
            prop_assert_eq!(&out[..head], &chars[..head]);
            prop_assert_eq!(&out[out.len() - tail..], &chars[chars.len() - tail..]);
            prop_assert!(out[head..out.len() - tail].iter().all(|c| *c == '*'));
        }
    }

    #[test]
    fn card_keeps_four_digits_each_end(digits in "[0-9]{12,19}") {
        let masked = mask_bank_card(&digits);
        prop_assert_ne!(&masked, &digits);
        prop_assert_eq!(&masked[..4], &digits[..4]);
        prop_assert_eq!(&masked[masked.len() - 4..], &digits[digits.len() - 4..]);
        prop_assert_eq!(masked.matches('*').count(), digits.len() - 8);
    }

    #[test]
    fn masked_sensitive_values_differ(value in "[^*]{0,20}[^*\\s-][^*]{0,19}", kind in prop::sample::select(PiiKind::ALL.to_vec())) {
        let masked = mask(kind, &value);
        if kind.is_sensitive() {
            prop_assert_ne!(masked, value);
        } else {
            prop_assert_eq!(masked, value);
        }
    }

    #[test]
    fn address_keeps_a_prefix(value in "\\PC{0,40}") {
        let masked = mask_address(&value);
        if value.is_empty() {
            prop_assert_eq!(masked, "");
        } else {
            let kept = masked.strip_suffix("****").unwrap();
            prop_assert!(value.starts_with(kept));
        }
    }
}
