//! The asynchronous notify: verify, check, apply, answer.
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::Shop;
use crate::entity::order;
use crate::error::chain;
use crate::payment::event::{Event, MAX_DETAIL, cut, record};
use crate::payment::refusal::{UNKNOWN_ORDER, admit};
use crate::payment::{EventSource, PaymentFact, Source, Verdict, apply_payment_fact};

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
/// notify is recorded with its verdict, except refused ones beyond
/// [`MAX_STORED_PER_WINDOW`](crate::payment::MAX_STORED_PER_WINDOW) per order number per window:
/// those are only counted.
///
/// ```no_run
/// # async fn f(shop: &shop::Shop, body: &[u8]) {
/// let answer = shop::payment::handle_notify(shop, body).await;
/// assert!(matches!(answer.body(), "success" | "failure"));
/// # }
/// ```
#[tracing::instrument(skip_all, fields(out_trade_no = tracing::field::Empty))]
pub async fn handle_notify(shop: &Shop, body: &[u8]) -> NotifyAnswer {
    let raw = String::from_utf8_lossy(body);
    let notify =
        match alipay::callback::verify_notify(body, &shop.alipay().config().alipay_public_key) {
            Ok(n) => n,
            Err(e) => {
                refused(shop, body, &raw, &e.to_string()).await;
                return NotifyAnswer::Failure;
            }
        };
    tracing::Span::current().record("out_trade_no", notify.out_trade_no.as_str());
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
            tracing::error!(error = %chain(&e), "notify not applied");
            NotifyAnswer::Failure
        }
    }
}

/// A refused notify keeps at most this much of its body (a genuine one is about 2 KB).
pub const MAX_REFUSED_RAW: usize = 2 * 1024;

/// Logged error texts are cut to this many bytes.
const MAX_LOGGED: usize = 200;

/// Records a notify refused before verification, bounded: its detail and raw body are cut, and
/// past the per-order limit it is only counted. Never fails (a failure is logged).
async fn refused(shop: &Shop, body: &[u8], raw: &str, error: &str) {
    let named = alipay::callback::parse_form(body)
        .ok()
        .and_then(|p| p.get("out_trade_no").cloned())
        .unwrap_or_default();
    let named = cut(&named, 64);
    // Numbers that are no order of ours share one bucket: inventing numbers buys no more rows.
    let order = if named.is_empty() {
        None
    } else {
        order::Entity::find()
            .filter(order::Column::OutTradeNo.eq(named))
            .one(shop.db())
            .await
            .unwrap_or_else(|e| {
                tracing::error!(error = %chain(&e), "could not look up a refused notify's order");
                None
            })
    };
    let key = order
        .as_ref()
        .map_or(UNKNOWN_ORDER, |o| o.out_trade_no.as_str());
    let _turn = shop.write_turn().await;
    let now = shop.clock().now();
    let stored = match admit(shop.db(), key, now).await {
        Ok(true) => {
            let event = Event {
                order_id: order.as_ref().map(|o| o.id),
                out_trade_no: named,
                source: EventSource::Notify,
                notify_id: None,
                trade_status: None,
                verdict: Verdict::BadSignature,
                detail: cut(error, MAX_DETAIL).to_owned(),
                raw: cut(raw, MAX_REFUSED_RAW),
            };
            record(shop.db(), now, event).await
        }
        Ok(false) => {
            tracing::debug!(out_trade_no = ?named, "refused notify counted, not stored");
            return;
        }
        Err(e) => Err(e),
    };
    match stored {
        Ok(()) => tracing::warn!(
            error = ?cut(error, MAX_LOGGED),
            out_trade_no = ?named,
            bytes = body.len(),
            "notify refused before verification"
        ),
        Err(e) => tracing::error!(error = %chain(&e), "could not record a refused notify"),
    }
}
