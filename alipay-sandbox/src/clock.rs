//! The scaled clock: simulated time runs `speed` times faster than real time.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

/// Simulated time = `start_sim + (real elapsed) * speed`.
#[derive(Debug)]
pub struct ScaledClock {
    start_real: Instant,
    start_sim: DateTime<Utc>,
    speed: u32,
}

impl ScaledClock {
    /// A clock reading `start` now, running `speed` times real time (0 is taken as 1).
    pub fn new(start: DateTime<Utc>, speed: u32) -> ScaledClock {
        ScaledClock {
            start_real: Instant::now(),
            start_sim: start,
            speed: speed.max(1),
        }
    }

    pub fn speed(&self) -> u32 {
        self.speed
    }

    /// The simulated time now.
    pub fn sim_now(&self) -> DateTime<Utc> {
        let elapsed = self.start_real.elapsed().saturating_mul(self.speed);
        let d = chrono::Duration::from_std(elapsed).unwrap_or(chrono::Duration::MAX);
        self.start_sim
            .checked_add_signed(d)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// How long to wait in real time until the clock reads `t` (zero if past).
    pub fn real_until(&self, t: DateTime<Utc>) -> Duration {
        let sim = (t - self.sim_now()).to_std().unwrap_or(Duration::ZERO);
        sim / self.speed
    }

    /// A real duration expressed in simulated time.
    pub fn sim_duration(&self, real: Duration) -> chrono::Duration {
        chrono::Duration::from_std(real.saturating_mul(self.speed)).unwrap_or(chrono::Duration::MAX)
    }
}

impl alipay::clock::Clock for ScaledClock {
    fn now(&self) -> DateTime<Utc> {
        self.sim_now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_scaled() {
        let start = Utc::now();
        let c = ScaledClock::new(start, 3600);
        std::thread::sleep(Duration::from_millis(20));
        let d = c.sim_now() - start;
        assert!(d >= chrono::Duration::seconds(70), "{d}");
        let later = c.sim_now() + chrono::Duration::hours(1);
        assert!(c.real_until(later) <= Duration::from_millis(1001));
    }
}
