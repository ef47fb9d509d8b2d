//! The one place an order's payment state changes.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect};

use crate::entity::order;
use crate::orders::OrderStatus;
use crate::orders::status::{Decision, decide};
use crate::orders::{decide_purchase, grants_courses};
use crate::payment::event::{Event, record};
use crate::payment::overlap::paid_elsewhere;
use crate::payment::{PaymentFact, Verdict};
use crate::{Shop, ShopError};

/// Applies a verified fact to its order in one transaction, idempotently, and records it.
///
/// Checks first that the order exists and that the amount, `app_id` and `seller_id` are ours; a
/// fact that fails any check changes nothing. Concurrent calls for one order serialise on the
/// order row (`SELECT ... FOR UPDATE` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite), and every
/// update is also conditional on the status it was decided from. On SQLite the transaction also
/// waits for this instance's write turn first (an in-process queue, see `Shop::begin_write`).
///
/// ```no_run
/// # async fn f(shop: &shop::Shop, fact: shop::payment::PaymentFact) -> Result<(), shop::ShopError> {
/// let verdict = shop::payment::apply_payment_fact(shop, &fact).await?;
/// println!("{}", verdict.as_str());
/// # Ok(()) }
/// ```
#[tracing::instrument(skip_all, fields(out_trade_no = %fact.out_trade_no, source = fact.source.as_str()))]
pub async fn apply_payment_fact(shop: &Shop, fact: &PaymentFact) -> Result<Verdict, ShopError> {
    let now = shop.clock().now();
    let txn = shop.begin_write().await?;
    let found = order::Entity::find()
        .filter(order::Column::OutTradeNo.eq(&fact.out_trade_no))
        .lock_exclusive()
        .one(txn.conn())
        .await?;
    let (verdict, detail) = match &found {
        None => (Verdict::UnknownOrder, "no such order".to_owned()),
        Some(o) => judge(shop, txn.conn(), o, fact, now).await?,
    };
    record(
        txn.conn(),
        now,
        Event {
            order_id: found.as_ref().map(|o| o.id),
            out_trade_no: &fact.out_trade_no,
            source: fact.source.into(),
            notify_id: fact.notify_id.as_deref(),
            trade_status: Some(fact.trade_status.as_str()),
            verdict,
            detail,
            raw: &fact.raw,
        },
    )
    .await?;
    txn.commit().await?;
    match verdict {
        Verdict::Applied => {
            tracing::info!(status = fact.trade_status.as_str(), "payment applied")
        }
        v if v.is_settled() => {
            tracing::debug!(verdict = v.as_str(), "payment fact settled")
        }
        v => {
            tracing::warn!(verdict = v.as_str(), "payment fact refused")
        }
    }
    Ok(verdict)
}

/// Checks the fact against the locked order and applies the state machine's decision.
async fn judge(
    shop: &Shop,
    txn: &DatabaseTransaction,
    o: &order::Model,
    fact: &PaymentFact,
    now: DateTime<Utc>,
) -> Result<(Verdict, String), ShopError> {
    let cfg = shop.alipay().config();
    if fact.total_amount.cents() != o.total_cents {
        let detail = format!(
            "amount {} != order {}",
            fact.total_amount,
            alipay::Money::from_cents(o.total_cents)
        );
        return Ok((Verdict::AmountMismatch, detail));
    }
    if let Some(app) = fact.app_id.as_deref().filter(|a| *a != cfg.app_id) {
        return Ok((Verdict::AppMismatch, format!("app_id {app} is not ours")));
    }
    if let Some(seller) = fact.seller_id.as_deref().filter(|s| *s != cfg.seller_id) {
        return Ok((
            Verdict::SellerMismatch,
            format!("seller_id {seller} is not ours"),
        ));
    }
    let status = o.status;
    let total = alipay::Money::from_cents(o.total_cents);
    let Some(signal) = fact.signal(total) else {
        return Ok((Verdict::NoChange, "trade not paid yet".to_owned()));
    };
    let mut decision = decide(status, o.trade_no.as_deref(), &signal);
    if grants_courses(&decision) {
        let other = paid_elsewhere(txn, o).await?;
        decision = decide_purchase(decision, other.as_deref());
    }
    // Every move leaves 未支付 (or was never in it): the order stops holding its open key.
    let update = order::Entity::update_many()
        .filter(order::Column::Id.eq(o.id))
        .filter(order::Column::Status.eq(o.status))
        .col_expr(order::Column::UpdatedAt, Expr::value(now))
        .col_expr(order::Column::OpenKey, Expr::value(Option::<String>::None));
    let (to, detail) = match decision {
        Decision::MarkPaid => {
            let changed = update
                .col_expr(order::Column::Status, Expr::value(OrderStatus::Paid))
                .col_expr(order::Column::TradeNo, Expr::value(fact.trade_no.clone()))
                .col_expr(order::Column::BuyerId, Expr::value(fact.buyer_id.clone()))
                .col_expr(
                    order::Column::PayTime,
                    Expr::value(fact.paid_at.unwrap_or(now)),
                )
                .exec(txn)
                .await?;
            (changed.rows_affected, "unpaid -> paid".to_owned())
        }
        Decision::MarkClosed => {
            let changed = update
                .col_expr(order::Column::Status, Expr::value(OrderStatus::TimedOut))
                .exec(txn)
                .await?;
            (
                changed.rows_affected,
                "unpaid -> timed out (closed at the gateway)".to_owned(),
            )
        }
        Decision::MarkRefunded { refund_total } => {
            let changed = update
                .col_expr(order::Column::Status, Expr::value(OrderStatus::Refunded))
                .col_expr(
                    order::Column::RefundedCents,
                    Expr::value(refund_total.cents()),
                )
                .exec(txn)
                .await?;
            (
                changed.rows_affected,
                format!("paid -> refunded {refund_total}"),
            )
        }
        Decision::RecordRefund { refund_total } if refund_total.cents() > o.refunded_cents => {
            let changed = update
                .col_expr(
                    order::Column::RefundedCents,
                    Expr::value(refund_total.cents()),
                )
                .exec(txn)
                .await?;
            (
                changed.rows_affected,
                format!("refunded so far {refund_total}"),
            )
        }
        Decision::RecordRefund { .. } | Decision::AlreadyApplied => {
            return Ok((Verdict::Duplicate, format!("already {}", status.label())));
        }
        Decision::RefundDuplicate { other } => {
            let why = format!("courses already paid in order {other}; full refund follows");
            if status != OrderStatus::Unpaid {
                let detail = format!("order is {}: {why}", status.label());
                return Ok((Verdict::DuplicatePurchase, detail));
            }
            let changed = update
                .col_expr(order::Column::Status, Expr::value(OrderStatus::Cancelled))
                .exec(txn)
                .await?;
            if changed.rows_affected != 1 {
                return Ok((Verdict::Duplicate, "order changed concurrently".to_owned()));
            }
            return Ok((
                Verdict::DuplicatePurchase,
                format!("unpaid -> cancelled: {why}"),
            ));
        }
        Decision::NeedsMerchant(why) => {
            return Ok((
                Verdict::NeedsMerchant(why),
                format!("order is {}", status.label()),
            ));
        }
    };
    if to == 1 {
        Ok((Verdict::Applied, detail))
    } else {
        // Unreachable while the row lock holds; kept so a change elsewhere cannot double-apply.
        Ok((Verdict::Duplicate, "order changed concurrently".to_owned()))
    }
}
