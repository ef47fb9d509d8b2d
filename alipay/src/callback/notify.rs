//! Typed, verified notifies and returns.

use super::{CallbackError, TradeStatus, parse_form, parse_query};
use crate::clock::parse_beijing;
use crate::keys::PublicKey;
use crate::money::Money;
use crate::sign::{Params, SignError, charset_bytes, request_signing_string, verify_callback};
use chrono::{DateTime, Utc};

/// A verified async notify. Unknown fields stay in `raw`.
///
/// ```no_run
/// # let (body, key): (&[u8], alipay::PublicKey) = unimplemented!();
/// let n = alipay::callback::verify_notify(body, &key)?;
/// println!("{} {} {}", n.out_trade_no, n.trade_status, n.total_amount);
/// # Ok::<(), alipay::CallbackError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notify {
    /// Same across retries of one notify.
    pub notify_id: String,
    /// `yyyy-MM-dd HH:mm:ss` as sent.
    pub notify_time: Option<String>,
    /// `trade_status_sync`.
    pub notify_type: String,
    /// The app the notify is for.
    pub app_id: String,
    /// The seller's 2088... id.
    pub seller_id: Option<String>,
    /// The seller's account.
    pub seller_email: Option<String>,
    /// The merchant order number.
    pub out_trade_no: String,
    /// Alipay's trade number.
    pub trade_no: String,
    /// The status.
    pub trade_status: TradeStatus,
    /// The order total.
    pub total_amount: Money,
    /// The buyer's id.
    pub buyer_id: Option<String>,
    /// Payment time.
    pub gmt_payment: Option<DateTime<Utc>>,
    /// Close time.
    pub gmt_close: Option<DateTime<Utc>>,
    /// Cumulative refund.
    pub refund_fee: Option<Money>,
    /// The refund request number for refund notifies.
    pub out_biz_no: Option<String>,
    /// Refund time.
    pub gmt_refund: Option<DateTime<Utc>>,
    /// `passback_params` URL-decoded once more (the raw value given to the page-pay builder).
    pub passback_params: Option<String>,
    /// Every parameter received, `sign` included.
    pub raw: Params,
}

/// A verified sync return. It proves the buyer came back, not that the money moved.
///
/// ```no_run
/// # let (query, key): (&str, alipay::PublicKey) = unimplemented!();
/// let r = alipay::callback::verify_return(query, &key)?;
/// println!("{} came back", r.out_trade_no);
/// # Ok::<(), alipay::CallbackError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnParams {
    /// The app.
    pub app_id: String,
    /// The merchant order number.
    pub out_trade_no: String,
    /// Alipay's trade number.
    pub trade_no: String,
    /// The order total.
    pub total_amount: Money,
    /// The seller.
    pub seller_id: Option<String>,
    /// `timestamp` as sent.
    pub timestamp: Option<String>,
    /// Every parameter received.
    pub raw: Params,
}

impl Notify {
    /// The checks a merchant must make before trusting a verified notify: it names this app, this
    /// seller (`seller_id`, when sent) and the order's amount. Any mismatch is
    /// [`CallbackError::Invalid`] naming the field; ignore such a notify (do not mark paid).
    ///
    /// ```no_run
    /// # let (n, config): (alipay::Notify, alipay::AlipayConfig) = unimplemented!();
    /// n.check_merchant(&config.app_id, &config.seller_id, alipay::Money::from_cents(9900))?;
    /// # Ok::<(), alipay::CallbackError>(())
    /// ```
    pub fn check_merchant(
        &self,
        app_id: &str,
        seller_id: &str,
        order_amount: Money,
    ) -> Result<(), CallbackError> {
        if self.app_id != app_id {
            return Err(CallbackError::Invalid {
                field: "app_id",
                value: self.app_id.clone(),
            });
        }
        if let Some(s) = self.seller_id.as_ref().filter(|s| s.as_str() != seller_id) {
            return Err(CallbackError::Invalid {
                field: "seller_id",
                value: s.clone(),
            });
        }
        if self.total_amount != order_amount {
            return Err(CallbackError::Invalid {
                field: "total_amount",
                value: self.total_amount.to_string(),
            });
        }
        Ok(())
    }
}

fn opt(p: &Params, k: &str) -> Option<String> {
    p.get(k).filter(|v| !v.is_empty()).cloned()
}

