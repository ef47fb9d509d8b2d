//! The shop's JSON API as the loader uses it, and Alipay notifies signed with the sandbox's key.
use std::time::{SystemTime, UNIX_EPOCH};

use alipay::clock::{Clock, SystemClock, beijing};
use alipay::sign::{Params, sign_callback};
use alipay::{KeyRole, PrivateKey};
use reqwest::Client;
use serde_json::{Value, json};

use crate::error::LoadError;

/// The embedded sandbox's app id and seller id (src/payments.rs).
pub const APP_ID: &str = "9021000000000001";
pub const SELLER_ID: &str = "2088721000000001";
const PASSWORD: &str = "loadgen-password-1";

/// A logged-in student.
#[derive(Clone, Debug)]
pub struct Student {
    pub auth: String,
}

/// A course as /course/list shows it.
#[derive(Clone, Debug)]
pub struct Course {
    pub id: i64,
    pub price: String,
}

/// A created, unpaid order.
#[derive(Clone, Debug)]
pub struct Order {
    pub student: usize,
    pub out_trade_no: String,
    pub total_amount: String,
}

/// Loopback only: refuses any base URL that is not 127.0.0.1 / localhost / [::1].
pub fn check_loopback(base: &str) -> Result<(), LoadError> {
    let url = reqwest::Url::parse(base).map_err(|e| LoadError::Check(format!("{base}: {e}")))?;
    match url.host_str() {
        Some("127.0.0.1" | "localhost" | "[::1]") => Ok(()),
        other => Err(LoadError::Check(format!(
            "only loopback targets are allowed, not {other:?}"
        ))),
    }
}

pub fn client(connections: usize) -> Result<Client, LoadError> {
    Ok(Client::builder()
        .pool_max_idle_per_host(connections.max(1))
        .timeout(std::time::Duration::from_secs(30))
        .build()?)
}

async fn expect_ok(what: &'static str, r: reqwest::Response) -> Result<String, LoadError> {
    let status = r.status().as_u16();
    let body = r.text().await?;
    if status / 100 != 2 {
        return Err(LoadError::Status { what, status, body });
    }
    Ok(body)
}

/// A prefix unique to this run, so students never collide with an earlier run's purchases.
pub fn run_prefix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("lg{}", nanos % 1_000_000_000_000)
}

/// Registers and logs in `username`.
pub async fn student(http: &Client, base: &str, username: &str) -> Result<Student, LoadError> {
    let creds = json!({ "username": username, "password": PASSWORD }).to_string();
    let r = http
        .post(format!("{base}/user/register"))
        .header("content-type", "application/json")
        .body(creds.clone())
        .send()
        .await?;
    expect_ok("register", r).await?;
    let r = http
        .post(format!("{base}/user/login"))
        .header("content-type", "application/json")
        .body(creds)
        .send()
        .await?;
    let v: Value = serde_json::from_str(&expect_ok("login", r).await?)?;
    let token = v["token"]
        .as_str()
        .ok_or_else(|| LoadError::Answer("login", v.to_string()))?;
    Ok(Student {
        auth: format!("jwt {token}"),
    })
}

/// `count` fresh students, registered eight at a time.
pub async fn students(http: &Client, base: &str, count: usize) -> Result<Vec<Student>, LoadError> {
    let prefix = run_prefix();
    let mut out = Vec::with_capacity(count);
    for chunk in (0..count).collect::<Vec<_>>().chunks(8) {
        let mut tasks = Vec::new();
        for i in chunk {
            let (http, base, name) = (http.clone(), base.to_owned(), format!("{prefix}_{i}"));
            tasks.push(tokio::spawn(
                async move { student(&http, &base, &name).await },
            ));
        }
        for t in tasks {
            out.push(t.await??);
        }
    }
    Ok(out)
}

pub async fn courses(http: &Client, base: &str) -> Result<Vec<Course>, LoadError> {
    let r = http.get(format!("{base}/course/list")).send().await?;
    let v: Value = serde_json::from_str(&expect_ok("course list", r).await?)?;
    let list = v
        .as_array()
        .ok_or_else(|| LoadError::Answer("course list", v.to_string()))?;
    let out: Vec<Course> = list
        .iter()
        .filter_map(|c| {
            Some(Course {
                id: c["id"].as_i64()?,
                price: c["price"].as_str()?.to_owned(),
            })
        })
        .collect();
    if out.is_empty() {
        return Err(LoadError::Check("no courses to buy".into()));
    }
    Ok(out)
}

