//! `loadgen`: load scenarios against a coursepay release server on loopback. Every scenario
//! prints a human line on stderr and Markdown table rows on stdout; a failed check exits 1.
mod api;
mod bundle;
mod error;
mod report;
mod runner;
mod scenarios;
mod storm;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use error::LoadError;
use report::Row;
use scenarios::Load;

#[derive(Parser)]
#[command(version, about = "Load harness for coursepay (loopback only)")]
struct Cli {
    /// The server's base URL (loopback only).
    #[arg(long, default_value = "http://127.0.0.1:3100", global = true)]
    base: String,
    /// The server's pid, for its peak RSS (VmHWM); found by name `coursepay` when absent.
    #[arg(long, global = true)]
    server_pid: Option<u32>,
    /// A label for the rows, e.g. the database.
    #[arg(long, default_value = "sqlite", global = true)]
    label: String,
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Args, Clone)]
struct Bounds {
    /// Requests in flight.
    #[arg(long, short, default_value_t = 32)]
    concurrency: usize,
    /// Requests in total (the run stops at this count or at --seconds).
    #[arg(long, short = 'n', default_value_t = 20_000)]
    requests: usize,
    /// Time limit in seconds.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// The ceiling (req/s) to print the rate against.
    #[arg(long)]
    ceiling: Option<u64>,
}

#[derive(Subcommand)]
enum Scenario {
    /// Logged-in students create one-course orders (POST /order/pay).
    CreateOrder {
        #[command(flatten)]
        bounds: Bounds,
        /// Fresh students to register and rotate through.
        #[arg(long, default_value_t = 16)]
        students: usize,
    },
    /// Signed TRADE_SUCCESS notifies for distinct unpaid orders; fails if any is lost.
    Notify {
        #[command(flatten)]
        bounds: Bounds,
        /// The sandbox's Alipay private key (DATA_DIR/keys/sandbox_alipay_private_key.pem).
        #[arg(long)]
        key: PathBuf,
    },
    /// GET an SSR page.
    Ssr {
        #[command(flatten)]
        bounds: Bounds,
        #[arg(long, default_value = "/course/1")]
        path: String,
    },
    /// GET a static file as large as an SSR page (the HTTP ceiling): copies the page into
    /// --site-root first.
    Static {
        #[command(flatten)]
        bounds: Bounds,
        /// The page to copy.
        #[arg(long, default_value = "/course/1")]
        copy_of: String,
        #[arg(long, default_value = "target/site")]
        site_root: PathBuf,
        #[arg(long, default_value = "bench-static.html")]
        name: String,
    },
    /// Notify storm over one or more instances sharing a database: genuine notifies delivered
    /// --copies times, signed-but-wrong and tampered ones, shuffled; checks answers and the database.
    Storm(storm::StormArgs),
    /// Buyers pay at an external alipay-sandbox, which notifies the shop on its retry schedule
    /// (for crash runs); checks the shop's and the sandbox's databases afterwards.
    GatewayStorm(storm::gateway::GatewayArgs),
    /// Bytes before interactive: HTML + CSS + JS + WASM, brotli quality 11.
    Bundle {
        #[arg(long, default_value = "/course/1")]
        path: String,
        /// The target in bytes to print the total against.
        #[arg(long, default_value_t = 150 * 1024)]
        target: usize,
    },
}

fn load<'a>(cli: &'a Cli, b: &Bounds, scenario: &'a str) -> Load<'a> {
    Load {
        base: cli.base.trim_end_matches('/'),
        concurrency: b.concurrency.clamp(1, 4096),
        requests: b.requests.min(10_000_000),
        limit: Duration::from_secs(b.seconds.clamp(1, 3600)),
        row: Row {
            scenario,
            label: &cli.label,
            concurrency: b.concurrency,
            ceiling: b.ceiling,
            server_pid: cli.server_pid,
        },
    }
}

async fn run(cli: &Cli) -> Result<(), LoadError> {
    api::check_loopback(&cli.base)?;
    match &cli.scenario {
        Scenario::CreateOrder { bounds, students } => {
            scenarios::create_order(&load(cli, bounds, "create-order"), *students).await
        }
        Scenario::Notify { bounds, key } => {
            let l = load(cli, bounds, "notify");
            scenarios::notify(&l, l.requests, key).await
        }
        Scenario::Ssr { bounds, path } => {
            let name = format!("ssr {path}");
            scenarios::get(&load(cli, bounds, &name), path).await
        }
        Scenario::Static {
            bounds,
            copy_of,
            site_root,
            name,
        } => {
            let l = load(cli, bounds, "static");
            let size = scenarios::copy_page(l.base, copy_of, site_root, name).await?;
            eprintln!("static: {name} is a {size}-byte copy of {copy_of}");
            scenarios::get(&l, &format!("/{name}")).await
        }
        Scenario::Storm(a) => storm::run(&cli.base, a).await,
        Scenario::GatewayStorm(a) => storm::gateway::run(&cli.base, a).await,
        Scenario::Bundle { path, target } => {
            bundle::measure(cli.base.trim_end_matches('/'), path, *target)
                .await
                .map(drop)
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("loadgen: {e}");
            ExitCode::FAILURE
        }
    }
}
