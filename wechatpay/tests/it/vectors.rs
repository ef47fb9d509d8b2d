//! The worked examples of the protocol brief, byte for byte.

use crate::common::*;
use rsa::sha2::{Digest, Sha256};
use wechatpay::aead::{AeadError, ApiV3Key};
use wechatpay::sign::{Authorization, request_message};
use wechatpay::verify::{VerifyError, response_message, sign_response};

pub const NATIVE_BODY: &str = r#"{"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"Image形象店-深圳腾大-QQ公仔","out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php","amount":{"total":100,"currency":"CNY"}}"#;
const NONCE: &str = "593BEC0C930BF1AFEB40B4A08C8FB242";
const TS: i64 = 1554208460;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn post_message_is_323_bytes_with_the_known_digest() {
    assert_eq!(NATIVE_BODY.len(), 245);
    let m = request_message(
        "POST",
        "/v3/pay/transactions/native",
        TS,
        NONCE,
        NATIVE_BODY.as_bytes(),
    );
    assert_eq!(m.len(), 323);
    assert_eq!(
        hex(&Sha256::digest(&m)),
        "d1f7fb9f57ff49f8b27540ecdfa19203449ccf9632670b94ff4f263f5e5cf645"
    );
}

#[test]
fn get_message_is_129_bytes_with_the_known_digest() {
    let url = "/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1230000109";
    let m = request_message("GET", url, TS, NONCE, b"");
    assert_eq!(m.len(), 129);
    assert!(m.ends_with(b"\n\n"));
    assert_eq!(
        hex(&Sha256::digest(&m)),
        "911a30bdd5372710c72b5848b973a6f50836c145fd0f51b6a0f1e2292b749e78"
    );
}

#[test]
fn response_message_is_97_bytes_with_the_known_digest() {
    let m = response_message(
        "1722850421",
        "d824f2e086d3c1df967785d13fcd22ef",
        br#"{"code_url":"weixin://wxpay/bizpayurl?pr=JyC91EIz1"}"#,
    );
    assert_eq!(m.len(), 97);
    assert_eq!(
        hex(&Sha256::digest(&m)),
        "2f190612debde9369868489ccda12b9b816381eb5632a8abb73bfe80b6dbd5da"
    );
}

