//! Verifying WeChat Pay's answers and notifications: `TIMESTAMP\nNONCE\nBODY\n` signed with the WeChat
//! Pay public key (public-key mode, serial `PUB_KEY_ID_…`) or a platform certificate's key (serial the
//! certificate's hex serial), fresh within 5 minutes of the injected `now`.
//!
//! ```no_run
//! use wechatpay::verify::{Verifier, WechatpayHeaders};
//! # let (key, body): (wechatpay::keys::PublicKey, &[u8]) = unimplemented!();
//! let verifier = Verifier::public_key("PUB_KEY_ID_0000000000000024101100397200000006", key);
//! let headers = WechatpayHeaders::from_lookup(|name| None::<&str>.map(|v| v.to_string()))?;
//! verifier.verify(&headers, body, chrono::Utc::now())?;
//! # Ok::<(), wechatpay::verify::VerifyError>(())
//! ```

mod authorization;
mod headers;

pub(crate) use authorization::parse_authorization;
pub use headers::{WechatpayHeaders, response_message, sign_response};

use crate::cert::PlatformCertificate;
use crate::keys::PublicKey;
use crate::sign::SignatureError;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// How far (seconds, exclusive) a signed timestamp may be from `now`.
pub const MAX_CLOCK_OFFSET_SECS: i64 = 300;

