//! Every setting, read once at start-up (flags, environment, `.env`) into one typed struct.
use std::net::SocketAddr;
use std::path::PathBuf;

use leptos::config::{Env, LeptosOptions};

/// The server's configuration. `coursepay --help` lists each field with its environment variable.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// `development` (default: embedded sandbox gateway, generated keys, demo accounts) or
    /// `production` (refuses to start without a real gateway, keys, a strong JWT_SECRET and an https
    /// PUBLIC_BASE_URL; never mounts the sandbox, never seeds accounts). `coursepay check` lists
    /// what production still lacks.
    #[arg(
        long,
        env = "COURSEPAY_MODE",
        value_enum,
        default_value_t = crate::mode::Mode::Development,
        global = true
    )]
    pub mode: crate::mode::Mode,

    /// Development only: serve the embedded sandbox gateway although LEPTOS_SITE_ADDR is not a
    /// loopback address (its cashier lets anyone pay with the test buyer). Refused in production.
    #[arg(long, env = "COURSEPAY_SANDBOX_PUBLIC", global = true)]
    pub sandbox_public: bool,

    /// Database: `sqlite://PATH?mode=rwc` or `postgres://USER@HOST:PORT/DB`.
    /// Default: SQLite at DATA_DIR/coursepay.db.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Folder for the SQLite database and the dev keys generated at first run (never commit it).
    #[arg(
        long,
        env = "COURSEPAY_DATA_DIR",
        default_value = "data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Address the server listens on.
    #[arg(
        long,
        env = "LEPTOS_SITE_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub site_addr: SocketAddr,

    /// Public URL of the site as browsers and Alipay reach it; notify_url and return_url are built
    /// from it. Default: http://LEPTOS_SITE_ADDR.
    #[arg(long, env = "PUBLIC_BASE_URL", global = true)]
    pub public_base_url: Option<String>,

    /// Reverse proxies whose X-Forwarded-For header names the client, for the login throttle:
    /// comma-separated IPs or CIDRs (e.g. `127.0.0.1,10.0.0.0/8,::1`). A request from one of them
    /// is counted against the right-most X-Forwarded-For address that is not itself listed here;
    /// from any other peer the header is ignored. Default: empty (no proxy trusted; the TCP peer
    /// is the client). Set it when nginx or a load balancer terminates TLS in front of coursepay,
    /// or every client shares the proxy's address.
    #[arg(long, env = "TRUSTED_PROXIES", default_value = "", global = true)]
    pub trusted_proxies: shop::accounts::client::TrustedProxies,

    /// Folder of the built front end (set by cargo-leptos).
    #[arg(
        long,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: String,

    /// Sub-folder of LEPTOS_SITE_ROOT holding the JS, WASM and CSS (set by cargo-leptos).
    #[arg(
        long,
        env = "LEPTOS_SITE_PKG_DIR",
        default_value = "pkg",
        global = true
    )]
    pub site_pkg_dir: String,

    /// Base name of the front-end bundle files (set by cargo-leptos).
    #[arg(
        long,
        env = "LEPTOS_OUTPUT_NAME",
        default_value = "coursepay",
        global = true
    )]
    pub output_name: String,

    /// Which front end the server serves: `ssr` (pages rendered on the server and hydrated, works
    /// without JavaScript; the default) or `csr` (the Trunk build in COURSEPAY_CSR_DIR, rendered in
    /// the browser; the server keeps the server functions, the notify route and the JSON API).
    #[arg(
        long,
        env = "COURSEPAY_FRONTEND",
        value_enum,
        default_value_t = Frontend::Ssr,
        global = true
    )]
    pub frontend: Frontend,

    /// Folder of the client-side build (`trunk build --release` writes target/csr).
    #[arg(
        long,
        env = "COURSEPAY_CSR_DIR",
        default_value = "target/csr",
        global = true
    )]
    pub csr_dir: PathBuf,

    /// Port of cargo-leptos' live-reload socket (development only).
    #[arg(
        long,
        env = "LEPTOS_RELOAD_PORT",
        default_value_t = 3001,
        global = true
    )]
    pub reload_port: u32,

    /// Secret that signs session tokens (at least 32 bytes). Default: generated at first run
    /// into DATA_DIR/keys/jwt_secret.
    #[arg(long, env = "JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<crate::secret::Secret>,

    /// Alipay gateway URL (e.g. https://openapi.alipay.com/gateway.do). Unset: the embedded
    /// sandbox gateway at PUBLIC_BASE_URL/sandbox/gateway.do with keys generated under DATA_DIR.
    #[arg(long, env = "ALIPAY_GATEWAY", global = true)]
    pub alipay_gateway: Option<String>,

    /// Alipay app id (required with ALIPAY_GATEWAY).
    #[arg(long, env = "ALIPAY_APP_ID", global = true)]
    pub alipay_app_id: Option<String>,

    /// The merchant's 2088... partner id that notifies must name (required with ALIPAY_GATEWAY).
    #[arg(long, env = "ALIPAY_SELLER_ID", global = true)]
    pub alipay_seller_id: Option<String>,

    /// The app private key, in any shape (PKCS#1/PKCS#8 PEM or bare base64).
    #[arg(
        long,
        env = "ALIPAY_APP_PRIVATE_KEY",
        hide_env_values = true,
        global = true
    )]
    pub alipay_app_private_key: Option<crate::secret::Secret>,

    /// File holding the app private key (instead of ALIPAY_APP_PRIVATE_KEY).
    #[arg(long, env = "ALIPAY_APP_PRIVATE_KEY_FILE", global = true)]
    pub alipay_app_private_key_file: Option<PathBuf>,

    /// The Alipay public key (bare base64 "MIIBIjAN..." or PEM), NOT the app's own public key.
    #[arg(long, env = "ALIPAY_PUBLIC_KEY", global = true)]
    pub alipay_public_key: Option<String>,

    /// File holding the Alipay public key (instead of ALIPAY_PUBLIC_KEY).
    #[arg(long, env = "ALIPAY_PUBLIC_KEY_FILE", global = true)]
    pub alipay_public_key_file: Option<PathBuf>,

    /// Minutes an unpaid order stays payable (Alipay's time_expire).
    #[arg(long, env = "ORDER_TIMEOUT_MINUTES", default_value_t = 15, global = true,
          value_parser = clap::value_parser!(u32).range(1..=10080))]
    pub order_timeout_minutes: u32,

    /// Speed of the embedded sandbox's clock (1 = real time; 3600 = an hour per second).
    #[arg(long, env = "SANDBOX_CLOCK_SPEED", default_value_t = 1, global = true,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub sandbox_clock_speed: u32,

    /// Seconds between runs of the background jobs (expiry, reconciliation by query, late
    /// payments, pending refunds).
    #[arg(long, env = "JOBS_INTERVAL_SECS", default_value_t = 10, global = true,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub jobs_interval_secs: u64,

    /// What to do with a payment that arrives after its order was closed: `refund` it in full
    /// (default) or `accept` it (the order is re-opened as paid).
    #[arg(
        long,
        env = "LATE_PAYMENT_POLICY",
        default_value = "refund",
        global = true
    )]
    pub late_payment_policy: shop::lifecycle::LatePaymentPolicy,

    /// Log lines as `text` (default) or `json` (one object per line with the request's
    /// `request_id` and the order's `out_trade_no` from its spans). RUST_LOG filters them.
    #[arg(
        long,
        env = "LOG_FORMAT",
        value_enum,
        default_value_t = crate::logging::LogFormat::Text,
        global = true
    )]
    pub log_format: crate::logging::LogFormat,

    /// Timeouts and the connection bound of the HTTP server.
    #[command(flatten)]
    pub limits: crate::listen::Limits,
}

