use std::collections::{BTreeMap, HashMap};

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::ChronoDateTimeUtc;
use sea_orm_migration::sea_orm::{ConnectionTrait, QueryResult, TryGetable};

use crate::m20261127_000003_orders::{Order, OrderCourse};

/// One unpaid order per student and course set: `open_key` ("user:sorted course ids") is set while
/// an order is unpaid and cleared when it leaves that state; its unique index makes a second open
/// order for the same set impossible, on every instance (NULLs never collide). The signed pay URL
/// and how long it stays valid are kept so a second 立即购买 gets the same URL.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum OpenOrder {
    OpenKey,
    PayUrl,
    PayUrlExpiresAt,
}

const INDEX: &str = "uq_order_open_key";
/// Status code of an unpaid order (see migration 000003).
const UNPAID: i16 = 0;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per ALTER: SQLite allows a single change per statement.
        let columns = [
            ColumnDef::new(OpenOrder::OpenKey)
                .string_len(255)
                .null()
                .to_owned(),
            ColumnDef::new(OpenOrder::PayUrl).text().null().to_owned(),
            ColumnDef::new(OpenOrder::PayUrlExpiresAt)
                .timestamp_with_time_zone()
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
        backfill(m).await?;
        m.create_index(
            Index::create()
                .unique()
                .name(INDEX)
                .table(Order::Table)
                .col(OpenOrder::OpenKey)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name(INDEX).table(Order::Table).to_owned())
            .await?;
        for col in [
            OpenOrder::OpenKey,
            OpenOrder::PayUrl,
            OpenOrder::PayUrlExpiresAt,
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

fn get<T: TryGetable>(row: &QueryResult, col: &str) -> Result<T, DbErr> {
    row.try_get("", col)
}

/// Gives every existing unpaid order its key; where several share one, only the one that stays
/// payable longest (then the newest) keeps it. Same rule as `shop::orders::open_key`.
async fn backfill(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let select = Query::select()
        .column((Order::Table, Order::Id))
        .column((Order::Table, Order::UserId))
        .column((Order::Table, Order::TimeExpire))
        .column((OrderCourse::Table, OrderCourse::CourseId))
        .from(Order::Table)
        .inner_join(
            OrderCourse::Table,
            Expr::col((OrderCourse::Table, OrderCourse::OrderId)).equals((Order::Table, Order::Id)),
        )
        .and_where(Expr::col((Order::Table, Order::Status)).eq(UNPAID))
        .to_owned();
    // order id -> (user id, time_expire, course ids)
    let mut orders: BTreeMap<i64, (i32, ChronoDateTimeUtc, Vec<i32>)> = BTreeMap::new();
    for row in db.query_all(&select).await? {
        let id: i64 = get(&row, "id")?;
        let course: i32 = get(&row, "course_id")?;
        let entry = match orders.entry(id) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(v) => {
                let user: i32 = get(&row, "user_id")?;
                let expire: ChronoDateTimeUtc = get(&row, "time_expire")?;
                v.insert((user, expire, Vec::new()))
            }
        };
        entry.2.push(course);
    }
    // key -> (time_expire, order id) of the order that keeps it.
    let mut keep: HashMap<String, (ChronoDateTimeUtc, i64)> = HashMap::new();
    for (id, (user, expire, mut courses)) in orders {
        courses.sort_unstable();
        let ids: Vec<String> = courses.iter().map(i32::to_string).collect();
        let key = format!("{user}:{}", ids.join(","));
        let best = keep.entry(key).or_insert((expire, id));
        if (expire, id) > *best {
            *best = (expire, id);
        }
    }
    for (key, (_, id)) in keep {
        let update = Query::update()
            .table(Order::Table)
            .value(OpenOrder::OpenKey, key)
            .and_where(Expr::col(Order::Id).eq(id))
            .to_owned();
        db.execute(&update).await?;
    }
    Ok(())
}
