//! Fault injection: dropped, duplicated, early and tampered notifies.

use std::time::Duration;

use crate::common::*;
use alipay::callback::verify_notify;
use alipay_sandbox::{Faults, Tamper};

#[tokio::test]
async fn drop_first_notifies_then_deliver() {
    let m = Merchant::start("success").await;
    let faults = Faults {
        drop_first_notifies: 2,
        ..Faults::default()
    };
    let r = start("sqlite::memory:", 36_000, faults).await;
    pay(&r, &m, "drop_1", "1.00").await;
    // Waits for the gateway's own record of the delivery (not a fixed pause, which a busy
    // machine can outrun).
    let report = eventually(10, || {
        let s = r.sandbox.clone();
        async move {
            let report = s.report().await.unwrap();
            (report["trades"][0]["notifies"][0]["state"] == "delivered").then_some(report)
        }
    })
    .await;
    assert_eq!(m.notifies().len(), 1, "two dropped, the third delivered");
    let n = &report["trades"][0]["notifies"][0];
    assert_eq!(n["attempts"], 3);
    assert_eq!(n["state"], "delivered");
    r.stop();
}

#[tokio::test]
async fn copies_arrive_concurrently_with_one_notify_id() {
    let m = Merchant::start("success").await;
    let faults = Faults {
        notify_copies: 3,
        ..Faults::default()
    };
    let r = start("sqlite::memory:", 1, faults).await;
    pay(&r, &m, "dup_1", "1.00").await;
    let got = eventually(10, || {
        let m = m.clone();
        async move {
            let v = m.notifies();
            (v.len() >= 3).then_some(v)
        }
    })
    .await;
    assert!(
        got.iter()
            .all(|n| n.params["notify_id"] == got[0].params["notify_id"])
    );
    r.stop();
}

#[tokio::test]
async fn notify_before_return_and_tampering() {
    let m = Merchant::start("success").await;
    let faults = Faults {
        notify_before_return: true,
        ..Faults::default()
    };
    let r = start("sqlite::memory:", 1, faults).await;
    pay(&r, &m, "early_1", "1.00").await;
    assert_eq!(
        m.notifies().len(),
        1,
        "the notify was delivered before the browser came back"
    );

    for (i, how) in [Tamper::Amount, Tamper::AppId, Tamper::SellerId]
        .into_iter()
        .enumerate()
    {
        r.sandbox.set_faults(Faults {
            notify_before_return: true,
            tamper: Some(how),
            ..Faults::default()
        });
        pay(&r, &m, &format!("tamper_{i}"), "1.00").await;
        let n = m.notifies().last().cloned().unwrap();
        let v = verify_notify(&n.body, &alipay_public())
            .expect("tampered notifies are still correctly signed");
        match how {
            Tamper::Amount => assert_ne!(v.total_amount.to_string(), "1.00"),
            Tamper::AppId => assert_ne!(v.app_id, APP_ID),
            Tamper::SellerId => assert_ne!(v.seller_id.as_deref(), Some(SELLER_ID)),
        }
    }

    // The JSON admin endpoint sets faults too.
    let resp = http()
        .post(format!("{}/admin/faults", r.base))
        .header("content-type", "application/json")
        .body(r#"{"drop_all_notifies": true}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(r.sandbox.faults().drop_all_notifies);
    let before = m.notifies().len();
    pay(&r, &m, "dropped_all", "1.00").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(m.notifies().len(), before);
    let html = http()
        .get(format!("{}/admin", r.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("dropped_all") && html.contains("dropped by fault injection"));
    r.stop();
}
