//! The one error type server functions return: a message a user can read, in Chinese.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What went wrong, as the browser shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Not logged in (or the session expired).
    #[error("请先登录")]
    Unauthenticated,
    /// A field of the request was refused; `field` names it.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// Logged in, but not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    /// Anything else the user should read (a refusal of what they asked).
    #[error("{0}")]
    Message(String),
    /// The server is too busy right now; retry after this many seconds (HTTP 503, `Retry-After`).
    #[error("服务器繁忙，请稍后再试")]
    Busy(u64),
    /// The server failed (database, gateway); logged on the server.
    #[error("{0}")]
    Internal(String),
    /// The call itself failed (network, encoding).
    #[error("网络异常，请稍后再试")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

impl AppError {
    /// The HTTP status a server function answers with when it returns this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden(_) => 403,
            AppError::Invalid { .. } | AppError::Message(_) => 400,
            AppError::Internal(_) | AppError::Transport(_) => 500,
            AppError::Busy(_) => 503,
        }
    }

    /// Seconds a client should wait before retrying, for a `Retry-After` header.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::Busy(secs) => Some(*secs),
            _ => None,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<shop::ShopError> for AppError {
    fn from(e: shop::ShopError) -> Self {
        use shop::ShopError as E;
        match &e {
            E::Unauthenticated => AppError::Unauthenticated,
            E::Busy(secs) => AppError::Busy(*secs),
            E::Db(_) | E::Internal(_) | E::Gateway(_) => {
                tracing::error!(error = %shop::error::chain(&e), "server function failed");
                AppError::Internal(e.to_string())
            }
            _ => match e.field() {
                Some(field) => AppError::Invalid {
                    field: field.to_owned(),
                    message: e.to_string(),
                },
                None => AppError::Message(e.to_string()),
            },
        }
    }
}
