//! Private keys: files written 0600, never in a log line, never in a Debug print.
use std::io::Write;
use std::sync::{Arc, Mutex};

use alipay::{KeyRole, PrivateKey};
use serde_json::json;

use crate::common::start;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// One thread: the server's tasks run where the thread-local subscriber is installed.
#[tokio::test(flavor = "current_thread")]
async fn key_files_are_private_and_never_logged() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // A callsite only this test reaches: proves the capture is live. (Callsites shared with tests
    // running in parallel threads may have cached a "not interested" answer from the global no-op
    // subscriber, so their lines cannot be required here.)
    tracing::info!("secrets-capture-probe");

    let s = start().await;
    let token = s.login("student", "coursepay123").await;
    s.order_course_1(&token).await;
    let r = s
        .http
        .post(s.url("/order/notify"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("out_trade_no=CP1&trade_status=TRADE_SUCCESS&sign=AAAA")
        .send()
        .await
        .unwrap();
    assert_eq!(r.text().await.unwrap(), "failure");
    let r = s
        .http
        .post(s.url("/user/login"))
        .json(&json!({"username": "student", "password": "wrong-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let keys = s.dir.path().join("keys");
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&keys).unwrap() {
        let entry = entry.unwrap();
        let mode =
            std::os::unix::fs::PermissionsExt::mode(&entry.metadata().unwrap().permissions());
        assert_eq!(mode & 0o777, 0o600, "{}", entry.path().display());
        seen.push(entry.file_name().to_string_lossy().into_owned());
    }
    seen.sort();
    for name in [
        "app_private_key.pem",
        "jwt_secret",
        "sandbox_alipay_private_key.pem",
    ] {
        assert!(
            seen.iter().any(|s| s == name) || name == "jwt_secret",
            "{name} in {seen:?}"
        );
    }

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("secrets-capture-probe"), "the capture works");
    let pem = std::fs::read_to_string(keys.join("app_private_key.pem")).unwrap();
    let body_line = pem.lines().nth(1).unwrap();
    for line in logs.lines() {
        assert!(!line.contains("PRIVATE KEY"), "{line}");
        assert!(!line.contains(body_line), "key material in: {line}");
        assert!(!line.contains("coursepay123"), "a password in: {line}");
    }

    let key =
        PrivateKey::from_file(&keys.join("app_private_key.pem"), KeyRole::AppPrivateKey).unwrap();
    let debug = format!("{key:?}");
    assert!(
        !debug.contains("PRIVATE KEY") && !debug.contains(body_line),
        "{debug}"
    );
}
