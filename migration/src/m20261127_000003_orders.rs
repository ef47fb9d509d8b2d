use sea_orm_migration::prelude::*;

use crate::m20261127_000001_courses::Course;
use crate::m20261127_000002_users::User;

/// Orders and the courses each one buys. Money in integer cents; status codes as the seed
/// (0 unpaid, 1 paid, 2 cancelled, 3 timed out, 4 refunded).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Order {
    Table,
    Id,
    OutTradeNo,
    UserId,
    Subject,
    TotalCents,
    Status,
    PayType,
    TradeNo,
    BuyerId,
    PayTime,
    TimeExpire,
    ReturnedAt,
    RefundedCents,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum OrderCourse {
    Table,
    Id,
    OrderId,
    CourseId,
    PriceCents,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Order::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(Order::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Order::OutTradeNo)
                        .string_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Order::UserId).integer().not_null())
                .col(ColumnDef::new(Order::Subject).string_len(256).not_null())
                .col(ColumnDef::new(Order::TotalCents).big_integer().not_null())
                .col(ColumnDef::new(Order::Status).small_integer().not_null())
                .col(ColumnDef::new(Order::PayType).small_integer().not_null())
                .col(ColumnDef::new(Order::TradeNo).string_len(64).null())
                .col(ColumnDef::new(Order::BuyerId).string_len(32).null())
                .col(
                    ColumnDef::new(Order::PayTime)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(Order::TimeExpire)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Order::ReturnedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(Order::RefundedCents)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .col(
                    ColumnDef::new(Order::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Order::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Order::Table, Order::UserId)
                        .to(User::Table, User::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_order_user")
                .table(Order::Table)
                .col(Order::UserId)
                .col(Order::Status)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_order_status_expire")
                .table(Order::Table)
                .col(Order::Status)
                .col(Order::TimeExpire)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OrderCourse::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(OrderCourse::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(OrderCourse::OrderId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(OrderCourse::CourseId).integer().not_null())
                .col(
                    ColumnDef::new(OrderCourse::PriceCents)
                        .big_integer()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(OrderCourse::Table, OrderCourse::OrderId)
                        .to(Order::Table, Order::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(OrderCourse::Table, OrderCourse::CourseId)
                        .to(Course::Table, Course::Id),
                )
                .index(
                    Index::create()
                        .unique()
                        .name("uq_order_course")
                        .col(OrderCourse::OrderId)
                        .col(OrderCourse::CourseId),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(OrderCourse::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Order::Table).to_owned())
            .await
    }
}
