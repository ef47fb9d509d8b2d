//! How many refused notifies we keep: at most [`MAX_STORED_PER_WINDOW`] per order number per
//! [`WINDOW_MINUTES`]; beyond that each is only counted. The counters live in the database, so
//! every instance sharing it agrees.
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::ShopError;
use crate::entity::notify_refusal as row;

/// Refused notifies stored per order number per window.
pub const MAX_STORED_PER_WINDOW: i32 = 20;

/// The window's length.
pub const WINDOW_MINUTES: i64 = 10;

/// The bucket of every refused notify that names no order of ours (or none at all).
pub(crate) const UNKNOWN_ORDER: &str = "";

/// Whether one more refused notify for `key` may be stored (`true`) or is only counted (`false`).
/// Each step is one conditional statement, so concurrent callers never store more than the limit.
pub(crate) async fn admit(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
) -> Result<bool, ShopError> {
    let key: String = key.chars().take(64).collect();
    row::Entity::insert(row::ActiveModel {
        out_trade_no: Set(key.clone()),
        window_start: Set(now),
        stored_in_window: Set(0),
        counted: Set(0),
        last_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(row::Column::OutTradeNo)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let window_opened_after = now - Duration::minutes(WINDOW_MINUTES);
    let this = row::Column::OutTradeNo.eq(key.as_str());
    let in_window = row::Entity::update_many()
        .col_expr(
            row::Column::StoredInWindow,
            Expr::col(row::Column::StoredInWindow).add(1),
        )
        .col_expr(row::Column::LastAt, Expr::value(now))
        .filter(this.clone())
        .filter(row::Column::WindowStart.gt(window_opened_after))
        .filter(row::Column::StoredInWindow.lt(MAX_STORED_PER_WINDOW))
        .exec(db)
        .await?;
    if in_window.rows_affected == 1 {
        return Ok(true);
    }
    let new_window = row::Entity::update_many()
        .col_expr(row::Column::WindowStart, Expr::value(now))
        .col_expr(row::Column::StoredInWindow, Expr::value(1))
        .col_expr(row::Column::LastAt, Expr::value(now))
        .filter(this.clone())
        .filter(row::Column::WindowStart.lte(window_opened_after))
        .exec(db)
        .await?;
    if new_window.rows_affected == 1 {
        return Ok(true);
    }
    row::Entity::update_many()
        .col_expr(row::Column::Counted, Expr::col(row::Column::Counted).add(1))
        .col_expr(row::Column::LastAt, Expr::value(now))
        .filter(this)
        .exec(db)
        .await?;
    Ok(false)
}

/// Refused notifies for `out_trade_no` that were counted and not stored.
///
/// ```no_run
/// # async fn f(db: &sea_orm::DatabaseConnection) -> Result<(), shop::ShopError> {
/// let dropped = shop::payment::refused_not_stored(db, "CP2026...").await?;
/// # let _ = dropped; Ok(()) }
/// ```
pub async fn refused_not_stored(
    db: &impl ConnectionTrait,
    out_trade_no: &str,
) -> Result<i64, ShopError> {
    Ok(row::Entity::find_by_id(out_trade_no.to_owned())
        .one(db)
        .await?
        .map_or(0, |r| r.counted))
}
