//! The key loader: any text, as any role, as a private or a public key. No panic.
#![no_main]
use alipay::{KeyRole, PrivateKey, PublicKey};
use libfuzzer_sys::fuzz_target;

const ROLES: [KeyRole; 4] = [
    KeyRole::AppPrivateKey,
    KeyRole::AlipayPublicKey,
    KeyRole::AppPublicKey,
    KeyRole::AlipayPrivateKey,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for role in ROLES {
        let _ = PrivateKey::parse(text, role);
        let _ = PublicKey::parse(text, role);
    }
});
