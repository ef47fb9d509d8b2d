//! The cashier: where the buyer looks, logs in and pays (or cancels).

mod page;
mod ret;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use crate::gateway::error_page::PageError;
use crate::gateway::params;
use crate::html::{found, origin, respond};
use crate::ids::BUYER_PASSWORD;
use crate::state::Inner;
use crate::store::{Store, WAIT_BUYER_PAY, trade};
use crate::trading::{self, PayOutcome};

fn store_error(e: sea_orm::DbErr) -> Response {
    tracing::error!(error = %e, "sandbox store failed");
    PageError::new("SYSTEM_ERROR", "系统繁忙，请稍后再试").into_response()
}

fn closed() -> Response {
    PageError::new(
        "ACQ.TRADE_HAS_CLOSE",
        "交易已经关闭（订单已过期或已被关闭）",
    )
    .into_response()
}

fn not_exist() -> Response {
    PageError::new("ACQ.TRADE_NOT_EXIST", "交易不存在").into_response()
}

/// The merchant's site, for "back" links.
fn back_link(t: &trade::Model) -> Option<String> {
    t.return_url
        .as_deref()
        .or(t.notify_url.as_deref())
        .and_then(origin)
}

fn render(inner: &Inner, t: &trade::Model, error: Option<&str>) -> Response {
    let merchant = inner
        .apps
        .get(&t.app_id)
        .map(|a| a.name.clone())
        .unwrap_or_else(|| t.app_id.clone());
    let url = inner.cashier_url(&t.trade_no);
    let script = format!("{}{}", inner.base, crate::assets::CASHIER_JS_PATH);
    let remaining = inner.clock.real_until(t.time_expire);
    let html = page::cashier(&page::CashierView {
        trade: t,
        merchant: &merchant,
        cashier_url: &url,
        remaining_ms: u64::try_from(remaining.as_millis()).unwrap_or(u64::MAX),
        script_url: &script,
        error,
    });
    respond(StatusCode::OK, html)
}

/// GET `/cashier/{trade_no}`.
pub async fn show(State(inner): State<Arc<Inner>>, Path(trade_no): Path<String>) -> Response {
    let t = match Store::trade_by_no(inner.store.db(), &trade_no).await {
        Ok(Some(t)) => t,
        Ok(None) => return not_exist(),
        Err(e) => return store_error(e),
    };
    if t.status == WAIT_BUYER_PAY && t.time_expire <= inner.now() {
        if let Err(e) = trading::close_if_open(&inner, t.id).await {
            return store_error(e);
        }
        return closed();
    }
    match t.status.as_str() {
        WAIT_BUYER_PAY => render(&inner, &t, None),
        trading::TRADE_CLOSED => closed(),
        _ => respond(StatusCode::OK, page::paid(&t, back_link(&t).as_deref())),
    }
}

/// POST `/cashier/{trade_no}/pay` (form: account, password).
pub async fn pay(
    State(inner): State<Arc<Inner>>,
    Path(trade_no): Path<String>,
    body: Bytes,
) -> Response {
    let mut form = alipay::sign::Params::new();
    params::decode_into(&mut form, &body);
    if params::get(&form, "password") != Some(BUYER_PASSWORD) {
        return match Store::trade_by_no(inner.store.db(), &trade_no).await {
            Ok(Some(t)) if t.status == WAIT_BUYER_PAY => render(
                &inner,
                &t,
                Some("支付密码不正确（沙箱买家的支付密码见下方）"),
            ),
            Ok(Some(_)) => closed(),
            Ok(None) => not_exist(),
            Err(e) => store_error(e),
        };
    }
    let (t, delivery) = match trading::pay(&inner, &trade_no).await {
        Ok(PayOutcome::Paid(t, d)) => (t, d),
        Ok(PayOutcome::AlreadyPaid(t)) => (t, None),
        Ok(PayOutcome::Closed) => return closed(),
        Ok(PayOutcome::NotFound) => return not_exist(),
        Err(e) => return store_error(e),
    };
    tracing::info!(out_trade_no = %t.out_trade_no, trade_no = %t.trade_no, "buyer paid");
    if let Some(id) = delivery
        && inner.faults.get().notify_before_return
        && let Err(e) = crate::notify::dispatcher::deliver_now(&inner, id).await
    {
        tracing::warn!(error = %e, "notify before return failed to record");
    }
    match t.return_url.as_deref() {
        Some(url) => found(&ret::return_url(&inner, &t, url)),
        None => respond(StatusCode::OK, page::paid(&t, back_link(&t).as_deref())),
    }
}

/// POST `/cashier/{trade_no}/cancel`.
pub async fn cancel(State(inner): State<Arc<Inner>>, Path(trade_no): Path<String>) -> Response {
    match Store::trade_by_no(inner.store.db(), &trade_no).await {
        Ok(Some(t)) => respond(
            StatusCode::OK,
            page::cancelled(&t, back_link(&t).as_deref()),
        ),
        Ok(None) => not_exist(),
        Err(e) => store_error(e),
    }
}
