//! The embedded sandbox's writes from another site: only its gateway endpoint takes them.
use crate::common::start;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_site_cannot_change_the_sandbox_faults() {
    let s = start().await;
    let post = |origin: &'static str, body: &'static str| {
        s.http
            .post(s.url("/sandbox/admin/faults"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", origin)
            .body(body)
            .send()
    };
    let r = post("https://evil.example", "drop_all_notifies=on")
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let faults: serde_json::Value = s.get_json("/sandbox/admin/faults").await;
    assert_eq!(faults["drop_all_notifies"], false, "{faults}");
    // Same origin: the admin page's own form works, within bounds.
    let same = s.base.clone().leak() as &'static str;
    let r = post(same, "notify_copies=11").await.unwrap();
    assert_eq!(r.status(), 400);
    let r = post(same, "notify_copies=2").await.unwrap();
    assert_eq!(r.status(), 302);
    let faults: serde_json::Value = s.get_json("/sandbox/admin/faults").await;
    assert_eq!(faults["notify_copies"], 2, "{faults}");
    // The gateway still answers cross-site posts (a merchant page's form).
    let r = s
        .http
        .post(s.url("/sandbox/gateway.do"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://merchant.example")
        .body("method=alipay.trade.query")
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 403);
}
