//! Builds notify bodies: form-encoded the way Alipay posts them, signed (or not) as asked.
use alipay::PrivateKey;
use alipay::clock::{Clock, SystemClock, beijing};
use alipay::sign::{Params, sign_callback};

use crate::api::{APP_ID, SELLER_ID};

/// The fields a storm notify varies; the rest are fixed.
pub struct Fields<'a> {
    pub out_trade_no: &'a str,
    pub total_amount: &'a str,
    pub trade_no: &'a str,
    pub notify_id: &'a str,
    pub app_id: &'a str,
    pub seller_id: &'a str,
    pub trade_status: &'a str,
}

impl<'a> Fields<'a> {
    /// A genuine TRADE_SUCCESS notify for this order.
    pub fn paid(
        out_trade_no: &'a str,
        total_amount: &'a str,
        trade_no: &'a str,
        notify_id: &'a str,
    ) -> Fields<'a> {
        Fields {
            out_trade_no,
            total_amount,
            trade_no,
            notify_id,
            app_id: APP_ID,
            seller_id: SELLER_ID,
            trade_status: "TRADE_SUCCESS",
        }
    }
}

/// The unsigned parameters.
pub fn params(f: &Fields) -> Params {
    // Paid "now" (Beijing time), so the orders land on today in the merchant's console.
    let now = beijing(SystemClock.now());
    let mut p = Params::new();
    for (k, v) in [
        ("notify_time", now.as_str()),
        ("notify_type", "trade_status_sync"),
        ("notify_id", f.notify_id),
        ("app_id", f.app_id),
        ("auth_app_id", f.app_id),
        ("charset", "utf-8"),
        ("version", "1.0"),
        ("trade_no", f.trade_no),
        ("out_trade_no", f.out_trade_no),
        ("buyer_id", "2088102177846880"),
        ("seller_id", f.seller_id),
        ("trade_status", f.trade_status),
        ("total_amount", f.total_amount),
        ("receipt_amount", f.total_amount),
        ("subject", "storm 课程"),
        ("gmt_create", now.as_str()),
        ("gmt_payment", now.as_str()),
    ] {
        p.insert(k.to_owned(), v.to_owned());
    }
    p
}

/// Signed with `key` (RSA2, as Alipay signs callbacks).
pub fn signed(f: &Fields, key: &PrivateKey) -> Params {
    let mut p = params(f);
    sign_callback(&mut p, key).expect("loadgen could not sign a notify");
    p
}

/// `k=v&...`, application/x-www-form-urlencoded.
pub fn encode(p: &Params) -> Vec<u8> {
    let mut u = reqwest::Url::parse("http://form.invalid/").expect("a constant URL parses");
    u.query_pairs_mut().extend_pairs(p.iter());
    u.query().unwrap_or_default().as_bytes().to_vec()
}
