//! Request signing: the `WECHATPAY2-SHA256-RSA2048` `Authorization` header over
//! `METHOD\nCANONICAL_URL\nTIMESTAMP\nNONCE\nBODY\n`, and its parsing and checking (a local gateway's side).
//!
//! ```no_run
//! use wechatpay::keys::PrivateKey;
//! use wechatpay::sign::MerchantSigner;
//! let signer = MerchantSigner::new("1230000109", "5157F09EFDC096DE15EBE81A47057A72", PrivateKey::generate()?)?;
//! let now = chrono::DateTime::from_timestamp(1554208460, 0).unwrap();
//! let auth = signer.authorization("GET", "/v3/certificates", b"", now, "593BEC0C930BF1AFEB40B4A08C8FB242")?;
//! assert!(auth.header_value().starts_with("WECHATPAY2-SHA256-RSA2048 mchid=\"1230000109\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::keys::{PrivateKey, PublicKey};
use crate::verify::{VerifyError, check_fresh};
use chrono::{DateTime, Utc};

/// The scheme of the `Authorization` header and of `Wechatpay-Signature-Type`.
pub const SCHEME: &str = "WECHATPAY2-SHA256-RSA2048";

/// Signatures WeChat Pay sends to probe a merchant's verification start with this; they never verify.
pub const SIGNTEST_PREFIX: &str = "WECHATPAY/SIGNTEST/";

/// Our own key could not sign, or a header value would break the header: nothing is sent unsigned.
///
/// ```
/// use wechatpay::sign::SignError;
/// let e = SignError::BadField { field: "nonce_str" };
/// assert!(e.to_string().contains("nonce_str"));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The RSA operation failed (a broken key).
    #[error("signing with the private key failed")]
    Signing(#[source] aws_lc_rs::error::Unspecified),
    /// The operating system's random generator failed: no nonce, so no request.
    #[error("no random nonce: the operating system's random generator failed")]
    Random(#[source] getrandom::Error),
    /// A value that is empty or holds characters other than printable ASCII without `"` and `,`.
    #[error("the {field} is empty or holds characters not allowed in the Authorization header")]
    BadField {
        /// Which field.
        field: &'static str,
    },
}

/// Why a signature did not verify. A `WECHATPAY/SIGNTEST/` probe is its own case.
///
/// ```
/// use wechatpay::sign::SignatureError;
/// assert_eq!(SignatureError::Probe.to_string(), "the signature is a WECHATPAY/SIGNTEST/ probe");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No signature at all.
    #[error("the signature is empty")]
    Empty,
    /// A signature probe: it must be refused (answer 4XX/5XX; a correctly signed resend follows).
    #[error("the signature is a WECHATPAY/SIGNTEST/ probe")]
    Probe,
    /// Not standard base64.
    #[error("the signature is not valid base64")]
    BadBase64,
    /// The signature does not match the message and key.
    #[error("the signature does not match")]
    Mismatch,
}

/// `METHOD\nCANONICAL_URL\nTIMESTAMP\nNONCE\nBODY\n`: the exact bytes a request signature covers.
///
/// ```
/// let m = wechatpay::sign::request_message("GET", "/v3/certificates", 1554208460, "N", b"");
/// assert_eq!(m, b"GET\n/v3/certificates\n1554208460\nN\n\n");
/// ```
pub fn request_message(
    method: &str,
    canonical_url: &str,
    timestamp: i64,
    nonce: &str,
    body: &[u8],
) -> Vec<u8> {
    let head = format!("{method}\n{canonical_url}\n{timestamp}\n{nonce}\n");
    let mut out = Vec::with_capacity(head.len() + body.len() + 1);
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(body);
    out.push(b'\n');
    out
}

fn check_field(value: &str, field: &'static str) -> Result<(), SignError> {
    let ok = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b',');
    if ok {
        Ok(())
    } else {
        Err(SignError::BadField { field })
    }
}

/// The merchant's signing identity: `mchid`, the merchant API certificate serial and its private key.
///
/// ```no_run
/// let key = wechatpay::keys::PrivateKey::generate()?;
/// let signer = wechatpay::sign::MerchantSigner::new("1230000109", "5157F09E", key)?;
/// assert_eq!(signer.mchid(), "1230000109");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct MerchantSigner {
    mchid: String,
    serial_no: String,
    key: PrivateKey,
}

