//! A student cancels an unpaid order: the trade is closed at the gateway first, so the buyer can
//! no longer pay it, then the order becomes 已取消.
use alipay::{ApiError, TradeStatus};

use super::query_fact;
use crate::accounts::UserId;
use crate::orders::{OrderStatus, OrderView, order_for_user};
use crate::payment::{EventSource, Verdict, apply_payment_fact, close_unpaid};
use crate::{Shop, ShopError};

fn refuse(status: OrderStatus) -> ShopError {
    ShopError::State(match status {
        OrderStatus::Paid | OrderStatus::Refunded => "订单已支付，无法取消".to_owned(),
        OrderStatus::Cancelled => "订单已取消".to_owned(),
        OrderStatus::TimedOut => "订单已超时关闭，无需取消".to_owned(),
        OrderStatus::Unpaid => "订单状态已变化，请刷新后重试".to_owned(),
    })
}

/// Cancels `out_trade_no` if it is this student's unpaid order; refuses paid, cancelled and
/// timed-out orders with a message the student reads. If the gateway shows the trade paid, the
/// payment is applied instead and the cancel is refused.
///
/// ```no_run
/// # async fn f(shop: &shop::Shop) -> Result<(), shop::ShopError> {
/// let order = shop::lifecycle::cancel_order(shop, shop::accounts::UserId(1), "CP2026...").await?;
/// assert_eq!(order.status.label(), "已取消");
/// # Ok(()) }
/// ```
pub async fn cancel_order(
    shop: &Shop,
    user_id: UserId,
    out_trade_no: &str,
) -> Result<OrderView, ShopError> {
    let view = order_for_user(shop.db(), user_id, out_trade_no).await?;
    if view.status != OrderStatus::Unpaid {
        return Err(refuse(view.status));
    }
    let detail = match shop.alipay().close(out_trade_no).await {
        Ok(_) => "trade closed at the gateway",
        Err(ApiError::TradeNotExist) => "buyer never reached the cashier",
        Err(ApiError::TradeStatusError(_)) => match shop.alipay().query(out_trade_no).await {
            Ok(q) if q.trade_status.is_paid() => {
                apply_payment_fact(shop, &query_fact(&q)).await?;
                return Err(refuse(OrderStatus::Paid));
            }
            Ok(q) if q.trade_status == TradeStatus::TradeClosed => "trade already closed",
            Ok(_) | Err(ApiError::TradeNotExist) => {
                return Err(ShopError::State("订单状态已变化，请刷新后重试".to_owned()));
            }
            Err(e) => return Err(ShopError::Gateway(e)),
        },
        Err(e) => {
            tracing::warn!(error = %e, out_trade_no, "cancel: close failed");
            return Err(ShopError::Gateway(e));
        }
    };
    match close_unpaid(
        shop,
        out_trade_no,
        OrderStatus::Cancelled,
        EventSource::Cancel,
        detail,
    )
    .await?
    {
        Verdict::Applied => order_for_user(shop.db(), user_id, out_trade_no).await,
        _ => {
            let now = order_for_user(shop.db(), user_id, out_trade_no).await?;
            Err(refuse(now.status))
        }
    }
}
