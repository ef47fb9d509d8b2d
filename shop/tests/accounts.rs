mod common;

use shop::ShopError;
use shop::accounts::jwt::JwtKeys;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_then_login_and_bad_credentials() {
    for t in common::backends().await {
        let a = shop::accounts::register(&t.db, "小明_01", "password123")
            .await
            .expect("register");
        assert_eq!(a.role, "student");
        let again = shop::accounts::register(&t.db, "小明_01", "password123")
            .await
            .unwrap_err();
        assert!(matches!(again, ShopError::UsernameTaken), "{}", t.backend);
        assert_eq!(
            shop::accounts::login(&t.db, "小明_01", "password123")
                .await
                .expect("login")
                .id,
            a.id
        );
        for (u, p) in [("小明_01", "wrong-password"), ("nobody", "password123")] {
            let e = shop::accounts::login(&t.db, u, p).await.unwrap_err();
            assert_eq!(e.to_string(), "用户名或密码错误", "{}", t.backend);
        }
        for (u, p) in [
            ("ab", "password123"),
            ("<script>", "password123"),
            ("valid_name", "short"),
        ] {
            assert!(shop::accounts::register(&t.db, u, p).await.is_err(), "{u}");
        }
    }
}

#[test]
fn tokens_with_alg_none_another_key_a_tampered_payload_or_expired_are_refused() {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let keys = JwtKeys::new(&[1u8; 32], chrono::Duration::hours(1)).unwrap();
    let good = keys.issue(7, "student", "student").unwrap();
    assert_eq!(keys.verify(&good).unwrap().uid, 7);

    let other = JwtKeys::new(&[2u8; 32], chrono::Duration::hours(1)).unwrap();
    assert!(
        keys.verify(&other.issue(7, "student", "admin").unwrap())
            .is_err(),
        "another key"
    );

    let parts: Vec<&str> = good.split('.').collect();
    let payload = String::from_utf8(b64.decode(parts[1]).unwrap())
        .unwrap()
        .replace("\"student\"", "\"admin\"");
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        b64.encode(payload.as_bytes()),
        parts[2]
    );
    assert!(keys.verify(&tampered).is_err(), "tampered payload");

    let none = format!(
        "{}.{}.",
        b64.encode(br#"{"alg":"none","typ":"JWT"}"#),
        parts[1]
    );
    assert!(keys.verify(&none).is_err(), "alg none");

    let expired = JwtKeys::new(&[1u8; 32], chrono::Duration::seconds(-10)).unwrap();
    assert!(
        keys.verify(&expired.issue(7, "student", "student").unwrap())
            .is_err(),
        "expired"
    );
}
