//! `next` after a login posted without JavaScript: a hostile value never leaves the site and never
//! breaks the response.
use crate::common::{Server, start};

/// Posts the login form as a browser without JavaScript does; returns (status, Location).
async fn login_form(s: &Server, next: &str) -> (u16, Option<String>) {
    let body = format!(
        "username=student&password=coursepay123&next={}",
        super::urlencode(next)
    );
    let r = s
        .http
        .post(s.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html,application/xhtml+xml")
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{next:?}: no answer ({e})"));
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (r.status().as_u16(), location)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_next_redirects_home_and_never_panics() {
    let s = start().await;
    for next in [
        "/x\r\nSet-Cookie: token=evil",
        "/\n/evil.example",
        "/\t/evil.example",
        "/..//evil.example",
        "/%2F%2Fevil.example",
        "//evil.example",
        "https://evil.example",
        "/\0",
    ] {
        let (status, location) = login_form(&s, next).await;
        assert!(matches!(status, 302 | 303), "{next:?}: {status}");
        assert_eq!(location.as_deref(), Some("/"), "{next:?}");
    }
    let (status, location) = login_form(&s, "/course/1?x=a b").await;
    assert!(matches!(status, 302 | 303), "{status}");
    assert_eq!(location.as_deref(), Some("/course/1?x=a%20b"));
}
