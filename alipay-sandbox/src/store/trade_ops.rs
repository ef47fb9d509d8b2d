//! Trade and refund queries.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::{Store, refund, trade};

pub const WAIT_BUYER_PAY: &str = "WAIT_BUYER_PAY";

impl Store {
    pub async fn trade_by_out<C: ConnectionTrait>(
        conn: &C,
        app_id: &str,
        out_trade_no: &str,
    ) -> Result<Option<trade::Model>, DbErr> {
        trade::Entity::find()
            .filter(trade::Column::AppId.eq(app_id))
            .filter(trade::Column::OutTradeNo.eq(out_trade_no))
            .one(conn)
            .await
    }

    pub async fn trade_by_id<C: ConnectionTrait>(
        conn: &C,
        id: i32,
    ) -> Result<Option<trade::Model>, DbErr> {
        trade::Entity::find_by_id(id).one(conn).await
    }

    pub async fn trade_by_no<C: ConnectionTrait>(
        conn: &C,
        trade_no: &str,
    ) -> Result<Option<trade::Model>, DbErr> {
        trade::Entity::find()
            .filter(trade::Column::TradeNo.eq(trade_no))
            .one(conn)
            .await
    }

    /// The app's trade named by `out_trade_no` or, failing that, `trade_no`.
    pub async fn find_trade<C: ConnectionTrait>(
        conn: &C,
        app_id: &str,
        out_trade_no: Option<&str>,
        trade_no: Option<&str>,
    ) -> Result<Option<trade::Model>, DbErr> {
        if let Some(o) = out_trade_no.filter(|s| !s.is_empty()) {
            return Self::trade_by_out(conn, app_id, o).await;
        }
        if let Some(t) = trade_no.filter(|s| !s.is_empty()) {
            return Ok(Self::trade_by_no(conn, t)
                .await?
                .filter(|m| m.app_id == app_id));
        }
        Ok(None)
    }

    pub async fn insert_trade<C: ConnectionTrait>(
        conn: &C,
        m: trade::ActiveModel,
    ) -> Result<trade::Model, DbErr> {
        m.insert(conn).await
    }

    pub async fn update_trade<C: ConnectionTrait>(
        conn: &C,
        m: trade::ActiveModel,
    ) -> Result<trade::Model, DbErr> {
        m.update(conn).await
    }

    /// Unpaid trades whose `time_expire` has passed.
    pub async fn expired_trades(&self, now: DateTime<Utc>) -> Result<Vec<trade::Model>, DbErr> {
        trade::Entity::find()
            .filter(trade::Column::Status.eq(WAIT_BUYER_PAY))
            .filter(trade::Column::TimeExpire.lte(now))
            .all(&self.db)
            .await
    }

    /// The earliest `time_expire` among unpaid trades.
    pub async fn next_expiry(&self) -> Result<Option<DateTime<Utc>>, DbErr> {
        Ok(trade::Entity::find()
            .filter(trade::Column::Status.eq(WAIT_BUYER_PAY))
            .order_by_asc(trade::Column::TimeExpire)
            .limit(1)
            .one(&self.db)
            .await?
            .map(|t| t.time_expire))
    }

    pub async fn all_trades(&self) -> Result<Vec<trade::Model>, DbErr> {
        trade::Entity::find()
            .order_by_desc(trade::Column::Id)
            .limit(500)
            .all(&self.db)
            .await
    }

    pub async fn refund_by_request<C: ConnectionTrait>(
        conn: &C,
        trade_id: i32,
        out_request_no: &str,
    ) -> Result<Option<refund::Model>, DbErr> {
        refund::Entity::find()
            .filter(refund::Column::TradeId.eq(trade_id))
            .filter(refund::Column::OutRequestNo.eq(out_request_no))
            .one(conn)
            .await
    }

    pub async fn insert_refund<C: ConnectionTrait>(
        conn: &C,
        m: refund::ActiveModel,
    ) -> Result<refund::Model, DbErr> {
        m.insert(conn).await
    }
}
