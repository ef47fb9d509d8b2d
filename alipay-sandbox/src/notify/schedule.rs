//! Alipay's retry schedule: 8 notifies in about 25 hours.

use chrono::{DateTime, Duration, Utc};

/// The total number of attempts per notify.
pub const MAX_ATTEMPTS: i32 = 8;

/// The wait after attempt n (1-based) before attempt n+1: 4m, 10m, 10m, 1h, 2h, 6h, 15h.
pub fn interval_after(attempt: i32) -> Option<Duration> {
    let minutes = match attempt {
        1 => 4,
        2 | 3 => 10,
        4 => 60,
        5 => 120,
        6 => 360,
        7 => 900,
        _ => return None,
    };
    Some(Duration::minutes(minutes))
}

/// When attempt `done + 1` is due, given that attempt `done` was scheduled at `scheduled`;
/// `None` once all 8 are spent.
pub fn next_attempt(done: i32, scheduled: DateTime<Utc>) -> Option<DateTime<Utc>> {
    interval_after(done).map(|d| scheduled + d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_attempts_in_about_25_hours() {
        let t0 = Utc::now();
        let mut t = t0;
        let mut n = 1;
        while let Some(next) = next_attempt(n, t) {
            t = next;
            n += 1;
        }
        assert_eq!(n, MAX_ATTEMPTS);
        assert_eq!(
            t - t0,
            Duration::minutes(4 + 10 + 10 + 60 + 120 + 360 + 900)
        );
    }
}
