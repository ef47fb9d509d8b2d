//! The Content-Security-Policy header, without `'unsafe-inline'` for scripts.
//!
//! Every request gets a fresh 128-bit nonce in its extensions ([`CspNonce`]); the Leptos pages
//! read it ([`provide_leptos_nonce`]) so the hydration loader and every other script Leptos writes
//! carry it, and an HTML answer allows exactly that nonce. The client-side (Trunk) build is a
//! static `index.html` whose inline loader cannot carry a per-request nonce: its inline scripts
//! are allowed by their SHA-256 hashes, computed once at start ([`inline_script_hashes`]).
//! Answers that are not HTML get the policy with no inline script at all.
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// The nonce of the current request's HTML answer, in the request's extensions.
#[derive(Debug, Clone)]
pub struct CspNonce(pub Arc<str>);

/// 16 random bytes in base64; `None` if the system's random source fails (the page then gets no
/// nonce: its scripts do not run and it stays usable as plain HTML).
fn new_nonce() -> Option<Arc<str>> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    Some(STANDARD.encode(bytes).into())
}

/// Inside a Leptos render: replaces the nonce leptos_axum generated with this request's
/// [`CspNonce`], the one the response's header names. Call it in the `additional_context` closure.
pub fn provide_leptos_nonce() {
    let nonce = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(nonce)) = nonce {
        leptos::prelude::provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
}

/// `'sha256-...'` of the content of every non-empty `<script>` element in `html`, in order,
/// without duplicates (an external script has no content and needs none).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut hashes: Vec<String> = Vec::new();
    let mut at = 0;
    while let Some(open) = lower[at..].find("<script").map(|i| at + i) {
        let Some(start) = lower[open..].find('>').map(|i| open + i + 1) else {
            break;
        };
        let end = lower[start..]
            .find("</script")
            .map_or(html.len(), |i| start + i);
        let content = &html[start..end];
        if !content.is_empty() {
            let hash = format!(
                "'sha256-{}'",
                STANDARD.encode(Sha256::digest(content.as_bytes()))
            );
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        at = end;
    }
    hashes
}

/// What the policy allows besides this origin.
#[derive(Debug, Clone)]
pub struct Policy {
    gateway_origin: Arc<str>,
    /// `' 'sha256-...' ...'` (each with a leading space), allowed on every HTML answer.
    inline_hashes: Arc<str>,
}

impl Policy {
    pub fn new(gateway_origin: &str, inline_hashes: &[String]) -> Self {
        let inline_hashes: String = inline_hashes.iter().map(|h| format!(" {h}")).collect();
        Policy {
            gateway_origin: gateway_origin.into(),
            inline_hashes: inline_hashes.into(),
        }
    }

    /// The header for an HTML answer that may run the scripts carrying `nonce`.
    pub fn for_html(&self, nonce: Option<&str>) -> String {
        let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
        crate::security::content_security_policy(
            &format!("{nonce}{}", self.inline_hashes),
            &self.gateway_origin,
        )
    }

    /// The header for any other answer: scripts from this origin only.
    pub fn strict(&self) -> String {
        crate::security::content_security_policy("", &self.gateway_origin)
    }
}

async fn apply(State(policy): State<Policy>, mut req: Request, next: Next) -> Response {
    let nonce = new_nonce();
    if let Some(n) = &nonce {
        req.extensions_mut().insert(CspNonce(Arc::clone(n)));
    }
    let mut response = next.run(req).await;
    // A 304 updates the headers of the page the browser cached: it carries no policy, so the
    // cached page keeps its own (a strict one here would block the loader the page was allowed).
    if response.status() == axum::http::StatusCode::NOT_MODIFIED
        || response
            .headers()
            .contains_key(header::CONTENT_SECURITY_POLICY)
    {
        return response;
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"));
    let value = if is_html {
        policy.for_html(nonce.as_deref())
    } else {
        policy.strict()
    };
    if let Ok(value) = HeaderValue::from_str(&value) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// Sets the policy on every answer of `router` that has none.
pub fn layer(router: Router, policy: Policy) -> Router {
    router.layer(axum::middleware::from_fn_with_state(policy, apply))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_inline_script_is_hashed_and_external_ones_are_not() {
        let html = "<html><head><script type=module src=/a.js></script>\
            <SCRIPT type=\"module\">import init from '/x.js';\nawait init();</SCRIPT>\
            <script>a()</script><script>a()</script><script>\u{4e2d}</script><script>unclosed";
        let hashes = inline_script_hashes(html);
        let expect = |s: &str| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(s)));
        assert_eq!(
            hashes,
            vec![
                expect("import init from '/x.js';\nawait init();"),
                expect("a()"),
                expect("\u{4e2d}"),
                expect("unclosed"),
            ]
        );
        assert!(inline_script_hashes("").is_empty());
        assert!(inline_script_hashes("<script").is_empty());
    }

    #[test]
    fn nonces_are_fresh_base64_of_128_bits() {
        let (a, b) = (new_nonce().unwrap(), new_nonce().unwrap());
        assert_ne!(a, b);
        assert_eq!(STANDARD.decode(&*a).unwrap().len(), 16);
    }

    #[test]
    fn html_gets_the_nonce_and_hashes_others_only_self() {
        let p = Policy::new("https://gw.example", &["'sha256-AAAA'".to_owned()]);
        let html = p.for_html(Some("N0nce"));
        assert!(html.contains("script-src 'self' 'nonce-N0nce' 'sha256-AAAA' 'wasm-unsafe-eval';"));
        assert!(p.strict().contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(
            p.for_html(None)
                .contains("script-src 'self' 'sha256-AAAA' 'wasm-unsafe-eval';")
        );
    }
}
