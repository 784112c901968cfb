use super::official::OFFICIAL;
use super::*;
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn makeup_sunday_is_a_working_day() {
    let cal = WorkingCalendar::official();
    assert_eq!(date(2024, 2, 4).weekday(), Weekday::Sun);
    assert!(cal.is_working_day(date(2024, 2, 4)));
    assert_eq!(
        cal.day_info(date(2024, 2, 4)),
        Some((DayKind::MakeupWorkday, "春节"))
    );
}

#[test]
fn national_day_is_not_a_working_day() {
    let cal = WorkingCalendar::official();
    assert!(!cal.is_working_day(date(2024, 10, 1)));
    assert_eq!(
        cal.day_info(date(2024, 10, 1)),
        Some((DayKind::Holiday, "国庆节"))
    );
    // An ordinary Tuesday and Saturday.
    assert!(cal.is_working_day(date(2024, 10, 8)));
    assert!(!cal.is_working_day(date(2024, 10, 19)));
    assert_eq!(cal.day_info(date(2024, 10, 8)), None);
}

#[test]
fn five_working_days_across_national_day_2025() {
    let cal = WorkingCalendar::official();
    // 10/1–10/8 off; 10/9 Thu, 10/10 Fri, 10/11 Sat (调休), 10/13 Mon, 10/14 Tue.
    assert_eq!(
        cal.add_working_days(date(2025, 9, 30), 5),
        date(2025, 10, 14)
    );
    // From Friday 9/26: 9/28 Sun (调休), 9/29, 9/30, 10/9, 10/10.
    assert_eq!(
        cal.add_working_days(date(2025, 9, 26), 5),
        date(2025, 10, 10)
    );
    assert_eq!(
        cal.working_days_between(date(2025, 9, 30), date(2025, 10, 14)),
        5
    );
    assert_eq!(
        cal.working_days_between(date(2025, 10, 14), date(2025, 9, 30)),
        -5
    );
}

#[test]
fn zero_days_rolls_forward_only_off_a_working_day() {
    let cal = WorkingCalendar::official();
    assert_eq!(
        cal.add_working_days(date(2025, 10, 1), 0),
        date(2025, 10, 9)
    );
    assert_eq!(
        cal.add_working_days(date(2025, 10, 9), 0),
        date(2025, 10, 9)
    );
    assert_eq!(
        cal.working_days_between(date(2025, 10, 9), date(2025, 10, 9)),
        0
    );
}

#[test]
fn spring_festival_2020_extension() {
    let cal = WorkingCalendar::official();
    assert!(cal.is_working_day(date(2020, 1, 19)));
    // The 2/1 make-up day was cancelled when the holiday was extended to 2/2.
    assert!(!cal.is_working_day(date(2020, 2, 1)));
    assert!(!cal.is_working_day(date(2020, 1, 31)));
    assert!(cal.is_working_day(date(2020, 2, 3)));
}

#[test]
fn new_year_2023_starts_in_2022() {
    let cal = WorkingCalendar::official();
    assert_eq!(
        cal.day_info(date(2022, 12, 31)),
        Some((DayKind::Holiday, "元旦"))
    );
    assert!(!cal.is_working_day(date(2023, 1, 2)));
}

/// Days in the year − weekend days − statutory holidays (11 until 2024, 13 from 2025;
/// 2020 lost two more to the epidemic extension). Catches a mistyped day in the tables.
#[test]
fn working_days_per_year_match_the_published_totals() {
    let cal = WorkingCalendar::official();
    let expected = [
        (2020, 249),
        (2021, 250),
        (2022, 249),
        (2023, 249),
        (2024, 251),
        (2025, 248),
        (2026, 248),
    ];
    for (year, total) in expected {
        let count = cal.working_days_between(date(year - 1, 12, 31), date(year, 12, 31));
        assert_eq!(count, total, "working days in {year}");
    }
    let years: Vec<i32> = OFFICIAL.iter().map(|(year, _)| *year).collect();
    assert_eq!(years, cal.covered_years().collect::<Vec<_>>());
    assert!(years.iter().all(|year| cal.has_days_in(*year)));
}

#[test]
fn official_tables_are_consistent() {
    let mut holidays = std::collections::BTreeSet::new();
    let mut makeups = std::collections::BTreeSet::new();
    for (year, festivals) in OFFICIAL {
        let names: Vec<&str> = festivals.iter().map(|f| f.name).collect();
        for festival in [
            "元旦",
            "春节",
            "清明节",
            "劳动节",
            "端午节",
            "中秋节",
            "国庆节",
        ] {
            assert!(
                names.iter().any(|n| n.contains(festival)),
                "{year} lacks {festival}"
            );
        }
        for festival in *festivals {
            assert!(festival.from <= festival.to, "{year} {}", festival.name);
            assert!((festival.from.year() - year).abs() <= 1);
            assert!((festival.to - festival.from).num_days() < 10);
            for day in festival.from.iter_days().take_while(|d| *d <= festival.to) {
                assert!(holidays.insert(day), "{day} listed twice");
            }
            for day in festival.makeup {
                assert!(!is_weekday(*day), "make-up day {day} is a weekday");
                assert!(makeups.insert(*day), "{day} listed twice");
            }
        }
    }
    assert!(holidays.is_disjoint(&makeups));
}

