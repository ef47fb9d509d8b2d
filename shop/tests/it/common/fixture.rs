//! A shop on a test database with a gateway that is never called, plus an "Alipay" key to sign
//! notifies with.
use std::sync::{Arc, OnceLock};

use alipay::sign::{Params, sign_callback};
use alipay::{AlipayConfig, KeyRole, PrivateKey, SystemClock};
use shop::Shop;
use shop::accounts::jwt::JwtKeys;

use super::TestDb;

pub const APP_ID: &str = "9021000000000001";
pub const SELLER_ID: &str = "2088721000000001";

/// (app private key, alipay private key), generated once per test binary.
pub fn keys() -> &'static (PrivateKey, PrivateKey) {
    static KEYS: OnceLock<(PrivateKey, PrivateKey)> = OnceLock::new();
    KEYS.get_or_init(|| {
        (
            PrivateKey::generate().expect("app key"),
            PrivateKey::generate().expect("alipay key"),
        )
    })
}

/// A shop over `t` with the demo courses and the demo student (id returned).
pub async fn shop(t: &TestDb) -> (Shop, shop::accounts::UserId) {
    shop_with_clock(t, Arc::new(SystemClock)).await
}

/// [`shop`] on `clock`.
pub async fn shop_with_clock(
    t: &TestDb,
    clock: Arc<dyn alipay::Clock>,
) -> (Shop, shop::accounts::UserId) {
    let now = clock.now();
    shop::seed::seed_demo(&t.db, now)
        .await
        .expect("seed courses");
    let shop = instance_with_clock(t.db.clone(), clock);
    let student = shop::accounts::register(&t.db, "xiaoming", "password123", now)
        .await
        .expect("student");
    (shop, student.id)
}

/// One more shop instance over the pool `db` (seeds nothing), as a second process would be.
pub fn instance(db: shop::db::Db) -> Shop {
    instance_with_clock(db, Arc::new(SystemClock))
}

/// [`instance`] on `clock`.
pub fn instance_with_clock(db: shop::db::Db, clock: Arc<dyn alipay::Clock>) -> Shop {
    let (app, ali) = keys();
    let app_pem = app.to_pkcs8_pem();
    let config = AlipayConfig {
        app_id: APP_ID.to_owned(),
        seller_id: SELLER_ID.to_owned(),
        gateway: "http://127.0.0.1:9/gateway.do".to_owned(),
        app_private_key: PrivateKey::parse(&app_pem, KeyRole::AppPrivateKey).expect("app key"),
        alipay_public_key: ali.public_key(),
        notify_url: Some("http://127.0.0.1:3000/order/notify".to_owned()),
        return_url: Some("http://127.0.0.1:3000/pay/success".to_owned()),
        cert: None,
    };
    let client = alipay::Client::with_options(
        config,
        Arc::new(SystemClock),
        alipay::openapi::ClientOptions {
            max_retries: 0,
            ..Default::default()
        },
    );
    let jwt = JwtKeys::new(&[9u8; 32], chrono::Duration::hours(1)).expect("jwt");
    Shop::new(db, client, jwt, clock, chrono::Duration::minutes(15))
}

/// A notify as Alipay sends it for `out_trade_no`, with `overrides` applied, signed with the
/// Alipay key, form-encoded.
pub fn notify_body(out_trade_no: &str, total: &str, overrides: &[(&str, &str)]) -> Vec<u8> {
    let mut p = Params::new();
    for (k, v) in [
        ("notify_time", "2026-11-27 12:00:00"),
        ("notify_type", "trade_status_sync"),
        ("notify_id", "ac05099524730693a8b330c5ecf72da9786"),
        ("app_id", APP_ID),
        ("auth_app_id", APP_ID),
        ("charset", "utf-8"),
        ("version", "1.0"),
        ("trade_no", "2026112722001400001234567890"),
        ("out_trade_no", out_trade_no),
        ("buyer_id", "2088102177846880"),
        ("seller_id", SELLER_ID),
        ("trade_status", "TRADE_SUCCESS"),
        ("total_amount", total),
        ("receipt_amount", total),
        ("subject", "Python 开发入门"),
        ("gmt_create", "2026-11-27 11:59:00"),
        ("gmt_payment", "2026-11-27 11:59:30"),
    ] {
        p.insert(k.to_owned(), v.to_owned());
    }
    for (k, v) in overrides {
        p.insert((*k).to_owned(), (*v).to_owned());
    }
    sign_callback(&mut p, &keys().1).unwrap();
    form(&p)
}

/// `k=v&...` with every value form-encoded.
pub fn form(p: &Params) -> Vec<u8> {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                    (b as char).to_string()
                }
                b' ' => "+".to_owned(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    p.iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

/// `n` students written straight to the database (no password hashing: they never log in), one
/// per order where a test needs many open or paid orders for the same course: one student has
/// one open order per course set and pays for a course once.
pub async fn students(db: &shop::db::Db, prefix: &str, n: usize) -> Vec<shop::accounts::UserId> {
    use sea_orm::{ActiveModelTrait, Set};
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let saved = shop::entity::user::ActiveModel {
            username: Set(format!("{prefix}{i}")),
            username_key: Set(shop::accounts::canonical_username(&format!("{prefix}{i}"))),
            password_hash: Set("!".to_owned()),
            role: Set(shop::accounts::Role::Student),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("student");
        ids.push(saved.id);
    }
    ids
}
