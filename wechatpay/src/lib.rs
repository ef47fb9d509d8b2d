//! WeChat Pay API v3 (直连商户) for the coursepay shop: merchant key loading ([`keys`]), request signing
//! ([`sign`]), answer and notification verification in public-key and platform-certificate mode
//! ([`verify`], [`cert`]), `AEAD_AES_256_GCM` resources ([`aead`]), typed notifications ([`notify`]) and
//! the API client for Native and H5 orders, query, close and refunds ([`api`]). No web framework, no
//! database. Pure functions take `now` and nonces as arguments; amounts are integer fen.
//!
//! ```
//! use wechatpay::{aead::ApiV3Key, keys::{KeyRole, PrivateKey, PublicKey}, sign::MerchantSigner, Verifier};
//! use wechatpay::notify::{build_notify, parse_notify, Notification, NotifySpec};
//! use wechatpay::verify::sign_response;
//! # let fixture = |name: &str| std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
//! let now = chrono::DateTime::from_timestamp(1554208460, 0).unwrap();
//!
//! // The merchant signs every request with apiclient_key.pem.
//! let merchant = PrivateKey::parse(&fixture("merchant_key.pem"), KeyRole::MerchantPrivateKey)?;
//! let signer = MerchantSigner::new("1230000109", "0A1B", merchant)?;
//! let auth = signer.authorization("GET", "/v3/refund/domestic/refunds/R1", b"", now, "593BEC0C930BF1AFEB40B4A08C8FB242")?;
//! assert!(auth.header_value().starts_with("WECHATPAY2-SHA256-RSA2048 mchid=\"1230000109\""));
//!
//! // WeChat Pay (here: a local gateway with its own key) sends a signed, encrypted notification...
//! let apiv3 = ApiV3Key::new("0123456789abcdef0123456789ABCDEF")?;
//! let gateway_key = PrivateKey::parse(&fixture("wechatpay_key.pem"), KeyRole::WechatpayPrivateKey)?;
//! let spec = NotifySpec { id: "EV-1", create_time: "2019-04-02T20:34:20+08:00".parse()?, event_type: "TRANSACTION.SUCCESS",
//!     summary: "支付成功", original_type: "transaction", resource_nonce: "pKbMMsyVxAxo" };
//! let resource = r#"{"appid":"wx1","mchid":"1230000109","out_trade_no":"C20240101_0001","transaction_id":"42",
//!     "trade_state":"SUCCESS","amount":{"total":9900,"payer_total":9900,"currency":"CNY"}}"#;
//! let body = build_notify(&spec, resource.as_bytes(), &apiv3)?;
//! let headers = sign_response(&gateway_key, "PUB_KEY_ID_01", now, "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", body.as_bytes())?;
//!
//! // ...which the shop verifies with the WeChat Pay public key, then decrypts.
//! let wechatpay_public = PublicKey::parse(&fixture("wechatpay_public.pem"), KeyRole::WechatpayPublicKey)?;
//! let verifier = Verifier::public_key("PUB_KEY_ID_01", wechatpay_public);
//! let Notification::Transaction { transaction, .. } = parse_notify(&headers, body.as_bytes(), &verifier, &apiv3, now)? else {
//!     unreachable!("a transaction notification")
//! };
//! assert!(transaction.trade_state.is_paid());
//! assert_eq!(transaction.amount.total, 9900);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod aead;
pub mod api;
pub mod cert;
pub mod clock;
pub mod keys;
pub mod notify;
pub mod sign;
pub mod verify;

pub use aead::{AeadError, ApiV3Key};
pub use api::{ApiError, Client, Config, ErrorCode};
pub use clock::{Clock, FixedClock, SystemClock};
pub use keys::{KeyError, KeyRole, PrivateKey, PublicKey};
pub use notify::{Notification, NotifyError};
pub use sign::{Authorization, MerchantSigner, SignError, SignatureError};
pub use verify::{Verifier, VerifyError, WechatpayHeaders};
