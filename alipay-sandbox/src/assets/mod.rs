//! Static files the sandbox pages use (scripts live in files so a CSP without 'unsafe-inline'
//! allows them).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// The cashier's countdown.
pub const CASHIER_JS: &str = include_str!("cashier.js");

/// Where the router serves [`CASHIER_JS`], relative to the sandbox's base URL.
pub const CASHIER_JS_PATH: &str = "/static/cashier.js";

/// GET `/static/cashier.js`.
pub async fn cashier_js() -> Response {
    let mut r = CASHIER_JS.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/javascript; charset=utf-8"),
    );
    // Not content-hashed: browsers revalidate after an hour at most.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}
