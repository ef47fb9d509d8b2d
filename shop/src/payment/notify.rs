//! The asynchronous notify: verify, check, apply, answer.
use crate::Shop;
use crate::payment::event::{Event, record};
use crate::payment::{PaymentFact, Source, Verdict, apply_payment_fact};

/// What to answer Alipay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotifyAnswer {
    /// The fact is durably applied (or was already): Alipay stops.
    Success,
    /// Not applied: Alipay retries on its schedule.
    Failure,
}

impl NotifyAnswer {
    /// The exact body Alipay expects.
    pub fn body(self) -> &'static str {
        match self {
            NotifyAnswer::Success => "success",
            NotifyAnswer::Failure => "failure",
        }
    }
}

/// Handles a raw notify body. Never panics and never errors: every outcome is an answer, and every
/// notify (verified or not) is recorded with its verdict.
///
/// ```no_run
/// # async fn f(shop: &shop::Shop, body: &[u8]) {
/// let answer = shop::payment::handle_notify(shop, body).await;
/// assert!(matches!(answer.body(), "success" | "failure"));
/// # }
/// ```
pub async fn handle_notify(shop: &Shop, body: &[u8]) -> NotifyAnswer {
    let raw = String::from_utf8_lossy(body);
    let notify =
        match alipay::callback::verify_notify(body, &shop.alipay().config().alipay_public_key) {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "notify refused before verification");
                let out_trade_no = alipay::callback::parse_form(body)
                    .ok()
                    .and_then(|p| p.get("out_trade_no").cloned())
                    .unwrap_or_default();
                let event = Event {
                    order_id: None,
                    out_trade_no: &out_trade_no,
                    source: Source::Notify.as_str(),
                    notify_id: None,
                    trade_status: None,
                    verdict: Verdict::BadSignature.as_str(),
                    detail: e.to_string(),
                    raw: &raw,
                };
                let _turn = shop.write_turn().await;
                if let Err(e) = record(shop.db(), event).await {
                    tracing::error!(error = %e, "could not record a refused notify");
                }
                return NotifyAnswer::Failure;
            }
        };
    let fact = PaymentFact {
        source: Source::Notify,
        out_trade_no: notify.out_trade_no,
        trade_no: notify.trade_no,
        trade_status: notify.trade_status,
        total_amount: notify.total_amount,
        app_id: Some(notify.app_id),
        seller_id: notify.seller_id,
        buyer_id: notify.buyer_id,
        paid_at: notify.gmt_payment,
        refund_fee: notify.refund_fee,
        notify_id: Some(notify.notify_id),
        raw: raw.into_owned(),
    };
    match apply_payment_fact(shop, &fact).await {
        Ok(v) if v.is_settled() => NotifyAnswer::Success,
        Ok(_) => NotifyAnswer::Failure,
        Err(e) => {
            tracing::error!(error = ?e, out_trade_no = %fact.out_trade_no, "notify not applied");
            NotifyAnswer::Failure
        }
    }
}
