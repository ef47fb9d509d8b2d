//! The merchant's record of every payment fact that reached us.
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::ShopError;
use crate::entity::payment_event;
use crate::payment::{EventSource, Verdict};

/// Raw bodies are kept up to this size (a notify is about 2 KB; anything larger is an attack).
const MAX_RAW: usize = 16 * 1024;

/// Details are kept up to this size.
pub const MAX_DETAIL: usize = 512;

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
pub(crate) fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// One row of the timeline.
pub(crate) struct Event<'a> {
    pub order_id: Option<i64>,
    pub out_trade_no: &'a str,
    pub source: EventSource,
    pub notify_id: Option<&'a str>,
    pub trade_status: Option<&'a str>,
    pub verdict: Verdict,
    /// Cut to [`MAX_DETAIL`] bytes when stored.
    pub detail: String,
    /// Cut to 16 KiB when stored.
    pub raw: &'a str,
}

/// Stores `e` as happening at `now` (the shop's clock).
pub(crate) async fn record(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    e: Event<'_>,
) -> Result<(), ShopError> {
    let raw = cut(e.raw, MAX_RAW).to_owned();
    let detail = cut(&e.detail, MAX_DETAIL).to_owned();
    let out_trade_no: String = e.out_trade_no.chars().take(64).collect();
    payment_event::Entity::insert(payment_event::ActiveModel {
        order_id: Set(e.order_id),
        out_trade_no: Set(out_trade_no),
        source: Set(e.source),
        notify_id: Set(e.notify_id.map(|s| s.chars().take(128).collect())),
        trade_status: Set(e.trade_status.map(|s| s.chars().take(32).collect())),
        verdict: Set(e.verdict),
        detail: Set(detail),
        raw: Set(raw),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::cut;

    #[test]
    fn cuts_on_char_boundaries() {
        assert_eq!(cut("", 3), "");
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abcd", 3), "abc");
        assert_eq!(cut("课程", 4), "课");
        assert_eq!(cut("课程", 2), "");
        assert_eq!(cut("a课", 3), "a");
        assert_eq!(cut("a课", 4), "a课");
    }
}
