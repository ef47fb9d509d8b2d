//! The `sandbox_notify_attempts` table: every POST (or dropped POST) and what the merchant answered.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sandbox_notify_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub delivery_id: i32,
    /// 1..=8.
    pub attempt_no: i32,
    /// 0.. for concurrent copies.
    pub copy_no: i32,
    pub scheduled_at: DateTimeUtc,
    pub sent_at: DateTimeUtc,
    pub http_status: Option<i32>,
    pub response_body: String,
    pub error: Option<String>,
    pub delivered: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
