//! One unpaid order per student and course set: a second 立即购买 for the same courses gets the open
//! order back (same out_trade_no, same pay URL), concurrent creates on several instances make one
//! order, and a closed or nearly expired order no longer blocks a new one.

use std::collections::HashSet;

use crate::lifecycle_support::*;
use alipay_sandbox::Faults;
use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use shop::entity::order;
use shop::lifecycle::{LatePaymentPolicy, cancel_order};
use shop::orders::{CreatedOrder, NewOrder, OrderStatus, create_order};

async fn orders_of(db: &shop::db::Db, user_id: shop::accounts::UserId) -> u64 {
    order::Entity::find()
        .filter(order::Column::UserId.eq(user_id))
        .count(db)
        .await
        .expect("count")
}

each_backend! {
    async fn the_same_courses_twice_get_the_same_order_and_the_same_pay_url(t) {
        let env = env(&t, Faults::default()).await;
        let shop = env.clocked_shop();
        let first = buy(&shop, env.student, "1,2", "398.00").await;
        env.clock.advance(Duration::minutes(5));
        // The same set, written differently (order, spaces): the same order.
        for pks in ["1,2", "2,1", " 2 , 1 "] {
            let again = buy(&shop, env.student, pks, "398.00").await;
            assert_eq!(again, first, "{}: {pks:?}", t.backend);
        }
        assert_eq!(orders_of(&t.db, env.student).await, 1, "{}", t.backend);
        let row = order_row(&t.db, &first.out_trade_no).await;
        assert_eq!(row.pay_url.as_deref(), Some(first.pay_url.as_str()));
        let until = row.pay_url_expires_at.expect("stored expiry");
        assert!(
            until <= row.time_expire,
            "{}: the URL outlives the order",
            t.backend
        );
        // Both tabs reach the same trade at the gateway, which takes the URL.
        let http = http();
        let a = open_cashier(&http, &first.pay_url).await;
        let b = open_cashier(&http, &first.pay_url).await;
        assert_eq!(a, b, "{}", t.backend);
        // Paying it once makes the courses owned: no further order for them.
        pay_at(&http, &a).await;
        let (db, no) = (t.db.clone(), first.out_trade_no.clone());
        eventually(10, "paid by the notify", || {
            let (db, no) = (db.clone(), no.clone());
            async move { order_row(&db, &no).await.status == OrderStatus::Paid }
        })
        .await;
        assert_eq!(order_row(&t.db, &first.out_trade_no).await.open_key, None);
        let err = create_order(
            &shop,
            NewOrder {
                user_id: env.student,
                goods_pks: "1,2",
                total_amount: "398.00",
            },
        )
        .await
        .unwrap_err();
        assert!(matches!(err, shop::ShopError::AlreadyBought(_)), "{err}");
    }
}

each_backend! {
    async fn different_sets_and_different_students_are_different_orders(t) {
        let env = env(&t, Faults::default()).await;
        let shop = env.clocked_shop();
        let other = shop::accounts::register(&t.db, "xiaohong", "password123", chrono::Utc::now())
            .await
            .expect("second student")
            .id;
        let one = buy(&shop, env.student, "1", "99.00").await;
        let two = buy(&shop, env.student, "1,2", "398.00").await;
        let three = buy(&shop, env.student, "2", "299.00").await;
        let theirs = buy(&shop, other, "1", "99.00").await;
        let numbers: HashSet<_> = [&one, &two, &three, &theirs]
            .iter()
            .map(|o| o.out_trade_no.clone())
            .collect();
        assert_eq!(numbers.len(), 4, "{}", t.backend);
        // Each of them is handed out again, not duplicated.
        assert_eq!(buy(&shop, env.student, "1", "99.00").await, one);
        assert_eq!(buy(&shop, env.student, "2,1", "398.00").await, two);
        assert_eq!(buy(&shop, other, "1", "99.00").await, theirs);
        assert_eq!(orders_of(&t.db, env.student).await, 3, "{}", t.backend);
        assert_eq!(orders_of(&t.db, other).await, 1, "{}", t.backend);
    }
}

each_backend! {
    threads = 4;
    async fn eight_concurrent_creates_on_two_instances_make_one_order(t) {
        let env = env(&t, Faults::default()).await;
        let second = shop::db::connect(&t.url).await.expect("second pool");
        let clock: std::sync::Arc<dyn alipay::Clock> = env.clock.clone();
        let instances = [
            env.clocked_shop(),
            shop_on_clock(second, &env.sandbox, &env.notify_url, clock),
        ];
        for round in 0..3 {
            let pks = ["1,2,3", "3,2,1", "2,3,1"][round];
            let mut set = tokio::task::JoinSet::new();
            for i in 0..8 {
                let shop = instances[i % 2].clone();
                let student = env.student;
                set.spawn(async move { buy(&shop, student, pks, "797.00").await });
            }
            let made: Vec<CreatedOrder> = set.join_all().await;
            let first = &made[0];
            assert!(
                made.iter().all(|o| o == first),
                "{} round {round}: {made:?}",
                t.backend
            );
        }
        assert_eq!(orders_of(&t.db, env.student).await, 1, "{}", t.backend);
    }
}

