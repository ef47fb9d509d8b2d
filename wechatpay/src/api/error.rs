//! Errors of API calls, with WeChat Pay's `{code, message, detail}` answers typed.

use crate::sign::SignError;
use crate::verify::VerifyError;
use serde_json::Value;
use std::fmt;

/// The `code` of an error answer; unknown codes keep their text.
///
/// ```
/// use wechatpay::api::ErrorCode;
/// assert_eq!(ErrorCode::parse("ORDER_NOT_EXIST"), ErrorCode::OrderNotExist);
/// assert_eq!(ErrorCode::parse("ORDERNOTEXIST"), ErrorCode::OrderNotExist);
/// assert_eq!(ErrorCode::parse("NEW_CODE"), ErrorCode::Other("NEW_CODE".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum ErrorCode {
    ParamError,
    InvalidRequest,
    AppidMchidNotMatch,
    MchNotExists,
    OrderClosed,
    OrderPaid,
    SignError,
    NoAuth,
    OutTradeNoUsed,
    RuleLimit,
    TradeError,
    AccountError,
    NotEnough,
    OrderNotExist,
    ResourceNotExists,
    FrequencyLimited,
    SystemError,
    BankError,
    OpenidMismatch,
    InvalidTransactionid,
    /// A code this crate does not name.
    Other(String),
}

impl ErrorCode {
    /// Maps a `code` (the APIv2 spellings without underscores are accepted too).
    pub fn parse(code: &str) -> ErrorCode {
        use ErrorCode::*;
        match code {
            "PARAM_ERROR" => ParamError,
            "INVALID_REQUEST" => InvalidRequest,
            "APPID_MCHID_NOT_MATCH" => AppidMchidNotMatch,
            "MCH_NOT_EXISTS" => MchNotExists,
            "ORDER_CLOSED" | "ORDERCLOSED" => OrderClosed,
            "ORDERPAID" | "ORDER_PAID" => OrderPaid,
            "SIGN_ERROR" => SignError,
            "NO_AUTH" => NoAuth,
            "OUT_TRADE_NO_USED" => OutTradeNoUsed,
            "RULE_LIMIT" => RuleLimit,
            "TRADE_ERROR" => TradeError,
            "ACCOUNT_ERROR" => AccountError,
            "NOT_ENOUGH" => NotEnough,
            "ORDER_NOT_EXIST" | "ORDERNOTEXIST" => OrderNotExist,
            "RESOURCE_NOT_EXISTS" => ResourceNotExists,
            "FREQUENCY_LIMITED" => FrequencyLimited,
            "SYSTEM_ERROR" | "SYSTEMERROR" => SystemError,
            "BANK_ERROR" => BankError,
            "OPENID_MISMATCH" => OpenidMismatch,
            "INVALID_TRANSACTIONID" => InvalidTransactionid,
            other => Other(other.chars().take(64).collect()),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorCode::Other(s) => f.write_str(s),
            known => write!(f, "{known:?}"),
        }
    }
}

/// A request that cannot be sent as built: caught before signing.
///
/// ```
/// use wechatpay::api::RequestError;
/// assert!(RequestError::Field { field: "out_trade_no", rule: "6–32 characters" }.to_string().contains("out_trade_no"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// A field breaks WeChat Pay's rules.
    #[error("{field} is invalid: it must be {rule}")]
    Field {
        /// The field.
        field: &'static str,
        /// The rule it breaks.
        rule: &'static str,
    },
}

/// Every way an API call can fail.
///
/// ```
/// use wechatpay::api::{ApiError, ErrorCode};
/// let e = ApiError::Business { status: 404, code: ErrorCode::OrderNotExist, message: "订单不存在".into(), detail: None };
/// assert!(e.is_code(&ErrorCode::OrderNotExist));
/// assert!(!e.is_retryable());
/// ```
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request was refused before sending.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// Our key could not sign.
    #[error("signing the request failed")]
    Signing(#[from] SignError),
    /// WeChat Pay answered an error.
    #[error("WeChat Pay answered HTTP {status} {code}: {message}")]
    Business {
        /// HTTP status.
        status: u16,
        /// The code.
        code: ErrorCode,
        /// The message (Chinese).
        message: String,
        /// `detail`, when sent.
        detail: Option<Value>,
    },
    /// A 2xx answer whose signature did not verify: never trusted.
    #[error("the answer's signature did not verify")]
    Verify(#[from] VerifyError),
    /// Transport failure.
    #[error("HTTP request to WeChat Pay failed: {0}")]
    Http(String),
    /// No answer in time.
    #[error("WeChat Pay did not answer in time")]
    Timeout,
    /// An answer that is not what the API documents.
    #[error("unexpected answer from WeChat Pay: {0}")]
    Malformed(String),
}

impl ApiError {
    /// True for an error answer with this code.
    pub fn is_code(&self, code: &ErrorCode) -> bool {
        matches!(self, ApiError::Business { code: c, .. } if c == code)
    }

    /// True when the same request may be sent again (transport, 5xx, rate limit).
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Http(_) | ApiError::Timeout => true,
            ApiError::Business { status, code, .. } => {
                *status >= 500
                    || *status == 429
                    || matches!(code, ErrorCode::SystemError | ErrorCode::FrequencyLimited)
            }
            _ => false,
        }
    }
}

/// Maps a non-2xx answer body to [`ApiError::Business`] (or `Malformed` when it is not `{code, message}`).
///
/// ```
/// let e = wechatpay::api::error_from_answer(404, r#"{"code":"ORDER_NOT_EXIST","message":"订单不存在"}"#.as_bytes());
/// assert!(e.is_code(&wechatpay::api::ErrorCode::OrderNotExist));
/// ```
pub fn error_from_answer(status: u16, body: &[u8]) -> ApiError {
    let v: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => return ApiError::Malformed(format!("HTTP {status} without a JSON error body")),
    };
    match (
        v.get("code").and_then(Value::as_str),
        v.get("message").and_then(Value::as_str),
    ) {
        (Some(code), message) => ApiError::Business {
            status,
            code: ErrorCode::parse(code),
            message: message.unwrap_or_default().chars().take(512).collect(),
            detail: v.get("detail").cloned(),
        },
        _ => ApiError::Malformed(format!("HTTP {status} without an error code")),
    }
}
