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
