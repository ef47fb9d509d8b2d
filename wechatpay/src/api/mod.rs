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

mod error;
mod requests;

pub use error::{ApiError, ErrorCode, RequestError, error_from_answer};
pub use requests::{
    H5Order, H5Type, NativeOrder, RefundRequest, check_out_refund_no, check_out_trade_no,
};

use crate::clock::{Clock, random_nonce};
use crate::notify::{Refund, Transaction};
use crate::sign::MerchantSigner;
use crate::verify::{Verifier, WechatpayHeaders};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;

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

fn path_segment(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"_-.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The API client. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    config: Config,
    clock: Arc<dyn Clock>,
    http: Result<reqwest::Client, String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with a 15 s timeout (connect 5 s).
    pub fn new(config: Config, clock: Arc<dyn Clock>) -> Client {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| e.to_string());
        Client {
            config,
            clock,
            http,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    async fn call(
        &self,
        method: &'static str,
        path: &str,
        body: String,
    ) -> Result<Vec<u8>, ApiError> {
        let http = self.http.as_ref().map_err(|e| ApiError::Http(e.clone()))?;
        let req = prepare(
            &self.config,
            method,
            path,
            body,
            self.clock.now(),
            &random_nonce(),
        )?;
        let mut builder = match method {
            "GET" => http.get(&req.url),
            _ => http.post(&req.url),
        };
        for (k, v) in &req.headers {
            builder = builder.header(*k, v);
        }
        let net = |e: reqwest::Error| {
            if e.is_timeout() {
                ApiError::Timeout
            } else {
                ApiError::Http(e.to_string())
            }
        };
        let resp = builder.body(req.body).send().await.map_err(net)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.map_err(net)?;
        let lookup = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        check_answer(
            status,
            lookup,
            &bytes,
            &self.config.verifier,
            self.clock.now(),
        )?;
        Ok(bytes.to_vec())
    }

    async fn call_json<T: DeserializeOwned>(
        &self,
        method: &'static str,
        path: &str,
        body: String,
    ) -> Result<T, ApiError> {
        let bytes = self.call(method, path, body).await?;
        serde_json::from_slice(&bytes).map_err(|e| ApiError::Malformed(e.to_string()))
    }

    async fn url_field(
        &self,
        path: &str,
        body: serde_json::Value,
        key: &str,
    ) -> Result<String, ApiError> {
        let v: serde_json::Value = self.call_json("POST", path, body.to_string()).await?;
        v.get(key)
            .and_then(|u| u.as_str())
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| ApiError::Malformed(format!("no {key} in the answer")))
    }

    /// Places a Native order; returns `code_url` (for a QR code, valid 2 hours).
    pub async fn native(&self, order: &NativeOrder) -> Result<String, ApiError> {
        let body = order.body(&self.config.appid, self.config.signer.mchid());
        self.url_field("/v3/pay/transactions/native", body, "code_url")
            .await
    }

    /// Places an H5 order; returns `h5_url` (valid 5 minutes).
    pub async fn h5(&self, order: &H5Order) -> Result<String, ApiError> {
        let body = order.body(&self.config.appid, self.config.signer.mchid());
        self.url_field("/v3/pay/transactions/h5", body, "h5_url")
            .await
    }

    /// Queries an order by `out_trade_no` (404 `ORDER_NOT_EXIST` when unknown).
    pub async fn query(&self, out_trade_no: &str) -> Result<Transaction, ApiError> {
        check_out_trade_no(out_trade_no)?;
        let path = format!(
            "/v3/pay/transactions/out-trade-no/{}?mchid={}",
            path_segment(out_trade_no),
            path_segment(self.config.signer.mchid())
        );
        self.call_json("GET", &path, String::new()).await
    }

    /// Closes an unpaid order (204 No Content, signed over the empty body).
    pub async fn close(&self, out_trade_no: &str) -> Result<(), ApiError> {
        check_out_trade_no(out_trade_no)?;
        let path = format!(
            "/v3/pay/transactions/out-trade-no/{}/close",
            path_segment(out_trade_no)
        );
        let body = serde_json::json!({ "mchid": self.config.signer.mchid() }).to_string();
        let answer = self.call("POST", &path, body).await?;
        if answer.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Malformed("close answered a body".into()))
        }
    }

    /// Requests a refund; a 200 means accepted (status `PROCESSING` or `SUCCESS`).
    pub async fn refund(&self, refund: &RefundRequest) -> Result<Refund, ApiError> {
        self.call_json(
            "POST",
            "/v3/refund/domestic/refunds",
            refund.body().to_string(),
        )
        .await
    }

    /// Queries a refund by `out_refund_no` (404 `RESOURCE_NOT_EXISTS` when unknown).
    pub async fn refund_query(&self, out_refund_no: &str) -> Result<Refund, ApiError> {
        check_out_refund_no(out_refund_no)?;
        let path = format!(
            "/v3/refund/domestic/refunds/{}",
            path_segment(out_refund_no)
        );
        self.call_json("GET", &path, String::new()).await
    }
}
