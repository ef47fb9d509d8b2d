//! A second payment for courses the student already paid for (two orders with overlapping
//! courses, two tabs, two gateways) is not applied: it is refunded in full by the late-payment job
//! against the gateway, shown on the merchant's timeline, and the student owns the course once.

use crate::lifecycle_support::*;
use alipay_sandbox::Faults;
use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use shop::entity::{order, order_course, refund as refund_row};
use shop::lifecycle::LatePaymentPolicy;
use shop::orders::{CreatedOrder, OrderStatus};
use shop::payment::close_unpaid;

use crate::common::fixture;

/// How many of the student's paid orders give `course`.
async fn paid_orders_with(
    db: &shop::db::Db,
    user_id: shop::accounts::UserId,
    course: i32,
) -> usize {
    let paid: Vec<i64> = order::Entity::find()
        .filter(order::Column::UserId.eq(user_id))
        .filter(order::Column::Status.eq(OrderStatus::Paid))
        .all(db)
        .await
        .expect("orders")
        .into_iter()
        .map(|o| o.id)
        .collect();
    order_course::Entity::find()
        .filter(order_course::Column::OrderId.is_in(paid))
        .filter(order_course::Column::CourseId.eq(course))
        .all(db)
        .await
        .expect("lines")
        .len()
}

async fn wait_verdict(t: &crate::common::TestDb, no: &str, verdict: &'static str) {
    let (db, no) = (t.db.clone(), no.to_owned());
    eventually(10, verdict, || {
        let (db, no) = (db.clone(), no.clone());
        async move { events(&db, &no, "notify", verdict).await > 0 }
    })
    .await;
}

/// The refund of `no` is done at the gateway and recorded, and the timeline says why.
async fn assert_refunded_as_duplicate(env: &Env, t: &crate::common::TestDb, no: &str, first: &str) {
    let rows = refund_row::Entity::find()
        .filter(refund_row::Column::OutTradeNo.eq(no))
        .all(&t.db)
        .await
        .expect("refunds");
    assert_eq!(rows.len(), 1, "{}: {rows:?}", t.backend);
    assert_eq!(
        (rows[0].status.as_str(), rows[0].amount_cents),
        ("success", 39800)
    );
    assert!(rows[0].reason.contains("重复购买"), "{}", rows[0].reason);
    assert_eq!(
        env.trade(no).await,
        Some(("TRADE_CLOSED".into(), "398.00".into())),
        "{}: refunded in full at the gateway",
        t.backend
    );
    let timeline = shop::admin::timeline(&t.db, no).await.expect("timeline");
    let verdict = timeline
        .iter()
        .find(|e| e.verdict == "duplicate_purchase")
        .unwrap_or_else(|| panic!("{}: {timeline:?}", t.backend));
    assert!(verdict.detail.contains(first), "{}", verdict.detail);
    assert!(
        timeline
            .iter()
            .any(|e| e.source == "refund" && e.verdict == "success")
    );
}

each_backend! {
    async fn a_second_paid_order_for_an_owned_course_is_refunded_in_full_automatically(t) {
        let env = env(&t, Faults::default()).await;
        let shop = env.clocked_shop();
        // Two tabs: {1} and {1,2} are different sets, so two open orders.
        let a = buy(&shop, env.student, "1", "99.00").await;
        let b = buy(&shop, env.student, "1,2", "398.00").await;
        let http = http();
        let cashier_a = open_cashier(&http, &a.pay_url).await;
        let cashier_b = open_cashier(&http, &b.pay_url).await;
        pay_at(&http, &cashier_a).await;
        wait_verdict(&t, &a.out_trade_no, "applied").await;
        pay_at(&http, &cashier_b).await;
        wait_verdict(&t, &b.out_trade_no, "duplicate_purchase").await;

        let b_row = order_row(&t.db, &b.out_trade_no).await;
        assert_eq!(b_row.status, OrderStatus::Cancelled, "{}", t.backend);
        assert_eq!(b_row.open_key, None);
        assert_eq!(
            order_row(&t.db, &a.out_trade_no).await.status,
            OrderStatus::Paid,
            "{}: the first payment stays",
            t.backend
        );
        // The refund is the late-payment job's, whatever the policy says about late payments.
        env.clock.advance(Duration::minutes(1));
        let r = env
            .jobs(LatePaymentPolicy::Accept)
            .tick()
            .await
            .expect("tick");
        assert_eq!(r.late, 1, "{}", t.backend);
        assert_refunded_as_duplicate(&env, &t, &b.out_trade_no, &a.out_trade_no).await;
        assert_eq!(
            env.trade(&a.out_trade_no).await,
            Some(("TRADE_SUCCESS".into(), "0.00".into()))
        );
        assert_eq!(paid_orders_with(&t.db, env.student, 1).await, 1);
        let owned = shop::orders::owned_course_ids(&t.db, env.student)
            .await
            .expect("owned");
        assert_eq!(owned, [1].into_iter().collect(), "{}", t.backend);
        let again = env
            .jobs(LatePaymentPolicy::Accept)
            .tick()
            .await
            .expect("tick");
        assert_eq!(again.late, 0, "{}: refunded once", t.backend);
    }
}

