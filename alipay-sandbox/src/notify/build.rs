//! The fields of a notify, exactly as Alipay sends them.

use alipay::clock::beijing;
use alipay::money::Money;
use alipay::sign::Params;
use chrono::{DateTime, Utc};

use crate::faults::Tamper;
use crate::ids;
use crate::store::trade;

/// What the notify reports.
pub enum Event<'a> {
    /// The buyer paid.
    Pay,
    /// The unpaid trade was closed (timeout or `alipay.trade.close`).
    Close,
    /// A refund was accepted; `refund_fee` is the cumulative amount.
    Refund {
        out_biz_no: &'a str,
        gmt_refund: DateTime<Utc>,
    },
}

fn money(cents: i64) -> String {
    Money::from_cents(cents).to_string()
}

/// Every field except `notify_time`, `sign` and `sign_type` (added at each attempt).
pub fn notify_params(t: &trade::Model, notify_id: &str, event: &Event<'_>) -> Params {
    let mut p = Params::new();
    let mut put = |k: &str, v: String| {
        if !v.is_empty() {
            p.insert(k.to_string(), v);
        }
    };
    put("notify_type", "trade_status_sync".into());
    put("notify_id", notify_id.into());
    put("app_id", t.app_id.clone());
    put("auth_app_id", t.app_id.clone());
    put("charset", "utf-8".into());
    put("version", "1.0".into());
    put("trade_no", t.trade_no.clone());
    put("out_trade_no", t.out_trade_no.clone());
    put("seller_id", t.seller_id.clone());
    put("seller_email", t.seller_email.clone());
    put("trade_status", t.status.clone());
    put("total_amount", money(t.total_cents));
    put("subject", t.subject.clone());
    put("body", t.body.clone().unwrap_or_default());
    put(
        "passback_params",
        t.passback_params.clone().unwrap_or_default(),
    );
    put("gmt_create", beijing(t.gmt_create));
    if let Some(paid) = t.gmt_payment {
        put("buyer_id", t.buyer_id.clone().unwrap_or_default());
        put(
            "buyer_logon_id",
            t.buyer_logon_id.clone().unwrap_or_default(),
        );
        put("receipt_amount", money(t.total_cents));
        put("invoice_amount", money(t.total_cents));
        put("buyer_pay_amount", money(t.total_cents));
        put("point_amount", "0.00".into());
        put("gmt_payment", beijing(paid));
        put(
            "fund_bill_list",
            format!(
                "[{{\"amount\":\"{}\",\"fundChannel\":\"ALIPAYACCOUNT\"}}]",
                money(t.total_cents)
            ),
        );
    }
    if let Some(closed) = t.gmt_close {
        put("gmt_close", beijing(closed));
    }
    if let Event::Refund {
        out_biz_no,
        gmt_refund,
    } = event
    {
        put("out_biz_no", (*out_biz_no).to_string());
        put("refund_fee", money(t.refunded_cents));
        put("gmt_refund", ids::beijing_millis(*gmt_refund));
    }
    p
}

/// Applies a tamper fault: the notify stays correctly signed but one field is wrong.
pub fn tamper(p: &mut Params, how: Tamper) {
    match how {
        Tamper::Amount => {
            for k in [
                "total_amount",
                "receipt_amount",
                "invoice_amount",
                "buyer_pay_amount",
            ] {
                if let Some(v) = p.get_mut(k)
                    && let Ok(m) = v.parse::<Money>()
                {
                    *v = Money::from_cents(m.cents() + 100).to_string();
                }
            }
        }
        Tamper::AppId => {
            p.insert("app_id".into(), "2021000000000000".into());
            p.insert("auth_app_id".into(), "2021000000000000".into());
        }
        Tamper::SellerId => {
            p.insert("seller_id".into(), "2088000000000000".into());
            p.insert("seller_email".into(), "someone-else@alipaydev.com".into());
        }
    }
}
