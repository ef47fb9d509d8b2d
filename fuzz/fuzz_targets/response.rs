//! Gateway answers: the string-aware `*_response` extractor and the verifier. No panic.
#![no_main]
use alipay::openapi::{extract_response, verify_answer};
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
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    if let Some((raw, _sign)) = extract_response(body, "alipay_trade_query_response") {
        assert!(
            body.contains(raw),
            "the extracted object is a slice of the body"
        );
    }
    let _ = extract_response(body, "error_response");
    for method in [
        "alipay.trade.query",
        "alipay.trade.refund",
        "alipay.trade.close",
    ] {
        let _ = verify_answer(body, method, &KEY);
    }
});
