//! What the server provides to every server function and SSR render, and the caller's identity.
use leptos::prelude::*;

use crate::error::AppError;

/// Handles the server puts into the Leptos context (see `src/server.rs`).
#[derive(Clone)]
pub struct ServerContext {
    pub shop: shop::Shop,
}

impl ServerContext {
    /// The context of the current request.
    pub fn get() -> Result<ServerContext, AppError> {
        use_context::<ServerContext>()
            .ok_or_else(|| AppError::Internal("server context missing".to_owned()))
    }
}

/// The logged-in user of this request, from the session cookie or an `Authorization` header:
/// a valid token whose session is still current (not logged out, role and password unchanged),
/// with the role as it is now in the database.
pub async fn current_claims() -> Result<Option<shop::accounts::jwt::Claims>, AppError> {
    let ctx = ServerContext::get()?;
    let parts = use_context::<http::request::Parts>();
    let Some(parts) = parts else { return Ok(None) };
    let header = |name: http::HeaderName| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let token = shop::accounts::auth::token_from(
        header(http::header::AUTHORIZATION),
        header(http::header::COOKIE),
    );
    let Some(token) = token else { return Ok(None) };
    match shop::accounts::session::verify(&ctx.shop, token).await {
        Ok(claims) => Ok(Some(claims)),
        Err(shop::ShopError::Unauthenticated) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The client address of a request (for the login throttle): the TCP peer the server recorded
/// (`ConnectInfo`), or behind a trusted proxy the address it forwarded. `None` if the server
/// recorded no peer.
pub fn client_ip(parts: &http::request::Parts, shop: &shop::Shop) -> Option<std::net::IpAddr> {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok());
    shop::accounts::client::client_ip(peer, forwarded, &shop.web().trusted_proxies)
}

/// [`client_ip`] of the current server-function call.
pub fn current_client_ip(shop: &shop::Shop) -> Option<std::net::IpAddr> {
    use_context::<http::request::Parts>().and_then(|p| client_ip(&p, shop))
}

/// The logged-in user, or [`AppError::Unauthenticated`].
pub async fn require_user() -> Result<shop::accounts::jwt::Claims, AppError> {
    current_claims().await?.ok_or(AppError::Unauthenticated)
}

/// Redirects a plain HTML form post (JavaScript off) to `url`. Hydrated pages navigate themselves
/// with a full page load, so their calls get no redirect.
pub fn redirect_without_js(url: &str) {
    let html_form = use_context::<http::request::Parts>().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
    });
    if html_form {
        // `redirect` panics on a value that is no valid header: go home instead.
        let url = if http::HeaderValue::from_str(url).is_ok() {
            url
        } else {
            "/"
        };
        leptos_axum::redirect(url);
    }
}
