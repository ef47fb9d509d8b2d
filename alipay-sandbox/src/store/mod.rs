//! The sandbox's own store (SeaORM; SQLite or Postgres). Tables are created at start.

pub mod attempt;
pub mod delivery;
mod notify_ops;
pub mod refund;
pub mod trade;
mod trade_ops;
pub use trade_ops::WAIT_BUYER_PAY;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr, Schema};

pub use notify_ops::{DELIVERED, FAILED, NewDelivery, PENDING};

/// A handle on the sandbox's database.
#[derive(Clone, Debug)]
pub struct Store {
    db: DatabaseConnection,
}

impl Store {
    /// Connects and creates the tables (and indexes) if they do not exist.
    pub async fn open(url: &str) -> Result<Store, DbErr> {
        let mut opts = ConnectOptions::new(url.to_string());
        if url.starts_with("sqlite") {
            // One connection: an in-memory database is per connection, and SQLite
            // serialises writers anyway.
            // Never recycle it: that would drop an in-memory database.
            opts.max_connections(1)
                .min_connections(1)
                .idle_timeout(None::<std::time::Duration>)
                .max_lifetime(None::<std::time::Duration>);
            // A file store commits every payment and notify attempt: WAL with synchronous=NORMAL
            // survives a killed process (only an OS crash could lose the last commits), instead of
            // an fsync per commit; another process on the same file waits instead of failing.
            // (An in-memory database keeps its own journal mode.)
            opts.map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(std::time::Duration::from_secs(10))
            });
        }
        opts.sqlx_logging(false);
        let db = Database::connect(opts).await?;
        let store = Store { db };
        store.create_tables().await?;
        Ok(store)
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    async fn create_tables(&self) -> Result<(), DbErr> {
        let backend = self.db.get_database_backend();
        let schema = Schema::new(backend);
        let mut t = schema.create_table_from_entity(trade::Entity);
        self.db.execute(t.if_not_exists()).await?;
        let mut d = schema.create_table_from_entity(delivery::Entity);
        self.db.execute(d.if_not_exists()).await?;
        let mut a = schema.create_table_from_entity(attempt::Entity);
        self.db.execute(a.if_not_exists()).await?;
        let mut r = schema.create_table_from_entity(refund::Entity);
        self.db.execute(r.if_not_exists()).await?;
        for sql in [
            "CREATE UNIQUE INDEX IF NOT EXISTS sandbox_trades_app_out ON sandbox_trades (app_id, out_trade_no)",
            "CREATE UNIQUE INDEX IF NOT EXISTS sandbox_refunds_req ON sandbox_refunds (trade_id, out_request_no)",
            "CREATE INDEX IF NOT EXISTS sandbox_notifies_due ON sandbox_notifies (state, next_attempt_at)",
            "CREATE INDEX IF NOT EXISTS sandbox_attempts_delivery ON sandbox_notify_attempts (delivery_id)",
        ] {
            self.db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
