//! One clock: every instant the shop stores or signs comes from the injected clock, never from the
//! wall clock. The clock here is years away from today, so a wall-clock stamp cannot pass.

use std::sync::{Arc, Mutex};

use crate::common::fixture;
use alipay::Clock;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use shop::entity::{course, order, payment_event, user};
use shop::orders::{NewOrder, OrderStatus, create_order};
use shop::payment::handle_notify;

struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    fn advance(&self, d: Duration) {
        *self.0.lock().unwrap() += d;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// 2011-11-11 20:00:00 UTC: 2011-11-12 in Beijing.
fn start() -> DateTime<Utc> {
    "2011-11-11T20:00:00Z".parse().unwrap()
}

each_backend! {
    async fn orders_events_accounts_and_tokens_are_stamped_by_the_injected_clock(t) {
        let clock = Arc::new(ManualClock(Mutex::new(start())));
        let (shop, student) = fixture::shop_with_clock(&t, clock.clone()).await;
        let b = t.backend;

        // The seed and the registration were stamped with the clock's instant.
        let c = course::Entity::find_by_id(1)
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.created_at, start(), "{b}: course created_at");
        let u = user::Entity::find_by_id(student)
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(u.created_at, start(), "{b}: user created_at");

        // An order: created_at and updated_at are the instant the order was priced at.
        let req = NewOrder {
            user_id: student,
            goods_pks: "1",
            total_amount: "99.00",
        };
        let no = create_order(&shop, req).await.expect("create").out_trade_no;
        assert!(no.starts_with("CP20111112040000"), "{b}: {no}");
        let o = order::Entity::find()
            .filter(order::Column::OutTradeNo.eq(&no))
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(o.created_at, start(), "{b}: order created_at");
        assert_eq!(o.updated_at, start(), "{b}: order updated_at");
        assert_eq!(o.time_expire, start() + Duration::minutes(15), "{b}");

        // The payment, ten minutes later: the order's update and the timeline row say so.
        clock.advance(Duration::minutes(10));
        let paid_at = start() + Duration::minutes(10);
        let body = fixture::notify_body(
            &no,
            "99.00",
            &[
                ("notify_time", "2011-11-12 04:10:00"),
                ("gmt_create", "2011-11-12 04:00:00"),
                ("gmt_payment", "2011-11-12 04:10:00"),
            ],
        );
        assert_eq!(handle_notify(&shop, &body).await.body(), "success", "{b}");
        let o = order::Entity::find_by_id(o.id)
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(o.status, OrderStatus::Paid, "{b}");
        assert_eq!(o.created_at, start(), "{b}: order created_at kept");
        assert_eq!(o.updated_at, paid_at, "{b}: order updated_at on payment");
        let events = payment_event::Entity::find()
            .filter(payment_event::Column::OutTradeNo.eq(&no))
            .all(&t.db)
            .await
            .unwrap();
        assert_eq!(events.len(), 1, "{b}");
        assert_eq!(
            events[0].created_at, paid_at,
            "{b}: payment event created_at"
        );

        // A registration through the shop's clock, and a session token for it.
        let a = shop::accounts::register(&t.db, "clocked", "password123", shop.clock().now())
            .await
            .unwrap();
        let u = user::Entity::find_by_id(a.id)
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(u.created_at, paid_at, "{b}: registered user created_at");
        let token = shop::accounts::session::issue(&shop, &a).unwrap();
        let claims = shop::accounts::session::verify(&shop, &token)
            .await
            .expect("a fresh token is valid at the shop's now");
        assert_eq!(claims.iat, paid_at.timestamp(), "{b}: token iat");
        assert_eq!(
            claims.exp,
            (paid_at + Duration::hours(1)).timestamp(),
            "{b}"
        );

        // The token expires by the shop's clock, not the wall clock.
        clock.advance(Duration::hours(1) + Duration::seconds(1));
        assert!(
            shop::accounts::session::verify(&shop, &token)
                .await
                .is_err(),
            "{b}: expired at the shop's now"
        );

        // The daily summary buckets by Beijing day: 20:00 UTC is the next day in Beijing.
        let days = shop::admin::daily_summary(&t.db, shop.clock().now(), 2)
            .await
            .unwrap();
        let last = days.last().unwrap();
        assert_eq!(last.day, "2011-11-12", "{b}");
        assert_eq!((last.orders, last.paid_orders), (1, 1), "{b}");
        assert_eq!(last.paid.cents(), 9900, "{b}");
    }
}
