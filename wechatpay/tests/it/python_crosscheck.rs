//! Cross-checks with the wechatpayv3 SDK (PyPI), both ways: its signatures verify here and ours there,
//! its `callback()` accepts notifications we sign and encrypt, and we accept the ones it would accept.
//! Skipped with a message only when python3 or wechatpayv3 is missing.

use crate::common::*;
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};
use wechatpay::aead::ApiV3Key;
use wechatpay::notify::{Notification, NotifySpec, build_notify, parse_notify};
use wechatpay::sign::{Authorization, request_message};
use wechatpay::verify::{WechatpayHeaders, sign_response};

const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/wechatpayv3_oracle.py"
);
const BODY: &str = r#"{"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"Image形象店-深圳腾大-QQ公仔","out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php","amount":{"total":100,"currency":"CNY"}}"#;
const NOW: i64 = 1554208460;

/// `None` when python3 or wechatpayv3 is missing; a broken script fails the test.
fn oracle(request: Value) -> Option<Value> {
    let Ok(mut child) = Command::new("python3")
        .arg(SCRIPT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        eprintln!("python3 not found: skipping the wechatpayv3 cross-check");
        return None;
    };
    child
        .stdin
        .take()?
        .write_all(request.to_string().as_bytes())
        .ok()?;
    let out = child.wait_with_output().ok()?;
    if out.status.code() == Some(3) {
        eprintln!(
            "wechatpayv3 not installed (pip install -r scripts/requirements-dev.txt): skipping the cross-check"
        );
        return None;
    }
    assert!(
        out.status.success(),
        "wechatpayv3_oracle.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("the oracle prints JSON"))
}

#[test]
fn its_signature_equals_ours_byte_for_byte() {
    let parts = json!([
        "POST",
        "/v3/pay/transactions/native",
        NOW.to_string(),
        "593BEC0C930BF1AFEB40B4A08C8FB242",
        BODY
    ]);
    let Some(out) = oracle(
        json!({"op": "sign", "private_key": MERCHANT_KEY, "parts": parts, "public_key": WECHATPAY_PUBLIC, "public_key_id": PUB_KEY_ID}),
    ) else {
        return;
    };
    let ours = signer()
        .authorization(
            "POST",
            "/v3/pay/transactions/native",
            BODY.as_bytes(),
            at(NOW),
            "593BEC0C930BF1AFEB40B4A08C8FB242",
        )
        .unwrap();
    assert_eq!(out["signature"], ours.signature.as_str());
    let m = request_message(
        "POST",
        "/v3/pay/transactions/native",
        NOW,
        "593BEC0C930BF1AFEB40B4A08C8FB242",
        BODY.as_bytes(),
    );
    assert_eq!(m.len(), 323);
}

#[test]
fn its_authorization_header_verifies_here() {
    // Its body is json.dumps(...) text with ", " separators; we verify the exact bytes it signed.
    let body = r#"{"mchid": "1230000109", "description": "\u8bfe\u7a0b"}"#;
    let Some(out) = oracle(
        json!({"op": "authorization", "private_key": MERCHANT_KEY, "path": "/v3/pay/transactions/native",
        "method": "POST", "mchid": MCHID, "serial_no": MERCHANT_SERIAL, "body": body, "nonce": "ABCDEF0123456789ABCDEF0123456789"}),
    ) else {
        return;
    };
    let auth = Authorization::parse(out["header"].as_str().unwrap()).unwrap();
    assert_eq!(
        (auth.mchid.as_str(), auth.serial_no.as_str()),
        (MCHID, MERCHANT_SERIAL)
    );
    // Its timestamp is its wall clock: check against that instant, then 5 minutes later.
    let signed_at = at(auth.timestamp);
    assert!(
        auth.verify(
            "POST",
            "/v3/pay/transactions/native",
            body.as_bytes(),
            &merchant_public(),
            signed_at
        )
        .is_ok()
    );
    assert!(
        auth.verify(
            "POST",
            "/v3/pay/transactions/native",
            body.as_bytes(),
            &merchant_public(),
            at(auth.timestamp + 300)
        )
        .is_err()
    );
    assert!(
        auth.verify(
            "POST",
            "/v3/pay/transactions/native",
            b"{}",
            &merchant_public(),
            signed_at
        )
        .is_err()
    );
}

#[test]
fn our_answer_signatures_verify_there_and_tampering_fails_there() {
    let h = sign_response(
        &wechatpay_key(),
        PUB_KEY_ID,
        at(NOW),
        "d824f2e086d3c1df967785d13fcd22ef",
        BODY.as_bytes(),
    )
    .unwrap();
    let ask = |body: &str, sig: &str| {
        oracle(
            json!({"op": "verify", "public_key": WECHATPAY_PUBLIC, "timestamp": h.timestamp, "nonce": h.nonce, "body": body, "signature": sig}),
        )
    };
    let Some(out) = ask(BODY, &h.signature) else {
        return;
    };
    assert_eq!(out["ok"], true);
    assert_eq!(
        ask(&BODY.replace("100", "101"), &h.signature).unwrap()["ok"],
        false
    );
    assert_eq!(ask(BODY, "WECHATPAY/SIGNTEST/AAAA").unwrap()["ok"], false);
}

#[test]
fn its_callback_accepts_our_notifications_and_refuses_tampered_ones() {
    let key = ApiV3Key::new(APIV3_KEY).unwrap();
    let spec = NotifySpec {
        id: "EV-1",
        create_time: "2024-01-01T10:00:00+08:00".parse().unwrap(),
        event_type: "TRANSACTION.SUCCESS",
        summary: "支付成功",
        original_type: "transaction",
        resource_nonce: "abcdefghijkl",
    };
    let transaction = r#"{"appid":"wx1","mchid":"1230000109","out_trade_no":"C20240101_0001","transaction_id":"4200","trade_type":"NATIVE","trade_state":"SUCCESS","success_time":"2024-01-01T10:00:00+08:00","payer":{"openid":"o1"},"amount":{"total":9900,"payer_total":9900,"currency":"CNY","payer_currency":"CNY"}}"#;
    let body = build_notify(&spec, transaction.as_bytes(), &key).unwrap();
    let h = sign_response(
        &wechatpay_key(),
        PUB_KEY_ID,
        at(NOW),
        "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
        body.as_bytes(),
    )
    .unwrap();
    let headers: serde_json::Map<String, Value> = h
        .pairs()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::String(v)))
        .collect();
    let ask = |headers: &serde_json::Map<String, Value>, body: &str| {
        oracle(
            json!({"op": "callback", "merchant_key": MERCHANT_KEY, "public_key": WECHATPAY_PUBLIC,
        "public_key_id": PUB_KEY_ID, "apiv3_key": APIV3_KEY, "headers": headers, "body": body}),
        )
    };
    let Some(out) = ask(&headers, &body) else {
        return;
    };
    assert_eq!(
        out["result"]["resource"],
        serde_json::from_str::<Value>(transaction).unwrap()
    );
    assert_eq!(out["result"]["event_type"], "TRANSACTION.SUCCESS");
    assert!(ask(&headers, &body.replace("EV-1", "EV-2")).unwrap()["result"].is_null());
    let mut probe = headers.clone();
    probe.insert(
        "Wechatpay-Signature".into(),
        json!("WECHATPAY/SIGNTEST/AAAA"),
    );
    assert!(ask(&probe, &body).unwrap()["result"].is_null());
}

