use leptos::prelude::*;

use crate::dto::OrderDto;
use crate::error::AppError;

/// Verifies the query string Alipay's return put on `/pay/success` and reports the order. A
/// return never pays an order by itself: the server confirms with the notify or a trade query.
#[server(endpoint = "confirm_return")]
pub async fn confirm_return(query: String) -> Result<OrderDto, AppError> {
    super::with_status(async move {
        let ctx = super::ServerContext::get()?;
        let user = super::require_user().await?;
        let outcome = shop::payment::handle_return(&ctx.shop, user.uid, &query).await?;
        Ok(outcome.order.into())
    })
    .await
}

/// The current state of one of the student's orders (polled while confirming).
#[server(endpoint = "order_status")]
pub async fn order_status(out_trade_no: String) -> Result<OrderDto, AppError> {
    super::with_status(async move {
        let ctx = super::ServerContext::get()?;
        let user = super::require_user().await?;
        let order = shop::orders::order_for_user(ctx.shop.db(), user.uid, &out_trade_no).await?;
        Ok(order.into())
    })
    .await
}
