use leptos::prelude::*;

use crate::dto::UserDto;
use crate::error::AppError;

/// Who is logged in, if anyone.
#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<UserDto>, AppError> {
    super::with_status(async move {
        Ok(super::current_claims().await?.map(|c| UserDto {
            id: c.uid.0,
            username: c.username,
            role: c.role.to_string(),
        }))
    })
    .await
}

#[cfg(feature = "ssr")]
fn set_session(
    ctx: &super::ServerContext,
    account: &shop::accounts::Account,
) -> Result<(), AppError> {
    let token = shop::accounts::session::issue(&ctx.shop, account)?;
    set_cookie(&shop::accounts::session::cookie(&ctx.shop, &token));
    Ok(())
}

#[cfg(feature = "ssr")]
fn set_cookie(cookie: &str) {
    if let (Some(resp), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(cookie),
    ) {
        resp.append_header(http::header::SET_COOKIE, value);
    }
}

/// After a form post without JavaScript, sends the browser to a local path (never elsewhere).
#[cfg(feature = "ssr")]
fn go(next: &str) {
    super::redirect_without_js(&crate::pages::safe_next(next));
}

/// Logs in (throttled per name and client address) and sets the session cookie; then goes to
/// `next`.
#[server(endpoint = "login")]
pub async fn login(username: String, password: String, next: String) -> Result<UserDto, AppError> {
    super::with_status(async move {
        let ctx = super::ServerContext::get()?;
        let client = super::current_client_ip(&ctx.shop);
        let account =
            shop::accounts::login_throttled(&ctx.shop, username.trim(), &password, client).await?;
        set_session(&ctx, &account)?;
        go(&next);
        Ok(UserDto {
            id: account.id.0,
            username: account.username,
            role: account.role.to_string(),
        })
    })
    .await
}

/// Creates a student account, logs it in, then goes to `next`.
#[server(endpoint = "register")]
pub async fn register(
    username: String,
    password: String,
    next: String,
) -> Result<UserDto, AppError> {
    super::with_status(async move {
        let ctx = super::ServerContext::get()?;
        let account = shop::accounts::register(
            ctx.shop.db(),
            username.trim(),
            &password,
            ctx.shop.clock().now(),
        )
        .await?;
        set_session(&ctx, &account)?;
        go(&next);
        Ok(UserDto {
            id: account.id.0,
            username: account.username,
            role: account.role.to_string(),
        })
    })
    .await
}

/// Ends the user's sessions (every token issued so far stops working, on every device) and
/// removes the session cookie.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    super::with_status(async move {
        let ctx = super::ServerContext::get()?;
        // The cookie goes even if the database cannot be reached; the tokens go with it when it can.
        set_cookie(&shop::accounts::session::clear_cookie(&ctx.shop));
        if let Some(claims) = super::current_claims().await? {
            shop::accounts::revoke_sessions(ctx.shop.db(), claims.uid).await?;
        }
        go("/");
        Ok(())
    })
    .await
}
