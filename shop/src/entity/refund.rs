//! A refund we asked the gateway for: its `out_request_no` is stored before the call, so a retry
//! reuses it and the gateway refunds at most once.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refund")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub out_trade_no: String,
    #[sea_orm(unique)]
    pub out_request_no: String,
    pub amount_cents: i64,
    pub reason: String,
    /// `pending` (asked, not confirmed), `success` (confirmed by refund query), `failed`.
    pub status: String,
    pub detail: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
