//! The scenarios: create-order, notify (with the loss check), and plain GETs (SSR, static).
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Client;

use crate::api::{self, Order};
use crate::error::LoadError;
use crate::report::{self, Row};
use crate::runner;

/// Bounds and labels shared by every scenario.
pub struct Load<'a> {
    pub base: &'a str,
    pub concurrency: usize,
    pub requests: usize,
    pub limit: Duration,
    pub row: Row<'a>,
}

/// N logged-in students create one-course orders; each request a different student+course pair
/// in turn (unpaid repeats are allowed, nothing here pays).
pub async fn create_order(load: &Load<'_>, students: usize) -> Result<(), LoadError> {
    let http = api::client(load.concurrency)?;
    let studs = Arc::new(api::students(&http, load.base, students.max(1)).await?);
    let courses = Arc::new(api::courses(&http, load.base).await?);
    let base = load.base.to_owned();
    let (out, rss, cpu) = report::sampled(
        load.row.server_pid,
        runner::run(load.concurrency, load.requests, load.limit, move |i| {
            let (http, base, studs, courses) =
                (http.clone(), base.clone(), studs.clone(), courses.clone());
            async move {
                let s = &studs[i % studs.len()];
                let c = &courses[(i / studs.len()) % courses.len()];
                api::pay(&http, &base, s, c).await.map(drop)
            }
        }),
    )
    .await;
    let out = out?;
    let m = report::Measured {
        out,
        window_rss_kb: rss,
        cpu,
    };
    report::print(&load.row, &m);
    let out = m.out;
    if out.errors > 0 {
        return Err(LoadError::Check(format!(
            "{} create-order errors",
            out.errors
        )));
    }
    Ok(())
}

/// Creates `orders` unpaid orders, signs a TRADE_SUCCESS notify for each, posts them all at
/// `concurrency`, requires every answer to be exactly `success`, then requires every order paid.
pub async fn notify(load: &Load<'_>, orders: usize, key_path: &Path) -> Result<(), LoadError> {
    let key = api::alipay_key(key_path)?;
    let http = api::client(load.concurrency)?;
    let studs = Arc::new(api::students(&http, load.base, 16).await?);
    let courses = api::courses(&http, load.base).await?;
    eprintln!("notify: creating {orders} unpaid orders");
    let mut made: Vec<Order> = Vec::with_capacity(orders);
    for chunk in (0..orders).collect::<Vec<_>>().chunks(64) {
        let mut tasks = Vec::new();
        for &i in chunk {
            let (http, base, studs) = (http.clone(), load.base.to_owned(), studs.clone());
            let c = courses[(i / studs.len()) % courses.len()].clone();
            tasks.push(tokio::spawn(async move {
                let s = i % studs.len();
                let url = api::pay(&http, &base, &studs[s], &c).await?;
                api::order_from_url(s, &url)
            }));
        }
        for t in tasks {
            made.push(t.await??);
        }
    }
    eprintln!("notify: signing {orders} notifies as Alipay");
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        made.iter()
            .enumerate()
            .map(|(i, o)| api::notify_body(o, i, &key))
            .collect(),
    );
    let base = load.base.to_owned();
    let h = http.clone();
    let (out, rss, cpu) = report::sampled(
        load.row.server_pid,
        runner::run(load.concurrency, orders, load.limit, move |i| {
            let (http, base, bodies) = (h.clone(), base.clone(), bodies.clone());
            async move {
                let r = http
                    .post(format!("{base}/order/notify"))
                    .header(
                        "content-type",
                        "application/x-www-form-urlencoded; charset=utf-8",
                    )
                    .body(bodies[i].clone())
                    .send()
                    .await?;
                let status = r.status().as_u16();
                let text = r.text().await?;
                if status != 200 || text != "success" {
                    return Err(LoadError::Answer("notify", format!("{status} {text:?}")));
                }
                Ok(())
            }
        }),
    )
    .await;
    let out = out?;
    let m = report::Measured {
        out,
        window_rss_kb: rss,
        cpu,
    };
    report::print(&load.row, &m);
    let out = m.out;
    let sent = out.ok + out.errors;
    let made = Arc::new(made);
    let (base, studs2, made2) = (load.base.to_owned(), studs.clone(), made.clone());
    let check = runner::run(32, orders, Duration::from_secs(300), move |i| {
        let (http, base, studs, made) = (http.clone(), base.clone(), studs2.clone(), made2.clone());
        async move {
            let o = &made[i];
            match api::status(&http, &base, &studs[o.student], &o.out_trade_no).await? {
                1 => Ok(()),
                s => Err(LoadError::Answer(
                    "status",
                    format!("{} is {s}", o.out_trade_no),
                )),
            }
        }
    })
    .await?;
    let checked = check.ok + check.errors;
    let lost = check.errors + (orders as u64 - checked);
    eprintln!(
        "notify: {orders} orders, {sent} notifies sent, {} answers not `success`, {lost} orders not paid afterwards",
        out.errors
    );
    for e in &check.first_errors {
        eprintln!("  unpaid: {e}");
    }
    println!(
        "| notify check | {} | - | {orders} orders | {} not success | {lost} lost | - | - | - | - | - | - | - |",
        load.row.label, out.errors
    );
    if out.errors > 0 || lost > 0 || sent != orders as u64 {
        return Err(LoadError::Check(format!(
            "notify: {} answers not success, {lost} orders lost, {sent}/{orders} sent",
            out.errors
        )));
    }
    Ok(())
}

/// Plain GETs of `path` (SSR pages or the static ceiling); every answer must be 200.
pub async fn get(load: &Load<'_>, path: &str) -> Result<(), LoadError> {
    let http: Client = api::client(load.concurrency)?;
    let url = format!("{}{path}", load.base);
    let (out, rss, cpu) = report::sampled(
        load.row.server_pid,
        runner::run(load.concurrency, load.requests, load.limit, move |_| {
            let (http, url) = (http.clone(), url.clone());
            async move {
                let r = http.get(url.as_str()).send().await?;
                let status = r.status().as_u16();
                let body = r.bytes().await?;
                if status != 200 || body.is_empty() {
                    return Err(LoadError::Answer(
                        "get",
                        format!("{status}, {} bytes", body.len()),
                    ));
                }
                Ok(())
            }
        }),
    )
    .await;
    let out = out?;
    let m = report::Measured {
        out,
        window_rss_kb: rss,
        cpu,
    };
    report::print(&load.row, &m);
    let out = m.out;
    if out.errors > 0 {
        return Err(LoadError::Check(format!("{} GET errors", out.errors)));
    }
    Ok(())
}

/// Writes a copy of `path`'s HTML into `site_root/name` (the static ceiling, same size) and
/// returns its byte count.
pub async fn copy_page(
    base: &str,
    path: &str,
    site_root: &Path,
    name: &str,
) -> Result<usize, LoadError> {
    let http = api::client(1)?;
    let body = http
        .get(format!("{base}{path}"))
        .send()
        .await?
        .bytes()
        .await?;
    std::fs::write(site_root.join(name), &body)?;
    Ok(body.len())
}
