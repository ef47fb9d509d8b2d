use sea_orm_migration::prelude::*;

use crate::m20261127_000003_orders::Order;

/// Every payment fact that reached us (notify, return, query), raw, with the verdict we gave it.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum PaymentEvent {
    Table,
    Id,
    OrderId,
    OutTradeNo,
    Source,
    NotifyId,
    TradeStatus,
    Verdict,
    Detail,
    Raw,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PaymentEvent::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(PaymentEvent::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(PaymentEvent::OrderId).big_integer().null())
                .col(
                    ColumnDef::new(PaymentEvent::OutTradeNo)
                        .string_len(64)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PaymentEvent::Source)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(PaymentEvent::NotifyId)
                        .string_len(128)
                        .null(),
                )
                .col(
                    ColumnDef::new(PaymentEvent::TradeStatus)
                        .string_len(32)
                        .null(),
                )
                .col(
                    ColumnDef::new(PaymentEvent::Verdict)
                        .string_len(32)
                        .not_null(),
                )
                .col(ColumnDef::new(PaymentEvent::Detail).text().not_null())
                .col(ColumnDef::new(PaymentEvent::Raw).text().not_null())
                .col(
                    ColumnDef::new(PaymentEvent::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(PaymentEvent::Table, PaymentEvent::OrderId)
                        .to(Order::Table, Order::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_payment_event_order")
                .table(PaymentEvent::Table)
                .col(PaymentEvent::OutTradeNo)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(PaymentEvent::Table).to_owned())
            .await
    }
}
