//! `application/x-www-form-urlencoded` parsing from raw bytes, decoding each value exactly once,
//! in UTF-8 or GBK as the `charset` field says.

use super::CallbackError;
use crate::sign::Params;

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes one component (`+` is a space), strictly.
fn unescape(raw: &[u8]) -> Result<Vec<u8>, CallbackError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let pair = raw
                    .get(i + 1)
                    .copied()
                    .and_then(hex)
                    .zip(raw.get(i + 2).copied().and_then(hex));
                let (hi, lo) = pair.ok_or_else(|| {
                    let end = raw.len().min(i + 3);
                    CallbackError::Malformed(format!(
                        "bad percent-escape {:?}",
                        String::from_utf8_lossy(raw.get(i..end).unwrap_or_default())
                    ))
                })?;
                out.push(hi << 4 | lo);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    Ok(out)
}

fn is_gbk(charset: &[u8]) -> bool {
    let c = String::from_utf8_lossy(charset).trim().to_ascii_lowercase();
    matches!(c.as_str(), "gbk" | "gb2312" | "gb18030" | "cp936")
}

fn decode_text(bytes: &[u8], gbk: bool) -> Result<String, CallbackError> {
    if gbk {
        encoding_rs::GBK
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|c| c.into_owned())
            .ok_or_else(|| CallbackError::Malformed("bytes that are not valid GBK".into()))
    } else {
        String::from_utf8(bytes.to_vec()).map_err(|_| {
            CallbackError::Malformed(
                "bytes that are not valid UTF-8 (and charset is not gbk)".into(),
            )
        })
    }
}

/// Parses a notify body. Values are decoded exactly once and never trimmed; `charset=gbk` (or
/// gb2312/gb18030) switches the text decoding to GBK. Duplicate keys are rejected.
///
/// ```
/// let p = alipay::callback::parse_form(b"a=1+2&b=%2B&c=").unwrap();
/// assert_eq!(p["a"], "1 2");
/// assert_eq!(p["b"], "+");
/// assert_eq!(p["c"], "");
/// ```
pub fn parse_form(body: &[u8]) -> Result<Params, CallbackError> {
    let mut pairs = Vec::new();
    for part in body.split(|b| *b == b'&') {
        if part.is_empty() {
            continue;
        }
        let (k, v) = match part.iter().position(|b| *b == b'=') {
            Some(i) => (
                part.get(..i).unwrap_or_default(),
                part.get(i + 1..).unwrap_or_default(),
            ),
            None => (part, &[][..]),
        };
        let k = unescape(k)?;
        if k.is_empty() {
            return Err(CallbackError::Malformed(
                "a parameter with an empty name".into(),
            ));
        }
        pairs.push((k, unescape(v)?));
    }
    let gbk = pairs.iter().any(|(k, v)| k == b"charset" && is_gbk(v));
    let mut params = Params::new();
    for (k, v) in pairs {
        let k = decode_text(&k, gbk)?;
        let v = decode_text(&v, gbk)?;
        if params.contains_key(&k) {
            return Err(CallbackError::Malformed(format!(
                "the parameter {k:?} appears twice"
            )));
        }
        params.insert(k, v);
    }
    Ok(params)
}

/// Parses a return URL's query string (a leading `?` is allowed), with the same rules as [`parse_form`].
///
/// ```
/// let p = alipay::callback::parse_query("?out_trade_no=A1&total_amount=9.00").unwrap();
/// assert_eq!(p["total_amount"], "9.00");
/// ```
pub fn parse_query(query: &str) -> Result<Params, CallbackError> {
    parse_form(query.strip_prefix('?').unwrap_or(query).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_body() {
        let (subject, _, _) = encoding_rs::GBK.encode("课程");
        let mut body = b"charset=gbk&subject=".to_vec();
        for b in subject.iter() {
            body.extend(format!("%{b:02X}").bytes());
        }
        let p = parse_form(&body).unwrap();
        assert_eq!(p["subject"], "课程");
        // The same bytes claimed as utf-8 are rejected, not garbled.
        let utf8 = String::from_utf8(body).unwrap().replace("gbk", "utf-8");
        assert!(matches!(
            parse_form(utf8.as_bytes()),
            Err(CallbackError::Malformed(_))
        ));
    }

    #[test]
    fn strict_and_single_decoding() {
        assert_eq!(parse_form(b"a=%252B").unwrap()["a"], "%2B");
        assert_eq!(parse_form(b"a= x ").unwrap()["a"], " x ");
        assert!(parse_form(b"a=%").is_err());
        assert!(parse_form(b"a=%4").is_err());
        assert!(parse_form(b"=1").is_err());
        assert!(parse_form(b"a=1&a=2").is_err());
        assert!(parse_form(b"a=\xff").is_err());
        assert_eq!(parse_form(b"&&a=b=c&").unwrap()["a"], "b=c");
        assert!(parse_form(b"").unwrap().is_empty());
    }
}
