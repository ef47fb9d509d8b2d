//! Notifications: built and signed as WeChat Pay does, verified and decrypted; every tampering refused.

use crate::common::*;
use wechatpay::aead::ApiV3Key;
use wechatpay::notify::{
    Notification, NotifyError, NotifySpec, RefundStatus, TradeState, TradeType, build_notify,
    parse_notify,
};
use wechatpay::verify::{VerifyError, WechatpayHeaders, sign_response};

pub const TRANSACTION: &str = r#"{"appid":"wxd678efh567hg6787","mchid":"1230000109","out_trade_no":"1217752501201407033233368018","transaction_id":"1217752501201407033233368018","trade_type":"MWEB","trade_state":"SUCCESS","trade_state_desc":"支付成功","bank_type":"CMC","attach":"","success_time":"2018-06-08T10:34:56+08:00","payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},"amount":{"total":100,"payer_total":100,"currency":"CNY","payer_currency":"CNY"}}"#;
pub const REFUND: &str = r#"{"mchid":"1230000109","out_trade_no":"1217752501201407033233368018","transaction_id":"1217752501201407033233368018","out_refund_no":"R1217752501201407033233368018","refund_id":"50000000382019052709732678859","refund_status":"SUCCESS","success_time":"2018-06-08T10:34:56+08:00","user_received_account":"招商银行信用卡0403","amount":{"total":999,"refund":999,"payer_total":999,"payer_refund":999}}"#;
const NOW: i64 = 1528425296;

type Expect = fn(&NotifyError) -> bool;

fn spec<'a>(event: &'a str, original: &'a str) -> NotifySpec<'a> {
    NotifySpec {
        id: "EV-2018022511223320873",
        create_time: "2018-06-08T10:34:56+08:00".parse().unwrap(),
        event_type: event,
        summary: "支付成功",
        original_type: original,
        resource_nonce: "pKbMMsyVxAxo",
    }
}

fn key() -> ApiV3Key {
    ApiV3Key::new(APIV3_KEY).unwrap()
}

fn signed(body: &str, serial: &str) -> WechatpayHeaders {
    sign_response(
        &wechatpay_key(),
        serial,
        at(NOW),
        "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
        body.as_bytes(),
    )
    .unwrap()
}

#[test]
fn transaction_notify_round_trips_in_both_modes() {
    let body = build_notify(
        &spec("TRANSACTION.SUCCESS", "transaction"),
        TRANSACTION.as_bytes(),
        &key(),
    )
    .unwrap();
    for (serial, v) in [(PUB_KEY_ID, verifier()), (PLATFORM_SERIAL, cert_verifier())] {
        let n = parse_notify(&signed(&body, serial), body.as_bytes(), &v, &key(), at(NOW)).unwrap();
        let Notification::Transaction {
            envelope,
            transaction,
        } = n
        else {
            panic!("{n:?}")
        };
        assert_eq!(envelope.id, "EV-2018022511223320873");
        assert_eq!(envelope.resource.associated_data, "transaction");
        assert_eq!(transaction.trade_state, TradeState::Success);
        assert_eq!(transaction.trade_type, Some(TradeType::Mweb));
        assert_eq!(transaction.amount.total, 100);
        assert_eq!(transaction.amount.payer_total, Some(100));
        assert_eq!(
            transaction.payer.unwrap().openid,
            "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
        );
        assert_eq!(
            transaction.success_time.unwrap().to_rfc3339(),
            "2018-06-08T10:34:56+08:00"
        );
    }
}

#[test]
fn refund_notify_is_typed() {
    let body = build_notify(&spec("REFUND.SUCCESS", "refund"), REFUND.as_bytes(), &key()).unwrap();
    let n = parse_notify(
        &signed(&body, PUB_KEY_ID),
        body.as_bytes(),
        &verifier(),
        &key(),
        at(NOW),
    )
    .unwrap();
    let Notification::Refund { refund, .. } = n else {
        panic!("{n:?}")
    };
    assert_eq!(refund.status, RefundStatus::Success);
    assert_eq!((refund.amount.total, refund.amount.refund), (999, 999));
    assert_eq!(
        refund.user_received_account.as_deref(),
        Some("招商银行信用卡0403")
    );
}

