//! WeChat Pay API v3 (直连商户) for the coursepay shop: merchant key loading ([`keys`]), request signing
//! ([`sign`]), answer and notification verification in public-key and platform-certificate mode
//! ([`verify`], [`cert`]). No web framework, no database.

#![warn(missing_docs)]

pub mod aead;
pub mod api;
pub mod cert;
pub mod clock;
pub mod keys;
pub mod notify;
pub mod sign;
pub mod verify;

pub use clock::{Clock, FixedClock, SystemClock};
pub use keys::{KeyError, KeyRole, PrivateKey, PublicKey};
pub use sign::{Authorization, MerchantSigner, SignError, SignatureError};
pub use verify::{Verifier, VerifyError, WechatpayHeaders};
