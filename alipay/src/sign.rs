//! The canonical signing strings and RSA2 signing/verification of parameter sets.
//!
//! ```no_run
//! use alipay::sign::{sign_request, verify_request, Params};
//! let key = alipay::keys::PrivateKey::generate()?;
//! let mut params = Params::new();
//! params.insert("app_id".into(), "2021000000000000".into());
//! sign_request(&mut params, &key)?;
//! verify_request(&params, &key.public_key())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::keys::{PrivateKey, PublicKey};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Parameters sorted by key in byte order, as the signing string needs them.
pub type Params = BTreeMap<String, String>;

/// Why a signature check failed.
///
/// ```
/// use alipay::sign::SignError;
/// assert_eq!(SignError::MissingSign.to_string(), "the parameters carry no sign");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// No `sign` parameter (or an empty one).
    #[error("the parameters carry no sign")]
    MissingSign,
    /// `sign` is not standard base64 (a `+` decoded into a space is the usual cause).
    #[error("the sign is not valid base64 (was the body URL-decoded twice, turning '+' into ' '?)")]
    BadBase64,
    /// `sign_type` other than `RSA2` / `RSA`.
    #[error("unsupported sign_type {0:?}: only RSA2 and RSA are supported")]
    UnsupportedSignType(String),
    /// Our own key could not sign (a broken key or crypto backend): nothing is sent unsigned.
    #[error("signing with the app private key failed")]
    Signing,
    /// The signature does not match; `signed_string` is what was verified (for logs).
    #[error("the signature does not match the signed string {signed_string:?}")]
    BadSignature {
        /// The canonical string the signature was checked against.
        signed_string: String,
    },
}

/// The signature algorithm: `RSA2` (SHA-256) or legacy `RSA` (SHA-1, verify only here).
///
/// ```
/// use alipay::sign::SignType;
/// assert_eq!("RSA2".parse::<SignType>(), Ok(SignType::Rsa2));
/// assert!("MD5".parse::<SignType>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignType {
    /// PKCS#1 v1.5 with SHA-256.
    #[default]
    Rsa2,
    /// PKCS#1 v1.5 with SHA-1.
    Rsa,
}

impl SignType {
    /// `"RSA2"` or `"RSA"`.
    ///
    /// ```
    /// assert_eq!(alipay::sign::SignType::Rsa.as_str(), "RSA");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            SignType::Rsa2 => "RSA2",
            SignType::Rsa => "RSA",
        }
    }
}

impl fmt::Display for SignType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SignType {
    type Err = SignError;
    fn from_str(s: &str) -> Result<SignType, SignError> {
        match s {
            "RSA2" => Ok(SignType::Rsa2),
            "RSA" => Ok(SignType::Rsa),
            other => Err(SignError::UnsupportedSignType(other.to_owned())),
        }
    }
}

/// The bytes a signing string stands for: UTF-8, or GBK when the parameters say `charset=gbk`
/// (Alipay signs the string in the request's charset, as the Java SDK's `getBytes(charset)` does).
pub(crate) fn charset_bytes<'a>(params: &Params, s: &'a str) -> std::borrow::Cow<'a, [u8]> {
    let gbk = params.get("charset").is_some_and(|c| {
        matches!(
            c.to_ascii_lowercase().as_str(),
            "gbk" | "gb2312" | "gb18030"
        )
    });
    if gbk {
        let (bytes, _, _) = encoding_rs::GBK.encode(s);
        bytes
    } else {
        std::borrow::Cow::Borrowed(s.as_bytes())
    }
}

