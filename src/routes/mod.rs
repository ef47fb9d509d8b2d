//! Plain HTTP routes beside the Leptos pages: Alipay's notify, and the seed client's JSON API.
mod auth;
mod json_api;
mod notify;

use axum::Router;
use axum::routing::{get, patch, post};

use app::api::ServerContext;

/// The routes, with the shop as their state.
pub fn routes(ctx: ServerContext) -> Router {
    Router::new()
        .route("/order/notify", post(notify::notify))
        .route("/user/register", post(json_api::register))
        .route("/user/login", post(json_api::login))
        .route("/course/list", get(json_api::course_list))
        .route("/order/pay", post(json_api::pay))
        .route("/order/success", patch(json_api::success))
        .route("/order/status/{out_trade_no}", get(json_api::status))
        .route("/order/list", get(json_api::list))
        .with_state(ctx)
}
