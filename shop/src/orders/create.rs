//! Creating an order: the server alone prices it and signs the page-pay request; a second click
//! for the same courses gets the open order back.
use std::collections::HashSet;

use alipay::Money;
use chrono::{DateTime, Utc};
use sea_orm::{EntityTrait, Set};

use crate::accounts::UserId;
use crate::entity::{order, order_course};
use crate::orders::OrderStatus;
use crate::orders::basket::{BasketLine, basket};
use crate::orders::number::new_out_trade_no;
use crate::orders::open::{self, Slot, open_key};
use crate::{Shop, ShopError};

/// At most this many courses in one order.
pub const MAX_COURSES_PER_ORDER: usize = 20;

/// What the student asks for.
#[derive(Clone, Debug)]
pub struct NewOrder<'a> {
    pub user_id: UserId,
    /// Course ids joined with commas, e.g. "1,2,3" (the seed's `goods_pks`).
    pub goods_pks: &'a str,
    /// The total the client believes it pays; refused if it is not the server's price.
    pub total_amount: &'a str,
}

/// A created order and where to send the browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedOrder {
    pub out_trade_no: String,
    pub subject: String,
    pub total: Money,
    /// The signed `alipay.trade.page.pay` URL on the configured gateway.
    pub pay_url: String,
}

/// Parses "1,2,3": positive ids, no duplicates, at most [`MAX_COURSES_PER_ORDER`].
///
/// ```
/// assert_eq!(shop::orders::parse_goods_pks(" 1, 3 ").unwrap(), vec![1, 3]);
/// assert!(shop::orders::parse_goods_pks("1,1").is_err());
/// assert!(shop::orders::parse_goods_pks("x").is_err());
/// ```
pub fn parse_goods_pks(goods_pks: &str) -> Result<Vec<i32>, ShopError> {
    let bad = |m: &str| ShopError::invalid("goods_pks", m);
    if goods_pks.len() > 256 {
        return Err(bad("课程数量过多"));
    }
    let mut ids = Vec::new();
    let mut seen = HashSet::new();
    for part in goods_pks.split(',') {
        let id: i32 = part.trim().parse().map_err(|_| bad("课程编号格式错误"))?;
        if id <= 0 {
            return Err(bad("课程编号格式错误"));
        }
        if !seen.insert(id) {
            return Err(bad("课程重复"));
        }
        ids.push(id);
    }
    if ids.len() > MAX_COURSES_PER_ORDER {
        return Err(bad("课程数量过多"));
    }
    Ok(ids)
}

