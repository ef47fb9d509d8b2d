//! The OpenAPI client against a tiny in-test gateway that checks our request signatures and answers
//! signed JSON.

use crate::common::{alipay_key, app_key, app_public, config};
use alipay::callback::{parse_form, parse_query};
use alipay::clock::FixedClock;
use alipay::openapi::{ClientOptions, response_key};
use alipay::sign::verify_request;
use alipay::{ApiError, Client, Money, PrivateKey, SignError, TradeStatus};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[derive(Default)]
struct Gateway {
    calls: AtomicUsize,
}

fn answer(method: &str, obj: &str, key: &PrivateKey) -> String {
    format!(
        "{{\"{}\":{},\"sign\":\"{}\"}}",
        response_key(method),
        obj,
        key.sign_rsa2(obj.as_bytes()).unwrap()
    )
}

async fn gateway(State(st): State<Arc<Gateway>>, RawQuery(q): RawQuery, body: String) -> Response {
    let n = st.calls.fetch_add(1, Ordering::SeqCst);
    let mut params = parse_query(q.as_deref().unwrap_or_default()).unwrap();
    params.extend(parse_form(body.as_bytes()).unwrap());
    if verify_request(&params, &app_public()).is_err() {
        let e = r#"{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature","sub_msg":"bad sign"}"#;
        return format!(r#"{{"error_response":{e},"sign":""}}"#).into_response();
    }
    assert_eq!(params["timestamp"], "2024-01-02 03:04:05");
    let method = params["method"].clone();
    let biz: serde_json::Value = serde_json::from_str(&params["biz_content"]).unwrap();
    let otn = biz["out_trade_no"].as_str().unwrap_or_default().to_owned();
    let ok_query = format!(
        r#"{{"code":"10000","msg":"Success","out_trade_no":"{otn}","trade_no":"T{otn}","trade_status":"TRADE_SUCCESS","total_amount":"99.00","buyer_user_id":"2088","send_pay_date":"2024-01-02 03:04:00"}}"#
    );
    let not_exist = r#"{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}"#;
    let unknown =
        r#"{"code":"20000","msg":"Service Currently Unavailable","sub_code":"isp.unknow-error"}"#;
    let key = alipay_key();
    match (method.as_str(), otn.as_str()) {
        ("alipay.trade.query", "PAID") => answer(&method, &ok_query, &key).into_response(),
        ("alipay.trade.query", "MISSING") => answer(&method, not_exist, &key).into_response(),
        ("alipay.trade.query", "FLAKY") if n == 0 => answer(&method, unknown, &key).into_response(),
        ("alipay.trade.query", "FLAKY") => answer(&method, &ok_query, &key).into_response(),
        ("alipay.trade.query", "FORGED") => answer(&method, &ok_query, &app_key()).into_response(),
        ("alipay.trade.query", "SLOW") => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            answer(&method, &ok_query, &key).into_response()
        }
        ("alipay.trade.query", "DOWN") => (StatusCode::BAD_GATEWAY, "bad gateway").into_response(),
        ("alipay.trade.query", "TRICKY") => {
            let obj = format!(
                "{{ \"code\" : \"10000\", \"msg\":\"a}}{{\\\"}}\", \"out_trade_no\":\"{otn}\", \"trade_no\":\"T1\", \"trade_status\":\"WAIT_BUYER_PAY\", \"total_amount\":\"0.01\", \"x\":[{{\"y\":\"}}\"}}] }}"
            );
            let sign = key.sign_rsa2(obj.as_bytes()).unwrap();
            format!(
                "{{ \"other\":{{\"k\":\"}}\"}}, \"{}\" : {obj} , \"sign\" : \"{sign}\" }}",
                response_key(&method)
            )
            .into_response()
        }
        ("alipay.trade.close", "PAID") => {
            let e = r#"{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_STATUS_ERROR","sub_msg":"交易状态不合法"}"#;
            answer(&method, e, &key).into_response()
        }
        ("alipay.trade.close", _) => answer(&method, unknown, &key).into_response(),
        ("alipay.trade.refund", _) => {
            assert_eq!(biz["refund_amount"], "10.00");
            let o = r#"{"code":"10000","msg":"Success","fund_change":"Y","refund_fee":"10.00","trade_no":"T1","out_trade_no":"PAID"}"#;
            answer(&method, o, &key).into_response()
        }
        ("alipay.trade.fastpay.refund.query", _) => {
            let o = r#"{"code":"10000","msg":"Success","refund_status":"REFUND_SUCCESS","refund_amount":"10.00","out_request_no":"R1"}"#;
            answer(&method, o, &key).into_response()
        }
        _ => (StatusCode::NOT_FOUND, "?").into_response(),
    }
}

