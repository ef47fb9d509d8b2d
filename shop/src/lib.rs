//! The business of coursepay: catalog, accounts, orders and their payment state, over SeaORM
//! (SQLite by default, PostgreSQL by `DATABASE_URL`). Knows nothing of HTML.
//!
//! ```no_run
//! # async fn f() -> Result<(), shop::ShopError> {
//! let db = shop::db::connect("sqlite::memory:").await?;
//! shop::db::migrate(&db).await?;
//! shop::seed::seed_demo(&db, chrono::Utc::now()).await?;
//! let courses = shop::catalog::list_courses(&db).await?;
//! assert!(!courses.is_empty());
//! # Ok(()) }
//! ```
pub mod accounts;
pub mod admin;
pub mod blocking;
pub mod catalog;
pub mod db;
pub mod entity;
pub mod error;
pub mod lifecycle;
pub mod orders;
pub mod payment;
pub mod seed;
mod service;
mod write;

pub use error::ShopError;
pub use service::Shop;

/// Beijing time as Alipay and our pages write it: `yyyy-MM-dd HH:mm:ss`.
pub fn alipay_time(t: chrono::DateTime<chrono::Utc>) -> String {
    alipay::clock::beijing(t)
}

pub use alipay;
