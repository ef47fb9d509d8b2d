//! The accept loop (`coursepay::listen::serve_on`): slow or stalled clients are cut off, open
//! connections are bounded, every request knows its peer, shutdown finishes what is in flight.
//! Limits are set to a second or two so the tests are fast; every wait for the server has a
//! generous bound so a busy machine slows the tests down instead of failing them.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::routing::{get, post};
use coursepay::listen::{Limits, serve_on};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{Notify, oneshot};

/// Long enough for any busy machine; the old server would wait forever.
const PATIENCE: Duration = Duration::from_secs(20);

fn limits(header: u64, body: u64, request: u64, connections: u64) -> Limits {
    Limits {
        http_header_timeout_secs: header,
        http_body_timeout_secs: body,
        http_request_timeout_secs: request,
        http_max_connections: connections,
    }
}

/// Serves `app` on a fresh loopback port until `stop` fires; returns the address and the server.
async fn serve(
    app: Router,
    limits: Limits,
) -> (SocketAddr, oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(serve_on(listener, app, limits, async move {
        let _ = stopped.await;
    }));
    (addr, stop, server)
}

/// Reads until the server closes the connection (or resets it); what was read. Panics if the
/// server keeps the connection open past [`PATIENCE`].
async fn read_until_closed(tcp: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let read = tokio::time::timeout(PATIENCE, async {
        let mut buf = [0u8; 4096];
        loop {
            match tcp.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server still holds the connection");
    String::from_utf8_lossy(&got).into_owned()
}

async fn raw(addr: impl tokio::net::ToSocketAddrs, bytes: &[u8]) -> TcpStream {
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    tcp.write_all(bytes).await.unwrap();
    tcp
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let s = crate::common::start_with(&["--http-header-timeout-secs", "1"]).await;
    let addr = s.base.trim_start_matches("http://").to_owned();
    for partial in [
        &b""[..],
        b"GET /cou",
        b"GET / HTTP/1.1\r\nHost: x\r\n",
        b"POST /order/notify HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nX-A: \t",
        b"GET / HTTP/1.1\r\nHost: x\r\nX-\xe4\xb8\xad: \x00\r",
    ] {
        let mut tcp = raw(&addr, partial).await;
        let answer = read_until_closed(&mut tcp).await;
        assert!(
            !answer.starts_with("HTTP/1.1 200"),
            "{partial:?} was answered: {answer}"
        );
    }
    // An idle keep-alive connection is closed the same way after its answer.
    let mut tcp = raw(&addr, b"GET /course/list HTTP/1.1\r\nHost: x\r\n\r\n").await;
    let answer = read_until_closed(&mut tcp).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // And the server still serves everyone else.
    let r = s.http.get(s.url("/course/list")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_never_comes_gets_408_and_others_are_still_served() {
    let s = crate::common::start_with(&["--http-body-timeout-secs", "1"]).await;
    let addr = s.base.trim_start_matches("http://").to_owned();
    let mut stalled = Vec::new();
    let form = "application/x-www-form-urlencoded";
    for (path, kind, sent) in [
        ("/order/notify", form, ""),
        ("/order/notify", form, "out_trade_no=CP1&sign="),
        ("/user/login", "application/json", "{\"username\":"),
    ] {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {kind}\r\n\
             Content-Length: 4000\r\n\r\n{sent}"
        );
        stalled.push(raw(&addr, head.as_bytes()).await);
    }
    // Chunked, with a chunk that never ends.
    let chunked = format!(
        "POST /order/notify HTTP/1.1\r\nHost: {addr}\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc"
    );
    stalled.push(raw(&addr, chunked.as_bytes()).await);
    // While they stall, others are served, the notify route still with its exact answer.
    let r = s
        .http
        .post(s.url("/order/notify"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("a=1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "failure");
    for mut tcp in stalled {
        let answer = read_until_closed(&mut tcp).await;
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    }
    let r = s.http.get(s.url("/course/list")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_takes_too_long_gets_504() {
    let app = Router::new()
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                "late"
            }),
        )
        .route("/fast", get(|| async { "ok" }));
    let (addr, _stop, _server) = serve(app, limits(30, 30, 1, 100)).await;
    let mut tcp = raw(
        addr,
        b"GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    let answer = read_until_closed(&mut tcp).await;
    assert!(answer.starts_with("HTTP/1.1 504"), "{answer}");
    let mut tcp = raw(
        addr,
        b"GET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(read_until_closed(&mut tcp).await.ends_with("ok"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_knows_its_peer() {
    let app = Router::new().route(
        "/peer",
        post(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
    );
    let (addr, _stop, _server) = serve(app, limits(30, 30, 30, 100)).await;
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    let me = tcp.local_addr().unwrap();
    tcp.write_all(
        b"POST /peer HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    )
    .await
    .unwrap();
    let answer = read_until_closed(&mut tcp).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with(&format!("\r\n\r\n{me}")), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_the_limit_wait_until_one_closes() {
    let entered = Arc::new(Notify::new());
    let app = Router::new().route("/", get(|| async { "served" })).route(
        "/enter",
        get({
            let entered = Arc::clone(&entered);
            move || async move {
                entered.notify_one();
                "in"
            }
        }),
    );
    let (addr, _stop, _server) = serve(app, limits(30, 30, 30, 1)).await;
    // The first connection takes the only slot and keeps it (keep-alive).
    let mut first = raw(addr, b"GET /enter HTTP/1.1\r\nHost: x\r\n\r\n").await;
    tokio::time::timeout(PATIENCE, entered.notified())
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = first.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    // The second is connected (the kernel's backlog) but not served while the first is open.
    let mut second = raw(
        addr,
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    let early = tokio::time::timeout(Duration::from_secs(1), second.read(&mut buf)).await;
    assert!(early.is_err(), "served past the limit: {early:?}");
    drop(first);
    let answer = read_until_closed(&mut second).await;
    assert!(
        answer.starts_with("HTTP/1.1 200") && answer.ends_with("served"),
        "{answer}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_stops_accepting_and_finishes_requests_in_flight() {
    let entered = Arc::new(Notify::new());
    let release = Arc::new(Notify::new());
    let app = Router::new().route(
        "/work",
        get({
            let (entered, release) = (Arc::clone(&entered), Arc::clone(&release));
            move || async move {
                entered.notify_one();
                release.notified().await;
                "finished"
            }
        }),
    );
    let (addr, stop, server) = serve(app, limits(30, 30, 30, 100)).await;
    let mut busy = raw(
        addr,
        b"GET /work HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    tokio::time::timeout(PATIENCE, entered.notified())
        .await
        .unwrap();
    stop.send(()).unwrap();
    // The listener closes: a new connection is refused (or closed unanswered).
    let refused = tokio::time::timeout(PATIENCE, async {
        loop {
            match TcpStream::connect(addr).await {
                Err(_) => break,
                Ok(mut tcp) => {
                    let _ = tcp
                        .write_all(b"GET /none HTTP/1.1\r\nHost: x\r\n\r\n")
                        .await;
                    let mut buf = [0u8; 64];
                    if matches!(tcp.read(&mut buf).await, Ok(0) | Err(_)) {
                        break;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(refused.is_ok(), "still accepting after shutdown");
    assert!(!server.is_finished(), "returned with a request in flight");
    release.notify_one();
    let answer = read_until_closed(&mut busy).await;
    assert!(answer.ends_with("finished"), "{answer}");
    tokio::time::timeout(PATIENCE, server)
        .await
        .expect("serve_on returns once the last request is done")
        .unwrap();
}
