//! Refused notifies per order number: stored in the current window, and counted beyond it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notify_refusal")]
pub struct Model {
    /// The order number the refused notifies named ("" for every number that is no order of ours).
    #[sea_orm(primary_key, auto_increment = false)]
    pub out_trade_no: String,
    pub window_start: DateTimeUtc,
    pub stored_in_window: i32,
    /// Refused and not stored (over the limit), since the first one.
    pub counted: i64,
    pub last_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
