//! Refunds (partial, then full) and late payments against the sandbox gateway.

use crate::lifecycle_support::*;
use alipay::Money;
use alipay_sandbox::Faults;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use shop::ShopError;
use shop::entity::{payment_event, refund as refund_row};
use shop::lifecycle::{LatePaymentPolicy, refund};
use shop::orders::OrderStatus;
use shop::payment::close_unpaid;

fn yuan(s: &str) -> Money {
    s.parse().expect("money")
}

each_backend! {
    async fn a_partial_then_a_full_refund_end_refunded_with_the_gateway_agreeing(t) {
        let env = env(&t, Faults::default()).await;
        let (no, url) = env.order().await;
        pay(&http(), &url).await;
        let db = t.db.clone();
        let n = no.clone();
        eventually(10, "paid by the notify", || {
            let (db, n) = (db.clone(), n.clone());
            async move { order_row(&db, &n).await.status == OrderStatus::Paid }
        })
        .await;

        let r = refund(&env.shop, &no, yuan("30.00"), "部分退款")
            .await
            .expect("partial");
        assert!(r.confirmed, "{}", t.backend);
        assert_eq!(r.refund_total, yuan("30.00"));
        assert_eq!(r.order_status, OrderStatus::Paid);
        assert_eq!(order_row(&t.db, &no).await.refunded_cents, 3000);
        assert_eq!(
            env.trade(&no).await,
            Some(("TRADE_SUCCESS".into(), "30.00".into()))
        );

        let too_much = refund(&env.shop, &no, yuan("80.00"), "超额").await;
        assert!(
            matches!(
                &too_much,
                Err(ShopError::Invalid {
                    field: "refund_amount",
                    ..
                })
            ),
            "{too_much:?}"
        );

        let r = refund(&env.shop, &no, yuan("69.00"), "全部退款")
            .await
            .expect("rest");
        assert!(r.confirmed);
        assert_eq!(r.order_status, OrderStatus::Refunded, "{}", t.backend);
        let o = order_row(&t.db, &no).await;
        assert_eq!((o.status, o.refunded_cents), (OrderStatus::Refunded, 9900));
        assert_eq!(
            env.trade(&no).await,
            Some(("TRADE_CLOSED".into(), "99.00".into())),
            "{}: totals match",
            t.backend
        );
        let again = refund(&env.shop, &no, yuan("1.00"), "再退").await;
        assert!(matches!(again, Err(ShopError::State(_))));
        let owned = shop::orders::owned_course_ids(&t.db, env.student)
            .await
            .expect("owned");
        assert!(!owned.contains(&1), "{}: the course locks again", t.backend);
        let rows = refund_row::Entity::find()
            .filter(refund_row::Column::OutTradeNo.eq(&no))
            .all(&t.db)
            .await
            .expect("refunds");
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.status == "success"));

        // The gateway's refund notifies (gmt_refund with milliseconds) verify and apply.
        let db = t.db.clone();
        let n = no.clone();
        eventually(10, "refund notifies recorded", || {
            let (db, n) = (db.clone(), n.clone());
            async move {
                let ev = payment_event::Entity::find()
                    .filter(payment_event::Column::OutTradeNo.eq(&n))
                    .filter(payment_event::Column::Source.eq("notify"))
                    .all(&db)
                    .await
                    .expect("events");
                assert!(
                    ev.iter()
                        .all(|e| e.verdict != shop::payment::Verdict::BadSignature),
                    "{ev:?}"
                );
                ev.len() >= 3
            }
        })
        .await;
        assert_eq!(order_row(&t.db, &no).await.refunded_cents, 9900);
    }
}

/// The order timed out on our side while the buyer still had the cashier open, then paid.
async fn paid_after_close(env: &Env, t: &crate::common::TestDb) -> String {
    let (no, url) = env.order().await;
    let cashier = open_cashier(&http(), &url).await;
    close_unpaid(
        &env.shop,
        &no,
        OrderStatus::TimedOut,
        shop::payment::EventSource::Expire,
        "test",
    )
    .await
    .expect("close");
    pay_at(&http(), &cashier).await;
    let (db, n) = (t.db.clone(), no.clone());
    eventually(10, "late payment recorded", || {
        let (db, n) = (db.clone(), n.clone());
        async move { events(&db, &n, "notify", "paid_after_close").await > 0 }
    })
    .await;
    no
}

each_backend! {
    async fn a_late_payment_is_refunded_or_accepted_per_policy(t) {
        let env = env(&t, Faults::default()).await;
        let no = paid_after_close(&env, &t).await;
        let r = env
            .jobs(LatePaymentPolicy::Refund)
            .tick()
            .await
            .expect("tick");
        assert_eq!(r.late, 1, "{}", t.backend);
        assert_eq!(order_row(&t.db, &no).await.status, OrderStatus::TimedOut);
        assert_eq!(
            env.trade(&no).await,
            Some(("TRADE_CLOSED".into(), "99.00".into())),
            "{}",
            t.backend
        );
        let r = env
            .jobs(LatePaymentPolicy::Refund)
            .tick()
            .await
            .expect("tick");
        assert_eq!(r.late, 0, "{}: handled once", t.backend);

        let no = paid_after_close(&env, &t).await;
        let r = env
            .jobs(LatePaymentPolicy::Accept)
            .tick()
            .await
            .expect("tick");
        assert_eq!(r.late, 1, "{}", t.backend);
        let o = order_row(&t.db, &no).await;
        assert_eq!(
            o.status,
            OrderStatus::Paid,
            "{}: re-opened as paid",
            t.backend
        );
        assert!(o.trade_no.is_some());
        assert_eq!(
            env.trade(&no).await,
            Some(("TRADE_SUCCESS".into(), "0.00".into()))
        );
    }
}