impl MerchantSigner {
    /// Checks that `mchid` and `serial_no` fit in the header.
    ///
    /// ```no_run
    /// let key = wechatpay::keys::PrivateKey::generate()?;
    /// assert!(wechatpay::sign::MerchantSigner::new("12\"3", "AB", key).is_err());
    /// # Ok::<(), wechatpay::keys::KeyError>(())
    /// ```
    pub fn new(mchid: &str, serial_no: &str, key: PrivateKey) -> Result<MerchantSigner, SignError> {
        check_field(mchid, "mchid")?;
        check_field(serial_no, "serial_no")?;
        Ok(MerchantSigner {
            mchid: mchid.into(),
            serial_no: serial_no.into(),
            key,
        })
    }

    /// The merchant id.
    ///
    /// ```no_run
    /// # let s: wechatpay::sign::MerchantSigner = unimplemented!();
    /// println!("{}", s.mchid());
    /// ```
    pub fn mchid(&self) -> &str {
        &self.mchid
    }

    /// Signs one request at `now` with `nonce` (32 random characters: [`crate::clock::random_nonce`]).
    ///
    /// ```no_run
    /// # let s: wechatpay::sign::MerchantSigner = unimplemented!();
    /// let now = chrono::DateTime::from_timestamp(1554208460, 0).unwrap();
    /// let auth = s.authorization("POST", "/v3/pay/transactions/native", b"{}", now, "NONCE")?;
    /// # Ok::<(), wechatpay::sign::SignError>(())
    /// ```
    pub fn authorization(
        &self,
        method: &str,
        canonical_url: &str,
        body: &[u8],
        now: DateTime<Utc>,
        nonce: &str,
    ) -> Result<Authorization, SignError> {
        check_field(nonce, "nonce_str")?;
        let timestamp = now.timestamp();
        let signature = self.key.sign_sha256(&request_message(
            method,
            canonical_url,
            timestamp,
            nonce,
            body,
        ))?;
        Ok(Authorization {
            mchid: self.mchid.clone(),
            nonce_str: nonce.into(),
            timestamp,
            serial_no: self.serial_no.clone(),
            signature,
        })
    }
}

/// The five signed items of an `Authorization` header.
///
/// ```
/// use wechatpay::sign::Authorization;
/// let a = Authorization::parse(r##"WECHATPAY2-SHA256-RSA2048 signature="c2ln",timestamp="1554208460",serial_no="AB",nonce_str="N",mchid="1""##).unwrap();
/// assert_eq!((a.mchid.as_str(), a.timestamp), ("1", 1554208460));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The merchant id.
    pub mchid: String,
    /// The request nonce.
    pub nonce_str: String,
    /// Unix seconds.
    pub timestamp: i64,
    /// The merchant API certificate serial.
    pub serial_no: String,
    /// Base64 signature.
    pub signature: String,
}

impl Authorization {
    /// `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",serial_no="…",signature="…"`.
    ///
    /// ```
    /// let a = wechatpay::sign::Authorization { mchid: "1".into(), nonce_str: "N".into(), timestamp: 5,
    ///     serial_no: "AB".into(), signature: "c2ln".into() };
    /// assert_eq!(a.header_value(), r#"WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="N",timestamp="5",serial_no="AB",signature="c2ln""#);
    /// ```
    pub fn header_value(&self) -> String {
        format!(
            "{SCHEME} mchid=\"{}\",nonce_str=\"{}\",timestamp=\"{}\",serial_no=\"{}\",signature=\"{}\"",
            self.mchid, self.nonce_str, self.timestamp, self.serial_no, self.signature
        )
    }

    /// Parses a header value with the five pairs in any order (each exactly once).
    ///
    /// ```
    /// assert!(wechatpay::sign::Authorization::parse("Bearer x").is_err());
    /// ```
    pub fn parse(header: &str) -> Result<Authorization, VerifyError> {
        crate::verify::parse_authorization(header)
    }

    /// A gateway's check: fresh against `now` and signed by `merchant_key` over this request.
    ///
    /// ```no_run
    /// # let (a, key): (wechatpay::sign::Authorization, wechatpay::keys::PublicKey) = unimplemented!();
    /// let now = chrono::DateTime::from_timestamp(1554208460, 0).unwrap();
    /// a.verify("GET", "/v3/certificates", b"", &key, now)?;
    /// # Ok::<(), wechatpay::verify::VerifyError>(())
    /// ```
    pub fn verify(
        &self,
        method: &str,
        canonical_url: &str,
        body: &[u8],
        merchant_key: &PublicKey,
        now: DateTime<Utc>,
    ) -> Result<(), VerifyError> {
        check_fresh(self.timestamp, now)?;
        let message = request_message(method, canonical_url, self.timestamp, &self.nonce_str, body);
        merchant_key
            .verify_sha256(&message, &self.signature)
            .map_err(VerifyError::Signature)
    }
}
