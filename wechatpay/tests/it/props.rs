//! Property tests: sign→verify round trips, any tampering refused, decrypt(encrypt(x)) == x, parsers
//! never panic on arbitrary input.

use crate::common::*;
use proptest::prelude::*;
use wechatpay::aead::ApiV3Key;
use wechatpay::api::{check_answer, error_from_answer};
use wechatpay::cert::PlatformCertificate;
use wechatpay::keys::{KeyRole, PrivateKey, PublicKey};
use wechatpay::notify::{decrypt_notify, parse_notify};
use wechatpay::sign::Authorization;
use wechatpay::verify::{WechatpayHeaders, sign_response};

const NOW: i64 = 1_700_000_000;

fn nonce() -> impl Strategy<Value = String> {
    "[0-9A-Za-z]{1,32}"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn request_round_trip_and_any_tampering_fails(
        body in prop::collection::vec(any::<u8>(), 0..200), n in nonce(), path in "/v3/[a-z/_-]{0,30}(\\?[a-z]=[0-9]{1,4})?",
        skew in -299i64..=299, flip in any::<prop::sample::Index>(), extra in "[0-9A-Za-z]{1,3}",
    ) {
        let auth = signer().authorization("POST", &path, &body, at(NOW), &n).unwrap();
        let parsed = Authorization::parse(&auth.header_value()).unwrap();
        prop_assert_eq!(&parsed, &auth);
        prop_assert!(parsed.verify("POST", &path, &body, &merchant_public(), at(NOW + skew)).is_ok());
        prop_assert!(parsed.verify("GET", &path, &body, &merchant_public(), at(NOW)).is_err());
        let longer = format!("{path}{extra}");
        prop_assert!(parsed.verify("POST", &longer, &body, &merchant_public(), at(NOW)).is_err());
        let mut changed = body.clone();
        if changed.is_empty() { changed.push(b'x') } else { let i = flip.index(changed.len()); changed[i] ^= 0x01; }
        prop_assert!(parsed.verify("POST", &path, &changed, &merchant_public(), at(NOW)).is_err());
        let mut ts = parsed.clone();
        ts.timestamp += 1;
        prop_assert!(ts.verify("POST", &path, &body, &merchant_public(), at(NOW)).is_err());
        let mut other_nonce = parsed.clone();
        other_nonce.nonce_str.push_str(&extra);
        prop_assert!(other_nonce.verify("POST", &path, &body, &merchant_public(), at(NOW)).is_err());
    }

    #[test]
    fn answer_round_trip_and_any_tampering_fails(
        body in prop::collection::vec(any::<u8>(), 0..200), n in nonce(), flip in any::<prop::sample::Index>(), skew in 300i64..100_000,
    ) {
        let h = sign_response(&wechatpay_key(), PUB_KEY_ID, at(NOW), &n, &body).unwrap();
        prop_assert!(verifier().verify(&h, &body, at(NOW)).is_ok());
        prop_assert!(verifier().verify(&h, &body, at(NOW + skew)).is_err());
        prop_assert!(verifier().verify(&h, &body, at(NOW - skew)).is_err());
        let mut changed = body.clone();
        if changed.is_empty() { changed.push(b'x') } else { let i = flip.index(changed.len()); changed[i] = changed[i].wrapping_add(1); }
        prop_assert!(verifier().verify(&h, &changed, at(NOW)).is_err());
        let mut ts = h.clone();
        ts.timestamp = (NOW + 1).to_string();
        prop_assert!(verifier().verify(&ts, &body, at(NOW)).is_err());
        let mut nn = h.clone();
        nn.nonce = format!("{n}0");
        prop_assert!(verifier().verify(&nn, &body, at(NOW)).is_err());
        let mut sig: Vec<char> = h.signature.chars().collect();
        let i = flip.index(sig.len() - 4);
        sig[i] = if sig[i] == 'A' { 'B' } else { 'A' };
        let mut bad = h.clone();
        bad.signature = sig.into_iter().collect();
        prop_assert!(verifier().verify(&bad, &body, at(NOW)).is_err());
    }

    #[test]
    fn decrypt_encrypt_round_trip_and_tampering_fails(
        plain in prop::collection::vec(any::<u8>(), 0..300), aad in "[a-z]{0,16}", n in "[0-9A-Za-z]{12}",
        flip in any::<prop::sample::Index>(), bit in 0u8..8,
    ) {
        let key = ApiV3Key::new(APIV3_KEY).unwrap();
        let sealed = key.encrypt(&n, aad.as_bytes(), &plain).unwrap();
        prop_assert_eq!(key.decrypt(&n, &aad, &sealed).unwrap(), plain.clone());
        let mut raw = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &sealed).unwrap();
        let i = flip.index(raw.len());
        raw[i] ^= 1 << bit;
        let tampered = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &raw);
        prop_assert!(key.decrypt(&n, &aad, &tampered).is_err());
        let other_aad = format!("{aad}x");
        prop_assert!(key.decrypt(&n, &other_aad, &sealed).is_err());
        let mut other = n.clone().into_bytes();
        other[flip.index(12)] ^= 0x20;
        if other != n.as_bytes() {
            prop_assert!(key.decrypt(std::str::from_utf8(&other).unwrap_or("xxxxxxxxxxxx"), &aad, &sealed).is_err());
        }
    }

    #[test]
    fn parsers_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let key = ApiV3Key::new(APIV3_KEY).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let _ = decrypt_notify(&bytes, &key);
        let _ = Authorization::parse(&text);
        let _ = PrivateKey::parse(&text, KeyRole::MerchantPrivateKey);
        let _ = PublicKey::parse(&text, KeyRole::WechatpayPublicKey);
        let _ = PrivateKey::from_der(&bytes, KeyRole::MerchantPrivateKey);
        let _ = PublicKey::from_der(&bytes, KeyRole::WechatpayPublicKey);
        let _ = PlatformCertificate::parse_pem(&text);
        let _ = PlatformCertificate::from_der(&bytes);
        let _ = error_from_answer(400, &bytes);
        let _ = key.decrypt(&text, &text, &text);
        let h = WechatpayHeaders { timestamp: text.to_string(), nonce: "n".into(), signature: text.to_string(), serial: PUB_KEY_ID.into(), signature_type: None };
        let _ = verifier().verify(&h, &bytes, at(NOW));
        let _ = parse_notify(&h, &bytes, &verifier(), &key, at(NOW));
        let _ = check_answer(200, |_| Some(text.to_string()), &bytes, &verifier(), at(NOW));
    }

    #[test]
    fn notify_parser_never_panics_on_json_like_text(s in r#"[{}\[\]":,\\ a-z_0-9.A-Z+/=-]{0,120}"#) {
        let key = ApiV3Key::new(APIV3_KEY).unwrap();
        let _ = decrypt_notify(s.as_bytes(), &key);
        let _ = error_from_answer(500, s.as_bytes());
        let _ = Authorization::parse(&s);
    }
}
