//! The State Council's (国务院办公厅) yearly holiday notices, 2020–2026.
//!
//! Each festival lists its days off as an inclusive range and its 调休 make-up workdays.
//! Dates are checked at compile time: a typo such as 2 月 30 日 fails the build.

use chrono::NaiveDate;

/// One festival of one year's notice.
#[derive(Debug)]
pub(crate) struct Festival {
    /// Festival name as printed in the notice (元旦, 春节, …).
    pub(crate) name: &'static str,
    /// First day off.
    pub(crate) from: NaiveDate,
    /// Last day off (inclusive).
    pub(crate) to: NaiveDate,
    /// 调休: weekend days that are worked instead.
    pub(crate) makeup: &'static [NaiveDate],
}

/// First and last year with official data.
pub(crate) const FIRST_YEAR: i32 = 2020;
pub(crate) const LAST_YEAR: i32 = 2026;

const fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("invalid date in the official holiday table"),
    }
}

const fn f(
    name: &'static str,
    from: NaiveDate,
    to: NaiveDate,
    makeup: &'static [NaiveDate],
) -> Festival {
    Festival {
        name,
        from,
        to,
        makeup,
    }
}

/// Festivals per notice year. A festival may start in the previous calendar year
/// (元旦 2023 begins on 2022-12-31).
pub(crate) const OFFICIAL: &[(i32, &[Festival])] = &[
    (
        2020,
        &[
            f("元旦", d(2020, 1, 1), d(2020, 1, 1), &[]),
            // Extended to 2 February for the epidemic; the 1 February make-up day was
            // cancelled by the same notice.
            f("春节", d(2020, 1, 24), d(2020, 2, 2), &[d(2020, 1, 19)]),
            f("清明节", d(2020, 4, 4), d(2020, 4, 6), &[]),
            f(
                "劳动节",
                d(2020, 5, 1),
                d(2020, 5, 5),
                &[d(2020, 4, 26), d(2020, 5, 9)],
            ),
            f("端午节", d(2020, 6, 25), d(2020, 6, 27), &[d(2020, 6, 28)]),
            f(
                "国庆节、中秋节",
                d(2020, 10, 1),
                d(2020, 10, 8),
                &[d(2020, 9, 27), d(2020, 10, 10)],
            ),
        ],
    ),
    (
        2021,
        &[
            f("元旦", d(2021, 1, 1), d(2021, 1, 3), &[]),
            f(
                "春节",
                d(2021, 2, 11),
                d(2021, 2, 17),
                &[d(2021, 2, 7), d(2021, 2, 20)],
            ),
            f("清明节", d(2021, 4, 3), d(2021, 4, 5), &[]),
            f(
                "劳动节",
                d(2021, 5, 1),
                d(2021, 5, 5),
                &[d(2021, 4, 25), d(2021, 5, 8)],
            ),
            f("端午节", d(2021, 6, 12), d(2021, 6, 14), &[]),
            f("中秋节", d(2021, 9, 19), d(2021, 9, 21), &[d(2021, 9, 18)]),
            f(
                "国庆节",
                d(2021, 10, 1),
                d(2021, 10, 7),
                &[d(2021, 9, 26), d(2021, 10, 9)],
            ),
        ],
    ),
    (
        2022,
        &[
            f("元旦", d(2022, 1, 1), d(2022, 1, 3), &[]),
            f(
                "春节",
                d(2022, 1, 31),
                d(2022, 2, 6),
                &[d(2022, 1, 29), d(2022, 1, 30)],
            ),
            f("清明节", d(2022, 4, 3), d(2022, 4, 5), &[d(2022, 4, 2)]),
            f(
                "劳动节",
                d(2022, 4, 30),
                d(2022, 5, 4),
                &[d(2022, 4, 24), d(2022, 5, 7)],
            ),
            f("端午节", d(2022, 6, 3), d(2022, 6, 5), &[]),
            f("中秋节", d(2022, 9, 10), d(2022, 9, 12), &[]),
            f(
                "国庆节",
                d(2022, 10, 1),
                d(2022, 10, 7),
                &[d(2022, 10, 8), d(2022, 10, 9)],
            ),
        ],
    ),
    (
        2023,
        &[
            f("元旦", d(2022, 12, 31), d(2023, 1, 2), &[]),
            f(
                "春节",
                d(2023, 1, 21),
                d(2023, 1, 27),
                &[d(2023, 1, 28), d(2023, 1, 29)],
            ),
            f("清明节", d(2023, 4, 5), d(2023, 4, 5), &[]),
            f(
                "劳动节",
                d(2023, 4, 29),
                d(2023, 5, 3),
                &[d(2023, 4, 23), d(2023, 5, 6)],
            ),
            f("端午节", d(2023, 6, 22), d(2023, 6, 24), &[d(2023, 6, 25)]),
            f(
                "中秋节、国庆节",
                d(2023, 9, 29),
                d(2023, 10, 6),
                &[d(2023, 10, 7), d(2023, 10, 8)],
            ),
        ],
    ),
    (
        2024,
        &[
            f("元旦", d(2024, 1, 1), d(2024, 1, 1), &[]),
            f(
                "春节",
                d(2024, 2, 10),
                d(2024, 2, 17),
                &[d(2024, 2, 4), d(2024, 2, 18)],
            ),
            f("清明节", d(2024, 4, 4), d(2024, 4, 6), &[d(2024, 4, 7)]),
            f(
                "劳动节",
                d(2024, 5, 1),
                d(2024, 5, 5),
                &[d(2024, 4, 28), d(2024, 5, 11)],
            ),
            f("端午节", d(2024, 6, 10), d(2024, 6, 10), &[]),
            f("中秋节", d(2024, 9, 15), d(2024, 9, 17), &[d(2024, 9, 14)]),
            f(
                "国庆节",
                d(2024, 10, 1),
                d(2024, 10, 7),
                &[d(2024, 9, 29), d(2024, 10, 12)],
            ),
        ],
    ),
    (
        2025,
        &[
            f("元旦", d(2025, 1, 1), d(2025, 1, 1), &[]),
            f(
                "春节",
                d(2025, 1, 28),
                d(2025, 2, 4),
                &[d(2025, 1, 26), d(2025, 2, 8)],
            ),
            f("清明节", d(2025, 4, 4), d(2025, 4, 6), &[]),
            f("劳动节", d(2025, 5, 1), d(2025, 5, 5), &[d(2025, 4, 27)]),
            f("端午节", d(2025, 5, 31), d(2025, 6, 2), &[]),
            f(
                "国庆节、中秋节",
                d(2025, 10, 1),
                d(2025, 10, 8),
                &[d(2025, 9, 28), d(2025, 10, 11)],
            ),
        ],
    ),
    (
        2026,
        &[
            f("元旦", d(2026, 1, 1), d(2026, 1, 3), &[d(2026, 1, 4)]),
            f(
                "春节",
                d(2026, 2, 15),
                d(2026, 2, 23),
                &[d(2026, 2, 14), d(2026, 2, 28)],
            ),
            f("清明节", d(2026, 4, 4), d(2026, 4, 6), &[]),
            f("劳动节", d(2026, 5, 1), d(2026, 5, 5), &[d(2026, 5, 9)]),
            f("端午节", d(2026, 6, 19), d(2026, 6, 21), &[]),
            f("中秋节", d(2026, 9, 25), d(2026, 9, 27), &[]),
            f(
                "国庆节",
                d(2026, 10, 1),
                d(2026, 10, 7),
                &[d(2026, 9, 20), d(2026, 10, 10)],
            ),
        ],
    ),
];
