//! Expiry: an unpaid order past its `time_expire` is closed at the gateway, double-checked with a
//! query, and becomes 超时取消, or paid if the buyer paid in the last second.
use alipay::{ApiError, TradeStatus};
use sea_orm::{ColumnTrait, Condition};

use super::claim::Next;
use super::{Jobs, query_fact};
use crate::ShopError;
use crate::entity::order;
use crate::orders::OrderStatus;
use crate::payment::{EventSource, apply_payment_fact, close_unpaid};

/// Processes every due expired order, batch by batch; returns how many it looked at.
pub(crate) async fn run(jobs: &Jobs) -> Result<usize, ShopError> {
    let due = |now: chrono::DateTime<chrono::Utc>| {
        Condition::all()
            .add(order::Column::Status.eq(OrderStatus::Unpaid))
            .add(order::Column::TimeExpire.lte(now))
    };
    jobs.drain("expiry", due, expire_one).await
}

/// Close, then query, then apply what the gateway says.
async fn expire_one(jobs: &Jobs, o: &order::Model) -> Result<Next, ShopError> {
    let shop = &jobs.shop;
    let no = o.out_trade_no.as_str();
    match shop.alipay().close(no).await {
        Ok(_) => tracing::debug!(out_trade_no = no, "trade closed at the gateway"),
        // Never reached the cashier, or paid / closed already: the query below tells which.
        Err(ApiError::TradeNotExist | ApiError::TradeStatusError(_)) => {}
        Err(e) if e.is_retryable() => {
            tracing::warn!(error = %e, out_trade_no = no, "close: no answer, backing off");
            return Ok(Next::Backoff);
        }
        Err(e) => {
            tracing::warn!(error = %e, out_trade_no = no, "close refused; querying anyway")
        }
    }
    match shop.alipay().query(no).await {
        Ok(q) if q.trade_status.is_paid() => {
            apply_payment_fact(shop, &query_fact(&q)).await?;
            Ok(Next::Done)
        }
        Ok(q) if q.trade_status == TradeStatus::TradeClosed => {
            close_unpaid(
                shop,
                no,
                OrderStatus::TimedOut,
                EventSource::Expire,
                "trade closed at the gateway",
            )
            .await?;
            Ok(Next::Done)
        }
        Ok(q) => {
            tracing::warn!(
                out_trade_no = no,
                status = q.trade_status.as_str(),
                "still open after close"
            );
            Ok(Next::Backoff)
        }
        Err(ApiError::TradeNotExist) => {
            close_unpaid(
                shop,
                no,
                OrderStatus::TimedOut,
                EventSource::Expire,
                "buyer never reached the cashier",
            )
            .await?;
            Ok(Next::Done)
        }
        Err(e) => {
            tracing::warn!(error = %e, out_trade_no = no, "query after close failed, backing off");
            Ok(Next::Backoff)
        }
    }
}
