//! Refunds, full or partial. The `out_request_no` is stored (pending) before the gateway is
//! called, so a retry (the admin's, or the job's) reuses it and the money moves at most once; the
//! refund is confirmed with `alipay.trade.fastpay.refund.query` and applied to the order through
//! the one payment function (the state machine's RecordRefund / MarkRefunded).
use alipay::{ApiError, Money, TradeStatus};
use chrono::Duration;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, Set,
};
use tracing::Instrument;

use super::Jobs;
use super::claim::{Next, claim};
use crate::entity::{order, refund as row};
use crate::orders::OrderStatus;
use crate::payment::{PaymentFact, Source, apply_payment_fact};
use crate::{Shop, ShopError};

pub(crate) const PENDING: &str = "pending";
const SUCCESS: &str = "success";
const FAILED: &str = "failed";

/// Where a refund stands after [`refund`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundOutcome {
    pub out_request_no: String,
    pub amount: Money,
    /// The gateway's cumulative refund for the trade.
    pub refund_total: Money,
    /// `REFUND_SUCCESS` seen; otherwise the refund stays pending and the job retries it.
    pub confirmed: bool,
    pub order_status: OrderStatus,
}

/// Refunds `amount` of a paid order (an admin action). Several partial refunds may follow each
/// other; their sum never exceeds the total. Calling again after a network failure with the same
/// amount retries the same `out_request_no`.
///
/// ```no_run
/// # async fn f(shop: &shop::Shop) -> Result<(), shop::ShopError> {
/// let r = shop::lifecycle::refund(shop, "CP2026...", "10.00".parse().unwrap(), "课程不满意").await?;
/// println!("{} refunded so far, order {}", r.refund_total, r.order_status.label());
/// # Ok(()) }
/// ```
pub async fn refund(
    shop: &Shop,
    out_trade_no: &str,
    amount: Money,
    reason: &str,
) -> Result<RefundOutcome, ShopError> {
    let r = start(shop, out_trade_no, amount, reason, false).await?;
    execute(shop, &r).await
}

/// A full refund of a payment that reached an order we had already closed (`reason` says why).
pub(crate) async fn refund_late(
    shop: &Shop,
    o: &order::Model,
    reason: &str,
) -> Result<RefundOutcome, ShopError> {
    let total = Money::from_cents(o.total_cents);
    let r = start(shop, &o.out_trade_no, total, reason, true).await?;
    execute(shop, &r).await
}

/// Writes the pending refund (or finds the pending one to retry) on the locked order row.
async fn start(
    shop: &Shop,
    out_trade_no: &str,
    amount: Money,
    reason: &str,
    closed_order: bool,
) -> Result<row::Model, ShopError> {
    if amount.cents() <= 0 {
        return Err(ShopError::invalid("refund_amount", "退款金额必须大于 0"));
    }
    let txn = shop.begin_write().await?;
    let o = order::Entity::find()
        .filter(order::Column::OutTradeNo.eq(out_trade_no))
        .lock_exclusive()
        .one(txn.conn())
        .await?
        .ok_or(ShopError::NotFound("订单"))?;
    let status = o.status;
    let allowed = match status {
        OrderStatus::Paid => !closed_order,
        OrderStatus::Cancelled | OrderStatus::TimedOut => closed_order,
        OrderStatus::Unpaid | OrderStatus::Refunded => false,
    };
    if !allowed {
        let label = status.label();
        return Err(ShopError::State(format!(
            "只有已支付的订单可以退款（当前：{label}）"
        )));
    }
    let refunds = row::Entity::find()
        .filter(row::Column::OrderId.eq(o.id))
        .all(txn.conn())
        .await?;
    if let Some(p) = refunds.iter().find(|r| r.status == PENDING) {
        txn.commit().await?;
        return if p.amount_cents == amount.cents() {
            Ok(p.clone())
        } else {
            Err(ShopError::State(
                "该订单有一笔退款正在处理中，请稍后再试".to_owned(),
            ))
        };
    }
    let refunded: i64 = refunds
        .iter()
        .filter(|r| r.status == SUCCESS)
        .map(|r| r.amount_cents)
        .sum();
    let left = o.total_cents - refunded;
    if amount.cents() > left {
        let left = Money::from_cents(left.max(0));
        return Err(ShopError::invalid(
            "refund_amount",
            format!("退款金额超过可退金额 ¥{left}"),
        ));
    }
    let prefix: String = out_trade_no.chars().take(56).collect();
    let now = shop.clock().now();
    let saved = row::ActiveModel {
        order_id: Set(o.id),
        out_trade_no: Set(out_trade_no.to_owned()),
        out_request_no: Set(format!("{prefix}R{}", refunds.len() + 1)),
        amount_cents: Set(amount.cents()),
        reason: Set(reason.chars().take(200).collect()),
        status: Set(PENDING.to_owned()),
        detail: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn.conn())
    .await?;
    txn.commit().await?;
    tracing::info!(out_trade_no, out_request_no = %saved.out_request_no, %amount, "refund requested");
    Ok(saved)
}

