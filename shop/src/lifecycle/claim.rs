//! Claiming work so that several instances never process one order twice and never skip one.
//!
//! A claim is one short transaction: select due orders (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
//! so concurrent claimers pass over each other's rows; `BEGIN IMMEDIATE` on SQLite, so claimers
//! queue), then stamp them with a lease (`claimed_until`, `claimed_by`). Others skip leased
//! rows until the lease ends; a crashed instance's orders come back when it does.
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, Condition, DatabaseBackend, DeriveIden, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entity::order;
use crate::{Shop, ShopError};

/// The jobs' bookkeeping columns on `order` (added by migration 000005).
#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum OrderJob {
    NextCheckAt,
    CheckAttempts,
    ClaimedUntil,
    ClaimedBy,
}

/// `table.column` for one of the job columns.
pub(crate) fn col(c: OrderJob) -> Expr {
    Expr::col((order::Entity, c))
}

/// Not leased by anyone, and due for a look.
fn claimable(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(
            Condition::any()
                .add(col(OrderJob::ClaimedUntil).is_null())
                .add(col(OrderJob::ClaimedUntil).lte(now)),
        )
        .add(
            Condition::any()
                .add(col(OrderJob::NextCheckAt).is_null())
                .add(col(OrderJob::NextCheckAt).lte(now)),
        )
}

/// Leases up to `limit` orders matching `filter` to `worker` until `now + lease`.
pub(crate) async fn claim(
    shop: &Shop,
    worker: &str,
    now: DateTime<Utc>,
    lease: Duration,
    filter: Condition,
    limit: u64,
) -> Result<Vec<order::Model>, ShopError> {
    let txn = shop.begin_write().await?;
    let mut q = order::Entity::find()
        .filter(filter)
        .filter(claimable(now))
        .order_by_asc(order::Column::Id)
        .limit(limit);
    if shop.db().get_database_backend() == DatabaseBackend::Postgres {
        q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = q.all(txn.conn()).await?;
    if !rows.is_empty() {
        order::Entity::update_many()
            .filter(order::Column::Id.is_in(rows.iter().map(|o| o.id)))
            .col_expr(OrderJob::ClaimedUntil, Expr::value(now + lease))
            .col_expr(OrderJob::ClaimedBy, Expr::value(worker.to_owned()))
            .exec(txn.conn())
            .await?;
    }
    txn.commit().await?;
    if !rows.is_empty() {
        tracing::debug!(worker, claimed = rows.len(), "orders claimed");
    }
    Ok(rows)
}

/// What to do with an order when its worker lets go of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// Done, or look again whenever it is due by its own criteria.
    Done,
    /// Look again at this time; the gateway answered.
    At(DateTime<Utc>),
    /// The gateway did not answer (20000, network): back off exponentially.
    Backoff,
}

/// Exponential back-off after `attempts` failures: `base * 2^(attempts-1)`, capped at `max`.
///
/// ```ignore
/// assert_eq!(backoff(1, Duration::seconds(30), Duration::minutes(30)), Duration::seconds(30));
/// ```
pub(crate) fn backoff(attempts: i32, base: Duration, max: Duration) -> Duration {
    let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(0);
    let factor = 2i32.saturating_pow(exp);
    base.checked_mul(factor).map_or(max, |d| d.min(max))
}

/// Ends `worker`'s lease on order `id` and schedules its next look.
pub(crate) async fn release(
    shop: &Shop,
    worker: &str,
    o: &order::Model,
    attempts: i32,
    next: Option<DateTime<Utc>>,
) -> Result<(), ShopError> {
    let update = order::Entity::update_many()
        .filter(order::Column::Id.eq(o.id))
        .filter(col(OrderJob::ClaimedBy).eq(worker))
        .col_expr(
            OrderJob::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(OrderJob::ClaimedBy, Expr::value(Option::<String>::None))
        .col_expr(OrderJob::NextCheckAt, Expr::value(next))
        .col_expr(OrderJob::CheckAttempts, Expr::value(attempts));
    let _turn = shop.write_turn().await;
    update.exec(shop.db()).await?;
    Ok(())
}

/// How many times the gateway failed to answer about this order in a row.
pub(crate) async fn attempts_of(shop: &Shop, id: i64) -> Result<i32, ShopError> {
    let n: Option<i32> = order::Entity::find()
        .select_only()
        .column_as(col(OrderJob::CheckAttempts), "n")
        .filter(order::Column::Id.eq(id))
        .into_tuple()
        .one(shop.db())
        .await?;
    Ok(n.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let (b, m) = (Duration::seconds(30), Duration::minutes(30));
        assert_eq!(backoff(1, b, m), Duration::seconds(30));
        assert_eq!(backoff(2, b, m), Duration::seconds(60));
        assert_eq!(backoff(3, b, m), Duration::seconds(120));
        assert_eq!(backoff(50, b, m), m);
        assert_eq!(backoff(0, b, m), b);
    }
}
