//! The site's `/pkg` files (WASM, JS, CSS): sent precompressed when the client accepts it, with
//! `Vary: Accept-Encoding` and cache headers.
//!
//! `cargo leptos build --release --precompress` writes a brotli `.br` and a gzip `.gz` beside each
//! file of the site; [`ServeDir`] sends one of them with `Content-Encoding: br`/`gzip` when the
//! request's `Accept-Encoding` allows it, and the raw file otherwise (also when no compressed copy
//! exists, e.g. after a debug build). Names with a content hash (`coursepay.<hash>.wasm`, cargo-leptos
//! `hash-files`) are cached for a year as immutable; plain names are revalidated on every use
//! (`no-cache`: a 304 answers an unchanged file by its `Last-Modified`).
use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::ServeDir;

/// `Cache-Control` for a file name: immutable for a year when the name carries a content hash.
///
/// ```
/// use coursepay::assets::cache_control;
/// assert_eq!(cache_control("coursepay.wasm"), "no-cache");
/// assert_eq!(cache_control("coursepay.3f9a1c27be5d40aa.wasm"), "public, max-age=31536000, immutable");
/// ```
pub fn cache_control(file_name: &str) -> &'static str {
    if has_content_hash(file_name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// `name.<hash>.ext` (cargo-leptos) with a hash of at least 8 letters and digits, some of them
/// digits, or `name-<hex>.ext` / `name-<hex>_bg.wasm` (Trunk) with at least 8 hex digits.
fn has_content_hash(file_name: &str) -> bool {
    let stem = file_name.split(['.', '_']).next().unwrap_or_default();
    let trunk = stem
        .rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
    let parts: Vec<&str> = file_name.split('.').collect();
    trunk
        || parts.len() >= 3
            && parts[1..parts.len() - 1].iter().any(|p| {
                p.len() >= 8
                    && p.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    && p.chars().any(|c| c.is_ascii_digit())
            })
}

/// The last path segment of the request (the file name a cache rule looks at).
fn requested_file_name(req: &Request) -> String {
    req.uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Middleware for every static answer: `Vary: Accept-Encoding` (a precompressed file may be
/// sent), and on a 2xx or 304 the `Cache-Control` of [`cache_control`], except HTML, which is
/// always revalidated (a client-side build's `index.html` names the current hashed files).
pub(crate) async fn headers(req: Request, next: Next) -> Response {
    let name = requested_file_name(&req);
    let mut res = next.run(req).await;
    let cacheable = res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let h = res.headers_mut();
    h.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    if cacheable {
        let value = if html {
            "no-cache"
        } else {
            cache_control(&name)
        };
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

/// A router serving `dir` under `prefix` (e.g. `/pkg`), precompressed brotli, then gzip.
pub fn pkg_router<S: Clone + Send + Sync + 'static>(prefix: &str, dir: &Path) -> Router<S> {
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    Router::new()
        .nest_service(prefix, files)
        .layer(middleware::from_fn(headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_immutable() {
        assert!(has_content_hash("coursepay-csr-5e1a9c0b7d3f2a11_bg.wasm"));
        assert!(has_content_hash("coursepay-csr-5e1a9c0b7d3f2a11.js"));
        assert!(has_content_hash("main-0123456789abcdef.css"));
        assert!(!has_content_hash("favicon.ico"));
        assert!(!has_content_hash("index.html"));
        assert!(!has_content_hash("coursepay-csr.js"));
    }

    #[test]
    fn only_hashed_names_are_immutable() {
        assert_eq!(cache_control("coursepay.js"), "no-cache");
        assert_eq!(cache_control("coursepay.css"), "no-cache");
        assert_eq!(cache_control("coursepay_bg.wasm"), "no-cache");
        assert_eq!(cache_control("a.b.c"), "no-cache");
        assert_eq!(cache_control("coursepay.abcdefgh.js"), "no-cache");
        assert_eq!(
            cache_control("coursepay.0a1b2c3d4e5f.js"),
            "public, max-age=31536000, immutable"
        );
    }

    async fn serve(dir: &Path) -> String {
        let app: Router = pkg_router("/pkg", dir);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await });
        format!("http://{addr}/pkg")
    }

    #[tokio::test]
    async fn brotli_then_gzip_then_identity_with_vary_and_cache_headers() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("app.wasm"), b"raw wasm").expect("raw");
        std::fs::write(dir.path().join("app.wasm.br"), b"br bytes").expect("br");
        std::fs::write(dir.path().join("app.wasm.gz"), b"gz bytes").expect("gz");
        std::fs::write(dir.path().join("plain.css"), b"body{}").expect("css");
        let base = serve(dir.path()).await;
        let http = reqwest::Client::builder()
            .no_brotli()
            .no_gzip()
            .build()
            .expect("client");
        let get = |path: &str, enc: &str| {
            http.get(format!("{base}/{path}"))
                .header("accept-encoding", enc)
                .send()
        };

        let r = get("app.wasm", "gzip, deflate, br").await.expect("br");
        assert_eq!(r.headers()["content-encoding"], "br");
        assert_eq!(r.headers()["content-type"], "application/wasm");
        assert_eq!(r.headers()["vary"], "accept-encoding");
        assert_eq!(r.headers()["cache-control"], "no-cache");
        assert_eq!(r.bytes().await.expect("body").as_ref(), b"br bytes");

        let r = get("app.wasm", "gzip").await.expect("gz");
        assert_eq!(r.headers()["content-encoding"], "gzip");
        assert_eq!(r.bytes().await.expect("body").as_ref(), b"gz bytes");

        let r = get("app.wasm", "identity").await.expect("raw");
        assert!(r.headers().get("content-encoding").is_none());
        assert_eq!(r.headers()["vary"], "accept-encoding");
        assert_eq!(r.bytes().await.expect("body").as_ref(), b"raw wasm");

        // No compressed copy: the raw file, whatever the client accepts.
        let r = get("plain.css", "br").await.expect("css");
        assert!(r.headers().get("content-encoding").is_none());
        assert_eq!(r.bytes().await.expect("body").as_ref(), b"body{}");

        let r = get("missing.js", "br").await.expect("404");
        assert_eq!(r.status().as_u16(), 404);
        assert!(r.headers().get("cache-control").is_none());
    }
}
