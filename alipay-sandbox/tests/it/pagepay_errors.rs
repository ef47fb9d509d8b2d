//! Bad page-pay requests get Alipay-style error pages (never a 500); expired trades close.

use crate::common::*;
use alipay_sandbox::Faults;
use serde_json::json;

async fn error_code(url: &str) -> (u16, String, String) {
    let resp = http().get(url).send().await.unwrap();
    let status = resp.status().as_u16();
    let code = resp
        .headers()
        .get("x-sandbox-error-code")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, code, resp.text().await.unwrap())
}

#[tokio::test]
async fn error_pages() {
    let m = Merchant::start("success").await;
    let r = start("sqlite::memory:", 1, Faults::default()).await;
    let page_pay = "alipay.trade.page.pay";

    // A tampered amount: invalid-signature, showing the string the gateway verified.
    let mut p = signed(&r.sandbox, page_pay, page_pay_biz("e1", "1.00"), &[]);
    p.insert("biz_content".into(), page_pay_biz("e1", "0.01").to_string());
    let (status, code, html) = error_code(&format!("{}?{}", r.gateway(), encode(&p))).await;
    assert_eq!((status, code.as_str()), (200, "invalid-signature"));
    assert!(html.contains("sign_type=RSA2"), "shows the verified string");
    assert!(html.contains("app_id="));

    let mut p = signed(&r.sandbox, page_pay, page_pay_biz("e2", "1.00"), &[]);
    p.insert("app_id".into(), "1234".into());
    assert_eq!(
        error_code(&format!("{}?{}", r.gateway(), encode(&p)))
            .await
            .1,
        "invalid-app-id"
    );

    let cases = [
        (
            json!({"total_amount": "1.00", "subject": "s", "product_code": "FAST_INSTANT_TRADE_PAY"}),
            "missing-out-trade-no",
        ),
        (
            json!({"out_trade_no": "a-b", "total_amount": "1.00", "subject": "s", "product_code": "FAST_INSTANT_TRADE_PAY"}),
            "invalid-out-trade-no",
        ),
        (
            json!({"out_trade_no": "a", "total_amount": "1.001", "subject": "s", "product_code": "FAST_INSTANT_TRADE_PAY"}),
            "invalid-total-amount",
        ),
        (
            json!({"out_trade_no": "a", "total_amount": "0.00", "subject": "s", "product_code": "FAST_INSTANT_TRADE_PAY"}),
            "invalid-total-amount",
        ),
        (
            json!({"out_trade_no": "a", "total_amount": "100000000.01", "subject": "s", "product_code": "FAST_INSTANT_TRADE_PAY"}),
            "invalid-total-amount",
        ),
        (
            json!({"out_trade_no": "a", "total_amount": "1.00", "subject": "a/b", "product_code": "FAST_INSTANT_TRADE_PAY"}),
            "invalid-subject",
        ),
        (
            json!({"out_trade_no": "a", "total_amount": "1.00", "product_code": "FAST_INSTANT_TRADE_PAY"}),
            "missing-subject",
        ),
        (
            json!({"out_trade_no": "a", "total_amount": "1.00", "subject": "s"}),
            "missing-product-code",
        ),
        (
            json!({"out_trade_no": "a", "total_amount": "1.00", "subject": "s", "product_code": "FAST_INSTANT_TRADE_PAY", "time_expire": "tomorrow"}),
            "invalid-time-expire",
        ),
    ];
    for (biz, want) in cases {
        let p = signed(&r.sandbox, page_pay, biz, &[]);
        assert_eq!(
            error_code(&format!("{}?{}", r.gateway(), encode(&p)))
                .await
                .1,
            want
        );
    }
    let p = signed(&r.sandbox, page_pay, json!(1), &[]);
    assert_eq!(
        error_code(&format!("{}?{}", r.gateway(), encode(&p)))
            .await
            .1,
        "invalid-biz-content"
    );

    // Garbage never yields a 500.
    for q in [
        "",
        "?method=alipay.trade.page.pay",
        "?%ZZ=%ZZ&&&=",
        "?method=alipay.trade.page.pay&app_id=9021000000000001&charset=utf-8&version=1.0&timestamp=x",
    ] {
        let (status, code, _) = error_code(&format!("{}{q}", r.gateway())).await;
        assert_eq!(status, 200, "{q}");
        assert!(
            code.starts_with("missing-") || code.starts_with("invalid-"),
            "{q}: {code}"
        );
    }
    let resp = http()
        .get(format!("{}/cashier/nope", r.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    // time_expire in the past: closed, no cashier.
    let mut biz = page_pay_biz("late_1", "1.00");
    biz["time_expire"] = json!("2020-01-01 00:00:00");
    let p = signed(
        &r.sandbox,
        page_pay,
        biz,
        &[("notify_url", &m.notify_url())],
    );
    assert_eq!(
        error_code(&format!("{}?{}", r.gateway(), encode(&p)))
            .await
            .1,
        "ACQ.TRADE_HAS_CLOSE"
    );

    // The POST form shape: public params in the query, biz_content in the body.
    let mut p = signed(
        &r.sandbox,
        page_pay,
        page_pay_biz("form_1", "2.00"),
        &[("return_url", &m.return_url())],
    );
    let biz = p.remove("biz_content").unwrap();
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("biz_content", &biz)
        .finish();
    let resp = http()
        .post(format!("{}?{}", r.gateway(), encode(&p)))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 302);
    let cashier = location(&resp);
    let ret = confirm(&cashier).await;
    assert!(ret.starts_with(&m.return_url()));

    // Cancel: a Chinese page linking back to the merchant's site.
    let cashier = open_cashier(&page_pay_url(&r, "cancel_1", "3.00", &m)).await;
    let html = http()
        .post(format!("{cashier}/cancel"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("您已取消付款"));
    assert!(html.contains(&format!("href=\"{}\"", m.base)));
    r.stop();
}

#[tokio::test]
async fn unpaid_trade_expires_and_closes() {
    let m = Merchant::start("success").await;
    let r = start("sqlite::memory:", 3600, Faults::default()).await;
    let mut biz = page_pay_biz("exp_1", "1.00");
    biz["timeout_express"] = json!("1h"); // one real second at ×3600
    let p = signed(
        &r.sandbox,
        "alipay.trade.page.pay",
        biz,
        &[("notify_url", &m.notify_url())],
    );
    open_cashier(&format!("{}?{}", r.gateway(), encode(&p))).await;
    let n = eventually(15, || {
        let m = m.clone();
        async move { m.notifies().first().cloned() }
    })
    .await;
    assert_eq!(n.params["trade_status"], "TRADE_CLOSED");
    let a = verified_answer(
        &api(&r, "alipay.trade.query", json!({"out_trade_no": "exp_1"})).await,
        "alipay.trade.query",
    );
    assert_eq!(a["trade_status"], "TRADE_CLOSED");
    r.stop();
}
