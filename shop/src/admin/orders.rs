//! Every order, newest first, filtered by status and a search on order number or username.
use std::collections::HashMap;

use alipay::Money;
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::ShopError;
use crate::accounts::UserId;
use crate::entity::{order, user};
use crate::orders::OrderStatus;

/// What the console filters by.
#[derive(Clone, Debug, Default)]
pub struct AdminFilter {
    pub status: Option<OrderStatus>,
    /// A substring of the order number, or an exact username.
    pub search: Option<String>,
}

/// One row of the console's order list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminOrder {
    pub out_trade_no: String,
    pub username: String,
    pub subject: String,
    pub total: Money,
    pub refunded: Money,
    pub status: OrderStatus,
    pub trade_no: Option<String>,
    pub created_at: DateTime<Utc>,
    pub pay_time: Option<DateTime<Utc>>,
}

/// The newest 200 orders matching `filter`.
///
/// ```no_run
/// # async fn f(db: &sea_orm::DatabaseConnection) -> Result<(), shop::ShopError> {
/// let paid = shop::admin::list_orders(db, &shop::admin::AdminFilter {
///     status: Some(shop::orders::OrderStatus::Paid), search: None }).await?;
/// # Ok(()) }
/// ```
pub async fn list_orders(
    db: &DatabaseConnection,
    filter: &AdminFilter,
) -> Result<Vec<AdminOrder>, ShopError> {
    let mut q = order::Entity::find()
        .order_by_desc(order::Column::Id)
        .limit(200);
    if let Some(s) = filter.status {
        q = q.filter(order::Column::Status.eq(s));
    }
    if let Some(term) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let user_ids: Vec<UserId> = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .filter(user::Column::Username.eq(term))
            .into_tuple()
            .all(db)
            .await?;
        q = q.filter(
            Condition::any()
                .add(order::Column::OutTradeNo.contains(term))
                .add(order::Column::UserId.is_in(user_ids)),
        );
    }
    let rows = q.all(db).await?;
    let ids: Vec<UserId> = rows.iter().map(|o| o.user_id).collect();
    let names: HashMap<UserId, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.username))
        .collect();
    Ok(rows
        .into_iter()
        .map(|o| AdminOrder {
            username: names.get(&o.user_id).cloned().unwrap_or_default(),
            status: o.status,
            total: Money::from_cents(o.total_cents),
            refunded: Money::from_cents(o.refunded_cents),
            out_trade_no: o.out_trade_no,
            subject: o.subject,
            trade_no: o.trade_no,
            created_at: o.created_at,
            pay_time: o.pay_time,
        })
        .collect())
}
