//! Keys in every pasted shape load; every wrong key names the role, the shape and the mix-up.

use crate::common::{alipay_key, alipay_public, app_key, app_public, s, vectors};
use alipay::keys::{
    KeyError, KeyKind, KeyRole, PrivateKey, PublicKey, Wrapping, check_merchant_keys,
};
use alipay::sign::SignType;

fn app(k: &str) -> &'static str {
    s(&vectors()["app"], k)
}

fn mangle(b64: &str) -> String {
    // Wrapped at 60 columns with CRLF, indented, trailing spaces: what copy-paste does.
    let chunks: Vec<String> = b64
        .as_bytes()
        .chunks(60)
        .map(|c| format!("  {} ", String::from_utf8_lossy(c)))
        .collect();
    format!("\r\n{}\r\n\n", chunks.join("\r\n"))
}

#[test]
fn every_private_shape_loads_to_the_same_key() {
    let want = app_public();
    let shapes = [
        app("pkcs1_pem").to_owned(),
        app("pkcs8_pem").to_owned(),
        app("pkcs1_b64").to_owned(),
        app("pkcs8_b64").to_owned(),
        mangle(app("pkcs8_b64")),
        mangle(app("pkcs1_b64")),
        app("pkcs1_pem").replace('\n', "\\n"),
        format!("\"{}\"", app("pkcs8_b64")),
    ];
    for text in &shapes {
        let key = PrivateKey::parse(text, KeyRole::AppPrivateKey)
            .unwrap_or_else(|e| panic!("{e}: {text:.40}"));
        assert_eq!(key.public_key(), want);
    }
    let reparsed = PrivateKey::parse(&app_key().to_pkcs8_pem(), KeyRole::AppPrivateKey).unwrap();
    assert_eq!(reparsed.public_key(), want);
}

#[test]
fn every_public_shape_loads() {
    let want = app_public();
    for text in [
        app("public_spki_pem"),
        app("public_spki_b64"),
        app("public_pkcs1_pem"),
    ] {
        assert_eq!(PublicKey::parse(text, KeyRole::AppPublicKey).unwrap(), want);
    }
    assert_eq!(
        PublicKey::parse(&mangle(app("public_spki_b64")), KeyRole::AppPublicKey).unwrap(),
        want
    );
    assert_eq!(want.to_base64_spki(), app("public_spki_b64"));
    assert_eq!(
        PublicKey::parse(&want.to_pem(), KeyRole::AppPublicKey).unwrap(),
        want
    );
    // A certificate's key is accepted where a public key belongs.
    let certs = &vectors()["certs"];
    let from_cert = PublicKey::parse(s(certs, "app_cert"), KeyRole::AlipayPublicKey).unwrap();
    assert_eq!(
        from_cert.to_base64_spki(),
        s(certs, "app_cert_public_spki_b64")
    );
}

#[test]
fn public_key_where_the_private_key_belongs() {
    for text in [
        app("public_spki_b64"),
        app("public_spki_pem"),
        app("public_pkcs1_pem"),
    ] {
        let err = PrivateKey::parse(text, KeyRole::AppPrivateKey).unwrap_err();
        let KeyError::PublicWherePrivateBelongs { role, shape } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(*role, KeyRole::AppPrivateKey);
        assert!(shape.is_public());
        let msg = err.to_string();
        assert!(
            msg.contains("app private key") && msg.contains("public key"),
            "{msg}"
        );
    }
    let err = PrivateKey::parse(app("public_spki_b64"), KeyRole::AppPrivateKey).unwrap_err();
    assert!(err.to_string().contains("bare base64"), "{err}");
}

