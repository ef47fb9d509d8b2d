//! Page pay: validation, the GET URL and the POST form both carry verifiable signatures.

use crate::common::{app_public, config};
use alipay::callback::parse_query;
use alipay::clock::{FixedClock, parse_beijing};
use alipay::pagepay::{OutTradeNo, PagePay, PagePayError, validate_subject};
use alipay::sign::verify_request;
use alipay::{PRODUCTION_GATEWAY, SANDBOX_GATEWAY};

fn clock() -> FixedClock {
    FixedClock(parse_beijing("2024-01-02 03:04:05").unwrap())
}

fn order() -> PagePay {
    PagePay::builder(
        OutTradeNo::new("C2024_0001").unwrap(),
        "99.00".parse().unwrap(),
        "Rust 课程 + \"x\" <b>",
    )
    .body("two & more")
    .passback_params("u=1&c=2")
    .time_expire(parse_beijing("2024-01-02 03:19:05").unwrap())
    .build()
    .unwrap()
}

#[test]
fn url_verifies_and_encodes_every_value() {
    let url = order().url(&config(""), &clock()).unwrap();
    let (gw, query) = url.split_once('?').unwrap();
    assert_eq!(gw, SANDBOX_GATEWAY);
    assert!(!query.contains(' ') && !query.contains('+') && !query.contains('"'));
    let p = parse_query(query).unwrap();
    verify_request(&p, &app_public()).unwrap();
    assert_eq!(p["timestamp"], "2024-01-02 03:04:05");
    assert_eq!(p["method"], "alipay.trade.page.pay");
    assert_eq!(p["notify_url"], "https://shop.example/alipay/notify");
    let biz: serde_json::Value = serde_json::from_str(&p["biz_content"]).unwrap();
    assert_eq!(biz["total_amount"], "99.00");
    assert_eq!(biz["time_expire"], "2024-01-02 03:19:05");
    assert_eq!(biz["product_code"], "FAST_INSTANT_TRADE_PAY");
    assert_eq!(biz["passback_params"], "u%3D1%26c%3D2");
    let mut cfg = config(&format!("{PRODUCTION_GATEWAY}?charset=utf-8"));
    cfg.notify_url = None;
    let url = order().url(&cfg, &clock()).unwrap();
    assert!(url.starts_with("https://openapi.alipay.com/gateway.do?charset=utf-8&app_id="));
    assert!(!url.contains("notify_url"));
}

#[test]
fn form_posts_biz_content_in_the_body() {
    let html = order()
        .form_html(&config("http://127.0.0.1:8080/gateway.do"), &clock())
        .unwrap();
    let action = html
        .split("action=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let value = html
        .split("name=\"biz_content\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let biz = value
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let (gw, query) = action.split_once('?').unwrap();
    assert_eq!(gw, "http://127.0.0.1:8080/gateway.do");
    let mut p = parse_query(query).unwrap();
    assert!(!p.contains_key("biz_content"));
    p.insert("biz_content".into(), biz);
    verify_request(&p, &app_public()).unwrap();
    assert!(html.contains("document.forms['alipaysubmit'].submit()"));
    assert!(!html.contains("<b>"));
}

#[test]
fn validation_edges() {
    assert!(OutTradeNo::new("a".repeat(64)).is_ok());
    for bad in ["", "a-b", "a b", "订单", "a.b"] {
        assert!(
            matches!(OutTradeNo::new(bad), Err(PagePayError::OutTradeNo(_))),
            "{bad}"
        );
    }
    assert!(OutTradeNo::new("a".repeat(65)).is_err());
    assert!(validate_subject(&"课".repeat(256)).is_ok());
    for bad in ["", "   ", "a/b", "a=b", "a&b", "a\nb", &"x".repeat(257)] {
        assert!(validate_subject(bad).is_err(), "{bad:?}");
    }
    let no = || OutTradeNo::new("A1").unwrap();
    assert!(matches!(
        PagePay::builder(no(), alipay::Money::from_cents(0), "s").build(),
        Err(PagePayError::Amount(_))
    ));
    assert!(
        PagePay::builder(no(), alipay::Money::from_cents(10_000_000_001), "s")
            .build()
            .is_err()
    );
    assert!(
        PagePay::builder(no(), alipay::Money::from_cents(10_000_000_000), "s")
            .build()
            .is_ok()
    );
    assert_eq!(
        PagePay::builder(no(), alipay::Money::from_cents(1), "s")
            .body(&"b".repeat(129))
            .build(),
        Err(PagePayError::Body)
    );
    assert_eq!(
        PagePay::builder(no(), alipay::Money::from_cents(1), "s")
            .passback_params(&"&".repeat(200))
            .build(),
        Err(PagePayError::PassbackParams)
    );
}
