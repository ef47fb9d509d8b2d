//! Request bodies as typed builders, checked against WeChat Pay's rules before anything is signed.
//! Amounts are integer fen.

use super::RequestError;
use chrono::{DateTime, FixedOffset};
use serde_json::{Value, json};

pub(super) fn field(ok: bool, field: &'static str, rule: &'static str) -> Result<(), RequestError> {
    if ok {
        Ok(())
    } else {
        Err(RequestError::Field { field, rule })
    }
}

fn id_chars(s: &str, extra: &[u8]) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_-|*".contains(&b) || extra.contains(&b))
}

/// Checks an `out_trade_no`: 6–32 of `[0-9A-Za-z_-|*]`.
///
/// ```
/// assert!(wechatpay::api::check_out_trade_no("C20240101_0001").is_ok());
/// assert!(wechatpay::api::check_out_trade_no("C1").is_err());
/// ```
pub fn check_out_trade_no(s: &str) -> Result<(), RequestError> {
    field(
        (6..=32).contains(&s.len()) && id_chars(s, b""),
        "out_trade_no",
        "6–32 characters of 0-9 A-Z a-z _ - | *",
    )
}

/// Checks an `out_refund_no`: 1–64 of `[0-9A-Za-z_-|*@]`.
///
/// ```
/// assert!(wechatpay::api::check_out_refund_no("R1@x").is_ok());
/// assert!(wechatpay::api::check_out_refund_no("R 1").is_err());
/// ```
pub fn check_out_refund_no(s: &str) -> Result<(), RequestError> {
    field(
        (1..=64).contains(&s.len()) && id_chars(s, b"@"),
        "out_refund_no",
        "1–64 characters of 0-9 A-Z a-z _ - | * @",
    )
}

pub(super) fn check_text(
    s: &str,
    max_chars: usize,
    name: &'static str,
    rule: &'static str,
) -> Result<(), RequestError> {
    field(
        !s.is_empty()
            && s.chars().count() <= max_chars
            && s.chars().all(|c| c.len_utf8() <= 3 && !c.is_control()),
        name,
        rule,
    )
}

/// A Native (QR code) order: `POST /v3/pay/transactions/native`.
///
/// ```
/// use wechatpay::api::NativeOrder;
/// let o = NativeOrder::new("C20240101_0001", "Rust 课程", 9900, "https://shop.example/wechatpay/notify")?;
/// let body = o.body("wxd678efh567hg6787", "1230000109");
/// assert_eq!(body["amount"]["total"], 9900);
/// assert!(NativeOrder::new("C20240101_0001", "Rust", 0, "https://shop.example/n").is_err());
/// # Ok::<(), wechatpay::api::RequestError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeOrder {
    out_trade_no: String,
    description: String,
    total_fen: i64,
    notify_url: String,
    time_expire: Option<DateTime<FixedOffset>>,
    attach: Option<String>,
}

impl NativeOrder {
    /// Checks every field: `out_trade_no` 6–32 allowed characters, `description` 1–127 characters
    /// without emoji or control characters, `total_fen` ≥ 1, `notify_url` HTTPS (HTTP to a loopback
    /// address for a local gateway), at most 255 bytes, no query string.
    pub fn new(
        out_trade_no: &str,
        description: &str,
        total_fen: i64,
        notify_url: &str,
    ) -> Result<NativeOrder, RequestError> {
        check_out_trade_no(out_trade_no)?;
        check_text(
            description,
            127,
            "description",
            "1–127 characters without emoji or control characters",
        )?;
        field(
            total_fen >= 1,
            "amount.total",
            "an integer number of fen, at least 1",
        )?;
        check_notify_url(notify_url)?;
        Ok(NativeOrder {
            out_trade_no: out_trade_no.into(),
            description: description.into(),
            total_fen,
            notify_url: notify_url.into(),
            time_expire: None,
            attach: None,
        })
    }

