//! Forged sessions against the HTTP API: every one answers 401.
use serde_json::{Value, json};
use shop::accounts::jwt::JwtKeys;

use crate::common::{JWT_SECRET, start};

fn b64url(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn segment(v: &Value) -> String {
    b64url(v.to_string().as_bytes())
}

#[test]
fn base64url_matches_the_rfc_vectors() {
    assert_eq!(b64url(b"f"), "Zg");
    assert_eq!(b64url(b"fo"), "Zm8");
    assert_eq!(b64url(b"foo"), "Zm9v");
    assert_eq!(b64url(&[0xfb, 0xff]), "-_8");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_sessions_are_refused() {
    let s = start().await;
    let genuine = s.login("student", "coursepay123").await;
    let keys = JwtKeys::new(JWT_SECRET.as_bytes(), chrono::Duration::hours(12)).unwrap();
    let claims = keys.verify(&genuine, chrono::Utc::now()).unwrap();
    let parts: Vec<&str> = genuine.split('.').collect();
    let now = chrono::Utc::now().timestamp();
    let admin_claims = json!({
        "sub": "1", "uid": 1, "username": "admin", "role": "admin", "iat": now, "exp": now + 3600
    });
    let expired = JwtKeys::new(JWT_SECRET.as_bytes(), chrono::Duration::hours(-2))
        .unwrap()
        .issue(
            claims.uid,
            &claims.username,
            claims.role,
            chrono::Utc::now(),
        )
        .unwrap();
    let wrong_key = JwtKeys::new(&[7u8; 32], chrono::Duration::hours(12))
        .unwrap()
        .issue(
            claims.uid,
            &claims.username,
            claims.role,
            chrono::Utc::now(),
        )
        .unwrap();
    let forged = [
        (
            "alg none",
            format!(
                "{}.{}.",
                segment(&json!({"alg": "none", "typ": "JWT"})),
                parts[1]
            ),
        ),
        (
            "alg none, admin",
            format!(
                "{}.{}.",
                segment(&json!({"alg": "none"})),
                segment(&admin_claims)
            ),
        ),
        (
            "swapped to HS384",
            format!(
                "{}.{}.{}",
                segment(&json!({"alg": "HS384", "typ": "JWT"})),
                parts[1],
                parts[2]
            ),
        ),
        (
            "swapped to RS256",
            format!(
                "{}.{}.{}",
                segment(&json!({"alg": "RS256", "typ": "JWT"})),
                parts[1],
                parts[2]
            ),
        ),
        (
            "tampered payload",
            format!("{}.{}.{}", parts[0], segment(&admin_claims), parts[2]),
        ),
        ("wrong key", wrong_key),
        ("expired", expired),
        ("garbage", "a.b.c".to_owned()),
    ];
    for (what, token) in forged {
        for path in ["/order/list", "/order/status/CP1"] {
            let r = s
                .http
                .get(s.url(path))
                .header("Authorization", format!("jwt {token}"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 401, "{what} on {path}");
        }
        let r = s
            .http
            .get(s.url("/order/list"))
            .header("cookie", format!("token={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{what} as a cookie");
    }
    let r = s
        .http
        .get(s.url("/order/list"))
        .header("Authorization", format!("jwt {genuine}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the genuine token still works");
}