#[test]
fn tampering_staleness_probes_and_wrong_keys_are_refused() {
    let body = build_notify(
        &spec("TRANSACTION.SUCCESS", "transaction"),
        TRANSACTION.as_bytes(),
        &key(),
    )
    .unwrap();
    let h = signed(&body, PUB_KEY_ID);
    let run = |h: &WechatpayHeaders, b: &str, now: i64| {
        parse_notify(h, b.as_bytes(), &verifier(), &key(), at(now))
    };
    assert!(run(&h, &body, NOW + 299).is_ok());
    assert!(matches!(
        run(&h, &body, NOW + 300),
        Err(NotifyError::Verify(VerifyError::Stale { .. }))
    ));
    assert!(matches!(
        run(&h, &body, NOW - 301),
        Err(NotifyError::Verify(VerifyError::Stale { .. }))
    ));
    let changed = body.replace("EV-2018", "EV-2019");
    assert!(matches!(
        run(&h, &changed, NOW),
        Err(NotifyError::Verify(VerifyError::Signature(_)))
    ));
    let mut probe = h.clone();
    probe.signature = "WECHATPAY/SIGNTEST/AAAA".into();
    assert!(matches!(run(&probe, &body, NOW), Err(NotifyError::Verify(e)) if e.is_probe()));
    let mut nonce = h.clone();
    nonce.nonce.push('X');
    assert!(run(&nonce, &body, NOW).is_err());
    let other_key = ApiV3Key::new("ABCDEF0123456789abcdef0123456789").unwrap();
    assert!(matches!(
        parse_notify(&h, body.as_bytes(), &verifier(), &other_key, at(NOW)),
        Err(NotifyError::Decrypt(_))
    ));
    // A signature by the merchant's own key (a forged notify) is refused.
    let forged = sign_response(&merchant_key(), PUB_KEY_ID, at(NOW), "n", body.as_bytes()).unwrap();
    assert!(run(&forged, &body, NOW).is_err());
}

#[test]
fn correctly_signed_but_malformed_envelopes_get_their_own_errors() {
    let k = key();
    let transaction = |event: &str, original: &str, plain: &str| {
        build_notify(&spec(event, original), plain.as_bytes(), &k).unwrap()
    };
    let cases: Vec<(String, Expect)> = vec![
        ("{}".into(), |e| matches!(e, NotifyError::Envelope(_))),
        (
            transaction("TRANSACTION.SUCCESS", "transaction", "not json").to_string(),
            |e| {
                matches!(
                    e,
                    NotifyError::Resource {
                        kind: "transaction",
                        ..
                    }
                )
            },
        ),
        (
            transaction(
                "TRANSACTION.SUCCESS",
                "transaction",
                r#"{"amount":{"total":1.5}}"#,
            ),
            |e| matches!(e, NotifyError::Resource { .. }),
        ),
        (transaction("REFUND.SUCCESS", "refund", TRANSACTION), |e| {
            matches!(e, NotifyError::Resource { kind: "refund", .. })
        }),
        (
            transaction("PROFITSHARING.SUCCESS", "profitsharing", "{}"),
            |e| matches!(e, NotifyError::UnsupportedEvent(_)),
        ),
        (
            transaction("TRANSACTION.SUCCESS", "transaction", TRANSACTION)
                .replace("encrypt-resource", "plain"),
            |e| matches!(e, NotifyError::UnsupportedResource(_)),
        ),
        (
            transaction("TRANSACTION.SUCCESS", "transaction", TRANSACTION)
                .replace("AEAD_AES_256_GCM", "AEAD_SM4_GCM"),
            |e| matches!(e, NotifyError::UnsupportedResource(_)),
        ),
        (
            transaction("TRANSACTION.SUCCESS", "transaction", TRANSACTION).replace(
                r#""associated_data":"transaction""#,
                r#""associated_data":"refund""#,
            ),
            |e| matches!(e, NotifyError::Decrypt(_)),
        ),
        (
            transaction(
                "TRANSACTION.SUCCESS",
                "transaction",
                &TRANSACTION.replace("\"total\":100,", "\"total\":\"100\","),
            ),
            |e| matches!(e, NotifyError::Resource { .. }),
        ),
    ];
    for (body, expected) in cases {
        let e = parse_notify(
            &signed(&body, PUB_KEY_ID),
            body.as_bytes(),
            &verifier(),
            &k,
            at(NOW),
        )
        .unwrap_err();
        assert!(expected(&e), "{body}: {e:?}");
    }
}

#[test]
fn missing_headers_are_named() {
    let pairs = [
        ("Wechatpay-Timestamp", "1"),
        ("Wechatpay-Nonce", ""),
        ("Wechatpay-Signature", "s"),
        ("Wechatpay-Serial", "x"),
    ];
    assert_eq!(
        WechatpayHeaders::from_pairs(pairs).unwrap_err(),
        VerifyError::MissingHeader("Wechatpay-Nonce")
    );
}
