//! RSA2 sign/verify of a typical page-pay signing string: aws-lc-rs (hot path) vs the `rsa` crate,
//! with `openssl speed -seconds 3 rsa2048` beside them (single core).
//!
//! Run: `cargo bench -p alipay --bench rsa`

use alipay::keys::{KeyRole, PrivateKey};
use alipay::sign::SignType;
use criterion::{Criterion, criterion_group};
use std::hint::black_box;
use std::time::{Duration, Instant};

struct Fixture {
    key: PrivateKey,
    message: String,
    sign: String,
}

fn fixture() -> Fixture {
    let v: serde_json::Value =
        serde_json::from_str(include_str!("../tests/fixtures/vectors.json")).expect("vectors.json");
    let pem = v["app"]["pkcs1_pem"].as_str().expect("app key");
    let key = PrivateKey::parse(pem, KeyRole::AppPrivateKey).expect("app key parses");
    let message = v["page_pay"][0]["signing_string"]
        .as_str()
        .expect("signing string")
        .to_owned();
    let sign = key.sign_rsa2(message.as_bytes()).unwrap();
    Fixture { key, message, sign }
}

fn bench(c: &mut Criterion) {
    let f = fixture();
    let public = f.key.public_key();
    let msg = f.message.as_bytes();
    let mut g = c.benchmark_group("rsa2048_pkcs1_sha256");
    g.bench_function("sign/aws-lc-rs", |b| {
        b.iter(|| f.key.sign_rsa2(black_box(msg)).unwrap())
    });
    g.bench_function("sign/rsa-crate", |b| {
        b.iter(|| f.key.sign_rsa2_reference(black_box(msg)))
    });
    g.bench_function("verify/aws-lc-rs", |b| {
        b.iter(|| public.verify(black_box(msg), &f.sign, SignType::Rsa2))
    });
    g.bench_function("verify/rsa-crate", |b| {
        b.iter(|| public.verify_reference(black_box(msg), &f.sign, SignType::Rsa2))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(4)).warm_up_time(Duration::from_secs(1));
    targets = bench
}

/// CPU time of this thread. `openssl speed` divides by CPU user time too (unless `-elapsed`), so
/// both sides are measured alike, and other processes on a shared machine do not skew the ratio.
#[cfg(unix)]
fn cpu_now() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_THREAD_CPUTIME_ID is always supported on Linux.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return START.with(|s| s.elapsed());
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[cfg(not(unix))]
fn cpu_now() -> Duration {
    START.with(|s| s.elapsed())
}

thread_local! {
    static START: Instant = Instant::now();
}

/// Operations per CPU-second of `op`, run for about `secs` CPU seconds on this thread.
fn rate(secs: f64, mut op: impl FnMut()) -> f64 {
    let start = cpu_now();
    let mut n = 0u64;
    while (cpu_now() - start).as_secs_f64() < secs {
        for _ in 0..16 {
            op();
        }
        n += 16;
    }
    n as f64 / (cpu_now() - start).as_secs_f64()
}

/// `(sign/s, verify/s)` from `openssl speed -seconds 3 rsa2048`, if openssl is installed.
fn openssl_speed() -> Option<(f64, f64)> {
    let out = std::process::Command::new("openssl")
        .args(["speed", "-seconds", "3", "rsa2048"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("rsa") && l.contains("2048 bits"))?;
    let nums: Vec<f64> = line
        .split_whitespace()
        .skip(3)
        .filter_map(|t| t.trim_end_matches('s').parse().ok())
        .collect();
    // "sign verify sign/s verify/s" (or with encrypt/decrypt columns: the rates are the second half).
    let half = nums.len() / 2;
    Some((*nums.get(half)?, *nums.get(half + 1)?))
}

/// Best of `ROUNDS` interleaved rounds (openssl, then ours), so that load from other processes on a
/// shared machine hits both sides alike; the best round is the least disturbed one.
const ROUNDS: usize = 3;

fn best(a: Option<f64>, b: f64) -> Option<f64> {
    Some(a.map_or(b, |a| a.max(b)))
}

fn summary() {
    let f = fixture();
    let public = f.key.public_key();
    let msg = f.message.as_bytes();
    let secs = 3.0;
    let (mut os, mut ov, mut aws_s, mut aws_v) = (None, None, None, None);
    for _ in 0..ROUNDS {
        if let Some((s, v)) = openssl_speed() {
            os = best(os, s);
            ov = best(ov, v);
        }
        aws_s = best(
            aws_s,
            rate(secs, || {
                black_box(f.key.sign_rsa2(black_box(msg)).unwrap());
            }),
        );
        aws_v = best(
            aws_v,
            rate(secs, || {
                let _ = black_box(public.verify(black_box(msg), &f.sign, SignType::Rsa2));
            }),
        );
    }
    let sign_rsa = rate(secs, || {
        black_box(f.key.sign_rsa2_reference(black_box(msg)));
    });
    let verify_rsa = rate(secs, || {
        let _ = black_box(public.verify_reference(black_box(msg), &f.sign, SignType::Rsa2));
    });
    println!(
        "\nRSA-2048 PKCS#1 v1.5 SHA-256, one core, {}-byte page-pay signing string (per CPU second like openssl; best of {ROUNDS} rounds)",
        msg.len()
    );
    println!(
        "{:<28} {:>12} {:>12}",
        "implementation", "sign/s", "verify/s"
    );
    let openssl = os.zip(ov);
    if let Some((s, v)) = openssl {
        println!("{:<28} {:>12.0} {:>12.0}", "openssl speed rsa2048", s, v);
    } else {
        println!("openssl not found: no reference figure");
    }
    let rows = [
        (
            "aws-lc-rs (hot path)",
            aws_s.unwrap_or_default(),
            aws_v.unwrap_or_default(),
        ),
        ("rsa crate 0.10", sign_rsa, verify_rsa),
    ];
    for (name, s, v) in rows {
        match openssl {
            Some((os, ov)) => println!(
                "{name:<28} {s:>12.0} {v:>12.0}   ({:.0}% / {:.0}% of openssl)",
                100.0 * s / os,
                100.0 * v / ov
            ),
            None => println!("{name:<28} {s:>12.0} {v:>12.0}"),
        }
    }
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    summary();
}