#[test]
fn we_accept_the_notifications_it_accepts() {
    let resource = json!({"mchid": "1230000109", "out_trade_no": "C20240101_0001", "transaction_id": "4200", "out_refund_no": "C20240101_0001_R1",
        "refund_id": "5000", "refund_status": "SUCCESS", "success_time": "2024-01-01T10:05:00+08:00", "user_received_account": "支付用户零钱",
        "amount": {"total": 9900, "refund": 500, "payer_total": 9900, "payer_refund": 500}});
    let Some(out) = oracle(
        json!({"op": "notify", "wechatpay_key": WECHATPAY_KEY, "serial": PUB_KEY_ID, "apiv3_key": APIV3_KEY,
        "timestamp": NOW.to_string(), "nonce": "N0NCE", "resource_nonce": "pKbMMsyVxAxo", "event_type": "REFUND.SUCCESS",
        "original_type": "refund", "resource": resource}),
    ) else {
        return;
    };
    let body = out["body"].as_str().unwrap();
    let pairs: Vec<(String, String)> = out["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    let headers = WechatpayHeaders::from_lookup(|n| {
        pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    })
    .unwrap();
    // The SDK itself accepts it...
    let check = oracle(json!({"op": "callback", "merchant_key": MERCHANT_KEY, "public_key": WECHATPAY_PUBLIC, "public_key_id": PUB_KEY_ID,
        "apiv3_key": APIV3_KEY, "headers": out["headers"], "body": body})).unwrap();
    assert_eq!(check["result"]["resource"], resource);
    // ...and so do we, with the same content.
    let key = ApiV3Key::new(APIV3_KEY).unwrap();
    let n = parse_notify(&headers, body.as_bytes(), &verifier(), &key, at(NOW + 10)).unwrap();
    let Notification::Refund { refund, envelope } = n else {
        panic!("{n:?}")
    };
    assert_eq!(
        (
            refund.amount.refund,
            refund.out_refund_no.as_str(),
            envelope.event_type.as_str()
        ),
        (500, "C20240101_0001_R1", "REFUND.SUCCESS")
    );
    // It does not check freshness; we do.
    assert!(parse_notify(&headers, body.as_bytes(), &verifier(), &key, at(NOW + 300)).is_err());
}
