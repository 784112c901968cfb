//! 工作日 working-day calendar: Monday–Friday, minus the official holidays, plus the
//! 调休 make-up workdays announced by the State Council each year.

mod official;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Bound::{Excluded, Included};
use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// How a listed day departs from the ordinary Monday–Friday week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// 放假: a day off, even if it falls on a weekday.
    Holiday,
    /// 调休上班: a weekend day that is worked.
    MakeupWorkday,
}

impl DayKind {
    /// Stable machine name (`holiday`, `makeup_workday`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Holiday => "holiday",
            Self::MakeupWorkday => "makeup_workday",
        }
    }

    /// Chinese label for pages (放假, 调休上班).
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Holiday => "放假",
            Self::MakeupWorkday => "调休上班",
        }
    }
}

/// 工作日历: the calendar deadlines are counted on.
///
/// Built from the official tables with [`WorkingCalendar::official`]; an admin can add
/// next year's notice (or correct a day) with [`WorkingCalendar::with_overrides`].
/// Outside the listed days every Monday–Friday is a working day.
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    days: BTreeMap<NaiveDate, (DayKind, Cow<'static, str>)>,
}

impl Default for WorkingCalendar {
    fn default() -> Self {
        Self::official()
    }
}

impl WorkingCalendar {
    /// The State Council holiday tables for [`WorkingCalendar::covered_years`].
    pub fn official() -> Self {
        let mut days = BTreeMap::new();
        for (_, festivals) in official::OFFICIAL {
            for festival in *festivals {
                let name = Cow::Borrowed(festival.name);
                for day in festival.from.iter_days().take_while(|d| *d <= festival.to) {
                    days.insert(day, (DayKind::Holiday, name.clone()));
                }
                for day in festival.makeup {
                    days.insert(*day, (DayKind::MakeupWorkday, name.clone()));
                }
            }
        }
        Self { days }
    }

    /// Add or replace days, e.g. next year's notice entered by an admin.
    ///
    /// Each item is `(date, kind, festival name)`; a date already listed is replaced.
    pub fn with_overrides(
        mut self,
        days: impl IntoIterator<Item = (NaiveDate, DayKind, String)>,
    ) -> Self {
        for (date, kind, name) in days {
            self.days.insert(date, (kind, Cow::Owned(name)));
        }
        self
    }

    /// Years for which the official tables are built in (overrides do not change it;
    /// see [`WorkingCalendar::has_days_in`]).
    pub fn covered_years(&self) -> RangeInclusive<i32> {
        official::FIRST_YEAR..=official::LAST_YEAR
    }

    /// Whether any holiday or make-up day is listed in `year`, official or added; false
    /// means that year's notice has not been entered yet.
    pub fn has_days_in(&self, year: i32) -> bool {
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return false;
        };
        self.days.range(first..=last).next().is_some()
    }

    /// The listed kind and festival name of `date`, if it is a holiday or make-up day.
    pub fn day_info(&self, date: NaiveDate) -> Option<(DayKind, &str)> {
        self.days
            .get(&date)
            .map(|(kind, name)| (*kind, name.as_ref()))
    }

    /// Every listed day in date order, for admin pages.
    pub fn days(&self) -> impl Iterator<Item = (NaiveDate, DayKind, &str)> {
        self.days
            .iter()
            .map(|(date, (kind, name))| (*date, *kind, name.as_ref()))
    }

    /// Whether people work on `date`.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.days.get(&date) {
            Some((DayKind::Holiday, _)) => false,
            Some((DayKind::MakeupWorkday, _)) => true,
            None => is_weekday(date),
        }
    }

    /// The `n`-th working day strictly after `start`.
    ///
    /// With `n == 0`: `start` itself if it is a working day, else the next working day.
    /// A deadline of "5 working days" from a request received on `start` is
    /// `add_working_days(start, 5)`. Saturates at [`NaiveDate::MAX`].
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        if n == 0 {
            while !self.is_working_day(day) {
                match day.succ_opt() {
                    Some(next) => day = next,
                    None => return day,
                }
            }
            return day;
        }
        let mut left = n;
        while let Some(next) = day.succ_opt() {
            day = next;
            if self.is_working_day(day) {
                left -= 1;
                if left == 0 {
                    break;
                }
            }
        }
        day
    }

    /// Number of working days in `(from, to]`; negative (the count in `(to, from]`)
    /// when `to` is before `from`.
    ///
    /// The inverse of [`WorkingCalendar::add_working_days`] for a working-day `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        let weekdays = weekdays_through(to) - weekdays_through(from);
        let adjustment: i64 = self
            .days
            .range((Excluded(from), Included(to)))
            .map(|(date, (kind, _))| match (kind, is_weekday(*date)) {
                (DayKind::Holiday, true) => -1,
                (DayKind::MakeupWorkday, false) => 1,
                _ => 0,
            })
            .sum();
        weekdays + adjustment
    }
}

fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Monday–Friday count from an arbitrary epoch through `date`, so that the difference of
/// two values counts the weekdays in between. Day 1 of the common era is a Monday.
fn weekdays_through(date: NaiveDate) -> i64 {
    let day = i64::from(date.num_days_from_ce());
    5 * day.div_euclid(7) + day.rem_euclid(7).min(5)
}
