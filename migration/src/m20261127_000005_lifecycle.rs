use sea_orm_migration::prelude::*;

use crate::m20261127_000003_orders::Order;

/// After checkout: the background jobs' bookkeeping on each order (when to look again, how often
/// the gateway failed to answer, which instance holds it and until when) and the refunds table.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum OrderJob {
    NextCheckAt,
    CheckAttempts,
    ClaimedUntil,
    ClaimedBy,
}

#[derive(DeriveIden)]
pub enum Refund {
    Table,
    Id,
    OrderId,
    OutTradeNo,
    OutRequestNo,
    AmountCents,
    Reason,
    Status,
    Detail,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per ALTER: SQLite allows a single change per statement.
        let columns = [
            ColumnDef::new(OrderJob::NextCheckAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(OrderJob::CheckAttempts)
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
            ColumnDef::new(OrderJob::ClaimedUntil)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(OrderJob::ClaimedBy)
                .string_len(32)
                .null()
                .to_owned(),
        ];
        for mut col in columns {
            m.alter_table(
                Table::alter()
                    .table(Order::Table)
                    .add_column(&mut col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(Refund::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(Refund::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Refund::OrderId).big_integer().not_null())
                .col(ColumnDef::new(Refund::OutTradeNo).string_len(64).not_null())
                .col(
                    ColumnDef::new(Refund::OutRequestNo)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Refund::AmountCents).big_integer().not_null())
                .col(ColumnDef::new(Refund::Reason).string_len(256).not_null())
                .col(ColumnDef::new(Refund::Status).string_len(16).not_null())
                .col(ColumnDef::new(Refund::Detail).text().not_null())
                .col(
                    ColumnDef::new(Refund::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Refund::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Refund::Table, Refund::OrderId)
                        .to(Order::Table, Order::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_refund_order")
                .table(Refund::Table)
                .col(Refund::OrderId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_order_next_check")
                .table(Order::Table)
                .col(Order::Status)
                .col(OrderJob::NextCheckAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Refund::Table).to_owned())
            .await?;
        m.drop_index(
            Index::drop()
                .name("idx_order_next_check")
                .table(Order::Table)
                .to_owned(),
        )
        .await?;
        for col in [
            OrderJob::NextCheckAt,
            OrderJob::CheckAttempts,
            OrderJob::ClaimedUntil,
            OrderJob::ClaimedBy,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Order::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
