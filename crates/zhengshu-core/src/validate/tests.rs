use super::*;
use proptest::prelude::*;

#[test]
fn accepts_a_valid_id_and_reads_its_fields() {
    let id = resident_id("11010519491231002x").unwrap();
    assert_eq!(id.as_str(), "11010519491231002X");
    assert_eq!(
        id.birth_date(),
        NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
    );
    assert_eq!(id.area_code(), "110105");
    assert!(!id.is_male());
    let id = resident_id("440308199901101512").unwrap();
    assert!(id.is_male());
    assert_eq!(id.to_string(), "440308199901101512");
    assert!(is_valid_resident_id("11010519491231002X"));
}

#[test]
fn id_errors_say_what_is_wrong() {
    let err = resident_id("11010519491231002").unwrap_err();
    assert_eq!(err, IdError::Length { len: 17 });
    assert_eq!(err.to_string(), "length 17, expected 18");

    let err = resident_id("110105194912310023").unwrap_err();
    assert_eq!(err.to_string(), "check character is 3, expected X");

    let err = resident_id("110105199913320011").unwrap_err();
    assert_eq!(err.to_string(), "birth date 19991332 is not a date");

    let err = resident_id("1101051949123100X2").unwrap_err();
    assert_eq!(
        err.to_string(),
        "character 'X' at position 17 is not a digit"
    );

    // Length counts characters, not bytes.
    assert_eq!(
        resident_id("身份证").unwrap_err(),
        IdError::Length { len: 3 }
    );
    assert!(!is_valid_resident_id("19990229 not a leap"));
}

#[test]
fn rejects_29_february_outside_leap_years() {
    let first17 = "11010519990229001";
    let check = resident_id_check_char(first17).unwrap();
    let err = resident_id(&format!("{first17}{check}")).unwrap_err();
    assert_eq!(err.to_string(), "birth date 19990229 is not a date");
    let first17 = "11010520000229001";
    let check = resident_id_check_char(first17).unwrap();
    assert!(is_valid_resident_id(&format!("{first17}{check}")));
}

#[test]
fn check_char_needs_17_digits() {
    assert_eq!(resident_id_check_char("11010519491231002"), Some('X'));
    assert_eq!(resident_id_check_char("1101051949123100"), None);
    assert_eq!(resident_id_check_char("1101051949123100A"), None);
    assert_eq!(credit_code_check_char("91440300192203821"), Some('6'));
    assert_eq!(credit_code_check_char("9144030019220382I"), None);
    assert_eq!(credit_code_check_char("9144030019220382"), None);
}

#[test]
fn accepts_real_credit_codes() {
    let code = credit_code("914403001922038216").unwrap();
    assert_eq!(code.registration_authority(), '9');
    assert_eq!(code.entity_category(), '1');
    assert_eq!(code.area_code(), "440300");
    assert_eq!(code.organization_code(), "192203821");
    assert_eq!(
        credit_code("91110000802100433b").unwrap().as_str(),
        "91110000802100433B"
    );
    assert!(is_valid_credit_code("91350100M000100Y43"));
}

#[test]
fn credit_code_errors_say_what_is_wrong() {
    assert_eq!(
        credit_code("91440300192203821").unwrap_err().to_string(),
        "length 17, expected 18"
    );
    assert_eq!(
        credit_code("914403001922038217").unwrap_err().to_string(),
        "check character is 7, expected 6"
    );
    let err = credit_code("9144030019220382I6").unwrap_err();
    assert_eq!(
        err,
        CreditCodeError::Character {
            position: 17,
            ch: 'I'
        }
    );
    assert!(err.to_string().contains("position 17"));
}

#[test]
fn ids_round_trip_through_serde() {
    let id: ResidentId = serde_json::from_str("\"11010519491231002x\"").unwrap();
    assert_eq!(
        serde_json::to_string(&id).unwrap(),
        "\"11010519491231002X\""
    );
    assert!(serde_json::from_str::<ResidentId>("\"110105194912310023\"").is_err());
    let code: CreditCode = "914403001922038216".parse().unwrap();
    assert_eq!(
        serde_json::to_string(&code).unwrap(),
        "\"914403001922038216\""
    );
    assert!(serde_json::from_str::<CreditCode>("\"914403001922038217\"").is_err());
}

#[test]
fn mobile_numbers() {
    assert!(is_valid_mobile("18012341999"));
    assert!(is_valid_mobile("13900000000"));
    assert!(!is_valid_mobile("12012341999"));
    assert!(!is_valid_mobile("1801234199"));
    assert!(!is_valid_mobile("180123419990"));
    assert!(!is_valid_mobile(" 18012341999"));
    // Full-width or other Unicode digits are not accepted.
    assert!(!is_valid_mobile("1801234199９"));
    assert!(!is_valid_mobile("180١2341999"));
}

