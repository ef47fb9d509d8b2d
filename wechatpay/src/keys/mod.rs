//! RSA keys in the shapes merchants paste, with errors that name the key and the likely mix-up.
//!
//! ```no_run
//! use wechatpay::keys::{check_merchant_keys, KeyRole, PrivateKey, PublicKey};
//! let merchant = PrivateKey::from_file("apiclient_key.pem".as_ref(), KeyRole::MerchantPrivateKey)?;
//! let wechatpay = PublicKey::from_file("pub_key.pem".as_ref(), KeyRole::WechatpayPublicKey)?;
//! check_merchant_keys(&merchant, &wechatpay)?;
//! # Ok::<(), wechatpay::keys::KeyError>(())
//! ```

mod private;
mod public;
use keyshape as shape;

pub use private::PrivateKey;
pub use public::PublicKey;
pub use shape::{KeyKind, KeyShape, Wrapping};

use std::fmt;
use std::path::{Path, PathBuf};

/// The only modulus size `WECHATPAY2-SHA256-RSA2048` allows.
pub const RSA_BITS: usize = 2048;

/// Which key a piece of text was supposed to be; named in every error.
///
/// ```
/// use wechatpay::keys::KeyRole;
/// assert_eq!(KeyRole::MerchantPrivateKey.to_string(), "merchant API private key (apiclient_key.pem)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyRole {
    /// The merchant API private key `apiclient_key.pem` (signs requests).
    MerchantPrivateKey,
    /// The public half of the merchant key (a local gateway verifies requests with it).
    MerchantPublicKey,
    /// The WeChat Pay public key `pub_key.pem` (public-key mode: verifies answers and notifies).
    WechatpayPublicKey,
    /// A WeChat Pay platform certificate (certificate mode).
    PlatformCertificate,
    /// WeChat Pay's private key: only a local gateway has one.
    WechatpayPrivateKey,
}

impl fmt::Display for KeyRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyRole::MerchantPrivateKey => "merchant API private key (apiclient_key.pem)",
            KeyRole::MerchantPublicKey => "merchant public key",
            KeyRole::WechatpayPublicKey => "WeChat Pay public key (pub_key.pem)",
            KeyRole::PlatformCertificate => "WeChat Pay platform certificate",
            KeyRole::WechatpayPrivateKey => "WeChat Pay private key",
        })
    }
}

fn public_where_private_hint(role: KeyRole, shape: &KeyShape) -> &'static str {
    match (role, shape.kind) {
        (KeyRole::MerchantPrivateKey, KeyKind::Certificate) => {
            "this is a certificate (probably apiclient_cert.pem, the merchant API certificate); the private key \
             is apiclient_key.pem from the same download (商户API私钥), starting with \"-----BEGIN PRIVATE KEY-----\""
        }
        (KeyRole::MerchantPrivateKey, _) => {
            "this is a public key (probably the WeChat Pay public key pub_key.pem); the merchant API private key \
             is apiclient_key.pem (商户API私钥), starting with \"-----BEGIN PRIVATE KEY-----\""
        }
        _ => "this is a public key or a certificate; a private key belongs here",
    }
}

fn private_where_public_hint(role: KeyRole) -> &'static str {
    match role {
        KeyRole::WechatpayPublicKey => {
            "a private key was pasted where the WeChat Pay public key belongs; download the WeChat Pay public key \
             (微信支付公钥, \"-----BEGIN PUBLIC KEY-----\") from the merchant platform and keep private keys out of \
             this setting"
        }
        _ => "this is a private key; a public key belongs here (never share the private key)",
    }
}

