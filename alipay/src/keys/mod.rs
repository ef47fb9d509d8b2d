//! RSA keys in every shape people paste, with errors that name the key and the likely mix-up.
//!
//! ```no_run
//! use alipay::keys::{check_merchant_keys, KeyRole, PrivateKey, PublicKey};
//! let app = PrivateKey::from_file("app_private_key.txt".as_ref(), KeyRole::AppPrivateKey)?;
//! let alipay = PublicKey::from_file("alipay_public_key.txt".as_ref(), KeyRole::AlipayPublicKey)?;
//! check_merchant_keys(&app, &alipay)?;
//! # Ok::<(), alipay::keys::KeyError>(())
//! ```

mod private;
mod public;
use keyshape as shape;

pub use private::PrivateKey;
pub use public::PublicKey;
pub use shape::{KeyKind, KeyShape, Wrapping};

use std::fmt;
use std::path::{Path, PathBuf};

/// Which key a piece of text was supposed to be; named in every error.
///
/// ```
/// use alipay::keys::KeyRole;
/// assert_eq!(KeyRole::AlipayPublicKey.to_string(), "Alipay public key");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyRole {
    /// The merchant's own private key (signs requests).
    AppPrivateKey,
    /// Alipay's public key (verifies notifies, returns and answers).
    AlipayPublicKey,
    /// The public half of the app private key (uploaded to Alipay).
    AppPublicKey,
    /// Alipay's private key: only a local sandbox gateway has one.
    AlipayPrivateKey,
}

impl fmt::Display for KeyRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyRole::AppPrivateKey => "app private key",
            KeyRole::AlipayPublicKey => "Alipay public key",
            KeyRole::AppPublicKey => "app public key",
            KeyRole::AlipayPrivateKey => "Alipay private key",
        })
    }
}

fn public_where_private_hint(role: KeyRole) -> &'static str {
    match role {
        KeyRole::AppPrivateKey => {
            "this is a public key (probably the app public key or the Alipay public key); the app private key is \
             the other file Alipay's key tool wrote (应用私钥), starting with \"MIIEv\" or \"-----BEGIN\""
        }
        _ => "this is a public key; a private key belongs here",
    }
}

fn private_where_public_hint(role: KeyRole) -> &'static str {
    match role {
        KeyRole::AlipayPublicKey => {
            "a private key was pasted where the Alipay public key belongs; copy the \"Alipay public key\" \
             (支付宝公钥) from the Alipay open platform console instead: a single base64 line starting with \
             \"MIIBIjAN\" (and keep private keys out of this setting)"
        }
        _ => "this is a private key; a public key belongs here (never share the private key)",
    }
}

/// Every way loading or checking a key can fail. Messages name the key role and the shape found.
///
/// ```
/// use alipay::keys::{KeyError, KeyRole, PrivateKey};
/// let err = PrivateKey::parse("", KeyRole::AppPrivateKey).unwrap_err();
/// assert!(err.to_string().contains("app private key"));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Nothing was pasted.
    #[error(
        "the {role} is empty: paste the key (PEM or the single base64 line) or point to its file"
    )]
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
    /// A public key (or certificate) where a private key belongs.
    #[error("the {role} is {shape}, not a private key: {}", public_where_private_hint(*.role))]
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
    /// Shorter than 2048 bits.
    #[error("the {role} is {shape} of {bits} bits; Alipay RSA2 needs a 2048-bit key")]
    TooSmall {
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
    /// The "Alipay public key" is the public half of the app's own private key.
    #[error(
        "the Alipay public key is the app's own public key (it is the public half of the app private key): \
         configure the \"Alipay public key\" (支付宝公钥) shown next to your app public key in the Alipay open \
         platform console; notifies signed by Alipay would never verify with this key"
    )]
    AppPublicKeyAsAlipayPublicKey,
    /// Key generation failed.
    #[error("generating a 2048-bit RSA key failed: {0}")]
    Generate(String),
}

impl KeyError {
    /// The key this error is about, when there is one.
    ///
    /// ```
    /// use alipay::keys::{KeyError, KeyRole};
    /// assert_eq!(KeyError::Empty { role: KeyRole::AppPrivateKey }.role(), Some(KeyRole::AppPrivateKey));
    /// ```
    pub fn role(&self) -> Option<KeyRole> {
        match self {
            KeyError::Empty { role }
            | KeyError::Unreadable { role, .. }
            | KeyError::PublicWherePrivateBelongs { role, .. }
            | KeyError::PrivateWherePublicBelongs { role, .. }
            | KeyError::Encrypted { role, .. }
            | KeyError::Invalid { role, .. }
            | KeyError::TooSmall { role, .. }
            | KeyError::Io { role, .. } => Some(*role),
            KeyError::AppPublicKeyAsAlipayPublicKey => Some(KeyRole::AlipayPublicKey),
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

/// Checks the pair a merchant configured: errors plainly if the "Alipay public key" is the app's own
/// public key (the most common mix-up in every SDK's issue tracker).
///
/// ```no_run
/// use alipay::keys::{check_merchant_keys, KeyError, PrivateKey};
/// let app = PrivateKey::generate()?;
/// let err = check_merchant_keys(&app, &app.public_key()).unwrap_err();
/// assert!(matches!(err, KeyError::AppPublicKeyAsAlipayPublicKey));
/// # Ok::<(), KeyError>(())
/// ```
pub fn check_merchant_keys(
    app_private: &PrivateKey,
    alipay_public: &PublicKey,
) -> Result<(), KeyError> {
    if app_private.public_key() == *alipay_public {
        Err(KeyError::AppPublicKeyAsAlipayPublicKey)
    } else {
        Ok(())
    }
}
