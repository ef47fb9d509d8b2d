//! Attacks against the whole server in-process: another student's orders, the merchant's refund,
//! cross-site writes, forged sessions (attacks/jwt.rs), script injection and absurd inputs
//! (attacks/inputs.rs), key files and logs (attacks/secrets.rs), hostile `next` values
//! (attacks/redirects.rs), the embedded sandbox's writes (attacks/sandbox.rs), notify floods
//! (attacks/notify_flood.rs), login brute force (attacks/login.rs), cookies and revoked
//! sessions (attacks/sessions.rs).

mod inputs;
mod jwt;
mod login;
mod notify_flood;
mod redirects;
mod sandbox;
mod secrets;
mod sessions;

use crate::common::{Server, start};
use alipay::sign::{Params, sign_callback};
use alipay::{KeyRole, PrivateKey};
use serde_json::Value;

/// A return signed with the sandbox's Alipay key, exactly as the gateway would sign it.
fn genuine_return(s: &Server, out_trade_no: &str) -> String {
    let key_path = s.dir.path().join("keys/sandbox_alipay_private_key.pem");
    let key = PrivateKey::from_file(&key_path, KeyRole::AlipayPrivateKey).unwrap();
    let mut p = Params::new();
    for (k, v) in [
        ("method", "alipay.trade.page.pay.return"),
        ("app_id", coursepay::payments::SANDBOX_APP_ID),
        ("charset", "utf-8"),
        ("out_trade_no", out_trade_no),
        ("seller_id", coursepay::payments::SANDBOX_SELLER_ID),
        ("timestamp", "2026-01-01 12:00:00"),
        ("total_amount", "99.00"),
        ("trade_no", "2026010122001400000000000001"),
        ("version", "1.0"),
    ] {
        p.insert(k.to_owned(), v.to_owned());
    }
    sign_callback(&mut p, &key).unwrap();
    p.iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn return_status(s: &Server, token: &str, query: &str) -> Value {
    let r = s
        .http
        .patch(s.url(&format!("/order/success?{query}")))
        .header("Authorization", format!("jwt {token}"))
        .send()
        .await
        .unwrap();
    r.json::<Value>().await.unwrap()["status"].clone()
}

/// Calls a server function as a browser form would, with the session cookie of `token`.
pub async fn server_fn(
    s: &Server,
    name: &str,
    token: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let body = form
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let r = s
        .http
        .post(s.url(&format!("/api/{name}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("token={token}"))
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn order_status(s: &Server, token: &str, no: &str) -> (u16, Value) {
    let r = s
        .http
        .get(s.url(&format!("/order/status/{no}")))
        .header("Authorization", format!("jwt {token}"))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_students_order_is_out_of_reach() {
    let s = start().await;
    let owner = s.new_student("owner_1").await;
    let other = s.login("student", "coursepay123").await;
    let no = s.order_course_1(&owner).await;
    let mine = s.order_course_1(&other).await;

    assert_eq!(order_status(&s, &other, &no).await.0, 404, "status");
    let list: Value = s
        .http
        .get(s.url("/order/list"))
        .header("Authorization", format!("jwt {other}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!list.to_string().contains(&no), "list: {list}");

    let (code, body) = server_fn(&s, "cancel_order", &other, &[("out_trade_no", &no)]).await;
    assert_ne!(code, 200, "cancel: {body}");

    // A genuine signed return for the owner's order, brought by the other student: refused.
    let ret = genuine_return(&s, &no);
    assert_eq!(return_status(&s, &other, &ret).await, 1);
    // Replayed onto the other student's own order (out_trade_no swapped): the signature breaks.
    let replayed = ret.replace(&no, &mine);
    assert_eq!(return_status(&s, &other, &replayed).await, 1);
    // The same return in the owner's hands is accepted as "confirming": the signature was genuine.
    assert_eq!(return_status(&s, &owner, &ret).await, 2);

    let (code, st) = order_status(&s, &owner, &no).await;
    assert_eq!((code, st["order_status"].clone()), (200, Value::from(0)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_cannot_call_the_merchant_refund() {
    let s = start().await;
    let student = s.login("student", "coursepay123").await;
    let no = s.order_course_1(&student).await;
    let form = [
        ("out_trade_no", no.as_str()),
        ("amount", "99.00"),
        ("reason", "x"),
    ];
    let (code, body) = server_fn(&s, "admin_refund", &student, &form).await;
    assert_ne!(code, 200, "{body}");
    assert!(body.contains("无权访问商户后台"), "{body}");
    let (code, body) = server_fn(&s, "admin_orders", &student, &[("search", "")]).await;
    assert!(code != 200 && body.contains("无权访问商户后台"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_writes_are_refused() {
    let s = start().await;
    let login = |origin: Option<&'static str>, path: &'static str| {
        let mut req = s
            .http
            .post(s.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("username=student&password=coursepay123&next=/");
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        req.send()
    };
    for path in ["/api/login", "/user/login", "/api/cancel_order"] {
        let r = login(Some("https://evil.example"), path).await.unwrap();
        assert_eq!(r.status(), 403, "{path}");
        assert_eq!(r.text().await.unwrap(), "跨站请求被拒绝");
        let r = login(Some("null"), path).await.unwrap();
        assert_eq!(r.status(), 403, "{path}");
    }
    let same = s.base.clone().leak() as &'static str;
    for origin in [Some(same), None] {
        let status = login(origin, "/api/login").await.unwrap().status();
        assert!(
            status.is_success() || status.is_redirection(),
            "{origin:?}: {status}"
        );
    }
    // Alipay posts notifies server to server, from wherever it likes.
    let r = login(Some("https://notify.alipay.example"), "/order/notify")
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "failure");
    // Reading is never refused.
    let r = s
        .http
        .get(s.url("/"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