/// Every way loading or checking a key can fail. Messages name the key role and the shape found.
///
/// ```
/// use wechatpay::keys::{KeyError, KeyRole, PrivateKey};
/// let err = PrivateKey::parse("", KeyRole::MerchantPrivateKey).unwrap_err();
/// assert!(matches!(err, KeyError::Empty { .. }));
/// assert!(err.to_string().contains("apiclient_key.pem"));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Nothing was pasted.
    #[error("the {role} is empty: paste the PEM text or point to its file")]
    Empty {
        /// The key that was being loaded.
        role: KeyRole,
    },
    /// Neither PEM nor base64.
    #[error("the {role} could not be read: {reason}")]
    Unreadable {
        /// The key that was being loaded.
        role: KeyRole,
        /// What was wrong with the text.
        reason: String,
    },
    /// A public key or a certificate where a private key belongs.
    #[error("the {role} is {shape}, not a private key: {}", public_where_private_hint(*.role, .shape))]
    PublicWherePrivateBelongs {
        /// The key that was being loaded.
        role: KeyRole,
        /// What was found.
        shape: KeyShape,
    },
    /// A private key where a public key belongs.
    #[error("the {role} is {shape}: {}", private_where_public_hint(*.role))]
    PrivateWherePublicBelongs {
        /// The key that was being loaded.
        role: KeyRole,
        /// What was found.
        shape: KeyShape,
    },
    /// A password-protected private key.
    #[error("the {role} is {shape}: remove the password first (openssl pkcs8 -topk8 -nocrypt)")]
    Encrypted {
        /// The key that was being loaded.
        role: KeyRole,
        /// What was found.
        shape: KeyShape,
    },
    /// Base64 that holds no usable RSA key.
    #[error("the {role} is {shape}: {reason}")]
    Invalid {
        /// The key that was being loaded.
        role: KeyRole,
        /// What was found.
        shape: KeyShape,
        /// Details.
        reason: String,
    },
    /// Not a 2048-bit key.
    #[error(
        "the {role} is {shape} of {bits} bits; WECHATPAY2-SHA256-RSA2048 needs a 2048-bit RSA key"
    )]
    WrongSize {
        /// The key that was being loaded.
        role: KeyRole,
        /// What was found.
        shape: KeyShape,
        /// The modulus size.
        bits: usize,
    },
    /// The key file could not be read.
    #[error("the {role} file {path:?} could not be read: {source}")]
    Io {
        /// The key that was being loaded.
        role: KeyRole,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The "WeChat Pay public key" is the public half of the merchant's own private key.
    #[error(
        "the WeChat Pay public key is the merchant's own public key (the public half of apiclient_key.pem): \
         configure the WeChat Pay public key (微信支付公钥) downloaded from the merchant platform; answers and \
         notifies signed by WeChat Pay would never verify with this key"
    )]
    MerchantKeyAsWechatpayKey,
    /// Key generation failed.
    #[error("generating a 2048-bit RSA key failed: {0}")]
    Generate(String),
}

impl KeyError {
    /// The key this error is about, when there is one.
    ///
    /// ```
    /// use wechatpay::keys::{KeyError, KeyRole};
    /// let e = KeyError::Empty { role: KeyRole::MerchantPrivateKey };
    /// assert_eq!(e.role(), Some(KeyRole::MerchantPrivateKey));
    /// ```
    pub fn role(&self) -> Option<KeyRole> {
        match self {
            KeyError::Empty { role }
            | KeyError::Unreadable { role, .. }
            | KeyError::PublicWherePrivateBelongs { role, .. }
            | KeyError::PrivateWherePublicBelongs { role, .. }
            | KeyError::Encrypted { role, .. }
            | KeyError::Invalid { role, .. }
            | KeyError::WrongSize { role, .. }
            | KeyError::Io { role, .. } => Some(*role),
            KeyError::MerchantKeyAsWechatpayKey => Some(KeyRole::WechatpayPublicKey),
            KeyError::Generate(_) => None,
        }
    }
}

pub(crate) fn read_key_file(path: &Path, role: KeyRole) -> Result<String, KeyError> {
    std::fs::read_to_string(path).map_err(|source| KeyError::Io {
        role,
        path: path.to_path_buf(),
        source,
    })
}

pub(crate) fn decode(text: &str, role: KeyRole) -> Result<shape::Decoded, KeyError> {
    shape::decode(text).map_err(|e| match e {
        shape::Unreadable::Empty => KeyError::Empty { role },
        shape::Unreadable::NotBase64 => KeyError::Unreadable {
            role,
            reason: "it is neither PEM (-----BEGIN ...) nor base64".into(),
        },
        shape::Unreadable::BadPem(reason) => KeyError::Unreadable { role, reason },
    })
}

pub(crate) fn check_bits(bits: usize, role: KeyRole, shape: KeyShape) -> Result<(), KeyError> {
    if bits == RSA_BITS {
        Ok(())
    } else {
        Err(KeyError::WrongSize { role, shape, bits })
    }
}

/// Refuses the most common mix-up: the "WeChat Pay public key" being the merchant's own public key.
///
/// ```no_run
/// use wechatpay::keys::{check_merchant_keys, KeyError, PrivateKey};
/// let merchant = PrivateKey::generate()?;
/// let err = check_merchant_keys(&merchant, &merchant.public_key()).unwrap_err();
/// assert!(matches!(err, KeyError::MerchantKeyAsWechatpayKey));
/// # Ok::<(), KeyError>(())
/// ```
pub fn check_merchant_keys(
    merchant: &PrivateKey,
    wechatpay_public: &PublicKey,
) -> Result<(), KeyError> {
    if merchant.public_key() == *wechatpay_public {
        Err(KeyError::MerchantKeyAsWechatpayKey)
    } else {
        Ok(())
    }
}
