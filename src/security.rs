//! Security headers on every response, and the request body limit.
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

/// Bodies larger than this are refused with 413 (a notify is about 2 KB, a form far less).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The Content-Security-Policy: scripts and styles from this origin only (the hydration loader is
/// an inline module; WASM needs `wasm-unsafe-eval`), no framing, forms may go to the gateway.
pub fn content_security_policy(gateway_origin: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self' {gateway_origin}"
    )
}

/// The scheme://host[:port] part of a URL.
pub fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

/// Adds the headers and the body limit to `router`.
pub fn harden(router: Router, gateway_url: &str) -> Router {
    let csp = content_security_policy(origin_of(gateway_url));
    let set = |name: HeaderName, value: &str| {
        SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static("")),
        )
    };
    router
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(set(header::CONTENT_SECURITY_POLICY, &csp))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://openapi.alipay.com/gateway.do"),
            "https://openapi.alipay.com"
        );
        assert_eq!(
            origin_of("http://127.0.0.1:3000/sandbox/gateway.do"),
            "http://127.0.0.1:3000"
        );
        assert_eq!(origin_of("http://h"), "http://h");
    }

    #[test]
    fn the_policy_allows_wasm_and_forbids_framing() {
        let p = content_security_policy("https://openapi.alipay.com");
        assert!(p.contains("'wasm-unsafe-eval'") && p.contains("frame-ancestors 'none'"));
        assert!(p.ends_with("form-action 'self' https://openapi.alipay.com"));
    }
}
