//! The decrypted resources: a transaction (also what a query answers) and a refund.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// `trade_state`.
///
/// ```
/// let s: wechatpay::notify::TradeState = serde_json::from_str("\"NOTPAY\"").unwrap();
/// assert!(!s.is_paid());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TradeState {
    /// Paid.
    Success,
    /// Paid, then (partly) refunded.
    Refund,
    /// Not paid yet.
    Notpay,
    /// Closed unpaid.
    Closed,
    /// Revoked (payment-code orders).
    Revoked,
    /// The payer is entering a password (payment-code orders).
    Userpaying,
    /// Payment failed (payment-code orders).
    Payerror,
}

impl TradeState {
    /// True when money was received (`SUCCESS`, or `REFUND` after a refund).
    ///
    /// ```
    /// assert!(wechatpay::notify::TradeState::Refund.is_paid());
    /// ```
    pub fn is_paid(self) -> bool {
        matches!(self, TradeState::Success | TradeState::Refund)
    }
}

/// `trade_type` (H5 reports `MWEB`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TradeType {
    /// In-WeChat web page or mini program.
    Jsapi,
    /// QR code.
    Native,
    /// App.
    App,
    /// Payment code.
    Micropay,
    /// H5 in a mobile browser.
    Mweb,
    /// Face payment.
    Facepay,
}

/// `payer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payer {
    /// The payer's openid under the appid.
    pub openid: String,
}

/// `amount` of a transaction, in fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionAmount {
    /// Order total in fen.
    pub total: i64,
    /// What the payer paid in fen (absent while unpaid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_total: Option<i64>,
    /// `CNY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// `CNY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_currency: Option<String>,
}

/// A transaction: the `TRANSACTION.SUCCESS` resource and the order query answer.
///
/// ```
/// let t: wechatpay::notify::Transaction = serde_json::from_str(r#"{"appid":"wx1","mchid":"1",
///     "out_trade_no":"C0000001","trade_state":"NOTPAY","amount":{"total":100,"currency":"CNY"}}"#).unwrap();
/// assert_eq!(t.amount.total, 100);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    /// The appid.
    pub appid: String,
    /// The merchant id.
    pub mchid: String,
    /// Our order number.
    pub out_trade_no: String,
    /// WeChat Pay's transaction id (absent while unpaid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// How it was paid (absent while unpaid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_type: Option<TradeType>,
    /// The state.
    pub trade_state: TradeState,
    /// A description of the state, e.g. 支付成功.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_state_desc: Option<String>,
    /// The payer's bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_type: Option<String>,
    /// What we attached to the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attach: Option<String>,
    /// When it was paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_time: Option<DateTime<FixedOffset>>,
    /// Who paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<Payer>,
    /// The amounts in fen.
    pub amount: TransactionAmount,
}

/// `status` / `refund_status` of a refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RefundStatus {
    /// Refunded.
    Success,
    /// Closed.
    Closed,
    /// Being processed.
    Processing,
    /// Failed: the payer's account is abnormal; handle it in the merchant platform.
    Abnormal,
}

/// `amount` of a refund, in fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundAmount {
    /// Order total in fen.
    pub total: i64,
    /// This refund in fen.
    pub refund: i64,
    /// What the payer paid in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_total: Option<i64>,
    /// What the payer gets back in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_refund: Option<i64>,
    /// `CNY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// A refund: the `REFUND.*` resource, and the refund create/query answer.
///
/// ```
/// let r: wechatpay::notify::Refund = serde_json::from_str(r#"{"out_trade_no":"C1","out_refund_no":"R1",
///     "refund_id":"50","transaction_id":"42","refund_status":"SUCCESS","amount":{"total":100,"refund":40}}"#).unwrap();
/// assert_eq!(r.status, wechatpay::notify::RefundStatus::Success);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
    /// The merchant id (in notifications).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mchid: Option<String>,
    /// Our order number.
    pub out_trade_no: String,
    /// WeChat Pay's transaction id.
    pub transaction_id: String,
    /// Our refund number.
    pub out_refund_no: String,
    /// WeChat Pay's refund id.
    pub refund_id: String,
    /// `refund_status` in notifications, `status` in answers.
    #[serde(alias = "refund_status")]
    pub status: RefundStatus,
    /// `ORIGINAL`, `BALANCE`, ... (answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Where the money went, e.g. 招商银行信用卡0403.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_received_account: Option<String>,
    /// When it succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_time: Option<DateTime<FixedOffset>>,
    /// When it was created (answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<DateTime<FixedOffset>>,
    /// The amounts in fen.
    pub amount: RefundAmount,
}
