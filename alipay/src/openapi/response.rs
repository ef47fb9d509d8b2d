//! Locating the signed `*_response` text and mapping `code`/`sub_code` to typed errors.

use crate::sign::SignError;

/// Why an OpenAPI call failed.
///
/// ```
/// assert!(alipay::ApiError::Unknown.is_retryable());
/// assert!(!alipay::ApiError::TradeNotExist.is_retryable());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// `40004` / `ACQ.TRADE_NOT_EXIST`: the buyer has not reached the cashier yet (or a wrong number).
    #[error("the trade does not exist (ACQ.TRADE_NOT_EXIST)")]
    TradeNotExist,
    /// `40004` / `ACQ.TRADE_STATUS_ERROR`: the operation does not fit the trade's status.
    #[error("the trade's status does not allow this (ACQ.TRADE_STATUS_ERROR): {0}")]
    TradeStatusError(String),
    /// `20000`: service unavailable, outcome unknown; query again.
    #[error("Alipay answered 20000 (service unavailable, outcome unknown): query again")]
    Unknown,
    /// Any other business or gateway error (`40002` invalid arguments, `error_response`, ...).
    #[error("Alipay error {code} {msg}: {sub_code} {sub_msg}")]
    Business {
        /// `code`.
        code: String,
        /// `msg`.
        msg: String,
        /// `sub_code`.
        sub_code: String,
        /// `sub_msg`.
        sub_msg: String,
    },
    /// Our request could not be signed (nothing was sent).
    #[error("the request could not be signed: {0}")]
    Signing(SignError),
    /// The answer's signature did not verify.
    #[error("the answer's signature is invalid: {0}")]
    Signature(SignError),
    /// Transport failure or a non-2xx HTTP status.
    #[error("HTTP error: {0}")]
    Http(String),
    /// The request timed out.
    #[error("the request to the gateway timed out")]
    Timeout,
    /// The answer is not the JSON shape expected.
    #[error("malformed answer: {0}")]
    Malformed(String),
}

impl ApiError {
    /// Whether repeating the same (idempotent) call may succeed: 20000, `ACQ.SYSTEM_ERROR`,
    /// timeouts and transport errors.
    ///
    /// ```
    /// assert!(alipay::ApiError::Timeout.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Unknown | ApiError::Timeout | ApiError::Http(_) => true,
            ApiError::Business { sub_code, .. } => {
                sub_code == "ACQ.SYSTEM_ERROR" || sub_code == "aop.ACQ.SYSTEM_ERROR"
            }
            _ => false,
        }
    }
}

/// `"alipay.trade.query"` → `"alipay_trade_query_response"`.
///
/// ```
/// assert_eq!(alipay::openapi::response_key("alipay.trade.query"), "alipay_trade_query_response");
/// ```
pub fn response_key(method: &str) -> String {
    format!("{}_response", method.replace('.', "_"))
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

/// End (exclusive) of the JSON string starting at `i` (which must be `"`), escapes respected.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        match b.get(j)? {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
}

/// End (exclusive) of the JSON value at `i`: objects/arrays matched by depth, strings skipped whole.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match b.get(j)? {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while b
                .get(j)
                .is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace())
            {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

/// Finds the raw text of `"<response_key>": { ... }` among the top-level members (string-aware brace
/// matcher: braces and escaped quotes inside strings do not count) and the top-level `"sign"`.
///
/// ```
/// let body = r#"{"alipay_trade_query_response":{"code":"10000","msg":"a \"}\" b"},"sign":"c2ln"}"#;
/// let (raw, sign) = alipay::openapi::extract_response(body, "alipay_trade_query_response").unwrap();
/// assert_eq!(raw, r#"{"code":"10000","msg":"a \"}\" b"}"#);
/// assert_eq!(sign.as_deref(), Some("c2ln"));
/// ```
pub fn extract_response<'a>(
    body: &'a str,
    response_key: &str,
) -> Option<(&'a str, Option<String>)> {
    let b = body.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let (mut found, mut sign) = (None, None);
    i = skip_ws(b, i + 1);
    while b.get(i) == Some(&b'"') {
        let key_end = string_end(b, i)?;
        let key = body.get(i + 1..key_end - 1)?;
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let start = skip_ws(b, i + 1);
        let end = value_end(b, start)?;
        let value = body.get(start..end)?;
        if key == response_key && value.starts_with('{') {
            found = Some(value);
        } else if key == "sign" {
            sign = serde_json::from_str::<String>(value).ok();
        }
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => break,
            _ => return None,
        }
    }
    found.map(|f| (f, sign))
}

