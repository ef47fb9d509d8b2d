//! The notify dispatcher: sends due notifies, retries on Alipay's schedule, closes expired trades.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DbErr;
use tokio::task::JoinSet;

use crate::state::Inner;
use crate::store::delivery;

use super::schedule::next_attempt;
use super::send::{self, Outcome};

/// The longest the loop sleeps without looking at the store again.
const MAX_SLEEP: Duration = Duration::from_millis(500);

/// Spawns the dispatcher loop; it resumes whatever the store holds pending.
pub fn spawn(inner: Arc<Inner>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = tick(&inner).await {
                tracing::warn!(error = %e, "notify dispatcher tick failed");
            }
            let wait = next_wait(&inner).await.unwrap_or(MAX_SLEEP);
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = inner.wake.notified() => {}
            }
        }
    })
}

async fn tick(inner: &Arc<Inner>) -> Result<(), DbErr> {
    let now = inner.now();
    crate::trading::expire_due(inner, now).await?;
    for d in inner.store.due_deliveries(now).await? {
        if inner.claim(d.id) {
            let inner = inner.clone();
            tokio::spawn(async move {
                if let Err(e) = attempt_claimed(&inner, d).await {
                    tracing::warn!(error = %e, "notify attempt failed to record");
                }
            });
        }
    }
    Ok(())
}

async fn next_wait(inner: &Inner) -> Result<Duration, DbErr> {
    let mut next = inner.store.next_expiry().await?;
    for d in inner.store.pending_deliveries().await? {
        if !inner.is_inflight(d.id) {
            next = Some(next.map_or(d.next_attempt_at, |n| n.min(d.next_attempt_at)));
            break;
        }
    }
    Ok(next
        .map(|t| inner.clock.real_until(t))
        .unwrap_or(MAX_SLEEP)
        .clamp(Duration::from_millis(1), MAX_SLEEP))
}

/// Runs one attempt of delivery `id` now if nobody else is (used by `notify_before_return`).
/// Returns whether the merchant answered `success`.
pub async fn deliver_now(inner: &Arc<Inner>, id: i32) -> Result<bool, DbErr> {
    if !inner.claim(id) {
        return Ok(false);
    }
    match inner.store.delivery(id).await {
        Ok(Some(d)) => attempt_claimed(inner, d).await,
        Ok(None) => {
            inner.release(id);
            Ok(false)
        }
        Err(e) => {
            inner.release(id);
            Err(e)
        }
    }
}

/// One attempt of a claimed delivery; releases the claim and wakes the loop.
async fn attempt_claimed(inner: &Arc<Inner>, d: delivery::Model) -> Result<bool, DbErr> {
    let result = attempt(inner, &d).await;
    inner.release(d.id);
    inner.wake.notify_one();
    result
}

async fn attempt(inner: &Arc<Inner>, d: &delivery::Model) -> Result<bool, DbErr> {
    let now = inner.now();
    let outcomes: Vec<Outcome> = if inner.faults.take_drop() {
        vec![Outcome {
            status: None,
            body: String::new(),
            error: Some("dropped by fault injection".into()),
        }]
    } else {
        let copies = inner
            .faults
            .get()
            .notify_copies
            .clamp(1, crate::faults::MAX_NOTIFY_COPIES);
        let body = send::signed_body(inner, d, now);
        let mut set = JoinSet::new();
        for _ in 0..copies {
            let inner = inner.clone();
            let url = d.notify_url.clone();
            let body = body.clone();
            set.spawn(async move { send::post(&inner, &url, body).await });
        }
        let mut v = Vec::new();
        while let Some(r) = set.join_next().await {
            v.push(r.unwrap_or_else(|e| Outcome {
                status: None,
                body: String::new(),
                error: Some(format!("task failed: {e}")),
            }));
        }
        v
    };
    let delivered = outcomes.iter().any(Outcome::delivered);
    let rows = outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| send::attempt_row(d, i as i32, now, o))
        .collect();
    let done = d.attempts + 1;
    let (state, next) = if delivered {
        (crate::store::DELIVERED, d.next_attempt_at)
    } else {
        match next_attempt(done, d.next_attempt_at) {
            // Relative to the scheduled time, so the schedule stays exact on a fast clock.
            Some(n) => (crate::store::PENDING, n),
            None => (crate::store::FAILED, d.next_attempt_at),
        }
    };
    let first = &outcomes[0];
    tracing::info!(
        notify_id = %d.notify_id, attempt = done, delivered, status = ?first.status,
        answer = %first.body, error = ?first.error, "notify attempt"
    );
    inner.store.record_attempt(d, rows, state, next).await?;
    Ok(delivered)
}
