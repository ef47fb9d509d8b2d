//! The server's memory policy: large blocks go back to the operating system when freed.
//!
//! glibc serves big allocations from their own mappings, but after the first such block is freed it
//! raises its mmap threshold to that size, so later blocks of the size (argon2's 19 MiB per password
//! hash) come from the heap of whichever arena the hashing thread uses, and stay resident after
//! `free`. Fixing the threshold at 1 MiB turns that off: every block of 1 MiB or more is mapped for
//! its allocation and unmapped on free (measured in BENCHMARKS.md, "server RSS").

/// The fixed threshold: allocations of at least this many bytes get their own mapping.
const MMAP_THRESHOLD: i32 = 1 << 20;

/// Applies the policy and tells the password hasher it need not keep buffers. Call once, first
/// thing in `main`. Returns whether the allocator accepted it (false off glibc).
pub fn return_large_blocks_to_os() -> bool {
    let applied = set_mmap_threshold();
    if applied {
        shop::accounts::password::set_retained_buffers(0);
    }
    applied
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn set_mmap_threshold() -> bool {
    // SAFETY: mallopt only changes malloc's tunables under malloc's own lock; it touches no memory
    // of ours and is sound to call from any thread at any time.
    unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn set_mmap_threshold() -> bool {
    false
}
