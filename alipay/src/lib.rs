//! Alipay computer-website payment (`alipay.trade.page.pay`) for the coursepay shop.
//!
//! Keys in any shape ([`keys`]), RSA2 signing at the hardware ceiling with aws-lc-rs ([`sign`]),
//! the page-pay URL and form ([`pagepay`]), notify/return verification ([`callback`]), the OpenAPI
//! client ([`openapi`]) and public-key certificate mode ([`cert`]). No web framework, no database.
//!
//! ```no_run
//! use alipay::{callback, clock::SystemClock, money::Money, pagepay::{OutTradeNo, PagePay}};
//! # fn config() -> alipay::AlipayConfig { unimplemented!() }
//! let config = config();
//! let order = PagePay::builder(OutTradeNo::new("C20240101_0001")?, "99.00".parse()?, "Rust course").build()?;
//! let url = order.url(&config, &SystemClock);
//! // later, in the notify handler:
//! # let body: &[u8] = b"";
//! let notify = callback::verify_notify(body, &config.alipay_public_key)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod callback;
pub mod cert;
pub mod clock;
pub mod config;
pub mod keys;
pub mod money;
pub mod openapi;
pub mod pagepay;
pub mod sign;

pub use callback::{CallbackError, Notify, ReturnParams, TradeStatus};
pub use cert::{CertConfig, CertError};
pub use clock::{Clock, SystemClock};
pub use config::{AlipayConfig, PRODUCTION_GATEWAY, SANDBOX_GATEWAY};
pub use keys::{KeyError, KeyRole, PrivateKey, PublicKey, check_merchant_keys};
pub use money::{Money, MoneyError};
pub use openapi::{ApiError, Client};
pub use pagepay::{OutTradeNo, PagePay, PagePayBuilder, PagePayError};
pub use sign::{Params, SignError, SignType};
