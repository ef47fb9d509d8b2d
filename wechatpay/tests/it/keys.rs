//! Key loading: every shape that should load does, every mix-up gets its own typed error.

use crate::common::*;
use wechatpay::cert::PlatformCertificate;
use wechatpay::keys::{
    KeyError, KeyKind, KeyRole, PrivateKey, PublicKey, Wrapping, check_merchant_keys,
};

const SMALL: &str = include_str!("../fixtures/small_key.pem");
const ENCRYPTED: &str = include_str!("../fixtures/merchant_key_encrypted.pem");
const EC: &str = include_str!("../fixtures/ec_key.pem");

fn bare(pem: &str) -> String {
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

#[test]
fn pkcs8_pkcs1_pem_and_bare_base64_load_to_the_same_key() {
    let role = KeyRole::MerchantPrivateKey;
    let expected = merchant_public();
    for text in [
        MERCHANT_KEY.to_string(),
        MERCHANT_KEY_PKCS1.to_string(),
        bare(MERCHANT_KEY),
        MERCHANT_KEY.replace('\n', "\r\n"),
    ] {
        let key = PrivateKey::parse(&text, role).unwrap();
        assert_eq!(key.public_key(), expected);
    }
    let der = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        bare(MERCHANT_KEY),
    )
    .unwrap();
    assert_eq!(
        PrivateKey::from_der(&der, role).unwrap().public_key(),
        expected
    );
    let round = PrivateKey::parse(&merchant_key().to_pkcs8_pem(), role).unwrap();
    assert_eq!(round.public_key(), expected);
}

#[test]
fn public_key_or_certificate_as_private_key_is_named() {
    for (text, kind) in [
        (WECHATPAY_PUBLIC, KeyKind::SpkiPublic),
        (MERCHANT_CERT, KeyKind::Certificate),
    ] {
        match PrivateKey::parse(text, KeyRole::MerchantPrivateKey) {
            Err(e @ KeyError::PublicWherePrivateBelongs { shape, .. }) => {
                assert_eq!(shape.kind, kind);
                assert_eq!(shape.wrapping, Wrapping::Pem);
                assert!(e.to_string().contains("apiclient_key.pem"), "{e}");
            }
            other => panic!("{other:?}"),
        }
    }
    let e = PrivateKey::parse(MERCHANT_CERT, KeyRole::MerchantPrivateKey).unwrap_err();
    assert!(e.to_string().contains("apiclient_cert.pem"), "{e}");
}

#[test]
fn private_key_as_public_key_is_named() {
    let e = PublicKey::parse(MERCHANT_KEY, KeyRole::WechatpayPublicKey).unwrap_err();
    assert!(matches!(
        e,
        KeyError::PrivateWherePublicBelongs {
            role: KeyRole::WechatpayPublicKey,
            ..
        }
    ));
    assert!(e.to_string().contains("微信支付公钥"), "{e}");
}

#[test]
fn wrong_size_encrypted_non_rsa_and_garbage_are_typed() {
    let role = KeyRole::MerchantPrivateKey;
    assert!(matches!(
        PrivateKey::parse(SMALL, role),
        Err(KeyError::WrongSize { bits: 1024, .. })
    ));
    assert!(matches!(
        PrivateKey::parse(ENCRYPTED, role),
        Err(KeyError::Encrypted { .. })
    ));
    assert!(matches!(
        PrivateKey::parse(EC, role),
        Err(KeyError::Invalid { .. })
    ));
    assert!(matches!(
        PrivateKey::parse("", role),
        Err(KeyError::Empty { .. })
    ));
    assert!(matches!(
        PrivateKey::parse("  \n\t ", role),
        Err(KeyError::Empty { .. })
    ));
    assert!(matches!(
        PrivateKey::parse("hello, world!", role),
        Err(KeyError::Unreadable { .. })
    ));
    assert!(matches!(
        PrivateKey::parse("QUJD", role),
        Err(KeyError::Invalid { .. })
    ));
    let cut = &MERCHANT_KEY[..MERCHANT_KEY.len() / 2];
    assert!(matches!(
        PrivateKey::parse(cut, role),
        Err(KeyError::Unreadable { .. })
    ));
    let truncated = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----",
        &bare(MERCHANT_KEY)[..400]
    );
    assert!(PrivateKey::parse(&truncated, role).is_err());
    let small_public = PrivateKey::parse(SMALL, KeyRole::WechatpayPrivateKey)
        .err()
        .unwrap();
    assert_eq!(small_public.role(), Some(KeyRole::WechatpayPrivateKey));
    assert!(matches!(
        PublicKey::parse(
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
            KeyRole::WechatpayPublicKey
        ),
        Err(KeyError::Invalid { .. })
    ));
}

#[test]
fn missing_file_names_the_path() {
    let e = PrivateKey::from_file(
        "/nonexistent/apiclient_key.pem".as_ref(),
        KeyRole::MerchantPrivateKey,
    )
    .unwrap_err();
    assert!(matches!(e, KeyError::Io { .. }));
    assert!(e.to_string().contains("/nonexistent/apiclient_key.pem"));
}

#[test]
fn debug_never_shows_the_private_key() {
    let shown = format!("{:?}", merchant_key());
    let body = bare(MERCHANT_KEY);
    assert!(!shown.contains(&body[40..80]), "{shown}");
    assert!(shown.starts_with("PrivateKey"));
}

#[test]
fn merchant_key_as_wechatpay_key_is_refused() {
    assert!(matches!(
        check_merchant_keys(&merchant_key(), &merchant_public()),
        Err(KeyError::MerchantKeyAsWechatpayKey)
    ));
    assert!(check_merchant_keys(&merchant_key(), &wechatpay_public()).is_ok());
}

#[test]
fn platform_certificate_serial_validity_and_key() {
    let cert = PlatformCertificate::parse_pem(PLATFORM_CERT).unwrap();
    assert_eq!(cert.serial_no, PLATFORM_SERIAL);
    assert_eq!(cert.public_key, wechatpay_public());
    assert!(cert.not_before < cert.not_after);
    assert!(cert.is_valid_at(cert.not_before));
    assert!(!cert.is_valid_at(cert.not_after + chrono::Duration::seconds(1)));
    // A certificate's key is also accepted where a public key belongs.
    assert_eq!(
        PublicKey::parse(PLATFORM_CERT, KeyRole::PlatformCertificate).unwrap(),
        wechatpay_public()
    );
    let as_cert = PlatformCertificate::parse_pem(WECHATPAY_PUBLIC).unwrap_err();
    assert!(
        as_cert.to_string().contains("not a certificate"),
        "{as_cert}"
    );
    assert!(matches!(
        PlatformCertificate::parse_pem(WECHATPAY_KEY),
        Err(KeyError::PrivateWherePublicBelongs { .. })
    ));
    assert!(matches!(
        PlatformCertificate::parse_pem(""),
        Err(KeyError::Empty { .. })
    ));
    assert!(PlatformCertificate::parse_pem("garbage").is_err());
}
