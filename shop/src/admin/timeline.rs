//! What happened to one order, in order: creation, every notify, return and query with its
//! verdict, and every refund; a page of payment events at a time.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::ShopError;
use crate::entity::{order, payment_event, refund};

/// Payment events per page.
pub const TIMELINE_PAGE: u64 = 50;

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

/// One page of an order's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelinePage {
    /// Oldest first: on the first page the creation, then up to [`TIMELINE_PAGE`] payment events
    /// with the refunds made among them.
    pub entries: Vec<TimelineEntry>,
    /// Pass as `after` for the next page; `None` on the last one.
    pub next_after: Option<i64>,
    /// Refused notifies for this order that were only counted, not stored (over the limit).
    pub refused_not_stored: i64,
}

/// The first page of the timeline of `out_trade_no`, oldest first (see [`timeline_page`]).
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
    Ok(timeline_page(db, out_trade_no, None).await?.entries)
}

/// The page of the timeline of `out_trade_no` after the payment event `after` (`None`: the first
/// page). Each refund appears on exactly one page: the one whose events span its time.
///
/// ```no_run
/// # async fn f(db: &sea_orm::DatabaseConnection) -> Result<(), shop::ShopError> {
/// let mut page = shop::admin::timeline_page(db, "CP2026...", None).await?;
/// while let Some(after) = page.next_after {
///     page = shop::admin::timeline_page(db, "CP2026...", Some(after)).await?;
/// }
/// # Ok(()) }
/// ```
pub async fn timeline_page(
    db: &DatabaseConnection,
    out_trade_no: &str,
    after: Option<i64>,
) -> Result<TimelinePage, ShopError> {
    let o = order::Entity::find()
        .filter(order::Column::OutTradeNo.eq(out_trade_no))
        .one(db)
        .await?
        .ok_or(ShopError::NotFound("订单"))?;
    let mine = payment_event::Column::OutTradeNo.eq(out_trade_no);
    let mut events = payment_event::Entity::find()
        .filter(mine.clone())
        .filter(payment_event::Column::Id.gt(after.unwrap_or(0)))
        .order_by_asc(payment_event::Column::Id)
        .limit(TIMELINE_PAGE + 1)
        .all(db)
        .await?;
    let more = events.len() as u64 > TIMELINE_PAGE;
    events.truncate(TIMELINE_PAGE as usize);
    let next_after = more.then(|| events.last().map(|e| e.id)).flatten();
    // Refunds between the previous page's last event (exclusive) and this page's last (inclusive).
    let since = match after {
        None => None,
        Some(id) => payment_event::Entity::find_by_id(id)
            .filter(mine)
            .one(db)
            .await?
            .map(|e| e.created_at),
    };
    let until = next_after.and(events.last().map(|e| e.created_at));
    let mut out = Vec::with_capacity(events.len() + 2);
    if after.is_none() {
        out.push(TimelineEntry {
            at: o.created_at,
            source: "created".to_owned(),
            trade_status: None,
            verdict: "created".to_owned(),
            detail: format!(
                "{} ¥{}",
                o.subject,
                alipay::Money::from_cents(o.total_cents)
            ),
        });
    }
    out.extend(events.into_iter().map(|e| TimelineEntry {
        at: e.created_at,
        source: e.source.as_str().to_owned(),
        trade_status: e.trade_status,
        verdict: e.verdict.as_str().to_owned(),
        detail: e.detail,
    }));
    if after.is_none() || since.is_some() {
        let mut q = refund::Entity::find().filter(refund::Column::OrderId.eq(o.id));
        if let Some(t) = since {
            q = q.filter(refund::Column::CreatedAt.gt(t));
        }
        if let Some(t) = until {
            q = q.filter(refund::Column::CreatedAt.lte(t));
        }
        let refunds = q.order_by_asc(refund::Column::Id).all(db).await?;
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
    }
    out.sort_by_key(|e| e.at);
    Ok(TimelinePage {
        entries: out,
        next_after,
        refused_not_stored: crate::payment::refused_not_stored(db, out_trade_no).await?,
    })
}
