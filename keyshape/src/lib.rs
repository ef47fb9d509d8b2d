//! Recognising the shape of pasted RSA key text: PEM with any label, bare base64 DER or raw DER,
//! any whitespace; and what the DER holds (PKCS#1 or PKCS#8 private key, public key, certificate).
//! Shared by the payment protocol crates (`alipay`, `wechatpay`), which turn its findings into
//! errors that name the key and the likely mix-up.

use base64::Engine as _;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use std::fmt;

/// How the key text was wrapped.
///
/// ```
/// use keyshape::Wrapping;
/// assert_ne!(Wrapping::Pem, Wrapping::BareBase64);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrapping {
    /// `-----BEGIN ...-----` armour.
    Pem,
    /// Single-line (or wrapped) base64 DER without armour, as consoles often show it.
    BareBase64,
    /// Raw DER bytes.
    Der,
}

/// What the DER turned out to be.
///
/// ```
/// use keyshape::{KeyKind, KeyShape, Wrapping};
/// let s = KeyShape { wrapping: Wrapping::BareBase64, kind: KeyKind::SpkiPublic };
/// assert_eq!(s.to_string(), "a public key (SubjectPublicKeyInfo) (bare base64)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// PKCS#1 `RSAPrivateKey`.
    Pkcs1Private,
    /// PKCS#8 `PrivateKeyInfo` (RSA).
    Pkcs8Private,
    /// PKCS#8 with a password (`ENCRYPTED PRIVATE KEY` or a `Proc-Type` header).
    EncryptedPrivate,
    /// X.509 `SubjectPublicKeyInfo` (RSA).
    SpkiPublic,
    /// PKCS#1 `RSAPublicKey`.
    Pkcs1Public,
    /// An X.509 certificate.
    Certificate,
    /// Valid base64, but no RSA key structure we know (or a non-RSA key).
    Unknown,
}

/// The shape found in the text, used in error messages.
///
/// ```
/// use keyshape::{KeyKind, KeyShape, Wrapping};
/// let s = KeyShape { wrapping: Wrapping::Pem, kind: KeyKind::Pkcs8Private };
/// assert_eq!(s.to_string(), "a PKCS#8 private key (PEM)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyShape {
    /// PEM or bare base64.
    pub wrapping: Wrapping,
    /// The structure inside.
    pub kind: KeyKind,
}

impl KeyShape {
    /// True for private-key kinds (encrypted included).
    ///
    /// ```
    /// use keyshape::{KeyKind, KeyShape, Wrapping};
    /// assert!(KeyShape { wrapping: Wrapping::Pem, kind: KeyKind::Pkcs1Private }.is_private());
    /// ```
    pub fn is_private(&self) -> bool {
        matches!(
            self.kind,
            KeyKind::Pkcs1Private | KeyKind::Pkcs8Private | KeyKind::EncryptedPrivate
        )
    }

    /// True for public-key kinds and certificates.
    ///
    /// ```
    /// use keyshape::{KeyKind, KeyShape, Wrapping};
    /// assert!(KeyShape { wrapping: Wrapping::BareBase64, kind: KeyKind::SpkiPublic }.is_public());
    /// ```
    pub fn is_public(&self) -> bool {
        matches!(
            self.kind,
            KeyKind::SpkiPublic | KeyKind::Pkcs1Public | KeyKind::Certificate
        )
    }
}

impl fmt::Display for KeyShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            KeyKind::Pkcs1Private => "a PKCS#1 private key",
            KeyKind::Pkcs8Private => "a PKCS#8 private key",
            KeyKind::EncryptedPrivate => "a password-protected private key",
            KeyKind::SpkiPublic => "a public key (SubjectPublicKeyInfo)",
            KeyKind::Pkcs1Public => "a PKCS#1 public key",
            KeyKind::Certificate => "an X.509 certificate",
            KeyKind::Unknown => "base64 data that is not an RSA key",
        };
        let wrap = match self.wrapping {
            Wrapping::Pem => "PEM",
            Wrapping::BareBase64 => "bare base64",
            Wrapping::Der => "DER",
        };
        write!(f, "{kind} ({wrap})")
    }
}

/// Why text could not even be turned into DER bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// Nothing but whitespace (or quotes).
    Empty,
    /// A `-----BEGIN` armour that is broken (the reason says how).
    BadPem(String),
    /// Neither PEM nor base64.
    NotBase64,
}

