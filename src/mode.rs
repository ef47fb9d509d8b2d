//! Development and production: what each mode allows, and the production checklist behind
//! `coursepay check` and a production start.
//!
//! Development (the default) keeps the zero-configuration experience: SQLite, the embedded sandbox
//! gateway with generated keys, demo accounts. Production refuses to start until every setting it
//! needs is present and safe, and then never mounts the sandbox, never seeds accounts and never
//! prints a secret.
use alipay::{KeyRole, PrivateKey, PublicKey};

use crate::config::Config;

/// How the server runs (COURSEPAY_MODE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// Zero configuration: embedded sandbox gateway, generated dev keys, demo accounts.
    Development,
    /// A real gateway, keys, a strong JWT secret and an https public URL, or no start at all.
    Production,
}

/// One setting that is missing or unsafe, named by its environment variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub var: &'static str,
    pub why: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.var, self.why)
    }
}

/// Every problem at once, one per line (the error a production start fails with).
#[derive(Debug, thiserror::Error)]
#[error("{}", render(.0))]
pub struct Unsafe(pub Vec<Problem>);

fn render(problems: &[Problem]) -> String {
    let mut s = format!(
        "production mode refuses to start: {} setting(s) missing or unsafe (coursepay check lists them too)",
        problems.len()
    );
    for p in problems {
        s.push_str("\n  - ");
        s.push_str(&p.to_string());
    }
    s
}

/// The least a JWT secret must have: length and variety (a repeated character is not a secret).
pub const MIN_JWT_SECRET_BYTES: usize = 32;
const MIN_JWT_SECRET_DISTINCT: usize = 12;

fn problem(var: &'static str, why: impl Into<String>) -> Problem {
    Problem {
        var,
        why: why.into(),
    }
}

/// `Some(host)` of an `https://host[:port]/...` URL, `None` if it is not https.
fn https_host(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) && !h.ends_with(']') => h,
        Some((h, _)) if authority.starts_with('[') => h,
        _ => authority,
    };
    (!host.is_empty() && !authority.contains('@')).then_some(host)
}

fn is_local_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
}

/// Everything that keeps `cfg` from running in production, in the order `--help` lists them.
/// Keys are parsed (never printed); an empty list means ready.
pub fn production_problems(cfg: &Config) -> Vec<Problem> {
    let mut out = Vec::new();
    match cfg.public_base_url.as_deref() {
        None => out.push(problem(
            "PUBLIC_BASE_URL",
            "not set: production needs the https:// URL students and Alipay reach",
        )),
        Some(url) => match https_host(url.trim_end_matches('/')) {
            None => out.push(problem(
                "PUBLIC_BASE_URL",
                "must be an https:// URL (sessions and notifies must not travel in clear text)",
            )),
            Some(host) if is_local_host(host) => out.push(problem(
                "PUBLIC_BASE_URL",
                "names this machine (localhost/loopback): Alipay cannot reach it",
            )),
            Some(_) => {}
        },
    }
    match cfg.alipay_gateway.as_deref() {
        None => out.push(problem(
            "ALIPAY_GATEWAY",
            "not set: production never uses the embedded sandbox (https://openapi.alipay.com/gateway.do)",
        )),
        Some(url) => match https_host(url) {
            None => out.push(problem("ALIPAY_GATEWAY", "must be an https:// URL")),
            Some(host) if is_local_host(host) => out.push(problem(
                "ALIPAY_GATEWAY",
                "points at this machine: production talks to Alipay, not a local sandbox",
            )),
            Some(_) => {}
        },
    }
    match cfg.alipay_app_id.as_deref().map(str::trim) {
        None | Some("") => out.push(problem("ALIPAY_APP_ID", "not set")),
        Some(id) if !id.chars().all(|c| c.is_ascii_digit()) || !(8..=32).contains(&id.len()) => out
            .push(problem(
                "ALIPAY_APP_ID",
                "must be the digits of your Alipay app id",
            )),
        Some(_) => {}
    }
    match cfg.alipay_seller_id.as_deref().map(str::trim) {
        None | Some("") => out.push(problem("ALIPAY_SELLER_ID", "not set")),
        Some(id)
            if !(id.len() == 16
                && id.starts_with("2088")
                && id.bytes().all(|b| b.is_ascii_digit())) =>
        {
            out.push(problem(
                "ALIPAY_SELLER_ID",
                "must be the 16-digit partner id that starts with 2088",
            ))
        }
        Some(_) => {}
    }
    let app_key = match (
        &cfg.alipay_app_private_key,
        &cfg.alipay_app_private_key_file,
    ) {
        (None, None) => {
            out.push(problem(
                "ALIPAY_APP_PRIVATE_KEY",
                "not set (or ALIPAY_APP_PRIVATE_KEY_FILE)",
            ));
            None
        }
        (Some(text), _) => key_or_problem(
            &mut out,
            "ALIPAY_APP_PRIVATE_KEY",
            PrivateKey::parse(text.expose(), KeyRole::AppPrivateKey),
        ),
        (None, Some(path)) => key_or_problem(
            &mut out,
            "ALIPAY_APP_PRIVATE_KEY_FILE",
            PrivateKey::from_file(path, KeyRole::AppPrivateKey),
        ),
    };
    let alipay_key = match (&cfg.alipay_public_key, &cfg.alipay_public_key_file) {
        (None, None) => {
            out.push(problem(
                "ALIPAY_PUBLIC_KEY",
                "not set (or ALIPAY_PUBLIC_KEY_FILE)",
            ));
            None
        }
        (Some(text), _) => key_or_problem(
            &mut out,
            "ALIPAY_PUBLIC_KEY",
            PublicKey::parse(text, KeyRole::AlipayPublicKey),
        ),
        (None, Some(path)) => key_or_problem(
            &mut out,
            "ALIPAY_PUBLIC_KEY_FILE",
            PublicKey::from_file(path, KeyRole::AlipayPublicKey),
        ),
    };
    if let (Some(app), Some(ali)) = (&app_key, &alipay_key)
        && let Err(e) = alipay::check_merchant_keys(app, ali)
    {
        out.push(problem("ALIPAY_PUBLIC_KEY", e.to_string()));
    }
    match cfg.jwt_secret.as_ref().map(crate::secret::Secret::expose) {
        None => out.push(problem(
            "JWT_SECRET",
            "not set: production needs its own secret (the one generated under COURSEPAY_DATA_DIR is for development, and every instance must share one)",
        )),
        Some(s) if s.len() < MIN_JWT_SECRET_BYTES => out.push(problem(
            "JWT_SECRET",
            format!("too short: at least {MIN_JWT_SECRET_BYTES} bytes (e.g. openssl rand -hex 32)"),
        )),
        Some(s) if distinct_bytes(s) < MIN_JWT_SECRET_DISTINCT => out.push(problem(
            "JWT_SECRET",
            "too predictable: use random bytes (e.g. openssl rand -hex 32)",
        )),
        Some(_) => {}
    }
    if cfg.sandbox_public {
        out.push(problem(
            "COURSEPAY_SANDBOX_PUBLIC",
            "must not be set in production: the sandbox lets anyone pay with a fake account",
        ));
    }
    out
}