fn join(params: &Params, skip: &[&str]) -> String {
    let mut out = String::with_capacity(params.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    let items = params
        .iter()
        .filter(|(k, v)| !v.is_empty() && !skip.contains(&k.as_str()));
    for (i, (k, v)) in items.enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// The request signing string: every parameter but `sign`, empty values dropped, `sign_type` kept,
/// sorted by key, `k=v` joined with `&`, raw (not URL-encoded) values.
///
/// ```
/// use alipay::sign::{request_signing_string, Params};
/// let p: Params = [("b", "2"), ("a", "1"), ("sign", "x"), ("sign_type", "RSA2"), ("e", "")]
///     .into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
/// assert_eq!(request_signing_string(&p), "a=1&b=2&sign_type=RSA2");
/// ```
pub fn request_signing_string(params: &Params) -> String {
    join(params, &["sign"])
}

/// The callback (notify / return) signing string: `sign` and `sign_type` and empty values dropped.
///
/// ```
/// use alipay::sign::{callback_signing_string, Params};
/// let p: Params = [("b", "2"), ("a", "1"), ("sign", "x"), ("sign_type", "RSA2")]
///     .into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
/// assert_eq!(callback_signing_string(&p), "a=1&b=2");
/// ```
pub fn callback_signing_string(params: &Params) -> String {
    join(params, &["sign", "sign_type"])
}

/// Signs a request the way a merchant does: sets `sign_type=RSA2`, then `sign` over the request string.
///
/// ```no_run
/// use alipay::sign::{sign_request, Params};
/// let key = alipay::keys::PrivateKey::generate()?;
/// let mut p = Params::new();
/// p.insert("method".into(), "alipay.trade.query".into());
/// sign_request(&mut p, &key)?;
/// assert_eq!(p["sign_type"], "RSA2");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sign_request(params: &mut Params, key: &PrivateKey) -> Result<(), SignError> {
    params.insert("sign_type".into(), SignType::Rsa2.as_str().into());
    let sign = key.sign_rsa2(&charset_bytes(params, &request_signing_string(params)))?;
    params.insert("sign".into(), sign);
    Ok(())
}

/// Signs a callback the way Alipay does: `sign` over the callback string, then `sign_type=RSA2`.
///
/// ```no_run
/// use alipay::sign::{sign_callback, verify_callback, Params};
/// let alipay_key = alipay::keys::PrivateKey::generate()?;
/// let mut p = Params::new();
/// p.insert("trade_status".into(), "TRADE_SUCCESS".into());
/// sign_callback(&mut p, &alipay_key)?;
/// verify_callback(&p, &alipay_key.public_key())?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sign_callback(params: &mut Params, key: &PrivateKey) -> Result<(), SignError> {
    let sign = key.sign_rsa2(&charset_bytes(params, &callback_signing_string(params)))?;
    params.insert("sign_type".into(), SignType::Rsa2.as_str().into());
    params.insert("sign".into(), sign);
    Ok(())
}

fn sign_parts(params: &Params) -> Result<(&str, SignType), SignError> {
    let sign = params
        .get("sign")
        .filter(|s| !s.is_empty())
        .ok_or(SignError::MissingSign)?;
    let sign_type = match params.get("sign_type").filter(|s| !s.is_empty()) {
        Some(t) => t.parse()?,
        None => SignType::Rsa2,
    };
    Ok((sign, sign_type))
}

/// Verifies a signed request, as a gateway does (`sign_type` is part of the string; RSA2 if absent).
///
/// ```no_run
/// use alipay::sign::{sign_request, verify_request, Params, SignError};
/// let key = alipay::keys::PrivateKey::generate()?;
/// let mut p = Params::new();
/// p.insert("a".into(), "1".into());
/// sign_request(&mut p, &key);
/// p.insert("a".into(), "2".into());
/// assert!(matches!(verify_request(&p, &key.public_key()), Err(SignError::BadSignature { .. })));
/// # Ok::<(), alipay::keys::KeyError>(())
/// ```
pub fn verify_request(params: &Params, key: &PublicKey) -> Result<(), SignError> {
    let (sign, sign_type) = sign_parts(params)?;
    key.verify(
        &charset_bytes(params, &request_signing_string(params)),
        sign,
        sign_type,
    )
}

/// Verifies a notify or return: `sign` and `sign_type` excluded from the string.
///
/// ```
/// use alipay::sign::{verify_callback, Params, SignError};
/// # fn key() -> alipay::keys::PublicKey { unimplemented!() }
/// # if false {
/// assert_eq!(verify_callback(&Params::new(), &key()), Err(SignError::MissingSign));
/// # }
/// ```
pub fn verify_callback(params: &Params, key: &PublicKey) -> Result<(), SignError> {
    let (sign, sign_type) = sign_parts(params)?;
    key.verify(
        &charset_bytes(params, &callback_signing_string(params)),
        sign,
        sign_type,
    )
}
