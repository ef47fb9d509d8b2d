//! The `sandbox_trades` table: one row per trade the buyer reached the cashier for.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sandbox_trades")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub app_id: String,
    pub out_trade_no: String,
    #[sea_orm(unique)]
    pub trade_no: String,
    /// `WAIT_BUYER_PAY`, `TRADE_SUCCESS`, `TRADE_CLOSED`, `TRADE_FINISHED`.
    pub status: String,
    pub total_cents: i64,
    pub refunded_cents: i64,
    pub subject: String,
    pub body: Option<String>,
    pub passback_params: Option<String>,
    pub notify_url: Option<String>,
    pub return_url: Option<String>,
    pub seller_id: String,
    pub seller_email: String,
    pub buyer_id: Option<String>,
    pub buyer_logon_id: Option<String>,
    pub gmt_create: DateTimeUtc,
    pub gmt_payment: Option<DateTimeUtc>,
    pub gmt_close: Option<DateTimeUtc>,
    pub time_expire: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
