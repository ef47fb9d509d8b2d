use sea_orm_migration::prelude::*;

/// The catalog: a course and its price in integer cents.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Course {
    Table,
    Id,
    Name,
    Teacher,
    Description,
    PriceCents,
    Lessons,
    Level,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Course::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(Course::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Course::Name)
                        .string_len(128)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Course::Teacher).string_len(64).not_null())
                .col(ColumnDef::new(Course::Description).text().not_null())
                .col(ColumnDef::new(Course::PriceCents).big_integer().not_null())
                .col(ColumnDef::new(Course::Lessons).integer().not_null())
                .col(ColumnDef::new(Course::Level).string_len(16).not_null())
                .col(
                    ColumnDef::new(Course::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Course::Table).to_owned())
            .await
    }
}