each_backend! {
    async fn a_cancelled_closed_or_nearly_expired_order_no_longer_blocks_a_new_one(t) {
        let env = env(&t, Faults::default()).await;
        let shop = env.clocked_shop();
        let a = buy(&shop, env.student, "2", "299.00").await;
        assert_eq!(buy(&shop, env.student, "2", "299.00").await, a);

        // Cancelled: a new order, which is then the one handed out.
        cancel_order(&shop, env.student, &a.out_trade_no)
            .await
            .expect("cancel");
        let b = buy(&shop, env.student, "2", "299.00").await;
        assert_ne!(b.out_trade_no, a.out_trade_no, "{}", t.backend);
        assert_eq!(buy(&shop, env.student, "2", "299.00").await, b);

        // Closed by the gateway or the expiry job (超时取消): a new order.
        shop::payment::close_unpaid(
            &shop,
            &b.out_trade_no,
            OrderStatus::TimedOut,
            shop::payment::EventSource::Expire,
            "t",
        )
        .await
        .expect("close");
        assert_eq!(order_row(&t.db, &b.out_trade_no).await.open_key, None);
        let c = buy(&shop, env.student, "2", "299.00").await;
        assert_ne!(c.out_trade_no, b.out_trade_no, "{}", t.backend);

        // Less than a minute left: not handed out again; the old order gives its key up and the
        // expiry job still closes it.
        env.clock
            .advance(Duration::minutes(14) + Duration::seconds(30));
        let d = buy(&shop, env.student, "2", "299.00").await;
        assert_ne!(d.out_trade_no, c.out_trade_no, "{}", t.backend);
        let c_row = order_row(&t.db, &c.out_trade_no).await;
        assert_eq!(c_row.open_key, None);
        assert_eq!(c_row.status, OrderStatus::Unpaid);
        assert!(order_row(&t.db, &d.out_trade_no).await.open_key.is_some());
        env.clock.advance(Duration::minutes(1));
        env.jobs(LatePaymentPolicy::Refund)
            .tick()
            .await
            .expect("tick");
        assert_eq!(
            order_row(&t.db, &c.out_trade_no).await.status,
            OrderStatus::TimedOut,
            "{}",
            t.backend
        );
        assert_eq!(buy(&shop, env.student, "2", "299.00").await, d);
        assert_eq!(orders_of(&t.db, env.student).await, 4, "{}", t.backend);
    }
}

each_backend! {
    async fn a_reused_order_without_a_valid_stored_url_is_signed_again_and_never_past_its_expiry(t) {
        let env = env(&t, Faults::default()).await;
        let shop = env.clocked_shop();
        let a = buy(&shop, env.student, "1", "99.00").await;
        // As an order written before pay URLs were stored.
        exec(
            &t.db,
            &format!(
                "UPDATE \"order\" SET pay_url = NULL, pay_url_expires_at = NULL WHERE out_trade_no = '{}'",
                a.out_trade_no
            ),
        )
        .await;
        let again = buy(&shop, env.student, "1", "99.00").await;
        assert_eq!(again.out_trade_no, a.out_trade_no, "{}", t.backend);
        let row = order_row(&t.db, &a.out_trade_no).await;
        assert_eq!(row.pay_url.as_deref(), Some(again.pay_url.as_str()));
        assert!(row.pay_url_expires_at.is_some_and(|u| u <= row.time_expire));
        assert_eq!(buy(&shop, env.student, "1", "99.00").await, again);
        // The re-signed URL still opens the same trade at the gateway.
        let http = http();
        open_cashier(&http, &again.pay_url).await;
    }
}

each_backend! {
    async fn the_migration_keys_existing_open_orders_once_per_set(t) {
        use migration::MigratorTrait;
        let env = env(&t, Faults::default()).await;
        let shop = env.clocked_shop();
        // Two open orders for one set, as several clicks made them before the key existed.
        let older = buy(&shop, env.student, "1", "99.00").await;
        exec(&t.db, "UPDATE \"order\" SET open_key = NULL").await;
        env.clock.advance(Duration::minutes(2));
        let newer = buy(&shop, env.student, "1", "99.00").await;
        let other_set = buy(&shop, env.student, "2", "299.00").await;
        assert_ne!(older.out_trade_no, newer.out_trade_no);
        // Back to the schema before the open-key migration (and the ones after it), then forward
        // again.
        let from_open_key = migration::Migrator::migrations()
            .iter()
            .rev()
            .position(|m| m.name() == "m20261201_000008_open_order_key")
            .expect("the open-key migration is registered")
            + 1;
        migration::Migrator::down(&t.db, Some(from_open_key as u32))
            .await
            .expect("down");
        migration::Migrator::up(&t.db, None).await.expect("up");
        let key = |no: String| {
            let db = t.db.clone();
            async move { order_row(&db, &no).await.open_key }
        };
        let one = format!("{}:1", env.student);
        assert_eq!(key(older.out_trade_no.clone()).await, None, "{}", t.backend);
        assert_eq!(key(newer.out_trade_no.clone()).await, Some(one));
        assert_eq!(
            key(other_set.out_trade_no.clone()).await,
            Some(format!("{}:2", env.student))
        );
        // The keyed order is handed out again, with a URL signed anew (none was kept).
        let again = buy(&shop, env.student, "1", "99.00").await;
        assert_eq!(again.out_trade_no, newer.out_trade_no, "{}", t.backend);
        open_cashier(&http(), &again.pay_url).await;
    }
}
