//! Connecting to the database and bringing its schema up to date.
use std::time::Duration;

use migration::MigratorTrait;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// The connection pool every shop function takes.
pub type Db = DatabaseConnection;

/// Opens a pool for `url` (`sqlite://...` or `postgres://...`).
///
/// SQLite gets the WAL journal (readers never block the writer), `synchronous=NORMAL` (durable at
/// every checkpoint, no fsync per commit under WAL), foreign keys on, and a 10 s busy timeout so
/// concurrent writers queue instead of failing.
///
/// ```no_run
/// # async fn f() -> Result<(), sea_orm::DbErr> {
/// let db = shop::db::connect("sqlite://data/coursepay.db?mode=rwc").await?;
/// # Ok(()) }
/// ```
pub async fn connect(url: &str) -> Result<Db, DbErr> {
    let mut opt = ConnectOptions::new(url.to_owned());
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
    opt.sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        .max_connections(if is_sqlite(url) {
            cores * 2 + 2
        } else {
            cores * 4 + 4
        })
        .min_connections(1);
    if is_sqlite(url) {
        opt.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    }
    let db = Database::connect(opt).await?;
    tracing::debug!(backend = ?db.get_database_backend(), "database connected");
    Ok(db)
}

/// Applies every pending migration.
///
/// ```no_run
/// # async fn f(db: &sea_orm::DatabaseConnection) -> Result<(), sea_orm::DbErr> {
/// shop::db::migrate(db).await?;
/// # Ok(()) }
/// ```
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    migration::Migrator::up(db, None).await
}

/// Whether `url` names an SQLite database.
pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}
