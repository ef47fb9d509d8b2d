//! Reading orders: a student's list, one order, and the courses a student owns.
use std::collections::{HashMap, HashSet};

use alipay::Money;
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
};

use crate::ShopError;
use crate::entity::{course, order, order_course};
use crate::orders::OrderStatus;

/// An order as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderView {
    pub id: i64,
    pub out_trade_no: String,
    pub subject: String,
    pub total: Money,
    pub status: OrderStatus,
    pub trade_no: Option<String>,
    pub pay_time: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub time_expire: DateTime<Utc>,
    /// (course id, course name) in the order.
    pub courses: Vec<(i32, String)>,
}

/// The ids of the courses this student has paid for (one statement: the student's paid orders,
/// by `idx_order_user`, joined to their courses).
pub async fn owned_course_ids(
    db: &DatabaseConnection,
    user_id: i32,
) -> Result<HashSet<i32>, ShopError> {
    let ids: Vec<i32> = order_course::Entity::find()
        .select_only()
        .column(order_course::Column::CourseId)
        .join(
            JoinType::InnerJoin,
            order_course::Entity::belongs_to(order::Entity)
                .from(order_course::Column::OrderId)
                .to(order::Column::Id)
                .into(),
        )
        .filter(order::Column::UserId.eq(user_id))
        .filter(order::Column::Status.eq(OrderStatus::Paid.code()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().collect())
}

/// The student's orders, newest first.
pub async fn list_orders(
    db: &DatabaseConnection,
    user_id: i32,
) -> Result<Vec<OrderView>, ShopError> {
    let orders = order::Entity::find()
        .filter(order::Column::UserId.eq(user_id))
        .order_by_desc(order::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    views(db, orders).await
}

/// One order, if it is this student's (otherwise "订单不存在", never someone else's order).
pub async fn order_for_user(
    db: &DatabaseConnection,
    user_id: i32,
    out_trade_no: &str,
) -> Result<OrderView, ShopError> {
    let found = order::Entity::find()
        .filter(order::Column::OutTradeNo.eq(out_trade_no))
        .filter(order::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(ShopError::NotFound("订单"))?;
    views(db, vec![found])
        .await?
        .pop()
        .ok_or(ShopError::NotFound("订单"))
}

async fn views(
    db: &DatabaseConnection,
    orders: Vec<order::Model>,
) -> Result<Vec<OrderView>, ShopError> {
    let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    let lines = order_course::Entity::find()
        .filter(order_course::Column::OrderId.is_in(ids))
        .all(db)
        .await?;
    let course_ids: Vec<i32> = lines.iter().map(|l| l.course_id).collect();
    let names: HashMap<i32, String> = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    orders
        .into_iter()
        .map(|o| {
            let status = OrderStatus::from_code(o.status)
                .ok_or_else(|| ShopError::bug(format!("order {} has status {}", o.id, o.status)))?;
            let courses = lines
                .iter()
                .filter(|l| l.order_id == o.id)
                .map(|l| {
                    (
                        l.course_id,
                        names.get(&l.course_id).cloned().unwrap_or_default(),
                    )
                })
                .collect();
            Ok(OrderView {
                id: o.id,
                out_trade_no: o.out_trade_no,
                subject: o.subject,
                total: Money::from_cents(o.total_cents),
                status,
                trade_no: o.trade_no,
                pay_time: o.pay_time,
                created_at: o.created_at,
                time_expire: o.time_expire,
                courses,
            })
        })
        .collect()
}
