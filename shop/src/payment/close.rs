//! The other status changes, beside [`apply_payment_fact`](super::apply_payment_fact): closing an
//! unpaid order on our side (超时取消 or 已取消) and re-opening a late-paid one as paid. Each runs in
//! one transaction on the locked order row, conditional on the status it was decided from, and
//! records itself on the order's timeline.
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect};

use crate::entity::order;
use crate::orders::OrderStatus;
use crate::payment::event::{Event, record};
use crate::payment::overlap::paid_elsewhere;
use crate::payment::{EventSource, PaymentFact, Verdict};
use crate::{Shop, ShopError};

async fn locked(txn: &DatabaseTransaction, out_trade_no: &str) -> Result<order::Model, ShopError> {
    order::Entity::find()
        .filter(order::Column::OutTradeNo.eq(out_trade_no))
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(ShopError::NotFound("订单"))
}

/// Moves an unpaid order to `to` (超时取消 or 已取消) once the gateway confirmed the trade is not
/// paid. `source` names who decided ([`EventSource::Expire`], [`EventSource::Cancel`]), `detail`
/// what the gateway said.
///
/// Returns [`Verdict::Applied`] if the order moved, [`Verdict::Duplicate`] if it was no longer
/// unpaid (a notify or another instance got there first); either way the attempt is recorded.
///
/// ```no_run
/// # async fn f(shop: &shop::Shop) -> Result<(), shop::ShopError> {
/// use shop::orders::OrderStatus;
/// use shop::payment::EventSource;
/// let v = shop::payment::close_unpaid(shop, "CP2026...", OrderStatus::TimedOut, EventSource::Expire, "trade closed").await?;
/// # Ok(()) }
/// ```
pub async fn close_unpaid(
    shop: &Shop,
    out_trade_no: &str,
    to: OrderStatus,
    source: EventSource,
    detail: &str,
) -> Result<Verdict, ShopError> {
    if !matches!(to, OrderStatus::TimedOut | OrderStatus::Cancelled) {
        return Err(ShopError::bug(format!("close_unpaid to {to:?}")));
    }
    let now = shop.clock().now();
    let txn = shop.begin_write().await?;
    let o = locked(txn.conn(), out_trade_no).await?;
    let changed = order::Entity::update_many()
        .filter(order::Column::Id.eq(o.id))
        .filter(order::Column::Status.eq(OrderStatus::Unpaid))
        .col_expr(order::Column::Status, Expr::value(to))
        .col_expr(order::Column::UpdatedAt, Expr::value(now))
        .col_expr(order::Column::OpenKey, Expr::value(Option::<String>::None))
        .exec(txn.conn())
        .await?
        .rows_affected;
    let (verdict, detail) = if changed == 1 {
        (
            Verdict::Applied,
            format!("unpaid -> {}: {detail}", to.label()),
        )
    } else {
        let was = o.status.label();
        (Verdict::Duplicate, format!("already {was}: {detail}"))
    };
    record(
        txn.conn(),
        now,
        Event {
            order_id: Some(o.id),
            out_trade_no,
            source,
            notify_id: None,
            trade_status: None,
            verdict,
            detail,
            raw: "",
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(
        out_trade_no,
        to = to.label(),
        verdict = verdict.as_str(),
        "unpaid order closed"
    );
    Ok(verdict)
}

/// The merchant's policy accepted a payment that arrived after we closed the order: re-opens the
/// order (超时取消 / 已取消) as paid with the gateway's trade number. `fact` must be a verified
/// `TRADE_SUCCESS`/`TRADE_FINISHED` for the order's full amount. If another paid order of the
/// student already gives one of its courses, nothing is re-opened: [`Verdict::DuplicatePurchase`]
/// (the payment is to be refunded).
///
/// ```no_run
/// # async fn f(shop: &shop::Shop, fact: shop::payment::PaymentFact) -> Result<(), shop::ShopError> {
/// shop::payment::accept_late_payment(shop, &fact).await?;
/// # Ok(()) }
/// ```
pub async fn accept_late_payment(shop: &Shop, fact: &PaymentFact) -> Result<Verdict, ShopError> {
    let now = shop.clock().now();
    let txn = shop.begin_write().await?;
    let o = locked(txn.conn(), &fact.out_trade_no).await?;
    let paid = matches!(
        fact.trade_status,
        alipay::TradeStatus::TradeSuccess | alipay::TradeStatus::TradeFinished
    ) && fact.refund_fee.is_none_or(|r| r.cents() == 0);
    let closed = [OrderStatus::Cancelled, OrderStatus::TimedOut];
    let (verdict, detail) = if fact.total_amount.cents() != o.total_cents {
        (Verdict::AmountMismatch, "amount differs".to_owned())
    } else if !paid || !closed.contains(&o.status) {
        (Verdict::NoChange, "not a late payment".to_owned())
    } else if let Some(other) = paid_elsewhere(txn.conn(), &o).await? {
        let detail =
            format!("courses already paid in order {other}: not accepted, full refund follows");
        (Verdict::DuplicatePurchase, detail)
    } else {
        let changed = order::Entity::update_many()
            .filter(order::Column::Id.eq(o.id))
            .filter(order::Column::Status.eq(o.status))
            .col_expr(order::Column::Status, Expr::value(OrderStatus::Paid))
            .col_expr(order::Column::TradeNo, Expr::value(fact.trade_no.clone()))
            .col_expr(order::Column::BuyerId, Expr::value(fact.buyer_id.clone()))
            .col_expr(
                order::Column::PayTime,
                Expr::value(fact.paid_at.unwrap_or(now)),
            )
            .col_expr(order::Column::UpdatedAt, Expr::value(now))
            .exec(txn.conn())
            .await?
            .rows_affected;
        if changed == 1 {
            (
                Verdict::Applied,
                "late payment accepted: closed -> paid".to_owned(),
            )
        } else {
            (Verdict::Duplicate, "order changed concurrently".to_owned())
        }
    };
    record(
        txn.conn(),
        now,
        Event {
            order_id: Some(o.id),
            out_trade_no: &fact.out_trade_no,
            source: EventSource::LateAccept,
            notify_id: None,
            trade_status: Some(fact.trade_status.as_str()),
            verdict,
            detail,
            raw: &fact.raw,
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(out_trade_no = %fact.out_trade_no, verdict = verdict.as_str(), "late payment handled");
    Ok(verdict)
}