fn key_or_problem<K>(
    out: &mut Vec<Problem>,
    var: &'static str,
    key: Result<K, alipay::KeyError>,
) -> Option<K> {
    key.map_err(|e| out.push(problem(var, e.to_string()))).ok()
}

fn distinct_bytes(s: &str) -> usize {
    let mut seen = [false; 256];
    s.bytes().for_each(|b| seen[usize::from(b)] = true);
    seen.iter().filter(|&&b| b).count()
}

/// Whether the server listens only where this machine alone can reach it.
pub fn binds_loopback(cfg: &Config) -> bool {
    cfg.site_addr.ip().is_loopback()
}

/// A development server that would expose the sandbox (whose cashier lets anyone "pay") beyond
/// this machine without COURSEPAY_SANDBOX_PUBLIC.
pub fn sandbox_exposure(cfg: &Config) -> Option<Problem> {
    (cfg.alipay_gateway.is_none() && !binds_loopback(cfg) && !cfg.sandbox_public).then(|| {
        problem(
            "COURSEPAY_SANDBOX_PUBLIC",
            format!(
                "the embedded sandbox gateway (anyone can pay with its test buyer) would be reachable on {}: \
                 bind 127.0.0.1 (LEPTOS_SITE_ADDR), configure a real ALIPAY_GATEWAY, or set \
                 COURSEPAY_SANDBOX_PUBLIC=true to expose it on purpose",
                cfg.site_addr
            ),
        )
    })
}

/// What keeps `cfg` from starting in its mode: the production checklist, or in development only
/// the sandbox exposure rule.
pub fn start_problems(cfg: &Config) -> Vec<Problem> {
    match cfg.mode {
        Mode::Production => production_problems(cfg),
        Mode::Development => sandbox_exposure(cfg).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_hosts() {
        assert_eq!(https_host("https://shop.example"), Some("shop.example"));
        assert_eq!(
            https_host("https://shop.example:8443/x"),
            Some("shop.example")
        );
        assert_eq!(https_host("https://[::1]:443/"), Some("[::1]"));
        assert_eq!(https_host("http://shop.example"), None);
        assert_eq!(https_host("https://"), None);
        assert_eq!(https_host("https://user@evil.example"), None);
        assert_eq!(https_host("HTTPS-ish://x"), None);
        assert!(is_local_host("localhost") && is_local_host("127.0.0.2") && is_local_host("[::1]"));
        assert!(is_local_host("0.0.0.0") && !is_local_host("shop.example"));
    }

    #[test]
    fn predictable_secrets_are_told_apart() {
        assert_eq!(distinct_bytes(&"a".repeat(64)), 1);
        assert!(distinct_bytes("0123456789abcdef0123456789abcdef") >= MIN_JWT_SECRET_DISTINCT);
    }
}
