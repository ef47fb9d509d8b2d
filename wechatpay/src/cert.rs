//! Platform-certificate mode: a WeChat Pay platform certificate's serial, validity and public key.
//!
//! ```no_run
//! use wechatpay::cert::PlatformCertificate;
//! let cert = PlatformCertificate::parse_pem(&std::fs::read_to_string("wechatpay_platform.pem")?)?;
//! println!("{} valid until {}", cert.serial_no, cert.not_after);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::keys::{KeyError, KeyKind, KeyRole, PublicKey};
use chrono::{DateTime, Utc};
use x509_cert::Certificate;
use x509_cert::der::{Decode, DecodePem};

/// A platform certificate: what `Wechatpay-Serial` names and the key that verifies under it.
///
/// ```no_run
/// # let cert: wechatpay::cert::PlatformCertificate = unimplemented!();
/// let verifier = wechatpay::verify::Verifier::default().with_certificate(cert);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformCertificate {
    /// The serial as uppercase hex without leading zero bytes, as `Wechatpay-Serial` carries it.
    pub serial_no: String,
    /// The certificate's RSA public key.
    pub public_key: PublicKey,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
}

fn invalid(kind: KeyKind, reason: String) -> KeyError {
    KeyError::Invalid {
        role: KeyRole::PlatformCertificate,
        shape: crate::keys::KeyShape {
            wrapping: crate::keys::Wrapping::Pem,
            kind,
        },
        reason,
    }
}

impl PlatformCertificate {
    /// Parses one PEM certificate (`-----BEGIN CERTIFICATE-----`).
    ///
    /// ```
    /// use wechatpay::cert::PlatformCertificate;
    /// assert!(PlatformCertificate::parse_pem("-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----").is_err());
    /// ```
    pub fn parse_pem(pem: &str) -> Result<PlatformCertificate, KeyError> {
        let text = pem.trim();
        if text.is_empty() {
            return Err(KeyError::Empty {
                role: KeyRole::PlatformCertificate,
            });
        }
        let cert = Certificate::from_pem(text.as_bytes()).map_err(|e| {
            // Name what it was instead: a public key or a private key pasted here.
            match crate::keys::PublicKey::parse(text, KeyRole::PlatformCertificate) {
                Err(err @ KeyError::PrivateWherePublicBelongs { .. }) => err,
                Ok(_) => invalid(KeyKind::SpkiPublic, "a public key, not a certificate: certificate mode needs the platform certificate".into()),
                Err(_) => invalid(KeyKind::Unknown, e.to_string()),
            }
        })?;
        Self::from_cert(&cert)
    }

    /// Parses one DER certificate.
    ///
    /// ```
    /// assert!(wechatpay::cert::PlatformCertificate::from_der(&[0x30, 0x00]).is_err());
    /// ```
    pub fn from_der(der: &[u8]) -> Result<PlatformCertificate, KeyError> {
        let cert =
            Certificate::from_der(der).map_err(|e| invalid(KeyKind::Unknown, e.to_string()))?;
        Self::from_cert(&cert)
    }

    fn from_cert(cert: &Certificate) -> Result<PlatformCertificate, KeyError> {
        let tbs = cert.tbs_certificate();
        let serial: String = tbs
            .serial_number()
            .as_bytes()
            .iter()
            .skip_while(|b| **b == 0)
            .map(|b| format!("{b:02X}"))
            .collect();
        let spki = x509_cert::der::Encode::to_der(tbs.subject_public_key_info())
            .map_err(|e| invalid(KeyKind::Certificate, e.to_string()))?;
        let public_key = PublicKey::from_der(&spki, KeyRole::PlatformCertificate)?;
        let time = |t: x509_cert::time::Time| {
            let secs = i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
            DateTime::from_timestamp(secs, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
        };
        Ok(PlatformCertificate {
            serial_no: if serial.is_empty() {
                "0".into()
            } else {
                serial
            },
            public_key,
            not_before: time(tbs.validity().not_before),
            not_after: time(tbs.validity().not_after),
        })
    }

    /// True when `now` is within the validity period.
    ///
    /// ```no_run
    /// # let cert: wechatpay::cert::PlatformCertificate = unimplemented!();
    /// assert!(cert.is_valid_at(cert.not_before));
    /// ```
    pub fn is_valid_at(&self, now: DateTime<Utc>) -> bool {
        self.not_before <= now && now <= self.not_after
    }
}
