//! `loadgen gateway-storm`: buyers pay at an external sandbox gateway's cashier; the gateway
//! notifies the shop and retries on Alipay's schedule. Meant to run while a script kills the shop
//! or restarts its database: afterwards every paid trade must be paid in the shop exactly once,
//! and every `success` the shop answered must be backed by a recorded notify.
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;

use super::check::{self, Findings};
use super::db::{self, ShopState};
use super::orders::{self, Created};
use super::sandbox::{self, SandboxState};
use crate::api;
use crate::error::LoadError;
use crate::runner;

#[derive(Args)]
pub struct GatewayArgs {
    /// The shop's database (the server's DATABASE_URL), read to wait for and check the outcome.
    #[arg(long)]
    db: String,
    /// The sandbox's SQLite store (SANDBOX_DATA_DIR/sandbox.db): trades and notify attempts.
    #[arg(long)]
    sandbox_db: PathBuf,
    /// Orders to create and pay.
    #[arg(long, short = 'n', default_value_t = 500)]
    orders: usize,
    /// Requests in flight.
    #[arg(long, short, default_value_t = 32)]
    concurrency: usize,
    /// Created once the orders exist, as the buyers start paying: the crash script's cue.
    #[arg(long)]
    marker: Option<PathBuf>,
    /// Spread the payments evenly over this many seconds (0: as fast as the cashier takes them),
    /// so that a strike a second in lands in the middle of the payments however fast the
    /// gateway is.
    #[arg(long, default_value_t = 0.0)]
    pay_over: f64,
    /// Seconds to wait, after paying, for every paid order to be confirmed.
    #[arg(long, default_value_t = 300)]
    wait: u64,
}

pub async fn run(base: &str, a: &GatewayArgs) -> Result<(), LoadError> {
    let base = base.trim_end_matches('/').to_owned();
    let concurrency = a.concurrency.clamp(1, 4096);
    let http = api::client(concurrency)?;
    let made = Arc::new(orders::create(&http, &[base], a.orders.max(1), concurrency).await?);
    if let Some(m) = &a.marker {
        std::fs::write(m, "paying\n")?;
    }
    let spread = Duration::try_from_secs_f64(a.pay_over).unwrap_or_default();
    let failed_pays = pay_all(made.clone(), concurrency, spread).await?;
    let sandbox_url = format!("sqlite://{}?mode=ro", a.sandbox_db.display());
    let sandbox = db::connect(&sandbox_url).await?;
    let t = Instant::now();
    let (shop, gw) = wait(&a.db, &sandbox, &made, Duration::from_secs(a.wait)).await?;
    eprintln!(
        "gateway-storm: settled {:.1} s after the last payment",
        t.elapsed().as_secs_f64()
    );
    let mut f = Findings::default();
    if failed_pays > 0 {
        f.counts
            .insert("payment at the cashier failed", failed_pays);
    }
    let answers = verify(&mut f, &made, &shop, &gw);
    let by_source = applied_by_source(&made, &shop);
    eprintln!(
        "gateway-storm: notify attempts by answer: {answers:?}; applied facts by source: {by_source:?}"
    );
    f.print("gateway-storm");
    println!(
        "gateway-storm: orders={} attempts_success={} attempts_failure={} attempts_no_answer={} attempts_other={} applied_notify={} applied_query={} db_problems={}",
        made.len(),
        answers.get("success").unwrap_or(&0),
        answers.get("failure").unwrap_or(&0),
        answers.get("no answer").unwrap_or(&0),
        answers.get("other").unwrap_or(&0),
        by_source.get("notify").unwrap_or(&0),
        by_source.get("query").unwrap_or(&0),
        f.total()
    );
    if f.total() > 0 {
        return Err(LoadError::Check(format!(
            "gateway-storm failed: {} problems",
            f.total()
        )));
    }
    Ok(())
}

/// Pays every order at the cashier (GET the signed pay URL, follow it to the cashier, POST the
/// buyer's password), payment `i` not before `i / n` of `spread`; returns how many could not be
/// paid.
async fn pay_all(
    made: Arc<Vec<Created>>,
    concurrency: usize,
    spread: Duration,
) -> Result<u64, LoadError> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(30))
        .build()?;
    let n = made.len();
    let start = tokio::time::Instant::now();
    let out = runner::run(concurrency, n, Duration::from_secs(3600), move |i| {
        let (http, made) = (http.clone(), made.clone());
        let due = start + spread.mul_f64(i as f64 / n as f64);
        async move {
            tokio::time::sleep_until(due).await;
            sandbox::pay(&http, &made[i].pay_url).await
        }
    })
    .await?;
    eprintln!(
        "gateway-storm: {} of {n} paid at the cashier in {:.1} s ({}/s); {} failed {:?}",
        out.ok,
        out.elapsed.as_secs_f64(),
        out.per_second(),
        out.errors,
        out.first_errors
    );
    Ok(out.errors)
}

