//! The merchant API private key (or, in a local gateway, WeChat Pay's): parsed once, signs
//! `SHA256-RSA2048` (PKCS#1 v1.5 over SHA-256) with aws-lc-rs, whose private-key operations run in
//! constant time (the pure-Rust `rsa` crate's do not: RUSTSEC-2023-0071); `rsa` only parses.

use super::shape::{KeyKind, KeyShape, Wrapping};
use super::{KeyError, KeyRole, PublicKey};
use crate::sign::SignError;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

struct Inner {
    key: rsa::PrivateKey,
    signer: RsaKeyPair,
    public: PublicKey,
    rng: SystemRandom,
}

/// A 2048-bit RSA private key, cheap to clone. `Debug` shows only the public half.
///
/// ```no_run
/// use wechatpay::keys::{KeyRole, PrivateKey};
/// let key = PrivateKey::from_file("apiclient_key.pem".as_ref(), KeyRole::MerchantPrivateKey)?;
/// let signature = key.sign_sha256(b"GET\n/v3/certificates\n1554208460\nN\n\n")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct PrivateKey(Arc<Inner>);

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("public", &self.0.public)
            .finish_non_exhaustive()
    }
}

impl PrivateKey {
    /// Parses PKCS#8 (`BEGIN PRIVATE KEY`, as `apiclient_key.pem`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`),
    /// PEM or bare base64, any whitespace.
    ///
    /// ```
    /// use wechatpay::keys::{KeyError, KeyRole, PrivateKey};
    /// let public = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----";
    /// assert!(PrivateKey::parse(public, KeyRole::MerchantPrivateKey).is_err());
    /// ```
    pub fn parse(text: &str, role: KeyRole) -> Result<PrivateKey, KeyError> {
        let decoded = super::decode(text, role)?;
        Self::from_decoded(&decoded.der, decoded.shape, role)
    }

    /// Parses DER bytes (PKCS#8 or PKCS#1).
    ///
    /// ```
    /// use wechatpay::keys::{KeyError, KeyRole, PrivateKey};
    /// let err = PrivateKey::from_der(b"\x30\x03\x02\x01\x00", KeyRole::MerchantPrivateKey).unwrap_err();
    /// assert!(matches!(err, KeyError::Invalid { .. }));
    /// ```
    pub fn from_der(der: &[u8], role: KeyRole) -> Result<PrivateKey, KeyError> {
        let shape = KeyShape {
            wrapping: Wrapping::Der,
            kind: super::shape::classify(der),
        };
        Self::from_decoded(der, shape, role)
    }

    fn from_decoded(der: &[u8], shape: KeyShape, role: KeyRole) -> Result<PrivateKey, KeyError> {
        let invalid = |reason: String| KeyError::Invalid {
            role,
            shape,
            reason,
        };
        let key = match shape.kind {
            KeyKind::Pkcs8Private => {
                rsa::PrivateKey::from_pkcs8_der(der).map_err(|e| invalid(e.to_string()))?
            }
            KeyKind::Pkcs1Private => {
                rsa::PrivateKey::from_pkcs1_der(der).map_err(|e| invalid(e.to_string()))?
            }
            KeyKind::EncryptedPrivate => return Err(KeyError::Encrypted { role, shape }),
            KeyKind::SpkiPublic | KeyKind::Pkcs1Public | KeyKind::Certificate => {
                return Err(KeyError::PublicWherePrivateBelongs { role, shape });
            }
            KeyKind::Unknown => {
                return Err(invalid(
                    "no RSA private key in PKCS#8 or PKCS#1 form was found in it".into(),
                ));
            }
        };
        Self::from_rsa(key, role, shape)
    }

