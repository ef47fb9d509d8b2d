//! Property tests: sign→verify round trips, any single mutation of a signed field fails, parsers
//! never panic on arbitrary input.

use crate::common::{alipay_key, alipay_public, app_key, app_public};
use alipay::Money;
use alipay::callback::{parse_form, parse_query, verify_notify, verify_return};
use alipay::keys::{KeyRole, PrivateKey, PublicKey};
use alipay::openapi::{extract_response, verify_answer};
use alipay::sign::{Params, sign_callback, sign_request, verify_callback, verify_request};
use proptest::prelude::*;

fn params() -> impl Strategy<Value = Params> {
    prop::collection::btree_map("[a-z_]{1,12}", "(?s).{1,24}", 1..8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn request_round_trip_and_any_mutation_fails(mut p in params(), pick in any::<prop::sample::Index>(), extra in "(?s).{1,4}") {
        p.remove("sign");
        p.remove("sign_type");
        sign_request(&mut p, &app_key()).unwrap();
        prop_assert!(verify_request(&p, &app_public()).is_ok());
        prop_assert!(verify_request(&p, &alipay_public()).is_err());
        let signed: Vec<String> = p.keys().filter(|k| k.as_str() != "sign").cloned().collect();
        let key = pick.get(&signed).clone();
        let mut changed = p.clone();
        changed.entry(key.clone()).and_modify(|v| v.push_str(&extra));
        prop_assert!(verify_request(&changed, &app_public()).is_err(), "mutating {} still verified", key);
        let mut removed = p.clone();
        removed.remove(&key);
        prop_assert!(verify_request(&removed, &app_public()).is_err());
    }

    #[test]
    fn callback_round_trip_through_a_form_body(mut p in params(), pick in any::<prop::sample::Index>()) {
        p.remove("sign");
        p.remove("sign_type");
        p.remove("charset");
        sign_callback(&mut p, &alipay_key()).unwrap();
        prop_assert!(verify_callback(&p, &alipay_public()).is_ok());
        // Through the wire: form-encode, parse back (decoded exactly once), verify.
        let body = p.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&");
        let back = parse_form(body.as_bytes()).unwrap();
        prop_assert_eq!(&back, &p);
        prop_assert!(verify_callback(&back, &alipay_public()).is_ok());
        let signed: Vec<String> = p.keys().filter(|k| !matches!(k.as_str(), "sign" | "sign_type")).cloned().collect();
        let key = pick.get(&signed).clone();
        let mut changed = p.clone();
        changed.entry(key).and_modify(|v| { let c = v.pop(); v.push(if c == Some('x') { 'y' } else { 'x' }); });
        prop_assert!(verify_callback(&changed, &alipay_public()).is_err());
    }

    #[test]
    fn parsers_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_form(&bytes);
        let _ = verify_notify(&bytes, &alipay_public());
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_query(&text);
        let _ = verify_return(&text, &alipay_public());
        let _ = extract_response(&text, "alipay_trade_query_response");
        let _ = verify_answer(&text, "alipay.trade.query", &alipay_public());
        let _ = text.parse::<Money>();
        let _ = PrivateKey::parse(&text, KeyRole::AppPrivateKey);
        let _ = PublicKey::parse(&text, KeyRole::AlipayPublicKey);
        let _ = alipay::cert::cert_sn(&text);
        let _ = alipay::clock::parse_beijing(&text);
    }

    #[test]
    fn parsers_never_panic_on_json_like_text(s in r#"[{}\[\]":,\\ a-z_0-9]{0,80}"#) {
        let _ = extract_response(&s, "a_response");
        let _ = verify_answer(&s, "a", &alipay_public());
        let _ = parse_query(&s);
    }

    #[test]
    fn money_round_trips(cents in 0i64..=i64::MAX) {
        let m = Money::from_cents(cents);
        prop_assert_eq!(m.to_string().parse::<Money>(), Ok(m));
    }

    #[test]
    fn base64_signs_with_a_mutated_character_fail(p in params(), at in any::<prop::sample::Index>()) {
        let mut p = p;
        sign_request(&mut p, &app_key()).unwrap();
        let mut sign: Vec<char> = p["sign"].chars().collect();
        let i = at.index(sign.len().saturating_sub(2).max(1));
        sign[i] = if sign[i] == 'A' { 'B' } else { 'A' };
        p.insert("sign".into(), sign.into_iter().collect());
        prop_assert!(verify_request(&p, &app_public()).is_err());
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn keys_in_props_are_distinct() {
    assert_ne!(app_public(), alipay_public());
}
