//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes).
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::ShopError;

/// Hashes `password` into a PHC string (`$argon2id$v=19$...`) with a fresh random salt.
///
/// ```
/// let h = shop::accounts::password::hash("correct horse").unwrap();
/// assert!(shop::accounts::password::verify(&h, "correct horse"));
/// assert!(!shop::accounts::password::verify(&h, "wrong"));
/// ```
pub fn hash(password: &str) -> Result<String, ShopError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| ShopError::Internal(format!("no randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| ShopError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ShopError::Internal(format!("argon2: {e}")))
}

/// Whether `password` matches the stored PHC `hash` (false for a malformed hash).
pub fn verify(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// At most this many argon2 computations at once (19 MiB each): caps memory under a login storm.
const MAX_CONCURRENT_HASHES: usize = 2;

fn hash_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new(MAX_CONCURRENT_HASHES))
}

/// Runs `work` on the blocking pool behind the hashing semaphore, so argon2 never stalls the async
/// workers and never holds more than [`MAX_CONCURRENT_HASHES`] buffers.
async fn off_the_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ShopError> {
    let _permit = hash_permits()
        .acquire()
        .await
        .map_err(|e| ShopError::Internal(format!("hash semaphore: {e}")))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ShopError::Internal(format!("hash task: {e}")))
}

/// [`hash`] off the async runtime.
pub async fn hash_async(password: &str) -> Result<String, ShopError> {
    let password = password.to_owned();
    off_the_runtime(move || hash(&password)).await?
}

/// [`verify`] off the async runtime.
pub async fn verify_async(hash: &str, password: &str) -> Result<bool, ShopError> {
    let (hash, password) = (hash.to_owned(), password.to_owned());
    off_the_runtime(move || verify(&hash, &password)).await
}
