//! Whether another of the student's paid orders already gives one of an order's courses.
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::ShopError;
use crate::accounts::UserId;
use crate::entity::{order, order_course, user};
use crate::orders::OrderStatus;

/// The `out_trade_no` of the student's other paid order sharing a course with `o`, if any.
///
/// Runs inside the payment's transaction and first locks the student's row (`FOR UPDATE` on
/// PostgreSQL; SQLite's `BEGIN IMMEDIATE` already runs writers one at a time), so two payments for
/// two of one student's orders are judged one after the other: the second sees the first paid.
pub(crate) async fn paid_elsewhere(
    txn: &DatabaseTransaction,
    o: &order::Model,
) -> Result<Option<String>, ShopError> {
    let _: Option<UserId> = user::Entity::find_by_id(o.user_id)
        .select_only()
        .column(user::Column::Id)
        .lock_exclusive()
        .into_tuple()
        .one(txn)
        .await?;
    let mine = Query::select()
        .column(order_course::Column::CourseId)
        .from(order_course::Entity)
        .and_where(order_course::Column::OrderId.eq(o.id))
        .to_owned();
    let sharing = Query::select()
        .column(order_course::Column::OrderId)
        .from(order_course::Entity)
        .and_where(order_course::Column::CourseId.in_subquery(mine))
        .to_owned();
    let other: Option<String> = order::Entity::find()
        .select_only()
        .column(order::Column::OutTradeNo)
        .filter(order::Column::UserId.eq(o.user_id))
        .filter(order::Column::Status.eq(OrderStatus::Paid))
        .filter(order::Column::Id.ne(o.id))
        .filter(order::Column::Id.in_subquery(sharing))
        .order_by_asc(order::Column::Id)
        .into_tuple()
        .one(txn)
        .await?;
    Ok(other)
}
