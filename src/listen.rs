//! The accept loop: HTTP/1.1 on hyper with a header-read timeout, a body-read deadline, a
//! whole-request timeout, a bound on open connections, TCP_NODELAY, the peer's address in every
//! request (`ConnectInfo<SocketAddr>`), and graceful shutdown.
//!
//! Past `max_connections` the loop stops calling `accept`: new connections wait in the kernel's
//! listen backlog (their TCP handshake completes, nothing is read) and are served, oldest first,
//! as soon as an open connection closes. Every open connection frees its slot within the header
//! timeout when idle (including keep-alive connections waiting for their next request) and within
//! the request timeout when busy, so a slot cannot be held forever.
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::http::StatusCode;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;
use tower_http::timeout::TimeoutLayer;

/// The HTTP limits (`coursepay --help`: HTTP_*), flattened into the configuration.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Limits {
    /// Seconds a client has to send a request's headers (the request line included); also how long
    /// an idle keep-alive connection stays open. The connection is closed past it.
    #[arg(long, env = "HTTP_HEADER_TIMEOUT_SECS", default_value_t = 10, global = true,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub http_header_timeout_secs: u64,

    /// Seconds a client has to send a request's whole body once its headers are in; then 408.
    #[arg(long, env = "HTTP_BODY_TIMEOUT_SECS", default_value_t = 20, global = true,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub http_body_timeout_secs: u64,

    /// Seconds from the headers to the response's headers (body read included); then 504.
    #[arg(long, env = "HTTP_REQUEST_TIMEOUT_SECS", default_value_t = 30, global = true,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub http_request_timeout_secs: u64,

    /// Open connections served at once; more wait in the kernel's listen backlog until one closes.
    #[arg(long, env = "HTTP_MAX_CONNECTIONS", default_value_t = 1024, global = true,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub http_max_connections: u64,
}

impl Limits {
    fn header(&self) -> Duration {
        Duration::from_secs(self.http_header_timeout_secs)
    }
    fn body(&self) -> Duration {
        Duration::from_secs(self.http_body_timeout_secs)
    }
    fn request(&self) -> Duration {
        Duration::from_secs(self.http_request_timeout_secs)
    }
}

/// Adds the body deadline (408) and the whole-request timeout (504) around `app`.
fn with_timeouts(app: Router, limits: &Limits) -> Router {
    app.layer(axum::middleware::from_fn_with_state(
        limits.body(),
        crate::body_deadline::enforce,
    ))
    .layer(TimeoutLayer::with_status_code(
        StatusCode::GATEWAY_TIMEOUT,
        limits.request(),
    ))
}

/// Serves `app` on `listener` until `shutdown` completes, then stops accepting and lets the
/// requests in flight finish (for at most the request timeout). Errors of one connection end only
/// that connection.
pub async fn serve_on(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let app = with_timeouts(app, &limits);
    let slots = Arc::new(Semaphore::new(
        usize::try_from(limits.http_max_connections).unwrap_or(usize::MAX),
    ));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = accept_within_limit(&listener, &slots) => accepted,
        };
        let Some((tcp, peer, slot)) = accepted else {
            continue;
        };
        // Small responses go out at once instead of waiting on Nagle + delayed ACK (~40 ms).
        let _ = tcp.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(req.map(Body::new))
        });
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header())
            .keep_alive(true)
            .serve_connection(TokioIo::new(tcp), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(err) = conn.await {
                tracing::debug!(%peer, "connection ended: {err}");
            }
            drop(slot);
        });
    }
    drop(listener);
    tracing::info!(
        open = graceful.count(),
        "no longer accepting; finishing requests in flight"
    );
    if tokio::time::timeout(limits.request(), graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the request timeout; closing them");
    }
}

/// Waits for a free slot, then for a connection. `None` after an accept error (logged; a short
/// pause when out of file descriptors so the loop does not spin).
async fn accept_within_limit(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
) -> Option<(
    tokio::net::TcpStream,
    SocketAddr,
    tokio::sync::OwnedSemaphorePermit,
)> {
    let slot = Arc::clone(slots).acquire_owned().await.ok()?;
    match listener.accept().await {
        Ok((tcp, peer)) => Some((tcp, peer, slot)),
        Err(err) => {
            tracing::warn!("accept failed: {err}");
            tokio::time::sleep(Duration::from_millis(100)).await;
            None
        }
    }
}
