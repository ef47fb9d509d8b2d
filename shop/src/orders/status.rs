//! The order state machine, pure: what a payment fact does to an order in a given status.
use alipay::Money;
use sea_orm::{DeriveActiveEnum, EnumIter};

/// An order's status, stored as the seed's codes (`smallint`): a stored code that is none of these
/// reads as a typed error, never as a status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "i16", db_type = "SmallInteger")]
#[repr(i16)]
pub enum OrderStatus {
    #[sea_orm(num_value = 0)]
    Unpaid = 0,
    #[sea_orm(num_value = 1)]
    Paid = 1,
    #[sea_orm(num_value = 2)]
    Cancelled = 2,
    #[sea_orm(num_value = 3)]
    TimedOut = 3,
    #[sea_orm(num_value = 4)]
    Refunded = 4,
}

impl OrderStatus {
    /// The stored code (also the code the JSON API and the pages show).
    pub fn code(self) -> i16 {
        self as i16
    }

    /// The status for a code (unknown codes read as unpaid is never right: `None`).
    pub fn from_code(code: i16) -> Option<OrderStatus> {
        Some(match code {
            0 => OrderStatus::Unpaid,
            1 => OrderStatus::Paid,
            2 => OrderStatus::Cancelled,
            3 => OrderStatus::TimedOut,
            4 => OrderStatus::Refunded,
            _ => return None,
        })
    }

    /// What a student reads.
    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::Unpaid => "未支付",
            OrderStatus::Paid => "已支付",
            OrderStatus::Cancelled => "已取消",
            OrderStatus::TimedOut => "超时取消",
            OrderStatus::Refunded => "已退款",
        }
    }
}

/// What the gateway says happened to the trade (already verified and checked against the order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signal {
    /// TRADE_SUCCESS / TRADE_FINISHED with no refund: the buyer paid.
    Paid { trade_no: String },
    /// TRADE_SUCCESS with a cumulative refund below the total.
    PartlyRefunded {
        trade_no: String,
        refund_total: Money,
    },
    /// TRADE_CLOSED: closed unpaid (timeout or close), or fully refunded when `refund_total` is set.
    Closed {
        trade_no: String,
        refund_total: Option<Money>,
    },
}

/// Why a fact waits for the merchant (stored as the fact's verdict).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MerchantCase {
    /// A refund for an order that was never paid.
    RefundForUnpaidOrder,
    /// A second trade paid for an order already paid (or refunded).
    SecondTradeForOrder,
    /// A fact for a paid order that matches no refund of its trade.
    UnexpectedFactForPaidOrder,
    /// Paid after we closed the order (超时取消 / 已取消).
    PaidAfterClose,
    /// A refund for an order we closed.
    RefundForClosedOrder,
}

impl MerchantCase {
    /// Every case, in declaration order.
    pub const ALL: [MerchantCase; 5] = [
        MerchantCase::RefundForUnpaidOrder,
        MerchantCase::SecondTradeForOrder,
        MerchantCase::UnexpectedFactForPaidOrder,
        MerchantCase::PaidAfterClose,
        MerchantCase::RefundForClosedOrder,
    ];

    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            MerchantCase::RefundForUnpaidOrder => "refund_for_unpaid_order",
            MerchantCase::SecondTradeForOrder => "second_trade_for_order",
            MerchantCase::UnexpectedFactForPaidOrder => "unexpected_fact_for_paid_order",
            MerchantCase::PaidAfterClose => "paid_after_close",
            MerchantCase::RefundForClosedOrder => "refund_for_closed_order",
        }
    }
}

/// What to do with the order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Unpaid → paid (record trade number, buyer and time).
    MarkPaid,
    /// Unpaid → timed out: the gateway closed the trade unpaid.
    MarkClosed,
    /// Paid → refunded (fully).
    MarkRefunded { refund_total: Money },
    /// Paid stays paid; the cumulative refund grows.
    RecordRefund { refund_total: Money },
    /// Nothing changes: this fact was applied before (a duplicate or a late copy).
    AlreadyApplied,
    /// Nothing changes automatically; the merchant must look (e.g. paid after we cancelled).
    NeedsMerchant(MerchantCase),
    /// The payment would give the student courses their paid order `other` already gives: it is
    /// not applied (an unpaid order becomes 已取消) and is refunded in full. See
    /// [`decide_purchase`](super::decide_purchase).
    RefundDuplicate { other: String },
}