/// Maps a parsed `*_response` object's `code` / `sub_code`: `Ok` for 10000.
pub(crate) fn check_code(obj: &serde_json::Value) -> Result<(), ApiError> {
    let s = |k: &str| {
        obj.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let (code, sub_code) = (s("code"), s("sub_code"));
    match (code.as_str(), sub_code.as_str()) {
        ("10000", _) => Ok(()),
        ("20000", _) => Err(ApiError::Unknown),
        (_, "ACQ.TRADE_NOT_EXIST") => Err(ApiError::TradeNotExist),
        (_, "ACQ.TRADE_STATUS_ERROR") => Err(ApiError::TradeStatusError(s("sub_msg"))),
        _ => Err(ApiError::Business {
            code,
            msg: s("msg"),
            sub_code,
            sub_msg: s("sub_msg"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matcher_respects_strings_and_escapes() {
        let body = r#" { "a" : "x\"}{" , "k_response" : {"m":"}\\","n":{"o":["}",{"p":"\"{"}]}} , "sign" : "s\/g" } "#;
        let (raw, sign) = extract_response(body, "k_response").unwrap();
        assert_eq!(raw, r#"{"m":"}\\","n":{"o":["}",{"p":"\"{"}]}}"#);
        assert_eq!(sign.as_deref(), Some("s/g"));
        // The key inside a string value is not a member.
        assert!(extract_response(r#"{"x":"\"k_response\":{}"}"#, "k_response").is_none());
        // Nested keys are not top-level members.
        assert!(extract_response(r#"{"x":{"k_response":{}}}"#, "k_response").is_none());
        for bad in [
            "",
            "{",
            "[]",
            r#"{"k_response":{"a":"}"#,
            r#"{"k_response":{}"#,
            r#"{"k_response" {}}"#,
            "{\"k_response\":}}",
        ] {
            assert!(extract_response(bad, "k_response").is_none(), "{bad}");
        }
        assert_eq!(
            extract_response(r#"{"k_response":{}}"#, "k_response"),
            Some(("{}", None))
        );
    }

    #[test]
    fn codes_map_to_typed_errors() {
        assert_eq!(check_code(&json!({"code":"10000"})), Ok(()));
        assert_eq!(
            check_code(&json!({"code":"20000","sub_code":"isp.unknow-error"})),
            Err(ApiError::Unknown)
        );
        assert_eq!(
            check_code(&json!({"code":"40004","sub_code":"ACQ.TRADE_NOT_EXIST"})),
            Err(ApiError::TradeNotExist)
        );
        assert_eq!(
            check_code(&json!({"code":"40004","sub_code":"ACQ.TRADE_STATUS_ERROR","sub_msg":"no"})),
            Err(ApiError::TradeStatusError("no".into()))
        );
        let e = check_code(&json!({"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature","sub_msg":"x"}))
            .unwrap_err();
        assert!(
            matches!(&e, ApiError::Business { code, sub_code, .. } if code == "40002" && sub_code == "isv.invalid-signature")
        );
        assert!(!e.is_retryable());
        let sys = check_code(&json!({"code":"40004","sub_code":"ACQ.SYSTEM_ERROR"})).unwrap_err();
        assert!(sys.is_retryable());
        assert!(check_code(&json!({})).is_err());
    }
}
