//! Orders, paid amount and refunds per day (Beijing dates).
use std::collections::BTreeMap;

use alipay::Money;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::ShopError;
use crate::entity::order;
use crate::orders::OrderStatus;

/// One day of the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaySummary {
    /// `yyyy-MM-dd`, Beijing time.
    pub day: String,
    pub orders: u64,
    pub paid_orders: u64,
    /// What buyers paid that day (refunds not subtracted).
    pub paid: Money,
    pub refunded: Money,
}

/// The last `days` days up to `now`, oldest first, every day present (zero when idle).
///
/// ```no_run
/// # async fn f(db: &sea_orm::DatabaseConnection) -> Result<(), shop::ShopError> {
/// let week = shop::admin::daily_summary(db, chrono::Utc::now(), 7).await?;
/// assert_eq!(week.len(), 7);
/// # Ok(()) }
/// ```
pub async fn daily_summary(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    days: u32,
) -> Result<Vec<DaySummary>, ShopError> {
    let days = i64::from(days.clamp(1, 90));
    let day_of = alipay::clock::beijing_date;
    let mut by_day: BTreeMap<String, DaySummary> = (0..days)
        .map(|i| {
            let day = day_of(now - Duration::days(days - 1 - i));
            let empty = DaySummary {
                day: day.clone(),
                orders: 0,
                paid_orders: 0,
                paid: Money::from_cents(0),
                refunded: Money::from_cents(0),
            };
            (day, empty)
        })
        .collect();
    let since = now - Duration::days(days);
    let rows = order::Entity::find()
        .filter(order::Column::CreatedAt.gte(since))
        .all(db)
        .await?;
    for o in rows {
        if let Some(d) = by_day.get_mut(&day_of(o.created_at)) {
            d.orders += 1;
        }
        let paid =
            [OrderStatus::Paid, OrderStatus::Refunded].contains(&o.status) || o.pay_time.is_some();
        if let (true, Some(at)) = (paid, o.pay_time)
            && let Some(d) = by_day.get_mut(&day_of(at))
        {
            d.paid_orders += 1;
            d.paid = d
                .paid
                .checked_add(Money::from_cents(o.total_cents))
                .unwrap_or(d.paid);
            d.refunded = d
                .refunded
                .checked_add(Money::from_cents(o.refunded_cents))
                .unwrap_or(d.refunded);
        }
    }
    Ok(by_day.into_values().collect())
}
