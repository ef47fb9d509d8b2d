//! Trade life cycle: opened at the cashier, paid, closed (by API or timeout), refunded.

pub mod refund;

use std::sync::Arc;

use alipay::money::Money;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, TransactionTrait};

use crate::config::MerchantApp;
use crate::ids;
use crate::notify::build::{Event, notify_params};
use crate::state::Inner;
use crate::store::{NewDelivery, Store, WAIT_BUYER_PAY, trade};

pub const TRADE_SUCCESS: &str = "TRADE_SUCCESS";
pub const TRADE_CLOSED: &str = "TRADE_CLOSED";
pub const TRADE_FINISHED: &str = "TRADE_FINISHED";

/// A validated page-pay request.
#[derive(Clone, Debug)]
pub struct OpenRequest {
    pub app: MerchantApp,
    pub out_trade_no: String,
    pub total: Money,
    pub subject: String,
    pub body: Option<String>,
    pub passback_params: Option<String>,
    pub notify_url: Option<String>,
    pub return_url: Option<String>,
    pub time_expire: DateTime<Utc>,
}

/// Why the cashier cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("the trade is already paid")]
    HasSuccess,
    #[error("the trade is closed")]
    HasClose,
    #[error("the request differs from the existing trade's")]
    Inconsistent,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The buyer reached the cashier: creates (or reuses) the `WAIT_BUYER_PAY` trade.
pub async fn open(inner: &Arc<Inner>, req: OpenRequest) -> Result<trade::Model, OpenError> {
    let now = inner.now();
    let txn = inner.store.db().begin().await?;
    let existing = Store::trade_by_out(&txn, &req.app.app_id, &req.out_trade_no).await?;
    let result = match existing {
        Some(t) if t.status == TRADE_SUCCESS || t.status == TRADE_FINISHED => {
            Err(OpenError::HasSuccess)
        }
        Some(t) if t.status == TRADE_CLOSED => Err(OpenError::HasClose),
        Some(t) if t.total_cents != req.total.cents() => Err(OpenError::Inconsistent),
        Some(t) if req.time_expire <= now => {
            close_in(inner, &txn, t, now).await?;
            Err(OpenError::HasClose)
        }
        Some(t) => {
            let mut m: trade::ActiveModel = t.into();
            m.subject = Set(req.subject);
            m.body = Set(req.body);
            m.passback_params = Set(req.passback_params);
            m.notify_url = Set(req.notify_url);
            m.return_url = Set(req.return_url);
            m.time_expire = Set(req.time_expire);
            Ok(Store::update_trade(&txn, m).await?)
        }
        None if req.time_expire <= now => Err(OpenError::HasClose),
        None => {
            let m = trade::ActiveModel {
                app_id: Set(req.app.app_id.clone()),
                out_trade_no: Set(req.out_trade_no),
                trade_no: Set(ids::trade_no(now)),
                status: Set(WAIT_BUYER_PAY.into()),
                total_cents: Set(req.total.cents()),
                refunded_cents: Set(0),
                subject: Set(req.subject),
                body: Set(req.body),
                passback_params: Set(req.passback_params),
                notify_url: Set(req.notify_url),
                return_url: Set(req.return_url),
                seller_id: Set(req.app.seller_id.clone()),
                seller_email: Set(req.app.seller_email.clone()),
                buyer_id: Set(None),
                buyer_logon_id: Set(None),
                gmt_create: Set(now),
                gmt_payment: Set(None),
                gmt_close: Set(None),
                time_expire: Set(req.time_expire),
                ..Default::default()
            };
            Ok(Store::insert_trade(&txn, m).await?)
        }
    };
    txn.commit().await?;
    inner.wake.notify_one();
    result
}

/// What paying at the cashier did.
pub enum PayOutcome {
    /// Paid now; the payment notify is scheduled (its delivery id, if there is a notify_url).
    Paid(trade::Model, Option<i32>),
    /// Already paid before (a double click): redirect again, notify nothing.
    AlreadyPaid(trade::Model),
    /// Closed or expired: nothing to pay.
    Closed,
    NotFound,
}

