//! The server's memory policy (`coursepay::memory`): blocks of argon2's size, allocated and freed
//! on several threads, go back to the OS. Its own test binary: the policy is process-wide.

/// Resident set size of this process, in KiB.
fn rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// 4 threads, each allocating, touching and freeing a 19 MiB block 3 times (what 12 logins on
/// the blocking pool do); returns how much the resident set grew, in KiB.
fn growth_after_hash_sized_blocks() -> u64 {
    let before = rss_kb();
    std::thread::scope(|s| {
        for t in 0..4u8 {
            s.spawn(move || {
                for _ in 0..3 {
                    let mut block = vec![0u8; 19 << 20];
                    for page in block.iter_mut().step_by(4096) {
                        *page = t + 1;
                    }
                    std::hint::black_box(&block);
                }
            });
        }
    });
    rss_kb().saturating_sub(before)
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn freed_large_blocks_leave_the_resident_set() {
    assert!(coursepay::memory::return_large_blocks_to_os());
    let grown = growth_after_hash_sized_blocks();
    // Without the policy glibc keeps one block per thread arena: ~76 MiB here.
    assert!(grown < 8 * 1024, "resident set grew by {grown} KiB");
}
