//! Small helpers shared by the server-rendered pages.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The CSS every page shares: Alipay's blue header and white cards.
pub const CSS: &str = "body{margin:0;font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;background:#f5f5f5;color:#333}\
header{background:#1677ff;color:#fff;padding:14px 32px;font-size:20px}header b{font-size:24px;margin-right:12px}\
main{max-width:860px;margin:24px auto;background:#fff;border-radius:6px;padding:24px 32px;box-shadow:0 1px 4px rgba(0,0,0,.08)}\
.amount{color:#f60;font-size:28px;font-weight:bold}.muted{color:#888;font-size:13px}\
.err{border-left:4px solid #f5222d;padding:8px 16px;background:#fff1f0}\
table{border-collapse:collapse;width:100%}td,th{border:1px solid #eee;padding:4px 8px;font-size:13px;text-align:left;vertical-align:top}\
button,.btn{background:#1677ff;color:#fff;border:0;border-radius:4px;padding:10px 28px;font-size:16px;cursor:pointer;text-decoration:none}\
button.secondary{background:#fff;color:#333;border:1px solid #ccc}input{padding:8px;border:1px solid #ccc;border-radius:4px;width:240px}\
pre{white-space:pre-wrap;word-break:break-all;background:#fafafa;padding:8px}";

/// A full page with the sandbox header.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{}</style></head>\
<body><header><b>支付宝</b>收银台 (沙箱)</header><main>{}</main></body></html>",
        esc(title),
        CSS,
        body
    )
}

/// An HTML response with the given status.
pub fn respond(status: StatusCode, html: String) -> Response {
    let mut r = (status, html).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// A 302 redirect (what Alipay's gateway uses).
pub fn found(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => {
            let mut r = StatusCode::FOUND.into_response();
            r.headers_mut().insert(header::LOCATION, v);
            r
        }
        Err(_) => respond(
            StatusCode::BAD_REQUEST,
            page("错误", "<p class=\"err\">无效的跳转地址</p>"),
        ),
    }
}

/// The origin (`scheme://host[:port]`) of a URL, if it has one.
pub fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    if host.is_empty() {
        return None;
    }
    Some(format!("{scheme}://{host}"))
}

/// Appends `params` to `url` as a URL-encoded query.
pub fn with_query<'a>(
    url: &str,
    params: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        ser.append_pair(k, v);
    }
    let q = ser.finish();
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{q}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_origins() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(
            origin("http://127.0.0.1:3000/pay/return?x=1").as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(origin("nonsense"), None);
    }
}
