//! `POST /order/notify`: Alipay's asynchronous notify. Answers exactly `success` or `failure`
//! (text/plain) and never a 500, whatever the body.
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;

use app::api::ServerContext;

pub async fn notify(State(ctx): State<ServerContext>, body: Bytes) -> impl IntoResponse {
    tracing::info!(bytes = body.len(), "notify received");
    let answer = shop::payment::handle_notify(&ctx.shop, &body).await;
    ([(CONTENT_TYPE, "text/plain; charset=utf-8")], answer.body())
}
