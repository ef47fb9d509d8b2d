//! A setting whose value is a secret: usable, never shown by `Debug` (so `coursepay` can print its
//! configuration or errors without leaking JWT_SECRET or a private key).
use std::fmt;

/// A secret string from a flag or the environment.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The value, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<{} bytes redacted>)", self.0.len())
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Secret, Self::Err> {
        Ok(Secret(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    #[test]
    fn the_configuration_debug_print_hides_secrets() {
        let secret = "s3cr3t-jwt-0123456789abcdef0123456789";
        let key = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ";
        let cli = crate::cli::Cli::parse_from([
            "coursepay",
            "--jwt-secret",
            secret,
            "--alipay-app-private-key",
            key,
        ]);
        let printed = format!("{cli:?} {:#?}", cli.config);
        assert!(
            !printed.contains(secret) && !printed.contains(key),
            "{printed}"
        );
        assert!(printed.contains("redacted"));
        assert_eq!(cli.config.jwt_secret.unwrap().expose(), secret);
    }
}