    fn from_rsa(
        key: rsa::PrivateKey,
        role: KeyRole,
        shape: KeyShape,
    ) -> Result<PrivateKey, KeyError> {
        super::check_bits(key.size() * 8, role, shape)?;
        let invalid = |reason: String| KeyError::Invalid {
            role,
            shape,
            reason,
        };
        let pkcs8 = key.to_pkcs8_der().map_err(|e| invalid(e.to_string()))?;
        let signer =
            RsaKeyPair::from_pkcs8(pkcs8.as_bytes()).map_err(|e| invalid(e.to_string()))?;
        let public = PublicKey::from_rsa(key.to_public_key(), role)?;
        Ok(PrivateKey(Arc::new(Inner {
            key,
            signer,
            public,
            rng: SystemRandom::new(),
        })))
    }

    /// Reads and parses a private key file.
    ///
    /// ```no_run
    /// use wechatpay::keys::{KeyRole, PrivateKey};
    /// let key = PrivateKey::from_file("apiclient_key.pem".as_ref(), KeyRole::MerchantPrivateKey)?;
    /// # Ok::<(), wechatpay::keys::KeyError>(())
    /// ```
    pub fn from_file(path: &Path, role: KeyRole) -> Result<PrivateKey, KeyError> {
        Self::parse(&super::read_key_file(path, role)?, role)
    }

    /// Generates a fresh 2048-bit key (a local gateway's own key; tests).
    ///
    /// ```no_run
    /// let key = wechatpay::keys::PrivateKey::generate()?;
    /// assert!(key.to_pkcs8_pem().starts_with("-----BEGIN PRIVATE KEY-----"));
    /// # Ok::<(), wechatpay::keys::KeyError>(())
    /// ```
    pub fn generate() -> Result<PrivateKey, KeyError> {
        let mut rng = getrandom::SysRng;
        let key = rsa::PrivateKey::new(&mut rng, super::RSA_BITS)
            .map_err(|e| KeyError::Generate(e.to_string()))?;
        let shape = KeyShape {
            wrapping: Wrapping::Pem,
            kind: KeyKind::Pkcs8Private,
        };
        Self::from_rsa(key, KeyRole::WechatpayPrivateKey, shape)
    }

    /// The key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`): secret, never log it.
    ///
    /// ```no_run
    /// let key = wechatpay::keys::PrivateKey::generate()?;
    /// assert!(key.to_pkcs8_pem().ends_with("-----END PRIVATE KEY-----\n"));
    /// # Ok::<(), wechatpay::keys::KeyError>(())
    /// ```
    pub fn to_pkcs8_pem(&self) -> String {
        self.0
            .key
            .to_pkcs8_pem(LineEnding::LF)
            .map(|p| p.to_string())
            .unwrap_or_default()
    }

    /// The public half.
    ///
    /// ```no_run
    /// let key = wechatpay::keys::PrivateKey::generate()?;
    /// assert!(key.public_key().to_pem().starts_with("-----BEGIN PUBLIC KEY-----"));
    /// # Ok::<(), wechatpay::keys::KeyError>(())
    /// ```
    pub fn public_key(&self) -> PublicKey {
        self.0.public.clone()
    }

    /// PKCS#1 v1.5 over SHA-256 of `message`, standard base64 with padding (344 characters).
    /// Deterministic: the same key and message always give the same signature.
    ///
    /// ```no_run
    /// let key = wechatpay::keys::PrivateKey::generate()?;
    /// let sig = key.sign_sha256(b"1554208460\nNONCE\n{}\n")?;
    /// assert_eq!(sig.len(), 344);
    /// assert!(key.public_key().verify_sha256(b"1554208460\nNONCE\n{}\n", &sig).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign_sha256(&self, message: &[u8]) -> Result<String, SignError> {
        let mut sig = vec![0u8; self.0.signer.public_modulus_len()];
        self.0
            .signer
            .sign(&RSA_PKCS1_SHA256, &self.0.rng, message, &mut sig)
            .map_err(SignError::Signing)?;
        Ok(base64::engine::general_purpose::STANDARD.encode(sig))
    }
}
