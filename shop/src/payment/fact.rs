//! A verified statement from the gateway about one trade, and what we made of it.
use alipay::{Money, TradeStatus};
use chrono::{DateTime, Utc};

use crate::orders::status::Signal;

/// Where a fact came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Notify,
    Return,
    Query,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Notify => "notify",
            Source::Return => "return",
            Source::Query => "query",
        }
    }
}

/// A signature-verified fact about a trade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentFact {
    pub source: Source,
    pub out_trade_no: String,
    pub trade_no: String,
    pub trade_status: TradeStatus,
    pub total_amount: Money,
    /// The app it names; `None` where the source does not carry one (query answers).
    pub app_id: Option<String>,
    pub seller_id: Option<String>,
    pub buyer_id: Option<String>,
    pub paid_at: Option<DateTime<Utc>>,
    /// Cumulative refund, for refund notifies.
    pub refund_fee: Option<Money>,
    pub notify_id: Option<String>,
    /// The raw text as received, for the merchant's timeline.
    pub raw: String,
}

impl PaymentFact {
    /// A verified `alipay.trade.query` answer as a fact (no app or seller: the answer is signed by
    /// the gateway for our own request).
    pub fn from_query(q: &alipay::openapi::QueryResponse) -> PaymentFact {
        PaymentFact {
            source: Source::Query,
            out_trade_no: q.out_trade_no.clone(),
            trade_no: q.trade_no.clone(),
            trade_status: q.trade_status,
            total_amount: q.total_amount,
            app_id: None,
            seller_id: None,
            buyer_id: q.buyer_user_id.clone(),
            paid_at: q.send_pay_date,
            refund_fee: None,
            notify_id: None,
            raw: q.raw.to_string(),
        }
    }

    /// What the fact means for the order, or `None` for a status that changes nothing
    /// (`WAIT_BUYER_PAY`).
    pub fn signal(&self, order_total: Money) -> Option<Signal> {
        let trade_no = self.trade_no.clone();
        match self.trade_status {
            TradeStatus::WaitBuyerPay => None,
            TradeStatus::TradeSuccess | TradeStatus::TradeFinished => match self.refund_fee {
                Some(r) if r.cents() > 0 && r < order_total => Some(Signal::PartlyRefunded {
                    trade_no,
                    refund_total: r,
                }),
                Some(r) if r.cents() > 0 => Some(Signal::Closed {
                    trade_no,
                    refund_total: Some(r),
                }),
                _ => Some(Signal::Paid { trade_no }),
            },
            TradeStatus::TradeClosed => Some(Signal::Closed {
                trade_no,
                refund_total: self.refund_fee.filter(|r| r.cents() > 0),
            }),
        }
    }
}

/// What we made of a fact. Stored beside the raw text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The order moved (paid, closed, refunded).
    Applied,
    /// The order already reflected this fact.
    Duplicate,
    /// Recorded; the merchant must decide (e.g. paid after we closed the order).
    NeedsMerchant(&'static str),
    /// A second payment for courses the student already paid for in another order: recorded,
    /// not applied, and refunded in full by the late-payment job.
    DuplicatePurchase,
    /// Nothing to do (`WAIT_BUYER_PAY`).
    NoChange,
    UnknownOrder,
    AmountMismatch,
    AppMismatch,
    SellerMismatch,
    BadSignature,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Applied => "applied",
            Verdict::Duplicate => "duplicate",
            Verdict::NeedsMerchant(why) => why,
            Verdict::DuplicatePurchase => "duplicate_purchase",
            Verdict::NoChange => "no_change",
            Verdict::UnknownOrder => "unknown_order",
            Verdict::AmountMismatch => "amount_mismatch",
            Verdict::AppMismatch => "app_id_mismatch",
            Verdict::SellerMismatch => "seller_id_mismatch",
            Verdict::BadSignature => "bad_signature",
        }
    }

    /// Whether the fact is durably handled (the gateway may stop telling us).
    pub fn is_settled(self) -> bool {
        matches!(
            self,
            Verdict::Applied
                | Verdict::Duplicate
                | Verdict::NeedsMerchant(_)
                | Verdict::DuplicatePurchase
                | Verdict::NoChange
        )
    }
}
