//! The sandbox's own pages under a strict CSP (no inline script), its writes same-origin, and its
//! fault counts bounded.

use crate::common::*;
use alipay_sandbox::Faults;

/// Every `<script` in `html` loads a file and has an empty body; no `on...=` handler attribute.
fn assert_no_inline_script(html: &str, what: &str) {
    let lower = html.to_ascii_lowercase();
    for (i, _) in lower.match_indices("<script") {
        let tag_end = lower[i..].find('>').map(|e| i + e).expect("tag ends");
        assert!(
            lower[i..tag_end].contains(" src="),
            "{what}: inline script at {i}"
        );
        assert!(
            lower[tag_end + 1..].starts_with("</script>"),
            "{what}: script with a body at {i}"
        );
    }
    let handler = lower
        .split(|c: char| c.is_whitespace() || c == '<')
        .filter_map(|w| w.split_once('='))
        .any(|(n, _)| {
            n.len() > 2 && n.starts_with("on") && n.bytes().all(|b| b.is_ascii_lowercase())
        });
    assert!(!handler, "{what}: inline event handler");
    assert!(!lower.contains("javascript:"), "{what}: javascript: URL");
}

async fn get_text(url: &str) -> (u16, String) {
    let r = http().get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn the_cashier_and_admin_pages_carry_no_inline_script() {
    let m = Merchant::start("success").await;
    let r = start("sqlite::memory:", 1, Faults::default()).await;
    let cashier = open_cashier(&page_pay_url(&r, "csp_1", "1.00", &m)).await;
    let (status, page) = get_text(&cashier).await;
    assert_eq!(status, 200);
    assert_no_inline_script(&page, "cashier");
    let script = format!("{}/static/cashier.js", r.base);
    assert!(
        page.contains(&format!("<script src=\"{script}\" defer></script>")),
        "{page}"
    );
    assert!(
        page.contains("id=\"countdown\" data-ms=\""),
        "the script's input stays"
    );

    let resp = http().get(&script).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let ct = resp.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ct.starts_with("application/javascript"), "{ct}");
    let cache = resp.headers()["cache-control"].to_str().unwrap().to_owned();
    assert!(cache.contains("max-age="), "{cache}");
    let js = resp.text().await.unwrap();
    assert!(
        js.contains("countdown") && js.contains("setTimeout"),
        "{js}"
    );

    let (status, admin) = get_text(&format!("{}/admin", r.base)).await;
    assert_eq!(status, 200);
    assert_no_inline_script(&admin, "admin");
    r.stop();
}

/// Posts `body` as a form to `url` with `origin` (if any).
async fn post_from(url: &str, origin: Option<&str>, body: &str) -> (u16, String) {
    let mut req = http()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned());
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn another_site_cannot_change_faults_or_press_the_cashier_buttons() {
    let m = Merchant::start("success").await;
    let r = start("sqlite::memory:", 1, Faults::default()).await;
    let faults = format!("{}/admin/faults", r.base);
    for origin in [
        "https://evil.example",
        "null",
        "http://127.0.0.1.evil.example",
    ] {
        let (status, body) = post_from(&faults, Some(origin), "notify_copies=5").await;
        assert_eq!(status, 403, "{origin}: {body}");
        assert!(body.contains("跨站请求被拒绝"), "{body}");
    }
    assert_eq!(r.sandbox.faults(), Faults::default(), "nothing changed");
    let cashier = open_cashier(&page_pay_url(&r, "xs_1", "1.00", &m)).await;
    let pay_body = "account=sandbox_buyer%40alipaydev.com&password=111111";
    for action in ["pay", "cancel"] {
        let (status, _) = post_from(
            &format!("{cashier}/{action}"),
            Some("https://evil.example"),
            pay_body,
        )
        .await;
        assert_eq!(status, 403, "{action}");
    }
    // From the sandbox's own pages (same origin) the writes go through.
    let own = r.base.trim_end_matches("/sandbox").to_owned();
    let (status, body) = post_from(&faults, Some(&own), "notify_copies=2").await;
    assert_eq!(status, 302, "{body}");
    assert_eq!(r.sandbox.faults().notify_copies, 2);
    // Merchants' pages on other sites still post page-pay forms to the gateway.
    let url = page_pay_url(&r, "xs_2", "1.00", &m);
    let (gateway, query) = url.split_once('?').unwrap();
    let resp = http()
        .post(gateway)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://merchant.example")
        .body(query.to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 302, "the gateway takes cross-site posts");
    r.stop();
}

#[tokio::test]
async fn fault_counts_out_of_range_are_a_400_and_change_nothing() {
    let r = start("sqlite::memory:", 1, Faults::default()).await;
    let url = format!("{}/admin/faults", r.base);
    for body in [
        "notify_copies=11",
        "notify_copies=1000000",
        "notify_copies=4294967296",
        "notify_copies=-1",
        "notify_copies=abc",
        "notify_copies=1%0A0",
        "drop_first_notifies=1001",
        "notify_delay_secs=601",
        "notify_delay_secs=99999999999999999999",
    ] {
        let (status, text) = post_from(&url, None, body).await;
        assert_eq!(status, 400, "{body}: {text}");
        assert!(
            text.contains("须为 0 到") && text.contains("must be an integer"),
            "{text}"
        );
        assert_eq!(
            r.sandbox.faults(),
            Faults::default(),
            "{body}: nothing changed"
        );
    }
    let resp = http()
        .post(&url)
        .header("content-type", "application/json")
        .body(r#"{"notify_copies": 11}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("notify_copies"));
    assert_eq!(r.sandbox.faults(), Faults::default());
    // The bounds themselves are accepted.
    let (status, _) = post_from(
        &url,
        None,
        "notify_copies=10&drop_first_notifies=1000&notify_delay_secs=600",
    )
    .await;
    assert_eq!(status, 302);
    assert_eq!(r.sandbox.faults().notify_copies, 10);
    // Set through the API, an absurd count is cut to its bound.
    r.sandbox.set_faults(Faults {
        notify_copies: u32::MAX,
        ..Faults::default()
    });
    assert_eq!(r.sandbox.faults().notify_copies, 10);
    r.stop();
}
