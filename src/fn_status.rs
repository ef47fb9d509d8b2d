//! Server functions answer every [`app::AppError`] with HTTP 500 (leptos' default). This layer
//! gives each error its own status (401 not logged in, 403 not allowed, 400 refused, 500 only for
//! real server failures), so logs, monitoring and API clients can tell a wrong password from an
//! outage. The JSON body is unchanged: the browser app decodes it the same way.
use axum::body::{Body, HttpBody, to_bytes};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

use app::AppError;

/// Server functions live under this prefix (leptos' default).
const SERVER_FN_PREFIX: &str = "/api/";
/// Error bodies are small; a larger or unsized body is passed on untouched, status included.
const MAX_ERROR_BODY: usize = 16 * 1024;

/// The middleware; see the module documentation.
pub async fn error_status(req: Request, next: Next) -> Response {
    let is_server_fn = req.uri().path().starts_with(SERVER_FN_PREFIX);
    let res = next.run(req).await;
    let small = res
        .body()
        .size_hint()
        .exact()
        .is_some_and(|n| n <= MAX_ERROR_BODY as u64);
    if !is_server_fn || res.status() != StatusCode::INTERNAL_SERVER_ERROR || !small {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::warn!(error = %e, "server function error body unreadable");
            return Response::from_parts(parts, Body::empty());
        }
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(err.status())
    {
        parts.status = status;
        if let Some(secs) = err.retry_after() {
            parts
                .headers
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::routing::post;

    use super::*;

    async fn answer(app: Router, path: &str) -> (u16, Vec<u8>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = app.layer(axum::middleware::from_fn(error_status));
        tokio::spawn(async move { axum::serve(listener, app).await });
        let r = reqwest::Client::new()
            .post(format!("http://{addr}{path}"))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
    }

    fn failing(body: Vec<u8>) -> Router {
        let handler = move || {
            let body = body.clone();
            async move { (StatusCode::INTERNAL_SERVER_ERROR, body) }
        };
        Router::new()
            .route("/api/f", post(handler.clone()))
            .route("/other", post(handler))
    }

    #[tokio::test]
    async fn an_app_error_gets_its_status_and_keeps_its_body() {
        let body = serde_json::to_vec(&AppError::Forbidden("无权访问".into())).unwrap();
        assert_eq!(answer(failing(body.clone()), "/api/f").await, (403, body));
    }

    #[tokio::test]
    async fn a_busy_server_function_answers_503_with_retry_after() {
        let body = serde_json::to_vec(&AppError::Busy(2)).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = failing(body.clone()).layer(axum::middleware::from_fn(error_status));
        tokio::spawn(async move { axum::serve(listener, app).await });
        let r = reqwest::Client::new()
            .post(format!("http://{addr}/api/f"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 503);
        assert_eq!(r.headers()["retry-after"], "2");
        assert_eq!(r.bytes().await.unwrap().to_vec(), body);
    }

    #[tokio::test]
    async fn other_answers_pass_untouched() {
        // Larger than the limit: neither the status nor a byte of the body changes.
        let big = vec![b'x'; MAX_ERROR_BODY + 1];
        assert_eq!(answer(failing(big.clone()), "/api/f").await, (500, big));
        // Not an AppError, or not a server function.
        let text = b"plain failure".to_vec();
        assert_eq!(answer(failing(text.clone()), "/api/f").await, (500, text));
        let body = serde_json::to_vec(&AppError::Unauthenticated).unwrap();
        assert_eq!(answer(failing(body.clone()), "/other").await, (500, body));
    }
}
