//! What this crate signs verifies in python-alipay-sdk (run live when python3 and the SDK exist).

use crate::common::{alipay_key, config, s, vectors};
use alipay::clock::FixedClock;
use alipay::pagepay::{OutTradeNo, PagePay};
use alipay::sign::{Params, sign_callback};
use std::io::Write;
use std::process::{Command, Stdio};

fn sdk_installed() -> bool {
    Command::new("python3")
        .args(["-c", "import alipay"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `None` when python3 or python-alipay-sdk is missing; a broken script fails the test.
fn python_verify(kind: &str, params: &Params, public_pem: &str) -> Option<bool> {
    if !sdk_installed() {
        eprintln!("python-alipay-sdk not installed: skipping the live python check");
        return None;
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/verify_with_python.py"
    );
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let input = serde_json::json!({
        "public_key": public_pem,
        "private_key": s(&vectors()["app"], "pkcs1_pem"),
        "kind": kind,
        "params": params,
    });
    child
        .stdin
        .take()?
        .write_all(input.to_string().as_bytes())
        .ok()?;
    let out = child.wait_with_output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    match text.trim() {
        "ok" => Some(true),
        "fail" => Some(false),
        _ => panic!(
            "verify_with_python.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

#[test]
fn python_verifies_our_page_pay_and_callbacks() {
    let cfg = config("");
    let pay = PagePay::builder(
        OutTradeNo::new("C_py_1").unwrap(),
        "12.30".parse().unwrap(),
        "Rust 课程 \"1\" {x} +",
    )
    .passback_params("a=1&b=2")
    .build()
    .unwrap();
    let clock = FixedClock(alipay::clock::parse_beijing("2024-01-02 03:04:05").unwrap());
    let params = pay.signed_params(&cfg, &clock).unwrap();
    let app_pub = s(&vectors()["app"], "public_spki_pem");
    let Some(ok) = python_verify("request", &params, app_pub) else {
        return;
    };
    assert!(ok, "python rejected our page-pay signature");
    let mut tampered = params.clone();
    tampered.insert("timestamp".into(), "2024-01-02 03:04:06".into());
    assert_eq!(python_verify("request", &tampered, app_pub), Some(false));

    let mut notify: Params =
        serde_json::from_value(vectors()["notifies"][0]["params"].clone()).unwrap();
    notify.insert("out_trade_no".into(), "C_py_1".into());
    sign_callback(&mut notify, &alipay_key()).unwrap();
    assert_eq!(
        python_verify(
            "callback",
            &notify,
            s(&vectors()["alipay"], "public_spki_pem")
        ),
        Some(true)
    );
}
