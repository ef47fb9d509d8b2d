use crate::common::fixture;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use shop::entity::payment_event;
use shop::orders::{NewOrder, OrderStatus, create_order, order_for_user};
use shop::payment::handle_notify;

async fn new_order(shop: &shop::Shop, student: shop::accounts::UserId) -> String {
    let req = NewOrder {
        user_id: student,
        goods_pks: "1",
        total_amount: "99.00",
    };
    create_order(shop, req).await.expect("create").out_trade_no
}

async fn verdicts(db: &shop::db::Db, out_trade_no: &str, verdict: &str) -> u64 {
    payment_event::Entity::find()
        .filter(payment_event::Column::OutTradeNo.eq(out_trade_no))
        .filter(payment_event::Column::Verdict.eq(verdict))
        .count(db)
        .await
        .expect("count")
}

each_backend! {
    threads = 4;
    async fn fifty_concurrent_duplicate_notifies_make_one_transition(t) {
        let (shop, student) = fixture::shop(&t).await;
        let no = new_order(&shop, student).await;
        let body = fixture::notify_body(&no, "99.00", &[]);
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (shop, body) = (shop.clone(), body.clone());
                tokio::spawn(async move { handle_notify(&shop, &body).await.body() })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.expect("join"), "success", "{}", t.backend);
        }
        let order = order_for_user(&t.db, student, &no).await.expect("order");
        assert_eq!(order.status, OrderStatus::Paid, "{}", t.backend);
        assert_eq!(
            order.trade_no.as_deref(),
            Some("2026112722001400001234567890")
        );
        assert!(order.pay_time.is_some());
        assert_eq!(
            verdicts(&t.db, &no, "applied").await,
            1,
            "{}: one transition",
            t.backend
        );
        assert_eq!(
            verdicts(&t.db, &no, "duplicate").await,
            49,
            "{}: every copy recorded",
            t.backend
        );
    }
}

each_backend! {
    async fn signed_notifies_with_a_wrong_amount_app_or_seller_change_nothing(t) {
        let (shop, student) = fixture::shop(&t).await;
        let no = new_order(&shop, student).await;
        type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
        let cases: [Case; 3] = [
            (&[], "0.01", "amount_mismatch"),
            (
                &[("app_id", "2021000000000999")],
                "99.00",
                "app_id_mismatch",
            ),
            (
                &[("seller_id", "2088000000000999")],
                "99.00",
                "seller_id_mismatch",
            ),
        ];
        for (overrides, total, verdict) in cases {
            let body = fixture::notify_body(&no, total, overrides);
            assert_eq!(
                handle_notify(&shop, &body).await.body(),
                "failure",
                "{}: {verdict}",
                t.backend
            );
            assert_eq!(
                verdicts(&t.db, &no, verdict).await,
                1,
                "{}: recorded {verdict}",
                t.backend
            );
        }
        let order = order_for_user(&t.db, student, &no).await.expect("order");
        assert_eq!(order.status, OrderStatus::Unpaid, "{}", t.backend);
        assert_eq!(order.trade_no, None);
    }
}

each_backend! {
    async fn tampered_unsigned_and_garbage_bodies_are_refused_without_panicking(t) {
        let (shop, student) = fixture::shop(&t).await;
        let no = new_order(&shop, student).await;
        let signed = String::from_utf8(fixture::notify_body(&no, "99.00", &[])).unwrap();
        let tampered = signed.replace("total_amount=99.00", "total_amount=0.01");
        let unsigned: String = signed
            .split('&')
            .filter(|kv| !kv.starts_with("sign="))
            .collect::<Vec<_>>()
            .join("&");
        for body in [
            tampered.as_bytes(),
            unsigned.as_bytes(),
            b"",
            b"%%%&&==",
            &[0xff, 0xfe, 0x00][..],
        ] {
            assert_eq!(
                handle_notify(&shop, body).await.body(),
                "failure",
                "{}",
                t.backend
            );
        }
        let unknown = fixture::notify_body("CP_NO_SUCH_ORDER", "99.00", &[]);
        assert_eq!(handle_notify(&shop, &unknown).await.body(), "failure");
        let order = order_for_user(&t.db, student, &no).await.expect("order");
        assert_eq!(order.status, OrderStatus::Unpaid, "{}", t.backend);
    }
}

each_backend! {
    async fn a_closed_trade_times_the_order_out_and_a_late_payment_is_kept_for_the_merchant(t) {
        let (shop, student) = fixture::shop(&t).await;
        let no = new_order(&shop, student).await;
        let closed = fixture::notify_body(
            &no,
            "99.00",
            &[
                ("trade_status", "TRADE_CLOSED"),
                ("gmt_close", "2026-11-27 12:15:00"),
            ],
        );
        assert_eq!(handle_notify(&shop, &closed).await.body(), "success");
        let order = order_for_user(&t.db, student, &no).await.expect("order");
        assert_eq!(order.status, OrderStatus::TimedOut, "{}", t.backend);
        // A payment arriving after we closed the order is recorded, never silently applied.
        let paid = fixture::notify_body(&no, "99.00", &[("notify_id", "late-1")]);
        assert_eq!(handle_notify(&shop, &paid).await.body(), "success");
        let order = order_for_user(&t.db, student, &no).await.expect("order");
        assert_eq!(order.status, OrderStatus::TimedOut, "{}", t.backend);
        assert_eq!(
            verdicts(&t.db, &no, "paid_after_close").await,
            1,
            "{}",
            t.backend
        );
    }
}
