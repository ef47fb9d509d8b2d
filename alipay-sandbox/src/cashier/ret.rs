//! The synchronous return: the browser goes back to `return_url` with signed parameters.

use alipay::clock::beijing;
use alipay::money::Money;
use alipay::sign::{Params, sign_callback};

use crate::html::with_query;
use crate::state::Inner;
use crate::store::trade;

/// The return parameters Alipay appends (signed as Alipay).
pub fn return_params(inner: &Inner, t: &trade::Model) -> Params {
    let mut p = Params::new();
    for (k, v) in [
        ("method", "alipay.trade.page.pay.return".to_string()),
        ("app_id", t.app_id.clone()),
        ("auth_app_id", t.app_id.clone()),
        ("charset", "utf-8".to_string()),
        ("out_trade_no", t.out_trade_no.clone()),
        ("seller_id", t.seller_id.clone()),
        ("timestamp", beijing(inner.now())),
        ("total_amount", Money::from_cents(t.total_cents).to_string()),
        ("trade_no", t.trade_no.clone()),
        ("version", "1.0".to_string()),
    ] {
        p.insert(k.to_string(), v);
    }
    if let Err(e) = sign_callback(&mut p, &inner.alipay_key) {
        // Returned unsigned: the shop's /pay/success refuses it.
        tracing::error!(error = %e, "the sandbox could not sign a return");
    }
    p
}

/// `return_url` with the signed parameters appended.
pub fn return_url(inner: &Inner, t: &trade::Model, url: &str) -> String {
    with_query(url, &return_params(inner, t))
}
