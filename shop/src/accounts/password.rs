//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes).
//!
//! The 19 MiB of argon2 blocks come from a small pool ([`MAX_CONCURRENT_HASHES`] buffers) that is
//! reused by every hash and verification, instead of a fresh allocation each time: with glibc every
//! blocking-pool thread that hashed kept its own arena with a freed 19 MiB chunk in it, and a few
//! dozen logins left the server at ~480 MB resident. The pool bounds it at 2 x 19 MiB. A process
//! whose allocator hands large blocks back to the OS on free (the server binary sets glibc's mmap
//! threshold) keeps none: [`set_retained_buffers`]`(0)`, and memory falls back after each login.
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::ShopError;

/// Block buffers of the default size, ready for reuse.
static BLOCKS: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

/// How many idle buffers [`BLOCKS`] may keep.
static RETAINED: AtomicUsize = AtomicUsize::new(MAX_CONCURRENT_HASHES);

/// Sets how many idle 19 MiB buffers stay allocated between hashes (default 2, at most 2) and
/// frees the ones above it. 0 suits a process whose allocator unmaps large blocks on free.
pub fn set_retained_buffers(n: usize) {
    let n = n.min(MAX_CONCURRENT_HASHES);
    RETAINED.store(n, Ordering::Relaxed);
    if let Ok(mut pool) = BLOCKS.lock() {
        pool.truncate(n);
    }
}

/// Runs `f` with a block buffer of at least `count` blocks, from the pool when one fits, and
/// returns a default-sized buffer to the pool afterwards (at most [`MAX_CONCURRENT_HASHES`] kept).
fn with_blocks<T>(count: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
    let pooled = BLOCKS
        .lock()
        .ok()
        .and_then(|mut pool| pool.pop())
        .filter(|b| b.len() >= count);
    let mut blocks = pooled.unwrap_or_else(|| vec![Block::default(); count]);
    let out = f(&mut blocks);
    if blocks.len() == Params::default().block_count()
        && let Ok(mut pool) = BLOCKS.lock()
        && pool.len() < RETAINED.load(Ordering::Relaxed)
    {
        pool.push(blocks);
    }
    out
}

/// The argon2 output for `password` under `argon`'s parameters and `salt` (raw bytes).
fn compute(
    argon: &Argon2<'_>,
    params: &Params,
    password: &[u8],
    salt: &[u8],
) -> Result<Output, argon2::password_hash::Error> {
    let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    with_blocks(params.block_count(), |blocks| {
        Output::init_with(len, |out| {
            argon
                .hash_password_into_with_memory(password, salt, out, blocks)
                .map_err(argon2::password_hash::Error::from)
        })
    })
}

/// Hashes `password` into a PHC string (`$argon2id$v=19$...`) with a fresh random salt.
///
/// ```
/// let h = shop::accounts::password::hash("correct horse").unwrap();
/// assert!(shop::accounts::password::verify(&h, "correct horse"));
/// assert!(!shop::accounts::password::verify(&h, "wrong"));
/// ```
pub fn hash(password: &str) -> Result<String, ShopError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| ShopError::internal("no randomness", e))?;
    let encoded =
        SaltString::encode_b64(&salt).map_err(|e| ShopError::internal("salt", e.to_string()))?;
    let params = Params::default();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let argon_err = |e: argon2::password_hash::Error| ShopError::internal("argon2", e.to_string());
    let output = compute(&argon, &params, password.as_bytes(), &salt).map_err(argon_err)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(argon_err)?,
        salt: Some(encoded.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the stored PHC `hash` (false for a malformed hash). The comparison
/// of the outputs is constant-time ([`Output`]'s equality).
pub fn verify(hash: &str, password: &str) -> bool {
    let check = || -> Result<bool, argon2::password_hash::Error> {
        let parsed = PasswordHash::new(hash)?;
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return Ok(false);
        };
        let algorithm = Algorithm::try_from(parsed.algorithm)?;
        let version = parsed
            .version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
        // m, t, p and the output length, as stored.
        let params = Params::try_from(&parsed)?;
        let mut salt_buf = [0u8; 64];
        let salt = salt.decode_b64(&mut salt_buf)?;
        let argon = Argon2::new(algorithm, version, params.clone());
        Ok(compute(&argon, &params, password.as_bytes(), salt)? == expected)
    };
    check().unwrap_or(false)
}

/// At most this many argon2 computations at once (19 MiB each): caps memory under a login storm.
const MAX_CONCURRENT_HASHES: usize = 2;

/// At most this many calls wait for a hashing permit; one more is refused with
/// [`ShopError::Busy`] (HTTP 503 with `Retry-After`) instead of queueing without bound.
pub const MAX_WAITING_HASHES: usize = 64;

/// Seconds a client refused for a full queue is told to wait.
pub const BUSY_RETRY_AFTER_SECS: u64 = 2;

