//! Shared fixtures: keys and vectors made by python-alipay-sdk (tests/fixtures/make_vectors.py).

use alipay::keys::{KeyRole, PrivateKey, PublicKey};
use alipay::{AlipayConfig, SANDBOX_GATEWAY};
use serde_json::Value;
use std::sync::OnceLock;

pub fn vectors() -> &'static Value {
    static V: OnceLock<Value> = OnceLock::new();
    V.get_or_init(|| {
        serde_json::from_str(include_str!("../../fixtures/vectors.json")).expect("vectors.json")
    })
}

pub fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("fixture field {k}"))
}

pub fn app_key() -> PrivateKey {
    static K: OnceLock<PrivateKey> = OnceLock::new();
    K.get_or_init(|| {
        PrivateKey::parse(s(&vectors()["app"], "pkcs1_pem"), KeyRole::AppPrivateKey).unwrap()
    })
    .clone()
}

/// The key a (sandbox) Alipay signs callbacks and answers with.
pub fn alipay_key() -> PrivateKey {
    static K: OnceLock<PrivateKey> = OnceLock::new();
    K.get_or_init(|| {
        PrivateKey::parse(
            s(&vectors()["alipay"], "pkcs8_pem"),
            KeyRole::AlipayPrivateKey,
        )
        .unwrap()
    })
    .clone()
}

pub fn alipay_public() -> PublicKey {
    PublicKey::parse(
        s(&vectors()["alipay"], "public_spki_b64"),
        KeyRole::AlipayPublicKey,
    )
    .unwrap()
}

pub fn app_public() -> PublicKey {
    PublicKey::parse(
        s(&vectors()["app"], "public_spki_b64"),
        KeyRole::AppPublicKey,
    )
    .unwrap()
}

pub fn config(gateway: &str) -> AlipayConfig {
    AlipayConfig {
        app_id: "2021000000000001".into(),
        seller_id: "2088101106499364".into(),
        gateway: if gateway.is_empty() {
            SANDBOX_GATEWAY.into()
        } else {
            gateway.into()
        },
        app_private_key: app_key(),
        alipay_public_key: alipay_public(),
        notify_url: Some("https://shop.example/alipay/notify".into()),
        return_url: Some("https://shop.example/alipay/return".into()),
        cert: None,
    }
}
