//! One unpaid order per student and course set. While an order is unpaid it holds an *open key*
//! ("user id:sorted course ids") under a unique index, so the database itself refuses a second
//! open order for the same set, whichever instance asks. A second 立即购买 gets the open order
//! back (same `out_trade_no`, same signed pay URL while it is valid); an order that is paid,
//! closed, or too close to its `time_expire` no longer blocks a new one.
use alipay::{Money, PagePay};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QuerySelect, TryInsertResult,
};

use crate::accounts::UserId;
use crate::entity::order;
use crate::orders::OrderStatus;
use crate::{Shop, ShopError};

/// A stored pay URL is handed out again for at most this long after signing (well inside the
/// gateway's tolerance for the request `timestamp`), and never after the order's `time_expire`.
pub const PAY_URL_TTL: Duration = Duration::hours(1);

/// An open order with less than this left (capped at half the order timeout) is not handed out
/// again: the student would reach a cashier about to close. A new order is created instead.
pub const REUSE_MARGIN: Duration = Duration::minutes(1);

/// How often a create retries after a concurrent creator took the key first.
const ATTEMPTS: usize = 3;

/// The open key of `user_id`'s order for `ids` (any order, no duplicates): the same set gives the
/// same key, a different set a different one. At most 11 + 20 × 11 characters.
///
/// ```
/// use shop::accounts::UserId;
/// assert_eq!(shop::orders::open_key(UserId(7), &[3, 1, 2]), "7:1,2,3");
/// assert_ne!(shop::orders::open_key(UserId(7), &[1]), shop::orders::open_key(UserId(7), &[1, 2]));
/// ```
pub fn open_key(user_id: UserId, ids: &[i32]) -> String {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    let ids: Vec<String> = sorted.iter().map(i32::to_string).collect();
    format!("{user_id}:{}", ids.join(","))
}

/// Whether `o` may be handed out again at `now` for a basket priced `total`.
pub(crate) fn reusable(shop: &Shop, o: &order::Model, total: Money, now: DateTime<Utc>) -> bool {
    let margin = REUSE_MARGIN.min(shop.order_timeout() / 2);
    o.status == OrderStatus::Unpaid
        && o.total_cents == total.cents()
        && o.time_expire - margin > now
}

/// The order holding `key` (read without a lock: a fast path before any write).
pub(crate) async fn holder(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<order::Model>, ShopError> {
    Ok(order::Entity::find()
        .filter(order::Column::OpenKey.eq(key))
        .one(db)
        .await?)
}

/// A freshly signed page-pay URL for an order, and until when it may be handed out again.
pub(crate) struct Signed {
    pub url: String,
    pub until: DateTime<Utc>,
}

/// Signs the page-pay request (RSA, ~0.2 ms, off the async workers).
pub(crate) async fn sign(
    shop: &Shop,
    out_trade_no: &str,
    total: Money,
    subject: &str,
    time_expire: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Signed, ShopError> {
    let no = alipay::pagepay::OutTradeNo::new(out_trade_no)
        .map_err(|e| ShopError::internal("order number", e))?;
    let pay = PagePay::builder(no, total, subject)
        .time_expire(time_expire)
        .build()
        .map_err(|e| ShopError::internal("page-pay request", e))?;
    let signer = shop.clone();
    let url = crate::blocking::spawn(move || {
        let url = signer.alipay().page_pay_url(&pay);
        tracing::debug!("page-pay request signed");
        url
    })
    .await
    .map_err(|e| ShopError::internal("signing task", e))?
    .map_err(|e| ShopError::internal("signing the pay URL", e))?;
    Ok(Signed {
        url,
        until: time_expire.min(now + PAY_URL_TTL),
    })
}

/// What the create transaction found.
pub(crate) enum Slot {
    /// The new order (its id) was written under the key.
    Inserted(i64),
    /// An open order for the same set already holds the key: hand it out again.
    Reused(Box<order::Model>),
}

/// Inside the create transaction: writes `new` under its open key, unless an order that may be
/// handed out again holds the key; an order that may not (expired, repriced) gives the key up.
///
/// Two creators racing for one key: on SQLite `BEGIN IMMEDIATE` runs them one after the other; on
/// PostgreSQL the second `INSERT ... ON CONFLICT (open_key) DO NOTHING` waits for the first to
/// commit, inserts nothing, and the second look finds the first's order.
pub(crate) async fn insert_or_reuse(
    shop: &Shop,
    txn: &DatabaseTransaction,
    new: order::ActiveModel,
    key: &str,
    total: Money,
    now: DateTime<Utc>,
) -> Result<Slot, ShopError> {
    for _ in 0..ATTEMPTS {
        let held = order::Entity::find()
            .filter(order::Column::OpenKey.eq(key))
            .lock_exclusive()
            .one(txn)
            .await?;
        if let Some(o) = held {
            if reusable(shop, &o, total, now) {
                return Ok(Slot::Reused(Box::new(o)));
            }
            release(txn, o.id).await?;
        }
        // `exec`, not `exec_with_returning`: only the former reports "nothing inserted" as such.
        let inserted = order::Entity::insert(new.clone())
            .on_conflict_do_nothing_on([order::Column::OpenKey])
            .exec(txn)
            .await?;
        if let TryInsertResult::Inserted(r) = inserted {
            return Ok(Slot::Inserted(r.last_insert_id));
        }
    }
    Err(ShopError::State("订单正在创建中，请稍后再试".to_owned()))
}

/// The order no longer blocks a new one for its course set.
async fn release(txn: &DatabaseTransaction, id: i64) -> Result<(), ShopError> {
    order::Entity::update_many()
        .filter(order::Column::Id.eq(id))
        .col_expr(order::Column::OpenKey, Expr::value(Option::<String>::None))
        .exec(txn)
        .await?;
    Ok(())
}

/// The pay URL of an open order handed out again: the stored one while it is valid, otherwise a
/// fresh signature, stored for the next click (if a concurrent click stored one first, that one).
pub(crate) async fn pay_url(
    shop: &Shop,
    o: &order::Model,
    now: DateTime<Utc>,
) -> Result<String, ShopError> {
    if let (Some(url), Some(until)) = (&o.pay_url, o.pay_url_expires_at)
        && until > now
    {
        return Ok(url.clone());
    }
    let total = Money::from_cents(o.total_cents);
    let signed = sign(shop, &o.out_trade_no, total, &o.subject, o.time_expire, now).await?;
    let stale = Condition::any()
        .add(order::Column::PayUrlExpiresAt.is_null())
        .add(order::Column::PayUrlExpiresAt.lte(now));
    let stored = {
        let _turn = shop.write_turn().await;
        order::Entity::update_many()
            .filter(order::Column::Id.eq(o.id))
            .filter(order::Column::Status.eq(OrderStatus::Unpaid))
            .filter(stale)
            .col_expr(order::Column::PayUrl, Expr::value(signed.url.clone()))
            .col_expr(order::Column::PayUrlExpiresAt, Expr::value(signed.until))
            .exec(shop.db())
            .await?
            .rows_affected
    };
    if stored == 0
        && let Some(now_stored) = order::Entity::find_by_id(o.id).one(shop.db()).await?
        && let (Some(url), Some(until)) = (now_stored.pay_url, now_stored.pay_url_expires_at)
        && until > now
    {
        return Ok(url);
    }
    Ok(signed.url)
}
