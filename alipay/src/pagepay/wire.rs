//! Wire forms of a signed page-pay order: the GET URL and the auto-submitting POST form.

use super::PagePay;
use crate::clock::Clock;
use crate::config::AlipayConfig;
use crate::sign::SignError;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but the RFC 3986 unreserved characters is encoded (space as `%20`).
pub(crate) const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// URL-encodes a value for a query string or form body.
pub(crate) fn encode(s: &str) -> String {
    utf8_percent_encode(s, ENCODE).to_string()
}

/// `k=v&...` with every key and value URL-encoded.
pub(crate) fn encode_params<'a>(
    params: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> String {
    params
        .into_iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

impl PagePay {
    /// The GET URL: `gateway?k=v&...` with every value URL-encoded (the `sign` too).
    ///
    /// ```no_run
    /// # fn config() -> alipay::AlipayConfig { unimplemented!() }
    /// # let pay: alipay::PagePay = unimplemented!();
    /// let url = pay.url(&config(), &alipay::SystemClock)?;
    /// assert!(url.contains("&sign="));
    /// # Ok::<(), alipay::sign::SignError>(())
    /// ```
    pub fn url(&self, config: &AlipayConfig, clock: &dyn Clock) -> Result<String, SignError> {
        let params = self.signed_params(config, clock)?;
        let sep = if config.gateway.contains('?') {
            '&'
        } else {
            '?'
        };
        Ok(format!("{}{sep}{}", config.gateway, encode_params(&params)))
    }

    /// An auto-submitting HTML form: the action carries the public parameters, the body `biz_content`.
    ///
    /// ```no_run
    /// # fn config() -> alipay::AlipayConfig { unimplemented!() }
    /// # let pay: alipay::PagePay = unimplemented!();
    /// let html = pay.form_html(&config(), &alipay::SystemClock)?;
    /// assert!(html.contains("name=\"biz_content\""));
    /// # Ok::<(), alipay::sign::SignError>(())
    /// ```
    pub fn form_html(&self, config: &AlipayConfig, clock: &dyn Clock) -> Result<String, SignError> {
        let params = self.signed_params(config, clock)?;
        let biz = params.get("biz_content").cloned().unwrap_or_default();
        let sep = if config.gateway.contains('?') {
            '&'
        } else {
            '?'
        };
        let action = format!(
            "{}{sep}{}",
            config.gateway,
            encode_params(params.iter().filter(|(k, _)| k.as_str() != "biz_content"))
        );
        Ok(format!(
            "<form id=\"alipaysubmit\" name=\"alipaysubmit\" action=\"{}\" method=\"POST\" accept-charset=\"utf-8\">\
             <input type=\"hidden\" name=\"biz_content\" value=\"{}\"/>\
             <input type=\"submit\" value=\"Pay with Alipay\" style=\"display:none;\"/></form>\
             <script>document.forms['alipaysubmit'].submit();</script>",
            html_escape(&action),
            html_escape(&biz)
        ))
    }
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
