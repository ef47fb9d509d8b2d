//! The `sandbox_notifies` table: one row per notify (same `notify_id` across its retries).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sandbox_notifies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub trade_id: i32,
    pub notify_id: String,
    pub notify_url: String,
    /// `pay`, `refund` or `close`.
    pub kind: String,
    /// The notify's fields (without `notify_time`, `sign`, `sign_type`) as a JSON object.
    pub params_json: String,
    /// Attempts made so far (at most 8).
    pub attempts: i32,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    pub next_attempt_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
