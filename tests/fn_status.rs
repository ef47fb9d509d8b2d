//! Server functions answer an error with the status it deserves (401/403/400), and 500 only for a
//! server failure; the JSON body the browser app decodes is unchanged.
mod common;

use serde_json::Value;

async fn call(s: &common::Server, name: &str, form: &str, cookie: Option<&str>) -> (u16, Value) {
    let mut req = s
        .http
        .post(s.url(&format!("/api/{name}")))
        .header("origin", &s.base)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_owned());
    if let Some(token) = cookie {
        req = req.header("cookie", format!("token={token}"));
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

#[tokio::test]
async fn each_error_gets_its_own_status() {
    let s = common::start().await;
    let (status, body) = call(&s, "my_orders", "", None).await;
    assert_eq!((status, body), (401, Value::from("Unauthenticated")));

    let (status, body) = call(
        &s,
        "login",
        "username=student&password=wrong-password&next=/",
        None,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("用户名或密码错误"), "{body}");

    let student = s.login("student", "coursepay123").await;
    let (status, body) = call(&s, "admin_orders", "status=-1&search=", Some(&student)).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.to_string().contains("无权访问商户后台"), "{body}");

    let (status, body) = call(&s, "my_orders", "", Some(&student)).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.is_array());
}

#[tokio::test]
async fn a_plain_form_post_still_redirects() {
    let s = common::start().await;
    let r = s
        .http
        .post(s.url("/api/login"))
        .header("origin", &s.base)
        .header("accept", "text/html")
        .header("referer", s.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=student&password=wrong-password&next=/")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        302,
        "JavaScript off: back to the form, which shows the error"
    );
}
