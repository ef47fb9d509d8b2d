//! The storm's post-conditions, read from the shop's database: every genuine order paid exactly
//! once with its own trade_no, every other order untouched, every notify recorded once with the
//! verdict its kind calls for.
use std::collections::{BTreeMap, HashMap};

use super::db::ShopState;
use super::kind::Kind;
use super::plan::Plan;

/// What the check found, by category, with the first few examples.
#[derive(Default)]
pub struct Findings {
    pub counts: BTreeMap<&'static str, u64>,
    pub examples: Vec<String>,
}

impl Findings {
    pub fn add(&mut self, what: &'static str, example: impl FnOnce() -> String) {
        *self.counts.entry(what).or_default() += 1;
        if self.examples.len() < 12 {
            self.examples.push(format!("{what}: {}", example()));
        }
    }

    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    pub fn print(&self, who: &str) {
        if self.total() == 0 {
            eprintln!("{who}: database check passed");
            return;
        }
        eprintln!("{who}: DATABASE CHECK FAILED:");
        for (what, n) in &self.counts {
            eprintln!("  {n} x {what}");
        }
        for e in &self.examples {
            eprintln!("  e.g. {e}");
        }
    }
}

/// A genuine order: paid, with the trade_no it was paid with, by exactly one applied fact.
pub fn paid_once(f: &mut Findings, s: &ShopState, no: &str, trade_no: &str) {
    let applied = s.count(no, None, "applied");
    match s.orders.get(no) {
        None => f.add("order missing", || no.to_owned()),
        Some(o) if o.status != 1 => f.add("lost payment (order not paid)", || {
            format!("{no} has status {}", o.status)
        }),
        Some(o) if o.trade_no.as_deref() != Some(trade_no) => f.add("wrong trade_no", || {
            format!("{no}: {:?} != {trade_no}", o.trade_no)
        }),
        Some(_) => {}
    }
    if applied > 1 {
        f.add("applied twice", || {
            format!("{no}: {applied} applied events")
        });
    } else if applied == 0 {
        f.add("paid with no applied event", || no.to_owned());
    }
}

pub fn storm(plan: &Plan, s: &ShopState) -> Findings {
    let mut f = Findings::default();
    for (no, trade_no) in &plan.paid {
        paid_once(&mut f, s, no, trade_no);
    }
    for no in &plan.untouched {
        match s.orders.get(no) {
            Some(o) if o.status == 0 && o.trade_no.is_none() => {}
            Some(o) => f.add("wrong notify changed an order", || format!("{no}: {o:?}")),
            None => f.add("order missing", || no.clone()),
        }
        if s.count(no, None, "applied") > 0 {
            f.add("wrong notify applied", || no.clone());
        }
    }
    // Every notify recorded exactly once, with the verdict its kind calls for.
    let mut expected: HashMap<&str, BTreeMap<&str, i64>> = HashMap::new();
    for d in &plan.deliveries {
        let e = expected.entry(&d.out_trade_no).or_default();
        let verdict = match d.kind {
            Kind::Genuine if e.contains_key("applied") => "duplicate",
            k => k.verdict(),
        };
        *e.entry(verdict).or_default() += 1;
    }
    for (no, want) in &expected {
        let got: BTreeMap<&str, i64> = s
            .events
            .get(*no)
            .into_iter()
            .flatten()
            .filter(|(source, _, _)| source == "notify")
            .map(|(_, v, n)| (v.as_str(), *n))
            .collect();
        if &got != want {
            f.add("notify events differ from what was sent", || {
                format!("{no}: recorded {got:?}, sent {want:?}")
            });
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::storm::db::OrderRow;
    use crate::storm::plan::Delivery;

    /// One genuine order "A" (trade T1, 3 copies), one untouched order "B" (a wrong amount).
    fn plan() -> Plan {
        let d = |kind, no: &str| Delivery {
            kind,
            out_trade_no: no.to_owned(),
            body: 0,
        };
        Plan {
            bodies: vec![Vec::new()],
            deliveries: vec![
                d(Kind::Genuine, "A"),
                d(Kind::WrongAmount, "B"),
                d(Kind::Genuine, "A"),
                d(Kind::Genuine, "A"),
            ],
            paid: HashMap::from([("A".to_owned(), "T1".to_owned())]),
            untouched: vec!["B".to_owned()],
            sent: HashMap::new(),
        }
    }

    fn state(a: (i32, Option<&str>), a_events: &[(&str, i64)], b_status: i32) -> ShopState {
        let row = |status, trade_no: Option<&str>| OrderRow {
            status,
            trade_no: trade_no.map(str::to_owned),
        };
        let ev = |v: &[(&str, i64)]| {
            v.iter()
                .map(|(verdict, n)| ("notify".to_owned(), (*verdict).to_owned(), *n))
                .collect()
        };
        ShopState {
            orders: HashMap::from([
                ("A".to_owned(), row(a.0, a.1)),
                ("B".to_owned(), row(b_status, None)),
            ]),
            events: HashMap::from([
                ("A".to_owned(), ev(a_events)),
                ("B".to_owned(), ev(&[("amount_mismatch", 1)])),
            ]),
        }
    }

    #[test]
    fn a_clean_storm_passes() {
        let s = state((1, Some("T1")), &[("applied", 1), ("duplicate", 2)], 0);
        assert_eq!(storm(&plan(), &s).total(), 0);
    }

    #[test]
    fn a_double_application_is_caught() {
        let s = state((1, Some("T1")), &[("applied", 2), ("duplicate", 1)], 0);
        let f = storm(&plan(), &s);
        assert_eq!(f.counts.get("applied twice"), Some(&1));
    }

    #[test]
    fn a_lost_payment_a_lost_record_and_a_changed_order_are_caught() {
        let s = state((0, None), &[("duplicate", 2)], 1);
        let f = storm(&plan(), &s);
        assert_eq!(f.counts.get("lost payment (order not paid)"), Some(&1));
        assert_eq!(
            f.counts.get("notify events differ from what was sent"),
            Some(&1)
        );
        assert_eq!(f.counts.get("wrong notify changed an order"), Some(&1));
    }
}
