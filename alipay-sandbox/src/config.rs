//! What the embedding server (or the binary) hands the sandbox.

use crate::faults::Faults;

/// A merchant application registered with the sandbox.
#[derive(Clone, Debug)]
pub struct MerchantApp {
    pub app_id: String,
    /// The app's public key: the sandbox verifies the merchant's requests with it.
    pub app_public_key: alipay::keys::PublicKey,
    /// The partner id (`2088...`) notifies and returns name.
    pub seller_id: String,
    pub seller_email: String,
    /// Shown on the cashier page.
    pub name: String,
}

/// Everything the sandbox needs to start.
#[derive(Clone)]
pub struct SandboxConfig {
    /// Where browsers and merchants reach the sandbox, e.g. `http://127.0.0.1:3000/sandbox`
    /// (the gateway is `{public_base_url}/gateway.do`). No trailing slash needed.
    pub public_base_url: String,
    /// Its own store, e.g. `sqlite://data/sandbox.db?mode=rwc` or `sqlite::memory:`.
    pub database_url: String,
    /// The sandbox signs as Alipay with this key.
    pub alipay_private_key: alipay::keys::PrivateKey,
    pub apps: Vec<MerchantApp>,
    /// 1 = real time; 3600 = one simulated hour per real second.
    pub clock_speed: u32,
    /// Initial fault settings.
    pub faults: Faults,
}

impl SandboxConfig {
    /// The base URL without a trailing slash.
    pub fn base(&self) -> String {
        self.public_base_url.trim_end_matches('/').to_string()
    }
}
