//! `alipay-sandbox`: the local Alipay gateway as its own process (own port, keys and SQLite file).

use std::path::{Path, PathBuf};

use alipay::keys::{KeyRole, PrivateKey, PublicKey};
use alipay_sandbox::{Faults, MerchantApp, Sandbox, SandboxConfig, Tamper, faults};
use clap::{Parser, ValueEnum};

/// A faithful local Alipay gateway: page pay, a Chinese cashier, signed returns, notifies retried on
/// Alipay's schedule (+4m, 10m, 10m, 1h, 2h, 6h, 15h) on a scaled clock, alipay.trade.query / close /
/// refund / fastpay.refund.query, and fault injection. Prints its gateway URL on start.
#[derive(Parser, Debug)]
#[command(name = "alipay-sandbox", version)]
struct Args {
    /// Port to listen on (0 picks a free one; the URL printed tells which).
    #[arg(long, env = "SANDBOX_PORT", default_value_t = 8480)]
    port: u16,
    /// Address to listen on: a loopback address unless --allow-remote is given.
    #[arg(long, env = "SANDBOX_HOST", default_value = "127.0.0.1")]
    host: String,
    /// Listen on a non-loopback address (the cashier shows the buyer's password and the admin page
    /// has no login: only on a network you trust).
    #[arg(long)]
    allow_remote: bool,
    /// Where browsers and merchants reach the sandbox (default http://HOST:PORT).
    #[arg(long, env = "SANDBOX_PUBLIC_URL")]
    public_url: Option<String>,
    /// Directory for the sandbox's Alipay key pair (generated on first run, mode 0600),
    /// alipay_public_key.txt (base64 SPKI, give it to the merchant) and sandbox.db (its SQLite store).
    #[arg(long, env = "SANDBOX_DATA_DIR", default_value = "sandbox-data")]
    data_dir: PathBuf,
    /// The merchant's app id.
    #[arg(long, env = "SANDBOX_APP_ID", default_value = "9021000000000001")]
    app_id: String,
    /// The merchant's app public key (PEM or bare base64); the sandbox verifies requests with it.
    #[arg(long, env = "SANDBOX_APP_PUBLIC_KEY_FILE")]
    app_public_key_file: PathBuf,
    /// The merchant's partner id, named as seller_id in returns and notifies.
    #[arg(long, env = "SANDBOX_SELLER_ID", default_value = "2088721000000001")]
    seller_id: String,
    /// The merchant's account, named as seller_email in notifies.
    #[arg(
        long,
        env = "SANDBOX_SELLER_EMAIL",
        default_value = "merchant@alipaydev.com"
    )]
    seller_email: String,
    /// The merchant name the cashier shows.
    #[arg(long, env = "SANDBOX_MERCHANT_NAME", default_value = "沙箱商户")]
    merchant_name: String,
    /// Simulated seconds per real second (3600 runs Alipay's 25-hour retry schedule in 25 s).
    #[arg(long, env = "SANDBOX_CLOCK_SPEED", default_value_t = 1,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    clock_speed: u32,
    /// Fault: do not send the first N notify attempts (they count as failed and are retried).
    #[arg(long, default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=i64::from(faults::MAX_DROP_FIRST_NOTIFIES)))]
    drop_first_notifies: u32,
    /// Fault: send each notify attempt K times concurrently.
    #[arg(long, default_value_t = 1,
          value_parser = clap::value_parser!(u32).range(0..=i64::from(faults::MAX_NOTIFY_COPIES)))]
    notify_copies: u32,
    /// Fault: delay the first attempt of each notify by this many real seconds.
    #[arg(long, default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=i64::from(faults::MAX_NOTIFY_DELAY_SECS)))]
    notify_delay_secs: u32,
    /// Fault: deliver the payment notify before redirecting the browser back.
    #[arg(long)]
    notify_before_return: bool,
    /// Fault: answer alipay.trade.query with code 20000 (unknown).
    #[arg(long)]
    query_unknown: bool,
    /// Fault: send correctly signed notifies with a wrong amount, app_id or seller_id.
    #[arg(long, value_enum)]
    tamper: Option<TamperArg>,
    /// Fault: never send a notify.
    #[arg(long)]
    drop_all_notifies: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum TamperArg {
    Amount,
    AppId,
    SellerId,
}

