//! A shop wired to an in-process sandbox gateway on 127.0.0.1:0 (its notifies reach the shop's
//! notify handler on the same listener), a hand-driven clock for the jobs, and a buyer over HTTP.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alipay::{AlipayConfig, Clock, KeyRole, PrivateKey, SystemClock};
use alipay_sandbox::{Faults, MerchantApp, Sandbox, SandboxConfig};
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use shop::Shop;
use shop::accounts::jwt::JwtKeys;
use shop::entity::{order, payment_event};
use shop::lifecycle::{JobSettings, Jobs, LatePaymentPolicy};
use shop::orders::{CreatedOrder, NewOrder, create_order};

use crate::common::TestDb;
use crate::common::fixture::{APP_ID, SELLER_ID, keys};

/// A clock the test moves by hand.
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn advance(&self, d: chrono::Duration) {
        let mut g = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *g += d;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

pub struct Env {
    pub shop: Shop,
    pub student: shop::accounts::UserId,
    pub sandbox: Sandbox,
    pub clock: Arc<ManualClock>,
    pub notify_url: String,
    server: tokio::task::JoinHandle<()>,
    others: std::sync::atomic::AtomicUsize,
}

impl Drop for Env {
    fn drop(&mut self) {
        self.sandbox.shutdown();
        self.server.abort();
    }
}

/// The shop's view of the gateway, given a database pool.
pub fn shop_on(db: shop::db::Db, sandbox: &Sandbox, notify_url: &str) -> Shop {
    shop_on_clock(db, sandbox, notify_url, Arc::new(SystemClock))
}

/// [`shop_on`] with the clock orders are stamped with (e.g. the test's [`ManualClock`]).
pub fn shop_on_clock(
    db: shop::db::Db,
    sandbox: &Sandbox,
    notify_url: &str,
    clock: Arc<dyn Clock>,
) -> Shop {
    let (app, _) = keys();
    let config = AlipayConfig {
        app_id: APP_ID.to_owned(),
        seller_id: SELLER_ID.to_owned(),
        gateway: sandbox.gateway_url(),
        app_private_key: PrivateKey::parse(&app.to_pkcs8_pem(), KeyRole::AppPrivateKey)
            .expect("app key"),
        alipay_public_key: sandbox.alipay_public_key(),
        notify_url: Some(notify_url.to_owned()),
        return_url: Some(notify_url.replace("/order/notify", "/pay/success")),
        cert: None,
    };
    let options = alipay::openapi::ClientOptions {
        max_retries: 0,
        ..Default::default()
    };
    let client = alipay::Client::with_options(config, Arc::new(SystemClock), options);
    let jwt = JwtKeys::new(&[9u8; 32], chrono::Duration::hours(1)).expect("jwt");
    Shop::new(db, client, jwt, clock, chrono::Duration::minutes(15))
}

/// A sandbox and a shop on `t`, the demo courses and one student.
pub async fn env(t: &TestDb, faults: Faults) -> Env {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let root = format!("http://{}", listener.local_addr().expect("addr"));
    let (app, ali) = keys();
    let sandbox = Sandbox::start(SandboxConfig {
        public_base_url: format!("{root}/sandbox"),
        database_url: "sqlite::memory:".into(),
        alipay_private_key: ali.clone(),
        apps: vec![MerchantApp {
            app_id: APP_ID.into(),
            app_public_key: app.public_key(),
            seller_id: SELLER_ID.into(),
            seller_email: "merchant@alipaydev.com".into(),
            name: "课程商店".into(),
        }],
        clock_speed: 1,
        faults,
    })
    .await
    .expect("sandbox starts");
    let notify_url = format!("{root}/order/notify");
    let shop = shop_on(t.db.clone(), &sandbox, &notify_url);
    shop::seed::seed_demo(&t.db, chrono::Utc::now())
        .await
        .expect("seed");
    let student = shop::accounts::register(&t.db, "xiaoming", "password123", chrono::Utc::now())
        .await
        .expect("student")
        .id;
    let router = axum::Router::new()
        .route("/order/notify", post(notify))
        .with_state(shop.clone())
        .nest("/sandbox", sandbox.router());
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Env {
        shop,
        student,
        sandbox,
        clock: Arc::new(ManualClock(Mutex::new(Utc::now()))),
        notify_url,
        server,
        others: Default::default(),
    }
}

async fn notify(State(shop): State<Shop>, body: Bytes) -> &'static str {
    shop::payment::handle_notify(&shop, &body).await.body()
}

