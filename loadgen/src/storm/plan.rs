//! What the storm sends: every genuine notify `copies` times, signed-but-wrong and tampered
//! notifies aimed at orders that must stay unpaid and at orders being paid, and signed notifies for
//! orders that do not exist, all shuffled together.
use std::collections::HashMap;

use alipay::PrivateKey;

use super::kind::Kind;
use super::notify::{self, Fields};
use super::orders::Created;
use super::rng::Rng;
use crate::error::LoadError;

/// One POST of the storm.
pub struct Delivery {
    pub kind: Kind,
    /// The out_trade_no its body names (what the shop records the event under).
    pub out_trade_no: String,
    /// Index into [`Plan::bodies`] (the copies of a genuine notify share one body).
    pub body: usize,
}

pub struct Plan {
    pub bodies: Vec<Vec<u8>>,
    /// Shuffled.
    pub deliveries: Vec<Delivery>,
    /// Orders that get genuine notifies: out_trade_no → the trade_no they must end with.
    pub paid: HashMap<String, String>,
    /// Orders that only ever get wrong notifies: they must stay unpaid and untouched.
    pub untouched: Vec<String>,
    /// Notifies per kind.
    pub sent: HashMap<Kind, usize>,
}

/// Every order gets `copies` genuine notifies except one in ten, the untouched ones, which get one
/// notify of each wrong kind (and tampered ones in four shapes); one paid order in five also gets a
/// wrong notify; `orders / 20` signed notifies name orders that do not exist.
pub fn build(
    made: &[Created],
    copies: usize,
    key: &PrivateKey,
    seed: u64,
    tag: &str,
) -> Result<Plan, LoadError> {
    let mut b = Builder {
        key,
        forger: PrivateKey::generate()?,
        plan: Plan {
            bodies: Vec::new(),
            deliveries: Vec::new(),
            paid: HashMap::new(),
            untouched: Vec::new(),
            sent: HashMap::new(),
        },
    };
    let victims = (made.len() / 10).max(1).min(made.len());
    for (i, c) in made.iter().enumerate() {
        let o = &c.order;
        let trade_no = format!("2026{tag}{i:08}");
        let notify_id = format!("storm{tag}n{i}");
        let genuine = Fields::paid(&o.out_trade_no, &o.total_amount, &trade_no, &notify_id);
        if i < victims {
            b.plan.untouched.push(o.out_trade_no.clone());
            for kind in Kind::WRONG {
                b.wrong(kind, &genuine, i);
            }
            for shape in 1..4 {
                b.wrong(Kind::Tampered, &genuine, i + shape);
            }
            continue;
        }
        let body = b.push_body(notify::signed(&genuine, key));
        for _ in 0..copies {
            b.push(Kind::Genuine, &o.out_trade_no, body);
        }
        b.plan.paid.insert(o.out_trade_no.clone(), trade_no.clone());
        if i % 5 == 0 {
            b.wrong(Kind::WRONG[(i / 5) % Kind::WRONG.len()], &genuine, i);
        }
    }
    let amount = made
        .first()
        .map_or("1.00", |c| c.order.total_amount.as_str());
    for u in 0..(made.len() / 20).max(1) {
        let (no, trade_no, id) = (
            format!("storm{tag}unknown{u}"),
            format!("2027{tag}{u:08}"),
            format!("storm{tag}u{u}"),
        );
        let body = b.push_body(notify::signed(
            &Fields::paid(&no, amount, &trade_no, &id),
            key,
        ));
        b.push(Kind::UnknownOrder, &no, body);
    }
    Rng::new(seed).shuffle(&mut b.plan.deliveries);
    Ok(b.plan)
}

struct Builder<'k> {
    key: &'k PrivateKey,
    /// Not the sandbox key: signatures by it must be refused.
    forger: PrivateKey,
    plan: Plan,
}

impl Builder<'_> {
    fn push_body(&mut self, p: alipay::sign::Params) -> usize {
        self.plan.bodies.push(notify::encode(&p));
        self.plan.bodies.len() - 1
    }

    fn push(&mut self, kind: Kind, out_trade_no: &str, body: usize) {
        *self.plan.sent.entry(kind).or_default() += 1;
        self.plan.deliveries.push(Delivery {
            kind,
            out_trade_no: out_trade_no.to_owned(),
            body,
        });
    }

    /// One wrong notify about `g`'s order; `shape` picks the tampering.
    fn wrong(&mut self, kind: Kind, g: &Fields, shape: usize) {
        let mut f = Fields { ..*g };
        let p = match kind {
            Kind::WrongAmount => {
                f.total_amount = if g.total_amount == "0.01" {
                    "0.02"
                } else {
                    "0.01"
                };
                notify::signed(&f, self.key)
            }
            Kind::WrongAppId => {
                f.app_id = "9021000000009999";
                notify::signed(&f, self.key)
            }
            Kind::WrongSellerId => {
                f.seller_id = "2088000000009999";
                notify::signed(&f, self.key)
            }
            _ => self.tampered(g, shape),
        };
        let body = self.push_body(p);
        self.push(kind, g.out_trade_no, body);
    }

    /// A body that looks like a genuine payment of `g` but whose signature does not hold.
    fn tampered(&self, g: &Fields, shape: usize) -> alipay::sign::Params {
        match shape % 4 {
            // No signature at all.
            0 => notify::params(g),
            // Signed as WAIT_BUYER_PAY, then flipped to TRADE_SUCCESS.
            1 => {
                let mut p = notify::signed(
                    &Fields {
                        trade_status: "WAIT_BUYER_PAY",
                        ..*g
                    },
                    self.key,
                );
                p.insert("trade_status".into(), "TRADE_SUCCESS".into());
                p
            }
            // A genuine signature of another order's notify, out_trade_no swapped in.
            2 => {
                let mut p = notify::signed(
                    &Fields {
                        out_trade_no: "storm_some_other_order",
                        ..*g
                    },
                    self.key,
                );
                p.insert("out_trade_no".into(), g.out_trade_no.into());
                p
            }
            // Signed by a key that is not Alipay's.
            _ => notify::signed(g, &self.forger),
        }
    }
}
