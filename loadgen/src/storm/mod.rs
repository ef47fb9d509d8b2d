//! `loadgen storm`: a notify storm against one or more shop instances sharing a database, and
//! `loadgen gateway-storm`: buyers pay at an external sandbox gateway that notifies the shop on
//! Alipay's retry schedule (for crash runs). Both check the outcome in the database itself.
mod check;
mod db;
pub mod gateway;
mod kind;
mod notify;
mod orders;
mod plan;
mod rng;
mod sandbox;
mod send;
mod tally;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;

use crate::api;
use crate::error::LoadError;
use kind::Kind;
use tally::Answer;

#[derive(Args)]
pub struct StormArgs {
    /// More instances sharing the first one's database (repeat the flag); deliveries are spread
    /// over --base and these.
    #[arg(long = "also")]
    also: Vec<String>,
    /// The sandbox's Alipay private key (DATA_DIR/keys/sandbox_alipay_private_key.pem).
    #[arg(long)]
    key: PathBuf,
    /// The shop's database, read afterwards to check what happened (same URL as the servers').
    #[arg(long)]
    db: String,
    /// Orders to create; one in ten only ever gets wrong notifies.
    #[arg(long, short = 'n', default_value_t = 1000)]
    orders: usize,
    /// Deliveries of each genuine notify.
    #[arg(long, default_value_t = 3)]
    copies: usize,
    /// Requests in flight (orders and notifies).
    #[arg(long, short, default_value_t = 64)]
    concurrency: usize,
    /// Seed of the shuffle (default: from the clock; printed).
    #[arg(long)]
    seed: Option<u64>,
    /// Time limit of the notify phase in seconds.
    #[arg(long, default_value_t = 900)]
    seconds: u64,
}

/// Run tag: digits only, unique per run (trade numbers and notify ids carry it).
fn tag() -> String {
    api::run_prefix().trim_start_matches("lg").to_owned()
}

pub async fn run(base: &str, a: &StormArgs) -> Result<(), LoadError> {
    let mut bases = vec![base.trim_end_matches('/').to_owned()];
    for b in &a.also {
        api::check_loopback(b)?;
        bases.push(b.trim_end_matches('/').to_owned());
    }
    let key = api::alipay_key(&a.key)?;
    let concurrency = a.concurrency.clamp(1, 4096);
    let http = api::client(concurrency)?;
    let made = orders::create(&http, &bases, a.orders.max(1), concurrency).await?;
    let tag = tag();
    let seed = a.seed.unwrap_or_else(|| tag.parse().unwrap_or(1));
    let t = Instant::now();
    let plan = Arc::new(plan::build(&made, a.copies.max(1), &key, seed, &tag)?);
    eprintln!(
        "storm: {} notifies signed in {:.1} s (seed {seed}); sending at c={concurrency} over {} instance(s)",
        plan.deliveries.len(),
        t.elapsed().as_secs_f64(),
        bases.len()
    );
    let limit = Duration::from_secs(a.seconds.clamp(1, 86_400));
    let (out, tally) = send::storm(&http, &bases, plan.clone(), concurrency, limit).await?;
    let sent = (out.ok + out.errors) as usize;
    eprintln!(
        "storm: {sent} notifies in {:.1} s = {} notifies/s, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        out.elapsed.as_secs_f64(),
        out.per_second(),
        out.hist.value_at_quantile(0.5) as f64 / 1000.0,
        out.hist.value_at_quantile(0.99) as f64 / 1000.0,
        out.hist.max() as f64 / 1000.0
    );
    tally.print(&plan.sent);
    let (wrong, examples) = tally.wrong();
    for e in &examples {
        eprintln!("  WRONG ANSWER {e}");
    }
    let conn = db::connect(&a.db).await?;
    let state = db::ShopState::read(&conn).await?;
    let findings = check::storm(&plan, &state);
    findings.print("storm");
    println!(
        "storm: orders={} genuine={} untouched={} notifies={} sent={} success={} failure={} other={} no_answer={} wrong_answers={} db_problems={} seconds={:.1} rate={}",
        made.len(),
        plan.paid.len(),
        plan.untouched.len(),
        plan.deliveries.len(),
        sent,
        Kind::ALL
            .iter()
            .map(|k| tally.get(*k, Answer::Success))
            .sum::<u64>(),
        Kind::ALL
            .iter()
            .map(|k| tally.get(*k, Answer::Failure))
            .sum::<u64>(),
        Kind::ALL
            .iter()
            .map(|k| tally.get(*k, Answer::Other))
            .sum::<u64>(),
        Kind::ALL
            .iter()
            .map(|k| tally.get(*k, Answer::Transport))
            .sum::<u64>(),
        wrong,
        findings.total(),
        out.elapsed.as_secs_f64(),
        out.per_second()
    );
    if sent != plan.deliveries.len() || wrong > 0 || findings.total() > 0 {
        return Err(LoadError::Check(format!(
            "storm failed: {sent}/{} sent, {wrong} wrong answers, {} database problems",
            plan.deliveries.len(),
            findings.total()
        )));
    }
    Ok(())
}
