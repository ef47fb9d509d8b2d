//! Async notifies and sync returns: parse from raw bytes, verify with the Alipay public key, type.
//!
//! ```no_run
//! # let (body, key): (&[u8], alipay::PublicKey) = unimplemented!();
//! let notify = alipay::callback::verify_notify(body, &key)?;
//! if notify.trade_status.is_paid() { /* check amount, seller, app, then mark paid */ }
//! # Ok::<(), alipay::CallbackError>(())
//! ```

mod notify;
mod parse;

pub use notify::{Notify, ReturnParams, verify_notify, verify_return};
pub use parse::{parse_form, parse_query};

use crate::sign::SignError;
use std::fmt;
use std::str::FromStr;

/// The body a notify handler must answer once it has processed a notify (exactly this, nothing else).
///
/// ```
/// assert_eq!(alipay::callback::NOTIFY_ACK, "success");
/// ```
pub const NOTIFY_ACK: &str = "success";

/// A trade's status as Alipay reports it.
///
/// ```
/// use alipay::TradeStatus;
/// assert_eq!("TRADE_SUCCESS".parse::<TradeStatus>().unwrap(), TradeStatus::TradeSuccess);
/// assert!(TradeStatus::TradeFinished.is_paid());
/// assert!(!TradeStatus::TradeClosed.is_paid());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TradeStatus {
    /// Created, waiting for the buyer.
    WaitBuyerPay,
    /// Closed unpaid, or fully refunded.
    TradeClosed,
    /// Paid, refundable.
    TradeSuccess,
    /// Paid, no longer refundable.
    TradeFinished,
}

impl TradeStatus {
    /// The wire name.
    ///
    /// ```
    /// assert_eq!(alipay::TradeStatus::WaitBuyerPay.as_str(), "WAIT_BUYER_PAY");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            TradeStatus::WaitBuyerPay => "WAIT_BUYER_PAY",
            TradeStatus::TradeClosed => "TRADE_CLOSED",
            TradeStatus::TradeSuccess => "TRADE_SUCCESS",
            TradeStatus::TradeFinished => "TRADE_FINISHED",
        }
    }

    /// Only `TRADE_SUCCESS` and `TRADE_FINISHED` mean the money moved.
    ///
    /// ```
    /// assert!(!alipay::TradeStatus::WaitBuyerPay.is_paid());
    /// ```
    pub fn is_paid(self) -> bool {
        matches!(self, TradeStatus::TradeSuccess | TradeStatus::TradeFinished)
    }
}

impl fmt::Display for TradeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown trade status string.
///
/// ```
/// assert!("PAID".parse::<alipay::TradeStatus>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown trade_status {0:?}")]
pub struct UnknownTradeStatus(pub String);

impl FromStr for TradeStatus {
    type Err = UnknownTradeStatus;
    fn from_str(s: &str) -> Result<TradeStatus, UnknownTradeStatus> {
        Ok(match s {
            "WAIT_BUYER_PAY" => TradeStatus::WaitBuyerPay,
            "TRADE_CLOSED" => TradeStatus::TradeClosed,
            "TRADE_SUCCESS" => TradeStatus::TradeSuccess,
            "TRADE_FINISHED" => TradeStatus::TradeFinished,
            other => return Err(UnknownTradeStatus(other.to_owned())),
        })
    }
}

/// Why a notify or return was rejected.
///
/// ```
/// use alipay::{CallbackError, SignError};
/// let e = alipay::callback::parse_form(b"a=%zz").unwrap_err();
/// assert!(matches!(e, CallbackError::Malformed(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    /// Not a valid form / query string (bad percent-escape, bad charset bytes, duplicate key).
    #[error("malformed callback: {0}")]
    Malformed(String),
    /// A required field is absent or empty.
    #[error("the callback has no {0}")]
    Missing(&'static str),
    /// A field has a value of the wrong form.
    #[error("the callback's {field} {value:?} is invalid")]
    Invalid {
        /// The field.
        field: &'static str,
        /// The value received.
        value: String,
    },
    /// The signature check failed (missing, bad base64, unsupported sign_type, mismatch).
    #[error(transparent)]
    Sign(#[from] SignError),
}
