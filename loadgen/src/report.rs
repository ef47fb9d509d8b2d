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

/// CPU time (user + system) a process has used so far, in clock ticks (`/proc/PID/stat`).
fn cpu_ticks(pid: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name.
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

/// CPU used by the server and by this loader during a run, in percent of one core (200 = both
/// cores of a 2-core machine busy for the whole run).
#[derive(Clone, Copy, Debug, Default)]
pub struct CpuShare {
    pub server: Option<u64>,
    pub loader: Option<u64>,
}

impl CpuShare {
    fn cell(&self) -> String {
        let f = |v: Option<u64>| v.map_or_else(|| "?".to_owned(), |v| v.to_string());
        format!("{} / {}", f(self.server), f(self.loader))
    }
}

/// Clock ticks per second for /proc times (USER_HZ; 100 on Linux).
const TICKS_PER_SEC: u64 = 100;

/// Samples the server's VmRSS every 20 ms while `fut` runs; returns its output, the peak sample in
/// KiB (the load window alone, unlike VmHWM which covers the whole process life) and the CPU the
/// server and the loader used meanwhile.
pub async fn sampled<T>(
    pid: Option<u32>,
    fut: impl std::future::Future<Output = T>,
) -> (T, u64, CpuShare) {
    let pid = pid.or_else(find_server);
    let server_pid = pid.map(|p| p.to_string());
    let started = std::time::Instant::now();
    let before = (server_pid.as_deref().and_then(cpu_ticks), cpu_ticks("self"));
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
    let wall_ms = started.elapsed().as_millis().max(1) as u64;
    let after = (server_pid.as_deref().and_then(cpu_ticks), cpu_ticks("self"));
    let pct = |b: Option<u64>, a: Option<u64>| {
        Some(a?.saturating_sub(b?) * 1000 * 100 / TICKS_PER_SEC / wall_ms)
    };
    let cpu = CpuShare {
        server: pct(before.0, after.0),
        loader: pct(before.1, after.1),
    };
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    (out, sampler.await.unwrap_or(0), cpu)
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
    pub cpu: CpuShare,
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
        "{} [{}] c={}: {} ok, {} errors in {} ms: {rate} req/s, p50 {} ms, p99 {} ms, max {} ms, server RSS in-run peak / VmHWM {rss} MB, CPU % server / loader {}",
        row.scenario,
        row.label,
        row.concurrency,
        out.ok,
        out.errors,
        out.elapsed.as_millis(),
        ms(h.value_at_quantile(0.5)),
        ms(h.value_at_quantile(0.99)),
        ms(h.max()),
        m.cpu.cell(),
    );
    for e in &out.first_errors {
        eprintln!("  error: {e}");
    }
    println!(
        "| {} | {} | {} | {} | {} | {rate} | {} | {} | {} | {rss} | {} | {ceiling} | {ratio} |",
        row.scenario,
        row.label,
        row.concurrency,
        out.ok + out.errors,
        out.errors,
        ms(h.value_at_quantile(0.5)),
        ms(h.value_at_quantile(0.99)),
        ms(h.max()),
        m.cpu.cell(),
    );
}