/// The transition table. `current_trade_no` is what the order recorded, if anything.
///
/// ```
/// use shop::orders::status::{decide, Decision, OrderStatus, Signal};
/// let paid = Signal::Paid { trade_no: "2026...".into() };
/// assert_eq!(decide(OrderStatus::Unpaid, None, &paid), Decision::MarkPaid);
/// assert_eq!(decide(OrderStatus::Paid, Some("2026..."), &paid), Decision::AlreadyApplied);
/// ```
pub fn decide(status: OrderStatus, current_trade_no: Option<&str>, signal: &Signal) -> Decision {
    use Decision::*;
    use OrderStatus as S;
    let same_trade = |t: &str| current_trade_no.is_none_or(|c| c == t);
    match (status, signal) {
        (S::Unpaid, Signal::Paid { .. }) => MarkPaid,
        (S::Unpaid, Signal::PartlyRefunded { .. }) => {
            NeedsMerchant(MerchantCase::RefundForUnpaidOrder)
        }
        (
            S::Unpaid,
            Signal::Closed {
                refund_total: None, ..
            },
        ) => MarkClosed,
        (
            S::Unpaid,
            Signal::Closed {
                refund_total: Some(_),
                ..
            },
        ) => NeedsMerchant(MerchantCase::RefundForUnpaidOrder),
        (S::Paid, Signal::Paid { trade_no }) if same_trade(trade_no) => AlreadyApplied,
        (S::Paid | S::Refunded, Signal::Paid { .. }) => {
            NeedsMerchant(MerchantCase::SecondTradeForOrder)
        }
        (
            S::Paid,
            Signal::PartlyRefunded {
                trade_no,
                refund_total,
            },
        ) if same_trade(trade_no) => RecordRefund {
            refund_total: *refund_total,
        },
        (
            S::Paid,
            Signal::Closed {
                trade_no,
                refund_total: Some(total),
            },
        ) if same_trade(trade_no) => MarkRefunded {
            refund_total: *total,
        },
        (S::Paid, _) => NeedsMerchant(MerchantCase::UnexpectedFactForPaidOrder),
        (S::Refunded, Signal::Closed { .. } | Signal::PartlyRefunded { .. }) => AlreadyApplied,
        (
            S::Cancelled | S::TimedOut,
            Signal::Closed {
                refund_total: None, ..
            },
        ) => AlreadyApplied,
        (S::Cancelled | S::TimedOut, Signal::Paid { .. }) => {
            NeedsMerchant(MerchantCase::PaidAfterClose)
        }
        (S::Cancelled | S::TimedOut, _) => NeedsMerchant(MerchantCase::RefundForClosedOrder),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paid(t: &str) -> Signal {
        Signal::Paid {
            trade_no: t.to_owned(),
        }
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        use sea_orm::{ActiveEnum, Iterable};
        for s in OrderStatus::iter() {
            assert_eq!(OrderStatus::from_code(s.code()), Some(s));
            assert_eq!(s.to_value(), s.code());
            assert_eq!(OrderStatus::try_from_value(&s.code()), Ok(s));
        }
        assert_eq!(OrderStatus::iter().count(), 5);
        for code in [-1, 5, 9, i16::MIN, i16::MAX] {
            assert_eq!(OrderStatus::from_code(code), None);
            assert!(OrderStatus::try_from_value(&code).is_err(), "{code}");
        }
        assert_eq!(OrderStatus::TimedOut.label(), "超时取消");
    }

    #[test]
    fn merchant_cases_have_distinct_texts() {
        let texts: std::collections::HashSet<_> =
            MerchantCase::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(texts.len(), MerchantCase::ALL.len());
        // Every case is listed in ALL: this match stops compiling when one is added.
        for c in MerchantCase::ALL {
            match c {
                MerchantCase::RefundForUnpaidOrder
                | MerchantCase::SecondTradeForOrder
                | MerchantCase::UnexpectedFactForPaidOrder
                | MerchantCase::PaidAfterClose
                | MerchantCase::RefundForClosedOrder => {}
            }
        }
    }

    #[test]
    fn a_payment_marks_an_unpaid_order_paid_once() {
        assert_eq!(
            decide(OrderStatus::Unpaid, None, &paid("T1")),
            Decision::MarkPaid
        );
        assert_eq!(
            decide(OrderStatus::Paid, Some("T1"), &paid("T1")),
            Decision::AlreadyApplied
        );
        assert_eq!(
            decide(OrderStatus::Paid, Some("T1"), &paid("T2")),
            Decision::NeedsMerchant(MerchantCase::SecondTradeForOrder)
        );
    }

    #[test]
    fn a_closed_order_is_never_silently_paid() {
        for s in [OrderStatus::Cancelled, OrderStatus::TimedOut] {
            assert_eq!(
                decide(s, None, &paid("T1")),
                Decision::NeedsMerchant(MerchantCase::PaidAfterClose)
            );
        }
    }

    #[test]
    fn closing_and_refunds() {
        let closed = Signal::Closed {
            trade_no: "T1".into(),
            refund_total: None,
        };
        assert_eq!(
            decide(OrderStatus::Unpaid, None, &closed),
            Decision::MarkClosed
        );
        assert_eq!(
            decide(OrderStatus::TimedOut, None, &closed),
            Decision::AlreadyApplied
        );
        let part = Signal::PartlyRefunded {
            trade_no: "T1".into(),
            refund_total: Money::from_cents(100),
        };
        assert_eq!(
            decide(OrderStatus::Paid, Some("T1"), &part),
            Decision::RecordRefund {
                refund_total: Money::from_cents(100)
            }
        );
        let full = Signal::Closed {
            trade_no: "T1".into(),
            refund_total: Some(Money::from_cents(9900)),
        };
        assert_eq!(
            decide(OrderStatus::Paid, Some("T1"), &full),
            Decision::MarkRefunded {
                refund_total: Money::from_cents(9900)
            }
        );
        assert_eq!(
            decide(OrderStatus::Refunded, Some("T1"), &full),
            Decision::AlreadyApplied
        );
    }
}
