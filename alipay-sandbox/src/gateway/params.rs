//! Reading the gateway's parameters: the query string plus a form body.

use alipay::sign::Params;

/// Decodes `k=v&...` (each value form-decoded exactly once) into `into`; later keys win.
pub fn decode_into(into: &mut Params, bytes: &[u8]) {
    for (k, v) in form_urlencoded::parse(bytes) {
        if !k.is_empty() {
            into.insert(k.into_owned(), v.into_owned());
        }
    }
}

/// All parameters of a gateway request: public ones from the query, the rest from the body.
pub fn collect(query: Option<&str>, content_type: Option<&str>, body: &[u8]) -> Params {
    let mut p = Params::new();
    if let Some(q) = query {
        decode_into(&mut p, q.as_bytes());
    }
    let is_form = content_type
        .map(|c| {
            c.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        })
        .unwrap_or(true);
    if is_form && !body.is_empty() {
        decode_into(&mut p, body);
    }
    p
}

/// A non-empty parameter.
pub fn get<'a>(p: &'a Params, k: &str) -> Option<&'a str> {
    p.get(k).map(String::as_str).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_and_body_merge_and_decode_once() {
        let p = collect(
            Some("app_id=1&sign=a%2Bb%2F%3D"),
            Some("application/x-www-form-urlencoded"),
            b"biz_content=%7B%22a%22%3A1%7D&x=a+b",
        );
        assert_eq!(p["sign"], "a+b/=");
        assert_eq!(p["biz_content"], "{\"a\":1}");
        assert_eq!(p["x"], "a b");
        assert_eq!(get(&p, "missing"), None);
    }
}
