//! A buyer pays over HTTP; the return and the notify verify with the alipay crate and python-alipay-sdk.

use crate::common::*;
use alipay::callback::{TradeStatus, verify_notify, verify_return};
use alipay_sandbox::Faults;
use serde_json::json;

#[tokio::test]
async fn pay_return_notify_and_query() {
    let m = Merchant::start("success").await;
    let r = start("sqlite::memory:", 1, Faults::default()).await;

    // Before the buyer reaches the cashier the trade does not exist.
    let body = api(&r, "alipay.trade.query", json!({"out_trade_no": "order_1"})).await;
    let a = verified_answer(&body, "alipay.trade.query");
    assert_eq!(a["code"], "40004");
    assert_eq!(a["sub_code"], "ACQ.TRADE_NOT_EXIST");

    // Opening the cashier creates a WAIT_BUYER_PAY trade.
    let cashier = open_cashier(&page_pay_url(&r, "order_1", "88.80", &m)).await;
    assert!(
        cashier.starts_with(&format!("{}/cashier/", r.base)),
        "{cashier}"
    );
    let page = http()
        .get(&cashier)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        "支付宝",
        "收银台 (沙箱)",
        "课程商店",
        "Rust 入门课程",
        "¥88.80",
        "order_1",
        "确认付款",
        "取消",
        "<svg",
        "111111",
        "sandbox_buyer@alipaydev.com",
        "北京时间",
    ] {
        assert!(page.contains(needle), "cashier page lacks {needle}");
    }
    assert!(
        page.contains(&format!("action=\"{cashier}/pay\"")),
        "form action is absolute under the mount"
    );
    let a = verified_answer(
        &api(&r, "alipay.trade.query", json!({"out_trade_no": "order_1"})).await,
        "alipay.trade.query",
    );
    assert_eq!(a["trade_status"], "WAIT_BUYER_PAY");

    // Pay: the browser is sent to return_url with signed parameters.
    let ret = confirm(&cashier).await;
    assert!(ret.starts_with(&m.return_url()), "{ret}");
    let query = ret.split_once('?').unwrap().1;
    let rp = verify_return(query, &alipay_public()).expect("return verifies with the crate");
    assert_eq!(rp.out_trade_no, "order_1");
    assert_eq!(rp.total_amount.to_string(), "88.80");
    assert_eq!(rp.trade_no.len(), 28);
    assert!(rp.trade_no.bytes().all(|b| b.is_ascii_digit()));
    for k in [
        "method",
        "app_id",
        "auth_app_id",
        "charset",
        "seller_id",
        "sign",
        "sign_type",
        "timestamp",
        "version",
    ] {
        assert!(rp.raw.contains_key(k), "return lacks {k}");
    }
    assert_eq!(rp.raw["method"], "alipay.trade.page.pay.return");

    // The notify arrives, form-encoded, signed as Alipay, with every field Alipay sends.
    let n = eventually(10, || {
        let m = m.clone();
        async move { m.notifies().first().cloned() }
    })
    .await;
    assert!(
        n.content_type
            .starts_with("application/x-www-form-urlencoded")
    );
    let notify = verify_notify(&n.body, &alipay_public()).expect("notify verifies with the crate");
    assert_eq!(notify.trade_status, TradeStatus::TradeSuccess);
    assert_eq!(notify.out_trade_no, "order_1");
    assert_eq!(notify.trade_no, rp.trade_no);
    assert_eq!(notify.total_amount.to_string(), "88.80");
    assert_eq!(notify.app_id, APP_ID);
    assert_eq!(notify.seller_id.as_deref(), Some(SELLER_ID));
    let buyer = notify.buyer_id.clone().unwrap();
    assert!(buyer.starts_with("2088") && buyer.len() == 16);
    for k in [
        "notify_time",
        "notify_type",
        "notify_id",
        "app_id",
        "auth_app_id",
        "charset",
        "version",
        "sign_type",
        "sign",
        "trade_no",
        "out_trade_no",
        "buyer_id",
        "buyer_logon_id",
        "seller_id",
        "seller_email",
        "trade_status",
        "total_amount",
        "receipt_amount",
        "invoice_amount",
        "buyer_pay_amount",
        "point_amount",
        "subject",
        "gmt_create",
        "gmt_payment",
        "fund_bill_list",
    ] {
        assert!(n.params.contains_key(k), "notify lacks {k}");
    }
    assert_eq!(n.params["notify_type"], "trade_status_sync");

    // The query now says paid; the answer verifies with both implementations.
    let body = api(&r, "alipay.trade.query", json!({"out_trade_no": "order_1"})).await;
    let a = verified_answer(&body, "alipay.trade.query");
    assert_eq!(a["code"], "10000");
    assert_eq!(a["trade_status"], "TRADE_SUCCESS");
    assert_eq!(a["total_amount"], "88.80");
    assert_eq!(a["trade_no"], rp.trade_no.as_str());

    let py = python_verify(
        json!({"return": rp.raw, "notify": n.params}),
        json!({"query": [body, "alipay_trade_query_response"]}),
    );
    assert_eq!(py, json!({"return": true, "notify": true, "query": true}));

    // Delivered once: exactly one POST.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(m.notifies().len(), 1);

    // Paying the same out_trade_no again is refused.
    let resp = http()
        .get(page_pay_url(&r, "order_1", "88.80", &m))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.headers()["x-sandbox-error-code"],
        "ACQ.TRADE_HAS_SUCCESS"
    );
    r.stop();
}

#[tokio::test]
async fn crate_page_pay_url_and_client_work_against_the_sandbox() {
    let m = Merchant::start("success").await;
    let r = start("sqlite::memory:", 1, Faults::default()).await;
    let config = alipay::config::AlipayConfig {
        app_id: APP_ID.into(),
        seller_id: SELLER_ID.into(),
        gateway: r.gateway(),
        app_private_key: app_key().clone(),
        alipay_public_key: alipay_public(),
        notify_url: Some(m.notify_url()),
        return_url: Some(m.return_url()),
        cert: None,
    };
    let clock = r.sandbox.clock();
    let pay = alipay::pagepay::PagePay::builder(
        alipay::pagepay::OutTradeNo::new("crate_1").unwrap(),
        "0.01".parse().unwrap(),
        "一分钱课程",
    )
    .passback_params("x=1")
    .build()
    .unwrap();
    let url = pay.url(&config, clock.as_ref()).unwrap();
    let cashier = open_cashier(&url).await;
    let ret = confirm(&cashier).await;
    verify_return(ret.split_once('?').unwrap().1, &alipay_public()).unwrap();
    let client = alipay::openapi::Client::new(config, clock);
    let q = client.query("crate_1").await.expect("query");
    assert_eq!(q.trade_status, TradeStatus::TradeSuccess);
    let n = eventually(10, || {
        let m = m.clone();
        async move { m.notifies().first().cloned() }
    })
    .await;
    assert_eq!(n.params["passback_params"], "x%3D1");
    r.stop();
}