impl Config {
    /// The database URL, defaulting to SQLite inside the data folder.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}/coursepay.db?mode=rwc", self.data_dir.display()),
        }
    }

    /// The public base URL without a trailing slash.
    pub fn public_base_url(&self) -> String {
        match &self.public_base_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.site_addr),
        }
    }

    /// Whether browsers reach the site over https (PUBLIC_BASE_URL): the session cookie is then
    /// `__Host-token` with `Secure`.
    pub fn is_https(&self) -> bool {
        self.public_base_url()
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
    }

    /// How the shop's web front is reached: https cookies, trusted proxies.
    pub fn web_settings(&self) -> shop::accounts::session::WebSettings {
        shop::accounts::session::WebSettings {
            https: self.is_https(),
            trusted_proxies: self.trusted_proxies.clone(),
        }
    }

    /// Checks what clap cannot: each error names its variable.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let db = self.database_url();
        if !(db.starts_with("sqlite:")
            || db.starts_with("postgres://")
            || db.starts_with("postgresql://"))
        {
            return Err(ConfigError::Invalid {
                var: "DATABASE_URL",
                why: format!("'{db}' is neither sqlite:// nor postgres://"),
            });
        }
        let base = self.public_base_url();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                var: "PUBLIC_BASE_URL",
                why: format!("'{base}' must start with http:// or https://"),
            });
        }
        if self.alipay_gateway.is_some() {
            for (var, missing) in [
                ("ALIPAY_APP_ID", self.alipay_app_id.is_none()),
                ("ALIPAY_SELLER_ID", self.alipay_seller_id.is_none()),
                (
                    "ALIPAY_APP_PRIVATE_KEY",
                    self.alipay_app_private_key.is_none()
                        && self.alipay_app_private_key_file.is_none(),
                ),
                (
                    "ALIPAY_PUBLIC_KEY",
                    self.alipay_public_key.is_none() && self.alipay_public_key_file.is_none(),
                ),
            ] {
                if missing {
                    return Err(ConfigError::Invalid {
                        var,
                        why: "required when ALIPAY_GATEWAY is set (or its _FILE variant for keys)"
                            .to_owned(),
                    });
                }
            }
        }
        if self.frontend == Frontend::Csr && !self.csr_dir.join("index.html").is_file() {
            return Err(ConfigError::Invalid {
                var: "COURSEPAY_CSR_DIR",
                why: format!(
                    "no index.html in '{}': build the client-side app first (trunk build --release)",
                    self.csr_dir.display()
                ),
            });
        }
        if let Some(secret) = &self.jwt_secret
            && secret.expose().len() < 32
        {
            return Err(ConfigError::Invalid {
                var: "JWT_SECRET",
                why: "must be at least 32 bytes".to_owned(),
            });
        }
        Ok(())
    }

    /// The options Leptos renders and serves with.
    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name(self.output_name.as_str())
            .site_root(self.site_root.as_str())
            .site_pkg_dir(self.site_pkg_dir.as_str())
            .site_addr(self.site_addr)
            .reload_port(self.reload_port)
            .env(Env::PROD)
            .build()
    }
}

/// The front end the server serves (COURSEPAY_FRONTEND).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Frontend {
    /// Server-rendered pages, hydrated by the cargo-leptos WASM bundle.
    Ssr,
    /// The Trunk-built client-side app, served as static files with index.html for every page.
    Csr,
}

/// A setting that cannot be used, named by its environment variable.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{var}: {why}")]
    Invalid { var: &'static str, why: String },
}
