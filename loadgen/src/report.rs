//! Printing a run: a human line on stderr, a Markdown table row on stdout (scripts/bench.sh
//! collects the rows into BENCHMARKS.md), and the server's peak RSS from /proc.
use crate::runner::Outcome;

/// The server's peak resident set (VmHWM) and current RSS (VmRSS), in KiB.
pub fn server_rss(pid: Option<u32>) -> Option<(u64, u64)> {
    let pid = pid.or_else(find_server)?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

/// The first process whose name is `coursepay` (bounded scan of /proc).
fn find_server() -> Option<u32> {
    let dir = std::fs::read_dir("/proc").ok()?;
    for entry in dir.take(100_000).flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if comm.trim() == "coursepay" {
            return Some(pid);
        }
    }
    None
}

/// Samples the server's VmRSS every 20 ms while `fut` runs; returns its output and the peak
/// sample in KiB (the load window alone, unlike VmHWM which covers the whole process life).
pub async fn sampled<T>(pid: Option<u32>, fut: impl std::future::Future<Output = T>) -> (T, u64) {
    let pid = pid.or_else(find_server);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let sampler = tokio::spawn(async move {
        let mut peak = 0u64;
        for _ in 0..180_000 {
            if flag.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            if let Some((_, now)) = server_rss(pid) {
                peak = peak.max(now);
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        peak
    });
    let out = fut.await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    (out, sampler.await.unwrap_or(0))
}

/// Microseconds as milliseconds with two decimals, integer arithmetic only.
fn ms(us: u64) -> String {
    let hundredths = us.div_ceil(10);
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// A ratio of two integers as a percentage with one decimal.
pub fn percent(value: u64, ceiling: u64) -> String {
    if ceiling == 0 {
        return "-".to_owned();
    }
    let tenths = value * 1000 / ceiling;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// What one row says beside the measurement.
pub struct Row<'a> {
    pub scenario: &'a str,
    pub label: &'a str,
    pub concurrency: usize,
    pub ceiling: Option<u64>,
    pub server_pid: Option<u32>,
}

/// A run's outcome and the server's peak VmRSS (KiB) sampled during it.
pub struct Measured {
    pub out: Outcome,
    pub window_rss_kb: u64,
}

/// Prints `out` as a human line (stderr) and a Markdown row (stdout).
pub fn print(row: &Row<'_>, m: &Measured) {
    let out = &m.out;
    let h = &out.hist;
    let rate = out.per_second();
    let rss = server_rss(row.server_pid)
        .map(|(hwm, _)| format!("{} / {}", m.window_rss_kb / 1024, hwm / 1024))
        .unwrap_or_else(|| "?".to_owned());
    let (ceiling, ratio) = match row.ceiling {
        Some(c) => (c.to_string(), percent(rate, c)),
        None => ("-".to_owned(), "-".to_owned()),
    };
    eprintln!(
        "{} [{}] c={}: {} ok, {} errors in {} ms: {rate} req/s, p50 {} ms, p99 {} ms, max {} ms, server RSS in-run peak / VmHWM {rss} MB",
        row.scenario,
        row.label,
        row.concurrency,
        out.ok,
        out.errors,
        out.elapsed.as_millis(),
        ms(h.value_at_quantile(0.5)),
        ms(h.value_at_quantile(0.99)),
        ms(h.max()),
    );
    for e in &out.first_errors {
        eprintln!("  error: {e}");
    }
    println!(
        "| {} | {} | {} | {} | {} | {rate} | {} | {} | {} | {rss} | {ceiling} | {ratio} |",
        row.scenario,
        row.label,
        row.concurrency,
        out.ok + out.errors,
        out.errors,
        ms(h.value_at_quantile(0.5)),
        ms(h.value_at_quantile(0.99)),
        ms(h.max()),
    );
}