fn req(p: &Params, k: &'static str) -> Result<String, CallbackError> {
    opt(p, k).ok_or(CallbackError::Missing(k))
}

fn money(p: &Params, k: &'static str) -> Result<Option<Money>, CallbackError> {
    opt(p, k)
        .map(|v| {
            v.parse()
                .map_err(|_| CallbackError::Invalid { field: k, value: v })
        })
        .transpose()
}

fn time(p: &Params, k: &'static str) -> Result<Option<DateTime<Utc>>, CallbackError> {
    opt(p, k)
        .map(|v| parse_beijing(&v).map_err(|_| CallbackError::Invalid { field: k, value: v }))
        .transpose()
}

fn decode_passback(v: String) -> String {
    percent_encoding::percent_decode_str(&v)
        .decode_utf8()
        .map(|c| c.into_owned())
        .unwrap_or(v)
}

/// Parses, verifies (sign and sign_type excluded from the string) and types a notify body.
///
/// ```
/// use alipay::{CallbackError, SignError};
/// # fn key() -> alipay::PublicKey { unimplemented!() }
/// # if false {
/// let err = alipay::callback::verify_notify(b"out_trade_no=A1", &key()).unwrap_err();
/// assert_eq!(err, CallbackError::Sign(SignError::MissingSign));
/// # }
/// ```
pub fn verify_notify(body: &[u8], alipay_public_key: &PublicKey) -> Result<Notify, CallbackError> {
    let p = parse_form(body)?;
    verify_callback(&p, alipay_public_key)?;
    let status = req(&p, "trade_status")?;
    Ok(Notify {
        notify_id: req(&p, "notify_id")?,
        notify_time: opt(&p, "notify_time"),
        notify_type: req(&p, "notify_type")?,
        app_id: req(&p, "app_id")?,
        seller_id: opt(&p, "seller_id"),
        seller_email: opt(&p, "seller_email"),
        out_trade_no: req(&p, "out_trade_no")?,
        trade_no: req(&p, "trade_no")?,
        trade_status: status.parse().map_err(|_| CallbackError::Invalid {
            field: "trade_status",
            value: status.clone(),
        })?,
        total_amount: money(&p, "total_amount")?.ok_or(CallbackError::Missing("total_amount"))?,
        buyer_id: opt(&p, "buyer_id"),
        gmt_payment: time(&p, "gmt_payment")?,
        gmt_close: time(&p, "gmt_close")?,
        refund_fee: money(&p, "refund_fee")?,
        out_biz_no: opt(&p, "out_biz_no"),
        gmt_refund: time(&p, "gmt_refund")?,
        passback_params: opt(&p, "passback_params").map(decode_passback),
        raw: p,
    })
}

/// Parses, verifies and types a return query string. The signed string excludes `sign` and
/// `sign_type`; as the Node SDK does, a signature over the string with `sign_type` is accepted too.
///
/// ```
/// # fn key() -> alipay::PublicKey { unimplemented!() }
/// # if false {
/// assert!(alipay::callback::verify_return("out_trade_no=A1&sign=%%%", &key()).is_err());
/// # }
/// ```
pub fn verify_return(
    query: &str,
    alipay_public_key: &PublicKey,
) -> Result<ReturnParams, CallbackError> {
    let p = parse_query(query)?;
    if let Err(first) = verify_callback(&p, alipay_public_key) {
        let retry = matches!(first, SignError::BadSignature { .. }) && p.contains_key("sign_type");
        let with_type = request_signing_string(&p);
        let sign = p.get("sign").map(String::as_str).unwrap_or_default();
        let sign_type = p
            .get("sign_type")
            .and_then(|t| t.parse().ok())
            .unwrap_or_default();
        if !retry
            || alipay_public_key
                .verify(&charset_bytes(&p, &with_type), sign, sign_type)
                .is_err()
        {
            return Err(first.into());
        }
    }
    Ok(ReturnParams {
        app_id: req(&p, "app_id")?,
        out_trade_no: req(&p, "out_trade_no")?,
        trade_no: req(&p, "trade_no")?,
        total_amount: money(&p, "total_amount")?.ok_or(CallbackError::Missing("total_amount"))?,
        seller_id: opt(&p, "seller_id"),
        timestamp: opt(&p, "timestamp"),
        raw: p,
    })
}
