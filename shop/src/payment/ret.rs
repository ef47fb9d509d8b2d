//! The synchronous return and confirmation by `alipay.trade.query`. A return never marks an order
//! paid by itself: only the notify or the gateway's own answer to a query does.
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::accounts::UserId;
use crate::entity::order;
use crate::orders::{OrderStatus, OrderView, order_for_user};
use crate::payment::event::{Event, record};
use crate::payment::{EventSource, PaymentFact, Verdict, apply_payment_fact};
use crate::{Shop, ShopError};

/// A verified return, and where its order stands now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnOutcome {
    pub order: OrderView,
    /// Alipay's trade number as the return gave it.
    pub trade_no: String,
}

/// Verifies a return query string for one of this student's orders, records it, and, if the
/// order is still unpaid, asks the gateway (`alipay.trade.query`) and applies its answer.
///
/// ```no_run
/// # async fn f(shop: &shop::Shop) -> Result<(), shop::ShopError> {
/// let r = shop::payment::handle_return(shop, shop::accounts::UserId(1), "out_trade_no=...&sign=...").await?;
/// println!("{}", r.order.status.label());
/// # Ok(()) }
/// ```
#[tracing::instrument(skip_all, fields(user_id = user_id.0, out_trade_no = tracing::field::Empty))]
pub async fn handle_return(
    shop: &Shop,
    user_id: UserId,
    query: &str,
) -> Result<ReturnOutcome, ShopError> {
    let query = query.trim_start_matches('?');
    let cfg = shop.alipay().config();
    let ret = alipay::callback::verify_return(query, &cfg.alipay_public_key).map_err(|e| {
        tracing::warn!(error = %e, "return refused");
        ShopError::invalid("sign", "支付结果校验失败，请勿篡改返回参数")
    })?;
    tracing::Span::current().record("out_trade_no", ret.out_trade_no.as_str());
    if ret.app_id != cfg.app_id || ret.seller_id.as_deref().is_some_and(|s| s != cfg.seller_id) {
        return Err(ShopError::invalid("app_id", "支付结果不属于本商户"));
    }
    let view = order_for_user(shop.db(), user_id, &ret.out_trade_no).await?;
    if view.total != ret.total_amount {
        return Err(ShopError::invalid("total_amount", "支付金额与订单不符"));
    }
    // The return stamp and its timeline row: one write transaction (one turn on SQLite).
    let now = shop.clock().now();
    let txn = shop.begin_write().await?;
    order::Entity::update_many()
        .filter(order::Column::Id.eq(view.id))
        .filter(order::Column::ReturnedAt.is_null())
        .col_expr(order::Column::ReturnedAt, Expr::value(now))
        .exec(txn.conn())
        .await?;
    record(
        txn.conn(),
        now,
        Event {
            order_id: Some(view.id),
            out_trade_no: &ret.out_trade_no,
            source: EventSource::Return,
            notify_id: None,
            trade_status: None,
            verdict: Verdict::NoChange,
            detail: format!("trade_no {}", ret.trade_no),
            raw: query,
        },
    )
    .await?;
    txn.commit().await?;
    let order = if view.status == OrderStatus::Unpaid {
        confirm_by_query(shop, &ret.out_trade_no).await;
        order_for_user(shop.db(), user_id, &ret.out_trade_no).await?
    } else {
        view
    };
    Ok(ReturnOutcome {
        order,
        trade_no: ret.trade_no,
    })
}

/// Asks the gateway about an order and applies a verified answer through the one function.
/// Failures are logged, not raised: the notify or a later query will settle the order.
pub async fn confirm_by_query(shop: &Shop, out_trade_no: &str) {
    match shop.alipay().query(out_trade_no).await {
        Ok(q) => {
            let fact = PaymentFact::from_query(&q);
            if let Err(e) = apply_payment_fact(shop, &fact).await {
                tracing::error!(error = %crate::error::chain(&e), "query answer not applied");
            }
        }
        Err(alipay::ApiError::TradeNotExist) => {
            tracing::debug!(out_trade_no, "gateway has no such trade yet")
        }
        Err(e) => tracing::warn!(error = %e, out_trade_no, "trade query failed"),
    }
}
