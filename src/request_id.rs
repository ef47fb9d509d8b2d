//! A request id for every request: generated here, never taken from the client (a client's
//! `x-request-id` is dropped, so nothing it sends reaches the log as an id), carried on the
//! request's tracing span and answered in `x-request-id`.
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The response header naming the request's id.
pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// One request's id: 16 lowercase hex digits (64 random bits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    /// A fresh random id; should the system's randomness fail, a process-wide counter mixed with
    /// the process id keeps ids distinct.
    pub fn generate() -> RequestId {
        static FALLBACK: AtomicU64 = AtomicU64::new(0);
        let n = getrandom::u64().unwrap_or_else(|_| {
            let count = FALLBACK.fetch_add(1, Ordering::Relaxed);
            (u64::from(std::process::id()) << 40) ^ count
        });
        RequestId(format!("{n:016x}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Middleware (outermost): gives the request its id (as an extension, for the span) and puts it
/// on the response.
pub async fn assign(mut req: Request, next: Next) -> Response {
    let id = RequestId::generate();
    req.headers_mut().remove(&HEADER);
    req.extensions_mut().insert(id.clone());
    let mut resp = next.run(req).await;
    if let Ok(value) = HeaderValue::from_str(id.as_str()) {
        resp.headers_mut().insert(HEADER, value);
    }
    resp
}

/// The span of one request (`TraceLayer::make_span_with`): its id, method, path and version.
/// Every log line of the request, in `shop` and in blocking work it starts, is inside it.
pub fn span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    let id = req
        .extensions()
        .get::<RequestId>()
        .map_or("-", RequestId::as_str);
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        uri = %req.uri(),
        version = ?req.version(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_hex_and_distinct() {
        let ids: std::collections::HashSet<String> =
            (0..1000).map(|_| RequestId::generate().0).collect();
        assert_eq!(ids.len(), 1000);
        assert!(ids.iter().all(|id| {
            id.len() == 16
                && id
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        }));
    }
}
