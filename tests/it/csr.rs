//! `COURSEPAY_FRONTEND=csr`: the server hands out the client-side build (a stand-in for Trunk's
//! output, written here) and keeps its server functions, notify route and JSON API.

use serde_json::Value;

const INDEX: &str = "<!DOCTYPE html><html><head><script type=module src=/app-5e1a9c0b7d3f2a11.js></script></head><body></body></html>";

/// A fake Trunk build: index.html, one content-hashed file (with a brotli twin) and a favicon.
fn dist() -> tempfile::TempDir {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), INDEX).unwrap();
    std::fs::write(dist.path().join("app-5e1a9c0b7d3f2a11.js"), "export {};").unwrap();
    std::fs::write(
        dist.path().join("app-5e1a9c0b7d3f2a11.js.br"),
        b"\x0b\x04\x80export {};\x03",
    )
    .unwrap();
    std::fs::write(dist.path().join("favicon.ico"), [0u8; 4]).unwrap();
    dist
}

async fn csr_server(dist: &tempfile::TempDir) -> crate::common::Server {
    let dir = dist.path().display().to_string();
    crate::common::start_with(&["--frontend", "csr", "--csr-dir", &dir]).await
}

#[tokio::test]
async fn page_routes_get_index_html_that_is_always_revalidated() {
    let dist = dist();
    let s = csr_server(&dist).await;
    for path in [
        "/",
        "/course/1",
        "/orders",
        "/login?next=/admin",
        "/pay/success?out_trade_no=x&sign=y",
    ] {
        let r = s.http.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["cache-control"], "no-cache", "{path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(
            r.headers().contains_key("content-security-policy"),
            "{path}"
        );
        assert_eq!(
            r.text().await.unwrap(),
            INDEX,
            "{path}: not the server-rendered page"
        );
    }
}

#[tokio::test]
async fn an_unknown_path_is_a_404_that_still_shows_the_app() {
    let dist = dist();
    let s = csr_server(&dist).await;
    for path in ["/no/such/page", "/course", "/missing-0123456789abcdef.js"] {
        let r = s.http.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
        assert_eq!(
            r.text().await.unwrap(),
            INDEX,
            "{path}: the app renders 页面不存在"
        );
    }
}