/// Decoded key material: the shape and the DER bytes (no `Debug`: they may be a private key).
pub struct Decoded {
    /// How it was wrapped and what it holds.
    pub shape: KeyShape,
    /// The DER bytes.
    pub der: Vec<u8>,
}

fn b64(text: &str) -> Option<Vec<u8>> {
    // Tolerate a literal "\n" pasted from a JSON or .env string, and any whitespace.
    let clean: String = text
        .replace("\\n", "")
        .replace("\\r", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let engine = base64::engine::general_purpose::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    engine
        .decode(clean.as_bytes())
        .ok()
        .filter(|d| !d.is_empty())
}

/// Classifies DER bytes by trying each structure.
pub fn classify(der: &[u8]) -> KeyKind {
    if rsa::PrivateKey::from_pkcs8_der(der).is_ok() {
        KeyKind::Pkcs8Private
    } else if rsa::PrivateKey::from_pkcs1_der(der).is_ok() {
        KeyKind::Pkcs1Private
    } else if rsa::PublicKey::from_public_key_der(der).is_ok() {
        KeyKind::SpkiPublic
    } else if rsa::PublicKey::from_pkcs1_der(der).is_ok() {
        KeyKind::Pkcs1Public
    } else if <x509_cert::Certificate as x509_cert::der::Decode>::from_der(der).is_ok() {
        KeyKind::Certificate
    } else {
        KeyKind::Unknown
    }
}

/// Turns pasted text into DER and names its shape.
pub fn decode(text: &str) -> Result<Decoded, Unreadable> {
    let text =
        text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '\u{feff}'));
    if text.is_empty() {
        return Err(Unreadable::Empty);
    }
    let Some(begin) = text.find("-----BEGIN ") else {
        let der = b64(text).ok_or(Unreadable::NotBase64)?;
        let kind = classify(&der);
        return Ok(Decoded {
            shape: KeyShape {
                wrapping: Wrapping::BareBase64,
                kind,
            },
            der,
        });
    };
    let rest = &text[begin + "-----BEGIN ".len()..];
    let label_end = rest
        .find("-----")
        .ok_or_else(|| Unreadable::BadPem("the BEGIN line is not closed with -----".into()))?;
    let label = &rest[..label_end];
    let body_and_end = &rest[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let body = body_and_end
        .find(&end_marker)
        .map(|i| &body_and_end[..i])
        .ok_or_else(|| Unreadable::BadPem(format!("no matching \"{end_marker}\" line")))?;
    if body.contains("Proc-Type:") || label == "ENCRYPTED PRIVATE KEY" {
        return Ok(Decoded {
            shape: KeyShape {
                wrapping: Wrapping::Pem,
                kind: KeyKind::EncryptedPrivate,
            },
            der: Vec::new(),
        });
    }
    let der = b64(body).ok_or_else(|| Unreadable::BadPem("the body is not base64".into()))?;
    // Trust the structure over the label (labels get edited by hand), but fall back to the label.
    let kind = match classify(&der) {
        KeyKind::Unknown => match label {
            "RSA PRIVATE KEY" | "PRIVATE KEY" | "PUBLIC KEY" | "RSA PUBLIC KEY" | "CERTIFICATE" => {
                KeyKind::Unknown
            }
            other => {
                return Err(Unreadable::BadPem(format!(
                    "unexpected PEM label {other:?}"
                )));
            }
        },
        k => k,
    };
    Ok(Decoded {
        shape: KeyShape {
            wrapping: Wrapping::Pem,
            kind,
        },
        der,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_text_is_named_never_a_panic() {
        for (text, want) in [
            ("", Unreadable::Empty),
            ("  \"\"  \n", Unreadable::Empty),
            ("not a key at all!", Unreadable::NotBase64),
        ] {
            assert_eq!(decode(text).err(), Some(want), "{text:?}");
        }
        assert!(matches!(
            decode("-----BEGIN PRIVATE KEY-----\nAAAA"),
            Err(Unreadable::BadPem(_))
        ));
        assert!(matches!(
            decode("-----BEGIN PRIVATE KEY"),
            Err(Unreadable::BadPem(_))
        ));
    }

    #[test]
    fn base64_that_is_no_key_is_unknown() {
        let d = decode("aGVsbG8gd29ybGQ=").expect("valid base64");
        assert_eq!(d.shape.wrapping, Wrapping::BareBase64);
        assert_eq!(d.shape.kind, KeyKind::Unknown);
        assert!(!d.shape.is_private() && !d.shape.is_public());
        assert_eq!(classify(&[0x30, 0x03, 0x02, 0x01]), KeyKind::Unknown);
    }
}
