//! Server functions answer every [`app::AppError`] with HTTP 500 (leptos' default). This layer
//! gives each error its own status (401 not logged in, 403 not allowed, 400 refused, 500 only for
//! real server failures), so logs, monitoring and API clients can tell a wrong password from an
//! outage. The JSON body is unchanged: the browser app decodes it the same way.
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

use app::AppError;

/// Server functions live under this prefix (leptos' default).
const SERVER_FN_PREFIX: &str = "/api/";
/// Error bodies are small; anything larger is left alone.
const MAX_ERROR_BODY: usize = 16 * 1024;

/// The middleware; see the module documentation.
pub async fn error_status(req: Request, next: Next) -> Response {
    let is_server_fn = req.uri().path().starts_with(SERVER_FN_PREFIX);
    let res = next.run(req).await;
    if !is_server_fn || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) => bytes,
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(err.status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}
