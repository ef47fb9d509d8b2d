//! Cert mode: SNs agree with python-alipay-sdk's DCAliPay; cert-mode requests carry them signed.

use crate::common::{app_public, config, s, vectors};
use alipay::cert::{CertConfig, alipay_public_key_from_cert, cert_sn, root_cert_sn};
use alipay::clock::FixedClock;
use alipay::pagepay::{OutTradeNo, PagePay};
use alipay::sign::verify_request;

#[test]
fn sns_match_python() {
    let c = &vectors()["certs"];
    assert_eq!(cert_sn(s(c, "app_cert")).unwrap(), s(c, "app_cert_sn"));
    // Two RSA certs joined by '_', the EC certificate in between skipped.
    let root = root_cert_sn(s(c, "root_chain")).unwrap();
    assert_eq!(root, s(c, "root_cert_sn"));
    assert_eq!(root.split('_').count(), 2);
    let cfg = CertConfig::from_pems(s(c, "app_cert"), s(c, "root_chain")).unwrap();
    assert_eq!(cfg.app_cert_sn, s(c, "app_cert_sn"));
}

#[test]
fn public_key_from_certificate_and_errors() {
    let c = &vectors()["certs"];
    let key = alipay_public_key_from_cert(s(c, "app_cert")).unwrap();
    assert_eq!(key.to_base64_spki(), s(c, "app_cert_public_spki_b64"));
    assert!(cert_sn("").is_err());
    assert!(cert_sn("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----").is_err());
    let ec_only = s(c, "root_chain").split("\n\n").nth(1).unwrap().to_owned();
    assert!(matches!(
        root_cert_sn(&ec_only),
        Err(alipay::CertError::NoRsaCert)
    ));
}

#[test]
fn cert_mode_requests_sign_both_sns() {
    let c = &vectors()["certs"];
    let mut cfg = config("");
    cfg.cert = Some(CertConfig::from_pems(s(c, "app_cert"), s(c, "root_chain")).unwrap());
    let pay = PagePay::builder(
        OutTradeNo::new("C1").unwrap(),
        "1.00".parse().unwrap(),
        "Course",
    )
    .build()
    .unwrap();
    let clock = FixedClock(alipay::clock::parse_beijing("2024-01-02 03:04:05").unwrap());
    let mut p = pay.signed_params(&cfg, &clock).unwrap();
    assert_eq!(p["app_cert_sn"], s(c, "app_cert_sn"));
    assert_eq!(p["alipay_root_cert_sn"], s(c, "root_cert_sn"));
    verify_request(&p, &app_public()).unwrap();
    p.insert("app_cert_sn".into(), "0".repeat(32));
    assert!(verify_request(&p, &app_public()).is_err());
}
