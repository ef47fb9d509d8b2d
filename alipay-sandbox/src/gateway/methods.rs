//! The business of each OpenAPI method.

use std::sync::Arc;

use alipay::clock::beijing;
use alipay::money::Money;
use sea_orm::DbErr;
use serde_json::{Map, Value};

use super::answer::Answer;
use crate::config::MerchantApp;
use crate::state::Inner;
use crate::store::{Store, WAIT_BUYER_PAY, trade};
use crate::trading::{self, refund::RefundOutcome, refund::RefundRequest};

fn s<'a>(biz: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    biz.get(k).and_then(Value::as_str).filter(|v| !v.is_empty())
}

fn money(cents: i64) -> String {
    Money::from_cents(cents).to_string()
}

fn not_exist() -> Answer {
    Answer::business("ACQ.TRADE_NOT_EXIST", "交易不存在")
}

fn invalid_parameter(what: &str) -> Answer {
    Answer::business("ACQ.INVALID_PARAMETER", &format!("参数无效：{what}"))
}

/// The trade named by biz_content, closed first if it expired unpaid.
async fn find(
    inner: &Arc<Inner>,
    app: &MerchantApp,
    biz: &Map<String, Value>,
) -> Result<Option<trade::Model>, DbErr> {
    let t = Store::find_trade(
        inner.store.db(),
        &app.app_id,
        s(biz, "out_trade_no"),
        s(biz, "trade_no"),
    )
    .await?;
    match t {
        Some(t) if t.status == WAIT_BUYER_PAY && t.time_expire <= inner.now() => {
            trading::close_if_open(inner, t.id).await?;
            Store::trade_by_id(inner.store.db(), t.id).await
        }
        other => Ok(other),
    }
}

pub async fn query(
    inner: &Arc<Inner>,
    app: &MerchantApp,
    biz: &Map<String, Value>,
) -> Result<Answer, DbErr> {
    if inner.faults.get().query_unknown {
        return Ok(Answer::failure(
            "20000",
            "Service Currently Unavailable",
            "isp.unknow-error",
            "系统繁忙",
        ));
    }
    if s(biz, "out_trade_no").is_none() && s(biz, "trade_no").is_none() {
        return Ok(invalid_parameter("out_trade_no 和 trade_no 不能同时为空"));
    }
    let Some(t) = find(inner, app, biz).await? else {
        return Ok(not_exist());
    };
    let paid = if t.gmt_payment.is_some() {
        t.total_cents
    } else {
        0
    };
    Ok(Answer::success()
        .put_opt("buyer_logon_id", t.buyer_logon_id.clone())
        .put("buyer_pay_amount", money(paid))
        .put_opt("buyer_user_id", t.buyer_id.clone())
        .put("invoice_amount", money(paid))
        .put("out_trade_no", t.out_trade_no.clone())
        .put("point_amount", "0.00")
        .put("receipt_amount", money(paid))
        .put_opt("send_pay_date", t.gmt_payment.map(beijing))
        .put("total_amount", money(t.total_cents))
        .put("trade_no", t.trade_no.clone())
        .put("trade_status", t.status.clone()))
}

pub async fn close(
    inner: &Arc<Inner>,
    app: &MerchantApp,
    biz: &Map<String, Value>,
) -> Result<Answer, DbErr> {
    if s(biz, "out_trade_no").is_none() && s(biz, "trade_no").is_none() {
        return Ok(invalid_parameter("out_trade_no 和 trade_no 不能同时为空"));
    }
    let Some(t) = find(inner, app, biz).await? else {
        return Ok(not_exist());
    };
    match trading::close_if_open(inner, t.id).await? {
        Some(t) => Ok(Answer::success()
            .put("out_trade_no", t.out_trade_no)
            .put("trade_no", t.trade_no)),
        None => Ok(Answer::business("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")),
    }
}

pub async fn refund(
    inner: &Arc<Inner>,
    app: &MerchantApp,
    biz: &Map<String, Value>,
) -> Result<Answer, DbErr> {
    let (out_trade_no, trade_no) = (s(biz, "out_trade_no"), s(biz, "trade_no"));
    let Some(name) = out_trade_no.or(trade_no) else {
        return Ok(invalid_parameter("out_trade_no 和 trade_no 不能同时为空"));
    };
    let amount = match biz.get("refund_amount") {
        Some(Value::String(v)) => v.parse::<Money>().ok(),
        Some(Value::Number(n)) => n.to_string().parse::<Money>().ok(),
        _ => None,
    };
    let Some(amount) = amount.filter(|m| m.cents() > 0) else {
        return Ok(invalid_parameter(
            "refund_amount 须为正的金额（元，最多两位小数）",
        ));
    };
    let out_request_no = s(biz, "out_request_no").unwrap_or(name);
    let req = RefundRequest {
        app_id: &app.app_id,
        out_trade_no,
        trade_no,
        amount,
        out_request_no,
    };
    Ok(match trading::refund::refund(inner, req).await? {
        RefundOutcome::Done {
            trade: t,
            refund: r,
            fund_change,
        } => Answer::success()
            .put_opt("buyer_logon_id", t.buyer_logon_id.clone())
            .put_opt("buyer_user_id", t.buyer_id.clone())
            .put("fund_change", if fund_change { "Y" } else { "N" })
            .put("gmt_refund_pay", beijing(r.gmt_refund))
            .put("out_trade_no", t.out_trade_no.clone())
            .put("refund_fee", money(r.refund_fee_cents))
            .put("send_back_fee", money(r.refund_cents))
            .put("trade_no", t.trade_no.clone()),
        RefundOutcome::NotExist => not_exist(),
        RefundOutcome::StatusError => Answer::business("ACQ.TRADE_STATUS_ERROR", "交易状态不合法"),
        RefundOutcome::AmountExceeded => {
            Answer::business("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限")
        }
        RefundOutcome::Inconsistent => {
            Answer::business("ACQ.CONTEXT_INCONSISTENT", "同一退款请求号的退款金额不一致")
        }
    })
}

pub async fn refund_query(
    inner: &Arc<Inner>,
    app: &MerchantApp,
    biz: &Map<String, Value>,
) -> Result<Answer, DbErr> {
    let Some(out_request_no) = s(biz, "out_request_no") else {
        return Ok(invalid_parameter("out_request_no 不能为空"));
    };
    let Some(t) = find(inner, app, biz).await? else {
        return Ok(not_exist());
    };
    let answer = match Store::refund_by_request(inner.store.db(), t.id, out_request_no).await? {
        Some(r) => Answer::success()
            .put("gmt_refund_pay", beijing(r.gmt_refund))
            .put("out_request_no", r.out_request_no)
            .put("out_trade_no", t.out_trade_no.clone())
            .put("refund_amount", money(r.refund_cents))
            .put("refund_status", "REFUND_SUCCESS")
            .put("total_amount", money(t.total_cents))
            .put("trade_no", t.trade_no.clone()),
        None => Answer::success()
            .put("out_trade_no", t.out_trade_no.clone())
            .put("trade_no", t.trade_no.clone()),
    };
    Ok(answer)
}
