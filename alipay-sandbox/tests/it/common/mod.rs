//! Shared test harness: keys, a recording merchant, a sandbox nested at /sandbox, and an HTTP buyer.

pub mod merchant;

use std::sync::OnceLock;
use std::time::Duration;

use alipay::keys::{PrivateKey, PublicKey};
use alipay::sign::Params;
use alipay_sandbox::{Faults, MerchantApp, Sandbox, SandboxConfig};

pub use merchant::Merchant;

pub const APP_ID: &str = "9021000000000001";
pub const SELLER_ID: &str = "2088721000000001";
pub const SELLER_EMAIL: &str = "merchant@alipaydev.com";

/// Keys are slow to generate: one pair each for the whole test binary.
pub fn keys() -> &'static (PrivateKey, PrivateKey) {
    static K: OnceLock<(PrivateKey, PrivateKey)> = OnceLock::new();
    K.get_or_init(|| {
        (
            PrivateKey::generate().expect("app key"),
            PrivateKey::generate().expect("alipay key"),
        )
    })
}

pub fn app_key() -> &'static PrivateKey {
    &keys().0
}

pub fn alipay_public() -> PublicKey {
    keys().1.public_key()
}

/// A sandbox served on 127.0.0.1:0, nested at /sandbox like the coursepay server does.
pub struct Running {
    pub sandbox: Sandbox,
    pub base: String,
    server: tokio::task::JoinHandle<()>,
}

impl Running {
    pub fn gateway(&self) -> String {
        format!("{}/gateway.do", self.base)
    }

    /// Stops serving and dispatching (the store keeps what is pending).
    pub fn stop(self) {
        self.sandbox.shutdown();
        self.server.abort();
    }
}

pub async fn start(database_url: &str, clock_speed: u32, faults: Faults) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let base = format!("http://{addr}/sandbox");
    let sandbox = Sandbox::start(SandboxConfig {
        public_base_url: base.clone(),
        database_url: database_url.to_string(),
        alipay_private_key: keys().1.clone(),
        apps: vec![MerchantApp {
            app_id: APP_ID.into(),
            app_public_key: app_key().public_key(),
            seller_id: SELLER_ID.into(),
            seller_email: SELLER_EMAIL.into(),
            name: "课程商店".into(),
        }],
        clock_speed,
        faults,
    })
    .await
    .expect("sandbox starts");
    let app = axum::Router::new().nest("/sandbox", sandbox.router());
    let server = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Running {
        sandbox,
        base,
        server,
    }
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

pub fn beijing_now(s: &Sandbox) -> String {
    alipay::clock::beijing(s.clock().now())
}

/// Public parameters for `method`, plus biz_content, signed by the merchant.
pub fn signed(s: &Sandbox, method: &str, biz: serde_json::Value, extra: &[(&str, &str)]) -> Params {
    let mut p = Params::new();
    for (k, v) in [
        ("app_id", APP_ID),
        ("method", method),
        ("format", "JSON"),
        ("charset", "utf-8"),
        ("version", "1.0"),
    ] {
        p.insert(k.into(), v.into());
    }
    p.insert("timestamp".into(), beijing_now(s));
    p.insert("biz_content".into(), biz.to_string());
    for (k, v) in extra {
        p.insert((*k).into(), (*v).into());
    }
    alipay::sign::sign_request(&mut p, app_key()).unwrap();
    p
}

pub fn encode(p: &Params) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in p {
        ser.append_pair(k, v);
    }
    ser.finish()
}

pub fn page_pay_biz(out_trade_no: &str, amount: &str) -> serde_json::Value {
    serde_json::json!({
        "out_trade_no": out_trade_no, "total_amount": amount, "subject": "Rust 入门课程",
        "product_code": "FAST_INSTANT_TRADE_PAY"
    })
}

/// A signed page-pay GET URL.
pub fn page_pay_url(r: &Running, out_trade_no: &str, amount: &str, m: &Merchant) -> String {
    let p = signed(
        &r.sandbox,
        "alipay.trade.page.pay",
        page_pay_biz(out_trade_no, amount),
        &[
            ("notify_url", &m.notify_url()),
            ("return_url", &m.return_url()),
        ],
    );
    format!("{}?{}", r.gateway(), encode(&p))
}

pub fn location(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Opens the cashier for `url`; returns the cashier URL.
pub async fn open_cashier(url: &str) -> String {
    let resp = http().get(url).send().await.unwrap();
    let code = resp.headers().get("x-sandbox-error-code").cloned();
    assert_eq!(
        resp.status(),
        302,
        "gateway error {code:?}: {}",
        resp.text().await.unwrap_or_default()
    );
    location(&resp)
}

/// Confirms payment at the cashier; returns the redirect (the signed return URL).
pub async fn confirm(cashier: &str) -> String {
    let resp = http()
        .post(format!("{cashier}/pay"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("account=sandbox_buyer%40alipaydev.com&password=111111")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 302);
    location(&resp)
}

/// Pays `out_trade_no` like a buyer; returns the return URL the browser is sent to.
pub async fn pay(r: &Running, m: &Merchant, out_trade_no: &str, amount: &str) -> String {
    let cashier = open_cashier(&page_pay_url(r, out_trade_no, amount, m)).await;
    confirm(&cashier).await
}

/// POSTs a signed OpenAPI request; returns the body text.
pub async fn api(r: &Running, method: &str, biz: serde_json::Value) -> String {
    let p = signed(&r.sandbox, method, biz, &[]);
    post_form(&r.gateway(), &encode(&p)).await
}

pub async fn post_form(url: &str, body: &str) -> String {
    http()
        .post(url)
        .header(
            "content-type",
            "application/x-www-form-urlencoded;charset=utf-8",
        )
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Verifies an OpenAPI answer with the alipay crate; returns the response object.
pub fn verified_answer(body: &str, method: &str) -> serde_json::Value {
    let key = alipay::openapi::response_key(method);
    let (raw, sign) = alipay::openapi::extract_response(body, &key).expect("response object");
    let sign = sign.expect("signed answer");
    alipay_public()
        .verify(raw.as_bytes(), &sign, alipay::sign::SignType::Rsa2)
        .expect("answer signature verifies");
    serde_json::from_str(raw).unwrap()
}

/// Polls `f` until it returns Some, for at most `secs` seconds.
pub async fn eventually<T, F, Fut>(secs: u64, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Verifies callbacks and answers with python-alipay-sdk; returns {name: bool}.
pub fn python_verify(
    callbacks: serde_json::Value,
    responses: serde_json::Value,
) -> serde_json::Value {
    use std::io::Write;
    let input = serde_json::json!({
        "app_id": APP_ID,
        "app_private_key": app_key().to_pkcs8_pem(),
        "alipay_public_key": alipay_public().to_pem(),
        "callbacks": callbacks,
        "responses": responses,
    });
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python_verify.py");
    let mut child = std::process::Command::new("python3")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python-alipay-sdk verification failed to run"
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
