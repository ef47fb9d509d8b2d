//! `alipay.trade.page.pay`: a validated builder producing the signed GET URL or the auto-submitting form.
//!
//! ```no_run
//! use alipay::{clock::SystemClock, pagepay::{OutTradeNo, PagePay}};
//! # fn config() -> alipay::AlipayConfig { unimplemented!() }
//! let pay = PagePay::builder(OutTradeNo::new("C42")?, "99.00".parse()?, "Rust course").build()?;
//! let url = pay.url(&config(), &SystemClock);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::clock::{Clock, beijing};
use crate::config::AlipayConfig;
use crate::money::{Money, MoneyError, validate_total_amount};
use crate::sign::{Params, sign_request};
use chrono::{DateTime, Utc};

/// The method name.
///
/// ```
/// assert_eq!(alipay::pagepay::METHOD, "alipay.trade.page.pay");
/// ```
pub const METHOD: &str = "alipay.trade.page.pay";
/// The only product code for page pay.
///
/// ```
/// assert_eq!(alipay::pagepay::PRODUCT_CODE, "FAST_INSTANT_TRADE_PAY");
/// ```
pub const PRODUCT_CODE: &str = "FAST_INSTANT_TRADE_PAY";

mod wire;

pub(crate) use wire::{encode, encode_params};

/// Why a page-pay order was rejected before signing.
///
/// ```
/// use alipay::pagepay::{OutTradeNo, PagePayError};
/// assert!(matches!(OutTradeNo::new("a-b"), Err(PagePayError::OutTradeNo(_))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PagePayError {
    /// `out_trade_no` empty, over 64 characters, or not letters/digits/underscore.
    #[error("out_trade_no {0:?} must be 1 to 64 letters, digits or underscores")]
    OutTradeNo(String),
    /// `subject` empty, over 256 characters, or containing `/`, `=`, `&` or control characters.
    #[error(
        "subject {0:?} must be 1 to 256 characters without '/', '=', '&' or control characters"
    )]
    Subject(String),
    /// `body` over 128 characters.
    #[error("body must be at most 128 characters")]
    Body,
    /// `passback_params` over 512 characters (URL-encoded).
    #[error("passback_params must be at most 512 characters once URL-encoded")]
    PassbackParams,
    /// `total_amount` outside 0.01 ..= 100000000.00.
    #[error(transparent)]
    Amount(#[from] MoneyError),
}

/// A merchant order number: 1 to 64 of `[A-Za-z0-9_]`.
///
/// ```
/// use alipay::pagepay::OutTradeNo;
/// assert_eq!(OutTradeNo::new("C2024_0001").unwrap().as_str(), "C2024_0001");
/// assert!(OutTradeNo::new("").is_err());
/// assert!(OutTradeNo::new(&"x".repeat(65)).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutTradeNo(String);

impl OutTradeNo {
    /// Validates and wraps an order number.
    ///
    /// ```
    /// assert!(alipay::pagepay::OutTradeNo::new("订单1").is_err());
    /// ```
    pub fn new(s: impl Into<String>) -> Result<OutTradeNo, PagePayError> {
        let s = s.into();
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if ok {
            Ok(OutTradeNo(s))
        } else {
            Err(PagePayError::OutTradeNo(s))
        }
    }

    /// The order number.
    ///
    /// ```
    /// assert_eq!(alipay::pagepay::OutTradeNo::new("A1").unwrap().as_str(), "A1");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for OutTradeNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a subject: 1 to 256 characters, no `/ = &`, no control characters.
///
/// ```
/// assert!(alipay::pagepay::validate_subject("Rust 课程").is_ok());
/// assert!(alipay::pagepay::validate_subject("a=b").is_err());
/// ```
pub fn validate_subject(subject: &str) -> Result<(), PagePayError> {
    let n = subject.chars().count();
    let bad = subject
        .chars()
        .any(|c| matches!(c, '/' | '=' | '&') || c.is_control());
    if n == 0 || n > 256 || bad || subject.trim().is_empty() {
        Err(PagePayError::Subject(subject.to_owned()))
    } else {
        Ok(())
    }
}

/// A validated page-pay order.
///
/// ```
/// use alipay::pagepay::{OutTradeNo, PagePay};
/// let p = PagePay::builder(OutTradeNo::new("A1").unwrap(), "1.00".parse().unwrap(), "Course").build().unwrap();
/// assert_eq!(p.biz_content(), r#"{"out_trade_no":"A1","total_amount":"1.00","subject":"Course","product_code":"FAST_INSTANT_TRADE_PAY"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePay {
    out_trade_no: OutTradeNo,
    total_amount: Money,
    subject: String,
    time_expire: Option<DateTime<Utc>>,
    body: Option<String>,
    passback_params: Option<String>,
}

/// Builds a [`PagePay`]; `build` validates.
///
/// ```
/// use alipay::pagepay::{OutTradeNo, PagePay};
/// let b = PagePay::builder(OutTradeNo::new("A1").unwrap(), "1.00".parse().unwrap(), "Course").body("2 lessons");
/// assert!(b.build().is_ok());
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct PagePayBuilder(PagePay);

#[derive(serde::Serialize)]
struct BizContent<'a> {
    out_trade_no: &'a str,
    total_amount: Money,
    subject: &'a str,
    product_code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_expire: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    passback_params: Option<String>,
}

impl PagePay {
    /// Starts a builder with the three required fields.
    ///
    /// ```
    /// use alipay::pagepay::{OutTradeNo, PagePay};
    /// let _ = PagePay::builder(OutTradeNo::new("A1").unwrap(), alipay::Money::from_cents(100), "Course");
    /// ```
    pub fn builder(out_trade_no: OutTradeNo, total_amount: Money, subject: &str) -> PagePayBuilder {
        PagePayBuilder(PagePay {
            out_trade_no,
            total_amount,
            subject: subject.to_owned(),
            time_expire: None,
            body: None,
            passback_params: None,
        })
    }

