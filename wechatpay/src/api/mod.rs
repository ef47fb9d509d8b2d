//! The async API client: Native and H5 orders, query, close, refund and refund query. Requests are
//! signed; 2xx answers are verified before they are read; error answers become [`ApiError`]s.
//!
//! ```no_run
//! use std::sync::Arc;
//! use wechatpay::api::{Client, Config, NativeOrder};
//! # async fn f(config: Config) -> Result<(), wechatpay::api::ApiError> {
//! let client = Client::new(config, Arc::new(wechatpay::SystemClock));
//! let order = NativeOrder::new("C20240101_0001", "Rust 课程", 9900, "https://shop.example/wechatpay/notify")?;
//! let code_url = client.native(&order).await?;
//! # Ok(()) }
//! ```

mod client;
mod error;
mod refund;
mod requests;

pub use client::Client;
pub use error::{ApiError, ErrorCode, RequestError, error_from_answer};
pub use refund::RefundRequest;
pub use requests::{H5Order, H5Type, NativeOrder, check_out_refund_no, check_out_trade_no};

use crate::sign::MerchantSigner;
use crate::verify::{Verifier, WechatpayHeaders};
use chrono::{DateTime, Utc};

/// The production host.
pub const PRODUCTION_BASE_URL: &str = "https://api.mch.weixin.qq.com";

/// What the client needs. `base_url` may point at a local gateway.
#[derive(Debug, Clone)]
pub struct Config {
    /// The appid the orders are for.
    pub appid: String,
    /// Signs requests (mchid, merchant certificate serial, merchant key).
    pub signer: MerchantSigner,
    /// Verifies answers.
    pub verifier: Verifier,
    /// Public-key mode: the `PUB_KEY_ID_…` sent as `Wechatpay-Serial` with every request.
    pub wechatpay_serial: Option<String>,
    /// `https://api.mch.weixin.qq.com`, or a local gateway's base URL (no trailing slash needed).
    pub base_url: String,
}

/// A signed request, ready to send (pure: built from `now` and a nonce).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The full URL.
    pub url: String,
    /// Headers to send.
    pub headers: Vec<(&'static str, String)>,
    /// The exact body bytes that were signed.
    pub body: String,
}

/// Builds the signed request for `path` (with its query) at `now` with `nonce`.
///
/// ```no_run
/// # let config: wechatpay::api::Config = unimplemented!();
/// let now = chrono::DateTime::from_timestamp(1554208460, 0).unwrap();
/// let r = wechatpay::api::prepare(&config, "GET", "/v3/certificates", String::new(), now, "NONCE")?;
/// # Ok::<(), wechatpay::api::ApiError>(())
/// ```
pub fn prepare(
    config: &Config,
    method: &'static str,
    path: &str,
    body: String,
    now: DateTime<Utc>,
    nonce: &str,
) -> Result<PreparedRequest, ApiError> {
    let auth = config
        .signer
        .authorization(method, path, body.as_bytes(), now, nonce)?;
    let mut headers = vec![
        ("Authorization", auth.header_value()),
        ("Accept", "application/json".to_owned()),
        (
            "User-Agent",
            concat!("coursepay-wechatpay/", env!("CARGO_PKG_VERSION")).to_owned(),
        ),
    ];
    if !body.is_empty() {
        headers.push(("Content-Type", "application/json".to_owned()));
    }
    if let Some(serial) = &config.wechatpay_serial {
        headers.push(("Wechatpay-Serial", serial.clone()));
    }
    let url = format!("{}{path}", config.base_url.trim_end_matches('/'));
    Ok(PreparedRequest {
        method,
        url,
        headers,
        body,
    })
}

/// Checks an answer: a 2xx must carry valid signature headers (fresh against `now`) over `body`;
/// anything else is mapped by [`error_from_answer`]. Returns the verified body.
///
/// ```
/// let v = wechatpay::Verifier::default();
/// let now = chrono::DateTime::from_timestamp(1554208460, 0).unwrap();
/// let e = wechatpay::api::check_answer(200, |_| None, b"{}", &v, now).unwrap_err();
/// assert!(matches!(e, wechatpay::api::ApiError::Verify(_)));
/// ```
pub fn check_answer<'b>(
    status: u16,
    header: impl Fn(&str) -> Option<String>,
    body: &'b [u8],
    verifier: &Verifier,
    now: DateTime<Utc>,
) -> Result<&'b [u8], ApiError> {
    if !(200..300).contains(&status) {
        return Err(error_from_answer(status, body));
    }
    let headers = WechatpayHeaders::from_lookup(header)?;
    verifier.verify(&headers, body, now)?;
    Ok(body)
}