/// Every way an answer, a notification or a request signature can fail to verify.
///
/// ```
/// use wechatpay::verify::VerifyError;
/// let e = VerifyError::MissingHeader("Wechatpay-Nonce");
/// assert_eq!(e.to_string(), "the Wechatpay-Nonce header is missing or empty");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// A required header is absent (or empty).
    #[error("the {0} header is missing or empty")]
    MissingHeader(&'static str),
    /// `Wechatpay-Signature-Type` other than `WECHATPAY2-SHA256-RSA2048`.
    #[error("unsupported signature type {0:?}")]
    UnsupportedSignatureType(String),
    /// The timestamp is not Unix seconds.
    #[error("the timestamp {0:?} is not Unix seconds")]
    BadTimestamp(String),
    /// The timestamp is 5 minutes or more away from now (a replay, or a wrong clock).
    #[error("the timestamp {timestamp} is {offset} s away from now; at most 299 s are accepted")]
    Stale {
        /// The signed timestamp.
        timestamp: i64,
        /// Seconds between it and now (absolute).
        offset: i64,
    },
    /// No key is configured for this serial.
    #[error("no WeChat Pay public key or platform certificate is configured for serial {0:?}")]
    UnknownSerial(String),
    /// The signature itself failed (mismatch, bad base64, a `WECHATPAY/SIGNTEST/` probe).
    #[error("the WeChat Pay signature did not verify")]
    Signature(#[source] SignatureError),
    /// An `Authorization` header that is not the five `WECHATPAY2-SHA256-RSA2048` pairs.
    #[error("the Authorization header is malformed: {0}")]
    BadAuthorization(&'static str),
}

impl VerifyError {
    /// True for a `WECHATPAY/SIGNTEST/` probe.
    ///
    /// ```
    /// use wechatpay::{sign::SignatureError, verify::VerifyError};
    /// assert!(VerifyError::Signature(SignatureError::Probe).is_probe());
    /// ```
    pub fn is_probe(&self) -> bool {
        matches!(self, VerifyError::Signature(SignatureError::Probe))
    }
}

/// Refuses a timestamp 300 s or more away from `now` (either side).
///
/// ```
/// let now = chrono::DateTime::from_timestamp(1_000_000, 0).unwrap();
/// assert!(wechatpay::verify::check_fresh(1_000_299, now).is_ok());
/// assert!(wechatpay::verify::check_fresh(999_700, now).is_err());
/// ```
pub fn check_fresh(timestamp: i64, now: DateTime<Utc>) -> Result<(), VerifyError> {
    let offset = now.timestamp().abs_diff(timestamp);
    if offset < MAX_CLOCK_OFFSET_SECS as u64 {
        Ok(())
    } else {
        Err(VerifyError::Stale {
            timestamp,
            offset: i64::try_from(offset).unwrap_or(i64::MAX),
        })
    }
}

/// Normalises a certificate serial: uppercase hex without leading zeros.
fn normalise_serial(serial: &str) -> Option<String> {
    if serial.is_empty() || !serial.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let trimmed = serial.trim_start_matches('0');
    Some(if trimmed.is_empty() {
        "0".into()
    } else {
        trimmed.to_ascii_uppercase()
    })
}

/// The keys WeChat Pay may sign with, chosen by `Wechatpay-Serial`: the WeChat Pay public key under its
/// id and/or platform certificates under their serials (both during a switch between modes).
///
/// ```no_run
/// use wechatpay::verify::Verifier;
/// # let (key, cert): (wechatpay::keys::PublicKey, wechatpay::cert::PlatformCertificate) = unimplemented!();
/// let v = Verifier::public_key("PUB_KEY_ID_0114232134912410000000000000", key).with_certificate(cert);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Verifier {
    public_key: Option<(String, PublicKey)>,
    certificates: BTreeMap<String, PublicKey>,
}

impl Verifier {
    /// Public-key mode: `key_id` is the `PUB_KEY_ID_…` WeChat Pay sends as `Wechatpay-Serial`.
    ///
    /// ```no_run
    /// # let key: wechatpay::keys::PublicKey = unimplemented!();
    /// let v = wechatpay::verify::Verifier::public_key("PUB_KEY_ID_01", key);
    /// ```
    pub fn public_key(key_id: &str, key: PublicKey) -> Verifier {
        Verifier {
            public_key: Some((key_id.to_owned(), key)),
            certificates: BTreeMap::new(),
        }
    }

    /// Adds a platform certificate (certificate mode).
    ///
    /// ```no_run
    /// # let cert: wechatpay::cert::PlatformCertificate = unimplemented!();
    /// let v = wechatpay::verify::Verifier::default().with_certificate(cert);
    /// ```
    pub fn with_certificate(mut self, cert: PlatformCertificate) -> Verifier {
        if let Some(serial) = normalise_serial(&cert.serial_no) {
            self.certificates.insert(serial, cert.public_key);
        }
        self
    }

    /// The key for a `Wechatpay-Serial` value.
    ///
    /// ```
    /// let v = wechatpay::verify::Verifier::default();
    /// assert!(v.key_for("PUB_KEY_ID_01").is_err());
    /// ```
    pub fn key_for(&self, serial: &str) -> Result<&PublicKey, VerifyError> {
        if let Some((id, key)) = &self.public_key
            && id == serial
        {
            return Ok(key);
        }
        normalise_serial(serial)
            .and_then(|s| self.certificates.get(&s))
            .ok_or_else(|| VerifyError::UnknownSerial(serial.chars().take(64).collect()))
    }

    /// Verifies an answer or notification: signature type, key by serial, freshness, then signature.
    ///
    /// ```no_run
    /// # let (v, h, body): (wechatpay::verify::Verifier, wechatpay::verify::WechatpayHeaders, &[u8]) = unimplemented!();
    /// v.verify(&h, body, chrono::Utc::now())?;
    /// # Ok::<(), wechatpay::verify::VerifyError>(())
    /// ```
    pub fn verify(
        &self,
        headers: &WechatpayHeaders,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), VerifyError> {
        if let Some(t) = &headers.signature_type
            && t != crate::sign::SCHEME
        {
            return Err(VerifyError::UnsupportedSignatureType(
                t.chars().take(64).collect(),
            ));
        }
        let key = self.key_for(&headers.serial)?;
        if headers.signature.starts_with(crate::sign::SIGNTEST_PREFIX) {
            return Err(VerifyError::Signature(SignatureError::Probe));
        }
        let timestamp = headers.timestamp_secs()?;
        check_fresh(timestamp, now)?;
        let message = response_message(&headers.timestamp, &headers.nonce, body);
        key.verify_sha256(&message, &headers.signature)
            .map_err(VerifyError::Signature)
    }
}
