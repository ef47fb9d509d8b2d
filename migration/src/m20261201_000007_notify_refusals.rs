use sea_orm_migration::prelude::*;

/// Refused notifies (bad signature, garbage) per order number: how many were stored in the current
/// window and how many were only counted after that, shared by every instance.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum NotifyRefusal {
    Table,
    OutTradeNo,
    WindowStart,
    StoredInWindow,
    Counted,
    LastAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(NotifyRefusal::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(NotifyRefusal::OutTradeNo)
                        .string_len(64)
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(NotifyRefusal::WindowStart)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(NotifyRefusal::StoredInWindow)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(
                    ColumnDef::new(NotifyRefusal::Counted)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .col(
                    ColumnDef::new(NotifyRefusal::LastAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(NotifyRefusal::Table).to_owned())
            .await
    }
}
