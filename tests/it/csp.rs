//! Content-Security-Policy without `'unsafe-inline'` for scripts: every server-rendered page names
//! a fresh nonce that every one of its `<script>` elements carries; other answers allow no inline
//! script; HSTS exactly when the public URL is https.

use crate::common::Server;

/// The `script-src` directive of `policy`.
fn script_src(policy: &str) -> &str {
    policy
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src "))
        .unwrap_or_else(|| panic!("no script-src in {policy}"))
}

/// The one `'nonce-...'` source of `policy`'s script-src.
fn nonce_of(policy: &str) -> String {
    let nonces: Vec<&str> = script_src(policy)
        .split_ascii_whitespace()
        .filter_map(|s| s.strip_prefix("'nonce-")?.strip_suffix('\''))
        .collect();
    assert_eq!(nonces.len(), 1, "{policy}");
    assert!(
        nonces[0].len() >= 22,
        "a nonce of at least 128 bits: {policy}"
    );
    nonces[0].to_owned()
}

/// The `nonce` attribute of every `<script` tag of `html` (`None` for a script without one).
fn script_nonces(html: &str) -> Vec<Option<String>> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = lower[at..].find("<script") {
        let open = at + i;
        let end = lower[open..].find('>').map_or(html.len(), |j| open + j);
        let tag = &html[open..end];
        out.push(
            tag.find(" nonce=\"")
                .map(|k| &tag[k + 8..])
                .and_then(|v| v.split('"').next())
                .map(str::to_owned),
        );
        at = end;
    }
    out
}

async fn page(s: &Server, path: &str) -> (u16, String, String) {
    let r = s.http.get(s.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    let policy = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    (status, policy, r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_allow_only_their_own_nonce_and_every_script_carries_it() {
    let s = crate::common::start().await;
    for path in ["/", "/course/1", "/login?next=%2Forders", "/no/such/page"] {
        let (status, policy, html) = page(&s, path).await;
        assert!(status == 200 || status == 404, "{path}: {status}");
        assert!(
            !script_src(&policy).contains("unsafe-inline"),
            "{path}: {policy}"
        );
        assert!(script_src(&policy).contains("'wasm-unsafe-eval'"));
        let nonce = nonce_of(&policy);
        let scripts = script_nonces(&html);
        assert!(!scripts.is_empty(), "{path}: no hydration loader in {html}");
        for n in &scripts {
            assert_eq!(n.as_deref(), Some(nonce.as_str()), "{path}: {html}");
        }
        // A second answer for the same page has a different nonce.
        let (_, again, html_again) = page(&s, path).await;
        let other = nonce_of(&again);
        assert_ne!(nonce, other, "{path}");
        assert!(
            script_nonces(&html_again)
                .iter()
                .all(|n| n.as_deref() == Some(other.as_str()))
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_answers_and_the_sandbox_allow_no_inline_script() {
    let s = crate::common::start().await;
    for path in [
        "/course/list",
        "/favicon.ico",
        "/sandbox/admin",
        "/sandbox/nothing",
    ] {
        let r = s.http.get(s.url(path)).send().await.unwrap();
        let policy = r.headers()["content-security-policy"].to_str().unwrap();
        let src = script_src(policy);
        assert!(!src.contains("unsafe-inline"), "{path}: {policy}");
        if !r.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/html")
        {
            assert_eq!(src, "script-src 'self' 'wasm-unsafe-eval'", "{path}");
        }
    }
    let r = s
        .http
        .post(s.url("/order/notify"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("a=1")
        .send()
        .await
        .unwrap();
    let policy = r.headers()["content-security-policy"].to_str().unwrap();
    assert_eq!(script_src(policy), "script-src 'self' 'wasm-unsafe-eval'");
    assert_eq!(r.text().await.unwrap(), "failure");
}

const HSTS: &str = "max-age=31536000; includeSubDomains";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_is_sent_on_every_answer_when_the_public_url_is_https() {
    let s = crate::common::start_with(&["--public-base-url", "https://shop.example"]).await;
    for path in ["/", "/course/list", "/no/such/page", "/favicon.ico"] {
        let r = s.http.get(s.url(path)).send().await.unwrap();
        assert_eq!(
            r.headers()
                .get("strict-transport-security")
                .map(|v| v.to_str().unwrap()),
            Some(HSTS),
            "{path}"
        );
    }
    let r = s
        .http
        .post(s.url("/order/notify"))
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["strict-transport-security"], HSTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_hsts_over_plain_http() {
    for extra in [
        &[][..],
        &["--public-base-url", "http://shop.example"][..],
        &["--public-base-url", "http://https.example"][..],
    ] {
        let s = crate::common::start_with(extra).await;
        for path in ["/", "/course/list"] {
            let r = s.http.get(s.url(path)).send().await.unwrap();
            assert!(
                !r.headers().contains_key("strict-transport-security"),
                "{extra:?} {path}"
            );
        }
    }
}
