//! Money in yuan, held as an integer number of cents (fen). No floats anywhere.

use std::fmt;
use std::str::FromStr;

/// Why a money string or amount was rejected.
///
/// ```
/// use alipay::money::{Money, MoneyError};
/// assert!(matches!("1.001".parse::<Money>(), Err(MoneyError::TooManyDecimals(_))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The text was empty.
    #[error("the amount is empty")]
    Empty,
    /// The text is not of the form `123`, `123.4` or `123.45`.
    #[error(
        "{0:?} is not an amount in yuan like \"99.00\" (digits, optionally a dot and one or two decimals)"
    )]
    Invalid(String),
    /// More than two decimals.
    #[error(
        "{0:?} has more than two decimals; Alipay amounts are in yuan with at most two decimals"
    )]
    TooManyDecimals(String),
    /// The number does not fit in 64-bit cents.
    #[error("{0:?} is too large")]
    Overflow(String),
    /// Outside the range Alipay accepts for `total_amount` (0.01 to 100000000.00).
    #[error("{0} is outside the range Alipay accepts (0.01 to 100000000.00)")]
    OutOfRange(Money),
}

/// An amount in yuan, stored as cents.
///
/// ```
/// use alipay::money::Money;
/// let m: Money = "99.9".parse().unwrap();
/// assert_eq!(m.cents(), 9990);
/// assert_eq!(m.to_string(), "99.90");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Money(i64);

impl Money {
    /// Builds an amount from cents, without a range check.
    ///
    /// ```
    /// assert_eq!(alipay::money::Money::from_cents(1).to_string(), "0.01");
    /// ```
    pub const fn from_cents(cents: i64) -> Money {
        Money(cents)
    }

    /// The amount in cents.
    ///
    /// ```
    /// assert_eq!(alipay::money::Money::from_cents(250).cents(), 250);
    /// ```
    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Adds two amounts, `None` on overflow.
    ///
    /// ```
    /// use alipay::money::Money;
    /// assert_eq!(Money::from_cents(1).checked_add(Money::from_cents(2)), Some(Money::from_cents(3)));
    /// assert_eq!(Money::from_cents(i64::MAX).checked_add(Money::from_cents(1)), None);
    /// ```
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// Subtracts, `None` on overflow.
    ///
    /// ```
    /// use alipay::money::Money;
    /// assert_eq!(Money::from_cents(5).checked_sub(Money::from_cents(2)), Some(Money::from_cents(3)));
    /// ```
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }
}

/// The smallest `total_amount` Alipay accepts: 0.01.
///
/// ```
/// assert_eq!(alipay::money::MIN_TOTAL_AMOUNT.to_string(), "0.01");
/// ```
pub const MIN_TOTAL_AMOUNT: Money = Money(1);
/// The largest `total_amount` Alipay accepts: 100000000.00.
///
/// ```
/// assert_eq!(alipay::money::MAX_TOTAL_AMOUNT.to_string(), "100000000.00");
/// ```
pub const MAX_TOTAL_AMOUNT: Money = Money(10_000_000_000);

/// Checks `0.01 ..= 100000000.00`, the range of `total_amount` (and `refund_amount`).
///
/// ```
/// use alipay::money::{validate_total_amount, Money};
/// assert!(validate_total_amount(Money::from_cents(1)).is_ok());
/// assert!(validate_total_amount(Money::from_cents(0)).is_err());
/// assert!(validate_total_amount(Money::from_cents(10_000_000_001)).is_err());
/// ```
pub fn validate_total_amount(m: Money) -> Result<(), MoneyError> {
    if (MIN_TOTAL_AMOUNT..=MAX_TOTAL_AMOUNT).contains(&m) {
        Ok(())
    } else {
        Err(MoneyError::OutOfRange(m))
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Money, MoneyError> {
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(int) {
            return Err(MoneyError::Invalid(s.to_owned()));
        }
        let frac_cents: i64 = match frac {
            None => 0,
            Some(f) if !digits(f) => return Err(MoneyError::Invalid(s.to_owned())),
            Some(f) if f.len() > 2 => return Err(MoneyError::TooManyDecimals(s.to_owned())),
            Some(f) => f
                .bytes()
                .zip([10i64, 1])
                .map(|(b, w)| i64::from(b - b'0') * w)
                .sum(),
        };
        let overflow = || MoneyError::Overflow(s.to_owned());
        let mut yuan: i64 = 0;
        for b in int.bytes() {
            yuan = yuan
                .checked_mul(10)
                .and_then(|v| v.checked_add(i64::from(b - b'0')))
                .ok_or_else(overflow)?;
        }
        yuan.checked_mul(100)
            .and_then(|c| c.checked_add(frac_cents))
            .map(Money)
            .ok_or_else(overflow)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_usual_shapes() {
        assert_eq!("99".parse(), Ok(Money(9900)));
        assert_eq!("99.9".parse(), Ok(Money(9990)));
        assert_eq!("99.00".parse(), Ok(Money(9900)));
        assert_eq!("0.01".parse(), Ok(Money(1)));
        assert_eq!("007.05".parse(), Ok(Money(705)));
        assert_eq!("100000000.00".parse(), Ok(MAX_TOTAL_AMOUNT));
    }

    #[test]
    fn rejects_bad_shapes() {
        for bad in [
            "", " 1", "1 ", "+1", "-1", "1e2", "1.", ".5", "1.2.3", "1,00", "０", "NaN", "1.0a",
        ] {
            assert!(bad.parse::<Money>().is_err(), "{bad:?} accepted");
        }
        assert_eq!("".parse::<Money>(), Err(MoneyError::Empty));
        assert!(matches!(
            "1.001".parse::<Money>(),
            Err(MoneyError::TooManyDecimals(_))
        ));
        assert!(matches!(
            "99999999999999999999".parse::<Money>(),
            Err(MoneyError::Overflow(_))
        ));
        assert!(matches!(
            "92233720368547758.08".parse::<Money>(),
            Err(MoneyError::Overflow(_))
        ));
    }

    #[test]
    fn displays_two_decimals() {
        assert_eq!(Money(0).to_string(), "0.00");
        assert_eq!(Money(5).to_string(), "0.05");
        assert_eq!(Money(-5).to_string(), "-0.05");
        assert_eq!(Money(i64::MIN).to_string(), "-92233720368547758.08");
    }

    #[test]
    fn range() {
        assert!(validate_total_amount(Money(1)).is_ok());
        assert!(validate_total_amount(MAX_TOTAL_AMOUNT).is_ok());
        assert!(validate_total_amount(Money(0)).is_err());
        assert!(validate_total_amount(Money(-1)).is_err());
        assert!(validate_total_amount(Money(MAX_TOTAL_AMOUNT.0 + 1)).is_err());
    }

    #[test]
    fn serde_as_string() {
        let m: Money = serde_json::from_str("\"12.3\"").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"12.30\"");
        assert!(serde_json::from_str::<Money>("12.3").is_err());
    }
}
