//! The caller of a JSON route, from `Authorization: jwt|Bearer <token>` or the session cookie: a
//! valid token whose session is still current, with the role as it is now in the database.
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use app::api::ServerContext;
use shop::accounts::jwt::Claims;

/// A logged-in user; the route answers 401 without one.
pub struct User(pub Claims);

impl FromRequestParts<ServerContext> for User {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        ctx: &ServerContext,
    ) -> Result<Self, Self::Rejection> {
        let get = |name| {
            parts
                .headers
                .get(name)
                .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
        };
        let token =
            shop::accounts::auth::token_from(get(header::AUTHORIZATION), get(header::COOKIE));
        let unauthorized = || {
            (
                StatusCode::UNAUTHORIZED,
                axum::Json(serde_json::json!({"detail": "请先登录"})),
            )
                .into_response()
        };
        let Some(token) = token else {
            return Err(unauthorized());
        };
        match shop::accounts::session::verify(&ctx.shop, token).await {
            Ok(claims) => Ok(User(claims)),
            Err(shop::ShopError::Unauthenticated) => Err(unauthorized()),
            Err(e) => Err(super::json_api::error(e)),
        }
    }
}
