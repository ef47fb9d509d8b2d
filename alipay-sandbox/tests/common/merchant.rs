//! A tiny merchant: records every notify it receives and answers what the test says.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use alipay::sign::Params;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, post};

#[derive(Clone, Debug)]
pub struct Received {
    pub at: Instant,
    pub body: Vec<u8>,
    pub content_type: String,
    pub params: Params,
}

#[derive(Default)]
struct Shared {
    notifies: Mutex<Vec<Received>>,
    answer: Mutex<String>,
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

    pub fn set_answer(&self, a: &str) {
        *self.shared.answer.lock().unwrap() = a.to_string();
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
    s.notifies.lock().unwrap().push(Received {
        at: Instant::now(),
        body: body.to_vec(),
        content_type,
        params,
    });
    s.answer.lock().unwrap().clone()
}
