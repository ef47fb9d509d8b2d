//! query / close / refund / fastpay.refund.query: signed answers and Alipay's codes.

use crate::common::*;
use alipay::sign::verify_callback;
use alipay_sandbox::Faults;
use serde_json::json;

const QUERY: &str = "alipay.trade.query";
const CLOSE: &str = "alipay.trade.close";
const REFUND: &str = "alipay.trade.refund";
const REFUND_QUERY: &str = "alipay.trade.fastpay.refund.query";

async fn call(r: &Running, method: &str, biz: serde_json::Value) -> serde_json::Value {
    verified_answer(&api(r, method, biz).await, method)
}

#[tokio::test]
async fn close_and_refund_codes() {
    let m = Merchant::start("success").await;
    let r = start("sqlite::memory:", 1, Faults::default()).await;

    // Closing a trade nobody opened: not exist.
    let a = call(&r, CLOSE, json!({"out_trade_no": "nobody"})).await;
    assert_eq!(
        (a["code"].as_str(), a["sub_code"].as_str()),
        (Some("40004"), Some("ACQ.TRADE_NOT_EXIST"))
    );

    // An unpaid trade (buyer at the cashier) closes, with a TRADE_CLOSED notify.
    open_cashier(&page_pay_url(&r, "unpaid_1", "5.00", &m)).await;
    let a = call(&r, CLOSE, json!({"out_trade_no": "unpaid_1"})).await;
    assert_eq!(a["code"], "10000");
    assert_eq!(a["out_trade_no"], "unpaid_1");
    let q = call(&r, QUERY, json!({"out_trade_no": "unpaid_1"})).await;
    assert_eq!(q["trade_status"], "TRADE_CLOSED");
    let n = eventually(10, || {
        let m = m.clone();
        async move {
            m.notifies()
                .into_iter()
                .find(|n| n.params["out_trade_no"] == "unpaid_1")
        }
    })
    .await;
    assert_eq!(n.params["trade_status"], "TRADE_CLOSED");
    assert!(n.params.contains_key("gmt_close"));
    verify_callback(&n.params, &alipay_public()).unwrap();

    // A paid trade cannot be closed.
    pay(&r, &m, "paid_1", "100.00").await;
    let a = call(&r, CLOSE, json!({"out_trade_no": "paid_1"})).await;
    assert_eq!(
        (a["code"].as_str(), a["sub_code"].as_str()),
        (Some("40004"), Some("ACQ.TRADE_STATUS_ERROR"))
    );

    // Partial refund, idempotent by out_request_no.
    let body = api(
        &r,
        REFUND,
        json!({"out_trade_no": "paid_1", "refund_amount": "30.00", "out_request_no": "rf1"}),
    )
    .await;
    let a = verified_answer(&body, REFUND);
    assert_eq!(a["code"], "10000");
    assert_eq!(a["fund_change"], "Y");
    assert_eq!(a["refund_fee"], "30.00");
    let again = call(
        &r,
        REFUND,
        json!({"out_trade_no": "paid_1", "refund_amount": "30.00", "out_request_no": "rf1"}),
    )
    .await;
    assert_eq!(again["code"], "10000");
    assert_eq!(again["refund_fee"], "30.00", "no double refund");
    assert_eq!(again["fund_change"], "N");

    // Over the total: refused.
    let a = call(
        &r,
        REFUND,
        json!({"out_trade_no": "paid_1", "refund_amount": "70.01", "out_request_no": "rf2"}),
    )
    .await;
    assert_eq!(a["sub_code"], "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL");

    // Refund query.
    let a = call(
        &r,
        REFUND_QUERY,
        json!({"out_trade_no": "paid_1", "out_request_no": "rf1"}),
    )
    .await;
    assert_eq!(a["refund_status"], "REFUND_SUCCESS");
    assert_eq!(a["refund_amount"], "30.00");

    // The rest: full refund closes the trade; refund notifies carry the cumulative refund_fee.
    let a = call(
        &r,
        REFUND,
        json!({"out_trade_no": "paid_1", "refund_amount": "70.00", "out_request_no": "rf3"}),
    )
    .await;
    assert_eq!(a["refund_fee"], "100.00");
    let q = call(&r, QUERY, json!({"out_trade_no": "paid_1"})).await;
    assert_eq!(q["trade_status"], "TRADE_CLOSED");
    let refunds = eventually(10, || {
        let m = m.clone();
        async move {
            let v: Vec<_> = m
                .notifies()
                .into_iter()
                .filter(|n| n.params.contains_key("out_biz_no"))
                .collect();
            (v.len() == 2).then_some(v)
        }
    })
    .await;
    let rf1 = refunds
        .iter()
        .find(|n| n.params["out_biz_no"] == "rf1")
        .unwrap();
    assert_eq!(rf1.params["trade_status"], "TRADE_SUCCESS");
    assert_eq!(rf1.params["refund_fee"], "30.00");
    assert!(rf1.params.contains_key("gmt_refund"));
    let rf3 = refunds
        .iter()
        .find(|n| n.params["out_biz_no"] == "rf3")
        .unwrap();
    assert_eq!(rf3.params["trade_status"], "TRADE_CLOSED");
    assert_eq!(rf3.params["refund_fee"], "100.00");
    for n in &refunds {
        verify_callback(&n.params, &alipay_public()).unwrap();
    }
    let py = python_verify(
        json!({"refund": rf3.params}),
        json!({"refund_answer": [body, "alipay_trade_refund_response"]}),
    );
    assert_eq!(py, json!({"refund": true, "refund_answer": true}));
    r.stop();
}

#[tokio::test]
async fn bad_signature_unknown_app_and_query_unknown() {
    let r = start("sqlite::memory:", 1, Faults::default()).await;
    let mut p = signed(&r.sandbox, QUERY, json!({"out_trade_no": "x"}), &[]);
    p.insert(
        "biz_content".into(),
        json!({"out_trade_no": "y"}).to_string(),
    );
    let a = verified_answer(&post_form(&r.gateway(), &encode(&p)).await, QUERY);
    assert_eq!(
        (a["code"].as_str(), a["sub_code"].as_str()),
        (Some("40002"), Some("isv.invalid-signature"))
    );

    let mut p = signed(&r.sandbox, QUERY, json!({"out_trade_no": "x"}), &[]);
    p.insert("app_id".into(), "2021999".into());
    let a = verified_answer(&post_form(&r.gateway(), &encode(&p)).await, QUERY);
    assert_eq!(a["sub_code"], "isv.invalid-app-id");

    let body = post_form(&r.gateway(), "method=alipay.no.such&app_id=1").await;
    assert!(body.starts_with("{\"error_response\":"), "{body}");

    r.sandbox.set_faults(Faults {
        query_unknown: true,
        ..Faults::default()
    });
    let a = call(&r, QUERY, json!({"out_trade_no": "x"})).await;
    assert_eq!(a["code"], "20000");
    r.stop();
}
