//! What happened to one order, in order: creation, every notify, return and query with its
//! verdict, and every refund.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::ShopError;
use crate::entity::{order, payment_event, refund};

/// One event on an order's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// `created`, `notify`, `return`, `query`, `expire`, `cancel`, `refund`, ...
    pub source: String,
    pub trade_status: Option<String>,
    /// `applied`, `duplicate`, `amount_mismatch`, `pending`, `success`, ...
    pub verdict: String,
    pub detail: String,
}

/// The timeline of `out_trade_no`, oldest first.
///
/// ```no_run
/// # async fn f(db: &sea_orm::DatabaseConnection) -> Result<(), shop::ShopError> {
/// for e in shop::admin::timeline(db, "CP2026...").await? {
///     println!("{} {} {}", e.at, e.source, e.verdict);
/// }
/// # Ok(()) }
/// ```
pub async fn timeline(
    db: &DatabaseConnection,
    out_trade_no: &str,
) -> Result<Vec<TimelineEntry>, ShopError> {
    let o = order::Entity::find()
        .filter(order::Column::OutTradeNo.eq(out_trade_no))
        .one(db)
        .await?
        .ok_or(ShopError::NotFound("订单"))?;
    let mut out = vec![TimelineEntry {
        at: o.created_at,
        source: "created".to_owned(),
        trade_status: None,
        verdict: "created".to_owned(),
        detail: format!(
            "{} ¥{}",
            o.subject,
            alipay::Money::from_cents(o.total_cents)
        ),
    }];
    let events = payment_event::Entity::find()
        .filter(payment_event::Column::OutTradeNo.eq(out_trade_no))
        .order_by_asc(payment_event::Column::Id)
        .all(db)
        .await?;
    out.extend(events.into_iter().map(|e| TimelineEntry {
        at: e.created_at,
        source: e.source,
        trade_status: e.trade_status,
        verdict: e.verdict,
        detail: e.detail,
    }));
    let refunds = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(o.id))
        .order_by_asc(refund::Column::Id)
        .all(db)
        .await?;
    out.extend(refunds.into_iter().map(|r| TimelineEntry {
        at: r.created_at,
        source: "refund".to_owned(),
        trade_status: None,
        verdict: r.status,
        detail: format!(
            "{} ¥{} {}",
            r.out_request_no,
            alipay::Money::from_cents(r.amount_cents),
            r.reason
        ),
    }));
    out.sort_by_key(|e| e.at);
    Ok(out)
}
