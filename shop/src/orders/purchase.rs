//! The one payment rule about the student rather than the order, pure like
//! [`decide`](super::status::decide): a student never pays twice for a course. A payment that
//! would give courses another of the student's paid orders already gives is refunded in full,
//! whatever the late-payment policy; the first payment stays applied.
use crate::orders::status::{Decision, MerchantCase};

/// Whether `d` would give the student the order's courses (then the other paid orders matter).
///
/// ```
/// use shop::orders::status::Decision;
/// assert!(shop::orders::grants_courses(&Decision::MarkPaid));
/// assert!(!shop::orders::grants_courses(&Decision::MarkClosed));
/// ```
pub fn grants_courses(d: &Decision) -> bool {
    matches!(
        d,
        Decision::MarkPaid | Decision::NeedsMerchant(MerchantCase::PaidAfterClose)
    )
}

/// [`decide`](super::status::decide)'s answer, refined by `paid_elsewhere`: the `out_trade_no`
/// of the student's other paid order sharing a course with this one, if any.
///
/// ```
/// use shop::orders::decide_purchase;
/// use shop::orders::status::Decision;
/// assert_eq!(decide_purchase(Decision::MarkPaid, None), Decision::MarkPaid);
/// assert_eq!(
///     decide_purchase(Decision::MarkPaid, Some("CP1")),
///     Decision::RefundDuplicate { other: "CP1".into() }
/// );
/// ```
pub fn decide_purchase(d: Decision, paid_elsewhere: Option<&str>) -> Decision {
    match paid_elsewhere {
        Some(other) if grants_courses(&d) => Decision::RefundDuplicate {
            other: other.to_owned(),
        },
        _ => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::OrderStatus;
    use crate::orders::status::{Signal, decide};

    fn paid(t: &str) -> Signal {
        Signal::Paid {
            trade_no: t.to_owned(),
        }
    }

    #[test]
    fn a_second_payment_for_an_owned_course_is_refunded_from_any_open_or_closed_order() {
        for s in [
            OrderStatus::Unpaid,
            OrderStatus::Cancelled,
            OrderStatus::TimedOut,
        ] {
            let d = decide_purchase(decide(s, None, &paid("T2")), Some("CPFIRST"));
            assert_eq!(
                d,
                Decision::RefundDuplicate {
                    other: "CPFIRST".into()
                },
                "{s:?}"
            );
        }
    }

    #[test]
    fn facts_that_give_nothing_are_decided_as_before() {
        let closed = Signal::Closed {
            trade_no: "T1".into(),
            refund_total: None,
        };
        let cases = [
            (OrderStatus::Paid, Some("T1"), paid("T1")),
            (OrderStatus::Paid, Some("T1"), paid("T2")),
            (OrderStatus::Unpaid, None, closed.clone()),
            (OrderStatus::TimedOut, None, closed),
        ];
        for (s, t, signal) in cases {
            let plain = decide(s, t, &signal);
            assert_eq!(decide_purchase(plain.clone(), Some("CPX")), plain);
        }
        assert_eq!(
            decide_purchase(Decision::NeedsMerchant(MerchantCase::PaidAfterClose), None),
            Decision::NeedsMerchant(MerchantCase::PaidAfterClose)
        );
    }
}