/// Sets a pending refund's final status.
async fn finish(
    shop: &Shop,
    r: &row::Model,
    status: &str,
    detail: String,
) -> Result<(), ShopError> {
    let update = row::Entity::update_many()
        .filter(row::Column::Id.eq(r.id))
        .filter(row::Column::Status.eq(PENDING))
        .col_expr(row::Column::Status, Expr::value(status))
        .col_expr(row::Column::Detail, Expr::value(detail))
        .col_expr(row::Column::UpdatedAt, Expr::value(shop.clock().now()));
    let _turn = shop.write_turn().await;
    update.exec(shop.db()).await?;
    Ok(())
}

/// Asks the gateway to refund (same `out_request_no` every time), confirms, applies.
async fn execute(shop: &Shop, r: &row::Model) -> Result<RefundOutcome, ShopError> {
    let amount = Money::from_cents(r.amount_cents);
    let client = shop.alipay();
    let resp = match client
        .refund(&r.out_trade_no, amount, &r.out_request_no)
        .await
    {
        Ok(resp) => resp,
        Err(e) if e.is_retryable() => {
            tracing::warn!(error = %e, out_request_no = %r.out_request_no, "refund: no answer, kept pending");
            return Err(ShopError::Gateway(e));
        }
        Err(e) => {
            tracing::warn!(error = %e, out_request_no = %r.out_request_no, "refund refused");
            finish(shop, r, FAILED, e.to_string()).await?;
            let why = match &e {
                ApiError::Business { sub_msg, .. } if !sub_msg.is_empty() => sub_msg.clone(),
                _ => "请稍后再试".to_owned(),
            };
            return Err(ShopError::State(format!("支付宝拒绝了退款：{why}")));
        }
    };
    let confirmed = match client
        .refund_query(&r.out_trade_no, &r.out_request_no)
        .await
    {
        Ok(q) => q.refund_status.as_deref() == Some("REFUND_SUCCESS"),
        Err(e) => {
            tracing::warn!(error = %e, out_request_no = %r.out_request_no, "refund query failed");
            false
        }
    };
    let o = order::Entity::find_by_id(r.order_id)
        .one(shop.db())
        .await?
        .ok_or(ShopError::NotFound("订单"))?;
    let total = Money::from_cents(o.total_cents);
    if confirmed {
        finish(shop, r, SUCCESS, format!("refund_fee {}", resp.refund_fee)).await?;
        let fact = PaymentFact {
            source: Source::Query,
            out_trade_no: r.out_trade_no.clone(),
            trade_no: resp.trade_no.clone(),
            trade_status: if resp.refund_fee >= total {
                TradeStatus::TradeClosed
            } else {
                TradeStatus::TradeSuccess
            },
            total_amount: total,
            app_id: None,
            seller_id: None,
            buyer_id: None,
            paid_at: None,
            refund_fee: Some(resp.refund_fee),
            notify_id: None,
            raw: resp.raw.to_string(),
        };
        apply_payment_fact(shop, &fact).await?;
    }
    let now = order::Entity::find_by_id(r.order_id).one(shop.db()).await?;
    let order_status = now
        .map(|o| o.status)
        .ok_or_else(|| ShopError::bug(format!("order {} vanished", r.order_id)))?;
    Ok(RefundOutcome {
        out_request_no: r.out_request_no.clone(),
        amount,
        refund_total: resp.refund_fee,
        confirmed,
        order_status,
    })
}

/// Retries refunds left pending (no answer, or not yet confirmed) for over a minute.
pub(crate) async fn resume_pending(jobs: &Jobs) -> Result<usize, ShopError> {
    let mut done = 0;
    loop {
        let now = jobs.now();
        let stale = Query::select()
            .column(row::Column::OrderId)
            .from(row::Entity)
            .and_where(row::Column::Status.eq(PENDING))
            .and_where(row::Column::UpdatedAt.lte(now - Duration::minutes(1)))
            .to_owned();
        let due = Condition::all().add(order::Column::Id.in_subquery(stale));
        let batch = claim(
            &jobs.shop,
            &jobs.worker,
            now,
            jobs.settings.lease,
            due,
            jobs.settings.batch,
        )
        .await?;
        if batch.is_empty() {
            return Ok(done);
        }
        done += batch.len();
        for o in &batch {
            let no = &o.out_trade_no;
            let span = tracing::info_span!("job", what = "pending refunds", out_trade_no = %no);
            resume_one(jobs, o).instrument(span).await?;
        }
    }
}

/// Retries one claimed order's pending refunds and releases it.
async fn resume_one(jobs: &Jobs, o: &order::Model) -> Result<(), ShopError> {
    let pending = row::Entity::find()
        .filter(row::Column::OrderId.eq(o.id))
        .filter(row::Column::Status.eq(PENDING))
        .all(jobs.shop.db())
        .await?;
    let mut next = Next::Done;
    for r in &pending {
        match execute(&jobs.shop, r).await {
            Ok(out) if out.confirmed => {}
            Ok(_) => next = Next::Backoff,
            Err(ShopError::Gateway(_)) => next = Next::Backoff,
            Err(e) => {
                let error = crate::error::chain(&e);
                tracing::warn!(%error, out_request_no = %r.out_request_no, "pending refund ended")
            }
        }
    }
    jobs.settle(o, next).await
}