#[test]
fn private_key_where_the_alipay_public_key_belongs() {
    let err = PublicKey::parse(app("pkcs8_b64"), KeyRole::AlipayPublicKey).unwrap_err();
    let KeyError::PrivateWherePublicBelongs { role, shape } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (*role, shape.kind, shape.wrapping),
        (
            KeyRole::AlipayPublicKey,
            KeyKind::Pkcs8Private,
            Wrapping::BareBase64
        )
    );
    let msg = err.to_string();
    assert!(
        msg.contains("Alipay public key")
            && msg.contains("private key")
            && msg.contains("MIIBIjAN"),
        "{msg}"
    );
}

#[test]
fn the_apps_own_public_key_as_the_alipay_public_key() {
    let err = check_merchant_keys(&app_key(), &app_public()).unwrap_err();
    assert!(matches!(err, KeyError::AppPublicKeyAsAlipayPublicKey));
    assert_eq!(err.role(), Some(KeyRole::AlipayPublicKey));
    assert!(err.to_string().contains("app's own public key"), "{err}");
    check_merchant_keys(&app_key(), &alipay_public()).unwrap();
}

#[test]
fn garbage_empty_encrypted_and_missing_files() {
    let e = PrivateKey::parse("  \n ", KeyRole::AppPrivateKey).unwrap_err();
    assert!(matches!(
        e,
        KeyError::Empty {
            role: KeyRole::AppPrivateKey
        }
    ));
    let e = PublicKey::parse("this is not a key", KeyRole::AlipayPublicKey).unwrap_err();
    assert!(
        matches!(e, KeyError::Unreadable { .. }) && e.to_string().contains("Alipay public key")
    );
    let e = PrivateKey::parse("QUJDRA==", KeyRole::AppPrivateKey).unwrap_err();
    assert!(matches!(e, KeyError::Invalid { .. }), "{e:?}");
    let enc = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----";
    assert!(matches!(
        PrivateKey::parse(enc, KeyRole::AppPrivateKey),
        Err(KeyError::Encrypted { .. })
    ));
    let cut = app("pkcs1_pem").replace("-----END RSA PRIVATE KEY-----", "");
    assert!(matches!(
        PrivateKey::parse(&cut, KeyRole::AppPrivateKey),
        Err(KeyError::Unreadable { .. })
    ));
    let e =
        PrivateKey::from_file("/nonexistent/app.txt".as_ref(), KeyRole::AppPrivateKey).unwrap_err();
    assert!(matches!(
        e,
        KeyError::Io {
            role: KeyRole::AppPrivateKey,
            ..
        }
    ));
}

#[test]
fn small_keys_are_refused_by_name() {
    let Ok(out) = std::process::Command::new("openssl")
        .args(["genrsa", "1024"])
        .output()
    else {
        return;
    };
    let pem = String::from_utf8_lossy(&out.stdout);
    if !pem.contains("BEGIN") {
        return;
    }
    let e = PrivateKey::parse(&pem, KeyRole::AppPrivateKey).unwrap_err();
    assert!(matches!(e, KeyError::TooSmall { bits: 1024, .. }), "{e:?}");
    assert!(e.to_string().contains("2048"));
}

#[test]
fn generated_keys_sign_and_verify_with_both_backends() {
    let key = PrivateKey::generate().unwrap();
    let public = key.public_key();
    assert!(public.to_base64_spki().starts_with("MIIBIjAN"));
    let sig = key.sign_rsa2(b"a=1&b=2").unwrap();
    assert_eq!(sig, key.sign_rsa2_reference(b"a=1&b=2"));
    public.verify(b"a=1&b=2", &sig, SignType::Rsa2).unwrap();
    public
        .verify_reference(b"a=1&b=2", &sig, SignType::Rsa2)
        .unwrap();
    assert!(public.verify(b"a=1&b=3", &sig, SignType::Rsa2).is_err());
    let legacy = key.sign_rsa_sha1(b"x");
    public.verify(b"x", &legacy, SignType::Rsa).unwrap();
    public
        .verify_reference(b"x", &legacy, SignType::Rsa)
        .unwrap();
    assert!(public.verify(b"x", &legacy, SignType::Rsa2).is_err());
    assert_ne!(public, alipay_key().public_key());
}
