//! The background jobs (expiry, reconciliation, late payments, pending refunds), run every
//! JOBS_INTERVAL_SECS on every instance; claims in the database keep instances from doubling up.
//! The loop is supervised: a panic in a run is logged with its message and the loop starts again
//! after a short pause, so the jobs never silently stop.
use std::sync::Arc;
use std::time::Duration;

use shop::lifecycle::{JobSettings, Jobs, TickReport};

use crate::config::Config;

/// How long the supervisor waits before restarting a loop that panicked.
pub const RESTART_PAUSE: Duration = Duration::from_secs(5);

/// Spawns the supervised job loop for `shop` on the current runtime.
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
    supervise(every, RESTART_PAUSE, move || {
        let jobs = jobs.clone();
        async move { jobs.tick().await }
    })
}

/// Runs `tick` every `every` for as long as the returned task lives: an error is logged and the
/// next tick comes; a panic is logged with its message and the loop restarts after `pause`.
/// Aborting the returned task stops the loop too.
pub fn supervise<F, Fut>(every: Duration, pause: Duration, tick: F) -> tokio::task::JoinHandle<()>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<TickReport, shop::ShopError>> + Send + 'static,
{
    let tick = Arc::new(tick);
    tokio::spawn(async move {
        loop {
            let mut running = AbortOnDrop(tokio::spawn(run(every, tick.clone())));
            match (&mut running.0).await {
                Ok(never) => match never {},
                Err(e) if e.is_panic() => {
                    let payload = e.into_panic();
                    tracing::error!(panic = panic_message(payload.as_ref()), restart_in = ?pause, "background jobs panicked; restarting");
                }
                Err(e) => {
                    tracing::warn!(error = %e, "background jobs cancelled");
                    return;
                }
            }
            tokio::time::sleep(pause).await;
        }
    })
}

/// The loop itself: never returns, except by panicking.
async fn run<F, Fut>(every: Duration, tick: Arc<F>) -> std::convert::Infallible
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<TickReport, shop::ShopError>>,
{
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match tick().await {
            Ok(r) if r != Default::default() => tracing::info!(report = ?r, "jobs ran"),
            Ok(_) => tracing::trace!("jobs: nothing due"),
            Err(e) => {
                tracing::error!(error = %shop::error::chain(&e), "jobs failed; retrying next tick")
            }
        }
    }
}

/// A task aborted when its handle is dropped: the supervised loop ends with its supervisor.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The text a panic was raised with (`panic!("...")` gives a `&str` or a `String`).
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(a panic without a message)")
}
