//! Two instances (two shops with their own pools on one database) run the jobs concurrently over
//! 500 orders: every order is processed exactly once, none is skipped.

use std::collections::HashMap;

use crate::lifecycle_support::*;
use alipay_sandbox::Faults;
use chrono::Duration;
use sea_orm::{ConnectionTrait, DatabaseBackend, EntityTrait, Statement};
use shop::entity::{order, payment_event};
use shop::lifecycle::LatePaymentPolicy;
use shop::orders::OrderStatus;

const ORDERS: usize = 500;

/// A second connection pool on the same database as `t`.
async fn second_pool(t: &crate::common::TestDb) -> shop::db::Db {
    let backend = t.db.get_database_backend();
    let (sql, url) = if backend == DatabaseBackend::Postgres {
        ("SELECT current_database() AS v", None)
    } else {
        (
            "SELECT file AS v FROM pragma_database_list WHERE name = 'main'",
            Some(()),
        )
    };
    let row =
        t.db.query_one_raw(Statement::from_string(backend, sql))
            .await
            .expect("query")
            .expect("row");
    let v: String = row.try_get("", "v").expect("value");
    let url = match url {
        Some(()) => format!("sqlite://{v}?mode=rwc"),
        None => {
            let admin = std::env::var("COURSEPAY_TEST_PG")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
            let base = admin
                .rsplit_once('/')
                .map_or(admin.as_str(), |(b, _)| b)
                .to_owned();
            format!("{base}/{v}")
        }
    };
    shop::db::connect(&url).await.expect("second pool")
}

each_backend! {
    threads = 4;
    async fn two_instances_process_each_of_500_orders_exactly_once(t) {
        let started = std::time::Instant::now();
        let faults = Faults {
            drop_all_notifies: true,
            ..Default::default()
        };
        let env = env(&t, faults).await;
        let http = http();
        let mut expect_paid = HashMap::new();
        for i in 0..ORDERS {
            let (no, url) = env.another_order().await;
            if i % 10 == 0 {
                pay(&http, &url).await;
            } else if i % 5 == 0 {
                open_cashier(&http, &url).await;
            }
            expect_paid.insert(no, i % 10 == 0);
        }
        let other = shop_on(second_pool(&t).await, &env.sandbox, &env.notify_url);
        let a = env.jobs(LatePaymentPolicy::Refund);
        let b = jobs_for(other, env.clock.clone(), LatePaymentPolicy::Refund);
        env.clock.advance(Duration::minutes(16));
        let (ra, rb) = tokio::join!(
            tokio::spawn(async move { a.tick().await }),
            tokio::spawn(async move { b.tick().await })
        );
        let (ra, rb) = (
            ra.expect("join").expect("tick a"),
            rb.expect("join").expect("tick b"),
        );
        assert_eq!(
            ra.expired + rb.expired,
            ORDERS,
            "{}: {ra:?} {rb:?}",
            t.backend
        );
        assert!(
            ra.expired > 0 && rb.expired > 0,
            "{}: both worked: {ra:?} {rb:?}",
            t.backend
        );

        let events = payment_event::Entity::find()
            .all(&t.db)
            .await
            .expect("events");
        let mut per_order: HashMap<&str, Vec<&payment_event::Model>> = HashMap::new();
        for e in &events {
            per_order
                .entry(e.out_trade_no.as_str())
                .or_default()
                .push(e);
        }
        let orders = order::Entity::find().all(&t.db).await.expect("orders");
        assert_eq!(orders.len(), ORDERS);
        for o in &orders {
            let ev = per_order
                .get(o.out_trade_no.as_str())
                .cloned()
                .unwrap_or_default();
            assert_eq!(
                ev.len(),
                1,
                "{}: {} processed once: {ev:?}",
                t.backend,
                o.out_trade_no
            );
            assert_eq!(ev[0].verdict, shop::payment::Verdict::Applied);
            let want = if expect_paid[&o.out_trade_no] {
                OrderStatus::Paid
            } else {
                OrderStatus::TimedOut
            };
            assert_eq!(o.status, want, "{}: {}", t.backend, o.out_trade_no);
        }
        let again = env
            .jobs(LatePaymentPolicy::Refund)
            .tick()
            .await
            .expect("tick");
        assert_eq!(
            again,
            Default::default(),
            "{}: nothing skipped or left",
            t.backend
        );
        eprintln!("{}: {ORDERS} orders in {:?}", t.backend, started.elapsed());
    }
}
