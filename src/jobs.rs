//! The background jobs (expiry, reconciliation, late payments, pending refunds), run every
//! JOBS_INTERVAL_SECS on every instance; claims in the database keep instances from doubling up.
use std::time::Duration;

use shop::lifecycle::{JobSettings, Jobs};

use crate::config::Config;

/// Spawns the job loop for `shop` on the current runtime.
///
/// ```no_run
/// # fn f(shop: shop::Shop, cfg: &coursepay::config::Config) {
/// let handle = coursepay::jobs::spawn(shop, cfg);
/// # }
/// ```
pub fn spawn(shop: shop::Shop, cfg: &Config) -> tokio::task::JoinHandle<()> {
    let settings = JobSettings {
        late_payment: cfg.late_payment_policy,
        ..Default::default()
    };
    let jobs = Jobs::new(shop.clone(), shop.shared_clock(), settings);
    let every = Duration::from_secs(cfg.jobs_interval_secs.max(1));
    tracing::info!(worker = jobs.worker(), every_secs = every.as_secs(), policy = ?cfg.late_payment_policy, "background jobs started");
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match jobs.tick().await {
                Ok(r) if r != Default::default() => tracing::info!(report = ?r, "jobs ran"),
                Ok(_) => tracing::trace!("jobs: nothing due"),
                Err(e) => tracing::error!(error = ?e, "jobs failed; retrying next tick"),
            }
        }
    })
}
