//! A bounded closed-loop runner: `concurrency` workers pull request indices until `total` are done
//! or the time limit passes, each recording its latency in microseconds.
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use crate::error::LoadError;

/// What a run measured.
pub struct Outcome {
    pub ok: u64,
    pub errors: u64,
    pub first_errors: Vec<String>,
    pub elapsed: Duration,
    pub hist: Histogram<u64>,
}

impl Outcome {
    /// Completed requests (ok and failed) per second, as an integer.
    pub fn per_second(&self) -> u64 {
        let micros = self.elapsed.as_micros().max(1);
        ((u128::from(self.ok + self.errors)) * 1_000_000 / micros) as u64
    }
}

fn new_hist() -> Result<Histogram<u64>, LoadError> {
    Histogram::new_with_bounds(1, 60_000_000, 3).map_err(|e| LoadError::Histogram(e.to_string()))
}

/// Runs `job(i)` for i in 0..total with `concurrency` in flight, stopping early at `limit`.
pub async fn run<F, Fut>(
    concurrency: usize,
    total: usize,
    limit: Duration,
    job: F,
) -> Result<Outcome, LoadError>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), LoadError>> + Send,
{
    let job = Arc::new(job);
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency.max(1) {
        let (job, next) = (job.clone(), next.clone());
        let mut hist = new_hist()?;
        workers.push(tokio::spawn(async move {
            let (mut ok, mut errors, mut first) = (0u64, 0u64, Vec::new());
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total || start.elapsed() >= limit {
                    break;
                }
                let t = Instant::now();
                let r = job(i).await;
                let us = t.elapsed().as_micros().clamp(1, 60_000_000) as u64;
                hist.saturating_record(us);
                match r {
                    Ok(()) => ok += 1,
                    Err(e) => {
                        errors += 1;
                        if first.len() < 5 {
                            first.push(e.to_string());
                        }
                    }
                }
            }
            (ok, errors, first, hist)
        }));
    }
    let mut out = Outcome {
        ok: 0,
        errors: 0,
        first_errors: Vec::new(),
        elapsed: Duration::ZERO,
        hist: new_hist()?,
    };
    for w in workers {
        let (ok, errors, first, hist) = w.await?;
        out.ok += ok;
        out.errors += errors;
        out.first_errors
            .extend(first.into_iter().take(5 - out.first_errors.len().min(5)));
        out.hist
            .add(&hist)
            .map_err(|e| LoadError::Histogram(e.to_string()))?;
    }
    out.elapsed = start.elapsed();
    Ok(out)
}
