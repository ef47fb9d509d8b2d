//! The app private key: parsed once, signs with aws-lc-rs (the fast, constant-time backend).

use super::shape::{KeyKind, KeyShape, Wrapping};
use super::{KeyError, KeyRole, PublicKey};
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
    fast: RsaKeyPair,
    reference: rsa::PrivateKey,
    public: PublicKey,
    rng: SystemRandom,
}

/// An RSA private key (2048 bits or more), cheap to clone.
///
/// ```no_run
/// use alipay::keys::{KeyRole, PrivateKey};
/// let key = PrivateKey::parse(&std::fs::read_to_string("app_private_key.txt")?, KeyRole::AppPrivateKey)?;
/// let sign = key.sign_rsa2(b"a=1&b=2")?;
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
    /// Parses a private key in any shape: PKCS#1 or PKCS#8, PEM or bare base64, any whitespace.
    ///
    /// ```
    /// use alipay::keys::{KeyError, KeyRole, PrivateKey};
    /// // A public key where the private key belongs is named as such:
    /// let alipay_pub = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA";
    /// assert!(PrivateKey::parse(alipay_pub, KeyRole::AppPrivateKey).is_err());
    /// ```
    pub fn parse(text: &str, role: KeyRole) -> Result<PrivateKey, KeyError> {
        let decoded = super::decode(text, role)?;
        let shape = decoded.shape;
        let reference = match shape.kind {
            KeyKind::Pkcs8Private => {
                rsa::PrivateKey::from_pkcs8_der(&decoded.der).map_err(|e| e.to_string())
            }
            KeyKind::Pkcs1Private => {
                rsa::PrivateKey::from_pkcs1_der(&decoded.der).map_err(|e| e.to_string())
            }
            KeyKind::EncryptedPrivate => return Err(KeyError::Encrypted { role, shape }),
            KeyKind::SpkiPublic | KeyKind::Pkcs1Public | KeyKind::Certificate => {
                return Err(KeyError::PublicWherePrivateBelongs { role, shape });
            }
            KeyKind::Unknown => {
                return Err(KeyError::Invalid {
                    role,
                    shape,
                    reason: "no RSA private key in PKCS#1 or PKCS#8 form was found in it".into(),
                });
            }
        }
        .map_err(|reason| KeyError::Invalid {
            role,
            shape,
            reason,
        })?;
        Self::from_reference(reference, role, shape)
    }

    fn from_reference(
        reference: rsa::PrivateKey,
        role: KeyRole,
        shape: KeyShape,
    ) -> Result<PrivateKey, KeyError> {
        let bits = reference.size() * 8;
        if bits < 2048 {
            return Err(KeyError::TooSmall { role, shape, bits });
        }
        let invalid = |reason: String| KeyError::Invalid {
            role,
            shape,
            reason,
        };
        let pkcs8 = reference
            .to_pkcs8_der()
            .map_err(|e| invalid(e.to_string()))?;
        let fast = RsaKeyPair::from_pkcs8(pkcs8.as_bytes()).map_err(|e| invalid(e.to_string()))?;
        let public = PublicKey::from_rsa(reference.to_public_key(), role)
            .map_err(|e| invalid(e.to_string()))?;
        Ok(PrivateKey(Arc::new(Inner {
            fast,
            reference,
            public,
            rng: SystemRandom::new(),
        })))
    }

    /// Reads and parses a private key file (any shape).
    ///
    /// ```no_run
    /// use alipay::keys::{KeyRole, PrivateKey};
    /// let key = PrivateKey::from_file("keys/app.txt".as_ref(), KeyRole::AppPrivateKey)?;
    /// # Ok::<(), alipay::keys::KeyError>(())
    /// ```
    pub fn from_file(path: &Path, role: KeyRole) -> Result<PrivateKey, KeyError> {
        Self::parse(&super::read_key_file(path, role)?, role)
    }

    /// Generates a fresh 2048-bit key pair (development and tests; takes a moment).
    ///
    /// ```no_run
    /// let key = alipay::keys::PrivateKey::generate()?;
    /// println!("{}", key.public_key().to_base64_spki());
    /// # Ok::<(), alipay::keys::KeyError>(())
    /// ```
    pub fn generate() -> Result<PrivateKey, KeyError> {
        let mut rng = getrandom::SysRng;
        let key =
            rsa::PrivateKey::new(&mut rng, 2048).map_err(|e| KeyError::Generate(e.to_string()))?;
        let shape = KeyShape {
            wrapping: Wrapping::Pem,
            kind: KeyKind::Pkcs8Private,
        };
        Self::from_reference(key, KeyRole::AppPrivateKey, shape)
    }

    /// The key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    ///
    /// ```no_run
    /// let key = alipay::keys::PrivateKey::generate()?;
    /// assert!(key.to_pkcs8_pem().starts_with("-----BEGIN PRIVATE KEY-----"));
    /// # Ok::<(), alipay::keys::KeyError>(())
    /// ```
    pub fn to_pkcs8_pem(&self) -> String {
        self.0
            .reference
            .to_pkcs8_pem(LineEnding::LF)
            .map(|p| p.to_string())
            .unwrap_or_default()
    }

    /// The public half.
    ///
    /// ```no_run
    /// let key = alipay::keys::PrivateKey::generate()?;
    /// assert!(key.public_key().to_base64_spki().starts_with("MIIBIjAN"));
    /// # Ok::<(), alipay::keys::KeyError>(())
    /// ```
    pub fn public_key(&self) -> PublicKey {
        self.0.public.clone()
    }

    /// RSA2: PKCS#1 v1.5 over SHA-256 with aws-lc-rs, standard base64 without newlines.
    ///
    /// ```no_run
    /// use alipay::sign::SignType;
    /// let key = alipay::keys::PrivateKey::generate()?;
    /// let sign = key.sign_rsa2(b"a=1")?;
    /// assert!(key.public_key().verify(b"a=1", &sign, SignType::Rsa2).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// A failure is an error, never an empty or a differently computed signature: there is no
    /// fallback to another implementation.
    pub fn sign_rsa2(&self, message: &[u8]) -> Result<String, crate::sign::SignError> {
        let mut sig = vec![0u8; self.0.fast.public_modulus_len()];
        self.0
            .fast
            .sign(&RSA_PKCS1_SHA256, &self.0.rng, message, &mut sig)
            .map_err(|_| crate::sign::SignError::Signing)?;
        Ok(base64::engine::general_purpose::STANDARD.encode(sig))
    }

    /// RSA2 with the pure-Rust `rsa` crate: the second implementation (cross-checks, benchmarks).
    /// PKCS#1 v1.5 is deterministic, so this equals [`PrivateKey::sign_rsa2`] byte for byte.
    ///
    /// ```no_run
    /// let key = alipay::keys::PrivateKey::generate()?;
    /// assert_eq!(key.sign_rsa2(b"x").unwrap(), key.sign_rsa2_reference(b"x"));
    /// # Ok::<(), alipay::keys::KeyError>(())
    /// ```
    pub fn sign_rsa2_reference(&self, message: &[u8]) -> String {
        self.0
            .reference
            .pkcs1v15_sign::<rsa::sha2::Sha256>(message)
            .map(|s| base64::engine::general_purpose::STANDARD.encode(s))
            .unwrap_or_default()
    }

    /// Legacy RSA (PKCS#1 v1.5 over SHA-1), for a sandbox gateway that must answer `sign_type=RSA`.
    ///
    /// ```no_run
    /// use alipay::sign::SignType;
    /// let key = alipay::keys::PrivateKey::generate()?;
    /// let sign = key.sign_rsa_sha1(b"a=1");
    /// assert!(key.public_key().verify(b"a=1", &sign, SignType::Rsa).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign_rsa_sha1(&self, message: &[u8]) -> String {
        self.0
            .reference
            .pkcs1v15_sign::<sha1::Sha1>(message)
            .map(|s| base64::engine::general_purpose::STANDARD.encode(s))
            .unwrap_or_default()
    }
}
