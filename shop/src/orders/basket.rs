//! What create-order reads before it writes: the courses asked for, each with whether the student
//! already owns it, in one statement (one round trip instead of three).
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};

use crate::ShopError;
use crate::accounts::UserId;
use crate::entity::{course, order, order_course};
use crate::orders::OrderStatus;

/// A course in the basket, priced by the server.
#[derive(Clone, Debug, FromQueryResult)]
pub(crate) struct BasketLine {
    pub id: i32,
    pub name: String,
    pub price_cents: i64,
    /// The student has a paid order with this course.
    pub owned: bool,
}

/// The courses among `ids` that exist, with ownership by `user_id`.
///
/// `EXISTS (SELECT 1 FROM order_course JOIN "order" ... WHERE user_id = ? AND status = paid AND
/// course_id = course.id)`: driven by `idx_order_user (user_id, status)`, then probed by
/// `uq_order_course (order_id, course_id)`.
pub(crate) async fn basket(
    db: &impl ConnectionTrait,
    user_id: UserId,
    ids: &[i32],
) -> Result<Vec<BasketLine>, ShopError> {
    let owned = Query::select()
        .expr(Expr::val(1))
        .from(order::Entity)
        .inner_join(
            order_course::Entity,
            Expr::col((order_course::Entity, order_course::Column::OrderId))
                .equals((order::Entity, order::Column::Id)),
        )
        .and_where(Expr::col((order::Entity, order::Column::UserId)).eq(user_id))
        .and_where(Expr::col((order::Entity, order::Column::Status)).eq(OrderStatus::Paid))
        .and_where(
            Expr::col((order_course::Entity, order_course::Column::CourseId))
                .equals((course::Entity, course::Column::Id)),
        )
        .to_owned();
    Ok(course::Entity::find()
        .select_only()
        .column(course::Column::Id)
        .column(course::Column::Name)
        .column(course::Column::PriceCents)
        .expr_as(Expr::exists(owned), "owned")
        .filter(course::Column::Id.is_in(ids.iter().copied()))
        .into_model::<BasketLine>()
        .all(db)
        .await?)
}
