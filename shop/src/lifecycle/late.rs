//! Payments that reached an order we had already closed (`paid_after_close`): per the merchant's
//! [`LatePaymentPolicy`](super::LatePaymentPolicy), re-open the order as paid or refund in full.
//! A second payment for courses the student already paid for (`duplicate_purchase`) is always
//! refunded in full.
//! Never silently lost: until handled, the order stays a candidate of this job.
use alipay::ApiError;
use chrono::Duration;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter};

use super::claim::Next;
use super::refund::refund_late;
use super::{Jobs, LatePaymentPolicy, query_fact};
use crate::ShopError;
use crate::entity::{order, payment_event, refund};
use crate::orders::OrderStatus;
use crate::payment::{Verdict, accept_late_payment};

const PAID_AFTER_CLOSE: &str = "paid_after_close";
const DUPLICATE: &str = "duplicate_purchase";
const DUPLICATE_REASON: &str = "重复购买（课程已在其他订单中支付），自动全额退款";

/// Handles every due late payment; returns how many orders it looked at.
pub(crate) async fn run(jobs: &Jobs) -> Result<usize, ShopError> {
    let due = |_now: chrono::DateTime<chrono::Utc>| {
        let late = Query::select()
            .column(payment_event::Column::OrderId)
            .from(payment_event::Entity)
            .and_where(payment_event::Column::Verdict.is_in([PAID_AFTER_CLOSE, DUPLICATE]))
            .and_where(payment_event::Column::OrderId.is_not_null())
            .to_owned();
        let refunded = Query::select()
            .column(refund::Column::OrderId)
            .from(refund::Entity)
            .and_where(refund::Column::Status.ne("failed"))
            .to_owned();
        Condition::all()
            .add(order::Column::Status.is_in([OrderStatus::Cancelled, OrderStatus::TimedOut]))
            .add(order::Column::Id.in_subquery(late))
            .add(order::Column::Id.not_in_subquery(refunded))
    };
    jobs.drain("late payment handling", due, handle).await
}

async fn handle(jobs: &Jobs, o: &order::Model) -> Result<Next, ShopError> {
    let shop = &jobs.shop;
    let q = match shop.alipay().query(&o.out_trade_no).await {
        Ok(q) => q,
        Err(ApiError::TradeNotExist) => return Ok(Next::At(jobs.now() + Duration::hours(1))),
        Err(e) => {
            tracing::warn!(error = %e, out_trade_no = %o.out_trade_no, "late payment: query failed");
            return Ok(Next::Backoff);
        }
    };
    if q.trade_status != alipay::TradeStatus::TradeSuccess {
        // FINISHED cannot be refunded, CLOSED was refunded elsewhere: the merchant decides.
        tracing::error!(out_trade_no = %o.out_trade_no, status = q.trade_status.as_str(), "late payment needs the merchant");
        return Ok(Next::At(jobs.now() + Duration::days(1)));
    }
    // A second payment for courses the student already owns is refunded whatever the policy.
    if duplicate(shop, o).await? {
        refund(shop, o, DUPLICATE_REASON).await?;
        return Ok(Next::Done);
    }
    match jobs.settings.late_payment {
        LatePaymentPolicy::Accept => {
            if accept_late_payment(shop, &query_fact(&q)).await? == Verdict::DuplicatePurchase {
                refund(shop, o, DUPLICATE_REASON).await?;
            }
        }
        LatePaymentPolicy::Refund => refund(shop, o, "订单关闭后到账，自动退款").await?,
    }
    Ok(Next::Done)
}

/// Whether the payment was judged a second purchase of courses the student already paid for.
async fn duplicate(shop: &crate::Shop, o: &order::Model) -> Result<bool, ShopError> {
    let n = payment_event::Entity::find()
        .filter(payment_event::Column::OrderId.eq(o.id))
        .filter(payment_event::Column::Verdict.eq(DUPLICATE))
        .count(shop.db())
        .await?;
    Ok(n > 0)
}

/// Refunds the whole payment; a gateway that does not answer leaves the refund pending for the
/// refund job.
async fn refund(shop: &crate::Shop, o: &order::Model, reason: &str) -> Result<(), ShopError> {
    match refund_late(shop, o, reason).await {
        Ok(r) => {
            tracing::info!(out_trade_no = %o.out_trade_no, confirmed = r.confirmed, reason, "late payment refunded");
            Ok(())
        }
        // The pending refund row exists: the refund job retries it.
        Err(ShopError::Gateway(e)) => {
            tracing::warn!(error = %e, "late refund pending");
            Ok(())
        }
        Err(e) => Err(e),
    }
}
