//! The admin page: trades, every notify attempt with the merchant's answer, and the fault settings.

use std::sync::Arc;

use alipay::clock::beijing;
use alipay::money::Money;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::faults::{BOUNDS, Faults, Tamper, out_of_range};
use crate::gateway::params;
use crate::html::{esc, found, page, respond};
use crate::state::Inner;

/// Trades, their notifies and every attempt, as JSON.
pub async fn report(inner: &Inner) -> Result<Value, sea_orm::DbErr> {
    let trades = inner.store.all_trades().await?;
    let deliveries = inner.store.all_deliveries().await?;
    let attempts = inner.store.all_attempts().await?;
    let list: Vec<Value> = trades
        .iter()
        .map(|t| {
            let notifies: Vec<Value> = deliveries
                .iter()
                .filter(|d| d.trade_id == t.id)
                .map(|d| {
                    let atts: Vec<Value> = attempts
                        .iter()
                        .filter(|a| a.delivery_id == d.id)
                        .map(|a| json!({
                            "attempt_no": a.attempt_no, "copy_no": a.copy_no,
                            "scheduled_at": a.scheduled_at, "sent_at": a.sent_at,
                            "http_status": a.http_status, "response_body": a.response_body,
                            "error": a.error, "delivered": a.delivered,
                        }))
                        .collect();
                    json!({
                        "notify_id": d.notify_id, "kind": d.kind, "notify_url": d.notify_url,
                        "state": d.state, "attempts": d.attempts, "next_attempt_at": d.next_attempt_at,
                        "attempt_log": atts,
                    })
                })
                .collect();
            json!({
                "app_id": t.app_id, "out_trade_no": t.out_trade_no, "trade_no": t.trade_no,
                "trade_status": t.status, "total_amount": Money::from_cents(t.total_cents).to_string(),
                "refund_fee": Money::from_cents(t.refunded_cents).to_string(), "subject": t.subject,
                "gmt_create": t.gmt_create, "gmt_payment": t.gmt_payment, "gmt_close": t.gmt_close,
                "time_expire": t.time_expire, "notifies": notifies,
            })
        })
        .collect();
    Ok(json!({ "now": inner.now(), "clock_speed": inner.clock.speed(), "trades": list }))
}

/// GET `/admin/trades.json`.
pub async fn trades_json(State(inner): State<Arc<Inner>>) -> Response {
    match report(&inner).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    }
}

/// GET `/admin/faults`.
pub async fn get_faults(State(inner): State<Arc<Inner>>) -> Json<Faults> {
    Json(inner.faults.get())
}

/// POST `/admin/faults`: a JSON `Faults`, or the admin page's form (then back to the page).
pub async fn set_faults(
    State(inner): State<Arc<Inner>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct.starts_with("application/json") {
        return match serde_json::from_slice::<Faults>(&body) {
            Ok(f) => match f.check() {
                Err(why) => (StatusCode::BAD_REQUEST, why).into_response(),
                Ok(()) => {
                    tracing::info!(faults = ?f, "faults set");
                    inner.faults.set(f.clone());
                    Json(f).into_response()
                }
            },
            Err(e) => (StatusCode::BAD_REQUEST, format!("invalid faults: {e}")).into_response(),
        };
    }
    let mut p = alipay::sign::Params::new();
    params::decode_into(&mut p, &body);
    let mut counts = [0u32; 3];
    for (slot, (name, max)) in counts.iter_mut().zip(BOUNDS) {
        match count(params::get(&p, name), max) {
            Some(v) => *slot = v,
            None => {
                let msg = format!("<p class=\"err\">{}</p>", esc(&out_of_range(name, max)));
                return respond(StatusCode::BAD_REQUEST, page("错误 Error", &msg));
            }
        }
    }
    let [drop_first_notifies, notify_copies, notify_delay_secs] = counts;
    let flag = |k: &str| params::get(&p, k).is_some();
    let f = Faults {
        drop_first_notifies,
        notify_copies,
        notify_delay_secs,
        notify_before_return: flag("notify_before_return"),
        query_unknown: flag("query_unknown"),
        tamper: match params::get(&p, "tamper") {
            Some("Amount") => Some(Tamper::Amount),
            Some("AppId") => Some(Tamper::AppId),
            Some("SellerId") => Some(Tamper::SellerId),
            _ => None,
        },
        drop_all_notifies: flag("drop_all_notifies"),
    };
    tracing::info!(faults = ?f, "faults set from the admin page");
    inner.faults.set(f);
    found(&format!("{}/admin", inner.base))
}

