//! The sandbox gateway as a buyer sees it (pay at the cashier) and as its store records it
//! (trades, notify deliveries, every attempt with the shop's answer).
use std::collections::HashMap;

use reqwest::Client;
use sea_orm::DatabaseConnection;

use super::db::rows;
use super::orders::Created;
use crate::error::LoadError;

/// The sandbox buyer's payment password (alipay-sandbox/src/ids.rs).
const BUYER_PASSWORD: &str = "111111";

/// GET the signed pay URL (the gateway opens the trade and redirects to its cashier), then POST
/// the buyer's password to the cashier (it redirects to the shop's return URL, not followed).
pub async fn pay(http: &Client, pay_url: &str) -> Result<(), LoadError> {
    let r = http.get(pay_url).send().await?;
    let cashier = match (r.status().as_u16(), r.headers().get("location")) {
        (302, Some(l)) => l.to_str().unwrap_or_default().to_owned(),
        (s, _) => return Err(LoadError::Answer("page pay", format!("status {s}"))),
    };
    if !cashier.contains("/cashier/") {
        return Err(LoadError::Answer("page pay", cashier));
    }
    let r = http
        .post(format!("{cashier}/pay"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "account=sandbox_buyer%40alipaydev.com&password={BUYER_PASSWORD}"
        ))
        .send()
        .await?;
    match r.status().as_u16() {
        302 | 200 => Ok(()),
        s => Err(LoadError::Answer("cashier pay", format!("status {s}"))),
    }
}

/// One notify attempt, as the shop answered it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    Success,
    Failure,
    /// No HTTP answer: the shop was down (or the POST was dropped).
    NoAnswer,
    Other(String),
}

impl Attempt {
    pub fn name(&self) -> &'static str {
        match self {
            Attempt::Success => "success",
            Attempt::Failure => "failure",
            Attempt::NoAnswer => "no answer",
            Attempt::Other(_) => "other",
        }
    }
}

/// A trade at the gateway.
pub struct Trade {
    pub trade_no: String,
    pub status: String,
    /// State of each notify delivery: pending, delivered, failed.
    pub deliveries: Vec<String>,
    pub attempts: Vec<Attempt>,
}

pub struct SandboxState {
    /// By out_trade_no.
    pub trades: HashMap<String, Trade>,
}

impl SandboxState {
    pub async fn read(db: &DatabaseConnection) -> Result<SandboxState, LoadError> {
        let mut trades: HashMap<String, Trade> = rows(
            db,
            "SELECT out_trade_no, trade_no, status FROM sandbox_trades",
            |r| {
                Ok((
                    r.try_get_by_index::<String>(0)?,
                    Trade {
                        trade_no: r.try_get_by_index(1)?,
                        status: r.try_get_by_index(2)?,
                        deliveries: Vec::new(),
                        attempts: Vec::new(),
                    },
                ))
            },
        )
        .await?
        .into_iter()
        .collect();
        let deliveries = rows(
            db,
            "SELECT t.out_trade_no, n.state FROM sandbox_notifies n \
             JOIN sandbox_trades t ON n.trade_id = t.id",
            |r| Ok((r.try_get_by_index::<String>(0)?, r.try_get_by_index(1)?)),
        )
        .await?;
        for (no, state) in deliveries {
            if let Some(t) = trades.get_mut(&no) {
                t.deliveries.push(state);
            }
        }
        let attempts = rows(
            db,
            "SELECT t.out_trade_no, a.http_status, a.response_body, a.error \
             FROM sandbox_notify_attempts a JOIN sandbox_notifies n ON a.delivery_id = n.id \
             JOIN sandbox_trades t ON n.trade_id = t.id",
            |r| {
                Ok((
                    r.try_get_by_index::<String>(0)?,
                    r.try_get_by_index::<Option<i32>>(1)?,
                    r.try_get_by_index::<String>(2)?,
                    r.try_get_by_index::<Option<String>>(3)?,
                ))
            },
        )
        .await?;
        for (no, status, body, error) in attempts {
            let a = match (status, body.as_str(), error) {
                (Some(200), "success", _) => Attempt::Success,
                (Some(200), "failure", _) => Attempt::Failure,
                (None, _, _) => Attempt::NoAnswer,
                (s, b, e) => Attempt::Other(format!("{s:?} {b:?} {e:?}")),
            };
            if let Some(t) = trades.get_mut(&no) {
                t.attempts.push(a);
            }
        }
        Ok(SandboxState { trades })
    }

    /// How many of `made` the gateway has as paid.
    pub fn paid_count(&self, made: &[Created]) -> usize {
        made.iter()
            .filter_map(|c| self.trades.get(&c.order.out_trade_no))
            .filter(|t| t.status == "TRADE_SUCCESS")
            .count()
    }
}
