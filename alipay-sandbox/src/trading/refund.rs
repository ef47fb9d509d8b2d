//! Refunds: cumulative totals capped at the trade's amount, `out_request_no` idempotent.

use std::sync::Arc;

use alipay::money::Money;
use sea_orm::{ActiveValue::Set, DbErr, TransactionTrait};

use super::{TRADE_CLOSED, TRADE_SUCCESS, enqueue};
use crate::notify::build::Event;
use crate::state::Inner;
use crate::store::{Store, refund, trade};

/// What a refund request did.
pub enum RefundOutcome {
    /// Accepted now (`fund_change` true) or earlier with the same `out_request_no` (false).
    Done {
        trade: Box<trade::Model>,
        refund: Box<refund::Model>,
        fund_change: bool,
    },
    NotExist,
    /// The trade is not paid (or already fully refunded).
    StatusError,
    /// The cumulative refunds would exceed the total.
    AmountExceeded,
    /// The same `out_request_no` with a different amount.
    Inconsistent,
}

/// A refund request for one trade.
pub struct RefundRequest<'a> {
    pub app_id: &'a str,
    pub out_trade_no: Option<&'a str>,
    pub trade_no: Option<&'a str>,
    pub amount: Money,
    pub out_request_no: &'a str,
}

pub async fn refund(inner: &Arc<Inner>, req: RefundRequest<'_>) -> Result<RefundOutcome, DbErr> {
    let now = inner.now();
    let txn = inner.store.db().begin().await?;
    let Some(t) = Store::find_trade(&txn, req.app_id, req.out_trade_no, req.trade_no).await? else {
        txn.commit().await?;
        return Ok(RefundOutcome::NotExist);
    };
    if let Some(r) = Store::refund_by_request(&txn, t.id, req.out_request_no).await? {
        txn.commit().await?;
        return Ok(if r.refund_cents == req.amount.cents() {
            RefundOutcome::Done {
                trade: Box::new(t),
                refund: Box::new(r),
                fund_change: false,
            }
        } else {
            RefundOutcome::Inconsistent
        });
    }
    if t.status != TRADE_SUCCESS {
        txn.commit().await?;
        return Ok(RefundOutcome::StatusError);
    }
    let cumulative = t.refunded_cents + req.amount.cents();
    if req.amount.cents() <= 0 || cumulative > t.total_cents {
        txn.commit().await?;
        return Ok(RefundOutcome::AmountExceeded);
    }
    let r = Store::insert_refund(
        &txn,
        refund::ActiveModel {
            trade_id: Set(t.id),
            out_request_no: Set(req.out_request_no.to_string()),
            refund_cents: Set(req.amount.cents()),
            refund_fee_cents: Set(cumulative),
            gmt_refund: Set(now),
            ..Default::default()
        },
    )
    .await?;
    let full = cumulative == t.total_cents;
    let mut m: trade::ActiveModel = t.into();
    m.refunded_cents = Set(cumulative);
    if full {
        m.status = Set(TRADE_CLOSED.into());
        m.gmt_close = Set(Some(now));
    }
    let t = Store::update_trade(&txn, m).await?;
    let event = Event::Refund {
        out_biz_no: req.out_request_no,
        gmt_refund: now,
    };
    enqueue(inner, &txn, &t, &event, now).await?;
    txn.commit().await?;
    inner.wake.notify_one();
    Ok(RefundOutcome::Done {
        trade: Box::new(t),
        refund: Box::new(r),
        fund_change: true,
    })
}
