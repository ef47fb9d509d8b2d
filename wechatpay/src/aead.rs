//! `AEAD_AES_256_GCM` resources: the 32-byte APIv3 key, a 12-byte nonce, the associated data, and
//! base64 ciphertext whose last 16 bytes are the tag.
//!
//! ```
//! use wechatpay::aead::ApiV3Key;
//! let key = ApiV3Key::new("0123456789abcdef0123456789ABCDEF")?;
//! let ciphertext = key.encrypt("abcdefghijkl", b"transaction", b"{}")?;
//! assert_eq!(key.decrypt("abcdefghijkl", "transaction", &ciphertext)?, b"{}");
//! # Ok::<(), wechatpay::aead::AeadError>(())
//! ```

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use std::fmt;

/// The only algorithm WeChat Pay uses for resources.
pub const ALGORITHM: &str = "AEAD_AES_256_GCM";

/// Why a resource could not be decrypted (or encrypted).
///
/// ```
/// use wechatpay::aead::{AeadError, ApiV3Key};
/// assert_eq!(ApiV3Key::new("short").unwrap_err(), AeadError::KeyLength(5));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AeadError {
    /// The APIv3 key is not 32 bytes.
    #[error(
        "the APIv3 key is {0} bytes; it must be the 32 characters set in the merchant platform"
    )]
    KeyLength(usize),
    /// The nonce is not 12 bytes.
    #[error("the resource nonce is {0} bytes; AEAD_AES_256_GCM needs 12")]
    NonceLength(usize),
    /// The ciphertext is not standard base64.
    #[error("the resource ciphertext is not valid base64")]
    BadBase64,
    /// Shorter than the 16-byte tag.
    #[error("the resource ciphertext is {0} bytes, shorter than the 16-byte tag")]
    TooShort(usize),
    /// The tag did not verify: wrong APIv3 key, tampered ciphertext, nonce or associated data.
    #[error(
        "the resource did not decrypt: wrong APIv3 key, or a tampered ciphertext, nonce or associated data"
    )]
    Tag,
    /// The operating system's random generator failed: no nonce, so nothing is encrypted.
    #[error("no random nonce: the operating system's random generator failed")]
    Random(#[source] getrandom::Error),
}

/// The 32-byte APIv3 key, used as raw bytes (never decoded). `Debug` never shows it.
///
/// ```
/// let key = wechatpay::aead::ApiV3Key::new("0123456789abcdef0123456789ABCDEF").unwrap();
/// assert_eq!(format!("{key:?}"), "ApiV3Key(<redacted>)");
/// ```
#[derive(Clone)]
pub struct ApiV3Key([u8; 32]);

impl fmt::Debug for ApiV3Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiV3Key(<redacted>)")
    }
}

impl ApiV3Key {
    /// Takes the key text as configured (32 characters, used as its UTF-8 bytes).
    ///
    /// ```
    /// assert!(wechatpay::aead::ApiV3Key::new("0123456789abcdef0123456789ABCDEF").is_ok());
    /// assert!(wechatpay::aead::ApiV3Key::new("").is_err());
    /// ```
    pub fn new(key: &str) -> Result<ApiV3Key, AeadError> {
        let bytes: [u8; 32] = key
            .as_bytes()
            .try_into()
            .map_err(|_| AeadError::KeyLength(key.len()))?;
        Ok(ApiV3Key(bytes))
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&self.0.into())
    }

    /// Decrypts a resource: `nonce` and `associated_data` as sent, `ciphertext_b64` with its tag.
    ///
    /// ```
    /// let key = wechatpay::aead::ApiV3Key::new("0123456789abcdef0123456789ABCDEF").unwrap();
    /// assert!(key.decrypt("abcdefghijkl", "transaction", "AAAA").is_err());
    /// ```
    pub fn decrypt(
        &self,
        nonce: &str,
        associated_data: &str,
        ciphertext_b64: &str,
    ) -> Result<Vec<u8>, AeadError> {
        let nonce = nonce_of(nonce)?;
        let data = base64::engine::general_purpose::STANDARD
            .decode(ciphertext_b64.as_bytes())
            .map_err(|_| AeadError::BadBase64)?;
        if data.len() < 16 {
            return Err(AeadError::TooShort(data.len()));
        }
        self.cipher()
            .decrypt(
                &nonce,
                Payload {
                    msg: &data,
                    aad: associated_data.as_bytes(),
                },
            )
            .map_err(|_| AeadError::Tag)
    }

    /// Encrypts a resource as WeChat Pay does (a local gateway producing notifications): base64 of
    /// ciphertext followed by the tag. `nonce` must be 12 bytes and never reused with the same key.
    ///
    /// ```
    /// let key = wechatpay::aead::ApiV3Key::new("0123456789abcdef0123456789ABCDEF").unwrap();
    /// assert!(key.encrypt("too short", b"", b"x").is_err());
    /// ```
    pub fn encrypt(
        &self,
        nonce: &str,
        associated_data: &[u8],
        plaintext: &[u8],
    ) -> Result<String, AeadError> {
        let nonce = nonce_of(nonce)?;
        let sealed = self
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: associated_data,
                },
            )
            .map_err(|_| AeadError::Tag)?;
        Ok(base64::engine::general_purpose::STANDARD.encode(sealed))
    }
}

fn nonce_of(nonce: &str) -> Result<Nonce<aes_gcm::aead::consts::U12>, AeadError> {
    let bytes: [u8; 12] = nonce
        .as_bytes()
        .try_into()
        .map_err(|_| AeadError::NonceLength(nonce.len()))?;
    Ok(bytes.into())
}

/// 12 random alphanumeric characters for a resource nonce (a local gateway's notifications), each
/// drawn without bias (bytes of 248 and above are drawn again); an error, never a weaker nonce,
/// when the random generator fails.
///
/// ```
/// let n = wechatpay::aead::random_resource_nonce()?;
/// assert_eq!(n.len(), 12);
/// assert!(n.bytes().all(|b| b.is_ascii_alphanumeric()));
/// # Ok::<(), wechatpay::aead::AeadError>(())
/// ```
pub fn random_resource_nonce() -> Result<String, AeadError> {
    const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut out = String::with_capacity(12);
    while out.len() < 12 {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(AeadError::Random)?;
        out.extend(
            bytes
                .iter()
                .filter(|&&b| b < 248)
                .take(12 - out.len())
                .map(|&b| ALPHABET[usize::from(b % 62)] as char),
        );
    }
    Ok(out)
}