#[test]
fn authorization_signs_the_worked_example_and_a_gateway_accepts_it() {
    let auth = signer()
        .authorization(
            "POST",
            "/v3/pay/transactions/native",
            NATIVE_BODY.as_bytes(),
            at(TS),
            NONCE,
        )
        .unwrap();
    assert_eq!(auth.signature.len(), 344);
    let header = auth.header_value();
    assert!(header.starts_with(r#"WECHATPAY2-SHA256-RSA2048 mchid="1230000109",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",timestamp="1554208460",serial_no="0A1B",signature=""#));
    // Deterministic: the same inputs give the same signature, checked against the message directly.
    let m = request_message(
        "POST",
        "/v3/pay/transactions/native",
        TS,
        NONCE,
        NATIVE_BODY.as_bytes(),
    );
    assert_eq!(merchant_key().sign_sha256(&m).unwrap(), auth.signature);
    let parsed = Authorization::parse(&header).unwrap();
    assert_eq!(parsed, auth);
    let ok = |body: &str, url: &str, now: i64| {
        parsed.verify("POST", url, body.as_bytes(), &merchant_public(), at(now))
    };
    assert!(ok(NATIVE_BODY, "/v3/pay/transactions/native", TS).is_ok());
    assert!(ok(NATIVE_BODY, "/v3/pay/transactions/native", TS + 299).is_ok());
    assert!(matches!(
        ok(NATIVE_BODY, "/v3/pay/transactions/native", TS + 300),
        Err(VerifyError::Stale { offset: 300, .. })
    ));
    assert!(matches!(
        ok(NATIVE_BODY, "/v3/pay/transactions/native", TS - 300),
        Err(VerifyError::Stale { .. })
    ));
    assert!(matches!(
        ok(
            &NATIVE_BODY.replace("100", "1"),
            "/v3/pay/transactions/native",
            TS
        ),
        Err(VerifyError::Signature(_))
    ));
    assert!(ok(NATIVE_BODY, "/v3/pay/transactions/h5", TS).is_err());
    assert!(
        parsed
            .verify(
                "POST",
                "/v3/pay/transactions/native",
                NATIVE_BODY.as_bytes(),
                &wechatpay_public(),
                at(TS)
            )
            .is_err()
    );
}

#[test]
fn hostile_signer_fields_are_refused_before_signing() {
    for nonce in ["", "a\"b", "a,b", "a b", "中文", "a\nb"] {
        assert!(
            signer()
                .authorization("GET", "/v3/x", b"", at(TS), nonce)
                .is_err(),
            "{nonce:?}"
        );
    }
    assert!(wechatpay::MerchantSigner::new("", "AB", merchant_key()).is_err());
    assert!(wechatpay::MerchantSigner::new("1", "A,B", merchant_key()).is_err());
}

#[test]
fn aes_gcm_known_answer() {
    let key = ApiV3Key::new(APIV3_KEY).unwrap();
    let plain = br#"{"out_trade_no":"T20240101000001","trade_state":"SUCCESS"}"#;
    assert_eq!(plain.len(), 58);
    let expected = "YOZ0/AYhCiKPoeP4ZKU2lztKfufz1DR0QMH1HkIvxvrqAITwTkLQ8BQjR+/nhpKR1DvGXa7zjNDcEsQfxlUq6RMFEa8hR+8107M=";
    assert_eq!(
        key.encrypt("abcdefghijkl", b"transaction", plain).unwrap(),
        expected
    );
    assert_eq!(
        key.decrypt("abcdefghijkl", "transaction", expected)
            .unwrap(),
        plain
    );
    let raw = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, expected).unwrap();
    assert_eq!(
        hex(&raw[raw.len() - 16..]),
        "c41fc6552ae9130511af2147ef35d3b3"
    );
    assert_eq!(
        key.decrypt("abcdefghijkl", "refund", expected),
        Err(AeadError::Tag)
    );
    assert_eq!(
        key.decrypt("abcdefghijkm", "transaction", expected),
        Err(AeadError::Tag)
    );
    assert_eq!(
        key.decrypt("abcdefghijk", "transaction", expected),
        Err(AeadError::NonceLength(11))
    );
    assert_eq!(
        key.decrypt("abcdefghijkl", "transaction", "!!"),
        Err(AeadError::BadBase64)
    );
    assert_eq!(
        key.decrypt("abcdefghijkl", "transaction", "AAAA"),
        Err(AeadError::TooShort(3))
    );
    let other = ApiV3Key::new("0123456789abcdef0123456789abcdef").unwrap();
    assert_eq!(
        other.decrypt("abcdefghijkl", "transaction", expected),
        Err(AeadError::Tag)
    );
    assert_eq!(
        ApiV3Key::new(&APIV3_KEY[1..]).unwrap_err(),
        AeadError::KeyLength(31)
    );
}

#[test]
fn signed_answer_verifies_in_both_modes_and_refuses_probes() {
    let body = br#"{"code_url":"weixin://wxpay/bizpayurl?pr=JyC91EIz1"}"#;
    let now = at(1722850421);
    for (serial, v) in [(PUB_KEY_ID, verifier()), (PLATFORM_SERIAL, cert_verifier())] {
        let h = sign_response(
            &wechatpay_key(),
            serial,
            now,
            "d824f2e086d3c1df967785d13fcd22ef",
            body,
        )
        .unwrap();
        assert!(v.verify(&h, body, now).is_ok());
        assert!(v.verify(&h, body, at(1722850421 + 300)).is_err());
        assert!(matches!(
            v.verify(&h, b"{}", now),
            Err(VerifyError::Signature(wechatpay::SignatureError::Mismatch))
        ));
        let mut probe = h.clone();
        probe.signature = format!("WECHATPAY/SIGNTEST/{}", h.signature);
        let e = v.verify(&probe, body, now).unwrap_err();
        assert!(e.is_probe(), "{e:?}");
        let mut other = h.clone();
        other.serial = "PUB_KEY_ID_999".into();
        assert!(matches!(
            v.verify(&other, body, now),
            Err(VerifyError::UnknownSerial(_))
        ));
        let mut typ = h.clone();
        typ.signature_type = Some("WECHATPAY2-SM2-WITH-SM3".into());
        assert!(matches!(
            v.verify(&typ, body, now),
            Err(VerifyError::UnsupportedSignatureType(_))
        ));
        let mut ts = h.clone();
        ts.timestamp = format!("0{}", h.timestamp);
        assert!(
            v.verify(&ts, body, now).is_err(),
            "a timestamp with a leading zero is different signed text"
        );
    }
    // Certificate serials compare as numbers: lowercase and leading zeros find the same certificate.
    let h = sign_response(
        &wechatpay_key(),
        &format!("00{}", PLATFORM_SERIAL.to_lowercase()),
        now,
        "n",
        b"",
    )
    .unwrap();
    assert!(cert_verifier().verify(&h, b"", now).is_ok());
    // A 204 answer is signed over the empty body.
    assert!(
        verifier()
            .verify(
                &sign_response(&wechatpay_key(), PUB_KEY_ID, now, "n", b"").unwrap(),
                b"",
                now
            )
            .is_ok()
    );
}
