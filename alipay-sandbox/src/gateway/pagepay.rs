//! `alipay.trade.page.pay`: validate, open the trade, send the buyer to the cashier.

use std::sync::Arc;

use alipay::money::{Money, validate_total_amount};
use alipay::sign::Params;
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};

use super::error_page::PageError;
use super::params::get;
use super::verify::verify_public;
use crate::html::found;
use crate::state::Inner;
use crate::trading::{self, OpenError, OpenRequest};

/// How long an unpaid trade stays open when the request names no expiry.
const DEFAULT_TIMEOUT_MINUTES: i64 = 120;

pub async fn handle(inner: &Arc<Inner>, p: &Params) -> Response {
    let req = match validate(inner, p) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    match trading::open(inner, req).await {
        Ok(t) => found(&inner.cashier_url(&t.trade_no)),
        Err(OpenError::HasSuccess) => {
            PageError::new("ACQ.TRADE_HAS_SUCCESS", "交易已被支付，请勿重复支付").into_response()
        }
        Err(OpenError::HasClose) => PageError::new(
            "ACQ.TRADE_HAS_CLOSE",
            "交易已经关闭（订单已过期或已被关闭）",
        )
        .into_response(),
        Err(OpenError::Inconsistent) => PageError::new(
            "ACQ.CONTEXT_INCONSISTENT",
            "交易信息被篡改：同一 out_trade_no 的金额与之前不一致",
        )
        .into_response(),
        Err(OpenError::Db(e)) => {
            tracing::error!(error = %e, "sandbox store failed");
            PageError::new("SYSTEM_ERROR", "系统繁忙，请稍后再试").into_response()
        }
    }
}

/// Every check the real gateway makes on a page-pay request.
pub fn validate(inner: &Inner, p: &Params) -> Result<OpenRequest, PageError> {
    let app = verify_public(inner, p)?;
    let biz_text = get(p, "biz_content").ok_or_else(|| PageError::missing("biz_content"))?;
    let biz: Map<String, Value> = serde_json::from_str(biz_text)
        .map_err(|e| PageError::invalid("biz_content", &format!("不是 JSON 对象（{e}）")))?;
    let out_trade_no =
        biz_str(&biz, "out_trade_no")?.ok_or_else(|| PageError::missing("out_trade_no"))?;
    if out_trade_no.len() > 64
        || !out_trade_no
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Err(PageError::invalid(
            "out_trade_no",
            "最长 64 位，只能包含字母、数字和下划线",
        ));
    }
    let amount_text =
        biz_str(&biz, "total_amount")?.ok_or_else(|| PageError::missing("total_amount"))?;
    let total: Money = amount_text
        .parse()
        .map_err(|_| PageError::invalid("total_amount", "金额格式错误（单位元，最多两位小数）"))?;
    validate_total_amount(total)
        .map_err(|_| PageError::invalid("total_amount", "金额须在 0.01 到 100000000 之间"))?;
    let subject = biz_str(&biz, "subject")?.ok_or_else(|| PageError::missing("subject"))?;
    if subject.chars().count() > 256 || subject.contains(['/', '=', '&']) {
        return Err(PageError::invalid(
            "subject",
            "最长 256 个字符，不能包含 / = &",
        ));
    }
    match biz_str(&biz, "product_code")? {
        None => return Err(PageError::missing("product_code")),
        Some(c) if c != "FAST_INSTANT_TRADE_PAY" => {
            return Err(PageError::invalid(
                "product_code",
                "电脑网站支付只支持 FAST_INSTANT_TRADE_PAY",
            ));
        }
        Some(_) => {}
    }
    let body = biz_str(&biz, "body")?;
    if body.as_ref().is_some_and(|b| b.chars().count() > 128) {
        return Err(PageError::invalid("body", "最长 128 个字符"));
    }
    let time_expire = expiry(inner.now(), &biz)?;
    Ok(OpenRequest {
        app,
        out_trade_no,
        total,
        subject,
        body,
        passback_params: biz_str(&biz, "passback_params")?,
        notify_url: get(p, "notify_url").map(str::to_string),
        return_url: get(p, "return_url").map(str::to_string),
        time_expire,
    })
}

/// A string (or number) field of biz_content; empty counts as absent.
fn biz_str(biz: &Map<String, Value>, k: &str) -> Result<Option<String>, PageError> {
    match biz.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(PageError::invalid(k, "应为字符串")),
    }
}

/// `time_expire` wins over `timeout_express` (`90m`, `2h`, `1d`, `1c` = end of today).
fn expiry(now: DateTime<Utc>, biz: &Map<String, Value>) -> Result<DateTime<Utc>, PageError> {
    if let Some(t) = biz_str(biz, "time_expire")? {
        return alipay::clock::parse_beijing(&t)
            .map_err(|_| PageError::invalid("time_expire", "格式应为 yyyy-MM-dd HH:mm:ss"));
    }
    let Some(te) = biz_str(biz, "timeout_express")? else {
        return Ok(now + Duration::minutes(DEFAULT_TIMEOUT_MINUTES));
    };
    let bad = || PageError::invalid("timeout_express", "取值 1m～15d，如 90m、2h、1d、1c");
    let (n, unit) = te.split_at(te.len().saturating_sub(1));
    let n: i64 = n.parse().map_err(|_| bad())?;
    let d = match unit {
        "m" => Duration::minutes(n),
        "h" => Duration::hours(n),
        "d" => Duration::days(n),
        "c" if n == 1 => {
            let bj = alipay::clock::gmt8();
            let local = alipay::clock::in_beijing(now).date_naive();
            let end = local.and_hms_opt(23, 59, 59).ok_or_else(bad)?;
            return end
                .and_local_timezone(bj)
                .single()
                .map(|t| t.with_timezone(&Utc))
                .ok_or_else(bad);
        }
        _ => return Err(bad()),
    };
    if d < Duration::minutes(1) || d > Duration::days(15) {
        return Err(bad());
    }
    Ok(now + d)
}
