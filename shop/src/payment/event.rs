//! The merchant's record of every payment fact that reached us.
use chrono::Utc;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::ShopError;
use crate::entity::payment_event;

/// Raw bodies are kept up to this size (a notify is about 2 KB; anything larger is an attack).
const MAX_RAW: usize = 16 * 1024;

/// One row of the timeline.
pub(crate) struct Event<'a> {
    pub order_id: Option<i64>,
    pub out_trade_no: &'a str,
    pub source: &'a str,
    pub notify_id: Option<&'a str>,
    pub trade_status: Option<&'a str>,
    pub verdict: &'a str,
    pub detail: String,
    pub raw: &'a str,
}

pub(crate) async fn record(db: &impl ConnectionTrait, e: Event<'_>) -> Result<(), ShopError> {
    let raw: String = e
        .raw
        .chars()
        .scan(0usize, |n, c| {
            *n += c.len_utf8();
            (*n <= MAX_RAW).then_some(c)
        })
        .collect();
    let out_trade_no: String = e.out_trade_no.chars().take(64).collect();
    payment_event::Entity::insert(payment_event::ActiveModel {
        order_id: Set(e.order_id),
        out_trade_no: Set(out_trade_no),
        source: Set(e.source.to_owned()),
        notify_id: Set(e.notify_id.map(|s| s.chars().take(128).collect())),
        trade_status: Set(e.trade_status.map(|s| s.chars().take(32).collect())),
        verdict: Set(e.verdict.to_owned()),
        detail: Set(e.detail),
        raw: Set(raw),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}
