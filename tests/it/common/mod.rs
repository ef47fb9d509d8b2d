//! The whole server in-process for HTTP tests: SQLite in a temp folder, the embedded sandbox
//! gateway, the real router on a loopback port.
use clap::Parser;
use coursepay::cli::Cli;
use serde_json::{Value, json};

/// The JWT secret every test server signs sessions with.
pub const JWT_SECRET: &str = "0123456789abcdef0123456789abcdef-test";

pub struct Server {
    pub base: String,
    pub http: reqwest::Client,
    pub dir: tempfile::TempDir,
    /// Dropping the server (at the end of its test) stops its accept loop.
    _stop: tokio::sync::oneshot::Sender<()>,
}

pub async fn start() -> Server {
    start_with(&[]).await
}

/// [`start`] with more command-line settings (e.g. `--frontend csr --csr-dir ...`).
///
/// Every server of a test binary runs on one shared runtime, as in production, and no server is
/// built while another one renders: a Leptos page rendered while another server of the process was
/// being built sometimes never finished (measured in tests/it/ssr_runtimes.rs: 6 of 20 runs lost a
/// page; with builds kept apart from renders, 0 of 20). In production one server is built once,
/// before it serves. The listener is bound once, on port 0, before the server is built, so no
/// other test can take its port in between.
pub async fn start_with(extra: &[&str]) -> Server {
    let extra: Vec<String> = extra.iter().map(|s| (*s).to_owned()).collect();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (base, dir) = server_runtime()
        .spawn(async move {
            let dir = tempfile::tempdir().expect("temp dir");
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let addr = listener.local_addr().expect("local addr").to_string();
            let db = format!("sqlite://{}/coursepay.db?mode=rwc", dir.path().display());
            let data_dir = dir.path().display().to_string();
            let mut args = vec![
                "coursepay".to_owned(),
                "--data-dir".to_owned(),
                data_dir,
                "--database-url".to_owned(),
                db,
                "--site-addr".to_owned(),
                addr.clone(),
                "--jwt-secret".to_owned(),
                JWT_SECRET.to_owned(),
            ];
            args.extend(extra);
            let cli = Cli::parse_from(args);
            let built = {
                let _alone = BUILDS_APART.write().await;
                coursepay::server::build(&cli.config).await.expect("build")
            };
            let app = built.app.layer(axum::middleware::from_fn(
                |req, next: axum::middleware::Next| async move {
                    let _rendering = BUILDS_APART.read().await;
                    next.run(req).await
                },
            ));
            tokio::spawn(coursepay::listen::serve_on(
                listener,
                app,
                cli.config.limits,
                async move {
                    let _ = stopped.await;
                },
            ));
            (format!("http://{addr}"), dir)
        })
        .await
        .expect("the server starts");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // A server that stops answering fails the test instead of hanging the suite.
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    Server {
        base,
        http,
        dir,
        _stop: stop,
    }
}

/// Held for writing while a server is built, for reading while a request is served.
static BUILDS_APART: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

/// The runtime every in-process server of this test binary runs on (two workers, for life).
pub fn server_runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("test-servers")
            .enable_all()
            .build()
            .expect("the servers' runtime")
    })
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
