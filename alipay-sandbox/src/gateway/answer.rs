//! OpenAPI answers: the `*_response` object's text is built once, signed, and spliced in.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::state::Inner;

/// An ordered `*_response` object.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    fields: Vec<(String, Value)>,
}

impl Answer {
    /// `{"code":"10000","msg":"Success", ...}`
    pub fn success() -> Answer {
        Answer::default().put("code", "10000").put("msg", "Success")
    }

    /// A failure with Alipay's four fields.
    pub fn failure(code: &str, msg: &str, sub_code: &str, sub_msg: &str) -> Answer {
        Answer::default()
            .put("code", code)
            .put("msg", msg)
            .put("sub_code", sub_code)
            .put("sub_msg", sub_msg)
    }

    /// 40004 Business Failed.
    pub fn business(sub_code: &str, sub_msg: &str) -> Answer {
        Answer::failure("40004", "Business Failed", sub_code, sub_msg)
    }

    /// 40002 Invalid Arguments.
    pub fn invalid(sub_code: &str, sub_msg: &str) -> Answer {
        Answer::failure("40002", "Invalid Arguments", sub_code, sub_msg)
    }

    /// Adds a field (empty strings are left out, as Alipay does).
    pub fn put(mut self, k: &str, v: impl Into<Value>) -> Answer {
        let v = v.into();
        if v.as_str() != Some("") && !v.is_null() {
            self.fields.push((k.to_string(), v));
        }
        self
    }

    /// Adds a field if present.
    pub fn put_opt(self, k: &str, v: Option<impl Into<Value>>) -> Answer {
        match v {
            Some(v) => self.put(k, v),
            None => self,
        }
    }

    /// The exact text of the object.
    pub fn to_text(&self) -> String {
        let mut s = String::from("{");
        for (i, (k, v)) in self.fields.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.push_str(&Value::String(k.clone()).to_string());
            s.push(':');
            s.push_str(&v.to_string());
        }
        s.push('}');
        s
    }

    /// The HTTP answer `{"<key>":{...},"sign":"..."}`, signed over the object's exact text.
    pub fn render(&self, inner: &Inner, key: &str) -> Response {
        let text = self.to_text();
        // An answer that cannot be signed goes out with an empty sign, which every client refuses.
        let sign = inner
            .alipay_key
            .sign_rsa2(text.as_bytes())
            .inspect_err(|e| tracing::error!(error = %e, "the sandbox could not sign an answer"))
            .unwrap_or_default();
        let body = format!(
            "{{{}:{},\"sign\":{}}}",
            Value::String(key.to_string()),
            text,
            Value::String(sign)
        );
        let mut r = (StatusCode::OK, body).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json;charset=utf-8"),
        );
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_order_and_escapes() {
        let a = Answer::success()
            .put("subject", "课程 \"A\"")
            .put("empty", "");
        assert_eq!(
            a.to_text(),
            "{\"code\":\"10000\",\"msg\":\"Success\",\"subject\":\"课程 \\\"A\\\"\"}"
        );
    }
}