/// The buyer pressed 确认付款.
pub async fn pay(inner: &Arc<Inner>, trade_no: &str) -> Result<PayOutcome, DbErr> {
    let now = inner.now();
    let txn = inner.store.db().begin().await?;
    let out = match Store::trade_by_no(&txn, trade_no).await? {
        None => PayOutcome::NotFound,
        Some(t) if t.status == TRADE_SUCCESS || t.status == TRADE_FINISHED => {
            PayOutcome::AlreadyPaid(t)
        }
        Some(t) if t.status != WAIT_BUYER_PAY => PayOutcome::Closed,
        Some(t) if t.time_expire <= now => {
            close_in(inner, &txn, t, now).await?;
            PayOutcome::Closed
        }
        Some(t) => {
            let mut m: trade::ActiveModel = t.into();
            m.status = Set(TRADE_SUCCESS.into());
            m.buyer_id = Set(Some(ids::BUYER_ID.into()));
            m.buyer_logon_id = Set(Some(ids::BUYER_LOGON_ID.into()));
            m.gmt_payment = Set(Some(now));
            let t = Store::update_trade(&txn, m).await?;
            let d = enqueue(inner, &txn, &t, &Event::Pay, now).await?;
            PayOutcome::Paid(t, d)
        }
    };
    txn.commit().await?;
    inner.wake.notify_one();
    Ok(out)
}

/// Closes trade `id` if it is still unpaid; `None` if it is not (paid or closed meanwhile).
pub async fn close_if_open(inner: &Arc<Inner>, id: i32) -> Result<Option<trade::Model>, DbErr> {
    let now = inner.now();
    let txn = inner.store.db().begin().await?;
    let t = match Store::trade_by_id(&txn, id).await? {
        Some(t) if t.status == WAIT_BUYER_PAY => Some(close_in(inner, &txn, t, now).await?),
        _ => None,
    };
    txn.commit().await?;
    inner.wake.notify_one();
    Ok(t)
}

/// Closes every unpaid trade whose `time_expire` passed (with a `TRADE_CLOSED` notify).
pub async fn expire_due(inner: &Arc<Inner>, now: DateTime<Utc>) -> Result<(), DbErr> {
    for t in inner.store.expired_trades(now).await? {
        tracing::info!(out_trade_no = %t.out_trade_no, "trade expired: closing");
        close_if_open(inner, t.id).await?;
    }
    Ok(())
}

async fn close_in<C: ConnectionTrait>(
    inner: &Inner,
    conn: &C,
    t: trade::Model,
    now: DateTime<Utc>,
) -> Result<trade::Model, DbErr> {
    let mut m: trade::ActiveModel = t.into();
    m.status = Set(TRADE_CLOSED.into());
    m.gmt_close = Set(Some(now));
    let t = Store::update_trade(conn, m).await?;
    enqueue(inner, conn, &t, &Event::Close, now).await?;
    Ok(t)
}

/// Schedules the notify for `event` if the trade has a notify_url.
pub async fn enqueue<C: ConnectionTrait>(
    inner: &Inner,
    conn: &C,
    t: &trade::Model,
    event: &Event<'_>,
    now: DateTime<Utc>,
) -> Result<Option<i32>, DbErr> {
    let Some(url) = t.notify_url.clone().filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let notify_id = ids::notify_id(now);
    let params = notify_params(t, &notify_id, event);
    let delay = std::time::Duration::from_secs(u64::from(inner.faults.get().notify_delay_secs));
    let d = Store::insert_delivery(
        conn,
        NewDelivery {
            trade_id: t.id,
            notify_id,
            notify_url: url,
            kind: match event {
                Event::Pay => "pay",
                Event::Close => "close",
                Event::Refund { .. } => "refund",
            },
            params_json: serde_json::to_string(&params).unwrap_or_else(|_| "{}".into()),
            first_attempt_at: now + inner.clock.sim_duration(delay),
            now,
        },
    )
    .await?;
    Ok(Some(d.id))
}
