//! Notify bodies and return query strings: parse, verify, type. Any input, no panic.
#![no_main]
use alipay::callback::{parse_form, parse_query, verify_notify, verify_return};
use alipay::{KeyRole, PublicKey};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static KEY: LazyLock<PublicKey> = LazyLock::new(|| {
    PublicKey::parse(
        include_str!("../fuzz_public_key.txt"),
        KeyRole::AlipayPublicKey,
    )
    .expect("the fuzz public key")
});

fuzz_target!(|data: &[u8]| {
    let _ = parse_form(data);
    let _ = verify_notify(data, &KEY);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = parse_query(s);
        let _ = verify_return(s, &KEY);
    }
});
