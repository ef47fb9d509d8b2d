//! RSA public keys: the Alipay public key verifies with aws-lc-rs, parsed once.

use super::shape::{KeyKind, KeyShape};
use super::{KeyError, KeyRole};
use crate::sign::{SignError, SignType};
use aws_lc_rs::signature::{
    ParsedPublicKey, RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY, RSA_PKCS1_2048_8192_SHA256,
};
use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::{DecodePublicKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

struct Inner {
    spki_der: Vec<u8>,
    reference: rsa::PublicKey,
    sha256: ParsedPublicKey,
    sha1: ParsedPublicKey,
}

/// An RSA public key (2048 bits or more). Equal when modulus and exponent are equal.
///
/// ```no_run
/// use alipay::keys::{KeyRole, PublicKey};
/// let key = PublicKey::parse("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...", KeyRole::AlipayPublicKey)?;
/// # Ok::<(), alipay::keys::KeyError>(())
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
        let b64 = self.to_base64_spki();
        let tail = b64.get(b64.len().saturating_sub(12)..).unwrap_or_default();
        write!(f, "PublicKey(RSA-{} …{tail})", self.0.reference.size() * 8)
    }
}

impl PublicKey {
    pub(crate) fn from_rsa(
        reference: rsa::PublicKey,
        role: KeyRole,
    ) -> Result<PublicKey, KeyError> {
        let shape = KeyShape {
            wrapping: super::Wrapping::BareBase64,
            kind: KeyKind::SpkiPublic,
        };
        let invalid = |reason: String| KeyError::Invalid {
            role,
            shape,
            reason,
        };
        let bits = reference.size() * 8;
        if bits < 2048 {
            return Err(KeyError::TooSmall { role, shape, bits });
        }
        let spki_der = reference
            .to_public_key_der()
            .map_err(|e| invalid(e.to_string()))?
            .into_vec();
        let sha256 = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &spki_der)
            .map_err(|e| invalid(e.to_string()))?;
        let sha1 = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY, &spki_der)
            .map_err(|e| invalid(e.to_string()))?;
        Ok(PublicKey(Arc::new(Inner {
            spki_der,
            reference,
            sha256,
            sha1,
        })))
    }

    /// Parses a public key in any shape: SPKI or PKCS#1, PEM or bare base64 (`MIIBIjAN...`), any
    /// whitespace; an X.509 certificate's key is accepted too. A private key here is an error that says so.
    ///
    /// ```
    /// use alipay::keys::{KeyError, KeyRole, PublicKey};
    /// let err = PublicKey::parse("not a key!", KeyRole::AlipayPublicKey).unwrap_err();
    /// assert!(err.to_string().contains("Alipay public key"));
    /// ```
    pub fn parse(text: &str, role: KeyRole) -> Result<PublicKey, KeyError> {
        let decoded = super::decode(text, role)?;
        let shape = decoded.shape;
        let invalid = |reason: String| KeyError::Invalid {
            role,
            shape,
            reason,
        };
        let reference = match shape.kind {
            KeyKind::SpkiPublic => rsa::PublicKey::from_public_key_der(&decoded.der)
                .map_err(|e| invalid(e.to_string()))?,
            KeyKind::Pkcs1Public => {
                rsa::PublicKey::from_pkcs1_der(&decoded.der).map_err(|e| invalid(e.to_string()))?
            }
            KeyKind::Certificate => {
                let spki = crate::cert::spki_der_of_cert(&decoded.der)
                    .map_err(|e| invalid(e.to_string()))?;
                rsa::PublicKey::from_public_key_der(&spki).map_err(|e| invalid(e.to_string()))?
            }
            KeyKind::Pkcs1Private | KeyKind::Pkcs8Private | KeyKind::EncryptedPrivate => {
                return Err(KeyError::PrivateWherePublicBelongs { role, shape });
            }
            KeyKind::Unknown => return Err(invalid("no RSA public key was found in it".into())),
        };
        PublicKey::from_rsa(reference, role).map_err(|e| match e {
            KeyError::TooSmall { bits, .. } => KeyError::TooSmall { role, shape, bits },
            KeyError::Invalid { reason, .. } => KeyError::Invalid {
                role,
                shape,
                reason,
            },
            other => other,
        })
    }

    /// Reads and parses a public key (or certificate) file.
    ///
    /// ```no_run
    /// use alipay::keys::{KeyRole, PublicKey};
    /// let key = PublicKey::from_file("keys/alipay_public.txt".as_ref(), KeyRole::AlipayPublicKey)?;
    /// # Ok::<(), alipay::keys::KeyError>(())
    /// ```
    pub fn from_file(path: &Path, role: KeyRole) -> Result<PublicKey, KeyError> {
        Self::parse(&super::read_key_file(path, role)?, role)
    }

    /// The single-line bare base64 SubjectPublicKeyInfo Alipay's console shows (`MIIBIjAN...`).
    ///
    /// ```no_run
    /// let key = alipay::keys::PrivateKey::generate()?.public_key();
    /// assert!(key.to_base64_spki().starts_with("MIIBIjAN"));
    /// # Ok::<(), alipay::keys::KeyError>(())
    /// ```
    pub fn to_base64_spki(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.0.spki_der)
    }

    /// SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    ///
    /// ```no_run
    /// let key = alipay::keys::PrivateKey::generate()?.public_key();
    /// assert!(key.to_pem().starts_with("-----BEGIN PUBLIC KEY-----"));
    /// # Ok::<(), alipay::keys::KeyError>(())
    /// ```
    pub fn to_pem(&self) -> String {
        self.0
            .reference
            .to_public_key_pem(LineEnding::LF)
            .unwrap_or_default()
    }

    /// The DER SubjectPublicKeyInfo.
    ///
    /// ```no_run
    /// let key = alipay::keys::PrivateKey::generate()?.public_key();
    /// assert_eq!(key.spki_der()[0], 0x30);
    /// # Ok::<(), alipay::keys::KeyError>(())
    /// ```
    pub fn spki_der(&self) -> &[u8] {
        &self.0.spki_der
    }

    /// Verifies a base64 signature with aws-lc-rs: RSA2 (SHA-256) or legacy RSA (SHA-1).
    ///
    /// ```no_run
    /// use alipay::sign::SignType;
    /// let key = alipay::keys::PrivateKey::generate()?;
    /// let sign = key.sign_rsa2(b"a=1")?;
    /// assert!(key.public_key().verify(b"a=1", &sign, SignType::Rsa2).is_ok());
    /// assert!(key.public_key().verify(b"a=2", &sign, SignType::Rsa2).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify(
        &self,
        message: &[u8],
        sign_b64: &str,
        sign_type: SignType,
    ) -> Result<(), SignError> {
        let sig = decode_sign(sign_b64)?;
        let key = match sign_type {
            SignType::Rsa2 => &self.0.sha256,
            SignType::Rsa => &self.0.sha1,
        };
        key.verify_sig(message, &sig).map_err(|_| bad(message))
    }

    /// The same check with the pure-Rust `rsa` crate (cross-checks and benchmarks).
    ///
    /// ```no_run
    /// use alipay::sign::SignType;
    /// let key = alipay::keys::PrivateKey::generate()?;
    /// let sign = key.sign_rsa2(b"a=1")?;
    /// assert!(key.public_key().verify_reference(b"a=1", &sign, SignType::Rsa2).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_reference(
        &self,
        message: &[u8],
        sign_b64: &str,
        sign_type: SignType,
    ) -> Result<(), SignError> {
        let sig = decode_sign(sign_b64)?;
        let r = match sign_type {
            SignType::Rsa2 => self
                .0
                .reference
                .pkcs1v15_verify::<rsa::sha2::Sha256>(message, &sig),
            SignType::Rsa => self
                .0
                .reference
                .pkcs1v15_verify::<sha1::Sha1>(message, &sig),
        };
        r.map_err(|_| bad(message))
    }
}

fn bad(message: &[u8]) -> SignError {
    SignError::BadSignature {
        signed_string: String::from_utf8_lossy(message).into_owned(),
    }
}

fn decode_sign(sign_b64: &str) -> Result<Vec<u8>, SignError> {
    if sign_b64.is_empty() {
        return Err(SignError::MissingSign);
    }
    // Signatures are sometimes wrapped at 64 or 76 columns; newlines are never part of the value.
    let clean: String = sign_b64
        .chars()
        .filter(|c| !matches!(c, '\r' | '\n'))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(clean.as_bytes())
        .map_err(|_| SignError::BadBase64)
}