#[test]
fn overrides_extend_and_replace() {
    let cal = WorkingCalendar::official().with_overrides([
        (date(2027, 1, 1), DayKind::Holiday, "元旦".to_string()),
        (date(2024, 2, 4), DayKind::Holiday, "更正".to_string()),
    ]);
    assert!(!cal.is_working_day(date(2027, 1, 1)));
    assert_eq!(
        cal.day_info(date(2027, 1, 1)),
        Some((DayKind::Holiday, "元旦"))
    );
    assert!(!cal.is_working_day(date(2024, 2, 4)));
    assert_eq!(cal.day_info(date(2024, 2, 4)).map(|i| i.1), Some("更正"));
    assert!(cal
        .days()
        .any(|(d, k, _)| d == date(2027, 1, 1) && k == DayKind::Holiday));
    assert_eq!(cal.covered_years(), 2020..=2026);
    assert!(cal.has_days_in(2027));
    assert!(!WorkingCalendar::official().has_days_in(2027));
}

#[test]
fn common_era_starts_on_monday() {
    assert_eq!(date(1, 1, 1).weekday(), Weekday::Mon);
    assert_eq!(date(1, 1, 1).num_days_from_ce(), 1);
}

#[test]
fn day_kind_names() {
    assert_eq!(DayKind::MakeupWorkday.as_str(), "makeup_workday");
    assert_eq!(DayKind::Holiday.label_zh(), "放假");
    assert_eq!(
        serde_json::to_string(&DayKind::MakeupWorkday).unwrap(),
        "\"makeup_workday\""
    );
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..365 * 9).prop_map(|offset| date(2019, 1, 1) + chrono::Duration::days(offset))
}

fn naive_count(cal: &WorkingCalendar, from: NaiveDate, to: NaiveDate) -> i64 {
    let (lo, hi, sign) = if from <= to {
        (from, to, 1)
    } else {
        (to, from, -1)
    };
    let count = lo
        .iter_days()
        .skip(1)
        .take_while(|d| *d <= hi)
        .filter(|d| cal.is_working_day(*d))
        .count();
    sign * i64::try_from(count).unwrap()
}

proptest! {
    #[test]
    fn result_is_a_working_day(start in any_date(), n in 0u32..400) {
        let cal = WorkingCalendar::official();
        let end = cal.add_working_days(start, n);
        prop_assert!(cal.is_working_day(end));
        prop_assert!(end >= start);
    }

    #[test]
    fn between_inverts_add(start in any_date(), n in 0u32..400) {
        let cal = WorkingCalendar::official();
        let start = cal.add_working_days(start, 0);
        let end = cal.add_working_days(start, n);
        prop_assert_eq!(cal.working_days_between(start, end), i64::from(n));
        prop_assert_eq!(cal.working_days_between(end, start), -i64::from(n));
    }

    #[test]
    fn add_is_monotonic(a in any_date(), b in any_date(), n in 0u32..200, m in 0u32..200) {
        let cal = WorkingCalendar::official();
        let (a, b) = (a.min(b), a.max(b));
        let (n, m) = (n.min(m), n.max(m));
        prop_assert!(cal.add_working_days(a, n) <= cal.add_working_days(a, m));
        prop_assert!(cal.add_working_days(a, n) <= cal.add_working_days(b, n));
    }

    #[test]
    fn between_matches_day_by_day_count(a in any_date(), b in any_date()) {
        let cal = WorkingCalendar::official();
        prop_assert_eq!(cal.working_days_between(a, b), naive_count(&cal, a, b));
    }

    #[test]
    fn makeup_weekend_counts(index in any::<prop::sample::Index>()) {
        let cal = WorkingCalendar::official();
        let makeups: Vec<NaiveDate> = cal
            .days()
            .filter(|(_, kind, _)| *kind == DayKind::MakeupWorkday)
            .map(|(d, _, _)| d)
            .collect();
        let day = *index.get(&makeups);
        let before = day.pred_opt().unwrap();
        prop_assert!(!is_weekday(day));
        prop_assert!(cal.is_working_day(day));
        prop_assert_eq!(cal.working_days_between(before, day), 1);
        prop_assert_eq!(cal.add_working_days(before, 1), day);
    }
}
