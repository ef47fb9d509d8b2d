//! Concurrent writers: on SQLite this instance's writes queue in process (no writer ever meets
//! another in SQLite's busy handler), and the database-level locking still keeps several
//! instances on one database correct, on SQLite and PostgreSQL.

use std::time::Duration;

use crate::common::fixture;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ColumnTrait, ConnectOptions, Database, EntityTrait, PaginatorTrait, QueryFilter};
use shop::entity::{order, payment_event};
use shop::orders::{NewOrder, OrderStatus, create_order};
use shop::payment::handle_notify;

fn one_course(student: shop::accounts::UserId) -> NewOrder<'static> {
    NewOrder {
        user_id: student,
        goods_pks: "1",
        total_amount: "99.00",
    }
}

async fn count_verdict(db: &shop::db::Db, verdict: &str) -> u64 {
    payment_event::Entity::find()
        .filter(payment_event::Column::Verdict.eq(verdict))
        .count(db)
        .await
        .expect("count")
}

/// A signed TRADE_SUCCESS for order `i` with its own trade number.
fn paid_notify(out_trade_no: &str, i: usize) -> Vec<u8> {
    let trade_no = format!("20261127220014{i:014}");
    fixture::notify_body(out_trade_no, "99.00", &[("trade_no", trade_no.as_str())])
}

/// SQLite with `busy_timeout = 0`: a writer that met another writer's lock would fail at once with
/// "database is locked" instead of sleeping in the busy handler. With the in-process queue, 64
/// concurrent order creations and then 64 concurrent notifies (plus a duplicate of each) all
/// succeed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_writers_queue_in_process_and_never_meet_the_busy_handler() {
    let t = crate::common::sqlite().await;
    shop::seed::seed_demo(&t.db, chrono::Utc::now())
        .await
        .expect("seed");
    let mut opt = ConnectOptions::new(t.url.clone());
    opt.sqlx_logging(false)
        .max_connections(6)
        .min_connections(6)
        .acquire_timeout(Duration::from_secs(30));
    opt.map_sqlx_sqlite_opts(|o| {
        o.journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::ZERO)
    });
    let strict = Database::connect(opt).await.expect("strict pool");
    let shop = fixture::instance(strict.clone());
    // One student per order: one student has one open order per course set.
    let students = fixture::students(&strict, "writer", 64).await;

    let creates: Vec<_> = (0..64)
        .map(|i| {
            let (shop, student) = (shop.clone(), students[i % students.len()]);
            tokio::spawn(async move { create_order(&shop, one_course(student)).await })
        })
        .collect();
    let mut numbers = Vec::new();
    for task in creates {
        let created = task.await.expect("join").expect("create under contention");
        numbers.push(created.out_trade_no);
    }
    assert_eq!(order::Entity::find().count(&strict).await.expect("n"), 64);

    let notifies: Vec<_> = numbers
        .iter()
        .enumerate()
        .flat_map(|(i, no)| [paid_notify(no, i), paid_notify(no, i)])
        .map(|body| {
            let shop = shop.clone();
            tokio::spawn(async move { handle_notify(&shop, &body).await.body() })
        })
        .collect();
    for task in notifies {
        assert_eq!(task.await.expect("join"), "success");
    }
    let paid = order::Entity::find()
        .filter(order::Column::Status.eq(OrderStatus::Paid))
        .count(&strict)
        .await
        .expect("paid");
    assert_eq!(paid, 64);
    assert_eq!(count_verdict(&strict, "applied").await, 64);
    assert_eq!(count_verdict(&strict, "duplicate").await, 64);
    strict.close().await.expect("close");
}

each_backend! {
    /// Two instances (two pools, two in-process queues) on one database: every order gets the same
    /// notify from both at once, plus out-of-order refund-free duplicates; each order moves exactly
    /// once and every answer is `success`. The database's locks, not the queue, make this hold.
    threads = 4;
    async fn two_instances_on_one_database_apply_each_payment_once(t) {
        let (a, _) = fixture::shop(&t).await;
        let other = shop::db::connect(&t.url).await.expect("second pool");
        let b = fixture::instance(other.clone());
        let students = fixture::students(&t.db, "buyer", 24).await;
        let mut numbers = Vec::new();
        for (i, student) in students.into_iter().enumerate() {
            let by = if i % 2 == 0 { &a } else { &b };
            let created = create_order(by, one_course(student)).await.expect("create");
            numbers.push(created.out_trade_no);
        }
        let tasks: Vec<_> = numbers
            .iter()
            .enumerate()
            .flat_map(|(i, no)| {
                let body = paid_notify(no, i);
                [a.clone(), b.clone(), a.clone(), b.clone()]
                    .into_iter()
                    .map(move |shop| (shop, body.clone()))
            })
            .map(|(shop, body)| {
                tokio::spawn(async move { handle_notify(&shop, &body).await.body() })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.expect("join"), "success", "{}", t.backend);
        }
        let paid = order::Entity::find()
            .filter(order::Column::Status.eq(OrderStatus::Paid))
            .count(&t.db)
            .await
            .expect("paid");
        assert_eq!(paid, 24, "{}", t.backend);
        assert_eq!(count_verdict(&t.db, "applied").await, 24, "{}", t.backend);
        assert_eq!(count_verdict(&t.db, "duplicate").await, 72, "{}", t.backend);
        other.close().await.expect("close");
    }
}

each_backend! {
    /// The one-statement basket read: an owned course is refused, an unknown one is named, and a
    /// second student is not affected by the first one's purchase.
    async fn ownership_is_per_student_and_per_course(t) {
        let (shop, student) = fixture::shop(&t).await;
        let other = shop::accounts::register(&t.db, "xiaohong", "password123", chrono::Utc::now())
            .await
            .expect("other")
            .id;
        let no = create_order(&shop, one_course(student))
            .await
            .expect("create")
            .out_trade_no;
        assert_eq!(
            handle_notify(&shop, &paid_notify(&no, 1)).await.body(),
            "success"
        );
        let again = create_order(&shop, one_course(student)).await.unwrap_err();
        assert!(
            matches!(again, shop::ShopError::AlreadyBought(_)),
            "{}: {again:?}",
            t.backend
        );
        let both = NewOrder {
            user_id: student,
            goods_pks: "2,1",
            total_amount: "398.00",
        };
        assert!(matches!(
            create_order(&shop, both).await.unwrap_err(),
            shop::ShopError::AlreadyBought(_)
        ));
        create_order(&shop, one_course(other))
            .await
            .expect("another student may buy it");
        let owned = shop::orders::owned_course_ids(&t.db, student)
            .await
            .expect("owned");
        assert_eq!(owned.into_iter().collect::<Vec<_>>(), vec![1]);
        assert!(
            shop::orders::owned_course_ids(&t.db, other)
                .await
                .expect("owned")
                .is_empty()
        );
    }
}
