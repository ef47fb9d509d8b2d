//! Cross-implementation vectors: python-alipay-sdk signs, we verify; we sign, byte-identical to python.

use crate::common::{alipay_key, alipay_public, app_key, app_public, s, vectors};
use alipay::callback::{parse_form, parse_query, verify_notify, verify_return};
use alipay::openapi::verify_answer;
use alipay::sign::{
    SignType, callback_signing_string, request_signing_string, sign_callback, verify_request,
};
use alipay::{Money, TradeStatus};

#[test]
fn python_signed_page_pay_urls_verify_here() {
    for v in vectors()["page_pay"].as_array().unwrap() {
        let params = parse_query(s(v, "query")).unwrap();
        assert_eq!(request_signing_string(&params), s(v, "signing_string"));
        verify_request(&params, &app_public()).unwrap();
        // And our own signature over the same parameters is byte-identical to python's.
        let ours = app_key()
            .sign_rsa2(request_signing_string(&params).as_bytes())
            .unwrap();
        assert_eq!(ours, s(v, "sign"));
        let mut tampered = params.clone();
        tampered.insert("total_amount".into(), "0.01".into());
        tampered
            .entry("biz_content".into())
            .and_modify(|b| b.push(' '));
        assert!(verify_request(&tampered, &app_public()).is_err());
    }
}

#[test]
fn app_signatures_are_byte_identical_to_python_with_both_backends() {
    for v in vectors()["app_signatures"].as_array().unwrap() {
        let msg = s(v, "string").as_bytes();
        assert_eq!(app_key().sign_rsa2(msg).unwrap(), s(v, "sign"));
        assert_eq!(app_key().sign_rsa2_reference(msg), s(v, "sign"));
        app_public()
            .verify(msg, s(v, "sign"), SignType::Rsa2)
            .unwrap();
        app_public()
            .verify_reference(msg, s(v, "sign"), SignType::Rsa2)
            .unwrap();
    }
}

#[test]
fn python_signed_notifies_verify_and_type() {
    for v in vectors()["notifies"].as_array().unwrap() {
        let body = s(v, "body").as_bytes();
        let n = verify_notify(body, &alipay_public()).unwrap();
        assert_eq!(n.trade_status, TradeStatus::TradeSuccess);
        assert_eq!(n.total_amount, Money::from_cents(9900));
        assert_eq!(n.out_trade_no, "C2024_99_00");
        assert_eq!(n.seller_id.as_deref(), Some("2088101106499364"));
        assert_eq!(n.passback_params.as_deref(), Some("u=1&c=2"));
        assert!(n.gmt_payment.is_some());
        n.check_merchant(
            "2021000000000001",
            "2088101106499364",
            Money::from_cents(9900),
        )
        .unwrap();
        assert!(
            n.check_merchant(
                "2021000000000002",
                "2088101106499364",
                Money::from_cents(9900)
            )
            .is_err()
        );
        assert!(
            n.check_merchant(
                "2021000000000001",
                "2088000000000000",
                Money::from_cents(9900)
            )
            .is_err()
        );
        assert!(
            n.check_merchant(
                "2021000000000001",
                "2088101106499364",
                Money::from_cents(9901)
            )
            .is_err()
        );
        let params = parse_form(body).unwrap();
        assert_eq!(callback_signing_string(&params), s(v, "signing_string"));
        // The app key must not verify Alipay's notify.
        assert!(verify_notify(body, &app_public()).is_err());
    }
    let gbk = &vectors()["notifies"][1];
    assert_eq!(
        verify_notify(s(gbk, "body").as_bytes(), &alipay_public())
            .unwrap()
            .raw["subject"],
        "编程课程"
    );
}

#[test]
fn we_sign_notifies_exactly_as_python_does() {
    for v in vectors()["notifies"].as_array().unwrap() {
        let mut params: alipay::Params = serde_json::from_value(v["params"].clone()).unwrap();
        params.remove("sign");
        params.remove("sign_type");
        sign_callback(&mut params, &alipay_key()).unwrap();
        assert_eq!(params["sign"], s(v, "sign"));
        assert_eq!(params["sign_type"], "RSA2");
    }
}

#[test]
fn python_signed_returns_verify_and_we_match_them() {
    for v in vectors()["returns"].as_array().unwrap() {
        let r = verify_return(s(v, "query"), &alipay_public()).unwrap();
        assert_eq!(r.total_amount, Money::from_cents(9900));
        assert_eq!(r.trade_no, "2024010222001400000000000001");
        let mut params: alipay::Params = serde_json::from_value(v["params"].clone()).unwrap();
        params.remove("sign");
        sign_callback(&mut params, &alipay_key()).unwrap();
        assert_eq!(params["sign"], s(v, "sign"));
        let tampered = s(v, "query").replace("total_amount=99.00", "total_amount=0.01");
        assert!(verify_return(&tampered, &alipay_public()).is_err());
    }
}

#[test]
fn returns_signed_with_sign_type_in_the_string_are_accepted_too() {
    let mut params: alipay::Params =
        serde_json::from_value(vectors()["returns"][0]["params"].clone()).unwrap();
    params.remove("sign");
    alipay::sign::sign_request(&mut params, &alipay_key()).unwrap();
    let query: String = params
        .iter()
        .map(|(k, v)| {
            let enc: String = v.bytes().map(|b| format!("%{b:02X}")).collect();
            format!("{k}={enc}")
        })
        .collect::<Vec<_>>()
        .join("&");
    assert_eq!(
        verify_return(&query, &alipay_public())
            .unwrap()
            .out_trade_no,
        "C2024_99_00"
    );
    assert!(verify_return(&query.replace("%30%30&", "%30%31&"), &alipay_public()).is_err());
}

#[test]
fn python_signed_answers_verify() {
    let answers = vectors()["answers"].as_array().unwrap();
    let q = verify_answer(
        s(&answers[0], "body"),
        "alipay.trade.query",
        &alipay_public(),
    )
    .unwrap();
    assert_eq!(q["trade_status"], "TRADE_SUCCESS");
    let e = verify_answer(
        s(&answers[1], "body"),
        "alipay.trade.query",
        &alipay_public(),
    )
    .unwrap_err();
    assert_eq!(e, alipay::ApiError::TradeNotExist);
    let r = verify_answer(
        s(&answers[2], "body"),
        "alipay.trade.refund",
        &alipay_public(),
    )
    .unwrap();
    assert_eq!(r["fund_change"], "Y");
    for a in answers {
        assert_eq!(
            alipay_key().sign_rsa2(s(a, "signed").as_bytes()).unwrap(),
            s(a, "sign")
        );
    }
}
