//! A tiny merchant: records every notify it receives and answers what the test says.

use alipay::sign::Params;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, post};
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
pub struct Received {
    pub body: Vec<u8>,
    pub content_type: String,
    pub params: Params,
}

#[derive(Default)]
struct Shared {
    notifies: Mutex<Vec<Received>>,
    answer: Mutex<String>,
    /// From the n-th notify on (counting from 1), this answer instead.
    later: Mutex<Option<(usize, String)>>,
}

#[derive(Clone)]
pub struct Merchant {
    shared: Arc<Shared>,
    pub base: String,
}

impl Merchant {
    /// Starts on 127.0.0.1:0 answering `answer` to every notify.
    pub async fn start(answer: &str) -> Merchant {
        let shared = Arc::new(Shared::default());
        *shared.answer.lock().unwrap() = answer.to_string();
        let app = axum::Router::new()
            .route("/alipay/notify", post(notify))
            .route("/alipay/return", get(|| async { "returned" }))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Merchant { shared, base }
    }

    pub fn notify_url(&self) -> String {
        format!("{}/alipay/notify", self.base)
    }

    pub fn return_url(&self) -> String {
        format!("{}/alipay/return", self.base)
    }

    /// Answers `a` from the `nth` notify on (counting from 1), whatever the schedule's pace.
    pub fn answer_from(&self, nth: usize, a: &str) {
        *self.shared.later.lock().unwrap() = Some((nth, a.to_string()));
    }

    pub fn notifies(&self) -> Vec<Received> {
        self.shared.notifies.lock().unwrap().clone()
    }
}

async fn notify(
    State(s): State<Arc<Shared>>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> String {
    let params = form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let received = {
        let mut notifies = s.notifies.lock().unwrap();
        notifies.push(Received {
            body: body.to_vec(),
            content_type,
            params,
        });
        notifies.len()
    };
    match &*s.later.lock().unwrap() {
        Some((nth, later)) if received >= *nth => later.clone(),
        _ => s.answer.lock().unwrap().clone(),
    }
}