fn load_or_create_key(dir: &Path) -> Result<PrivateKey, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let path = dir.join("alipay_private_key.pem");
    let key = if path.exists() {
        PrivateKey::from_file(&path, KeyRole::AlipayPrivateKey).map_err(|e| e.to_string())?
    } else {
        let key = PrivateKey::generate().map_err(|e| e.to_string())?;
        write_private(&path, &key.to_pkcs8_pem())?;
        key
    };
    let public = dir.join("alipay_public_key.txt");
    std::fs::write(&public, key.public_key().to_base64_spki())
        .map_err(|e| format!("writing {}: {e}", public.display()))?;
    Ok(key)
}

fn write_private(path: &Path, pem: &str) -> Result<(), String> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts
        .open(path)
        .map_err(|e| format!("creating {}: {e}", path.display()))?;
    f.write_all(pem.as_bytes())
        .map_err(|e| format!("writing {}: {e}", path.display()))
}

/// Refuses an address other machines can reach unless `--allow-remote` says so.
fn check_listen(addr: std::net::SocketAddr, allow_remote: bool) -> Result<(), String> {
    if addr.ip().is_loopback() {
        return Ok(());
    }
    if allow_remote {
        tracing::warn!(%addr, "listening on a non-loopback address: anyone who reaches it can pay with the sandbox buyer and change its faults");
        return Ok(());
    }
    Err(format!(
        "refusing to listen on {addr}: not a loopback address. The sandbox cashier shows its buyer's \
         password and its admin page has no login; pass --allow-remote to listen there anyway \
         (拒绝监听非本机地址 {addr}；确需对外开放请加 --allow-remote)"
    ))
}

async fn run(args: Args) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
        .await
        .map_err(|e| format!("binding {}:{}: {e}", args.host, args.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    check_listen(addr, args.allow_remote)?;
    let key = load_or_create_key(&args.data_dir)?;
    let app_key = PublicKey::from_file(&args.app_public_key_file, KeyRole::AppPublicKey)
        .map_err(|e| format!("--app-public-key-file: {e}"))?;
    let base = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    let db = args.data_dir.join("sandbox.db");
    let config = SandboxConfig {
        public_base_url: base,
        database_url: format!("sqlite://{}?mode=rwc", db.display()),
        alipay_private_key: key,
        apps: vec![MerchantApp {
            app_id: args.app_id.clone(),
            app_public_key: app_key,
            seller_id: args.seller_id.clone(),
            seller_email: args.seller_email.clone(),
            name: args.merchant_name.clone(),
        }],
        clock_speed: args.clock_speed,
        faults: Faults {
            drop_first_notifies: args.drop_first_notifies,
            notify_copies: args.notify_copies,
            notify_delay_secs: args.notify_delay_secs,
            notify_before_return: args.notify_before_return,
            query_unknown: args.query_unknown,
            tamper: args.tamper.map(|t| match t {
                TamperArg::Amount => Tamper::Amount,
                TamperArg::AppId => Tamper::AppId,
                TamperArg::SellerId => Tamper::SellerId,
            }),
            drop_all_notifies: args.drop_all_notifies,
        },
    };
    let sandbox = Sandbox::start(config).await.map_err(|e| e.to_string())?;
    {
        // Never die of a closed stdout (a parent that read the first line and went away).
        use std::io::Write;
        let mut out = std::io::stdout();
        let _ = writeln!(out, "gateway: {}", sandbox.gateway_url());
        let _ = writeln!(
            out,
            "alipay public key: {}",
            args.data_dir.join("alipay_public_key.txt").display()
        );
        let _ = out.flush();
    }
    axum::serve(listener, sandbox.router())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    if let Err(e) = run(Args::parse()).await {
        eprintln!("alipay-sandbox: {e}");
        std::process::exit(1);
    }
}
