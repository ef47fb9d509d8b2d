//! The whole server in-process for HTTP tests: SQLite in a temp folder, the embedded sandbox
//! gateway, the real router on a loopback port.
#![allow(dead_code)]
use clap::Parser;
use coursepay::cli::Cli;
use serde_json::{Value, json};

/// The JWT secret every test server signs sessions with.
pub const JWT_SECRET: &str = "0123456789abcdef0123456789abcdef-test";

pub struct Server {
    pub base: String,
    pub http: reqwest::Client,
    pub dir: tempfile::TempDir,
}

pub async fn start() -> Server {
    start_with(&[]).await
}

/// [`start`] with more command-line settings (e.g. `--frontend csr --csr-dir ...`).
pub async fn start_with(extra: &[&str]) -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let db = format!("sqlite://{}/coursepay.db?mode=rwc", dir.path().display());
    let data_dir = dir.path().display().to_string();
    let mut args = vec![
        "coursepay",
        "--data-dir",
        &data_dir,
        "--database-url",
        &db,
        "--site-addr",
        &addr,
        "--jwt-secret",
        JWT_SECRET,
    ];
    args.extend_from_slice(extra);
    let cli = Cli::parse_from(args);
    let built = coursepay::server::build(&cli.config).await.expect("build");
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    // As `serve` does: every request carries its TCP peer, which the login throttle counts by.
    let app = built
        .app
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // A server that stops answering fails the test instead of hanging the suite.
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    Server {
        base: format!("http://{addr}"),
        http,
        dir,
    }
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GET `path` without credentials and parse the answer as JSON.
    pub async fn get_json(&self, path: &str) -> Value {
        let r = self.http.get(self.url(path)).send().await.unwrap();
        r.json().await.unwrap()
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let r = self
            .http
            .post(self.url("/user/login"))
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        r.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Registers and logs in a new student; returns the token.
    pub async fn new_student(&self, username: &str) -> String {
        let r = self
            .http
            .post(self.url("/user/register"))
            .json(&json!({"username": username, "password": "password123"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        self.login(username, "password123").await
    }

    /// Orders course 1 (¥99.00) as the holder of `token`; returns the `out_trade_no`.
    pub async fn order_course_1(&self, token: &str) -> String {
        let r = self
            .http
            .post(self.url("/order/pay"))
            .header("Authorization", format!("jwt {token}"))
            .json(&json!({"subject": "x", "total_amount": "99.00", "goods_pks": "1"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let url: String = r.json().await.unwrap();
        url.split("out_trade_no%22%3A%22")
            .nth(1)
            .unwrap()
            .split("%22")
            .next()
            .unwrap()
            .to_owned()
    }
}
