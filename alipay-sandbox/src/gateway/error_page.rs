//! Alipay-style error pages for page-pay requests (never a 500).

use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;

use crate::html::{esc, page, respond};

/// A page-pay error: Alipay shows the code, the reason and (for signatures) the string it verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    pub code: String,
    pub reason: String,
    pub detail: Option<String>,
}

impl PageError {
    pub fn new(code: impl Into<String>, reason: impl Into<String>) -> PageError {
        PageError {
            code: code.into(),
            reason: reason.into(),
            detail: None,
        }
    }

    pub fn missing(param: &str) -> PageError {
        PageError::new(
            format!("missing-{}", param.replace('_', "-")),
            format!("缺少必选参数 {param}"),
        )
    }

    pub fn invalid(param: &str, why: &str) -> PageError {
        PageError::new(
            format!("invalid-{}", param.replace('_', "-")),
            format!("参数 {param} 无效：{why}"),
        )
    }

    pub fn with_detail(mut self, detail: String) -> PageError {
        self.detail = Some(detail);
        self
    }

    /// The error page (HTTP 200 like Alipay; the code is also in `X-Sandbox-Error-Code`).
    pub fn into_response(self) -> Response {
        tracing::info!(code = %self.code, reason = %self.reason, "page pay refused");
        let detail = self
            .detail
            .as_deref()
            .map(|d| {
                format!(
                    "<p>网关生成的验签字符串为：</p><pre id=\"signed-string\">{}</pre>",
                    esc(d)
                )
            })
            .unwrap_or_default();
        let body = format!(
            "<h2>支付宝 - 网上支付 安全快速！</h2><div class=\"err\"><p>抱歉，您的操作出现了错误。</p>\
<p>错误代码：<b id=\"error-code\">{}</b></p><p>错误原因：{}</p>{}</div>\
<p class=\"muted\">这是本地沙箱网关，不会产生真实交易。</p>",
            esc(&self.code),
            esc(&self.reason),
            detail
        );
        let mut r = respond(StatusCode::OK, page("支付宝 - 错误", &body));
        if let Ok(v) = HeaderValue::from_str(&self.code) {
            r.headers_mut().insert("x-sandbox-error-code", v);
        }
        r
    }
}
