//! Work for the blocking pool (signing, password hashing) that stays inside the caller's span, so
//! its log lines carry the request id and order number of the request that asked for it.

/// [`tokio::task::spawn_blocking`] inside the current span.
///
/// ```
/// # #[tokio::main] async fn main() {
/// let digest = shop::blocking::spawn(|| shop::accounts::password::hash("correct horse")).await;
/// assert!(digest.unwrap().unwrap().starts_with("$argon2id$"));
/// # }
/// ```
pub fn spawn<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> tokio::task::JoinHandle<T> {
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(work))
}