/// The hashing permits and a bounded count of the calls waiting for one.
struct HashQueue {
    permits: tokio::sync::Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
}

/// One waiting call: counted while it waits, uncounted when it gets its permit or gives up.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl HashQueue {
    const fn new(permits: usize, max_waiting: usize) -> HashQueue {
        HashQueue {
            permits: tokio::sync::Semaphore::const_new(permits),
            waiting: AtomicUsize::new(0),
            max_waiting,
        }
    }

    /// A permit at once if one is free; otherwise a place in the queue, or `Busy` when it is full.
    async fn enter(&self) -> Result<tokio::sync::SemaphorePermit<'_>, ShopError> {
        if let Ok(permit) = self.permits.try_acquire() {
            return Ok(permit);
        }
        let before = self.waiting.fetch_add(1, Ordering::AcqRel);
        let place = Waiting(&self.waiting);
        if before >= self.max_waiting {
            return Err(ShopError::Busy(BUSY_RETRY_AFTER_SECS));
        }
        let permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| ShopError::internal("hash semaphore", e))?;
        drop(place);
        Ok(permit)
    }
}

static QUEUE: HashQueue = HashQueue::new(MAX_CONCURRENT_HASHES, MAX_WAITING_HASHES);

/// Runs `work` on the blocking pool behind the hashing semaphore, so argon2 never stalls the async
/// workers and never holds more than [`MAX_CONCURRENT_HASHES`] buffers; at most
/// [`MAX_WAITING_HASHES`] calls wait, the next ones get [`ShopError::Busy`].
async fn off_the_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ShopError> {
    let _permit = QUEUE.enter().await?;
    crate::blocking::spawn(work)
        .await
        .map_err(|e| ShopError::internal("hash task", e))
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

#[cfg(test)]
mod tests {
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    use super::*;

    #[test]
    fn pooled_hashes_match_the_crates_own_hasher_both_ways() {
        let ours = hash("correct horse").unwrap();
        assert!(ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse", &parsed)
                .is_ok()
        );
        let salt = SaltString::encode_b64(&[7u8; 16]).unwrap();
        let theirs = Argon2::default()
            .hash_password(b"battery staple", &salt)
            .unwrap()
            .to_string();
        assert!(verify(&theirs, "battery staple"));
        assert!(!verify(&theirs, "battery stapler"));
        // Other parameters (smaller memory, longer output) verify too, from a fitting buffer.
        let small = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(1024, 1, 1, Some(48)).unwrap(),
        )
        .hash_password(b"pw", &salt)
        .unwrap()
        .to_string();
        assert!(verify(&small, "pw"));
        assert!(!verify(&small, "pW"));
        assert!(!verify("$argon2id$garbage", "pw"));
    }

    #[test]
    fn a_full_queue_answers_busy_at_once_and_frees_its_places() {
        use std::future::Future;
        use std::task::{Context, Poll, Waker};
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let q = HashQueue::new(1, 2);
            let held = q.enter().await.expect("the free permit");
            let mut cx = Context::from_waker(Waker::noop());
            let mut first = Box::pin(q.enter());
            let mut second = Box::pin(q.enter());
            assert!(first.as_mut().poll(&mut cx).is_pending());
            assert!(second.as_mut().poll(&mut cx).is_pending());
            assert_eq!(q.waiting.load(Ordering::Acquire), 2);
            // The queue is full: the third is refused without waiting.
            let mut third = Box::pin(q.enter());
            match third.as_mut().poll(&mut cx) {
                Poll::Ready(Err(ShopError::Busy(secs))) => assert!(secs >= 1),
                other => panic!("expected Busy, got {:?}", other.map(|r| r.map(|_| ()))),
            }
            assert_eq!(q.waiting.load(Ordering::Acquire), 2);
            // A waiter that gives up frees its place; one that gets the permit leaves the queue.
            drop(second);
            assert_eq!(q.waiting.load(Ordering::Acquire), 1);
            drop(held);
            let got = first.as_mut().poll(&mut cx);
            assert!(matches!(got, Poll::Ready(Ok(_))));
            assert_eq!(q.waiting.load(Ordering::Acquire), 0);
        });
    }

    #[test]
    fn the_pool_keeps_at_most_two_buffers() {
        std::thread::scope(|s| {
            for _ in 0..6 {
                s.spawn(|| assert!(verify(&hash("pw-123456").unwrap(), "pw-123456")));
            }
        });
        assert!(BLOCKS.lock().unwrap().len() <= MAX_CONCURRENT_HASHES);
    }

    #[test]
    fn with_no_retained_buffers_the_pool_stays_empty_and_hashes_still_verify() {
        set_retained_buffers(0);
        assert!(verify(&hash("pw-654321").unwrap(), "pw-654321"));
        let kept = BLOCKS.lock().unwrap().len();
        set_retained_buffers(MAX_CONCURRENT_HASHES);
        assert_eq!(kept, 0);
    }
}