/// Polls both databases until every trade the gateway has as paid is paid in the shop and no
/// notify is still pending, or `limit` passes. The shop's database may be down meanwhile.
async fn wait(
    shop_url: &str,
    sandbox: &sea_orm::DatabaseConnection,
    made: &[Created],
    limit: Duration,
) -> Result<(ShopState, SandboxState), LoadError> {
    let start = Instant::now();
    let mut last_print = Instant::now();
    let mut shop_db = None;
    loop {
        let gw = match SandboxState::read(sandbox).await {
            Ok(g) => g,
            // Its store is SQLite, busy with the dispatcher's writes: read again.
            Err(e) if start.elapsed() < limit => {
                eprintln!("gateway-storm: sandbox store not readable ({e}); retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
            Err(e) => return Err(e),
        };
        let shop = match &shop_db {
            Some(c) => ShopState::read(c).await,
            None => match db::connect(shop_url).await {
                Ok(c) => {
                    let s = ShopState::read(&c).await;
                    shop_db = Some(c);
                    s
                }
                Err(e) => Err(e),
            },
        };
        let shop = match shop {
            Ok(s) => s,
            Err(e) if start.elapsed() < limit => {
                eprintln!("gateway-storm: shop database not readable yet ({e}); retrying");
                shop_db = None;
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
            Err(e) => return Err(e),
        };
        let (paid, pending) = progress(made, &shop, &gw);
        let done = paid == gw.paid_count(made) && pending == 0;
        if done || start.elapsed() >= limit {
            if !done {
                eprintln!("gateway-storm: gave up waiting after {} s", limit.as_secs());
            }
            return Ok((shop, gw));
        }
        if last_print.elapsed() >= Duration::from_secs(5) {
            eprintln!(
                "gateway-storm: {paid}/{} orders paid in the shop, {pending} notifies pending at the gateway",
                made.len()
            );
            last_print = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// (orders paid in the shop, notifies the gateway still has pending) among ours.
fn progress(made: &[Created], shop: &ShopState, gw: &SandboxState) -> (usize, usize) {
    let paid = made
        .iter()
        .filter(|c| shop.orders.get(&c.order.out_trade_no).map(|o| o.status) == Some(1))
        .count();
    let pending = made
        .iter()
        .filter_map(|c| gw.trades.get(&c.order.out_trade_no))
        .filter(|t| t.deliveries.iter().any(|s| s == "pending"))
        .count();
    (paid, pending)
}

/// Every order paid at the gateway is paid once in the shop with the gateway's trade_no; every
/// attempt was answered `success` or `failure` (or not at all: the shop was down); every
/// `success` is backed by a settled notify event. Returns the attempts by answer.
fn verify(
    f: &mut Findings,
    made: &[Created],
    shop: &ShopState,
    gw: &SandboxState,
) -> BTreeMap<&'static str, u64> {
    let mut answers: BTreeMap<&'static str, u64> = BTreeMap::new();
    for c in made {
        let no = c.order.out_trade_no.as_str();
        let Some(t) = gw.trades.get(no) else {
            f.add("no trade at the gateway", || no.to_owned());
            continue;
        };
        if t.status != "TRADE_SUCCESS" {
            f.add("trade not paid at the gateway", || {
                format!("{no}: {}", t.status)
            });
            continue;
        }
        check::paid_once(f, shop, no, &t.trade_no);
        if t.deliveries.iter().any(|s| s != "delivered") {
            f.add("notify not delivered", || {
                format!("{no}: {:?}", t.deliveries)
            });
        }
        let mut successes = 0;
        for a in &t.attempts {
            *answers.entry(a.name()).or_default() += 1;
            match a {
                sandbox::Attempt::Success => successes += 1,
                sandbox::Attempt::Other(what) => f
                    .add("answer neither success nor failure", || {
                        format!("{no}: {what}")
                    }),
                _ => {}
            }
        }
        let settled =
            shop.count(no, Some("notify"), "applied") + shop.count(no, Some("notify"), "duplicate");
        if settled < successes {
            f.add("`success` answered but no notify recorded", || {
                format!("{no}: {successes} success answers, {settled} settled notify events")
            });
        }
    }
    answers
}

fn applied_by_source(made: &[Created], shop: &ShopState) -> HashMap<String, i64> {
    let mut out: HashMap<String, i64> = HashMap::new();
    for c in made {
        for (source, verdict, n) in shop.events.get(&c.order.out_trade_no).into_iter().flatten() {
            if verdict == "applied" {
                *out.entry(source.clone()).or_default() += n;
            }
        }
    }
    out
}
