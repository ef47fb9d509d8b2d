use leptos::prelude::*;

use crate::dto_admin::{AdminOrderDto, DayDto, TimelinePageDto};
use crate::error::AppError;

#[cfg(feature = "ssr")]
async fn require_admin() -> Result<(), AppError> {
    let user = super::require_user().await?;
    if user.role == shop::accounts::Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden("无权访问商户后台".to_owned()))
    }
}

/// Orders for the console; `status` is a status code (`None`: every status), `search` an order
/// number part or a username. A code that names no status is refused.
#[server(endpoint = "admin_orders")]
pub async fn admin_orders(
    status: Option<i16>,
    search: String,
) -> Result<Vec<AdminOrderDto>, AppError> {
    super::with_status(async move {
        require_admin().await?;
        let ctx = super::ServerContext::get()?;
        let invalid = || AppError::Invalid {
            field: "status".to_owned(),
            message: "未知的订单状态".to_owned(),
        };
        let status = status
            .map(|code| shop::orders::OrderStatus::from_code(code).ok_or_else(invalid))
            .transpose()?;
        let filter = shop::admin::AdminFilter {
            status,
            search: Some(search),
        };
        let rows = shop::admin::list_orders(ctx.shop.db(), &filter).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    })
    .await
}

/// One page of an order's timeline: the first, or the one after the payment event `after`.
#[server(endpoint = "admin_timeline")]
pub async fn admin_timeline(
    out_trade_no: String,
    after: Option<i64>,
) -> Result<TimelinePageDto, AppError> {
    super::with_status(async move {
        require_admin().await?;
        let ctx = super::ServerContext::get()?;
        let page = shop::admin::timeline_page(ctx.shop.db(), &out_trade_no, after).await?;
        Ok(page.into())
    })
    .await
}

/// The last 7 days.
#[server(endpoint = "admin_summary")]
pub async fn admin_summary() -> Result<Vec<DayDto>, AppError> {
    super::with_status(async move {
        require_admin().await?;
        let ctx = super::ServerContext::get()?;
        let days = shop::admin::daily_summary(ctx.shop.db(), ctx.shop.clock().now(), 7).await?;
        Ok(days.into_iter().map(Into::into).collect())
    })
    .await
}

/// Refunds `amount` yuan of a paid order; returns what the console shows.
#[server(endpoint = "admin_refund")]
pub async fn admin_refund(
    out_trade_no: String,
    amount: String,
    reason: String,
) -> Result<String, AppError> {
    super::with_status(async move {
        require_admin().await?;
        let ctx = super::ServerContext::get()?;
        let amount: shop::alipay::Money = amount.trim().parse().map_err(|_| AppError::Invalid {
            field: "amount".to_owned(),
            message: "退款金额格式错误".to_owned(),
        })?;
        let reason = if reason.trim().is_empty() {
            "商户后台退款"
        } else {
            reason.trim()
        };
        let r = shop::lifecycle::refund(&ctx.shop, &out_trade_no, amount, reason).await?;
        super::redirect_without_js(&format!("/admin?order={out_trade_no}"));
        let state = if r.confirmed {
            "退款成功"
        } else {
            "退款处理中"
        };
        Ok(format!(
            "{state}：本次 ¥{}，累计 ¥{}，订单{}",
            r.amount,
            r.refund_total,
            r.order_status.label()
        ))
    })
    .await
}
