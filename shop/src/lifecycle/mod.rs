//! After checkout: expiry (超时取消), reconciliation by query, cancel, refunds and late payments,
//! run by [`Jobs`] on an injectable clock and safe with several instances on one database.
//!
//! ```no_run
//! # async fn f(shop: shop::Shop) -> Result<(), shop::ShopError> {
//! use std::sync::Arc;
//! use shop::lifecycle::{JobSettings, Jobs};
//! let jobs = Jobs::new(shop, Arc::new(alipay::SystemClock), JobSettings::default());
//! let report = jobs.tick().await?;
//! println!("{report:?}");
//! # Ok(()) }
//! ```
mod cancel;
mod claim;
mod expire;
mod late;
mod reconcile;
mod refund;

use std::sync::Arc;

use alipay::Clock;
use chrono::{DateTime, Duration, Utc};
use tracing::Instrument;

pub use cancel::cancel_order;
pub use refund::{RefundOutcome, refund};

use crate::payment::PaymentFact;
use crate::{Shop, ShopError};

/// What to do with a payment that arrives after we closed the order (`paid_after_close`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LatePaymentPolicy {
    /// Re-open the order as paid: the student gets the course.
    Accept,
    /// Refund the whole payment at the gateway (the default): the order stays closed.
    #[default]
    Refund,
}

impl std::str::FromStr for LatePaymentPolicy {
    type Err = String;

    /// `accept` or `refund` (any case).
    ///
    /// ```
    /// use shop::lifecycle::LatePaymentPolicy;
    /// assert_eq!("Refund".parse::<LatePaymentPolicy>().unwrap(), LatePaymentPolicy::Refund);
    /// assert!("maybe".parse::<LatePaymentPolicy>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "accept" => Ok(LatePaymentPolicy::Accept),
            "refund" => Ok(LatePaymentPolicy::Refund),
            other => Err(format!("'{other}' is neither accept nor refund")),
        }
    }
}

/// Knobs of the background jobs. The defaults suit production.
#[derive(Clone, Debug)]
pub struct JobSettings {
    /// Orders claimed per batch.
    pub batch: u64,
    /// How long a claim is exclusive (a crashed instance's work returns after it).
    pub lease: Duration,
    /// Open orders this close to `time_expire` are queried (as are returned ones).
    pub near_expiry: Duration,
    /// How soon an open order is queried again after a definite answer.
    pub recheck: Duration,
    /// First back-off after an unknown answer (20000) or a network error; doubles each time.
    pub backoff: Duration,
    /// Longest back-off.
    pub max_backoff: Duration,
    pub late_payment: LatePaymentPolicy,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            batch: 50,
            lease: Duration::minutes(2),
            near_expiry: Duration::minutes(2),
            recheck: Duration::minutes(1),
            backoff: Duration::seconds(30),
            max_backoff: Duration::minutes(30),
            late_payment: LatePaymentPolicy::Refund,
        }
    }
}

/// How much one [`Jobs::tick`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Expired orders looked at (closed, or found paid).
    pub expired: usize,
    /// Open orders queried.
    pub reconciled: usize,
    /// Late payments accepted or refunded.
    pub late: usize,
    /// Pending refunds retried.
    pub refunds: usize,
}

/// The background jobs of one instance: a shop, a clock and an instance id for claims.
#[derive(Clone)]
pub struct Jobs {
    shop: Shop,
    clock: Arc<dyn Clock>,
    settings: JobSettings,
    worker: String,
}

impl Jobs {
    /// Jobs for one instance (each gets a random worker id for its claims).
    ///
    /// ```no_run
    /// # fn f(shop: shop::Shop) {
    /// let jobs = shop::lifecycle::Jobs::new(shop, std::sync::Arc::new(alipay::SystemClock), Default::default());
    /// # }
    /// ```
    pub fn new(shop: Shop, clock: Arc<dyn Clock>, settings: JobSettings) -> Jobs {
        let mut random = [0u8; 8];
        let worker = match getrandom::fill(&mut random) {
            Ok(()) => random.iter().map(|b| format!("{b:02x}")).collect(),
            Err(_) => format!("pid{}", std::process::id()),
        };
        Jobs {
            shop,
            clock,
            settings,
            worker,
        }
    }

    /// Runs every job once until it finds no more due work: expiry, reconciliation, late
    /// payments, pending refunds. Safe to run concurrently on several instances.
    ///
    /// ```no_run
    /// # async fn f(jobs: shop::lifecycle::Jobs) -> Result<(), shop::ShopError> {
    /// let r = jobs.tick().await?;
    /// # Ok(()) }
    /// ```
    #[tracing::instrument(name = "jobs", skip_all, fields(worker = %self.worker))]
    pub async fn tick(&self) -> Result<TickReport, ShopError> {
        Ok(TickReport {
            expired: expire::run(self).await?,
            reconciled: reconcile::run(self).await?,
            late: late::run(self).await?,
            refunds: refund::resume_pending(self).await?,
        })
    }

    /// The instance id written into claims.
    pub fn worker(&self) -> &str {
        &self.worker
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Claims due orders batch by batch (the condition is rebuilt at each batch's `now`), runs `one`
    /// on each and settles it with the answer; an error backs the order off. Returns how many
    /// orders it looked at.
    pub(crate) async fn drain(
        &self,
        what: &str,
        due: impl Fn(DateTime<Utc>) -> sea_orm::Condition,
        one: impl AsyncFn(&Jobs, &crate::entity::order::Model) -> Result<claim::Next, ShopError>,
    ) -> Result<usize, ShopError> {
        let mut done = 0;
        loop {
            let now = self.now();
            let s = &self.settings;
            let batch =
                claim::claim(&self.shop, &self.worker, now, s.lease, due(now), s.batch).await?;
            if batch.is_empty() {
                return Ok(done);
            }
            done += batch.len();
            for o in &batch {
                let span = tracing::info_span!("job", what, out_trade_no = %o.out_trade_no);
                async {
                    let next = one(self, o).await.unwrap_or_else(|e| {
                        tracing::error!(error = %crate::error::chain(&e), "{what} failed");
                        claim::Next::Backoff
                    });
                    self.settle(o, next).await
                }
                .instrument(span)
                .await?;
            }
        }
    }

    /// Releases a claimed order with what comes next for it.
    pub(crate) async fn settle(
        &self,
        o: &crate::entity::order::Model,
        next: claim::Next,
    ) -> Result<(), ShopError> {
        let now = self.now();
        let s = &self.settings;
        let (attempts, at) = match next {
            claim::Next::Done => (0, None),
            claim::Next::At(t) => (0, Some(t)),
            claim::Next::Backoff => {
                let n = claim::attempts_of(&self.shop, o.id)
                    .await?
                    .saturating_add(1);
                (n, Some(now + claim::backoff(n, s.backoff, s.max_backoff)))
            }
        };
        claim::release(&self.shop, &self.worker, o, attempts, at).await
    }
}

/// A verified `alipay.trade.query` answer as a fact for [`crate::payment::apply_payment_fact`].
pub(crate) fn query_fact(q: &alipay::openapi::QueryResponse) -> PaymentFact {
    PaymentFact::from_query(q)
}