    /// The last moment to pay.
    pub fn time_expire(mut self, at: DateTime<FixedOffset>) -> NativeOrder {
        self.time_expire = Some(at);
        self
    }

    /// Data WeChat Pay hands back in the query and the notification (≤ 128 characters).
    pub fn attach(mut self, attach: &str) -> Result<NativeOrder, RequestError> {
        check_text(
            attach,
            128,
            "attach",
            "1–128 characters without emoji or control characters",
        )?;
        self.attach = Some(attach.into());
        Ok(self)
    }

    /// The order number.
    pub fn out_trade_no(&self) -> &str {
        &self.out_trade_no
    }

    /// The JSON body (keys with no value are omitted, never `null`).
    pub fn body(&self, appid: &str, mchid: &str) -> Value {
        let mut v = json!({
            "appid": appid,
            "mchid": mchid,
            "description": self.description,
            "out_trade_no": self.out_trade_no,
            "notify_url": self.notify_url,
            "amount": { "total": self.total_fen, "currency": "CNY" },
        });
        if let Some(t) = self.time_expire {
            v["time_expire"] = json!(t.to_rfc3339());
        }
        if let Some(a) = &self.attach {
            v["attach"] = json!(a);
        }
        v
    }
}

pub(super) fn check_notify_url(url: &str) -> Result<(), RequestError> {
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| {
            url.strip_prefix(p).is_some_and(|rest| {
                rest.is_empty() || rest.starts_with(':') || rest.starts_with('/')
            })
        });
    let ok = (url.starts_with("https://") || loopback)
        && url.len() <= 255
        && !url.contains('?')
        && !url.contains('#')
        && url.bytes().all(|b| b.is_ascii_graphic());
    field(
        ok,
        "notify_url",
        "an https:// URL of at most 255 characters without a query string",
    )
}

/// The H5 environment (`scene_info.h5_info.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum H5Type {
    /// `iOS`.
    Ios,
    /// `Android`.
    Android,
    /// `Wap` (a mobile web site).
    Wap,
}

impl H5Type {
    fn as_str(self) -> &'static str {
        match self {
            H5Type::Ios => "iOS",
            H5Type::Android => "Android",
            H5Type::Wap => "Wap",
        }
    }
}

/// An H5 order (mobile browser outside WeChat): `POST /v3/pay/transactions/h5`.
///
/// ```
/// use wechatpay::api::{H5Order, H5Type, NativeOrder};
/// let o = NativeOrder::new("C20240101_0001", "Rust 课程", 9900, "https://shop.example/wechatpay/notify")?;
/// let h5 = H5Order::new(o, "203.0.113.7", H5Type::Wap)?;
/// assert_eq!(h5.body("wx1", "1")["scene_info"]["payer_client_ip"], "203.0.113.7");
/// # Ok::<(), wechatpay::api::RequestError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct H5Order {
    order: NativeOrder,
    payer_client_ip: std::net::IpAddr,
    h5_type: H5Type,
}

impl H5Order {
    /// `payer_client_ip` must be an IPv4 or IPv6 address (the buyer's, as seen by the shop).
    pub fn new(
        order: NativeOrder,
        payer_client_ip: &str,
        h5_type: H5Type,
    ) -> Result<H5Order, RequestError> {
        let ip = payer_client_ip.parse().map_err(|_| RequestError::Field {
            field: "scene_info.payer_client_ip",
            rule: "an IPv4 or IPv6 address",
        })?;
        Ok(H5Order {
            order,
            payer_client_ip: ip,
            h5_type,
        })
    }

    /// The order number.
    pub fn out_trade_no(&self) -> &str {
        self.order.out_trade_no()
    }

    /// The JSON body: the Native fields plus `scene_info`.
    pub fn body(&self, appid: &str, mchid: &str) -> Value {
        let mut v = self.order.body(appid, mchid);
        v["scene_info"] = json!({
            "payer_client_ip": self.payer_client_ip.to_string(),
            "h5_info": { "type": self.h5_type.as_str() },
        });
        v
    }
}