impl Env {
    /// Another shop on the same database and gateway whose orders are stamped by the test's
    /// clock (the jobs' clock), so a test moves both by hand.
    pub fn clocked_shop(&self) -> Shop {
        let clock: Arc<dyn Clock> = self.clock.clone();
        shop_on_clock(
            self.shop.db().clone(),
            &self.sandbox,
            &self.notify_url,
            clock,
        )
    }

    pub fn jobs(&self, policy: LatePaymentPolicy) -> Jobs {
        jobs_for(self.shop.clone(), self.clock.clone(), policy)
    }

    /// The student's order for course 1 (99.00); returns (out_trade_no, pay_url). While that
    /// order is open, calling again returns it again: see [`Env::order_by`] for several.
    pub async fn order(&self) -> (String, String) {
        self.order_by(self.student).await
    }

    /// An order for course 1 by a new student of its own (several open or paid at once).
    pub async fn another_order(&self) -> (String, String) {
        let n = self
            .others
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let student =
            crate::common::fixture::students(self.shop.db(), &format!("other{n}_"), 1).await[0];
        self.order_by(student).await
    }

    /// `student`'s order for course 1 (99.00).
    pub async fn order_by(&self, student: shop::accounts::UserId) -> (String, String) {
        let req = NewOrder {
            user_id: student,
            goods_pks: "1",
            total_amount: "99.00",
        };
        let o = create_order(&self.shop, req).await.expect("create order");
        (o.out_trade_no, o.pay_url)
    }

    /// The sandbox's trade for `out_trade_no`: (status, refund_fee).
    pub async fn trade(&self, out_trade_no: &str) -> Option<(String, String)> {
        let report = self.sandbox.report().await.expect("report");
        report["trades"]
            .as_array()?
            .iter()
            .find(|t| t["out_trade_no"] == out_trade_no)
            .map(|t| {
                (
                    t["trade_status"].as_str().unwrap_or("").to_owned(),
                    t["refund_fee"].as_str().unwrap_or("").to_owned(),
                )
            })
    }
}

pub fn jobs_for(shop: Shop, clock: Arc<ManualClock>, policy: LatePaymentPolicy) -> Jobs {
    let settings = JobSettings {
        late_payment: policy,
        ..Default::default()
    };
    Jobs::new(shop, clock, settings)
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("http client")
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The buyer opens the cashier (the gateway creates a WAIT_BUYER_PAY trade); returns its URL.
pub async fn open_cashier(http: &reqwest::Client, pay_url: &str) -> String {
    let resp = http.get(pay_url).send().await.expect("gateway");
    assert_eq!(resp.status(), 302, "gateway refused the page pay");
    location(&resp)
}

/// The buyer confirms payment at the cashier; returns the return URL.
pub async fn pay_at(http: &reqwest::Client, cashier: &str) -> String {
    let resp = http
        .post(format!("{cashier}/pay"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("account=sandbox_buyer%40alipaydev.com&password=111111")
        .send()
        .await
        .expect("cashier");
    assert_eq!(resp.status(), 302, "cashier refused the payment");
    location(&resp)
}

pub async fn pay(http: &reqwest::Client, pay_url: &str) -> String {
    let cashier = open_cashier(http, pay_url).await;
    pay_at(http, &cashier).await
}

pub async fn order_row(db: &shop::db::Db, out_trade_no: &str) -> order::Model {
    order::Entity::find()
        .filter(order::Column::OutTradeNo.eq(out_trade_no))
        .one(db)
        .await
        .expect("query")
        .expect("order exists")
}

pub async fn events(db: &shop::db::Db, out_trade_no: &str, source: &str, verdict: &str) -> u64 {
    payment_event::Entity::find()
        .filter(payment_event::Column::OutTradeNo.eq(out_trade_no))
        .filter(payment_event::Column::Source.eq(source))
        .filter(payment_event::Column::Verdict.eq(verdict))
        .count(db)
        .await
        .expect("count")
}

/// Polls `f` until it is true, for at most `secs` seconds.
pub async fn eventually<F, Fut>(secs: u64, what: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while !f().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Runs raw SQL on the test database (e.g. to stamp `returned_at`).
pub async fn exec(db: &shop::db::Db, sql: &str) {
    db.execute_unprepared(sql).await.expect("sql");
}

/// Orders `goods_pks` (e.g. "1,2") at `total` as student `user_id`; panics on refusal.
pub async fn buy(
    shop: &Shop,
    user_id: shop::accounts::UserId,
    goods_pks: &str,
    total: &str,
) -> CreatedOrder {
    create_order(
        shop,
        NewOrder {
            user_id,
            goods_pks,
            total_amount: total,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("create {goods_pks}: {e:?}"))
}
