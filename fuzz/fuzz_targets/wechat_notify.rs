//! WeChat Pay notifications: the envelope parser, AES-GCM decryption and typing of the resource, the
//! header verifier and the Authorization parser. Input: four header lines (timestamp, nonce, signature,
//! serial) then the body; the whole input is also tried as a body alone. No panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use wechatpay::aead::ApiV3Key;
use wechatpay::keys::{KeyRole, PublicKey};
use wechatpay::notify::{decrypt_notify, parse_notify};
use wechatpay::sign::Authorization;
use wechatpay::verify::{Verifier, WechatpayHeaders};

/// The test APIv3 key and WeChat Pay public key of wechatpay/tests (test-only material).
static KEY: LazyLock<ApiV3Key> =
    LazyLock::new(|| ApiV3Key::new("0123456789abcdef0123456789ABCDEF").expect("32 bytes"));
static VERIFIER: LazyLock<Verifier> = LazyLock::new(|| {
    let key = PublicKey::parse(
        include_str!("../../wechatpay/tests/fixtures/wechatpay_public.pem"),
        KeyRole::WechatpayPublicKey,
    )
    .expect("the test public key");
    Verifier::public_key("PUB_KEY_ID_0000000000000024101100397200000006", key)
});

fuzz_target!(|data: &[u8]| {
    let _ = decrypt_notify(data, &KEY);
    let mut parts = data.splitn(5, |b| *b == b'\n');
    let mut line = || String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let (timestamp, nonce, signature, serial) = (line(), line(), line(), line());
    let body = parts.next().unwrap_or_default();
    let headers = WechatpayHeaders::from_lookup(|name| {
        Some(match name {
            "Wechatpay-Timestamp" => timestamp.clone(),
            "Wechatpay-Nonce" => nonce.clone(),
            "Wechatpay-Signature" => signature.clone(),
            "Wechatpay-Serial" => serial.clone(),
            _ => return None,
        })
    });
    if let Ok(h) = headers {
        // "now" is the signed timestamp itself when it parses, so valid seeds pass freshness.
        let now = h
            .timestamp_secs()
            .ok()
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .unwrap_or_default();
        let _ = parse_notify(&h, body, &VERIFIER, &KEY, now);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Authorization::parse(text);
    }
});
