//! The HTTP side: sends prepared requests with reqwest and checks the answers.

use super::{
    ApiError, Config, H5Order, NativeOrder, RefundRequest, check_answer, check_out_refund_no,
    check_out_trade_no, prepare,
};
use crate::clock::{Clock, random_nonce};
use crate::notify::{Refund, Transaction};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;

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
            &random_nonce().map_err(crate::sign::SignError::Random)?,
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
