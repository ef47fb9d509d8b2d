//! The `Wechatpay-*` headers of an answer or a notification, and signing them (a local gateway's side).

use super::VerifyError;
use crate::keys::PrivateKey;
use crate::sign::{SCHEME, SignError};
use chrono::{DateTime, Utc};

/// `Wechatpay-Timestamp`.
pub const TIMESTAMP: &str = "Wechatpay-Timestamp";
/// `Wechatpay-Nonce`.
pub const NONCE: &str = "Wechatpay-Nonce";
/// `Wechatpay-Signature`.
pub const SIGNATURE: &str = "Wechatpay-Signature";
/// `Wechatpay-Serial`.
pub const SERIAL: &str = "Wechatpay-Serial";
/// `Wechatpay-Signature-Type`.
pub const SIGNATURE_TYPE: &str = "Wechatpay-Signature-Type";

/// The signature headers WeChat Pay sends with an answer or a notification.
///
/// ```
/// use wechatpay::verify::WechatpayHeaders;
/// let h = WechatpayHeaders::from_lookup(|name| match name {
///     "Wechatpay-Timestamp" => Some("1722850421".to_string()),
///     "Wechatpay-Nonce" => Some("d824f2e086d3c1df967785d13fcd22ef".to_string()),
///     "Wechatpay-Signature" => Some("c2ln".to_string()),
///     "Wechatpay-Serial" => Some("PUB_KEY_ID_01".to_string()),
///     _ => None,
/// }).unwrap();
/// assert_eq!(h.timestamp_secs(), Ok(1722850421));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WechatpayHeaders {
    /// `Wechatpay-Timestamp`, exactly as received (it is signed as text).
    pub timestamp: String,
    /// `Wechatpay-Nonce`.
    pub nonce: String,
    /// `Wechatpay-Signature` (base64).
    pub signature: String,
    /// `Wechatpay-Serial`: `PUB_KEY_ID_…` or a platform certificate serial.
    pub serial: String,
    /// `Wechatpay-Signature-Type`, when sent.
    pub signature_type: Option<String>,
}

impl WechatpayHeaders {
    /// Reads the headers through `lookup(name)` (the caller matches names case-insensitively).
    ///
    /// ```
    /// let err = wechatpay::verify::WechatpayHeaders::from_lookup(|_| None).unwrap_err();
    /// assert_eq!(err, wechatpay::verify::VerifyError::MissingHeader("Wechatpay-Timestamp"));
    /// ```
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<WechatpayHeaders, VerifyError> {
        let get = |name: &'static str| {
            lookup(name)
                .filter(|v| !v.is_empty())
                .ok_or(VerifyError::MissingHeader(name))
        };
        Ok(WechatpayHeaders {
            timestamp: get(TIMESTAMP)?,
            nonce: get(NONCE)?,
            signature: get(SIGNATURE)?,
            serial: get(SERIAL)?,
            signature_type: lookup(SIGNATURE_TYPE),
        })
    }

    /// Reads the headers from `(name, value)` pairs, names compared case-insensitively.
    ///
    /// ```
    /// let pairs = [("wechatpay-timestamp", "1"), ("wechatpay-nonce", "n"), ("wechatpay-signature", "s"), ("wechatpay-serial", "x")];
    /// let h = wechatpay::verify::WechatpayHeaders::from_pairs(pairs).unwrap();
    /// assert_eq!(h.serial, "x");
    /// ```
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)> + Clone,
    ) -> Result<WechatpayHeaders, VerifyError> {
        Self::from_lookup(|name| {
            pairs
                .clone()
                .into_iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.to_owned())
        })
    }

    /// The timestamp as Unix seconds (digits only, at most 12 of them).
    ///
    /// ```
    /// let mut h = wechatpay::verify::WechatpayHeaders::from_pairs([("Wechatpay-Timestamp", "+5"), ("Wechatpay-Nonce", "n"),
    ///     ("Wechatpay-Signature", "s"), ("Wechatpay-Serial", "x")]).unwrap();
    /// assert!(h.timestamp_secs().is_err());
    /// ```
    pub fn timestamp_secs(&self) -> Result<i64, VerifyError> {
        let t = &self.timestamp;
        if t.is_empty() || t.len() > 12 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(VerifyError::BadTimestamp(t.chars().take(32).collect()));
        }
        t.parse().map_err(|_| VerifyError::BadTimestamp(t.clone()))
    }

    /// The five headers as `(name, value)` pairs, to set on an answer or a notification.
    ///
    /// ```
    /// let h = wechatpay::verify::WechatpayHeaders { timestamp: "1".into(), nonce: "n".into(),
    ///     signature: "s".into(), serial: "x".into(), signature_type: None };
    /// assert_eq!(h.pairs().len(), 4);
    /// ```
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            (TIMESTAMP, self.timestamp.clone()),
            (NONCE, self.nonce.clone()),
            (SIGNATURE, self.signature.clone()),
            (SERIAL, self.serial.clone()),
        ];
        if let Some(t) = &self.signature_type {
            out.push((SIGNATURE_TYPE, t.clone()));
        }
        out
    }
}

/// `TIMESTAMP\nNONCE\nBODY\n`: the bytes an answer or notification signature covers.
///
/// ```
/// let m = wechatpay::verify::response_message("1722850421", "n", b"");
/// assert_eq!(m, b"1722850421\nn\n\n");
/// ```
pub fn response_message(timestamp: &str, nonce: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(timestamp.len() + nonce.len() + body.len() + 3);
    out.extend_from_slice(timestamp.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(nonce.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(body);
    out.push(b'\n');
    out
}

/// Signs an answer or notification body as WeChat Pay does (a local gateway with its own key).
///
/// ```no_run
/// let key = wechatpay::keys::PrivateKey::generate()?;
/// let now = chrono::DateTime::from_timestamp(1722850421, 0).unwrap();
/// let h = wechatpay::verify::sign_response(&key, "PUB_KEY_ID_01", now, "d824f2e0", b"{}")?;
/// assert_eq!(h.timestamp, "1722850421");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sign_response(
    key: &PrivateKey,
    serial: &str,
    now: DateTime<Utc>,
    nonce: &str,
    body: &[u8],
) -> Result<WechatpayHeaders, SignError> {
    let timestamp = now.timestamp().to_string();
    let signature = key.sign_sha256(&response_message(&timestamp, nonce, body))?;
    Ok(WechatpayHeaders {
        timestamp,
        nonce: nonce.to_owned(),
        signature,
        serial: serial.to_owned(),
        signature_type: Some(SCHEME.to_owned()),
    })
}
