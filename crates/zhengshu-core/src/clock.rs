//! 时钟 Clock: the one place the platform asks for "now", so tests can fix time.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};

/// China Standard Time, UTC+08:00 (no daylight saving).
const CHINA_OFFSET: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("+08:00 is a valid offset"),
};

/// The UTC+08:00 offset (北京时间) used for every calendar date on the platform.
pub fn china_offset() -> FixedOffset {
    CHINA_OFFSET
}

/// 时钟: source of the current time.
///
/// Everything that stamps a record or counts a deadline takes a [`SharedClock`] rather
/// than calling [`Utc::now`], so tests can run on a [`FixedClock`].
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in China time (UTC+8), the date deadlines are counted from.
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&china_offset()).date_naive()
    }
}

/// A clock shared between services and handlers.
pub type SharedClock = Arc<dyn Clock>;

/// The real wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until told to move; for tests and demos.
///
/// Uses interior mutability, so it can be moved forward through an `Arc` while the
/// application holds the same clock as a [`SharedClock`].
#[derive(Debug)]
pub struct FixedClock {
    now: Mutex<DateTime<Utc>>,
}

impl FixedClock {
    /// A clock showing `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            now: Mutex::new(now),
        }
    }

    /// Set the clock to `now`.
    pub fn set(&self, now: DateTime<Utc>) {
        // A poisoned lock still holds a valid timestamp: keep using it.
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = now;
    }

    /// Move the clock by `by` (negative moves it back), saturating at chrono's limits.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now = now
            .checked_add_signed(by)
            .unwrap_or(if by < Duration::zero() {
                DateTime::<Utc>::MIN_UTC
            } else {
                DateTime::<Utc>::MAX_UTC
            });
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn today_is_counted_in_china_time() {
        // 2024-09-30 16:30 UTC is already 2024-10-01 00:30 in Beijing.
        let clock = FixedClock::new(Utc.with_ymd_and_hms(2024, 9, 30, 16, 30, 0).unwrap());
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2024, 10, 1).unwrap());
        let clock = FixedClock::new(Utc.with_ymd_and_hms(2024, 9, 30, 15, 59, 59).unwrap());
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2024, 9, 30).unwrap());
    }

    #[test]
    fn fixed_clock_moves_through_arc() {
        let start = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let fixed = Arc::new(FixedClock::new(start));
        let shared: SharedClock = fixed.clone();
        fixed.advance(Duration::hours(36));
        assert_eq!(shared.now(), start + Duration::hours(36));
        fixed.advance(Duration::hours(-12));
        assert_eq!(shared.now(), start + Duration::hours(24));
        fixed.set(start);
        assert_eq!(shared.now(), start);
    }

    #[test]
    fn advance_saturates_instead_of_panicking() {
        let clock = FixedClock::new(DateTime::<Utc>::MAX_UTC - Duration::days(1));
        clock.advance(Duration::days(10));
        assert_eq!(clock.now(), DateTime::<Utc>::MAX_UTC);
    }

    #[test]
    fn china_offset_is_plus_eight() {
        assert_eq!(china_offset().local_minus_utc(), 8 * 3600);
    }

    #[test]
    fn system_clock_is_near_utc_now() {
        let diff = SystemClock.now() - Utc::now();
        assert!(diff.num_seconds().abs() < 5);
    }
}