each_backend! {
    async fn a_payment_after_close_for_an_owned_course_is_refunded_even_if_late_payments_are_accepted(t) {
        let env = env(&t, Faults::default()).await;
        let shop = env.clocked_shop();
        let a = buy(&shop, env.student, "1", "99.00").await;
        let b = buy(&shop, env.student, "1,2", "398.00").await;
        let http = http();
        let cashier_a = open_cashier(&http, &a.pay_url).await;
        let cashier_b = open_cashier(&http, &b.pay_url).await;
        close_unpaid(
            &shop,
            &b.out_trade_no,
            OrderStatus::TimedOut,
            shop::payment::EventSource::Expire,
            "test",
        )
        .await
        .expect("close");
        pay_at(&http, &cashier_a).await;
        wait_verdict(&t, &a.out_trade_no, "applied").await;
        pay_at(&http, &cashier_b).await;
        wait_verdict(&t, &b.out_trade_no, "duplicate_purchase").await;

        env.clock.advance(Duration::minutes(1));
        let r = env
            .jobs(LatePaymentPolicy::Accept)
            .tick()
            .await
            .expect("tick");
        assert_eq!(r.late, 1, "{}", t.backend);
        assert_eq!(
            order_row(&t.db, &b.out_trade_no).await.status,
            OrderStatus::TimedOut,
            "{}: not re-opened as paid",
            t.backend
        );
        assert_refunded_as_duplicate(&env, &t, &b.out_trade_no, &a.out_trade_no).await;
        assert_eq!(paid_orders_with(&t.db, env.student, 1).await, 1);
    }
}

each_backend! {
    threads = 4;
    async fn concurrent_notifies_for_two_overlapping_orders_apply_exactly_one(t) {
        let (shop, _) = fixture::shop(&t).await;
        for round in 0..4 {
            let name = format!("student{round}");
            let student = shop::accounts::register(&t.db, &name, "password123", chrono::Utc::now())
                .await
                .expect("student")
                .id;
            let a = buy(&shop, student, "1", "99.00").await;
            let b = buy(&shop, student, "2,1", "398.00").await;
            let notify = |o: &CreatedOrder, total: &str, trade: &str| {
                fixture::notify_body(&o.out_trade_no, total, &[("trade_no", trade)])
            };
            let bodies = [
                notify(&a, "99.00", &format!("2026120122001400000000000{round}01")),
                notify(&b, "398.00", &format!("2026120122001400000000000{round}02")),
            ];
            let mut set = tokio::task::JoinSet::new();
            for body in bodies {
                let shop = shop.clone();
                set.spawn(async move { shop::payment::handle_notify(&shop, &body).await.body() });
            }
            let answers = set.join_all().await;
            assert_eq!(
                answers,
                ["success", "success"],
                "{} round {round}",
                t.backend
            );
            let statuses = [
                order_row(&t.db, &a.out_trade_no).await.status,
                order_row(&t.db, &b.out_trade_no).await.status,
            ];
            let paid = statuses.iter().filter(|s| **s == OrderStatus::Paid).count();
            assert_eq!(paid, 1, "{} round {round}: {statuses:?}", t.backend);
            assert!(statuses.contains(&OrderStatus::Cancelled));
            assert_eq!(paid_orders_with(&t.db, student, 1).await, 1);
            // A notify repeated for the refused payment is still settled, still not applied.
            let loser = if statuses[0] == OrderStatus::Paid {
                &b
            } else {
                &a
            };
            let (total, trade) = if loser == &b {
                ("398.00", format!("2026120122001400000000000{round}02"))
            } else {
                ("99.00", format!("2026120122001400000000000{round}01"))
            };
            let again = notify(loser, total, &trade);
            assert_eq!(
                shop::payment::handle_notify(&shop, &again).await.body(),
                "success"
            );
            assert_eq!(paid_orders_with(&t.db, student, 1).await, 1);
        }
    }
}
