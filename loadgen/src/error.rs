//! Everything that can go wrong in a load run.

/// A failed request, setup step or check.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("http: {0}")]
    Http(#[from] reqwest::Error),
    #[error("{what}: status {status}: {body}")]
    Status {
        what: &'static str,
        status: u16,
        body: String,
    },
    #[error("{0}: unexpected answer: {1}")]
    Answer(&'static str, String),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("key: {0}")]
    Key(#[from] alipay::KeyError),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("histogram: {0}")]
    Histogram(String),
    #[error("task: {0}")]
    Join(#[from] tokio::task::JoinError),
    #[error("{0}")]
    Check(String),
}
