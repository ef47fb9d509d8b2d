//! What the merchant console shows. Money as decimal strings.
use serde::{Deserialize, Serialize};

/// One order in the console list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOrderDto {
    pub out_trade_no: String,
    pub username: String,
    pub subject: String,
    pub total: String,
    pub refunded: String,
    pub status: i16,
    pub status_label: String,
    pub trade_no: Option<String>,
    pub created_at: String,
    pub pay_time: Option<String>,
}

/// One event of an order's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineDto {
    pub at: String,
    pub source: String,
    pub trade_status: Option<String>,
    pub verdict: String,
    pub detail: String,
}

/// One page of an order's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelinePageDto {
    pub entries: Vec<TimelineDto>,
    /// The `after` of the next page, if there is one.
    pub next_after: Option<i64>,
    /// Refused notifies over the limit: counted, not stored.
    pub refused_not_stored: i64,
}

/// One day of the summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayDto {
    pub day: String,
    pub orders: u64,
    pub paid_orders: u64,
    pub paid: String,
    pub paid_cents: i64,
    pub refunded: String,
}

#[cfg(feature = "ssr")]
mod convert {
    use super::*;

    impl From<shop::admin::AdminOrder> for AdminOrderDto {
        fn from(o: shop::admin::AdminOrder) -> Self {
            AdminOrderDto {
                out_trade_no: o.out_trade_no,
                username: o.username,
                subject: o.subject,
                total: o.total.to_string(),
                refunded: o.refunded.to_string(),
                status: o.status.code(),
                status_label: o.status.label().to_owned(),
                trade_no: o.trade_no,
                created_at: shop::alipay_time(o.created_at),
                pay_time: o.pay_time.map(shop::alipay_time),
            }
        }
    }

    impl From<shop::admin::TimelineEntry> for TimelineDto {
        fn from(e: shop::admin::TimelineEntry) -> Self {
            TimelineDto {
                at: shop::alipay_time(e.at),
                source: e.source,
                trade_status: e.trade_status,
                verdict: e.verdict,
                detail: e.detail,
            }
        }
    }

    impl From<shop::admin::TimelinePage> for TimelinePageDto {
        fn from(p: shop::admin::TimelinePage) -> Self {
            TimelinePageDto {
                entries: p.entries.into_iter().map(Into::into).collect(),
                next_after: p.next_after,
                refused_not_stored: p.refused_not_stored,
            }
        }
    }

    impl From<shop::admin::DaySummary> for DayDto {
        fn from(d: shop::admin::DaySummary) -> Self {
            DayDto {
                day: d.day,
                orders: d.orders,
                paid_orders: d.paid_orders,
                paid: d.paid.to_string(),
                paid_cents: d.paid.cents(),
                refunded: d.refunded.to_string(),
            }
        }
    }
}
