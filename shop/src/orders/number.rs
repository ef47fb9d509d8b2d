//! Merchant order numbers that are unique across workers and hosts without coordination:
//! `CP` + Beijing time to the second + 80 random bits in hex (36 characters, `[A-Z0-9]`).
use alipay::OutTradeNo;
use chrono::{DateTime, Utc};

use crate::ShopError;

/// A fresh order number for an order created at `now`.
///
/// ```
/// let n = shop::orders::number::new_out_trade_no(chrono::Utc::now()).unwrap();
/// assert_eq!(n.as_str().len(), 36);
/// assert!(n.as_str().starts_with("CP"));
/// ```
pub fn new_out_trade_no(now: DateTime<Utc>) -> Result<OutTradeNo, ShopError> {
    let mut random = [0u8; 10];
    getrandom::fill(&mut random).map_err(|e| ShopError::internal("no randomness", e))?;
    let mut s = format!("CP{}", alipay::clock::beijing_fmt(now, "%Y%m%d%H%M%S"));
    for b in random {
        s.push_str(&format!("{b:02X}"));
    }
    OutTradeNo::new(s).map_err(|e| ShopError::internal("order number", e))
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_do_not_collide() {
        let now = chrono::Utc::now();
        let set: std::collections::HashSet<String> = (0..10_000)
            .map(|_| super::new_out_trade_no(now).unwrap().as_str().to_owned())
            .collect();
        assert_eq!(set.len(), 10_000);
    }
}
