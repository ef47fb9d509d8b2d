//! Reads what the shop (and the sandbox) recorded, with plain SQL that runs on SQLite and
//! PostgreSQL alike.
use std::collections::HashMap;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};

use crate::error::LoadError;

pub fn db_err(e: sea_orm::DbErr) -> LoadError {
    LoadError::Check(format!("database: {e}"))
}

pub async fn connect(url: &str) -> Result<DatabaseConnection, LoadError> {
    Database::connect(url).await.map_err(db_err)
}

/// Rows of `sql`, each column read by index with `read`.
pub async fn rows<T>(
    db: &DatabaseConnection,
    sql: &str,
    read: impl Fn(&sea_orm::QueryResult) -> Result<T, sea_orm::DbErr>,
) -> Result<Vec<T>, LoadError> {
    let stmt = Statement::from_string(db.get_database_backend(), sql);
    let all = db.query_all_raw(stmt).await.map_err(db_err)?;
    all.iter().map(|r| read(r).map_err(db_err)).collect()
}

/// An order as the shop stored it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderRow {
    pub status: i32,
    pub trade_no: Option<String>,
}

/// Events of one order: (source, verdict, count).
pub type Events = Vec<(String, String, i64)>;

/// The shop's orders and its payment events, counted by out_trade_no, source and verdict.
pub struct ShopState {
    pub orders: HashMap<String, OrderRow>,
    pub events: HashMap<String, Events>,
}

impl ShopState {
    pub async fn read(db: &DatabaseConnection) -> Result<ShopState, LoadError> {
        let orders = rows(
            db,
            r#"SELECT out_trade_no, CAST(status AS INTEGER), trade_no FROM "order""#,
            |r| {
                Ok((
                    r.try_get_by_index::<String>(0)?,
                    OrderRow {
                        status: r.try_get_by_index(1)?,
                        trade_no: r.try_get_by_index(2)?,
                    },
                ))
            },
        )
        .await?
        .into_iter()
        .collect();
        let mut events: HashMap<String, Events> = HashMap::new();
        let counted = rows(
            db,
            "SELECT out_trade_no, source, verdict, COUNT(*) FROM payment_event \
             GROUP BY out_trade_no, source, verdict",
            |r| {
                Ok((
                    r.try_get_by_index::<String>(0)?,
                    r.try_get_by_index::<String>(1)?,
                    r.try_get_by_index::<String>(2)?,
                    r.try_get_by_index::<i64>(3)?,
                ))
            },
        )
        .await?;
        for (o, source, verdict, n) in counted {
            events.entry(o).or_default().push((source, verdict, n));
        }
        Ok(ShopState { orders, events })
    }

    /// Events for one order, from one source (`None`: any) with one verdict.
    pub fn count(&self, out_trade_no: &str, source: Option<&str>, verdict: &str) -> i64 {
        self.events.get(out_trade_no).map_or(0, |e| {
            e.iter()
                .filter(|(s, v, _)| v == verdict && source.is_none_or(|x| x == s))
                .map(|(_, _, n)| *n)
                .sum()
        })
    }
}
