//! Reconciliation: asks the gateway about open orders that had a return but no notify, and about
//! open orders near expiry, and applies the answers through the one payment function.
use alipay::ApiError;
use sea_orm::{ColumnTrait, Condition};

use super::claim::Next;
use super::{Jobs, query_fact};
use crate::ShopError;
use crate::entity::order;
use crate::orders::OrderStatus;
use crate::payment::apply_payment_fact;

/// Queries every due open order, batch by batch; returns how many it queried.
pub(crate) async fn run(jobs: &Jobs) -> Result<usize, ShopError> {
    let due = |now: chrono::DateTime<chrono::Utc>| {
        Condition::all()
            .add(order::Column::Status.eq(OrderStatus::Unpaid))
            .add(order::Column::TimeExpire.gt(now))
            .add(
                Condition::any()
                    .add(order::Column::ReturnedAt.is_not_null())
                    .add(order::Column::TimeExpire.lte(now + jobs.settings.near_expiry)),
            )
    };
    jobs.drain("reconciliation", due, reconcile_one).await
}

async fn reconcile_one(jobs: &Jobs, o: &order::Model) -> Result<Next, ShopError> {
    let again = Next::At(jobs.now() + jobs.settings.recheck);
    match jobs.shop.alipay().query(&o.out_trade_no).await {
        Ok(q) => {
            let verdict = apply_payment_fact(&jobs.shop, &query_fact(&q)).await?;
            tracing::debug!(out_trade_no = %o.out_trade_no, status = q.trade_status.as_str(), verdict = verdict.as_str(), "reconciled");
            Ok(if q.trade_status.is_paid() {
                Next::Done
            } else {
                again
            })
        }
        Err(ApiError::TradeNotExist) => Ok(again),
        Err(e) if e.is_retryable() => {
            tracing::warn!(error = %e, out_trade_no = %o.out_trade_no, "query: no answer, backing off");
            Ok(Next::Backoff)
        }
        Err(e) => {
            tracing::warn!(error = %e, out_trade_no = %o.out_trade_no, "query refused, backing off");
            Ok(Next::Backoff)
        }
    }
}
