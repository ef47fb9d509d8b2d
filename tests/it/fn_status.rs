//! Server functions answer an error with the status it deserves (401/403/400, 503 with
//! `Retry-After`), and 500 only for a server failure; the JSON body the browser app decodes is
//! unchanged. Pages whose server functions fail while they render keep their own status.

use std::pin::pin;
use std::task::{Context, Poll, Waker};

use app::AppError;
use axum::http::{HeaderValue, Request, StatusCode, header};
use leptos::prelude::{Owner, provide_context};
use leptos_axum::ResponseOptions;
use serde_json::Value;

async fn call(
    s: &crate::common::Server,
    name: &str,
    form: &str,
    cookie: Option<&str>,
) -> (u16, Value) {
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
    let s = crate::common::start().await;
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
    let s = crate::common::start().await;
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

#[tokio::test]
async fn a_page_whose_server_function_fails_keeps_its_status() {
    let s = crate::common::start().await;
    // `my_orders` refuses a visitor who is not logged in while the page renders.
    let r = s.http.get(s.url("/orders")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("请先登录"));
}

/// What `with_status` sets on the answer to a request for `path` with `headers` when the server
/// function's body returns `result`: (status, `Retry-After`), and the result passed on unchanged.
fn answer(
    path: &str,
    headers: &[(header::HeaderName, &str)],
    result: Result<u8, AppError>,
) -> (Option<StatusCode>, Option<HeaderValue>) {
    let mut req = Request::builder().method("POST").uri(path);
    for (name, value) in headers {
        req = req.header(name, *value);
    }
    let (parts, ()) = req.body(()).unwrap().into_parts();
    let response = ResponseOptions::default();
    let passed = Owner::new().with(|| {
        provide_context(parts);
        provide_context(response.clone());
        let body = result.clone();
        let mut call = pin!(app::api::with_status(async move { body }));
        match call.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(r) => r,
            Poll::Pending => panic!("the body is ready at once"),
        }
    });
    assert_eq!(passed, result, "the result is passed on unchanged");
    let set = response.0.read().unwrap();
    (set.status, set.headers.get(header::RETRY_AFTER).cloned())
}

#[test]
fn each_error_sets_its_status_on_a_server_function_call() {
    for (err, status) in [
        (AppError::Unauthenticated, 401),
        (AppError::Forbidden("无权访问".into()), 403),
        (
            AppError::Invalid {
                field: "amount".into(),
                message: "退款金额格式错误".into(),
            },
            400,
        ),
        (AppError::Message("课程不存在".into()), 400),
        (AppError::Internal("db down".into()), 500),
        (AppError::Transport("decode".into()), 500),
    ] {
        let set = answer("/api/f", &[], Err(err.clone()));
        assert_eq!(
            set,
            (Some(StatusCode::from_u16(status).unwrap()), None),
            "{err:?}"
        );
    }
}

#[test]
fn a_busy_server_answers_503_with_retry_after() {
    let set = answer("/api/login", &[], Err(AppError::Busy(2)));
    assert_eq!(
        set,
        (
            Some(StatusCode::SERVICE_UNAVAILABLE),
            Some(HeaderValue::from_static("2"))
        )
    );
}

#[test]
fn success_page_renders_and_form_posts_are_left_alone() {
    assert_eq!(answer("/api/my_orders", &[], Ok(7)), (None, None));
    // A page render: the server function runs inside the page's request.
    let err = || Err(AppError::Unauthenticated);
    assert_eq!(answer("/orders", &[], err()), (None, None));
    assert_eq!(answer("/apix/f", &[], err()), (None, None));
    // A plain form post (JavaScript off) goes back to its form with leptos' 302.
    let form = [
        (header::ACCEPT, "text/html,application/xhtml+xml"),
        (header::REFERER, "http://127.0.0.1/login"),
    ];
    assert_eq!(answer("/api/login", &form, err()), (None, None));
    // Without a `Referer` leptos has nowhere to send it back: the error keeps its status.
    let set = answer("/api/login", &form[..1], err());
    assert_eq!(set, (Some(StatusCode::UNAUTHORIZED), None));
}
