//! Bytes a browser downloads before the page is interactive: the HTML and every /pkg/ asset it
//! names (CSS, JS, WASM), each brotli-compressed at quality 11.
use std::io::Write;

use crate::api;
use crate::error::LoadError;

/// Every distinct `/pkg/...` path quoted in the HTML (bounded).
fn assets(html: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (at, _) in html.match_indices("/pkg/").take(64) {
        let rest = &html[at..];
        let end = rest
            .find(|c: char| c == '"' || c == '\'' || c == ')' || c.is_whitespace())
            .unwrap_or(rest.len());
        let p = rest[..end].to_owned();
        if !out.contains(&p) {
            out.push(p);
        }
    }
    // The hydration script imports `name.js` and loads `name_bg.wasm` (or `name.wasm`) by name.
    let has_wasm = out.iter().any(|p| p.ends_with(".wasm"));
    if let Some(js) = out.iter().find(|p| p.ends_with(".js")).cloned()
        && !has_wasm
    {
        out.push(js.replace(".js", ".wasm"));
    }
    out
}

fn brotli(bytes: &[u8]) -> Result<usize, LoadError> {
    let mut w = brotli::CompressorWriter::new(Vec::new(), 4096, 11, 22);
    w.write_all(bytes)?;
    w.flush()?;
    Ok(w.into_inner().len())
}

/// Prints each file's raw and brotli size and the total; returns the brotli total.
pub async fn measure(base: &str, path: &str, target_bytes: usize) -> Result<usize, LoadError> {
    let http = api::client(1)?;
    let page = http
        .get(format!("{base}{path}"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await?;
    let encoding = page
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity")
        .to_owned();
    let html = page.text().await?;
    let mut files = vec![(path.to_owned(), html.clone().into_bytes())];
    for a in assets(&html) {
        let r = http.get(format!("{base}{a}")).send().await?;
        if r.status().is_success() {
            files.push((a, r.bytes().await?.to_vec()));
        } else {
            eprintln!("bundle: {a} answers {}", r.status());
        }
    }
    let (mut raw, mut br) = (0usize, 0usize);
    for (name, bytes) in &files {
        let b = brotli(bytes)?;
        raw += bytes.len();
        br += b;
        eprintln!(
            "bundle: {name}: {} bytes raw, {b} bytes brotli-11",
            bytes.len()
        );
        println!("| bundle file | {name} | {} | {b} | - |", bytes.len());
    }
    let ratio = crate::report::percent(br as u64, target_bytes as u64);
    eprintln!(
        "bundle: {path}: {raw} bytes raw, {br} bytes brotli-11 ({ratio} of the {target_bytes}-byte target); server sends content-encoding: {encoding}"
    );
    println!(
        "| bundle total | {path} | {raw} | {br} | {ratio} of {target_bytes} (server encoding: {encoding}) |"
    );
    Ok(br)
}
