//! The client against a local fake gateway that checks our signatures and signs its answers.

use crate::common::*;
use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, Mutex};
use wechatpay::api::{
    ApiError, Client, Config, ErrorCode, H5Order, H5Type, NativeOrder, RefundRequest,
};
use wechatpay::notify::{RefundStatus, TradeState};
use wechatpay::sign::Authorization;
use wechatpay::verify::sign_response;
use wechatpay::{FixedClock, Verifier};

const NOW: i64 = 1722850421;
const NOTIFY: &str = "https://shop.example/wechatpay/notify";

#[derive(Default)]
struct Seen(Mutex<Vec<(String, String, String)>>);

async fn gateway(
    seen: Arc<Seen>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/")
        .to_owned();
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let parsed = Authorization::parse(auth).and_then(|a| {
        a.verify(method.as_str(), &path, &body, &merchant_public(), at(NOW))
            .map(|_| a)
    });
    if parsed.is_err()
        || headers
            .get("wechatpay-serial")
            .and_then(|v| v.to_str().ok())
            != Some(PUB_KEY_ID)
    {
        return (
            StatusCode::UNAUTHORIZED,
            r#"{"code":"SIGN_ERROR","message":"错误的签名,验签失败"}"#,
        )
            .into_response();
    }
    seen.0.lock().unwrap().push((
        method.to_string(),
        path.clone(),
        String::from_utf8_lossy(&body).into_owned(),
    ));
    let (status, answer): (u16, String) = match (method.as_str(), path.as_str()) {
        ("POST", "/v3/pay/transactions/native") => (200, r#"{"code_url":"weixin://wxpay/bizpayurl?pr=NwY5Mz9"}"#.into()),
        ("POST", "/v3/pay/transactions/h5") => (200, r#"{"h5_url":"https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx1&package=1"}"#.into()),
        ("GET", "/v3/pay/transactions/out-trade-no/C20240101_0001?mchid=1230000109") => (200, r#"{"appid":"wxd678efh567hg6787","mchid":"1230000109","out_trade_no":"C20240101_0001","trade_state":"NOTPAY","trade_state_desc":"订单未支付","amount":{"total":9900,"currency":"CNY"}}"#.into()),
        ("GET", "/v3/pay/transactions/out-trade-no/C20240101_0404?mchid=1230000109") => (404, r#"{"code":"ORDER_NOT_EXIST","message":"订单不存在"}"#.into()),
        ("GET", "/v3/pay/transactions/out-trade-no/C20240101_bad0?mchid=1230000109") => (200, "{}".into()),
        ("POST", "/v3/pay/transactions/out-trade-no/C20240101_0001/close") => (204, String::new()),
        ("POST", "/v3/pay/transactions/out-trade-no/C20240101_0002/close") => (400, r#"{"code":"ORDER_CLOSED","message":"订单已关闭"}"#.into()),
        ("POST", "/v3/refund/domestic/refunds") => (200, r#"{"refund_id":"50000000382019052709732678859","out_refund_no":"C20240101_0001_R1","transaction_id":"4200000001","out_trade_no":"C20240101_0001","channel":"ORIGINAL","user_received_account":"支付用户零钱","create_time":"2024-01-01T10:00:00+08:00","status":"PROCESSING","amount":{"total":9900,"refund":500,"payer_total":9900,"payer_refund":500,"currency":"CNY"}}"#.into()),
        ("GET", "/v3/refund/domestic/refunds/C20240101_0001_R1") => (200, r#"{"refund_id":"5","out_refund_no":"C20240101_0001_R1","transaction_id":"42","out_trade_no":"C20240101_0001","status":"SUCCESS","success_time":"2024-01-01T10:01:00+08:00","amount":{"total":9900,"refund":500}}"#.into()),
        _ => (400, r#"{"code":"PARAM_ERROR","message":"参数错误","detail":{"field":"/amount/currency","value":"XYZ","issue":"Currency code is invalid","location":"body"}}"#.into()),
    };
    let mut resp = Response::builder().status(status);
    if (200..300).contains(&status) {
        let serial = if path.contains("bad0") {
            "PUB_KEY_ID_OTHER"
        } else {
            PUB_KEY_ID
        };
        for (k, v) in sign_response(
            &wechatpay_key(),
            serial,
            at(NOW),
            "d824f2e086d3c1df967785d13fcd22ef",
            answer.as_bytes(),
        )
        .unwrap()
        .pairs()
        {
            resp = resp.header(k, v);
        }
    }
    resp.header("content-type", "application/json")
        .body(answer.into())
        .unwrap()
}

async fn start() -> (Client, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let s = seen.clone();
    let app = Router::new()
        .fallback(move |m: Method, u: Uri, h: HeaderMap, b: Bytes| gateway(s.clone(), m, u, h, b));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let config = Config {
        appid: "wxd678efh567hg6787".into(),
        signer: signer(),
        verifier: verifier(),
        wechatpay_serial: Some(PUB_KEY_ID.into()),
        base_url: format!("http://{addr}/"),
    };
    (Client::new(config, Arc::new(FixedClock(at(NOW)))), seen)
}

#[tokio::test]
async fn native_h5_query_close_refund_against_a_signing_gateway() {
    let (client, seen) = start().await;
    let order = NativeOrder::new("C20240101_0001", "Rust 课程", 9900, NOTIFY).unwrap();
    assert_eq!(
        client.native(&order).await.unwrap(),
        "weixin://wxpay/bizpayurl?pr=NwY5Mz9"
    );
    let h5 = H5Order::new(order.clone(), "2001:db8::7", H5Type::Wap).unwrap();
    assert!(
        client
            .h5(&h5)
            .await
            .unwrap()
            .starts_with("https://wx.tenpay.com/")
    );
    let q = client.query("C20240101_0001").await.unwrap();
    assert_eq!(
        (q.trade_state, q.amount.total, q.transaction_id),
        (TradeState::Notpay, 9900, None)
    );
    client.close("C20240101_0001").await.unwrap();
    let r = client
        .refund(&RefundRequest::new("C20240101_0001", "C20240101_0001_R1", 500, 9900).unwrap())
        .await
        .unwrap();
    assert_eq!((r.status, r.amount.refund), (RefundStatus::Processing, 500));
    let r = client.refund_query("C20240101_0001_R1").await.unwrap();
    assert_eq!(r.status, RefundStatus::Success);

    let seen = seen.0.lock().unwrap().clone();
    let body: serde_json::Value = serde_json::from_str(&seen[0].2).unwrap();
    assert_eq!(
        body["amount"],
        serde_json::json!({"total": 9900, "currency": "CNY"})
    );
    assert_eq!(
        (body["mchid"].as_str(), body["appid"].as_str()),
        (Some(MCHID), Some("wxd678efh567hg6787"))
    );
    let h5: serde_json::Value = serde_json::from_str(&seen[1].2).unwrap();
    assert_eq!(
        h5["scene_info"],
        serde_json::json!({"payer_client_ip": "2001:db8::7", "h5_info": {"type": "Wap"}})
    );
    assert_eq!(seen[2].2, "");
    assert_eq!(seen[3].2, r#"{"mchid":"1230000109"}"#);
    assert!(!seen[4].2.contains("mchid"));
}

#[tokio::test]
async fn error_answers_are_typed_and_unverified_answers_refused() {
    let (client, _) = start().await;
    let e = client.query("C20240101_0404").await.unwrap_err();
    assert!(e.is_code(&ErrorCode::OrderNotExist), "{e:?}");
    let e = client.close("C20240101_0002").await.unwrap_err();
    assert!(
        matches!(
            e,
            ApiError::Business {
                status: 400,
                code: ErrorCode::OrderClosed,
                ..
            }
        ),
        "{e:?}"
    );
    let e = client.refund_query("C20240101_0001_R9").await.unwrap_err();
    let ApiError::Business {
        code: ErrorCode::ParamError,
        detail: Some(detail),
        ..
    } = e
    else {
        panic!("{e:?}")
    };
    assert_eq!(detail["field"], "/amount/currency");
    // A 200 signed under a serial we do not know is never read.
    assert!(matches!(
        client.query("C20240101_bad0").await,
        Err(ApiError::Verify(_))
    ));
    // Invalid input never leaves the process.
    assert!(matches!(
        client.query("C1").await,
        Err(ApiError::Request(_))
    ));
    // Signed by another merchant key: the gateway answers 401 SIGN_ERROR.
    let mut config = client.config().clone();
    config.signer =
        wechatpay::MerchantSigner::new(MCHID, MERCHANT_SERIAL, wechatpay_key()).unwrap();
    let other = Client::new(config.clone(), Arc::new(FixedClock(at(NOW))));
    assert!(
        other
            .query("C20240101_0001")
            .await
            .unwrap_err()
            .is_code(&ErrorCode::SignError)
    );
    // Our clock 5 minutes off: the gateway refuses (and we would refuse its answers).
    config.signer = signer();
    let late = Client::new(config.clone(), Arc::new(FixedClock(at(NOW + 300))));
    assert!(
        late.query("C20240101_0001")
            .await
            .unwrap_err()
            .is_code(&ErrorCode::SignError)
    );
    config.verifier = Verifier::public_key(PUB_KEY_ID, merchant_public());
    let wrong_key = Client::new(config, Arc::new(FixedClock(at(NOW))));
    assert!(matches!(
        wrong_key.query("C20240101_0001").await,
        Err(ApiError::Verify(_))
    ));
    let e = Client::new(client.config().clone(), Arc::new(FixedClock(at(NOW))));
    let mut cfg = e.config().clone();
    cfg.base_url = "http://127.0.0.1:9".into();
    assert!(
        Client::new(cfg, Arc::new(FixedClock(at(NOW))))
            .query("C20240101_0001")
            .await
            .unwrap_err()
            .is_retryable()
    );
}

#[test]
fn request_builders_refuse_hostile_values() {
    assert!(NativeOrder::new("C2024 0101", "x", 1, NOTIFY).is_err());
    assert!(NativeOrder::new("C20240101_0001", "", 1, NOTIFY).is_err());
    assert!(NativeOrder::new("C20240101_0001", "😀 emoji", 1, NOTIFY).is_err());
    assert!(NativeOrder::new("C20240101_0001", &"课".repeat(128), 1, NOTIFY).is_err());
    assert!(NativeOrder::new("C20240101_0001", &"课".repeat(127), 1, NOTIFY).is_ok());
    assert!(NativeOrder::new("C20240101_0001", "x", -1, NOTIFY).is_err());
    for url in [
        "http://shop.example/n",
        "https://shop.example/n?a=1",
        "ftp://x",
        "",
        "http://localhost.evil/n",
    ] {
        assert!(
            NativeOrder::new("C20240101_0001", "x", 1, url).is_err(),
            "{url}"
        );
    }
    assert!(
        NativeOrder::new(
            "C20240101_0001",
            "x",
            1,
            "http://127.0.0.1:8080/wechatpay/notify"
        )
        .is_ok()
    );
    let o = NativeOrder::new("C20240101_0001", "x", 1, NOTIFY).unwrap();
    assert!(H5Order::new(o.clone(), "1.2.3", H5Type::Ios).is_err());
    assert!(H5Order::new(o.clone(), "", H5Type::Android).is_err());
    assert!(o.clone().attach(&"a".repeat(129)).is_err());
    assert!(RefundRequest::new("C20240101_0001", "R1", 0, 10).is_err());
    assert!(RefundRequest::new("C20240101_0001", &"R".repeat(65), 1, 10).is_err());
    assert!(
        RefundRequest::new("C20240101_0001", "R1", 1, 10)
            .unwrap()
            .reason(&"退".repeat(81))
            .is_err()
    );
    let at8 = chrono::DateTime::parse_from_rfc3339("2024-01-01T12:00:00+08:00").unwrap();
    assert_eq!(
        o.time_expire(at8).body("wx", "1")["time_expire"],
        "2024-01-01T12:00:00+08:00"
    );
}
