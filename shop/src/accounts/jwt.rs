//! Session tokens: HS256 JWTs (jsonwebtoken on aws-lc-rs) with an expiry. Only HS256 is accepted:
//! `alg: none`, RS/ES algorithms and any other key are refused.
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use crate::ShopError;
use crate::accounts::{Role, UserId};

/// What a token says about its holder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id, as a string (JWT's `sub` is a string).
    pub sub: String,
    /// The user id.
    pub uid: UserId,
    pub username: String,
    pub role: Role,
    /// The user's session version when the token was issued (see [`crate::accounts::session`]);
    /// tokens from before versions existed read as 0.
    #[serde(default)]
    pub sv: i32,
    pub iat: i64,
    pub exp: i64,
}

/// The signing secret and lifetime of tokens.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl: chrono::Duration,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl JwtKeys {
    /// Keys from a secret of at least 32 bytes.
    ///
    /// ```
    /// let keys = shop::accounts::jwt::JwtKeys::new(&[7u8; 32], chrono::Duration::hours(12)).unwrap();
    /// let now = chrono::Utc::now();
    /// let token = keys.issue(shop::accounts::UserId(1), "student", shop::accounts::Role::Student, now).unwrap();
    /// assert_eq!(keys.verify(&token, now).unwrap().username, "student");
    /// ```
    pub fn new(secret: &[u8], ttl: chrono::Duration) -> Result<JwtKeys, ShopError> {
        if secret.len() < 32 {
            return Err(ShopError::bug("JWT secret shorter than 32 bytes"));
        }
        Ok(JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            ttl,
        })
    }

    /// The lifetime of a token.
    pub fn ttl(&self) -> chrono::Duration {
        self.ttl
    }

    /// A token for this user at session version 0, issued at `now`, valid for the configured
    /// lifetime.
    pub fn issue(
        &self,
        user_id: UserId,
        username: &str,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<String, ShopError> {
        self.issue_versioned(user_id, username, role, 0, now)
    }

    /// A token for this user at `session_version`, issued at `now`, valid for the configured
    /// lifetime.
    pub fn issue_versioned(
        &self,
        user_id: UserId,
        username: &str,
        role: Role,
        session_version: i32,
        now: DateTime<Utc>,
    ) -> Result<String, ShopError> {
        let now = now.timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            uid: user_id,
            username: username.to_owned(),
            role,
            sv: session_version,
            iat: now,
            exp: now + self.ttl.num_seconds(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ShopError::internal("jwt encode", e))
    }

    /// The claims of a valid HS256 token signed with our secret, unexpired at `now` (the expiry is
    /// checked here against the injected clock, not by jsonwebtoken against the wall clock).
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, ShopError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.validate_exp = false;
        validation.set_required_spec_claims(&["exp", "sub"]);
        decode::<Claims>(token, &self.decoding, &validation)
            .ok()
            .map(|d| d.claims)
            .filter(|c| c.exp >= now.timestamp())
            .filter(|c| c.sub == c.uid.to_string())
            .ok_or(ShopError::Unauthenticated)
    }
}
