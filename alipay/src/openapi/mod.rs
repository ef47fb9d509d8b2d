//! The async OpenAPI client: `alipay.trade.query`, `.close`, `.refund`, `.fastpay.refund.query`.
//!
//! Requests are signed; answers are verified over the exact raw `*_response` text; `code`/`sub_code`
//! become [`ApiError`]s; only idempotent calls are retried.
//!
//! ```no_run
//! use std::sync::Arc;
//! # async fn f(config: alipay::AlipayConfig) -> Result<(), alipay::ApiError> {
//! let client = alipay::Client::new(config, Arc::new(alipay::SystemClock));
//! match client.query("C42").await {
//!     Ok(q) if q.trade_status.is_paid() => { /* mark paid */ }
//!     Err(alipay::ApiError::TradeNotExist) => { /* buyer never reached the cashier */ }
//!     other => { other?; }
//! }
//! # Ok(()) }
//! ```

mod options;
mod response;
mod types;

pub use options::ClientOptions;
pub use response::{ApiError, extract_response, response_key};
pub use types::{CloseResponse, QueryResponse, RefundQueryResponse, RefundResponse};

use crate::clock::Clock;
use crate::config::AlipayConfig;
use crate::keys::PublicKey;
use crate::money::Money;
use crate::pagepay::{PagePay, encode, encode_params};
use crate::sign::{SignError, SignType, sign_request};
use serde_json::{Value, json};
use std::fmt;
use std::sync::Arc;

/// The OpenAPI client. Cheap to clone.
///
/// ```no_run
/// # fn config() -> alipay::AlipayConfig { unimplemented!() }
/// let client = alipay::Client::new(config(), std::sync::Arc::new(alipay::SystemClock));
/// ```
#[derive(Clone)]
pub struct Client {
    config: AlipayConfig,
    clock: Arc<dyn Clock>,
    http: Result<reqwest::Client, String>,
    options: ClientOptions,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("app_id", &self.config.app_id)
            .field("gateway", &self.config.gateway)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Verifies a gateway answer for `method` with the Alipay public key and returns the `*_response`
/// object, or the mapped error. Exposed for gateways' own tests.
///
/// ```
/// # fn key() -> alipay::PublicKey { unimplemented!() }
/// # if false {
/// let body = r#"{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature"}}"#;
/// let err = alipay::openapi::verify_answer(body, "alipay.trade.query", &key()).unwrap_err();
/// assert!(matches!(err, alipay::ApiError::Business { .. }));
/// # }
/// ```
pub fn verify_answer(
    body: &str,
    method: &str,
    alipay_public_key: &PublicKey,
) -> Result<Value, ApiError> {
    let parse = |raw: &str| {
        serde_json::from_str::<Value>(raw).map_err(|e| ApiError::Malformed(e.to_string()))
    };
    if let Some((raw, sign)) = extract_response(body, &response_key(method)) {
        let obj = parse(raw)?;
        match sign.filter(|s| !s.is_empty()) {
            Some(sign) => alipay_public_key
                .verify(raw.as_bytes(), &sign, SignType::Rsa2)
                .map_err(ApiError::Signature)?,
            None => {
                response::check_code(&obj)?;
                return Err(ApiError::Signature(SignError::MissingSign));
            }
        }
        response::check_code(&obj)?;
        Ok(obj)
    } else if let Some((raw, _)) = extract_response(body, "error_response") {
        response::check_code(&parse(raw)?)?;
        Err(ApiError::Malformed("error_response with code 10000".into()))
    } else {
        Err(ApiError::Malformed(format!(
            "no {} object in the answer",
            response_key(method)
        )))
    }
}

impl Client {
    /// A client with default timeouts (15 s, connect 5 s) and 2 retries for idempotent calls.
    ///
    /// ```no_run
    /// # fn config() -> alipay::AlipayConfig { unimplemented!() }
    /// let client = alipay::Client::new(config(), std::sync::Arc::new(alipay::SystemClock));
    /// ```
    pub fn new(config: AlipayConfig, clock: Arc<dyn Clock>) -> Client {
        Client::with_options(config, clock, ClientOptions::default())
    }

    /// A client with explicit timeouts and retry policy.
    ///
    /// ```no_run
    /// # fn config() -> alipay::AlipayConfig { unimplemented!() }
    /// let opts = alipay::openapi::ClientOptions { max_retries: 0, ..Default::default() };
    /// let client = alipay::Client::with_options(config(), std::sync::Arc::new(alipay::SystemClock), opts);
    /// ```
    pub fn with_options(
        config: AlipayConfig,
        clock: Arc<dyn Clock>,
        options: ClientOptions,
    ) -> Client {
        let http = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.connect_timeout)
            .build()
            .map_err(|e| e.to_string());
        Client {
            config,
            clock,
            http,
            options,
        }
    }

    /// The configuration.
    ///
    /// ```no_run
    /// # let client: alipay::Client = unimplemented!();
    /// println!("{}", client.config().app_id);
    /// ```
    pub fn config(&self) -> &AlipayConfig {
        &self.config
    }

