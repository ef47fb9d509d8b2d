//! The standalone binary: --help, its own keys and SQLite file, and a kill -9 mid-schedule that loses
//! no delivery.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::*;
use alipay::keys::{KeyRole, PublicKey};

const BIN: &str = env!("CARGO_BIN_EXE_alipay-sandbox");

#[test]
fn help_documents_every_flag() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--port",
        "--data-dir",
        "--app-id",
        "--app-public-key-file",
        "--seller-id",
        "--clock-speed",
        "--drop-first-notifies",
        "--notify-copies",
        "--notify-delay-secs",
        "--notify-before-return",
        "--query-unknown",
        "--tamper",
        "--drop-all-notifies",
    ] {
        assert!(text.contains(flag), "--help lacks {flag}");
    }
}

/// Starts the binary; returns it and its gateway URL.
fn spawn(data: &Path, app_key_file: &Path) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args([
            "--port",
            "0",
            "--clock-speed",
            "36000",
            "--app-id",
            APP_ID,
            "--seller-id",
            SELLER_ID,
        ])
        .arg("--data-dir")
        .arg(data)
        .arg("--app-public-key-file")
        .arg(app_key_file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let gateway = line
        .trim()
        .strip_prefix("gateway: ")
        .expect("prints its gateway")
        .to_string();
    (child, gateway)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_and_restart_mid_schedule_loses_no_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let app_key_file = dir.path().join("app_public_key.pem");
    std::fs::write(&app_key_file, app_key().public_key().to_pem()).unwrap();
    let (mut child, gateway) = spawn(&data, &app_key_file);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("alipay_private_key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let spki = std::fs::read_to_string(data.join("alipay_public_key.txt")).unwrap();
    assert!(spki.starts_with("MIIBIjAN"));
    let alipay_key = PublicKey::parse(&spki, KeyRole::AlipayPublicKey).unwrap();

    let m = Merchant::start("failure").await;
    let p = signed_at(
        &gateway,
        page_pay_biz("bin_1", "9.90"),
        &[
            ("notify_url", &m.notify_url()),
            ("return_url", &m.return_url()),
        ],
    );
    let cashier = open_cashier(&format!("{gateway}?{}", encode(&p))).await;
    let ret = confirm(&cashier).await;
    alipay::callback::verify_return(ret.split_once('?').unwrap().1, &alipay_key).unwrap();

    // Attempt 6 lands ~0.34 s after the first, attempt 7 ~0.94 s: kill in between.
    eventually(20, || {
        let m = m.clone();
        async move { (m.notifies().len() >= 6).then_some(()) }
    })
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let before = m.notifies().len();
    assert!(before < 8);

    let (mut child, _) = spawn(&data, &app_key_file);
    eventually(30, || {
        let m = m.clone();
        async move { (m.notifies().len() >= 8).then_some(()) }
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let got = m.notifies();
    assert_eq!(got.len(), 8, "8 attempts in all across the restart");
    assert!(
        got.iter()
            .all(|n| n.params["notify_id"] == got[0].params["notify_id"])
    );
    for n in &got {
        alipay::callback::verify_notify(&n.body, &alipay_key).unwrap();
    }
}

/// A signed page-pay request whose timestamp is the real time (the binary's clock starts there).
fn signed_at(
    _gateway: &str,
    biz: serde_json::Value,
    extra: &[(&str, &str)],
) -> alipay::sign::Params {
    let mut p = alipay::sign::Params::new();
    for (k, v) in [
        ("app_id", APP_ID),
        ("method", "alipay.trade.page.pay"),
        ("charset", "utf-8"),
        ("version", "1.0"),
    ] {
        p.insert(k.into(), v.into());
    }
    p.insert(
        "timestamp".into(),
        alipay::clock::beijing(chrono::Utc::now()),
    );
    p.insert("biz_content".into(), biz.to_string());
    for (k, v) in extra {
        p.insert((*k).into(), (*v).into());
    }
    alipay::sign::sign_request(&mut p, app_key()).unwrap();
    p
}

#[test]
fn a_non_loopback_address_needs_allow_remote() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = Command::new(BIN)
        .args(["--host", "0.0.0.0", "--port", "0"])
        .arg("--data-dir")
        .arg(&data)
        .arg("--app-public-key-file")
        .arg(dir.path().join("missing.pem"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refusing to listen on 0.0.0.0") && err.contains("--allow-remote"),
        "{err}"
    );
    assert!(!data.exists(), "refused before creating anything");
}

#[test]
fn fault_counts_on_the_command_line_are_bounded() {
    for (flag, value) in [
        ("--notify-copies", "11"),
        ("--drop-first-notifies", "1001"),
        ("--notify-delay-secs", "601"),
        ("--clock-speed", "0"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(BIN)
            .args([flag, value, "--port", "0", "--app-public-key-file", "x.pem"])
            .arg("--data-dir")
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(!out.status.success(), "{flag} {value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(flag) && err.contains("not in"),
            "{flag}: {err}"
        );
    }
}
