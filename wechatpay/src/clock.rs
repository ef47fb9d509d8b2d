//! An injectable clock and nonces: pure functions take `now` and a nonce; only [`SystemClock`] and
//! [`random_nonce`] touch the outside world.

use chrono::{DateTime, Utc};

/// A source of the current time, injectable for tests.
///
/// ```
/// use wechatpay::clock::{Clock, SystemClock};
/// assert!(SystemClock.now().timestamp() > 0);
/// ```
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The real wall clock.
///
/// ```
/// use wechatpay::clock::{Clock, SystemClock};
/// let _ = SystemClock.now();
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stuck at one instant (tests, fixtures).
///
/// ```
/// use wechatpay::clock::{Clock, FixedClock};
/// let at = chrono::DateTime::from_timestamp(1554208460, 0).unwrap();
/// assert_eq!(FixedClock(at).now(), at);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// 32 random uppercase hex characters from the operating system's generator (as the SDKs send).
///
/// ```
/// let n = wechatpay::clock::random_nonce()?;
/// assert_eq!(n.len(), 32);
/// assert!(n.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)));
/// # Ok::<(), getrandom::Error>(())
/// ```
pub fn random_nonce() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02X}")).collect())
}
