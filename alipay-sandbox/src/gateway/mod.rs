//! `gateway.do`: page pay (GET URL or POST form) and the OpenAPI methods.

pub mod answer;
pub mod error_page;
mod methods;
pub mod openapi;
pub mod pagepay;
pub mod params;
mod verify;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri, header};
use axum::response::Response;

use crate::state::Inner;
use error_page::PageError;

pub const PAGE_PAY: &str = "alipay.trade.page.pay";

/// GET or POST `gateway.do`.
pub async fn gateway(
    State(inner): State<Arc<Inner>>,
    http_method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let p = params::collect(uri.query(), ct, &body);
    match params::get(&p, "method") {
        Some(PAGE_PAY) => pagepay::handle(&inner, &p).await,
        Some(m) if openapi::METHODS.contains(&m) => openapi::handle(&inner, &p).await,
        Some(_) if http_method == Method::POST => openapi::handle(&inner, &p).await,
        Some(_) => PageError::new("invalid-method", "不存在的方法名").into_response(),
        None => PageError::missing("method").into_response(),
    }
}
