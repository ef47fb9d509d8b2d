//! Parsing the `WECHATPAY2-SHA256-RSA2048` `Authorization` header: five `key="value"` pairs, any order.

use super::VerifyError;
use crate::sign::{Authorization, SCHEME};

pub(crate) fn parse_authorization(header: &str) -> Result<Authorization, VerifyError> {
    let bad = VerifyError::BadAuthorization;
    let rest = header
        .strip_prefix(SCHEME)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or(bad("it does not start with \"WECHATPAY2-SHA256-RSA2048 \""))?;
    let mut fields: [Option<&str>; 5] = [None; 5];
    const NAMES: [&str; 5] = ["mchid", "nonce_str", "timestamp", "serial_no", "signature"];
    for pair in rest.split(',') {
        let (name, quoted) = pair.split_once('=').ok_or(bad("a pair has no '='"))?;
        let value = quoted
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .filter(|v| !v.contains('"'))
            .ok_or(bad("a value is not in double quotes"))?;
        let slot = NAMES
            .iter()
            .position(|n| *n == name)
            .ok_or(bad("an unknown item"))?;
        if fields[slot].replace(value).is_some() {
            return Err(bad("an item appears twice"));
        }
    }
    let [
        Some(mchid),
        Some(nonce),
        Some(ts),
        Some(serial),
        Some(signature),
    ] = fields
    else {
        return Err(bad("an item is missing"));
    };
    if [mchid, nonce, ts, serial, signature]
        .iter()
        .any(|v| v.is_empty())
    {
        return Err(bad("an item is empty"));
    }
    if ts.len() > 12 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VerifyError::BadTimestamp(ts.chars().take(32).collect()));
    }
    Ok(Authorization {
        mchid: mchid.into(),
        nonce_str: nonce.into(),
        timestamp: ts
            .parse()
            .map_err(|_| VerifyError::BadTimestamp(ts.into()))?,
        serial_no: serial.into(),
        signature: signature.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::parse_authorization;
    use crate::verify::VerifyError;

    const PHP_ORDER: &str = r#"WECHATPAY2-SHA256-RSA2048 mchid="1900009191",serial_no="AB12",timestamp="1554208460",nonce_str="N0",signature="c2ln""#;

    #[test]
    fn any_order_parses_to_the_same_items() {
        let a = parse_authorization(PHP_ORDER).unwrap();
        let py = r#"WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="N0",signature="c2ln",timestamp="1554208460",serial_no="AB12""#;
        assert_eq!(parse_authorization(py).unwrap(), a);
        assert_eq!(
            (a.mchid.as_str(), a.serial_no.as_str(), a.timestamp),
            ("1900009191", "AB12", 1554208460)
        );
        assert_eq!(a.header_value().len(), PHP_ORDER.len());
    }

    #[test]
    fn hostile_headers_are_refused() {
        for h in [
            "",
            "WECHATPAY2-SHA256-RSA2048",
            "WECHATPAY2-SHA256-RSA2048 ",
            "Bearer mchid=\"1\"",
            "WECHATPAY2-SHA256-RSA2048  mchid=\"1\",nonce_str=\"N\",timestamp=\"1\",serial_no=\"A\",signature=\"s\"",
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1\",nonce_str=\"N\",timestamp=\"1\",serial_no=\"A\"",
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1\",mchid=\"1\",nonce_str=\"N\",timestamp=\"1\",serial_no=\"A\",signature=\"s\"",
            "WECHATPAY2-SHA256-RSA2048 mchid=1,nonce_str=\"N\",timestamp=\"1\",serial_no=\"A\",signature=\"s\"",
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1\",nonce_str=\"N\",timestamp=\"1\",serial_no=\"A\",signature=\"s\",extra=\"x\"",
            "WECHATPAY2-SHA256-RSA2048 mchid=\"\",nonce_str=\"N\",timestamp=\"1\",serial_no=\"A\",signature=\"s\"",
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1\",nonce_str=\"N\",timestamp=\"\"\"\",serial_no=\"A\",signature=\"s\"",
        ] {
            assert!(
                matches!(
                    parse_authorization(h),
                    Err(VerifyError::BadAuthorization(_))
                ),
                "{h:?}"
            );
        }
        for ts in ["-1", "1e9", "9999999999999", " 1"] {
            let h = format!(
                "WECHATPAY2-SHA256-RSA2048 mchid=\"1\",nonce_str=\"N\",timestamp=\"{ts}\",serial_no=\"A\",signature=\"s\""
            );
            assert!(
                matches!(parse_authorization(&h), Err(VerifyError::BadTimestamp(_))),
                "{ts:?}"
            );
        }
    }
}
