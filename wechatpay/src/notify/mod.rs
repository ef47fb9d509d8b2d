//! Notifications (回调通知): verify the signature headers over the raw body, then decrypt and type the
//! resource. A local gateway builds them with [`build_notify`].
//!
//! ```no_run
//! use wechatpay::notify::{parse_notify, Notification};
//! # let (verifier, key, headers, body): (wechatpay::Verifier, wechatpay::aead::ApiV3Key, wechatpay::WechatpayHeaders, &[u8]) = unimplemented!();
//! match parse_notify(&headers, body, &verifier, &key, chrono::Utc::now()) {
//!     Ok(Notification::Transaction { transaction, .. }) if transaction.trade_state.is_paid() => { /* mark paid */ }
//!     Ok(_) => {}
//!     Err(e) => { /* answer 4XX with {"code":"FAIL","message":"失败"}: WeChat Pay resends */ }
//! }
//! ```

mod types;

pub use types::{
    Payer, Refund, RefundAmount, RefundStatus, TradeState, TradeType, Transaction,
    TransactionAmount,
};

use crate::aead::{ALGORITHM, AeadError, ApiV3Key};
use crate::verify::{Verifier, VerifyError, WechatpayHeaders};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The only `resource_type` WeChat Pay sends.
pub const ENCRYPT_RESOURCE: &str = "encrypt-resource";

/// Why a notification was refused. Every case answers 4XX/5XX so that WeChat Pay resends.
///
/// ```
/// use wechatpay::notify::NotifyError;
/// assert!(NotifyError::UnsupportedEvent("X".into()).to_string().contains("X"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyError {
    /// The signature headers did not verify.
    #[error("the notification signature did not verify")]
    Verify(#[from] VerifyError),
    /// The body is not the notification envelope.
    #[error("the notification body is not a WeChat Pay notification: {0}")]
    Envelope(String),
    /// `resource_type` / `algorithm` other than `encrypt-resource` / `AEAD_AES_256_GCM`.
    #[error("unsupported resource: {0}")]
    UnsupportedResource(String),
    /// The resource did not decrypt.
    #[error("the notification resource did not decrypt")]
    Decrypt(#[from] AeadError),
    /// The decrypted resource is not the expected object.
    #[error("the decrypted resource is not a {kind}: {reason}")]
    Resource {
        /// `transaction` or `refund`.
        kind: &'static str,
        /// The JSON error.
        reason: String,
    },
    /// An event type this crate does not handle.
    #[error("unsupported event type {0:?}")]
    UnsupportedEvent(String),
}

/// The encrypted `resource`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptedResource {
    /// `AEAD_AES_256_GCM`.
    pub algorithm: String,
    /// Base64 ciphertext with the 16-byte tag at the end.
    pub ciphertext: String,
    /// The associated data (may be empty or absent).
    #[serde(default)]
    pub associated_data: String,
    /// The 12-character nonce.
    pub nonce: String,
    /// `transaction` or `refund`.
    #[serde(default)]
    pub original_type: String,
}

/// The notification envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyEnvelope {
    /// Notification id, e.g. `EV-2018022511223320873`.
    pub id: String,
    /// When WeChat Pay created it.
    pub create_time: DateTime<chrono::FixedOffset>,
    /// `TRANSACTION.SUCCESS`, `REFUND.SUCCESS`, `REFUND.ABNORMAL`, `REFUND.CLOSED`.
    pub event_type: String,
    /// `encrypt-resource`.
    pub resource_type: String,
    /// e.g. 支付成功.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The encrypted resource.
    pub resource: EncryptedResource,
}

/// A verified, decrypted notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notification {
    /// `TRANSACTION.*`.
    Transaction {
        /// The envelope.
        envelope: NotifyEnvelope,
        /// The decrypted transaction.
        transaction: Transaction,
    },
    /// `REFUND.*`.
    Refund {
        /// The envelope.
        envelope: NotifyEnvelope,
        /// The decrypted refund.
        refund: Refund,
    },
}

/// Verifies `headers` over the raw `body` (fresh against `now`), then decrypts and types the resource.
///
/// ```no_run
/// # let (v, k, h): (wechatpay::Verifier, wechatpay::aead::ApiV3Key, wechatpay::WechatpayHeaders) = unimplemented!();
/// let n = wechatpay::notify::parse_notify(&h, b"{}", &v, &k, chrono::Utc::now());
/// assert!(n.is_err());
/// ```
pub fn parse_notify(
    headers: &WechatpayHeaders,
    body: &[u8],
    verifier: &Verifier,
    key: &ApiV3Key,
    now: DateTime<Utc>,
) -> Result<Notification, NotifyError> {
    verifier.verify(headers, body, now)?;
    decrypt_notify(body, key)
}