/// POST /order/pay for one course; returns the signed pay URL.
pub async fn pay(http: &Client, base: &str, s: &Student, c: &Course) -> Result<String, LoadError> {
    let body = json!({ "total_amount": c.price, "goods_pks": c.id.to_string() }).to_string();
    let r = http
        .post(format!("{base}/order/pay"))
        .header("authorization", &s.auth)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?;
    let v: Value = serde_json::from_str(&expect_ok("pay", r).await?)?;
    match v.as_str() {
        Some(url) if url.contains("sign=") => Ok(url.to_owned()),
        _ => Err(LoadError::Answer("pay", v.to_string())),
    }
}

/// out_trade_no and total_amount from a pay URL's biz_content.
pub fn order_from_url(student: usize, url: &str) -> Result<Order, LoadError> {
    let u = reqwest::Url::parse(url).map_err(|e| LoadError::Check(format!("pay url: {e}")))?;
    let biz = u
        .query_pairs()
        .find(|(k, _)| k == "biz_content")
        .ok_or_else(|| LoadError::Answer("pay url", url.to_owned()))?;
    let v: Value = serde_json::from_str(&biz.1)?;
    let field = |k: &str| {
        v[k].as_str()
            .map(str::to_owned)
            .ok_or_else(|| LoadError::Answer("biz_content", v.to_string()))
    };
    Ok(Order {
        student,
        out_trade_no: field("out_trade_no")?,
        total_amount: field("total_amount")?,
    })
}

/// The order's status code (1 = paid) via GET /order/status/{no}.
pub async fn status(http: &Client, base: &str, s: &Student, no: &str) -> Result<i64, LoadError> {
    let r = http
        .get(format!("{base}/order/status/{no}"))
        .header("authorization", &s.auth)
        .send()
        .await?;
    let v: Value = serde_json::from_str(&expect_ok("status", r).await?)?;
    v["order_status"]
        .as_i64()
        .ok_or_else(|| LoadError::Answer("status", v.to_string()))
}

pub fn alipay_key(path: &std::path::Path) -> Result<PrivateKey, LoadError> {
    Ok(PrivateKey::from_file(path, KeyRole::AlipayPrivateKey)?)
}

/// A TRADE_SUCCESS notify for `o`, signed as Alipay, form-encoded (number `i` makes trade_no and
/// notify_id distinct).
pub fn notify_body(o: &Order, i: usize, key: &PrivateKey) -> Vec<u8> {
    let trade_no = format!("2026112722{:018}", i);
    let notify_id = format!("lgnotify{}{:012}", o.out_trade_no, i);
    // Paid "now" (Beijing time), so the orders land on today in the merchant's console.
    let now = beijing(SystemClock.now());
    let mut p = Params::new();
    for (k, v) in [
        ("notify_time", now.as_str()),
        ("notify_type", "trade_status_sync"),
        ("notify_id", notify_id.as_str()),
        ("app_id", APP_ID),
        ("auth_app_id", APP_ID),
        ("charset", "utf-8"),
        ("version", "1.0"),
        ("trade_no", trade_no.as_str()),
        ("out_trade_no", o.out_trade_no.as_str()),
        ("buyer_id", "2088102177846880"),
        ("seller_id", SELLER_ID),
        ("trade_status", "TRADE_SUCCESS"),
        ("total_amount", o.total_amount.as_str()),
        ("receipt_amount", o.total_amount.as_str()),
        ("subject", "loadgen"),
        ("gmt_create", now.as_str()),
        ("gmt_payment", now.as_str()),
    ] {
        p.insert(k.to_owned(), v.to_owned());
    }
    sign_callback(&mut p, key).expect("loadgen could not sign a notify");
    form(&p)
}

/// `k=v&...` with every value form-encoded.
fn form(p: &Params) -> Vec<u8> {
    let mut out = String::new();
    for (k, v) in p {
        if !out.is_empty() {
            out.push('&');
        }
        for (n, s) in [(0, k), (1, v)] {
            if n == 1 {
                out.push('=');
            }
            for b in s.bytes() {
                match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                        out.push(b as char)
                    }
                    b' ' => out.push('+'),
                    _ => out.push_str(&format!("%{b:02X}")),
                }
            }
        }
    }
    out.into_bytes()
}