async fn start() -> (Client, Arc<Gateway>) {
    let st = Arc::new(Gateway::default());
    let app = axum::Router::new()
        .route("/gateway.do", axum::routing::post(gateway))
        .with_state(st.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let clock = Arc::new(FixedClock(
        alipay::clock::parse_beijing("2024-01-02 03:04:05").unwrap(),
    ));
    let options = ClientOptions {
        timeout: Duration::from_millis(800),
        retry_backoff: Duration::from_millis(10),
        ..ClientOptions::default()
    };
    let client = Client::with_options(config(&format!("http://{addr}/gateway.do")), clock, options);
    (client, st)
}

#[tokio::test]
async fn query_success_and_typed_fields() {
    let (client, _) = start().await;
    let q = client.query("PAID").await.unwrap();
    assert_eq!(
        (q.trade_status, q.total_amount, q.trade_no.as_str()),
        (TradeStatus::TradeSuccess, Money::from_cents(9900), "TPAID")
    );
    assert!(q.send_pay_date.is_some());
    assert_eq!(q.raw["buyer_user_id"], "2088");
}

#[tokio::test]
async fn business_errors_are_typed() {
    let (client, st) = start().await;
    assert_eq!(
        client.query("MISSING").await.unwrap_err(),
        ApiError::TradeNotExist
    );
    assert!(
        matches!(client.close("PAID").await, Err(ApiError::TradeStatusError(m)) if m == "交易状态不合法")
    );
    // 20000 on close: retryable in principle, but close is not retried.
    let before = st.calls.load(Ordering::SeqCst);
    let e = client.close("OPEN").await.unwrap_err();
    assert!(e.is_retryable() && e == ApiError::Unknown);
    assert_eq!(st.calls.load(Ordering::SeqCst) - before, 1);
}

#[tokio::test]
async fn idempotent_query_is_retried_after_20000() {
    let (client, st) = start().await;
    let q = client.query("FLAKY").await.unwrap();
    assert_eq!(q.out_trade_no, "FLAKY");
    assert_eq!(st.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn forged_answers_timeouts_and_http_errors() {
    let (client, _) = start().await;
    assert!(matches!(
        client.query("FORGED").await,
        Err(ApiError::Signature(SignError::BadSignature { .. }))
    ));
    assert_eq!(client.query("SLOW").await.unwrap_err(), ApiError::Timeout);
    assert!(matches!(client.query("DOWN").await, Err(ApiError::Http(_))));
}

#[tokio::test]
async fn braces_and_quotes_inside_strings_do_not_confuse_the_matcher() {
    let (client, _) = start().await;
    let q = client.query("TRICKY").await.unwrap();
    assert_eq!(q.trade_status, TradeStatus::WaitBuyerPay);
    assert_eq!(q.raw["msg"], "a}{\"}");
}

#[tokio::test]
async fn refund_and_refund_query() {
    let (client, _) = start().await;
    let r = client
        .refund("PAID", "10.00".parse().unwrap(), "R1")
        .await
        .unwrap();
    assert!(r.fund_change);
    assert_eq!(r.refund_fee, Money::from_cents(1000));
    let rq = client.refund_query("PAID", "R1").await.unwrap();
    assert_eq!(rq.refund_status.as_deref(), Some("REFUND_SUCCESS"));
    assert_eq!(rq.refund_amount, Some(Money::from_cents(1000)));
}

#[tokio::test]
async fn a_wrong_app_key_gets_error_response_40002() {
    let (client, _) = start().await;
    let mut cfg = client.config().clone();
    cfg.app_private_key = alipay_key();
    let clock = Arc::new(FixedClock(
        alipay::clock::parse_beijing("2024-01-02 03:04:05").unwrap(),
    ));
    let bad = Client::new(cfg, clock);
    match bad.query("PAID").await.unwrap_err() {
        ApiError::Business { code, sub_code, .. } => assert_eq!(
            (code.as_str(), sub_code.as_str()),
            ("40002", "isv.invalid-signature")
        ),
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn unreachable_gateway_is_an_http_error() {
    let clock = Arc::new(alipay::SystemClock);
    let opts = ClientOptions {
        max_retries: 0,
        ..ClientOptions::default()
    };
    let client = Client::with_options(config("http://127.0.0.1:9/gateway.do"), clock, opts);
    assert!(matches!(client.query("X").await, Err(ApiError::Http(_))));
}
