//! An injectable clock and Beijing-time (GMT+8) formatting, `yyyy-MM-dd HH:mm:ss`.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset, TimeZone, Utc};

/// The format Alipay uses for every timestamp.
///
/// ```
/// assert_eq!(alipay::clock::BEIJING_FORMAT, "%Y-%m-%d %H:%M:%S");
/// ```
pub const BEIJING_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// A source of the current time, injectable for tests.
///
/// ```
/// use alipay::clock::{Clock, SystemClock};
/// let now = SystemClock.now();
/// assert!(now.timestamp() > 0);
/// ```
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The real wall clock.
///
/// ```
/// use alipay::clock::{Clock, SystemClock};
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
/// use alipay::clock::{beijing, parse_beijing, Clock, FixedClock};
/// let clock = FixedClock(parse_beijing("2024-01-02 03:04:05").unwrap());
/// assert_eq!(beijing(clock.now()), "2024-01-02 03:04:05");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// A time string that is not `yyyy-MM-dd HH:mm:ss`.
///
/// ```
/// assert!(alipay::clock::parse_beijing("yesterday").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a Beijing time of the form yyyy-MM-dd HH:mm:ss")]
pub struct TimeError(pub String);

/// Beijing time (GMT+8, no daylight saving): the one place the offset is spelled out.
///
/// ```
/// assert_eq!(alipay::clock::gmt8().local_minus_utc(), 8 * 3600);
/// ```
pub fn gmt8() -> FixedOffset {
    // 8 hours is always a valid offset; `east_opt` only fails beyond ±24h.
    FixedOffset::east_opt(8 * 3600).unwrap_or(Utc.fix())
}

/// An instant as Beijing wall-clock time.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// let t = Utc.with_ymd_and_hms(2024, 1, 1, 16, 30, 0).unwrap();
/// assert_eq!(alipay::clock::in_beijing(t).to_string(), "2024-01-02 00:30:00 +08:00");
/// ```
pub fn in_beijing(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&gmt8())
}

/// Formats an instant as Beijing time with any `chrono` format string.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// let t = Utc.with_ymd_and_hms(2024, 1, 1, 16, 30, 0).unwrap();
/// assert_eq!(alipay::clock::beijing_fmt(t, "%Y%m%d%H%M%S"), "20240102003000");
/// ```
pub fn beijing_fmt(t: DateTime<Utc>, fmt: &str) -> String {
    in_beijing(t).format(fmt).to_string()
}

/// The Beijing calendar day of an instant, `yyyy-MM-dd` (how days are bucketed).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// let t = Utc.with_ymd_and_hms(2024, 1, 1, 16, 30, 0).unwrap();
/// assert_eq!(alipay::clock::beijing_date(t), "2024-01-02");
/// ```
pub fn beijing_date(t: DateTime<Utc>) -> String {
    beijing_fmt(t, "%Y-%m-%d")
}

/// Formats an instant as Beijing time, `yyyy-MM-dd HH:mm:ss`.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// let t = Utc.with_ymd_and_hms(2024, 1, 1, 16, 30, 0).unwrap();
/// assert_eq!(alipay::clock::beijing(t), "2024-01-02 00:30:00");
/// ```
pub fn beijing(t: DateTime<Utc>) -> String {
    beijing_fmt(t, BEIJING_FORMAT)
}

/// Parses a Beijing time `yyyy-MM-dd HH:mm:ss` into UTC. An optional fraction of a second
/// (`.SSS`, as Alipay writes `gmt_refund`) is accepted and kept.
///
/// ```
/// let t = alipay::clock::parse_beijing("2024-01-02 00:30:00").unwrap();
/// assert_eq!(t.to_rfc3339(), "2024-01-01T16:30:00+00:00");
/// let r = alipay::clock::parse_beijing("2024-01-02 00:30:00.123").unwrap();
/// assert_eq!(r.timestamp_subsec_millis(), 123);
/// ```
pub fn parse_beijing(s: &str) -> Result<DateTime<Utc>, TimeError> {
    let err = || TimeError(s.to_owned());
    let (seconds, fraction) = match s.get(19..) {
        Some("") => (s, None),
        Some(rest) => (s.get(..19).ok_or_else(err)?, Some(rest)),
        None => return Err(err()),
    };
    if let Some(f) = fraction {
        let digits = f.strip_prefix('.').ok_or_else(err)?;
        if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
    }
    let naive = match fraction {
        None => NaiveDateTime::parse_from_str(seconds, BEIJING_FORMAT),
        Some(_) => NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f"),
    }
    .map_err(|_| err())?;
    gmt8()
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects() {
        let t = parse_beijing("2023-12-31 23:59:59").unwrap();
        assert_eq!(beijing(t), "2023-12-31 23:59:59");
        for bad in [
            "",
            "2023-12-31",
            "2023-12-31T23:59:59",
            "2023-13-01 00:00:00",
            "2023-12-31 23:59:59 ",
            "2023-12-31 23:59:59.",
            "2023-12-31 23:59:59.12a",
            "2023-12-31 23:59:59,123",
            "2023-12-31 23:59:59.1234567890",
        ] {
            assert!(parse_beijing(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn accepts_milliseconds_as_gmt_refund_carries_them() {
        let t = parse_beijing("2026-11-27 12:00:00.123").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-27T04:00:00.123+00:00");
        assert_eq!(beijing(t), "2026-11-27 12:00:00");
        assert_eq!(
            parse_beijing("2026-11-27 12:00:00.5")
                .unwrap()
                .timestamp_subsec_millis(),
            500
        );
    }
}
