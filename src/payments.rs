//! The Alipay side of start-up: the real gateway from configuration, or the embedded sandbox with
//! keys generated under the data folder.
use std::sync::Arc;

use alipay::{AlipayConfig, Clock, KeyRole, PrivateKey, PublicKey};
use alipay_sandbox::{Faults, MerchantApp, Sandbox, SandboxConfig};

use crate::config::Config;
use crate::keys::{self, SecretError};

/// The app id and partner id the embedded sandbox registers for us.
pub const SANDBOX_APP_ID: &str = "9021000000000001";
pub const SANDBOX_SELLER_ID: &str = "2088721000000001";

/// What start-up needs to know about payments.
pub struct Payments {
    pub client: alipay::Client,
    /// The embedded gateway, when no ALIPAY_GATEWAY is configured (mounted at /sandbox).
    pub sandbox: Option<Sandbox>,
}

/// Anything wrong with the payment settings.
#[derive(Debug, thiserror::Error)]
pub enum PaymentSetupError {
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("{var}: {err}")]
    Key {
        var: &'static str,
        err: alipay::KeyError,
    },
    #[error("ALIPAY_PUBLIC_KEY: {0}")]
    Mixup(alipay::KeyError),
    #[error("embedded sandbox: {0}")]
    Sandbox(#[from] alipay_sandbox::SandboxError),
}

/// Builds the gateway client on the process's `clock` (and starts the sandbox, which keeps its own
/// scalable clock, when it is the gateway).
pub async fn setup(cfg: &Config, clock: Arc<dyn Clock>) -> Result<Payments, PaymentSetupError> {
    let base = cfg.public_base_url();
    let keys_dir = cfg.data_dir.join("keys");
    let notify_url = Some(format!("{base}/order/notify"));
    let return_url = Some(format!("{base}/pay/success"));
    let Some(gateway) = cfg.alipay_gateway.clone() else {
        let app_key = keys::private_key(
            &keys_dir.join("app_private_key.pem"),
            KeyRole::AppPrivateKey,
        )?;
        let alipay_key = keys::private_key(
            &keys_dir.join("sandbox_alipay_private_key.pem"),
            KeyRole::AlipayPrivateKey,
        )?;
        let sandbox = Sandbox::start(SandboxConfig {
            public_base_url: format!("{base}/sandbox"),
            database_url: format!("sqlite://{}/sandbox.db?mode=rwc", cfg.data_dir.display()),
            alipay_private_key: alipay_key,
            apps: vec![MerchantApp {
                app_id: SANDBOX_APP_ID.to_owned(),
                app_public_key: app_key.public_key(),
                seller_id: SANDBOX_SELLER_ID.to_owned(),
                seller_email: "coursepay@sandbox.example".to_owned(),
                name: "路飞学城".to_owned(),
            }],
            clock_speed: cfg.sandbox_clock_speed,
            faults: Faults::default(),
        })
        .await?;
        let config = AlipayConfig {
            app_id: SANDBOX_APP_ID.to_owned(),
            seller_id: SANDBOX_SELLER_ID.to_owned(),
            gateway: sandbox.gateway_url(),
            app_private_key: app_key,
            alipay_public_key: sandbox.alipay_public_key(),
            notify_url,
            return_url,
            cert: None,
        };
        let client = alipay::Client::new(config, clock);
        return Ok(Payments {
            client,
            sandbox: Some(sandbox),
        });
    };
    let app_key = match (
        &cfg.alipay_app_private_key,
        &cfg.alipay_app_private_key_file,
    ) {
        (Some(text), _) => PrivateKey::parse(text.expose(), KeyRole::AppPrivateKey),
        (None, Some(path)) => PrivateKey::from_file(path, KeyRole::AppPrivateKey),
        (None, None) => Err(alipay::KeyError::Empty {
            role: KeyRole::AppPrivateKey,
        }),
    }
    .map_err(|err| PaymentSetupError::Key {
        var: "ALIPAY_APP_PRIVATE_KEY",
        err,
    })?;
    let alipay_key = match (&cfg.alipay_public_key, &cfg.alipay_public_key_file) {
        (Some(text), _) => PublicKey::parse(text, KeyRole::AlipayPublicKey),
        (None, Some(path)) => PublicKey::from_file(path, KeyRole::AlipayPublicKey),
        (None, None) => Err(alipay::KeyError::Empty {
            role: KeyRole::AlipayPublicKey,
        }),
    }
    .map_err(|err| PaymentSetupError::Key {
        var: "ALIPAY_PUBLIC_KEY",
        err,
    })?;
    alipay::check_merchant_keys(&app_key, &alipay_key).map_err(PaymentSetupError::Mixup)?;
    let config = AlipayConfig {
        app_id: cfg.alipay_app_id.clone().unwrap_or_default(),
        seller_id: cfg.alipay_seller_id.clone().unwrap_or_default(),
        gateway,
        app_private_key: app_key,
        alipay_public_key: alipay_key,
        notify_url,
        return_url,
        cert: None,
    };
    Ok(Payments {
        client: alipay::Client::new(config, clock),
        sandbox: None,
    })
}
