//! Public-key certificate mode: `app_cert_sn`, `alipay_root_cert_sn`, and the Alipay public key taken
//! from Alipay's public-key certificate.
//!
//! A certificate SN is `md5(issuer DN + serial in decimal)` as lowercase hex, where the issuer DN is
//! written in RFC 2253/4514 order (`CN=...,OU=...,O=...,C=...`) as the Java SDK's
//! `X500Principal.getName()` does. The root SN joins the SNs of the RSA-signed certificates of the
//! root chain with `_` (the chain also holds an SM2 certificate, which is skipped).
//!
//! ```no_run
//! use alipay::cert::{alipay_public_key_from_cert, CertConfig};
//! let cert = CertConfig::from_pems(
//!     &std::fs::read_to_string("appCertPublicKey.crt")?,
//!     &std::fs::read_to_string("alipayRootCert.crt")?,
//! )?;
//! let alipay_key = alipay_public_key_from_cert(&std::fs::read_to_string("alipayCertPublicKey_RSA2.crt")?)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::keys::{KeyError, KeyRole, PublicKey};
use md5::{Digest, Md5};
use x509_cert::Certificate;
use x509_cert::der::{Decode, Encode};

/// The two SNs every cert-mode request carries (both are signed).
///
/// ```
/// let c = alipay::cert::CertConfig { app_cert_sn: "a".into(), alipay_root_cert_sn: "b_c".into() };
/// assert_eq!(c.alipay_root_cert_sn, "b_c");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertConfig {
    /// SN of the app public-key certificate.
    pub app_cert_sn: String,
    /// SNs of the RSA certificates in Alipay's root certificate chain, joined by `_`.
    pub alipay_root_cert_sn: String,
}

/// Why a certificate could not be used.
///
/// ```
/// assert!(alipay::cert::cert_sn("nope").is_err());
/// ```
#[derive(Debug, thiserror::Error)]
pub enum CertError {
    /// Not a PEM certificate (chain).
    #[error("not a PEM X.509 certificate: {0}")]
    Pem(String),
    /// The root chain holds no RSA-signed certificate.
    #[error("the Alipay root certificate chain holds no RSA-signed certificate")]
    NoRsaCert,
    /// The certificate's key is unusable.
    #[error(transparent)]
    Key(#[from] KeyError),
}

impl CertConfig {
    /// Computes both SNs from the app public-key certificate and Alipay's root certificate chain.
    ///
    /// ```no_run
    /// let c = alipay::cert::CertConfig::from_pems("-----BEGIN CERTIFICATE-----...", "...")?;
    /// # Ok::<(), alipay::cert::CertError>(())
    /// ```
    pub fn from_pems(
        app_cert_pem: &str,
        alipay_root_cert_pem: &str,
    ) -> Result<CertConfig, CertError> {
        Ok(CertConfig {
            app_cert_sn: cert_sn(app_cert_pem)?,
            alipay_root_cert_sn: root_cert_sn(alipay_root_cert_pem)?,
        })
    }
}

fn load_chain(pem: &str) -> Result<Vec<Certificate>, CertError> {
    let certs = Certificate::load_pem_chain(pem.trim().as_bytes())
        .map_err(|e| CertError::Pem(e.to_string()))?;
    if certs.is_empty() {
        return Err(CertError::Pem("no certificate found".into()));
    }
    Ok(certs)
}

/// Big-endian unsigned bytes to a decimal string.
fn decimal(bytes: &[u8]) -> String {
    let mut num: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    let mut digits = Vec::new();
    while !num.is_empty() {
        let mut rem = 0u32;
        for b in num.iter_mut() {
            let cur = (rem << 8) | u32::from(*b);
            *b = (cur / 10) as u8;
            rem = cur % 10;
        }
        digits.push(b'0' + rem as u8);
        let zeros = num.iter().take_while(|b| **b == 0).count();
        num.drain(..zeros);
    }
    if digits.is_empty() {
        return "0".into();
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

fn sn_of(cert: &Certificate) -> String {
    let tbs = cert.tbs_certificate();
    let text = format!(
        "{}{}",
        tbs.issuer(),
        decimal(tbs.serial_number().as_bytes())
    );
    let digest = Md5::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SN of the first certificate in a PEM: `md5(issuer DN + decimal serial)`, lowercase hex.
///
/// ```no_run
/// let sn = alipay::cert::cert_sn(&std::fs::read_to_string("appCertPublicKey.crt")?)?;
/// assert_eq!(sn.len(), 32);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn cert_sn(pem: &str) -> Result<String, CertError> {
    let certs = load_chain(pem)?;
    Ok(certs.first().map(sn_of).unwrap_or_default())
}

/// The root SN: SNs of the RSA-signed certificates of the chain joined by `_`.
///
/// ```no_run
/// let sn = alipay::cert::root_cert_sn(&std::fs::read_to_string("alipayRootCert.crt")?)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn root_cert_sn(chain_pem: &str) -> Result<String, CertError> {
    let sns: Vec<String> = load_chain(chain_pem)?
        .iter()
        .filter(|c| {
            c.signature_algorithm()
                .oid
                .to_string()
                .starts_with("1.2.840.113549.1.1.")
        })
        .map(sn_of)
        .collect();
    if sns.is_empty() {
        return Err(CertError::NoRsaCert);
    }
    Ok(sns.join("_"))
}

/// The Alipay public key inside Alipay's public-key certificate (`alipayCertPublicKey_RSA2.crt`).
///
/// ```no_run
/// let key = alipay::cert::alipay_public_key_from_cert(&std::fs::read_to_string("alipayCertPublicKey_RSA2.crt")?)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn alipay_public_key_from_cert(pem: &str) -> Result<PublicKey, CertError> {
    let certs = load_chain(pem)?;
    let first = certs
        .first()
        .ok_or_else(|| CertError::Pem("no certificate".into()))?;
    let spki = first
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|e| CertError::Pem(e.to_string()))?;
    let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, spki);
    Ok(PublicKey::parse(&b64, KeyRole::AlipayPublicKey)?)
}

pub(crate) fn spki_der_of_cert(der: &[u8]) -> Result<Vec<u8>, CertError> {
    let cert = Certificate::from_der(der).map_err(|e| CertError::Pem(e.to_string()))?;
    cert.tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|e| CertError::Pem(e.to_string()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimal_serials() {
        assert_eq!(super::decimal(&[]), "0");
        assert_eq!(super::decimal(&[0]), "0");
        assert_eq!(super::decimal(&[0x01, 0x00]), "256");
        assert_eq!(
            super::decimal(&[0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            "18446744073709551615"
        );
    }
}
