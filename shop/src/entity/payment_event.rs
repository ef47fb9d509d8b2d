//! A payment fact as it reached us (notify, return, query), with our verdict on it.
use sea_orm::entity::prelude::*;

use crate::payment::{EventSource, Verdict};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub order_id: Option<i64>,
    pub out_trade_no: String,
    pub source: EventSource,
    pub notify_id: Option<String>,
    pub trade_status: Option<String>,
    pub verdict: Verdict,
    pub detail: String,
    pub raw: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
