use leptos::prelude::*;

use crate::dto::OrderDto;
use crate::error::AppError;

/// Creates an order for the courses `goods_pks` ("1,2") at the total the page showed, and sends
/// the browser to the gateway. Returns the signed pay URL.
#[server(endpoint = "create_order")]
pub async fn create_order(goods_pks: String, total_amount: String) -> Result<String, AppError> {
    super::with_status(async move {
        let ctx = super::ServerContext::get()?;
        let user = super::require_user().await?;
        let req = shop::orders::NewOrder {
            user_id: user.uid,
            goods_pks: &goods_pks,
            total_amount: &total_amount,
        };
        let created = shop::orders::create_order(&ctx.shop, req).await?;
        super::redirect_without_js(&created.pay_url);
        Ok(created.pay_url)
    })
    .await
}

/// The logged-in student's orders, newest first.
#[server(endpoint = "my_orders")]
pub async fn my_orders() -> Result<Vec<OrderDto>, AppError> {
    super::with_status(async move {
        let ctx = super::ServerContext::get()?;
        let user = super::require_user().await?;
        let orders = shop::orders::list_orders(ctx.shop.db(), user.uid).await?;
        Ok(orders.into_iter().map(OrderDto::from).collect())
    })
    .await
}
