//! What the in-process server logs (as JSON lines, LOG_FORMAT=json): one request id on every line
//! of a request, from a notify's arrival to the commit of its payment and in blocking work; an id
//! of our own on every response, whatever the client sent; an error's causes; a job loop that
//! survives a panic.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::common::{Server, start};
use alipay::sign::{Params, sign_callback};
use alipay::{KeyRole, PrivateKey};
use coursepay::logging::{LogFormat, init_with};
use serde_json::{Value, json};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Every log line of this test binary (the subscriber is the process's: the servers run on a
/// shared runtime). Tests pick their lines by the request id their responses carry.
static LOG: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOG.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl MakeWriter<'_> for Capture {
    type Writer = Capture;
    fn make_writer(&self) -> Capture {
        Capture
    }
}

fn capture_logs() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let filter = EnvFilter::new("info,shop=debug,sqlx=warn,sea_orm=warn,hyper=warn");
        init_with(LogFormat::Json, filter, Capture).expect("the only subscriber");
    });
}

/// The captured lines so far, parsed (each must be one JSON object).
fn lines() -> Vec<Value> {
    let log = LOG.lock().unwrap().clone();
    String::from_utf8(log)
        .expect("UTF-8 log")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The request id of the request a line was logged in, if any.
fn request_id(line: &Value) -> Option<&str> {
    line["spans"]
        .as_array()?
        .iter()
        .find_map(|s| s["request_id"].as_str())
}

/// Whether a line was logged inside a span called `name`.
fn in_span(line: &Value, name: &str) -> bool {
    line["spans"]
        .as_array()
        .is_some_and(|spans| spans.iter().any(|s| s["name"] == name))
}

fn message(line: &Value) -> &str {
    line["message"].as_str().unwrap_or("")
}

/// The lines logged in the request with this id, in order.
fn lines_of(id: &str) -> Vec<Value> {
    lines()
        .into_iter()
        .filter(|l| request_id(l) == Some(id))
        .collect()
}

fn id_of(r: &reqwest::Response) -> String {
    r.headers()["x-request-id"].to_str().unwrap().to_owned()
}

/// A notify of payment for `out_trade_no` (¥99.00), signed with the embedded sandbox's key as the
/// sandbox itself would send it.
fn signed_notify(s: &Server, out_trade_no: &str) -> Vec<u8> {
    let key = PrivateKey::from_file(
        &s.dir
            .path()
            .join("keys")
            .join("sandbox_alipay_private_key.pem"),
        KeyRole::AlipayPrivateKey,
    )
    .unwrap();
    let mut p = Params::new();
    for (k, v) in [
        ("notify_time", "2026-11-27 12:00:00"),
        ("notify_type", "trade_status_sync"),
        ("notify_id", "trace-notify-1"),
        ("app_id", coursepay::payments::SANDBOX_APP_ID),
        ("charset", "utf-8"),
        ("version", "1.0"),
        ("trade_no", "2026112722001400009999999999"),
        ("out_trade_no", out_trade_no),
        ("buyer_id", "2088102177846880"),
        ("seller_id", coursepay::payments::SANDBOX_SELLER_ID),
        ("trade_status", "TRADE_SUCCESS"),
        ("total_amount", "99.00"),
        ("subject", "Python 开发入门"),
        ("gmt_payment", "2026-11-27 11:59:30"),
    ] {
        p.insert(k.to_owned(), v.to_owned());
    }
    sign_callback(&mut p, &key).unwrap();
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    p.iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

fn is_request_id(id: &str) -> bool {
    id.len() == 16 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notify_logs_one_request_id_from_arrival_to_commit() {
    capture_logs();
    let s = start().await;
    let token = s.new_student("trace_notify").await;
    let r = s
        .http
        .post(s.url("/order/pay"))
        .header("Authorization", format!("jwt {token}"))
        .json(&json!({"subject": "x", "total_amount": "99.00", "goods_pks": "1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let order_request = id_of(&r);
    // The signature is made on the blocking pool, inside the request's span.
    let signed = lines_of(&order_request);
    let signing = signed
        .iter()
        .find(|l| message(l) == "page-pay request signed")
        .expect("the signing line carries the order request's id");
    assert!(in_span(signing, "create_order"));
    let no = signing["span"]["out_trade_no"].as_str().unwrap().to_owned();

    let r = s
        .http
        .post(s.url("/order/notify"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(signed_notify(&s, &no))
        .send()
        .await
        .unwrap();
    let id = id_of(&r);
    assert_eq!(r.text().await.unwrap(), "success");
    assert!(is_request_id(&id) && id != order_request, "{id}");

    let ours = lines_of(&id);
    let said: Vec<&str> = ours.iter().map(message).collect();
    let at = |m: &str| {
        said.iter()
            .position(|s| *s == m)
            .unwrap_or_else(|| panic!("no '{m}' in {said:?}"))
    };
    assert!(at("notify received") < at("payment applied"), "{said:?}");
    assert!(at("payment applied") < at("finished processing request"));
    let applied = &ours[at("payment applied")];
    assert!(in_span(applied, "handle_notify") && in_span(applied, "apply_payment_fact"));
    assert_eq!(applied["span"]["out_trade_no"], no.as_str());
    assert_eq!(applied["span"]["source"], "notify");
    // Every line of the notify's handling, wherever it was logged, carries this one id.
    let notify_lines: Vec<Value> = lines()
        .into_iter()
        .filter(|l| in_span(l, "handle_notify"))
        .collect();
    assert!(!notify_lines.is_empty());
    for l in &notify_lines {
        assert_eq!(request_id(l), Some(id.as_str()), "{l}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_its_own_id_and_a_clients_id_goes_nowhere() {
    capture_logs();
    let s = start().await;
    let hostile = "forged-zqxj\" request_id=\"spoofed-zqxj";
    let r1 = s
        .http
        .get(s.url("/course/list"))
        .header("x-request-id", hostile)
        .send()
        .await
        .unwrap();
    let r2 = s.http.get(s.url("/course/list")).send().await.unwrap();
    let r3 = s.http.get(s.url("/nowhere")).send().await.unwrap();
    let ids = [id_of(&r1), id_of(&r2), id_of(&r3)];
    assert_eq!(r1.headers().get_all("x-request-id").iter().count(), 1);
    for id in &ids {
        assert!(is_request_id(id), "{id}");
    }
    assert!(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);
    for id in &ids {
        let said: Vec<String> = lines_of(id).iter().map(|l| message(l).to_owned()).collect();
        assert!(
            said.iter().any(|m| m == "finished processing request"),
            "{said:?}"
        );
    }
    let log = String::from_utf8(LOG.lock().unwrap().clone()).unwrap();
    assert!(!log.contains("zqxj"), "the client's id reached the log");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_internal_error_is_logged_with_its_causes() {
    capture_logs();
    let s = start().await;
    let db =
        sea_orm::Database::connect(format!("sqlite://{}/coursepay.db", s.dir.path().display()))
            .await
            .unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(&db, "ALTER TABLE course RENAME TO course_gone")
        .await
        .unwrap();
    let r = s.http.get(s.url("/course/list")).send().await.unwrap();
    assert_eq!(r.status(), 500);
    let id = id_of(&r);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["detail"], "数据库错误，请稍后再试",
        "the user reads no cause"
    );
    let failed = lines_of(&id)
        .into_iter()
        .find(|l| message(l) == "JSON API failed")
        .expect("the failure is logged in its request");
    assert_eq!(failed["level"], "ERROR");
    let error = failed["error"].as_str().unwrap();
    assert!(
        error.starts_with("数据库错误，请稍后再试: ") && error.contains("no such table: course"),
        "{error}"
    );

    // A page renders its courses in a task of its own: the failure still carries the page's id.
    let r = s.http.get(s.url("/")).send().await.unwrap();
    let id = id_of(&r);
    assert!(r.text().await.unwrap().contains("数据库错误"));
    let failed = lines_of(&id)
        .into_iter()
        .find(|l| message(l) == "server function failed")
        .expect("the page's failure is logged in its request");
    let error = failed["error"].as_str().unwrap();
    assert!(error.contains("no such table: course"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_job_run_is_logged_and_the_loop_restarts() {
    capture_logs();
    let calls = Arc::new(AtomicUsize::new(0));
    let (ran, mut runs) = tokio::sync::mpsc::unbounded_channel();
    let counted = calls.clone();
    let handle = coursepay::jobs::supervise(
        Duration::from_millis(5),
        Duration::from_millis(20),
        move || {
            let n = counted.fetch_add(1, Ordering::SeqCst);
            let ran = ran.clone();
            async move {
                if n == 0 {
                    panic!("injected job panic 41c9");
                }
                let _ = ran.send(n);
                Ok(shop::lifecycle::TickReport::default())
            }
        },
    );
    let next = tokio::time::timeout(Duration::from_secs(10), runs.recv())
        .await
        .expect("the loop came back after the panic");
    assert_eq!(next, Some(1));
    let logged = lines()
        .into_iter()
        .find(|l| l["panic"] == "injected job panic 41c9")
        .expect("the panic is logged with its message");
    assert_eq!(logged["level"], "ERROR");
    assert_eq!(message(&logged), "background jobs panicked; restarting");

    // Stopping the supervisor stops the loop.
    handle.abort();
    assert!(handle.await.unwrap_err().is_cancelled());
    tokio::time::sleep(Duration::from_millis(20)).await;
    let stopped_at = calls.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(40)).await;
    assert_eq!(calls.load(Ordering::SeqCst), stopped_at);
}