    /// The `biz_content` JSON (compact, fields in a fixed order).
    ///
    /// ```
    /// use alipay::pagepay::{OutTradeNo, PagePay};
    /// let p = PagePay::builder(OutTradeNo::new("A1").unwrap(), alipay::Money::from_cents(1), "C").build().unwrap();
    /// assert!(p.biz_content().contains(r#""total_amount":"0.01""#));
    /// ```
    pub fn biz_content(&self) -> String {
        let biz = BizContent {
            out_trade_no: self.out_trade_no.as_str(),
            total_amount: self.total_amount,
            subject: &self.subject,
            product_code: PRODUCT_CODE,
            time_expire: self.time_expire.map(beijing),
            body: self.body.as_deref(),
            passback_params: self.passback_params.as_deref().map(encode),
        };
        serde_json::to_string(&biz).unwrap_or_default()
    }

    /// The order number.
    ///
    /// ```
    /// use alipay::pagepay::{OutTradeNo, PagePay};
    /// let p = PagePay::builder(OutTradeNo::new("A1").unwrap(), alipay::Money::from_cents(1), "C").build().unwrap();
    /// assert_eq!(p.out_trade_no().as_str(), "A1");
    /// ```
    pub fn out_trade_no(&self) -> &OutTradeNo {
        &self.out_trade_no
    }

    /// The amount.
    ///
    /// ```
    /// use alipay::pagepay::{OutTradeNo, PagePay};
    /// let p = PagePay::builder(OutTradeNo::new("A1").unwrap(), alipay::Money::from_cents(1), "C").build().unwrap();
    /// assert_eq!(p.total_amount().cents(), 1);
    /// ```
    pub fn total_amount(&self) -> Money {
        self.total_amount
    }

    /// All parameters, signed with the app private key (`sign_type=RSA2` and `sign` set).
    ///
    /// ```no_run
    /// # fn config() -> alipay::AlipayConfig { unimplemented!() }
    /// # let pay: alipay::PagePay = unimplemented!();
    /// let params = pay.signed_params(&config(), &alipay::SystemClock)?;
    /// assert_eq!(params["method"], "alipay.trade.page.pay");
    /// # Ok::<(), alipay::sign::SignError>(())
    /// ```
    pub fn signed_params(
        &self,
        config: &AlipayConfig,
        clock: &dyn Clock,
    ) -> Result<Params, crate::sign::SignError> {
        let mut p = config.common_params(METHOD, clock);
        if let Some(u) = &config.notify_url {
            p.insert("notify_url".into(), u.clone());
        }
        if let Some(u) = &config.return_url {
            p.insert("return_url".into(), u.clone());
        }
        p.insert("biz_content".into(), self.biz_content());
        sign_request(&mut p, &config.app_private_key)?;
        Ok(p)
    }
}

impl PagePayBuilder {
    /// Absolute expiry (`time_expire`, sent as Beijing time).
    ///
    /// ```
    /// # use alipay::pagepay::{OutTradeNo, PagePay};
    /// let t = alipay::clock::parse_beijing("2030-01-01 00:00:00").unwrap();
    /// let p = PagePay::builder(OutTradeNo::new("A1").unwrap(), alipay::Money::from_cents(1), "C").time_expire(t).build().unwrap();
    /// assert!(p.biz_content().contains(r#""time_expire":"2030-01-01 00:00:00""#));
    /// ```
    pub fn time_expire(mut self, t: DateTime<Utc>) -> PagePayBuilder {
        self.0.time_expire = Some(t);
        self
    }

    /// Order description (`body`, at most 128 characters).
    ///
    /// ```
    /// # use alipay::pagepay::{OutTradeNo, PagePay};
    /// let p = PagePay::builder(OutTradeNo::new("A1").unwrap(), alipay::Money::from_cents(1), "C").body("x").build();
    /// assert!(p.is_ok());
    /// ```
    pub fn body(mut self, body: &str) -> PagePayBuilder {
        self.0.body = Some(body.to_owned());
        self
    }

    /// Raw `passback_params`; URL-encoded here as Alipay requires, and decoded again in [`crate::Notify`].
    ///
    /// ```
    /// # use alipay::pagepay::{OutTradeNo, PagePay};
    /// let p = PagePay::builder(OutTradeNo::new("A1").unwrap(), alipay::Money::from_cents(1), "C").passback_params("u=1&c=2").build().unwrap();
    /// assert!(p.biz_content().contains("u%3D1%26c%3D2"));
    /// ```
    pub fn passback_params(mut self, params: &str) -> PagePayBuilder {
        self.0.passback_params = Some(params.to_owned());
        self
    }

    /// Validates and returns the order.
    ///
    /// ```
    /// # use alipay::pagepay::{OutTradeNo, PagePay};
    /// assert!(PagePay::builder(OutTradeNo::new("A1").unwrap(), alipay::Money::from_cents(0), "C").build().is_err());
    /// ```
    pub fn build(self) -> Result<PagePay, PagePayError> {
        let p = self.0;
        validate_total_amount(p.total_amount)?;
        validate_subject(&p.subject)?;
        if p.body.as_ref().is_some_and(|b| b.chars().count() > 128) {
            return Err(PagePayError::Body);
        }
        if p.passback_params
            .as_ref()
            .is_some_and(|b| encode(b).len() > 512)
        {
            return Err(PagePayError::PassbackParams);
        }
        Ok(p)
    }
}
