//! Reconciliation by query when notifies never arrive, and back-off on unknown answers.

use crate::lifecycle_support::*;
use alipay_sandbox::Faults;
use chrono::Duration;
use shop::lifecycle::LatePaymentPolicy;
use shop::orders::OrderStatus;

each_backend! {
    async fn with_every_notify_dropped_reconciliation_marks_all_paid_orders_paid(t) {
        let faults = Faults {
            drop_all_notifies: true,
            ..Default::default()
        };
        let env = env(&t, faults).await;
        let http = http();
        let mut paid = Vec::new();
        let mut open = Vec::new();
        for i in 0..8 {
            let (no, url) = env.another_order().await;
            if i % 2 == 0 {
                pay(&http, &url).await;
                paid.push(no);
            } else {
                if i % 3 == 0 {
                    open_cashier(&http, &url).await;
                }
                open.push(no);
            }
        }
        let jobs = env.jobs(LatePaymentPolicy::Refund);
        assert_eq!(
            jobs.tick().await.expect("tick").reconciled,
            0,
            "{}",
            t.backend
        );

        // A return came back for one of them (the page recorded it, its query failed).
        let sql = format!(
            "UPDATE \"order\" SET returned_at = created_at WHERE out_trade_no = '{}'",
            paid[0]
        );
        exec(&t.db, &sql).await;
        assert_eq!(
            jobs.tick().await.expect("tick").reconciled,
            1,
            "{}",
            t.backend
        );
        assert_eq!(order_row(&t.db, &paid[0]).await.status, OrderStatus::Paid);

        // Near expiry every open order is asked about.
        env.clock.advance(Duration::minutes(14));
        let r = jobs.tick().await.expect("tick");
        assert_eq!(r.reconciled, 7, "{}", t.backend);
        for no in &paid {
            let o = order_row(&t.db, no).await;
            assert_eq!(o.status, OrderStatus::Paid, "{}: {no}", t.backend);
            assert!(o.trade_no.is_some() && o.pay_time.is_some());
            assert_eq!(events(&t.db, no, "query", "applied").await, 1);
        }
        for no in &open {
            assert_eq!(order_row(&t.db, no).await.status, OrderStatus::Unpaid);
        }
        // Unpaid ones wait for their next check; then expiry takes them.
        assert_eq!(
            jobs.tick().await.expect("tick").reconciled,
            0,
            "{}",
            t.backend
        );
        env.clock.advance(Duration::minutes(2));
        let r = jobs.tick().await.expect("tick");
        assert_eq!(r.expired, open.len(), "{}", t.backend);
        for no in &open {
            assert_eq!(order_row(&t.db, no).await.status, OrderStatus::TimedOut);
        }
    }
}

each_backend! {
    async fn unknown_answers_back_off_exponentially(t) {
        let env = env(
            &t,
            Faults {
                drop_all_notifies: true,
                query_unknown: true,
                ..Default::default()
            },
        )
        .await;
        let http = http();
        let (no, url) = env.order().await;
        pay(&http, &url).await;
        let sql =
            format!("UPDATE \"order\" SET returned_at = created_at WHERE out_trade_no = '{no}'");
        exec(&t.db, &sql).await;
        let jobs = env.jobs(LatePaymentPolicy::Refund);
        assert_eq!(
            jobs.tick().await.expect("tick").reconciled,
            1,
            "{}",
            t.backend
        );
        let mut waited = Vec::new();
        for _ in 0..3 {
            // Not due again until the back-off has passed.
            let mut secs = 0;
            loop {
                env.clock.advance(Duration::seconds(15));
                secs += 15;
                if jobs.tick().await.expect("tick").reconciled > 0 {
                    break;
                }
                assert!(secs < 600, "never retried");
            }
            waited.push(secs);
        }
        assert_eq!(waited, vec![30, 60, 120], "{}: 30 s, doubling", t.backend);
        assert_eq!(order_row(&t.db, &no).await.status, OrderStatus::Unpaid);
        env.sandbox.set_faults(Faults {
            drop_all_notifies: true,
            ..Default::default()
        });
        env.clock.advance(Duration::minutes(5));
        jobs.tick().await.expect("tick");
        assert_eq!(
            order_row(&t.db, &no).await.status,
            OrderStatus::Paid,
            "{}",
            t.backend
        );
    }
}
