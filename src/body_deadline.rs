//! A deadline for receiving a request's body, counted from when its headers were read. Past it the
//! handler's next read fails, and the client gets 408 with `Connection: close` instead of whatever
//! the handler made of the failed read. Bytes already received are never refused; a body the
//! handler does not read costs nothing.
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use tokio::time::Sleep;

/// The error the handler sees when the deadline passes.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive in time")]
struct BodyTimeout;

/// `inner`, failing once `deadline` has passed while the handler waits for more of it.
struct DeadlineBody {
    inner: Body,
    deadline: Pin<Box<Sleep>>,
    expired: Arc<AtomicBool>,
}

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        if this.deadline.as_mut().poll(cx).is_ready() {
            this.expired.store(true, Ordering::Relaxed);
            return Poll::Ready(Some(Err(axum::Error::new(BodyTimeout))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// The middleware (state: the time allowed for the body).
pub async fn enforce(State(allowed): State<Duration>, req: Request, next: Next) -> Response {
    if http_body::Body::is_end_stream(req.body()) {
        return next.run(req).await;
    }
    let expired = Arc::new(AtomicBool::new(false));
    let req = req.map(|inner| {
        Body::new(DeadlineBody {
            inner,
            deadline: Box::pin(tokio::time::sleep(allowed)),
            expired: Arc::clone(&expired),
        })
    });
    let response = next.run(req).await;
    if expired.load(Ordering::Relaxed) {
        tracing::info!("request body not received in time: 408");
        return (
            StatusCode::REQUEST_TIMEOUT,
            [
                (header::CONNECTION, "close"),
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            ],
            "请求超时：请求内容没有在时限内发送完",
        )
            .into_response();
    }
    response
}
