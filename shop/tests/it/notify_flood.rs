//! Refused notifies cost us no more than they sent: bounded rows, a per-order limit per window
//! (then only counted, in the database so instances agree), and the genuine notify still applies.

use std::sync::{Arc, Mutex};

use crate::common::fixture;
use alipay::Clock;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use shop::entity::payment_event;
use shop::orders::{NewOrder, OrderStatus, create_order, order_for_user};
use shop::payment::{
    MAX_DETAIL, MAX_REFUSED_RAW, MAX_STORED_PER_WINDOW, WINDOW_MINUTES, handle_notify,
    refused_not_stored,
};

struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    fn advance(&self, d: chrono::Duration) {
        *self.0.lock().unwrap() += d;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

async fn new_order(shop: &shop::Shop, student: shop::accounts::UserId) -> String {
    let req = NewOrder {
        user_id: student,
        goods_pks: "1",
        total_amount: "99.00",
    };
    create_order(shop, req).await.expect("create").out_trade_no
}

/// A genuinely signed notify for `no` with a ~60 KB field of control bytes appended after signing:
/// the signature no longer matches, and the error quotes the whole signed string in `{:?}` form
/// (each control byte six characters).
fn hostile(no: &str) -> Vec<u8> {
    let mut body = fixture::notify_body(no, "99.00", &[]);
    body.extend_from_slice(b"&memo=");
    for i in 0..20_000u32 {
        // Percent-encoded control bytes, CR/LF, NUL, and raw control bytes mixed in.
        let b = [1u8, 0, b'\r', b'\n', 0x7f, 0x1b][i as usize % 6];
        body.extend_from_slice(format!("%{b:02X}").as_bytes());
    }
    body.extend_from_slice(&[0x01; 1000]);
    assert!(body.len() > 60_000);
    body
}

/// (rows, bytes of detail + raw) of refused notifies stored under `no`.
async fn stored(db: &shop::db::Db, no: &str) -> (usize, usize) {
    let rows = payment_event::Entity::find()
        .filter(payment_event::Column::OutTradeNo.eq(no))
        .filter(payment_event::Column::Verdict.eq("bad_signature"))
        .all(db)
        .await
        .expect("events");
    for r in &rows {
        assert!(
            r.detail.len() <= MAX_DETAIL,
            "detail {} bytes",
            r.detail.len()
        );
        assert!(r.raw.len() <= MAX_REFUSED_RAW, "raw {} bytes", r.raw.len());
    }
    let bytes = rows.iter().map(|r| r.detail.len() + r.raw.len()).sum();
    (rows.len(), bytes)
}

each_backend! {
    async fn a_flood_of_refused_notifies_is_bounded_then_counted_and_the_genuine_one_still_applies(t) {
        let clock = Arc::new(ManualClock(Mutex::new(
            "2026-11-27T04:00:00Z".parse().unwrap(),
        )));
        let (shop, student) = fixture::shop_with_clock(&t, clock.clone()).await;
        let no = new_order(&shop, student).await;
        let body = hostile(&no);
        let n = MAX_STORED_PER_WINDOW as usize;
        for _ in 0..n + 10 {
            assert_eq!(handle_notify(&shop, &body).await.body(), "failure");
        }
        let (rows, bytes) = stored(&t.db, &no).await;
        assert_eq!(rows, n, "{}: at most N stored per window", t.backend);
        assert!(
            bytes <= n * (MAX_DETAIL + MAX_REFUSED_RAW),
            "{}: {bytes} bytes stored for {} sent",
            t.backend,
            (n + 10) * body.len()
        );
        assert_eq!(
            refused_not_stored(&t.db, &no).await.unwrap(),
            10,
            "{}",
            t.backend
        );
        let page = shop::admin::timeline_page(&t.db, &no, None).await.unwrap();
        assert_eq!(page.refused_not_stored, 10, "the merchant sees the counter");

        // Still inside the window: counted only. After it: stored again, the counter kept.
        clock.advance(chrono::Duration::minutes(WINDOW_MINUTES - 1));
        assert_eq!(handle_notify(&shop, &body).await.body(), "failure");
        assert_eq!(stored(&t.db, &no).await.0, n, "{}", t.backend);
        assert_eq!(refused_not_stored(&t.db, &no).await.unwrap(), 11);
        clock.advance(chrono::Duration::minutes(2));
        assert_eq!(handle_notify(&shop, &body).await.body(), "failure");
        assert_eq!(
            stored(&t.db, &no).await.0,
            n + 1,
            "{}: a new window",
            t.backend
        );
        assert_eq!(refused_not_stored(&t.db, &no).await.unwrap(), 11);

        // The genuine notify for the same order number applies after all that.
        let genuine = fixture::notify_body(&no, "99.00", &[]);
        assert_eq!(handle_notify(&shop, &genuine).await.body(), "success");
        let order = order_for_user(&t.db, student, &no).await.expect("order");
        assert_eq!(order.status, OrderStatus::Paid, "{}", t.backend);
    }
}

each_backend! {
    async fn invented_order_numbers_share_one_limit(t) {
        let (shop, _) = fixture::shop(&t).await;
        let n = MAX_STORED_PER_WINDOW as usize;
        let mut rows = 0;
        for i in 0..n + 5 {
            let no = format!("CPFAKE{i:04}");
            assert_eq!(handle_notify(&shop, &hostile(&no)).await.body(), "failure");
            rows += stored(&t.db, &no).await.0;
        }
        for body in [&b""[..], b"%%%&&==", &[0u8; 70_000][..]] {
            assert_eq!(handle_notify(&shop, body).await.body(), "failure");
        }
        assert_eq!(rows, n, "{}", t.backend);
        assert_eq!(
            refused_not_stored(&t.db, "").await.unwrap(),
            8,
            "{}",
            t.backend
        );
    }
}

each_backend! {
    threads = 4;
    async fn two_instances_share_the_limit(t) {
        let (one, student) = fixture::shop(&t).await;
        let db2 = shop::db::connect(&t.url).await.expect("second pool");
        let two = fixture::instance(db2);
        let no = new_order(&one, student).await;
        let body = Arc::new(hostile(&no));
        let tasks: Vec<_> = (0..40)
            .map(|i| {
                let shop = if i % 2 == 0 { one.clone() } else { two.clone() };
                let body = body.clone();
                tokio::spawn(async move { handle_notify(&shop, &body).await.body() })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.expect("join"), "failure");
        }
        let n = MAX_STORED_PER_WINDOW as usize;
        assert_eq!(stored(&t.db, &no).await.0, n, "{}", t.backend);
        assert_eq!(
            refused_not_stored(&t.db, &no).await.unwrap(),
            (40 - n) as i64,
            "{}",
            t.backend
        );
    }
}