/// A form count: empty means 0; anything else must be an integer in `0..=max`.
fn count(v: Option<&str>, max: u32) -> Option<u32> {
    match v.map(str::trim) {
        None | Some("") => Some(0),
        Some(v) => v.parse::<u32>().ok().filter(|n| *n <= max),
    }
}

/// GET `/admin`.
pub async fn page_html(State(inner): State<Arc<Inner>>) -> Response {
    let report = match report(&inner).await {
        Ok(v) => v,
        Err(e) => return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    };
    let f = inner.faults.get();
    let checked = |b: bool| if b { " checked" } else { "" };
    let sel = |t: Option<Tamper>| if f.tamper == t { " selected" } else { "" };
    let mut rows = String::new();
    for t in report["trades"].as_array().into_iter().flatten() {
        let s = |k: &str| esc(t[k].as_str().unwrap_or(""));
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>¥{}</td><td>¥{}</td><td>{}</td></tr>",
            s("out_trade_no"),
            s("trade_no"),
            s("trade_status"),
            s("total_amount"),
            s("refund_fee"),
            s("subject")
        ));
        for n in t["notifies"].as_array().into_iter().flatten() {
            let mut log = String::new();
            for a in n["attempt_log"].as_array().into_iter().flatten() {
                let when = a["sent_at"]
                    .as_str()
                    .and_then(|x| x.parse().ok())
                    .map(beijing)
                    .unwrap_or_default();
                log.push_str(&format!(
                    "#{} {} HTTP {} «{}» {}<br>",
                    a["attempt_no"],
                    when,
                    a["http_status"],
                    esc(a["response_body"].as_str().unwrap_or("")),
                    esc(a["error"].as_str().unwrap_or(""))
                ));
            }
            rows.push_str(&format!(
                "<tr><td></td><td colspan=\"2\">notify {} ({}) → {}</td><td colspan=\"3\">{} · {} attempts<br>{}</td></tr>",
                esc(n["notify_id"].as_str().unwrap_or("")), esc(n["kind"].as_str().unwrap_or("")),
                esc(n["notify_url"].as_str().unwrap_or("")), esc(n["state"].as_str().unwrap_or("")),
                n["attempts"], log
            ));
        }
    }
    let action = esc(&format!("{}/admin/faults", inner.base));
    let body = format!(
        r#"<h2>沙箱管理 Sandbox admin</h2><p class="muted">网关 Gateway: {gw} · clock ×{speed} · now {now}</p>
<h3>故障注入 Faults</h3><form method="post" action="{action}">
<label>drop_first_notifies <input name="drop_first_notifies" value="{drop}"></label><br>
<label>notify_copies <input name="notify_copies" value="{copies}"></label><br>
<label>notify_delay_secs <input name="notify_delay_secs" value="{delay}"></label><br>
<label><input type="checkbox" name="notify_before_return" style="width:auto"{nbr}> notify_before_return</label><br>
<label><input type="checkbox" name="query_unknown" style="width:auto"{qu}> query_unknown</label><br>
<label><input type="checkbox" name="drop_all_notifies" style="width:auto"{dall}> drop_all_notifies</label><br>
<label>tamper <select name="tamper"><option value="">none</option><option{ta}>Amount</option><option{tb}>AppId</option><option{tc}>SellerId</option></select></label><br>
<p><button type="submit">保存 Save</button></p></form>
<h3>交易 Trades</h3><table><tr><th>out_trade_no</th><th>trade_no</th><th>status</th><th>total</th><th>refunded</th><th>subject</th></tr>{rows}</table>"#,
        gw = esc(&inner.gateway_url()),
        speed = inner.clock.speed(),
        now = beijing(inner.now()),
        action = action,
        drop = f.drop_first_notifies,
        copies = f.notify_copies,
        delay = f.notify_delay_secs,
        nbr = checked(f.notify_before_return),
        qu = checked(f.query_unknown),
        dall = checked(f.drop_all_notifies),
        ta = sel(Some(Tamper::Amount)),
        tb = sel(Some(Tamper::AppId)),
        tc = sel(Some(Tamper::SellerId)),
        rows = rows
    );
    respond(StatusCode::OK, page("沙箱管理", &body))
}
