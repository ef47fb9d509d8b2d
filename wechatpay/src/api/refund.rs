//! The refund request body (`POST /v3/refund/domestic/refunds`), amounts in integer fen.

use super::RequestError;
use super::requests::{
    check_notify_url, check_out_refund_no, check_out_trade_no, check_text, field,
};
use serde_json::{Value, json};

/// A refund by `out_trade_no`: `POST /v3/refund/domestic/refunds`.
///
/// ```
/// use wechatpay::api::RefundRequest;
/// let r = RefundRequest::new("C20240101_0001", "C20240101_0001_R1", 500, 9900)?.reason("课程退款")?;
/// assert_eq!(r.body()["amount"], serde_json::json!({"refund": 500, "total": 9900, "currency": "CNY"}));
/// assert!(RefundRequest::new("C20240101_0001", "R1", 9901, 9900).is_err());
/// # Ok::<(), wechatpay::api::RequestError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    out_trade_no: String,
    out_refund_no: String,
    refund_fen: i64,
    total_fen: i64,
    reason: Option<String>,
    notify_url: Option<String>,
}

impl RefundRequest {
    /// `1 ≤ refund_fen ≤ total_fen`; the same `out_refund_no` always means the same refund.
    pub fn new(
        out_trade_no: &str,
        out_refund_no: &str,
        refund_fen: i64,
        total_fen: i64,
    ) -> Result<RefundRequest, RequestError> {
        check_out_trade_no(out_trade_no)?;
        check_out_refund_no(out_refund_no)?;
        field(
            total_fen >= 1,
            "amount.total",
            "an integer number of fen, at least 1",
        )?;
        field(
            (1..=total_fen).contains(&refund_fen),
            "amount.refund",
            "an integer number of fen from 1 to the order total",
        )?;
        Ok(RefundRequest {
            out_trade_no: out_trade_no.into(),
            out_refund_no: out_refund_no.into(),
            refund_fen,
            total_fen,
            reason: None,
            notify_url: None,
        })
    }

    /// Shown to the payer (≤ 80 characters).
    pub fn reason(mut self, reason: &str) -> Result<RefundRequest, RequestError> {
        check_text(
            reason,
            80,
            "reason",
            "1–80 characters without emoji or control characters",
        )?;
        self.reason = Some(reason.into());
        Ok(self)
    }

    /// Where `REFUND.*` notifications go.
    pub fn notify_url(mut self, url: &str) -> Result<RefundRequest, RequestError> {
        check_notify_url(url)?;
        self.notify_url = Some(url.into());
        Ok(self)
    }

    /// The refund number.
    pub fn out_refund_no(&self) -> &str {
        &self.out_refund_no
    }

    /// The JSON body (no mchid: the refund API takes none).
    pub fn body(&self) -> Value {
        let mut v = json!({
            "out_trade_no": self.out_trade_no,
            "out_refund_no": self.out_refund_no,
            "amount": { "refund": self.refund_fen, "total": self.total_fen, "currency": "CNY" },
        });
        if let Some(r) = &self.reason {
            v["reason"] = json!(r);
        }
        if let Some(u) = &self.notify_url {
            v["notify_url"] = json!(u);
        }
        v
    }
}