    /// The signed page-pay GET URL, timestamped with this client's clock.
    ///
    /// ```no_run
    /// # let (client, pay): (alipay::Client, alipay::PagePay) = unimplemented!();
    /// let url = client.page_pay_url(&pay);
    /// ```
    pub fn page_pay_url(&self, p: &PagePay) -> Result<String, SignError> {
        p.url(&self.config, self.clock.as_ref())
    }

    async fn call_once(&self, method: &str, biz: &str) -> Result<Value, ApiError> {
        let http = self.http.as_ref().map_err(|e| ApiError::Http(e.clone()))?;
        let mut params = self.config.common_params(method, self.clock.as_ref());
        params.insert("biz_content".into(), biz.to_owned());
        sign_request(&mut params, &self.config.app_private_key).map_err(ApiError::Signing)?;
        let sep = if self.config.gateway.contains('?') {
            '&'
        } else {
            '?'
        };
        let query = encode_params(params.iter().filter(|(k, _)| k.as_str() != "biz_content"));
        let url = format!("{}{sep}{query}", self.config.gateway);
        let net = |e: reqwest::Error| {
            if e.is_timeout() {
                ApiError::Timeout
            } else {
                ApiError::Http(e.to_string())
            }
        };
        let resp = http
            .post(url)
            .header(
                "content-type",
                "application/x-www-form-urlencoded;charset=utf-8",
            )
            .body(format!("biz_content={}", encode(biz)))
            .send()
            .await
            .map_err(net)?;
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(net)?;
        if !status.is_success() {
            return Err(ApiError::Http(format!("HTTP {status}")));
        }
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| ApiError::Malformed("the answer is not UTF-8".into()))?;
        verify_answer(text, method, &self.config.alipay_public_key)
    }

    async fn call(&self, method: &str, biz: Value, idempotent: bool) -> Result<Value, ApiError> {
        let biz = biz.to_string();
        let mut attempt = 0u32;
        loop {
            match self.call_once(method, &biz).await {
                Err(e) if idempotent && e.is_retryable() && attempt < self.options.max_retries => {
                    let wait = self
                        .options
                        .retry_backoff
                        .saturating_mul(2u32.saturating_pow(attempt));
                    tracing::warn!(method, attempt, error = %e, "retrying idempotent Alipay call");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// `alipay.trade.query` by `out_trade_no` (retried on retryable errors).
    ///
    /// ```no_run
    /// # async fn f(client: alipay::Client) -> Result<(), alipay::ApiError> {
    /// let q = client.query("C42").await?;
    /// # Ok(()) }
    /// ```
    pub async fn query(&self, out_trade_no: &str) -> Result<QueryResponse, ApiError> {
        let v = self
            .call(
                "alipay.trade.query",
                json!({ "out_trade_no": out_trade_no }),
                true,
            )
            .await?;
        QueryResponse::from_value(v)
    }

    /// `alipay.trade.close` (only `WAIT_BUYER_PAY` trades; not retried).
    ///
    /// ```no_run
    /// # async fn f(client: alipay::Client) -> Result<(), alipay::ApiError> {
    /// client.close("C42").await?;
    /// # Ok(()) }
    /// ```
    pub async fn close(&self, out_trade_no: &str) -> Result<CloseResponse, ApiError> {
        let v = self
            .call(
                "alipay.trade.close",
                json!({ "out_trade_no": out_trade_no }),
                false,
            )
            .await?;
        Ok(CloseResponse::from_value(&v, out_trade_no))
    }

    /// `alipay.trade.refund`; the same `out_request_no` makes a retry idempotent, so it is retried.
    ///
    /// ```no_run
    /// # async fn f(client: alipay::Client) -> Result<(), alipay::ApiError> {
    /// client.refund("C42", alipay::Money::from_cents(500), "C42_R1").await?;
    /// # Ok(()) }
    /// ```
    pub async fn refund(
        &self,
        out_trade_no: &str,
        refund_amount: Money,
        out_request_no: &str,
    ) -> Result<RefundResponse, ApiError> {
        let biz = json!({
            "out_trade_no": out_trade_no,
            "refund_amount": refund_amount.to_string(),
            "out_request_no": out_request_no,
        });
        RefundResponse::from_value(self.call("alipay.trade.refund", biz, true).await?)
    }

    /// `alipay.trade.fastpay.refund.query` (retried on retryable errors).
    ///
    /// ```no_run
    /// # async fn f(client: alipay::Client) -> Result<(), alipay::ApiError> {
    /// let r = client.refund_query("C42", "C42_R1").await?;
    /// # Ok(()) }
    /// ```
    pub async fn refund_query(
        &self,
        out_trade_no: &str,
        out_request_no: &str,
    ) -> Result<RefundQueryResponse, ApiError> {
        let biz = json!({ "out_trade_no": out_trade_no, "out_request_no": out_request_no });
        RefundQueryResponse::from_value(
            self.call("alipay.trade.fastpay.refund.query", biz, true)
                .await?,
        )
    }
}
