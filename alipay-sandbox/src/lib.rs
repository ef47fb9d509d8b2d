//! A faithful local Alipay gateway for coursepay: page pay, a Chinese cashier, signed returns,
//! notifies retried on Alipay's schedule (on a scaled clock), the trade OpenAPI methods, and
//! fault injection. Mount [`Sandbox::router`] anywhere (e.g. `/sandbox`) or run the binary.
//!
//! ```no_run
//! # async fn demo(app_public_key: alipay::keys::PublicKey) -> Result<(), Box<dyn std::error::Error>> {
//! use alipay_sandbox::{Faults, MerchantApp, Sandbox, SandboxConfig};
//! let alipay_key = alipay::keys::PrivateKey::generate()?; // persist it in real use
//! let sandbox = Sandbox::start(SandboxConfig {
//!     public_base_url: "http://127.0.0.1:3000/sandbox".into(),
//!     database_url: "sqlite://data/sandbox.db?mode=rwc".into(),
//!     alipay_private_key: alipay_key,
//!     apps: vec![MerchantApp {
//!         app_id: "9021000000000001".into(),
//!         app_public_key,
//!         seller_id: "2088721000000001".into(),
//!         seller_email: "merchant@alipaydev.com".into(),
//!         name: "课程商店".into(),
//!     }],
//!     clock_speed: 1,
//!     faults: Faults::default(),
//! })
//! .await?;
//! let app: axum::Router = axum::Router::new().nest("/sandbox", sandbox.router());
//! // The merchant's AlipayConfig: gateway = sandbox.gateway_url(),
//! // alipay_public_key = sandbox.alipay_public_key(); its Client may use sandbox.clock().
//! # let _ = app; Ok(()) }
//! ```

pub mod admin;
pub mod assets;
pub mod cashier;
pub mod clock;
pub mod config;
pub mod error;
pub mod faults;
pub mod gateway;
pub mod html;
pub mod ids;
pub mod notify;
pub mod origin;
pub mod qr;
mod state;
pub mod store;
pub mod trading;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use chrono::Utc;

pub use config::{MerchantApp, SandboxConfig};
pub use error::SandboxError;
pub use faults::{Faults, Tamper};

use clock::ScaledClock;
use faults::FaultState;
use state::Inner;
use store::Store;

/// A running sandbox gateway (cheap to clone).
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Inner>,
    dispatcher: Arc<tokio::task::JoinHandle<()>>,
}

impl Sandbox {
    /// Opens the store, creates its tables and spawns the notify dispatcher, which resumes any
    /// deliveries left pending by a previous run.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        let base = config.base();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(SandboxError::Config(format!(
                "public_base_url must be an http(s) URL, got {base:?}"
            )));
        }
        config.faults.check().map_err(SandboxError::Config)?;
        let store = Store::open(&config.database_url).await?;
        // A restarted clock never runs behind what the store already saw.
        let start = store
            .latest_time()
            .await?
            .map_or(Utc::now(), |t| t.max(Utc::now()));
        let clock = Arc::new(ScaledClock::new(start, config.clock_speed));
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| SandboxError::Http(e.to_string()))?;
        let apps: HashMap<String, MerchantApp> = config
            .apps
            .into_iter()
            .map(|a| (a.app_id.clone(), a))
            .collect();
        let inner = Arc::new(Inner {
            base,
            apps,
            alipay_key: config.alipay_private_key,
            store,
            clock,
            faults: FaultState::new(config.faults),
            wake: tokio::sync::Notify::new(),
            inflight: Mutex::new(Default::default()),
            http,
        });
        let dispatcher = Arc::new(notify::dispatcher::spawn(inner.clone()));
        tracing::info!(gateway = %inner.gateway_url(), speed = inner.clock.speed(), "alipay sandbox started");
        Ok(Sandbox { inner, dispatcher })
    }

    /// The routes, relative to wherever the router is mounted.
    pub fn router(&self) -> Router {
        let own_site = axum::middleware::from_fn_with_state(self.inner.clone(), origin::check);
        Router::new()
            .route("/cashier/{trade_no}", get(cashier::show))
            .route("/cashier/{trade_no}/pay", post(cashier::pay))
            .route("/cashier/{trade_no}/cancel", post(cashier::cancel))
            .route("/admin", get(admin::page_html))
            .route(
                "/admin/faults",
                get(admin::get_faults).post(admin::set_faults),
            )
            .route("/admin/trades.json", get(admin::trades_json))
            .route(assets::CASHIER_JS_PATH, get(assets::cashier_js))
            // Every route above takes writes from the sandbox's own pages only.
            .route_layer(own_site)
            .route("/gateway.do", get(gateway::gateway).post(gateway::gateway))
            .with_state(self.inner.clone())
    }

    /// The key merchants verify the sandbox's answers with.
    pub fn alipay_public_key(&self) -> alipay::keys::PublicKey {
        self.inner.alipay_key.public_key()
    }

    /// Replaces the fault settings (and restarts the "drop first N" counter).
    pub fn set_faults(&self, f: Faults) {
        self.inner.faults.set(f);
    }

    pub fn faults(&self) -> Faults {
        self.inner.faults.get()
    }

    /// The scaled clock the sandbox runs on.
    pub fn clock(&self) -> Arc<dyn alipay::clock::Clock> {
        self.inner.clock.clone()
    }

    /// `{public_base_url}/gateway.do`.
    pub fn gateway_url(&self) -> String {
        self.inner.gateway_url()
    }

    /// Trades, notifies and attempts as JSON (what `/admin/trades.json` serves).
    pub async fn report(&self) -> Result<serde_json::Value, SandboxError> {
        Ok(admin::report(&self.inner).await?)
    }

    /// Stops the notify dispatcher (pending deliveries stay in the store for the next start).
    pub fn shutdown(&self) {
        self.dispatcher.abort();
    }
}