fn valid_id() -> impl Strategy<Value = String> {
    (100_000u32..=999_999, 0i64..36_500, 0u32..1000).prop_map(|(area, day, seq)| {
        let birth = NaiveDate::from_ymd_opt(1920, 1, 1).unwrap() + chrono::Duration::days(day);
        let first17 = format!("{area}{}{seq:03}", birth.format("%Y%m%d"));
        let check = resident_id_check_char(&first17).unwrap();
        format!("{first17}{check}")
    })
}

fn valid_credit_code() -> impl Strategy<Value = String> {
    prop::collection::vec(0usize..31, 17).prop_map(|indexes| {
        let first17: String = indexes
            .iter()
            .map(|&i| char::from(CREDIT_ALPHABET.as_bytes()[i]))
            .collect();
        let check = credit_code_check_char(&first17).unwrap();
        format!("{first17}{check}")
    })
}

proptest! {
    #[test]
    fn generated_ids_validate(id in valid_id()) {
        let parsed = resident_id(&id).unwrap();
        prop_assert_eq!(parsed.as_str(), id.as_str());
        prop_assert_eq!(parsed.is_male(), (id.as_bytes()[16] - b'0') % 2 == 1);
    }

    #[test]
    fn one_changed_id_character_is_caught(
        id in valid_id(),
        position in 0usize..18,
        replacement in prop::sample::select("0123456789X".chars().collect::<Vec<_>>()),
    ) {
        let mut chars: Vec<char> = id.chars().collect();
        prop_assume!(chars[position] != replacement);
        chars[position] = replacement;
        let changed: String = chars.into_iter().collect();
        prop_assert!(!is_valid_resident_id(&changed), "{} accepted", changed);
    }

    #[test]
    fn generated_credit_codes_validate(code in valid_credit_code()) {
        let parsed = credit_code(&code).unwrap();
        prop_assert_eq!(parsed.as_str(), code.as_str());
    }

    #[test]
    fn one_changed_credit_character_is_caught(
        code in valid_credit_code(),
        position in 0usize..18,
        replacement in prop::sample::select(CREDIT_ALPHABET.chars().collect::<Vec<_>>()),
    ) {
        let mut chars: Vec<char> = code.chars().collect();
        prop_assume!(chars[position] != replacement);
        chars[position] = replacement;
        let changed: String = chars.into_iter().collect();
        prop_assert!(!is_valid_credit_code(&changed), "{} accepted", changed);
    }

    #[test]
    fn arbitrary_text_is_judged_by_the_rules(s in "1[0-9]{10}|[0-9]{0,12}|\\PC{0,20}") {
        if let Ok(id) = resident_id(&s) {
            prop_assert_eq!(id.as_str().len(), 18);
            prop_assert_eq!(resident_id_check_char(&id.as_str()[..17]), id.as_str().chars().last());
        }
        if let Ok(code) = credit_code(&s) {
            prop_assert_eq!(credit_code_check_char(&code.as_str()[..17]), code.as_str().chars().last());
        }
        let b = s.as_bytes();
        let mobile = b.len() == 11
            && b.iter().all(u8::is_ascii_digit)
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1]);
        prop_assert_eq!(is_valid_mobile(&s), mobile);
    }

    /// The allocation-free checks ingest runs agree with the full parsers, on valid
    /// values, near misses (one byte changed, case changed, cut or lengthened) and noise.
    #[test]
    fn quick_checks_agree_with_the_parsers(
        id in valid_id(),
        code in valid_credit_code(),
        at in 0usize..19,
        byte in prop_oneof![Just(b'x'), Just(b'X'), Just(b'a'), Just(b'I'), b'0'..=b'9', b'A'..=b'Z', 0x80u8..=0xff],
        noise in "[0-9A-Za-z]{16,19}|[0-9]{17}[0-9xX]|\\PC{0,20}",
    ) {
        let mut texts = vec![noise, id.to_ascii_lowercase(), code.to_ascii_lowercase()];
        for v in [&id, &code] {
            texts.push(v.clone());
            texts.push(v[..17].to_string());
            texts.push(format!("{v}0"));
            let mut b = v.clone().into_bytes();
            if at < b.len() {
                b[at] = byte;
            }
            texts.push(String::from_utf8_lossy(&b).into_owned());
        }
        for t in &texts {
            prop_assert_eq!(is_valid_resident_id(t), resident_id(t).is_ok(), "{}", t);
            prop_assert_eq!(is_valid_credit_code(t), credit_code(t).is_ok(), "{}", t);
        }
    }

    #[test]
    fn digit_strings_match_the_mobile_pattern(n in 10_000_000_000u64..20_000_000_000) {
        let s = n.to_string();
        prop_assert_eq!(is_valid_mobile(&s), s.as_bytes()[1] >= b'3');
    }
}
