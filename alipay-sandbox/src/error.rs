//! The sandbox's typed errors.

/// Errors starting or running the sandbox.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("sandbox store error: {0}")]
    Store(#[from] sea_orm::DbErr),
    #[error("invalid sandbox configuration: {0}")]
    Config(String),
    #[error("sandbox data is corrupt: {0}")]
    Corrupt(String),
    #[error("http client error: {0}")]
    Http(String),
}