/// Prices the courses, refuses a differing client total, and either hands out the student's open
/// order for exactly these courses again (same `out_trade_no`, same pay URL while it is valid) or
/// writes a new order and its courses in one transaction.
///
/// Round trips: one read (courses with ownership, [`basket`]) and one read of the open order for
/// this course set; for a new order, the signature (off the async workers), then `BEGIN
/// IMMEDIATE`, the open key's holder (`FOR UPDATE`), the order (`INSERT ... ON CONFLICT (open_key)
/// DO NOTHING RETURNING id`), its courses (one multi-row `INSERT`) and `COMMIT`, on SQLite in this
/// instance's write turn. The unique open key makes concurrent creates for one set, on any
/// number of instances, end with one order (see [`open`](super::open)).
///
/// ```no_run
/// # async fn f(shop: &shop::Shop) -> Result<(), shop::ShopError> {
/// let o = shop::orders::create_order(shop, shop::orders::NewOrder { user_id: shop::accounts::UserId(1), goods_pks: "1", total_amount: "99.00" }).await?;
/// println!("send the browser to {}", o.pay_url);
/// # Ok(()) }
/// ```
#[tracing::instrument(skip_all, fields(user_id = req.user_id.0, out_trade_no = tracing::field::Empty))]
pub async fn create_order(shop: &Shop, req: NewOrder<'_>) -> Result<CreatedOrder, ShopError> {
    let ids = parse_goods_pks(req.goods_pks)?;
    let client_total: Money = req
        .total_amount
        .trim()
        .parse()
        .map_err(|_| ShopError::invalid("total_amount", "金额格式错误"))?;
    let courses = basket(shop.db(), req.user_id, &ids).await?;
    if let Some(missing) = ids.iter().find(|id| !courses.iter().any(|c| c.id == **id)) {
        return Err(ShopError::invalid(
            "goods_pks",
            format!("课程 {missing} 不存在"),
        ));
    }
    if let Some(c) = courses.iter().find(|c| c.owned) {
        return Err(ShopError::AlreadyBought(c.name.clone()));
    }
    let total = courses
        .iter()
        .try_fold(Money::from_cents(0), |sum, c| {
            sum.checked_add(Money::from_cents(c.price_cents))
        })
        .ok_or_else(|| ShopError::invalid("goods_pks", "金额超出范围"))?;
    if total != client_total {
        return Err(ShopError::PriceTampered);
    }
    alipay::money::validate_total_amount(total)
        .map_err(|e| ShopError::invalid("total_amount", e.to_string()))?;

    let key = open_key(req.user_id, &ids);
    let now = shop.clock().now();
    // A second click for the same courses: the open order again, without a write.
    if let Some(o) = open::holder(shop.db(), &key).await?
        && open::reusable(shop, &o, total, now)
    {
        return reuse(shop, o, now).await;
    }
    let expire = now + shop.order_timeout();
    let out_trade_no = new_out_trade_no(now)?;
    tracing::Span::current().record("out_trade_no", out_trade_no.as_str());
    let subject = subject_for(&courses);
    // Signed before the transaction so the URL is stored with the order, in the same write.
    let signed = open::sign(shop, out_trade_no.as_str(), total, &subject, expire, now).await?;
    let txn = shop.begin_write().await?;
    let new = order::ActiveModel {
        out_trade_no: Set(out_trade_no.as_str().to_owned()),
        user_id: Set(req.user_id),
        subject: Set(subject.clone()),
        total_cents: Set(total.cents()),
        status: Set(OrderStatus::Unpaid),
        pay_type: Set(1),
        time_expire: Set(expire),
        refunded_cents: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        open_key: Set(Some(key.clone())),
        pay_url: Set(Some(signed.url.clone())),
        pay_url_expires_at: Set(Some(signed.until)),
        ..Default::default()
    };
    let order_id = match open::insert_or_reuse(shop, txn.conn(), new, &key, total, now).await? {
        Slot::Inserted(id) => id,
        Slot::Reused(o) => {
            txn.commit().await?;
            return reuse(shop, *o, now).await;
        }
    };
    let lines = courses.iter().map(|c| order_course::ActiveModel {
        order_id: Set(order_id),
        course_id: Set(c.id),
        price_cents: Set(c.price_cents),
        ..Default::default()
    });
    order_course::Entity::insert_many(lines)
        .exec_without_returning(txn.conn())
        .await?;
    txn.commit().await?;
    tracing::info!(%total, "order created");
    Ok(CreatedOrder {
        out_trade_no: out_trade_no.as_str().to_owned(),
        subject,
        total,
        pay_url: signed.url,
    })
}

/// The student's open order for the same courses, handed out again.
async fn reuse(
    shop: &Shop,
    o: order::Model,
    now: DateTime<Utc>,
) -> Result<CreatedOrder, ShopError> {
    tracing::Span::current().record("out_trade_no", o.out_trade_no.as_str());
    let pay_url = open::pay_url(shop, &o, now).await?;
    tracing::info!("open order handed out again");
    Ok(CreatedOrder {
        total: Money::from_cents(o.total_cents),
        out_trade_no: o.out_trade_no,
        subject: o.subject,
        pay_url,
    })
}

/// "Python 开发入门" or "Python 开发入门 等 3 门课程", without the characters Alipay forbids.
fn subject_for(courses: &[BasketLine]) -> String {
    let first: String = courses
        .first()
        .map(|c| {
            c.name
                .chars()
                .filter(|ch| !matches!(ch, '/' | '=' | '&'))
                .take(200)
                .collect()
        })
        .unwrap_or_default();
    if courses.len() > 1 {
        format!("{first} 等 {} 门课程", courses.len())
    } else {
        first
    }
}
