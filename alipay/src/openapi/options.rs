//! Timeouts and the retry policy of the OpenAPI client.

use std::time::Duration;

/// Timeouts and retry policy.
///
/// ```
/// let o = alipay::openapi::ClientOptions::default();
/// assert_eq!(o.max_retries, 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientOptions {
    /// Whole-request timeout.
    pub timeout: Duration,
    /// TCP/TLS connect timeout.
    pub connect_timeout: Duration,
    /// Extra attempts for idempotent calls on retryable errors.
    pub max_retries: u32,
    /// First backoff; doubled on each retry.
    pub retry_backoff: Duration,
}

impl Default for ClientOptions {
    fn default() -> ClientOptions {
        ClientOptions {
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            max_retries: 2,
            retry_backoff: Duration::from_millis(200),
        }
    }
}
