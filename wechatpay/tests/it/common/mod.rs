//! Shared fixtures: test-only keys and certificates made with openssl (tests/fixtures).

use chrono::{DateTime, Utc};
use wechatpay::cert::PlatformCertificate;
use wechatpay::keys::{KeyRole, PrivateKey, PublicKey};
use wechatpay::sign::MerchantSigner;
use wechatpay::verify::Verifier;

pub const MERCHANT_KEY: &str = include_str!("../../fixtures/merchant_key.pem");
pub const MERCHANT_KEY_PKCS1: &str = include_str!("../../fixtures/merchant_key_pkcs1.pem");
pub const MERCHANT_PUBLIC: &str = include_str!("../../fixtures/merchant_public.pem");
pub const MERCHANT_CERT: &str = include_str!("../../fixtures/merchant_cert.pem");
pub const WECHATPAY_KEY: &str = include_str!("../../fixtures/wechatpay_key.pem");
pub const WECHATPAY_PUBLIC: &str = include_str!("../../fixtures/wechatpay_public.pem");
pub const PLATFORM_CERT: &str = include_str!("../../fixtures/platform_cert.pem");
pub const PLATFORM_SERIAL: &str = "5157F09EFDC096DE15EBE81A47057A72";
pub const PUB_KEY_ID: &str = "PUB_KEY_ID_0000000000000024101100397200000006";
pub const MCHID: &str = "1230000109";
pub const MERCHANT_SERIAL: &str = "0A1B";
pub const APIV3_KEY: &str = "0123456789abcdef0123456789ABCDEF";

pub fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap()
}

pub fn merchant_key() -> PrivateKey {
    PrivateKey::parse(MERCHANT_KEY, KeyRole::MerchantPrivateKey).unwrap()
}

pub fn wechatpay_key() -> PrivateKey {
    PrivateKey::parse(WECHATPAY_KEY, KeyRole::WechatpayPrivateKey).unwrap()
}

pub fn wechatpay_public() -> PublicKey {
    PublicKey::parse(WECHATPAY_PUBLIC, KeyRole::WechatpayPublicKey).unwrap()
}

pub fn merchant_public() -> PublicKey {
    PublicKey::parse(MERCHANT_PUBLIC, KeyRole::MerchantPublicKey).unwrap()
}

pub fn signer() -> MerchantSigner {
    MerchantSigner::new(MCHID, MERCHANT_SERIAL, merchant_key()).unwrap()
}

/// Public-key mode.
pub fn verifier() -> Verifier {
    Verifier::public_key(PUB_KEY_ID, wechatpay_public())
}

/// Certificate mode.
pub fn cert_verifier() -> Verifier {
    Verifier::default().with_certificate(PlatformCertificate::parse_pem(PLATFORM_CERT).unwrap())
}
