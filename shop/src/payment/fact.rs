//! A verified statement from the gateway about one trade, and what we made of it.
use alipay::{Money, TradeStatus};
use chrono::{DateTime, Utc};
use sea_orm::{DeriveActiveEnum, DeriveValueType, EnumIter};

use crate::orders::status::{MerchantCase, Signal};

/// Where a fact came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Notify,
    Return,
    Query,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        EventSource::from(self).as_str()
    }
}

/// Who recorded a payment event: a gateway fact's source, or our own decision. Stored as text; a
/// stored text that is none of these reads as a typed error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(sea_orm::sea_query::StringLen::N(16))"
)]
pub enum EventSource {
    #[sea_orm(string_value = "notify")]
    Notify,
    #[sea_orm(string_value = "return")]
    Return,
    #[sea_orm(string_value = "query")]
    Query,
    /// The expiry job closed the order.
    #[sea_orm(string_value = "expire")]
    Expire,
    /// The student cancelled the order.
    #[sea_orm(string_value = "cancel")]
    Cancel,
    /// The merchant's policy accepted a late payment.
    #[sea_orm(string_value = "late_accept")]
    LateAccept,
}

impl EventSource {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            EventSource::Notify => "notify",
            EventSource::Return => "return",
            EventSource::Query => "query",
            EventSource::Expire => "expire",
            EventSource::Cancel => "cancel",
            EventSource::LateAccept => "late_accept",
        }
    }
}

impl From<Source> for EventSource {
    fn from(s: Source) -> Self {
        match s {
            Source::Notify => EventSource::Notify,
            Source::Return => EventSource::Return,
            Source::Query => EventSource::Query,
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

/// What we made of a fact. Stored beside the raw text, as [`Verdict::as_str`]; a stored text that
/// is none of these reads as a typed error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, DeriveValueType)]
#[sea_orm(
    value_type = "String",
    column_type = "String(sea_orm::sea_query::StringLen::N(32))"
)]
pub enum Verdict {
    /// The order moved (paid, closed, refunded).
    Applied,
    /// The order already reflected this fact.
    Duplicate,
    /// Recorded; the merchant must decide (e.g. paid after we closed the order).
    NeedsMerchant(MerchantCase),
    /// A second payment for courses the student already paid for in another order: recorded,
    /// not applied, and refunded in full by the late-payment job.
    DuplicatePurchase,
    /// Nothing to do: the fact changes no order (`WAIT_BUYER_PAY`, a synchronous return).
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
            Verdict::NeedsMerchant(why) => why.as_str(),
            Verdict::DuplicatePurchase => "duplicate_purchase",
            Verdict::NoChange => "no_change",
            Verdict::UnknownOrder => "unknown_order",
            Verdict::AmountMismatch => "amount_mismatch",
            Verdict::AppMismatch => "app_id_mismatch",
            Verdict::SellerMismatch => "seller_id_mismatch",
            Verdict::BadSignature => "bad_signature",
        }
    }

    /// Every verdict: the fixed ones, then one per [`MerchantCase`].
    pub fn all() -> impl Iterator<Item = Verdict> {
        [
            Verdict::Applied,
            Verdict::Duplicate,
            Verdict::DuplicatePurchase,
            Verdict::NoChange,
            Verdict::UnknownOrder,
            Verdict::AmountMismatch,
            Verdict::AppMismatch,
            Verdict::SellerMismatch,
            Verdict::BadSignature,
        ]
        .into_iter()
        .chain(MerchantCase::ALL.map(Verdict::NeedsMerchant))
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

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored verdict text that names no [`Verdict`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown verdict {0:?}")]
pub struct UnknownVerdict(pub String);

impl std::str::FromStr for Verdict {
    type Err = UnknownVerdict;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Verdict::all()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownVerdict(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ActiveEnum, Iterable};

    #[test]
    fn every_verdict_reads_back_from_its_text_and_unknown_texts_are_refused() {
        let mut seen = std::collections::HashSet::new();
        for v in Verdict::all() {
            // Every variant is in `all`: this match stops compiling when one is added.
            match v {
                Verdict::Applied
                | Verdict::Duplicate
                | Verdict::NeedsMerchant(_)
                | Verdict::DuplicatePurchase
                | Verdict::NoChange
                | Verdict::UnknownOrder
                | Verdict::AmountMismatch
                | Verdict::AppMismatch
                | Verdict::SellerMismatch
                | Verdict::BadSignature => {}
            }
            assert_eq!(v.as_str().parse::<Verdict>(), Ok(v));
            assert!(v.as_str().len() <= 32, "{v}: longer than its column");
            assert!(seen.insert(v.as_str()), "{v}: text shared");
        }
        assert_eq!(seen.len(), 9 + MerchantCase::ALL.len());
        for hostile in [
            "",
            "returned",
            "Applied",
            "applied ",
            "needs_merchant",
            "\0",
        ] {
            assert_eq!(
                hostile.parse::<Verdict>(),
                Err(UnknownVerdict(hostile.to_owned()))
            );
        }
    }

    #[test]
    fn every_source_reads_back_from_its_text() {
        for s in EventSource::iter() {
            assert_eq!(s.to_value(), s.as_str());
            assert_eq!(EventSource::try_from_value(&s.as_str().to_owned()), Ok(s));
            assert!(s.as_str().len() <= 16);
        }
        for s in [Source::Notify, Source::Return, Source::Query] {
            assert_eq!(s.as_str(), EventSource::from(s).as_str());
        }
        for hostile in ["", "Notify", "late-accept", "created", "refund"] {
            assert!(EventSource::try_from_value(&hostile.to_owned()).is_err());
        }
    }
}
