use leptos::prelude::*;

use crate::dto::OrderDto;
use crate::error::AppError;

/// Cancels one of the student's unpaid orders (closing the trade at the gateway).
#[server(endpoint = "cancel_order")]
pub async fn cancel_order(out_trade_no: String) -> Result<OrderDto, AppError> {
    super::with_status(async move {
        let ctx = super::ServerContext::get()?;
        let user = super::require_user().await?;
        let order = shop::lifecycle::cancel_order(&ctx.shop, user.uid, &out_trade_no).await?;
        super::redirect_without_js("/orders");
        Ok(order.into())
    })
    .await
}
