//! Typed answers of the four companion APIs.

use super::ApiError;
use crate::callback::TradeStatus;
use crate::clock::parse_beijing;
use crate::money::Money;
use chrono::{DateTime, Utc};
use serde_json::Value;

fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn req(v: &Value, k: &str) -> Result<String, ApiError> {
    s(v, k).ok_or_else(|| ApiError::Malformed(format!("the answer has no {k}")))
}

fn money(v: &Value, k: &str) -> Result<Option<Money>, ApiError> {
    s(v, k)
        .map(|m| {
            m.parse()
                .map_err(|_| ApiError::Malformed(format!("{k} {m:?} is not an amount")))
        })
        .transpose()
}

/// `alipay.trade.query`.
///
/// ```no_run
/// # async fn f(client: alipay::Client) -> Result<(), alipay::ApiError> {
/// let q = client.query("C42").await?;
/// if q.trade_status.is_paid() { /* ... */ }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct QueryResponse {
    /// Alipay's trade number.
    pub trade_no: String,
    /// The merchant order number.
    pub out_trade_no: String,
    /// The status.
    pub trade_status: TradeStatus,
    /// The order total.
    pub total_amount: Money,
    /// The buyer.
    pub buyer_user_id: Option<String>,
    /// When the payment went through.
    pub send_pay_date: Option<DateTime<Utc>>,
    /// The verified `*_response` object.
    pub raw: Value,
}

impl QueryResponse {
    pub(crate) fn from_value(v: Value) -> Result<QueryResponse, ApiError> {
        let status = req(&v, "trade_status")?;
        Ok(QueryResponse {
            trade_no: req(&v, "trade_no")?,
            out_trade_no: req(&v, "out_trade_no")?,
            trade_status: status
                .parse()
                .map_err(|_| ApiError::Malformed(format!("unknown trade_status {status:?}")))?,
            total_amount: money(&v, "total_amount")?
                .ok_or_else(|| ApiError::Malformed("the answer has no total_amount".into()))?,
            buyer_user_id: s(&v, "buyer_user_id"),
            send_pay_date: s(&v, "send_pay_date")
                .map(|d| parse_beijing(&d).map_err(|e| ApiError::Malformed(e.to_string())))
                .transpose()?,
            raw: v,
        })
    }
}

/// `alipay.trade.refund`: `10000` means accepted; confirm with refund query.
///
/// ```no_run
/// # async fn f(client: alipay::Client) -> Result<(), alipay::ApiError> {
/// let r = client.refund("C42", "10.00".parse().unwrap(), "C42_R1").await?;
/// println!("fund_change={} refunded so far {}", r.fund_change, r.refund_fee);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RefundResponse {
    /// `fund_change` = `Y`.
    pub fund_change: bool,
    /// Cumulative refunded amount.
    pub refund_fee: Money,
    /// Alipay's trade number.
    pub trade_no: String,
    /// The verified `*_response` object.
    pub raw: Value,
}

impl RefundResponse {
    pub(crate) fn from_value(v: Value) -> Result<RefundResponse, ApiError> {
        Ok(RefundResponse {
            fund_change: s(&v, "fund_change").as_deref() == Some("Y"),
            refund_fee: money(&v, "refund_fee")?.unwrap_or_default(),
            trade_no: req(&v, "trade_no")?,
            raw: v,
        })
    }
}

/// `alipay.trade.fastpay.refund.query`.
///
/// ```no_run
/// # async fn f(client: alipay::Client) -> Result<(), alipay::ApiError> {
/// let r = client.refund_query("C42", "C42_R1").await?;
/// let done = r.refund_status.as_deref() == Some("REFUND_SUCCESS");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RefundQueryResponse {
    /// `REFUND_SUCCESS` once the money moved; absent while not.
    pub refund_status: Option<String>,
    /// This refund's amount.
    pub refund_amount: Option<Money>,
    /// The verified `*_response` object.
    pub raw: Value,
}

impl RefundQueryResponse {
    pub(crate) fn from_value(v: Value) -> Result<RefundQueryResponse, ApiError> {
        Ok(RefundQueryResponse {
            refund_status: s(&v, "refund_status"),
            refund_amount: money(&v, "refund_amount")?,
            raw: v,
        })
    }
}

/// `alipay.trade.close`.
///
/// ```no_run
/// # async fn f(client: alipay::Client) -> Result<(), alipay::ApiError> {
/// let c = client.close("C42").await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseResponse {
    /// Alipay's trade number (absent if the trade never reached the cashier).
    pub trade_no: Option<String>,
    /// The merchant order number.
    pub out_trade_no: String,
}

impl CloseResponse {
    pub(crate) fn from_value(v: &Value, out_trade_no: &str) -> CloseResponse {
        CloseResponse {
            trade_no: s(v, "trade_no"),
            out_trade_no: s(v, "out_trade_no").unwrap_or_else(|| out_trade_no.to_owned()),
        }
    }
}
