//! The same-origin check on the sandbox's own writes (cashier buttons, fault settings): a page on
//! another site cannot press them for the buyer or the developer. Only the gateway endpoint takes
//! posts from other sites (merchants' pages post their page-pay forms there).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::html::origin;
use crate::state::Inner;

/// What a refused cross-site write reads.
pub const REFUSED: &str = "跨站请求被拒绝 Cross-site request refused";

/// Whether a write carrying `origin_header` (if any) comes from the sandbox's own site: no header
/// (not a browser), the origin of the sandbox's public URL, or the origin of the `Host` it was sent to.
///
/// ```
/// use alipay_sandbox::origin::allowed;
/// let base = "http://127.0.0.1:8480";
/// assert!(allowed(None, base, None));
/// assert!(allowed(Some("http://127.0.0.1:8480"), base, Some("127.0.0.1:8480")));
/// assert!(!allowed(Some("https://evil.example"), base, Some("127.0.0.1:8480")));
/// assert!(!allowed(Some("null"), base, Some("127.0.0.1:8480")));
/// ```
pub fn allowed(origin_header: Option<&str>, base: &str, host: Option<&str>) -> bool {
    let Some(o) = origin_header else { return true };
    let o = o.trim_end_matches('/');
    if origin(base).is_some_and(|b| b.eq_ignore_ascii_case(o)) {
        return true;
    }
    let o_host = o.split_once("://").map(|(_, h)| h);
    matches!((o_host, host), (Some(a), Some(b)) if !a.is_empty() && a.eq_ignore_ascii_case(b))
}

/// Middleware: refuses POST/PUT/PATCH/DELETE from another site with 403.
pub async fn check(State(inner): State<Arc<Inner>>, req: Request, next: Next) -> Response {
    let writes = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    if writes {
        let h = |name| {
            req.headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
        };
        if !allowed(h(header::ORIGIN), &inner.base, h(header::HOST)) {
            tracing::warn!(origin = ?h(header::ORIGIN).map(|o| o.chars().take(100).collect::<String>()),
                path = req.uri().path(), "sandbox: cross-site write refused");
            return (StatusCode::FORBIDDEN, REFUSED).into_response();
        }
    }
    next.run(req).await
}
