//! Notify deliveries and their attempts.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::{Store, attempt, delivery};

pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";

/// A notify to schedule.
pub struct NewDelivery {
    pub trade_id: i32,
    pub notify_id: String,
    pub notify_url: String,
    pub kind: &'static str,
    pub params_json: String,
    pub first_attempt_at: DateTime<Utc>,
    pub now: DateTime<Utc>,
}

impl Store {
    pub async fn insert_delivery<C: ConnectionTrait>(
        conn: &C,
        d: NewDelivery,
    ) -> Result<delivery::Model, DbErr> {
        delivery::ActiveModel {
            trade_id: Set(d.trade_id),
            notify_id: Set(d.notify_id),
            notify_url: Set(d.notify_url),
            kind: Set(d.kind.to_string()),
            params_json: Set(d.params_json),
            attempts: Set(0),
            state: Set(PENDING.to_string()),
            next_attempt_at: Set(d.first_attempt_at),
            created_at: Set(d.now),
            ..Default::default()
        }
        .insert(conn)
        .await
    }

    pub async fn delivery(&self, id: i32) -> Result<Option<delivery::Model>, DbErr> {
        delivery::Entity::find_by_id(id).one(&self.db).await
    }

    /// Pending deliveries due at `now`.
    pub async fn due_deliveries(&self, now: DateTime<Utc>) -> Result<Vec<delivery::Model>, DbErr> {
        delivery::Entity::find()
            .filter(delivery::Column::State.eq(PENDING))
            .filter(delivery::Column::NextAttemptAt.lte(now))
            .order_by_asc(delivery::Column::NextAttemptAt)
            .limit(100)
            .all(&self.db)
            .await
    }

    /// Pending deliveries (for finding the next wake-up time).
    pub async fn pending_deliveries(&self) -> Result<Vec<delivery::Model>, DbErr> {
        delivery::Entity::find()
            .filter(delivery::Column::State.eq(PENDING))
            .order_by_asc(delivery::Column::NextAttemptAt)
            .limit(200)
            .all(&self.db)
            .await
    }

    /// Records one attempt round (all its copies) and moves the delivery on.
    pub async fn record_attempt(
        &self,
        d: &delivery::Model,
        attempts: Vec<attempt::ActiveModel>,
        state: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        for a in attempts {
            a.insert(&self.db).await?;
        }
        let mut m: delivery::ActiveModel = d.clone().into();
        m.attempts = Set(d.attempts + 1);
        m.state = Set(state.to_string());
        m.next_attempt_at = Set(next_attempt_at);
        m.update(&self.db).await?;
        Ok(())
    }

    pub async fn all_deliveries(&self) -> Result<Vec<delivery::Model>, DbErr> {
        delivery::Entity::find()
            .order_by_asc(delivery::Column::Id)
            .all(&self.db)
            .await
    }

    pub async fn all_attempts(&self) -> Result<Vec<attempt::Model>, DbErr> {
        attempt::Entity::find()
            .order_by_asc(attempt::Column::Id)
            .all(&self.db)
            .await
    }

    /// The latest simulated time the store has seen (so a restarted clock never runs backwards).
    pub async fn latest_time(&self) -> Result<Option<DateTime<Utc>>, DbErr> {
        let a = attempt::Entity::find()
            .order_by_desc(attempt::Column::SentAt)
            .limit(1)
            .one(&self.db)
            .await?
            .map(|a| a.sent_at);
        let d = delivery::Entity::find()
            .order_by_desc(delivery::Column::CreatedAt)
            .limit(1)
            .one(&self.db)
            .await?
            .map(|d| d.created_at);
        Ok(a.max(d))
    }
}
