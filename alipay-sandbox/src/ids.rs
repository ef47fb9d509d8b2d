//! Identifiers in Alipay's shapes, and the sandbox buyer.

use alipay::clock::beijing_fmt as beijing_date;
use chrono::{DateTime, Utc};
use rand::Rng;

/// The sandbox buyer's login, shown on the cashier page.
pub const BUYER_ACCOUNT: &str = "sandbox_buyer@alipaydev.com";
/// The sandbox buyer's password, shown on the cashier page.
pub const BUYER_PASSWORD: &str = "111111";
/// The sandbox buyer's user id (`2088` + 12 digits).
pub const BUYER_ID: &str = "2088722005286475";
/// The masked logon id Alipay sends for the buyer.
pub const BUYER_LOGON_ID: &str = "san***@alipaydev.com";

fn digits(n: usize) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// A 28-digit trade number: `yyyyMMdd` + `22001` + 15 random digits.
pub fn trade_no(now: DateTime<Utc>) -> String {
    format!("{}22001{}", beijing_date(now, "%Y%m%d"), digits(15))
}

/// A notify id: `yyyyMMdd` + `0022` + `HHmmss` + 16 random digits.
pub fn notify_id(now: DateTime<Utc>) -> String {
    format!(
        "{}0022{}{}",
        beijing_date(now, "%Y%m%d"),
        beijing_date(now, "%H%M%S"),
        digits(16)
    )
}

/// Beijing time with milliseconds (`gmt_refund`'s shape).
pub fn beijing_millis(t: DateTime<Utc>) -> String {
    beijing_date(t, "%Y-%m-%d %H:%M:%S%.3f")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let t = trade_no(Utc::now());
        assert_eq!(t.len(), 28);
        assert!(t.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(BUYER_ID.len(), 16);
        assert!(BUYER_ID.starts_with("2088"));
        assert_eq!(beijing_millis(Utc::now()).len(), 23);
    }
}
