//! Sessions over HTTP: the cookie on an https site, and tokens that stop working when they should
//! (logout, a role taken away).
use serde_json::{Value, json};
use shop::accounts::jwt::JwtKeys;

use crate::common::{JWT_SECRET, Server, start, start_with};

async fn list_status(s: &Server, token: &str) -> u16 {
    let r = s
        .http
        .get(s.url("/order/list"))
        .header("Authorization", format!("jwt {token}"))
        .send()
        .await
        .unwrap();
    r.status().as_u16()
}

/// Calls a server function with `cookie` as the Cookie header: (status, body, Set-Cookie).
async fn call(s: &Server, name: &str, cookie: &str, form: &str) -> (u16, String, String) {
    let r = s
        .http
        .post(s.url(&format!("/api/{name}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", cookie)
        .body(form.to_owned())
        .send()
        .await
        .unwrap();
    let set = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap_or("").to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    (r.status().as_u16(), r.text().await.unwrap(), set)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_site_sets_a_secure_host_prefixed_cookie() {
    let s = start_with(&["--public-base-url", "https://shop.example"]).await;
    let r = s
        .http
        .post(s.url("/user/login"))
        .json(&json!({"username": "student", "password": "coursepay123"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    let token = r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    for part in [
        "__Host-token=",
        "; Secure",
        "; Path=/;",
        "; HttpOnly",
        "; SameSite=Lax",
    ] {
        assert!(cookie.contains(part), "{part} missing: {cookie}");
    }
    assert!(
        cookie.starts_with("__Host-token=") && !cookie.contains("Domain"),
        "{cookie}"
    );

    // The server function sets the same cookie, and the server reads it back.
    let form = "username=student&password=coursepay123&next=%2F";
    let (code, body, set) = call(&s, "login", "", form).await;
    assert_eq!(code, 200, "{body}");
    assert!(
        set.starts_with("__Host-token=") && set.contains("; Secure"),
        "{set}"
    );
    let r = s
        .http
        .get(s.url("/order/list"))
        .header("cookie", format!("__Host-token={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, _, cleared) = call(&s, "logout", &format!("__Host-token={token}"), "").await;
    assert!(
        cleared.starts_with("__Host-token=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );

    // Over plain http the cookie stays `token` without Secure.
    let plain = start().await;
    let (code, _, set) = call(&plain, "login", "", form).await;
    assert_eq!(code, 200);
    assert!(
        set.starts_with("token=") && !set.contains("Secure"),
        "{set}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_revokes_a_token_copied_before() {
    let s = start().await;
    let token = s.login("student", "coursepay123").await;
    let copied = token.clone();
    assert_eq!(list_status(&s, &copied).await, 200);
    let (code, body, _) = call(&s, "logout", &format!("token={token}"), "").await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(
        list_status(&s, &copied).await,
        401,
        "the copied token still works"
    );
    let (_, body, _) = call(&s, "current_user", &format!("token={copied}"), "").await;
    assert_eq!(body, "null", "{body}");
    // Logging in again gives a working token.
    let fresh = s.login("student", "coursepay123").await;
    assert_eq!(list_status(&s, &fresh).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demoted_admin_loses_the_console_at_once() {
    use sea_orm::ConnectionTrait;
    let s = start().await;
    let password = std::fs::read_to_string(s.dir.path().join("keys/admin_password")).unwrap();
    let token = s.login("admin", password.trim()).await;
    let admin_id = JwtKeys::new(JWT_SECRET.as_bytes(), chrono::Duration::hours(12))
        .unwrap()
        .verify(&token, chrono::Utc::now())
        .unwrap()
        .uid;
    let cookie = format!("token={token}");
    let form = "search=";
    assert_eq!(call(&s, "admin_orders", &cookie, form).await.0, 200);
    assert_eq!(
        call(&s, "admin_orders", &cookie, "status=1&search=")
            .await
            .0,
        200
    );
    // A code that names no status is refused, not read as "every status".
    for hostile in ["status=-1&search=", "status=99&search=", "status=5&search="] {
        let (code, body, _) = call(&s, "admin_orders", &cookie, hostile).await;
        assert_eq!(code, 400, "{hostile}: {body}");
    }

    // The role taken away in the database: the token still says admin, the console says no.
    let url = format!("sqlite://{}/coursepay.db", s.dir.path().display());
    let db = shop::db::connect(&url).await.unwrap();
    let sql = format!(r#"UPDATE "user" SET role = 'student' WHERE id = {admin_id}"#);
    db.execute_unprepared(&sql).await.unwrap();
    let (code, body, _) = call(&s, "admin_orders", &cookie, form).await;
    assert_eq!(code, 403, "{body}");
    assert!(body.contains("无权访问商户后台"), "{body}");

    // Promoted again, then demoted the supported way: the session itself ends.
    shop::accounts::set_role(&db, admin_id, shop::accounts::Role::Admin)
        .await
        .unwrap();
    let token = s.login("admin", password.trim()).await;
    let cookie = format!("token={token}");
    assert_eq!(call(&s, "admin_orders", &cookie, form).await.0, 200);
    shop::accounts::set_role(&db, admin_id, shop::accounts::Role::Student)
        .await
        .unwrap();
    let (code, body, _) = call(&s, "admin_orders", &cookie, form).await;
    assert_eq!(code, 401, "{body}");
    assert_eq!(list_status(&s, &token).await, 401);
}
