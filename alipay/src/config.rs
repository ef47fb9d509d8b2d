//! Merchant configuration: app id, keys, gateway, URLs, optional cert mode.

use crate::cert::CertConfig;
use crate::clock::{Clock, beijing};
use crate::keys::{PrivateKey, PublicKey};
use crate::sign::Params;

/// The production gateway.
///
/// ```
/// assert!(alipay::PRODUCTION_GATEWAY.ends_with("/gateway.do"));
/// ```
pub const PRODUCTION_GATEWAY: &str = "https://openapi.alipay.com/gateway.do";
/// The current sandbox gateway (the old `openapi.alipaydev.com` host is retired).
///
/// ```
/// assert!(alipay::SANDBOX_GATEWAY.contains("openapi-sandbox.dl.alipaydev.com"));
/// ```
pub const SANDBOX_GATEWAY: &str = "https://openapi-sandbox.dl.alipaydev.com/gateway.do";

/// Everything needed to talk to Alipay as one merchant app.
///
/// ```no_run
/// use alipay::config::{AlipayConfig, SANDBOX_GATEWAY};
/// use alipay::keys::{KeyRole, PrivateKey, PublicKey};
/// let config = AlipayConfig {
///     app_id: "2021000000000000".into(),
///     seller_id: "2088000000000000".into(),
///     gateway: SANDBOX_GATEWAY.into(),
///     app_private_key: PrivateKey::from_file("app.txt".as_ref(), KeyRole::AppPrivateKey)?,
///     alipay_public_key: PublicKey::from_file("alipay.txt".as_ref(), KeyRole::AlipayPublicKey)?,
///     notify_url: Some("https://shop.example/alipay/notify".into()),
///     return_url: Some("https://shop.example/alipay/return".into()),
///     cert: None,
/// };
/// # Ok::<(), alipay::keys::KeyError>(())
/// ```
#[derive(Debug, Clone)]
pub struct AlipayConfig {
    /// The app id (`2021...`).
    pub app_id: String,
    /// The 2088... partner id a notify must name as `seller_id`.
    pub seller_id: String,
    /// Full URL of `gateway.do`.
    pub gateway: String,
    /// Signs requests.
    pub app_private_key: PrivateKey,
    /// Verifies notifies, returns and answers.
    pub alipay_public_key: PublicKey,
    /// Where Alipay POSTs the async notify.
    pub notify_url: Option<String>,
    /// Where the buyer's browser returns.
    pub return_url: Option<String>,
    /// Public-key certificate mode.
    pub cert: Option<CertConfig>,
}

impl AlipayConfig {
    /// The public parameters every request carries (unsigned): app_id, method, format, charset,
    /// sign_type, timestamp, version, and the cert SNs in cert mode.
    ///
    /// ```no_run
    /// # fn config() -> alipay::config::AlipayConfig { unimplemented!() }
    /// let p = config().common_params("alipay.trade.query", &alipay::clock::SystemClock);
    /// assert_eq!(p["format"], "JSON");
    /// ```
    pub fn common_params(&self, method: &str, clock: &dyn Clock) -> Params {
        let mut p = Params::new();
        let mut put = |k: &str, v: &str| {
            p.insert(k.to_owned(), v.to_owned());
        };
        put("app_id", &self.app_id);
        put("method", method);
        put("format", "JSON");
        put("charset", "utf-8");
        put("sign_type", "RSA2");
        put("timestamp", &beijing(clock.now()));
        put("version", "1.0");
        if let Some(cert) = &self.cert {
            put("app_cert_sn", &cert.app_cert_sn);
            put("alipay_root_cert_sn", &cert.alipay_root_cert_sn);
        }
        p
    }
}
