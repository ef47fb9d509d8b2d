//! An order: what a student buys, its Alipay trade and its payment state.
use sea_orm::entity::prelude::*;

use crate::accounts::UserId;
use crate::orders::OrderStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub out_trade_no: String,
    pub user_id: UserId,
    pub subject: String,
    pub total_cents: i64,
    pub status: OrderStatus,
    pub pay_type: i16,
    pub trade_no: Option<String>,
    pub buyer_id: Option<String>,
    pub pay_time: Option<DateTimeUtc>,
    pub time_expire: DateTimeUtc,
    pub returned_at: Option<DateTimeUtc>,
    pub refunded_cents: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// "user id:sorted course ids" while the order is unpaid, else `NULL` (unique: one open order
    /// per student and course set).
    pub open_key: Option<String>,
    /// The signed page-pay URL handed out for this order, and until when it may be handed out again
    /// (never after `time_expire`).
    pub pay_url: Option<String>,
    pub pay_url_expires_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