/// Decrypts and types a notification body **without** checking its signature (only for a body already
/// verified, e.g. by a gateway's own tests).
///
/// ```
/// let key = wechatpay::aead::ApiV3Key::new("0123456789abcdef0123456789ABCDEF").unwrap();
/// assert!(wechatpay::notify::decrypt_notify(b"not json", &key).is_err());
/// ```
pub fn decrypt_notify(body: &[u8], key: &ApiV3Key) -> Result<Notification, NotifyError> {
    let envelope: NotifyEnvelope =
        serde_json::from_slice(body).map_err(|e| NotifyError::Envelope(e.to_string()))?;
    if envelope.resource_type != ENCRYPT_RESOURCE {
        return Err(NotifyError::UnsupportedResource(
            envelope.resource_type.chars().take(64).collect(),
        ));
    }
    let r = &envelope.resource;
    if r.algorithm != ALGORITHM {
        return Err(NotifyError::UnsupportedResource(
            r.algorithm.chars().take(64).collect(),
        ));
    }
    let plain = key.decrypt(&r.nonce, &r.associated_data, &r.ciphertext)?;
    let resource = |kind| {
        move |e: serde_json::Error| NotifyError::Resource {
            kind,
            reason: e.to_string(),
        }
    };
    if envelope.event_type.starts_with("TRANSACTION.") {
        let transaction = serde_json::from_slice(&plain).map_err(resource("transaction"))?;
        Ok(Notification::Transaction {
            envelope,
            transaction,
        })
    } else if envelope.event_type.starts_with("REFUND.") {
        let refund = serde_json::from_slice(&plain).map_err(resource("refund"))?;
        Ok(Notification::Refund { envelope, refund })
    } else {
        Err(NotifyError::UnsupportedEvent(
            envelope.event_type.chars().take(64).collect(),
        ))
    }
}

/// What a local gateway needs to produce one notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifySpec<'a> {
    /// Notification id.
    pub id: &'a str,
    /// Its creation time.
    pub create_time: DateTime<chrono::FixedOffset>,
    /// e.g. `TRANSACTION.SUCCESS`.
    pub event_type: &'a str,
    /// e.g. 支付成功.
    pub summary: &'a str,
    /// `transaction` or `refund` (also the associated data).
    pub original_type: &'a str,
    /// The 12-character resource nonce.
    pub resource_nonce: &'a str,
}

/// Encrypts `resource_json` and wraps it in the envelope, as WeChat Pay does; sign the returned body
/// with [`crate::verify::sign_response`].
///
/// ```
/// use wechatpay::notify::{build_notify, decrypt_notify, NotifySpec};
/// let key = wechatpay::aead::ApiV3Key::new("0123456789abcdef0123456789ABCDEF").unwrap();
/// let spec = NotifySpec { id: "EV-1", create_time: "2024-01-01T10:00:00+08:00".parse().unwrap(),
///     event_type: "TRANSACTION.SUCCESS", summary: "支付成功", original_type: "transaction", resource_nonce: "abcdefghijkl" };
/// let t = r#"{"appid":"wx1","mchid":"1","out_trade_no":"C0001","transaction_id":"42","trade_state":"SUCCESS","amount":{"total":1}}"#;
/// let body = build_notify(&spec, t.as_bytes(), &key).unwrap();
/// assert!(decrypt_notify(body.as_bytes(), &key).is_ok());
/// ```
pub fn build_notify(
    spec: &NotifySpec<'_>,
    resource_json: &[u8],
    key: &ApiV3Key,
) -> Result<String, AeadError> {
    let ciphertext = key.encrypt(
        spec.resource_nonce,
        spec.original_type.as_bytes(),
        resource_json,
    )?;
    let envelope = NotifyEnvelope {
        id: spec.id.to_owned(),
        create_time: spec.create_time,
        event_type: spec.event_type.to_owned(),
        resource_type: ENCRYPT_RESOURCE.to_owned(),
        summary: Some(spec.summary.to_owned()),
        resource: EncryptedResource {
            algorithm: ALGORITHM.to_owned(),
            ciphertext,
            associated_data: spec.original_type.to_owned(),
            nonce: spec.resource_nonce.to_owned(),
            original_type: spec.original_type.to_owned(),
        },
    };
    Ok(serde_json::to_string(&envelope).unwrap_or_default())
}
