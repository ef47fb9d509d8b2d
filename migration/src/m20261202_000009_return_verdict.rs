use sea_orm_migration::prelude::*;

use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::m20261127_000004_payment_events::PaymentEvent;

/// Verdicts are one closed set of texts (`shop::payment::Verdict`). Synchronous returns were
/// recorded with a verdict of their own, `returned`, outside that set: a return changes no order,
/// which is the verdict `no_change`. Every other column and row is kept as it is.
///
/// `down` leaves the rows as `no_change`: the schema is the same either way, and code from before
/// this migration reads any verdict text.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The verdict returns were recorded with before this migration.
const OLD: &str = "returned";
/// The verdict they carry now.
const NEW: &str = "no_change";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let update = Query::update()
            .table(PaymentEvent::Table)
            .value(PaymentEvent::Verdict, NEW)
            .and_where(Expr::col(PaymentEvent::Verdict).eq(OLD))
            .to_owned();
        m.get_connection().execute(&update).await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