#[tokio::test]
async fn hashed_files_are_cached_for_good_and_served_precompressed() {
    let dist = dist();
    let s = csr_server(&dist).await;
    let r = s
        .http
        .get(s.url("/app-5e1a9c0b7d3f2a11.js"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(r.headers()["content-encoding"], "br");
    assert_eq!(
        r.headers()["vary"],
        "accept-encoding",
        "shared caches key on it"
    );
    // A revalidation keeps the caching rule.
    let modified = r.headers()["last-modified"].clone();
    let again = s
        .http
        .get(s.url("/app-5e1a9c0b7d3f2a11.js"))
        .header("if-modified-since", modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(
        again.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let plain = s
        .http
        .get(s.url("/app-5e1a9c0b7d3f2a11.js"))
        .send()
        .await
        .unwrap();
    assert!(!plain.headers().contains_key("content-encoding"));
    assert_eq!(plain.text().await.unwrap(), "export {};");
    let icon = s.http.get(s.url("/favicon.ico")).send().await.unwrap();
    assert_eq!(icon.status(), 200);
    assert_eq!(
        icon.headers()["cache-control"],
        "no-cache",
        "an unhashed file may change"
    );
}

#[tokio::test]
async fn server_functions_and_the_json_api_still_answer() {
    let dist = dist();
    let s = csr_server(&dist).await;
    let r = s
        .http
        .post(s.url("/api/list_courses"))
        .header("origin", &s.base)
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_ne!(
        r.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("public, max-age=31536000, immutable")
    );
    let courses: Value = r.json().await.unwrap();
    assert_eq!(courses.as_array().unwrap().len(), 6);
    let list = s.get_json("/course/list").await;
    assert!(list.to_string().contains("Python"), "{list}");
    let token = s.login("student", "coursepay123").await;
    assert!(!token.is_empty());
    // An error keeps its own status here too.
    let r = s
        .http
        .post(s.url("/api/my_orders"))
        .header("origin", &s.base)
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn server_functions_called_cross_site_are_refused() {
    let dist = dist();
    let s = csr_server(&dist).await;
    let r = s
        .http
        .post(s.url("/api/login"))
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=student&password=coursepay123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn a_missing_build_is_a_clear_start_error() {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().display().to_string();
    let cli = <coursepay::cli::Cli as clap::Parser>::parse_from([
        "coursepay",
        "--data-dir",
        &dir,
        "--frontend",
        "csr",
        "--csr-dir",
        &dir,
    ]);
    let err = coursepay::server::build(&cli.config)
        .await
        .err()
        .expect("must not start");
    let msg = err.to_string();
    assert!(
        msg.contains("COURSEPAY_CSR_DIR") && msg.contains("trunk build --release"),
        "{msg}"
    );
}

/// The inline loader as Trunk writes it, and a second inline script with CRLF and non-ASCII text.
const LOADER: &str = "\nimport init, * as bindings from '/coursepay-csr-1a2b3c.js';\nconst wasm = await init({ module_or_path: '/coursepay-csr-1a2b3c_bg.wasm' });\nwindow.wasmBindings = bindings;\ndispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {detail: {wasm}}));\n";
const SECOND: &str = "\r\n  console.log('课程 \u{2028}');\t\r\n";

fn sha256_source(script: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[tokio::test]
async fn the_builds_inline_scripts_are_allowed_by_hash_and_nothing_else_inline() {
    let dist = dist();
    let index = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <link rel=\"modulepreload\" href=\"/coursepay-csr-1a2b3c.js\" crossorigin=\"anonymous\">\
         <script type=\"module\">{LOADER}</script><SCRIPT>{SECOND}</SCRIPT>\
         <script src=\"/app-5e1a9c0b7d3f2a11.js\" type=\"module\"></script></head>\
         <body><noscript><p style=\"padding: 2rem\">需要 JavaScript</p></noscript></body></html>"
    );
    std::fs::write(dist.path().join("index.html"), &index).unwrap();
    let s = csr_server(&dist).await;
    for path in ["/", "/course/1", "/no/such/page"] {
        let r = s.http.get(s.url(path)).send().await.unwrap();
        let policy = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(r.text().await.unwrap(), index, "{path}");
        let script_src = policy
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src "))
            .unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{policy}");
        let mut hashes: Vec<&str> = script_src
            .split_ascii_whitespace()
            .filter(|s| s.starts_with("'sha256-"))
            .collect();
        hashes.sort_unstable();
        let mut expected = vec![sha256_source(LOADER), sha256_source(SECOND)];
        expected.sort_unstable();
        assert_eq!(hashes, expected, "{path}: {policy}");
    }
    // Not on answers that are not HTML.
    let r = s.http.get(s.url("/course/list")).send().await.unwrap();
    let policy = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        policy.contains("script-src 'self' 'wasm-unsafe-eval';") && !policy.contains("sha256-"),
        "{policy}"
    );
}

/// A browser revalidates index.html on every navigation and merges the 304's headers into the
/// page it cached: a 304 that carried the strict non-HTML policy replaced the page's hashes and
/// blocked its loader on every second visit. A 304 carries no policy, so the cached one stays.
#[tokio::test]
async fn a_revalidated_index_keeps_the_policy_of_the_page_it_revalidates() {
    let dist = dist();
    let index = format!(
        "<!DOCTYPE html><html><head><script type=\"module\">{LOADER}</script></head></html>"
    );
    std::fs::write(dist.path().join("index.html"), index).unwrap();
    let s = csr_server(&dist).await;
    for path in ["/", "/orders"] {
        let first = s.http.get(s.url(path)).send().await.unwrap();
        assert_eq!(first.status(), 200);
        assert!(
            first.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("'sha256-")
        );
        let modified = first.headers()["last-modified"].clone();
        let again = s
            .http
            .get(s.url(path))
            .header("if-modified-since", modified)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert!(
            !again.headers().contains_key("content-security-policy"),
            "{path}: a 304 must not replace the cached page's policy: {:?}",
            again.headers()["content-security-policy"]
        );
    }
}
