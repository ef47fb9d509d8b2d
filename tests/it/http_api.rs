//! The seed client's HTTP contract and the notify route, against the whole server in-process
//! (SQLite in a temp folder, the embedded sandbox gateway, the real router on a loopback port).

use crate::common::start;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_clients_contract_holds() {
    let s = start().await;
    let courses = s.get_json("/course/list").await;
    assert_eq!(courses[0]["name"], "Python 开发入门");
    assert_eq!(courses[0]["price"], "99.00");

    let r = s
        .http
        .post(format!("{}/user/register", s.base))
        .json(&json!({"username": "wang_wu", "password": "password123"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["username"], "wang_wu");
    let r = s
        .http
        .post(format!("{}/user/register", s.base))
        .json(&json!({"username": "wang_wu", "password": "password123"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["username"][0],
        "用户名已被注册"
    );
    let r = s
        .http
        .post(format!("{}/user/login", s.base))
        .json(&json!({"username": "wang_wu", "password": "nope-nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let token = s.login("wang_wu", "password123").await;
    let pay = |body: Value, auth: Option<String>| {
        let mut req = s.http.post(format!("{}/order/pay", s.base)).json(&body);
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        req.send()
    };
    let r = pay(
        json!({"subject": "x", "total_amount": "99.00", "goods_pks": "1"}),
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 401);
    let r = pay(
        json!({"subject": "x", "total_amount": "0.01", "goods_pks": "1"}),
        Some(format!("jwt {token}")),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["total_amount"][0],
        "价格被恶意篡改"
    );
    for pks in ["1,1", "999", "abc"] {
        let r = pay(
            json!({"total_amount": "99.00", "goods_pks": pks}),
            Some(format!("Bearer {token}")),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 400, "{pks}");
        assert!(r.json::<Value>().await.unwrap()["goods_pks"][0].is_string());
    }
    let r = s
        .http
        .post(format!("{}/order/pay", s.base))
        .header("Authorization", format!("jwt {token}"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    let r = pay(
        json!({"subject": "x", "total_amount": "99.00", "goods_pks": "1", "pay_type": 1}),
        Some(format!("jwt {token}")),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let url: String = r.json().await.unwrap();
    assert!(
        url.starts_with(&format!("{}/sandbox/gateway.do?", s.base)),
        "{url}"
    );
    let no = url
        .split("out_trade_no%22%3A%22")
        .nth(1)
        .unwrap()
        .split("%22")
        .next()
        .unwrap()
        .to_owned();

    let r = s
        .http
        .get(format!("{}/order/status/{no}", s.base))
        .header("Authorization", format!("jwt {token}"))
        .send()
        .await
        .unwrap();
    let st: Value = r.json().await.unwrap();
    assert_eq!(st["order_status"], 0);
    assert_eq!(st["total_amount"], "99.00");
    let list: Value = s
        .http
        .get(format!("{}/order/list", s.base))
        .header("Authorization", format!("jwt {token}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);

    // Another student sees nothing of it.
    let other = s.login("student", "coursepay123").await;
    let r = s
        .http
        .get(format!("{}/order/status/{no}", s.base))
        .header("Authorization", format!("jwt {other}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // A forged return is refused, and changes nothing.
    let forged = format!(
        "out_trade_no={no}&total_amount=99.00&trade_no=1&app_id=9021000000000001&sign=AAAA&sign_type=RSA2"
    );
    let r: Value = s
        .http
        .patch(format!("{}/order/success?{forged}", s.base))
        .header("Authorization", format!("jwt {token}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["status"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_notify_route_answers_plain_failure_for_bad_input_never_500() {
    let s = start().await;
    for body in [
        "",
        "a=1",
        "sign=%%%",
        "out_trade_no=CP1&trade_status=TRADE_SUCCESS&sign=AAAA",
    ] {
        let r = s
            .http
            .post(format!("{}/order/notify", s.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{body}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain")
        );
        assert_eq!(r.text().await.unwrap(), "failure");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_on_the_server() {
    let s = start().await;
    let html = s
        .http
        .get(format!("{}/", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Python 开发入门") && html.contains("¥") && html.contains("99.00"));
    let r = s
        .http
        .get(format!("{}/course/999", s.base))
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("课程不存在"));
    let r = s
        .http
        .get(format!("{}/nowhere", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_course_id_that_is_no_course_shows_the_no_such_course_page() {
    let s = start().await;
    let huge = "9".repeat(40);
    for id in ["999", "0", "-1", "abc", "1.5", "%20", huge.as_str()] {
        let r = s
            .http
            .get(s.url(&format!("/course/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{id}");
        let html = r.text().await.unwrap();
        assert!(html.contains("课程不存在"), "{id}");
        assert!(!html.contains("立即购买"), "{id}");
    }
    let html = s
        .http
        .get(s.url("/course/1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Python 开发入门") && html.contains("立即购买"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_are_refused() {
    let s = start().await;
    let big = "a=".to_owned() + &"x".repeat(coursepay::security::MAX_BODY_BYTES + 1);
    let r = s
        .http
        .post(format!("{}/order/notify", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_brute_force_is_slowed_down() {
    let s = start().await;
    let attempt = |pw: &'static str| {
        s.http
            .post(format!("{}/user/login", s.base))
            .json(&json!({"username": "student", "password": pw}))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(attempt("wrong-password").await.unwrap().status(), 401);
    }
    let r = attempt("coursepay123").await.unwrap();
    assert_eq!(r.status(), 429, "even the right password waits once locked");
    assert!(
        r.json::<Value>().await.unwrap()["detail"]
            .as_str()
            .unwrap()
            .contains("分钟后再试")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_fetches_the_logged_in_user_once() {
    let s = start().await;
    let token = s.login("student", "coursepay123").await;
    let html = s
        .http
        .get(s.url("/course/1"))
        .header("cookie", format!("token={token}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // Both the header and the course page show who is logged in.
    assert!(html.contains(r#"data-testid="username" class="username">student<"#));
    assert!(
        html.contains(r#"name="goods_pks""#),
        "the logged-in student's buy form"
    );
    // The resources the page resolved go to the browser once each: the user only once.
    let user = r#"\"username\":\"student\""#;
    assert_eq!(html.matches(user).count(), 1, "{html}");
}
