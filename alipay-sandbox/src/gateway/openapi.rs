//! The OpenAPI methods served at gateway.do (signed POST, signed JSON answers).

use std::sync::Arc;

use alipay::sign::Params;
use axum::response::Response;
use serde_json::{Map, Value};

use super::answer::Answer;
use super::methods;
use super::params::get;
use super::verify::verify_public;
use crate::state::Inner;

/// The methods this gateway answers.
pub const METHODS: [&str; 4] = [
    "alipay.trade.query",
    "alipay.trade.close",
    "alipay.trade.refund",
    "alipay.trade.fastpay.refund.query",
];

/// `alipay.trade.query` -> `alipay_trade_query_response`.
pub fn response_key(method: &str) -> String {
    format!("{}_response", method.replace('.', "_"))
}

pub async fn handle(inner: &Arc<Inner>, p: &Params) -> Response {
    let method = get(p, "method").unwrap_or_default();
    if !METHODS.contains(&method) {
        return Answer::invalid("isv.invalid-method", "不存在的方法名")
            .render(inner, "error_response");
    }
    let key = response_key(method);
    answer(inner, method, p).await.render(inner, &key)
}

async fn answer(inner: &Arc<Inner>, method: &str, p: &Params) -> Answer {
    let app = match verify_public(inner, p) {
        Ok(app) => app,
        Err(e) => {
            let mut msg = e.reason;
            if let Some(d) = e.detail {
                msg = format!("{msg}，网关生成的验签字符串为：{d}");
            }
            return Answer::invalid(&format!("isv.{}", e.code), &msg);
        }
    };
    let Some(text) = get(p, "biz_content") else {
        return Answer::invalid("isv.missing-biz-content", "缺少必选参数 biz_content");
    };
    let biz: Map<String, Value> = match serde_json::from_str(text) {
        Ok(b) => b,
        Err(_) => return Answer::invalid("isv.invalid-biz-content", "biz_content 不是 JSON 对象"),
    };
    let result = match method {
        "alipay.trade.query" => methods::query(inner, &app, &biz).await,
        "alipay.trade.close" => methods::close(inner, &app, &biz).await,
        "alipay.trade.refund" => methods::refund(inner, &app, &biz).await,
        _ => methods::refund_query(inner, &app, &biz).await,
    };
    result.unwrap_or_else(|e| {
        tracing::error!(error = %e, "sandbox store failed");
        Answer::failure(
            "20000",
            "Service Currently Unavailable",
            "isp.unknow-error",
            "系统繁忙",
        )
    })
}
