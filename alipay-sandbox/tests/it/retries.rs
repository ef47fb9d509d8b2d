//! A notify answered `failure` is retried on Alipay's schedule (scaled), exactly 8 times, and a
//! restart of the sandbox mid-schedule loses no delivery.

use std::time::Duration;

use crate::common::*;
use alipay_sandbox::Faults;
use chrono::{DateTime, Utc};
use serde_json::Value;

const SCHEDULE_MINUTES: [i64; 7] = [4, 10, 10, 60, 120, 360, 900];

fn attempt_log(report: &Value) -> Vec<Value> {
    report["trades"][0]["notifies"][0]["attempt_log"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn assert_schedule(log: &[Value]) {
    let at: Vec<DateTime<Utc>> = log
        .iter()
        .map(|a| a["scheduled_at"].as_str().unwrap().parse().unwrap())
        .collect();
    for (i, w) in at.windows(2).enumerate() {
        assert_eq!(
            (w[1] - w[0]).num_minutes(),
            SCHEDULE_MINUTES[i],
            "gap after attempt {}",
            i + 1
        );
    }
}

#[tokio::test]
async fn failure_is_retried_exactly_eight_times_on_the_schedule() {
    let m = Merchant::start("failure").await;
    let r = start("sqlite::memory:", 36_000, Faults::default()).await;
    pay(&r, &m, "retry_1", "10.00").await;
    // 25 simulated hours take 2.5 real seconds.
    eventually(20, || {
        let m = m.clone();
        async move { (m.notifies().len() >= 8).then_some(()) }
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let got = m.notifies();
    assert_eq!(got.len(), 8, "exactly 8 attempts");
    let id = &got[0].params["notify_id"];
    assert!(
        got.iter().all(|n| &n.params["notify_id"] == id),
        "same notify_id"
    );
    let report = r.sandbox.report().await.unwrap();
    let notify = &report["trades"][0]["notifies"][0];
    assert_eq!(notify["state"], "failed");
    assert_eq!(notify["attempts"], 8);
    let log = attempt_log(&report);
    assert_eq!(log.len(), 8);
    assert!(
        log.iter()
            .all(|a| a["http_status"] == 200 && a["response_body"] == "failure")
    );
    assert_schedule(&log);
    r.stop();
}

#[tokio::test]
async fn answer_success_later_stops_the_retries() {
    let m = Merchant::start("fail").await;
    // Decided up front, not after watching the attempts go by: on a busy machine the whole
    // (accelerated) schedule could pass before the test got round to changing the answer.
    m.answer_from(3, "success");
    let r = start("sqlite::memory:", 36_000, Faults::default()).await;
    pay(&r, &m, "retry_2", "10.00").await;
    eventually(20, || {
        let s = r.sandbox.clone();
        async move {
            (s.report().await.unwrap()["trades"][0]["notifies"][0]["state"] == "delivered")
                .then_some(())
        }
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        m.notifies().len(),
        3,
        "delivered by the third attempt, none after"
    );
    r.stop();
}

#[tokio::test]
async fn restart_mid_schedule_loses_no_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("sandbox.db").display()
    );
    let m = Merchant::start("failure").await;
    let r = start(&url, 36_000, Faults::default()).await;
    pay(&r, &m, "restart_1", "10.00").await;
    // Attempts 1..=5 fall within the first 0.2 s; 6 at ~0.34 s; 7 at ~0.94 s.
    eventually(20, || {
        let m = m.clone();
        async move { (m.notifies().len() >= 5).then_some(()) }
    })
    .await;
    r.stop();
    let before = m.notifies().len();
    assert!(before < 8, "stopped mid-schedule");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(m.notifies().len(), before, "nothing is sent while stopped");

    let r = start(&url, 36_000, Faults::default()).await;
    eventually(20, || {
        let m = m.clone();
        async move { (m.notifies().len() >= 8).then_some(()) }
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let got = m.notifies();
    assert_eq!(got.len(), 8, "the schedule resumed and completed: 8 in all");
    let id = &got[0].params["notify_id"];
    assert!(got.iter().all(|n| &n.params["notify_id"] == id));
    let log = attempt_log(&r.sandbox.report().await.unwrap());
    assert_eq!(log.len(), 8);
    assert_schedule(&log);
    r.stop();
}
