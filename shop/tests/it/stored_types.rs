//! The stored enums (order status, payment-event source and verdict, role) on both backends:
//! every variant reads back as itself, a stored value that names none reads as a typed error, and
//! the migration that closed the verdict set keeps the rows it found.

use chrono::{TimeZone, Utc};
use migration::MigratorTrait;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Iterable, Set};
use shop::ShopError;
use shop::accounts::Role;
use shop::entity::{order, payment_event, user};
use shop::orders::OrderStatus;
use shop::payment::{EventSource, Verdict};

fn at() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap()
}

async fn insert_order(
    db: &shop::db::Db,
    user_id: shop::accounts::UserId,
    no: &str,
    status: OrderStatus,
) -> i64 {
    order::ActiveModel {
        out_trade_no: Set(no.to_owned()),
        user_id: Set(user_id),
        subject: Set("课程".to_owned()),
        total_cents: Set(9900),
        status: Set(status),
        pay_type: Set(1),
        time_expire: Set(at()),
        refunded_cents: Set(0),
        created_at: Set(at()),
        updated_at: Set(at()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("order")
    .id
}

async fn insert_event(db: &shop::db::Db, no: &str, source: EventSource, verdict: Verdict) -> i64 {
    payment_event::ActiveModel {
        order_id: Set(None),
        out_trade_no: Set(no.to_owned()),
        source: Set(source),
        notify_id: Set(None),
        trade_status: Set(None),
        verdict: Set(verdict),
        detail: Set(String::new()),
        raw: Set(String::new()),
        created_at: Set(at()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("event")
    .id
}

each_backend! {
    async fn every_stored_variant_reads_back_as_itself(t) {
        let student = crate::common::fixture::students(&t.db, "rt", 1).await[0];
        for (i, status) in OrderStatus::iter().enumerate() {
            let no = format!("CPRT{i}");
            let id = insert_order(&t.db, student, &no, status).await;
            let row = order::Entity::find_by_id(id).one(&t.db).await.unwrap();
            assert_eq!(row.map(|o| o.status), Some(status), "{}", t.backend);
            // Stored as the code the seed and the JSON API use.
            let code: Option<i16> =
                t.db.query_one_raw(sea_orm::Statement::from_string(
                    t.db.get_database_backend(),
                    format!(r#"SELECT status FROM "order" WHERE id = {id}"#),
                ))
                .await
                .unwrap()
                .map(|r| r.try_get("", "status").unwrap());
            assert_eq!(code, Some(status.code()), "{}", t.backend);
        }
        let sources: Vec<EventSource> = EventSource::iter().collect();
        for (i, verdict) in Verdict::all().enumerate() {
            let source = sources[i % sources.len()];
            let id = insert_event(&t.db, "CPRT0", source, verdict).await;
            let row = payment_event::Entity::find_by_id(id)
                .one(&t.db)
                .await
                .unwrap()
                .expect("event row");
            assert_eq!(
                (row.source, row.verdict),
                (source, verdict),
                "{}",
                t.backend
            );
        }
        for source in EventSource::iter() {
            let id = insert_event(&t.db, "CPRT1", source, Verdict::Applied).await;
            let row = payment_event::Entity::find_by_id(id).one(&t.db).await;
            assert_eq!(row.unwrap().map(|e| e.source), Some(source));
        }
        for role in Role::iter() {
            user::Entity::update_many()
                .col_expr(user::Column::Role, sea_orm::sea_query::Expr::value(role))
                .exec(&t.db)
                .await
                .unwrap();
            let a = shop::accounts::account(&t.db, student).await.unwrap();
            assert_eq!(a.role, role, "{}", t.backend);
        }
    }
}

each_backend! {
    async fn a_stored_value_outside_the_set_is_a_typed_error(t) {
        let student = crate::common::fixture::students(&t.db, "hv", 1).await[0];
        let id = insert_order(&t.db, student, "CPHOSTILE", OrderStatus::Unpaid).await;
        for code in [-1, 5, 99] {
            let sql = format!(r#"UPDATE "order" SET status = {code} WHERE id = {id}"#);
            t.db.execute_unprepared(&sql).await.unwrap();
            assert!(
                order::Entity::find_by_id(id).one(&t.db).await.is_err(),
                "{}: status {code}",
                t.backend
            );
            assert!(
                matches!(
                    shop::orders::order_for_user(&t.db, student, "CPHOSTILE").await,
                    Err(ShopError::Db(_))
                ),
                "{}: status {code}",
                t.backend
            );
        }
        let ev = insert_event(&t.db, "CPHOSTILE", EventSource::Notify, Verdict::Applied).await;
        for (column, value) in [
            ("verdict", "returned"),
            ("verdict", "APPLIED"),
            ("verdict", ""),
            ("source", "created"),
            ("source", "Notify"),
        ] {
            let sql = format!(
                "UPDATE payment_event SET source = 'notify', verdict = 'applied' WHERE id = {ev}; \
                 UPDATE payment_event SET {column} = '{value}' WHERE id = {ev}"
            );
            for statement in sql.split("; ") {
                t.db.execute_unprepared(statement).await.unwrap();
            }
            assert!(
                payment_event::Entity::find_by_id(ev)
                    .one(&t.db)
                    .await
                    .is_err(),
                "{}: {column} {value:?}",
                t.backend
            );
        }
        for role in ["root", "ADMIN", ""] {
            let sql = format!(r#"UPDATE "user" SET role = '{role}' WHERE id = {student}"#);
            t.db.execute_unprepared(&sql).await.unwrap();
            assert!(
                matches!(
                    shop::accounts::account(&t.db, student).await,
                    Err(ShopError::Db(_))
                ),
                "{}: role {role:?}",
                t.backend
            );
        }
    }
}

each_backend! {
    async fn the_verdict_migration_keeps_every_row_and_maps_returns_to_no_change(t) {
        let student = crate::common::fixture::students(&t.db, "mg", 1).await[0];
        let order_id = insert_order(&t.db, student, "CPMIG", OrderStatus::Paid).await;
        // Back to the schema before the verdict migration (and the ones after it).
        let from_verdicts = migration::Migrator::migrations()
            .iter()
            .rev()
            .position(|m| m.name() == "m20261202_000009_return_verdict")
            .expect("the verdict migration is registered")
            + 1;
        migration::Migrator::down(&t.db, Some(from_verdicts as u32))
            .await
            .expect("down");
        // Rows as code from before the migration wrote them: a return with its own verdict.
        let rows = [
            ("notify", "applied", "paid"),
            ("return", "returned", "trade_no 2026"),
            ("query", "duplicate", "already"),
            ("return", "returned", "trade_no 2027"),
            ("late_accept", "paid_after_close", "late"),
        ];
        for (source, verdict, detail) in rows {
            let sql = format!(
                "INSERT INTO payment_event (order_id, out_trade_no, source, notify_id, \
                 trade_status, verdict, detail, raw, created_at) VALUES ({order_id}, 'CPMIG', \
                 '{source}', NULL, NULL, '{verdict}', '{detail}', 'raw {detail}', \
                 '2026-03-01 08:00:00+00:00')"
            );
            t.db.execute_unprepared(&sql).await.unwrap();
        }
        migration::Migrator::up(&t.db, None).await.expect("up");
        let mut events = payment_event::Entity::find()
            .all(&t.db)
            .await
            .expect("every row reads as typed values");
        events.sort_by_key(|e| e.id);
        let got: Vec<_> = events
            .iter()
            .map(|e| (e.source, e.verdict, e.detail.as_str(), e.raw.as_str()))
            .collect();
        use shop::orders::MerchantCase;
        assert_eq!(
            got,
            vec![
                (EventSource::Notify, Verdict::Applied, "paid", "raw paid"),
                (
                    EventSource::Return,
                    Verdict::NoChange,
                    "trade_no 2026",
                    "raw trade_no 2026"
                ),
                (
                    EventSource::Query,
                    Verdict::Duplicate,
                    "already",
                    "raw already"
                ),
                (
                    EventSource::Return,
                    Verdict::NoChange,
                    "trade_no 2027",
                    "raw trade_no 2027"
                ),
                (
                    EventSource::LateAccept,
                    Verdict::NeedsMerchant(MerchantCase::PaidAfterClose),
                    "late",
                    "raw late"
                ),
            ],
            "{}",
            t.backend
        );
        assert!(events.iter().all(|e| e.order_id == Some(order_id)));
        let o = order::Entity::find_by_id(order_id)
            .one(&t.db)
            .await
            .unwrap();
        assert_eq!(
            o.map(|o| o.status),
            Some(OrderStatus::Paid),
            "{}",
            t.backend
        );
    }
}

each_backend! {
    async fn a_return_is_recorded_as_changing_nothing(t) {
        use sea_orm::{ColumnTrait, QueryFilter};
        let (shop, student) = crate::common::fixture::shop(&t).await;
        let order = shop::orders::create_order(
            &shop,
            shop::orders::NewOrder {
                user_id: student,
                goods_pks: "1",
                total_amount: "99.00",
            },
        )
        .await
        .expect("order");
        let mut p = alipay::sign::Params::new();
        for (k, v) in [
            ("app_id", crate::common::fixture::APP_ID),
            ("seller_id", crate::common::fixture::SELLER_ID),
            ("out_trade_no", order.out_trade_no.as_str()),
            ("trade_no", "2026112722001400001234567890"),
            ("total_amount", "99.00"),
            ("charset", "utf-8"),
            ("method", "alipay.trade.page.pay.return"),
            ("timestamp", "2026-11-27 12:00:00"),
            ("version", "1.0"),
        ] {
            p.insert(k.to_owned(), v.to_owned());
        }
        alipay::sign::sign_callback(&mut p, &crate::common::fixture::keys().1).unwrap();
        let query = String::from_utf8(crate::common::fixture::form(&p)).unwrap();
        // The gateway of this shop answers nothing: the order stays unpaid, the return is kept.
        let outcome = shop::payment::handle_return(&shop, student, &query)
            .await
            .expect("a verified return");
        assert_eq!(outcome.order.status, OrderStatus::Unpaid, "{}", t.backend);
        let events = payment_event::Entity::find()
            .filter(payment_event::Column::OutTradeNo.eq(order.out_trade_no.as_str()))
            .filter(payment_event::Column::Source.eq(EventSource::Return))
            .all(&t.db)
            .await
            .unwrap();
        let verdicts: Vec<Verdict> = events.iter().map(|e| e.verdict).collect();
        assert_eq!(verdicts, vec![Verdict::NoChange], "{}", t.backend);
    }
}
