//! Per-token rate limits: a token bucket per scenario token, refilled continuously at the
//! token's calls-per-minute, with a burst of the same size. Kept in memory per server: with
//! N servers behind a load balancer a token gets at most N times its rate (say so in the
//! deployment guide, or put the limiter in Redis when that matters).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// The limiter of one server.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<i64, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    /// Takes one call from token `id` allowed `per_minute` calls a minute: `Ok(())`, or
    /// `Err(seconds)` to wait before the next call is allowed.
    pub fn check(&self, id: i64, per_minute: i64, now: Instant) -> Result<(), u64> {
        let capacity = per_minute.max(1) as f64;
        let per_sec = capacity / 60.0;
        let mut map = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let b = map.entry(id).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
        b.tokens = (b.tokens + elapsed * per_sec).min(capacity);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - b.tokens) / per_sec;
            Err(wait.ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn allows_a_burst_then_refuses_until_refilled() {
        let l = RateLimiter::default();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(l.check(1, 3, t0), Ok(()));
        }
        // 3 a minute = one every 20 s.
        assert_eq!(l.check(1, 3, t0), Err(20));
        // Another token is not affected.
        assert_eq!(l.check(2, 3, t0), Ok(()));
        assert_eq!(l.check(1, 3, t0 + Duration::from_secs(10)), Err(10));
        assert_eq!(l.check(1, 3, t0 + Duration::from_secs(21)), Ok(()));
    }
}
