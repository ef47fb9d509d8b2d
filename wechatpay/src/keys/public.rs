//! RSA public keys: the WeChat Pay public key, a platform certificate's key, the merchant's public half.

use super::shape::{KeyKind, KeyShape, Wrapping};
use super::{KeyError, KeyRole};
use crate::sign::SignatureError;
use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::{DecodePublicKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use x509_cert::der::{Decode, Encode};

struct Inner {
    spki_der: Vec<u8>,
    key: rsa::PublicKey,
}

/// A 2048-bit RSA public key. Equal when the SubjectPublicKeyInfo bytes are equal.
///
/// ```no_run
/// use wechatpay::keys::{KeyRole, PublicKey};
/// let key = PublicKey::from_file("pub_key.pem".as_ref(), KeyRole::WechatpayPublicKey)?;
/// # Ok::<(), wechatpay::keys::KeyError>(())
/// ```
#[derive(Clone)]
pub struct PublicKey(Arc<Inner>);

impl PartialEq for PublicKey {
    fn eq(&self, other: &PublicKey) -> bool {
        self.0.spki_der == other.0.spki_der
    }
}
impl Eq for PublicKey {}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b64 = base64::engine::general_purpose::STANDARD.encode(&self.0.spki_der);
        let tail = b64.get(b64.len().saturating_sub(12)..).unwrap_or_default();
        write!(f, "PublicKey(RSA-{} …{tail})", self.0.key.size() * 8)
    }
}

impl PublicKey {
    pub(crate) fn from_rsa(key: rsa::PublicKey, role: KeyRole) -> Result<PublicKey, KeyError> {
        let shape = KeyShape {
            wrapping: Wrapping::Der,
            kind: KeyKind::SpkiPublic,
        };
        super::check_bits(key.size() * 8, role, shape)?;
        let spki_der = key
            .to_public_key_der()
            .map_err(|e| KeyError::Invalid {
                role,
                shape,
                reason: e.to_string(),
            })?
            .into_vec();
        Ok(PublicKey(Arc::new(Inner { spki_der, key })))
    }

    /// Parses SPKI (`BEGIN PUBLIC KEY`, as `pub_key.pem`) or PKCS#1 (`BEGIN RSA PUBLIC KEY`), PEM or
    /// bare base64; a certificate's key is accepted too. A private key here is an error that says so.
    ///
    /// ```
    /// use wechatpay::keys::{KeyError, KeyRole, PublicKey};
    /// let err = PublicKey::parse("not a key!", KeyRole::WechatpayPublicKey).unwrap_err();
    /// assert!(err.to_string().contains("WeChat Pay public key"));
    /// ```
    pub fn parse(text: &str, role: KeyRole) -> Result<PublicKey, KeyError> {
        let decoded = super::decode(text, role)?;
        Self::from_decoded(&decoded.der, decoded.shape, role)
    }

    /// Parses DER bytes (SPKI, PKCS#1 or a certificate).
    ///
    /// ```
    /// use wechatpay::keys::{KeyError, KeyRole, PublicKey};
    /// assert!(PublicKey::from_der(&[0x30, 0x00], KeyRole::WechatpayPublicKey).is_err());
    /// ```
    pub fn from_der(der: &[u8], role: KeyRole) -> Result<PublicKey, KeyError> {
        let shape = KeyShape {
            wrapping: Wrapping::Der,
            kind: super::shape::classify(der),
        };
        Self::from_decoded(der, shape, role)
    }

    fn from_decoded(der: &[u8], shape: KeyShape, role: KeyRole) -> Result<PublicKey, KeyError> {
        let invalid = |reason: String| KeyError::Invalid {
            role,
            shape,
            reason,
        };
        let key = match shape.kind {
            KeyKind::SpkiPublic => {
                rsa::PublicKey::from_public_key_der(der).map_err(|e| invalid(e.to_string()))?
            }
            KeyKind::Pkcs1Public => {
                rsa::PublicKey::from_pkcs1_der(der).map_err(|e| invalid(e.to_string()))?
            }
            KeyKind::Certificate => {
                let cert =
                    x509_cert::Certificate::from_der(der).map_err(|e| invalid(e.to_string()))?;
                let spki = cert
                    .tbs_certificate()
                    .subject_public_key_info()
                    .to_der()
                    .map_err(|e| invalid(e.to_string()))?;
                rsa::PublicKey::from_public_key_der(&spki).map_err(|e| invalid(e.to_string()))?
            }
            KeyKind::Pkcs1Private | KeyKind::Pkcs8Private | KeyKind::EncryptedPrivate => {
                return Err(KeyError::PrivateWherePublicBelongs { role, shape });
            }
            KeyKind::Unknown => return Err(invalid("no RSA public key was found in it".into())),
        };
        super::check_bits(key.size() * 8, role, shape)?;
        PublicKey::from_rsa(key, role)
    }

    /// Reads and parses a public key (or certificate) file.
    ///
    /// ```no_run
    /// use wechatpay::keys::{KeyRole, PublicKey};
    /// let key = PublicKey::from_file("pub_key.pem".as_ref(), KeyRole::WechatpayPublicKey)?;
    /// # Ok::<(), wechatpay::keys::KeyError>(())
    /// ```
    pub fn from_file(path: &Path, role: KeyRole) -> Result<PublicKey, KeyError> {
        Self::parse(&super::read_key_file(path, role)?, role)
    }

    /// The key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    ///
    /// ```no_run
    /// let key = wechatpay::keys::PrivateKey::generate()?.public_key();
    /// assert!(key.to_pem().starts_with("-----BEGIN PUBLIC KEY-----"));
    /// # Ok::<(), wechatpay::keys::KeyError>(())
    /// ```
    pub fn to_pem(&self) -> String {
        self.0
            .key
            .to_public_key_pem(LineEnding::LF)
            .unwrap_or_default()
    }

    /// The DER SubjectPublicKeyInfo.
    ///
    /// ```no_run
    /// let key = wechatpay::keys::PrivateKey::generate()?.public_key();
    /// assert_eq!(key.spki_der()[0], 0x30);
    /// # Ok::<(), wechatpay::keys::KeyError>(())
    /// ```
    pub fn spki_der(&self) -> &[u8] {
        &self.0.spki_der
    }

    /// Checks a base64 PKCS#1 v1.5 SHA-256 signature over `message`. A `WECHATPAY/SIGNTEST/` probe,
    /// bad base64 and a mismatch are distinct errors; nothing panics.
    ///
    /// ```no_run
    /// use wechatpay::sign::SignatureError;
    /// let key = wechatpay::keys::PrivateKey::generate()?;
    /// let sig = key.sign_sha256(b"a")?;
    /// assert!(key.public_key().verify_sha256(b"a", &sig).is_ok());
    /// assert_eq!(key.public_key().verify_sha256(b"b", &sig), Err(SignatureError::Mismatch));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_sha256(&self, message: &[u8], signature_b64: &str) -> Result<(), SignatureError> {
        if signature_b64.starts_with(crate::sign::SIGNTEST_PREFIX) {
            return Err(SignatureError::Probe);
        }
        if signature_b64.is_empty() {
            return Err(SignatureError::Empty);
        }
        let sig = base64::engine::general_purpose::STANDARD
            .decode(signature_b64.as_bytes())
            .map_err(|_| SignatureError::BadBase64)?;
        self.0
            .key
            .pkcs1v15_verify::<rsa::sha2::Sha256>(message, &sig)
            .map_err(|_| SignatureError::Mismatch)
    }
}
