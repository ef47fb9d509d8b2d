//! Expiry and cancel against the sandbox gateway, on SQLite and PostgreSQL.

use crate::lifecycle_support::*;
use alipay_sandbox::Faults;
use chrono::Duration;
use shop::ShopError;
use shop::lifecycle::{LatePaymentPolicy, cancel_order};
use shop::orders::OrderStatus;

each_backend! {
    async fn an_abandoned_order_times_out_and_is_closed_at_the_gateway(t) {
        let faults = Faults {
            drop_all_notifies: true,
            ..Default::default()
        };
        let env = env(&t, faults).await;
        let http = http();
        let (abandoned, url_a) = env.another_order().await;
        let (never_opened, _) = env.another_order().await;
        let (paid_late, url_c) = env.another_order().await;
        open_cashier(&http, &url_a).await;
        pay(&http, &url_c).await; // paid, but its notify is dropped
        let jobs = env.jobs(LatePaymentPolicy::Refund);

        let r = jobs.tick().await.expect("tick");
        assert_eq!(
            (r.expired, r.reconciled),
            (0, 0),
            "{}: nothing due yet",
            t.backend
        );
        assert_eq!(
            order_row(&t.db, &abandoned).await.status,
            OrderStatus::Unpaid
        );

        env.clock.advance(Duration::minutes(16));
        let r = jobs.tick().await.expect("tick");
        assert_eq!(r.expired, 3, "{}", t.backend);
        let status = |no: String| {
            let db = t.db.clone();
            async move { order_row(&db, &no).await.status }
        };
        assert_eq!(
            status(abandoned.clone()).await,
            OrderStatus::TimedOut,
            "{}",
            t.backend
        );
        assert_eq!(status(never_opened.clone()).await, OrderStatus::TimedOut);
        assert_eq!(
            status(paid_late.clone()).await,
            OrderStatus::Paid,
            "{}: paid in the last second",
            t.backend
        );
        let (gw, _) = env.trade(&abandoned).await.expect("trade at the gateway");
        assert_eq!(gw, "TRADE_CLOSED", "{}: closed at the gateway", t.backend);
        assert_eq!(env.trade(&never_opened).await, None);
        assert_eq!(events(&t.db, &abandoned, "expire", "applied").await, 1);
        assert_eq!(events(&t.db, &paid_late, "query", "applied").await, 1);

        let r = jobs.tick().await.expect("tick");
        assert_eq!(r, Default::default(), "{}: nothing left", t.backend);
    }
}

each_backend! {
    async fn a_student_cancels_an_unpaid_order_and_cannot_cancel_a_paid_one(t) {
        let faults = Faults {
            drop_all_notifies: true,
            ..Default::default()
        };
        let env = env(&t, faults).await;
        let http = http();
        let (open, url) = env.order().await;
        open_cashier(&http, &url).await;
        let view = cancel_order(&env.shop, env.student, &open)
            .await
            .expect("cancel");
        assert_eq!(view.status, OrderStatus::Cancelled, "{}", t.backend);
        assert_eq!(env.trade(&open).await.expect("trade").0, "TRADE_CLOSED");
        let again = cancel_order(&env.shop, env.student, &open).await;
        assert!(
            matches!(&again, Err(ShopError::State(m)) if m == "订单已取消"),
            "{again:?}"
        );
        // The cashier no longer takes the money.
        let resp = http.get(&url).send().await.expect("gateway");
        assert_ne!(resp.status(), 302, "{}: a closed trade reopened", t.backend);

        let (never, _) = env.order().await;
        let view = cancel_order(&env.shop, env.student, &never)
            .await
            .expect("cancel");
        assert_eq!(view.status, OrderStatus::Cancelled);
        let other = cancel_order(
            &env.shop,
            shop::accounts::UserId(env.student.0 + 1000),
            &never,
        )
        .await;
        assert!(matches!(other, Err(ShopError::NotFound(_))), "{other:?}");

        // Paid at the gateway, notify dropped: the cancel finds out and refuses.
        let (paid, url) = env.order().await;
        pay(&http, &url).await;
        let refused = cancel_order(&env.shop, env.student, &paid).await;
        assert!(
            matches!(&refused, Err(ShopError::State(m)) if m == "订单已支付，无法取消"),
            "{}: {refused:?}",
            t.backend
        );
        assert_eq!(order_row(&t.db, &paid).await.status, OrderStatus::Paid);
        let refused = cancel_order(&env.shop, env.student, &paid).await;
        assert!(matches!(refused, Err(ShopError::State(_))));
    }
}
