//! Login brute force over HTTP: case twins, parallel bursts, a stranger trying to lock the owner
//! out, and who may say where a client is (X-Forwarded-For only from a trusted proxy).
use serde_json::json;

use crate::common::{Server, start, start_with};

/// POST /user/login as the client behind `forwarded_for` (if any); returns the status.
async fn json_login(s: &Server, user: &str, password: &str, forwarded_for: Option<&str>) -> u16 {
    let mut req = s
        .http
        .post(s.url("/user/login"))
        .json(&json!({"username": user, "password": password}));
    if let Some(xff) = forwarded_for {
        // From bytes: non-ASCII garbage goes on the wire as it is.
        let value = reqwest::header::HeaderValue::from_bytes(xff.as_bytes()).unwrap();
        req = req.header("x-forwarded-for", value);
    }
    req.send().await.unwrap().status().as_u16()
}

/// The login server function, as a form post, from behind `forwarded_for`: (status, body).
async fn fn_login(s: &Server, user: &str, password: &str, forwarded_for: &str) -> (u16, String) {
    let body = format!("username={user}&password={password}&next=%2F");
    let r = s
        .http
        .post(s.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-forwarded-for", forwarded_for)
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn register(s: &Server, user: &str) -> (u16, String) {
    let r = s
        .http
        .post(s.url("/user/register"))
        .json(&json!({"username": user, "password": "password123"}))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_twin_cannot_be_registered_and_shares_the_counter() {
    let s = start().await;
    assert_eq!(register(&s, "victim_1").await.0, 201);
    for twin in ["VICTIM_1", "Victim_1", "victiM_1"] {
        let (code, body) = register(&s, twin).await;
        assert_eq!(code, 400, "{twin}: {body}");
        assert!(body.contains("用户名已被注册"), "{body}");
    }
    for name in ["victim_1", "VICTIM_1", "victim_1", "Victim_1", "VICTIM_1"] {
        assert_eq!(
            json_login(&s, name, "wrong-guess", None).await,
            401,
            "{name}"
        );
    }
    assert_eq!(json_login(&s, "victim_1", "password123", None).await, 429);
    assert_eq!(json_login(&s, "ViCtIm_1", "password123", None).await, 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parallel_burst_reaches_the_password_check_at_most_five_times() {
    let s = start().await;
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (http, url) = (s.http.clone(), s.url("/user/login"));
            tokio::spawn(async move {
                let body = json!({"username": "student", "password": "wrong-guess"});
                http.post(url)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap());
    }
    let checked = codes.iter().filter(|c| **c == 401).count();
    assert!(checked <= 5, "{checked} password checks: {codes:?}");
    assert!(codes.iter().all(|c| *c == 401 || *c == 429), "{codes:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_logs_in_from_another_address_while_a_stranger_is_locked() {
    let s = start_with(&["--trusted-proxies", "127.0.0.1, ::1"]).await;
    // Four strangers each use up their five guesses: twenty failures on the account.
    for i in 1..=4 {
        let stranger = format!("198.51.100.{i}");
        for _ in 0..5 {
            assert_eq!(
                json_login(&s, "student", "wrong-guess", Some(&stranger)).await,
                401
            );
        }
    }
    // Past that, a fifth stranger gets one guess before the account refuses them too.
    let fifth = Some("198.51.100.5");
    assert_eq!(json_login(&s, "student", "wrong-guess", fifth).await, 401);
    assert_eq!(json_login(&s, "student", "wrong-guess", fifth).await, 429);
    // The strangers are locked, right password or not, through either door.
    assert_eq!(
        json_login(&s, "student", "coursepay123", Some("198.51.100.1")).await,
        429
    );
    let (code, body) = fn_login(&s, "student", "coursepay123", "198.51.100.2").await;
    assert!(
        code != 200 && body.contains("登录失败次数过多"),
        "{code} {body}"
    );
    // The owner, from home, is not.
    assert_eq!(
        json_login(&s, "student", "coursepay123", Some("192.0.2.10")).await,
        200
    );
    let (code, body) = fn_login(&s, "student", "coursepay123", "2001:db8::10").await;
    assert_eq!(code, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_for_counts_only_from_a_trusted_proxy() {
    // No trusted proxy: the header is the attacker's, the peer (127.0.0.1) is the client, so
    // rotating it neither escapes the lock nor picks another address.
    let direct = start().await;
    for i in 1..=5 {
        let fake = format!("198.51.100.{i}");
        assert_eq!(
            json_login(&direct, "student", "wrong", Some(&fake)).await,
            401
        );
    }
    assert_eq!(
        json_login(&direct, "student", "wrong", Some("198.51.100.6")).await,
        429
    );
    assert_eq!(
        json_login(&direct, "student", "coursepay123", Some("192.0.2.10")).await,
        429
    );

    // Behind a trusted proxy: the right-most untrusted address is the client; what the client
    // wrote on the left does not matter.
    let proxied = start_with(&["--trusted-proxies", "127.0.0.0/8"]).await;
    for _ in 0..5 {
        let xff = "192.0.2.10, 203.0.113.5, 127.0.0.2";
        assert_eq!(
            json_login(&proxied, "student", "wrong", Some(xff)).await,
            401
        );
    }
    for xff in [
        "203.0.113.5",
        "192.0.2.99, 203.0.113.5:4567",
        " 203.0.113.5 , 127.0.0.9",
    ] {
        assert_eq!(
            json_login(&proxied, "student", "coursepay123", Some(xff)).await,
            429,
            "{xff}"
        );
    }
    assert_eq!(
        json_login(
            &proxied,
            "student",
            "coursepay123",
            Some("203.0.113.5, 192.0.2.10")
        )
        .await,
        200
    );
    // Garbage from behind the proxy: counted as the proxy itself, never a 500.
    for garbage in [
        "",
        "unknown",
        "1.2.3.4\t",
        "%31.2.3.4",
        "[::1",
        "１.２.３.４",
    ] {
        let code = json_login(&proxied, "student", "coursepay123", Some(garbage)).await;
        assert!(code == 200 || code == 429, "{garbage:?}: {code}");
    }
}
