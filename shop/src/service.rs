//! The shop's handles, built once at start-up and shared by every request.
use std::sync::Arc;

use alipay::Clock;

use crate::accounts::jwt::JwtKeys;
use crate::db::Db;
use crate::write::{Turn, WriteGate, WriteTxn};

/// Database, gateway client, token keys, clock and order settings. Cheap to clone.
#[derive(Clone)]
pub struct Shop {
    inner: Arc<Inner>,
    web: Arc<crate::accounts::session::WebSettings>,
}

struct Inner {
    db: Db,
    alipay: alipay::Client,
    jwt: JwtKeys,
    clock: Arc<dyn Clock>,
    order_timeout: chrono::Duration,
    writes: WriteGate,
}

impl Shop {
    /// Puts the handles together.
    ///
    /// ```no_run
    /// # fn parts() -> (shop::db::Db, alipay::Client, shop::accounts::jwt::JwtKeys) { unimplemented!() }
    /// let (db, client, jwt) = parts();
    /// let shop = shop::Shop::new(db, client, jwt, std::sync::Arc::new(alipay::SystemClock), chrono::Duration::minutes(15));
    /// ```
    pub fn new(
        db: Db,
        alipay: alipay::Client,
        jwt: JwtKeys,
        clock: Arc<dyn Clock>,
        order_timeout: chrono::Duration,
    ) -> Shop {
        let writes = WriteGate::for_db(&db);
        Shop {
            inner: Arc::new(Inner {
                writes,
                db,
                alipay,
                jwt,
                clock,
                order_timeout,
            }),
            web: Arc::default(),
        }
    }

    /// The same shop, served as `web` describes (https cookies, trusted proxies). Default: plain
    /// http, no trusted proxy.
    pub fn with_web(mut self, web: crate::accounts::session::WebSettings) -> Shop {
        self.web = Arc::new(web);
        self
    }

    /// How the web front is reached.
    pub fn web(&self) -> &crate::accounts::session::WebSettings {
        &self.web
    }

    /// The connection pool.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// Begins a write transaction: waits for this instance's write turn on SQLite, then `BEGIN
    /// IMMEDIATE` (PostgreSQL: a plain `BEGIN`; rows are locked with `FOR UPDATE`).
    pub(crate) async fn begin_write(&self) -> Result<WriteTxn<'_>, sea_orm::DbErr> {
        WriteTxn::begin(&self.inner.writes, &self.inner.db).await
    }

    /// Waits for this instance's write turn for a single statement run outside a transaction.
    pub(crate) async fn write_turn(&self) -> Turn<'_> {
        self.inner.writes.turn().await
    }

    /// The Alipay OpenAPI client (its config names our app, seller and keys).
    pub fn alipay(&self) -> &alipay::Client {
        &self.inner.alipay
    }

    /// Session token keys.
    pub fn jwt(&self) -> &JwtKeys {
        &self.inner.jwt
    }

    /// The clock orders are stamped with.
    pub fn clock(&self) -> &dyn Clock {
        self.inner.clock.as_ref()
    }

    /// The same clock, shared (for the background jobs: one clock for the whole process).
    pub fn shared_clock(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.inner.clock)
    }

    /// How long an unpaid order stays payable.
    pub fn order_timeout(&self) -> chrono::Duration {
        self.inner.order_timeout
    }
}
