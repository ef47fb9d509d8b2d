//! The schema of coursepay, one migration per change.
//!
//! ```no_run
//! # async fn f(db: &sea_orm_migration::sea_orm::DatabaseConnection) -> Result<(), sea_orm_migration::DbErr> {
//! use sea_orm_migration::MigratorTrait;
//! migration::Migrator::up(db, None).await?;
//! # Ok(()) }
//! ```
pub use sea_orm_migration::prelude::*;

mod m20261127_000001_courses;
mod m20261127_000002_users;
mod m20261127_000003_orders;
mod m20261127_000004_payment_events;
mod m20261127_000005_lifecycle;
mod m20261201_000006_accounts_hardening;
mod m20261201_000007_notify_refusals;
mod m20261201_000008_open_order_key;
mod m20261202_000009_return_verdict;

/// Runs every migration in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_courses::Migration),
            Box::new(m20261127_000002_users::Migration),
            Box::new(m20261127_000003_orders::Migration),
            Box::new(m20261127_000004_payment_events::Migration),
            Box::new(m20261127_000005_lifecycle::Migration),
            Box::new(m20261201_000006_accounts_hardening::Migration),
            Box::new(m20261201_000007_notify_refusals::Migration),
            Box::new(m20261201_000008_open_order_key::Migration),
            Box::new(m20261202_000009_return_verdict::Migration),
        ]
    }
}
