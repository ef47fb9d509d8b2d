//! The `sandbox_refunds` table: one row per accepted `out_request_no`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sandbox_refunds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub trade_id: i32,
    pub out_request_no: String,
    pub refund_cents: i64,
    /// Cumulative refunded amount after this refund.
    pub refund_fee_cents: i64,
    pub gmt_refund: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
