//! Posts the shuffled deliveries to the instances, `concurrency` in flight, and checks each answer.
use std::sync::Arc;
use std::time::Duration;

use reqwest::Client;

use super::plan::Plan;
use super::tally::{Answer, Tally};
use crate::error::LoadError;
use crate::runner::{self, Outcome};

/// Delivery `i` goes to instance `i % bases.len()`; the deliveries are shuffled, so the copies of
/// one notify land on random instances in random order.
pub async fn storm(
    http: &Client,
    bases: &[String],
    plan: Arc<Plan>,
    concurrency: usize,
    limit: Duration,
) -> Result<(Outcome, Arc<Tally>), LoadError> {
    let tally = Arc::new(Tally::default());
    let (http, bases, t) = (http.clone(), Arc::new(bases.to_vec()), tally.clone());
    let total = plan.deliveries.len();
    let out = runner::run(concurrency, total, limit, move |i| {
        let (http, bases, plan, tally) = (http.clone(), bases.clone(), plan.clone(), t.clone());
        async move {
            let d = &plan.deliveries[i];
            let base = &bases[i % bases.len()];
            let sent = http
                .post(format!("{base}/order/notify"))
                .header(
                    "content-type",
                    "application/x-www-form-urlencoded; charset=utf-8",
                )
                .body(plan.bodies[d.body].clone())
                .send()
                .await;
            let (answer, detail) = match sent {
                Ok(r) => {
                    let status = r.status().as_u16();
                    let body = r.text().await.unwrap_or_default();
                    let shown: String = body.chars().take(80).collect();
                    (
                        Answer::classify(status, &body),
                        format!("{} via {base}: {status} {shown:?}", d.out_trade_no),
                    )
                }
                Err(e) => (
                    Answer::Transport,
                    format!("{} via {base}: {e}", d.out_trade_no),
                ),
            };
            if tally.record(d.kind, answer, || detail.clone()) {
                Ok(())
            } else {
                Err(LoadError::Answer("notify", detail))
            }
        }
    })
    .await?;
    Ok((out, tally))
}
