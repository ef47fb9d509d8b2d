//! Security headers on every response, the request body limit, and the same-origin check.
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;

/// Bodies larger than this are refused with 413 (a notify is about 2 KB, a form far less).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The Content-Security-Policy: scripts from this origin plus `script_sources` (a nonce, hashes:
/// see `crate::csp`; WASM needs `wasm-unsafe-eval`), never `'unsafe-inline'` for scripts; no
/// framing, forms may go to the gateway. Styles keep `'unsafe-inline'`: the sandbox's pages and
/// the client-side build's `<noscript>` use `<style>` and `style="..."` (attributes no nonce can
/// cover), and a style cannot run code.
pub fn content_security_policy(script_sources: &str, gateway_origin: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'{script_sources} 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self' {gateway_origin}"
    )
}

/// HSTS for a site whose public URL is https: browsers then refuse plain http to it for a year.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The scheme://host[:port] part of a URL.
pub fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

/// Adds the headers (the CSP with `inline_script_hashes` allowed on HTML, HSTS when
/// `public_base_url` is https) and the body limit to `router`.
pub fn harden(
    router: Router,
    gateway_url: &str,
    public_base_url: &str,
    inline_script_hashes: &[String],
) -> Router {
    let set = |name: HeaderName, value: &str| {
        SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static("")),
        )
    };
    let policy = crate::csp::Policy::new(origin_of(gateway_url), inline_script_hashes);
    let mut router = crate::csp::layer(router.layer(DefaultBodyLimit::max(MAX_BODY_BYTES)), policy);
    if public_base_url
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
    {
        router = router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        ));
    }
    router
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        ))
}

/// Paths other sites may post to: Alipay's server-to-server notify, and the embedded sandbox's
/// gateway endpoint (merchants' pages post their page-pay forms there). The sandbox's cashier
/// buttons and its admin are posted from its own pages on this origin: they stay checked.
fn cross_site_allowed(path: &str) -> bool {
    path == "/order/notify" || path == "/sandbox/gateway.do"
}

/// Whether a write with this `Origin` header (if any) may go on: no header (not a browser, or a
/// same-origin GET-like request), PUBLIC_BASE_URL's origin, or the origin of the `Host` it was sent to.
pub fn origin_allowed(origin: Option<&str>, public_origin: &str, host: Option<&str>) -> bool {
    let Some(origin) = origin else { return true };
    let origin = origin.trim_end_matches('/');
    if origin.eq_ignore_ascii_case(public_origin) {
        return true;
    }
    let origin_host = origin.split_once("://").map(|(_, h)| h);
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

async fn check_origin(
    State(public_origin): State<std::sync::Arc<str>>,
    req: Request,
    next: Next,
) -> Response {
    let writes = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    if writes && !cross_site_allowed(req.uri().path()) {
        let header = |name| {
            req.headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
        };
        if !origin_allowed(header(header::ORIGIN), &public_origin, header(header::HOST)) {
            tracing::warn!(origin = ?header(header::ORIGIN), path = req.uri().path(), "cross-site write refused");
            return (StatusCode::FORBIDDEN, "跨站请求被拒绝").into_response();
        }
    }
    next.run(req).await
}

/// Refuses POST/PUT/PATCH/DELETE sent from another site's page (403), except the notify route.
pub fn same_origin(router: Router, public_base_url: &str) -> Router {
    let public_origin: std::sync::Arc<str> = origin_of(public_base_url).into();
    router.layer(axum::middleware::from_fn_with_state(
        public_origin,
        check_origin,
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
        let p = content_security_policy(" 'nonce-abc'", "https://openapi.alipay.com");
        assert!(p.contains("'wasm-unsafe-eval'") && p.contains("frame-ancestors 'none'"));
        assert!(p.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        assert!(p.ends_with("form-action 'self' https://openapi.alipay.com"));
    }

    #[test]
    fn cross_site_writes_are_told_apart() {
        let public = "https://shop.example";
        assert!(origin_allowed(None, public, None));
        assert!(origin_allowed(Some("https://shop.example"), public, None));
        assert!(origin_allowed(
            Some("http://127.0.0.1:3000"),
            public,
            Some("127.0.0.1:3000")
        ));
        assert!(!origin_allowed(
            Some("https://evil.example"),
            public,
            Some("shop.example")
        ));
        assert!(!origin_allowed(Some("null"), public, Some("shop.example")));
        assert!(cross_site_allowed("/order/notify") && cross_site_allowed("/sandbox/gateway.do"));
        assert!(!cross_site_allowed("/api/login") && !cross_site_allowed("/sandboxes"));
    }

    #[test]
    fn only_the_sandbox_gateway_takes_cross_site_posts() {
        for path in [
            "/sandbox",
            "/sandbox/",
            "/sandbox/admin",
            "/sandbox/admin/faults",
            "/sandbox/admin/faults/",
            "/sandbox/cashier/2026/pay",
            "/sandbox/cashier/2026/cancel",
            "/sandbox/gateway.do/../admin/faults",
            "/sandbox/gateway.dox",
            "/SANDBOX/gateway.do",
            "/order/notify/x",
        ] {
            assert!(!cross_site_allowed(path), "{path}");
        }
    }
}
