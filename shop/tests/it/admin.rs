use crate::common::fixture;
use shop::admin::{AdminFilter, daily_summary, list_orders, timeline};
use shop::orders::{NewOrder, OrderStatus, create_order};
use shop::payment::handle_notify;

each_backend! {
    async fn the_console_lists_filters_summarises_and_tells_the_story_of_an_order(t) {
        let (shop, student) = fixture::shop(&t).await;
        let paid = create_order(
            &shop,
            NewOrder {
                user_id: student,
                goods_pks: "1",
                total_amount: "99.00",
            },
        )
        .await
        .unwrap();
        let open = create_order(
            &shop,
            NewOrder {
                user_id: student,
                goods_pks: "2",
                total_amount: "299.00",
            },
        )
        .await
        .unwrap();
        // Paid "now" in Beijing time, so the summary's window holds it whatever the date of the run.
        let paid_at = chrono::Utc::now();
        let gmt_payment = alipay::clock::beijing(paid_at);
        let body = fixture::notify_body(
            &paid.out_trade_no,
            "99.00",
            &[("gmt_payment", gmt_payment.as_str())],
        );
        assert_eq!(handle_notify(&shop, &body).await.body(), "success");

        let all = list_orders(&t.db, &AdminFilter::default()).await.unwrap();
        assert_eq!(all.len(), 2, "{}", t.backend);
        assert_eq!(all[0].out_trade_no, open.out_trade_no, "newest first");
        assert_eq!(all[0].username, "xiaoming");
        let only_paid = AdminFilter {
            status: Some(OrderStatus::Paid),
            search: None,
        };
        let rows = list_orders(&t.db, &only_paid).await.unwrap();
        assert_eq!(
            rows.iter()
                .map(|o| o.out_trade_no.as_str())
                .collect::<Vec<_>>(),
            vec![paid.out_trade_no.as_str()]
        );
        let by_name = AdminFilter {
            status: None,
            search: Some("xiaoming".into()),
        };
        assert_eq!(list_orders(&t.db, &by_name).await.unwrap().len(), 2);
        let by_no = AdminFilter {
            status: None,
            search: Some(open.out_trade_no[20..].to_owned()),
        };
        assert_eq!(list_orders(&t.db, &by_no).await.unwrap().len(), 1);

        let story = timeline(&t.db, &paid.out_trade_no).await.unwrap();
        let steps: Vec<(&str, &str)> = story
            .iter()
            .map(|e| (e.source.as_str(), e.verdict.as_str()))
            .collect();
        assert_eq!(
            steps,
            vec![("created", "created"), ("notify", "applied")],
            "{}",
            t.backend
        );

        let days = daily_summary(&t.db, chrono::Utc::now(), 7).await.unwrap();
        assert_eq!(days.len(), 7);
        // Orders count on their creation day and payments on their payment day (Beijing dates);
        // a run that straddles Beijing midnight may split them over two days, so sum the week.
        let week = days.iter().fold((0, 0, 0), |(o, p, c), d| {
            (o + d.orders, p + d.paid_orders, c + d.paid.cents())
        });
        assert_eq!(week, (2, 1, 9900), "{}", t.backend);
        let paid_day = days.iter().find(|d| d.paid_orders == 1).unwrap();
        assert_eq!(
            (paid_day.day.as_str(), paid_day.paid.to_string()),
            (
                alipay::clock::beijing_date(paid_at).as_str(),
                "99.00".to_owned()
            ),
            "{}",
            t.backend
        );
    }
}

each_backend! {
    async fn the_timeline_comes_a_page_at_a_time_and_every_entry_once(t) {
        use sea_orm::{ActiveModelTrait, Set};
        use shop::admin::{TIMELINE_PAGE, timeline_page};
        use shop::entity::{payment_event, refund};
        let (shop, student) = fixture::shop(&t).await;
        let order = create_order(
            &shop,
            NewOrder {
                user_id: student,
                goods_pks: "1",
                total_amount: "99.00",
            },
        )
        .await
        .unwrap();
        let no = order.out_trade_no.clone();
        let base = chrono::Utc::now() + chrono::Duration::hours(1);
        let at = |s: i64| base + chrono::Duration::seconds(s);
        let total = 2 * TIMELINE_PAGE as i64 + 20;
        for i in 0..total {
            payment_event::ActiveModel {
                order_id: Set(None),
                out_trade_no: Set(no.clone()),
                source: Set(shop::payment::EventSource::Notify),
                notify_id: Set(None),
                trade_status: Set(None),
                verdict: Set(shop::payment::Verdict::Duplicate),
                detail: Set(format!("event {i}")),
                raw: Set(String::new()),
                created_at: Set(at(i * 10)),
                ..Default::default()
            }
            .insert(&t.db)
            .await
            .unwrap();
        }
        let order_id = shop::orders::order_for_user(&t.db, student, &no)
            .await
            .unwrap()
            .id;
        // Refunds: between events of page 1, exactly at page 1's last event, inside page 2, and
        // after the last event.
        for (k, s) in [
            (0, 5),
            (1, (TIMELINE_PAGE as i64 - 1) * 10),
            (2, 705),
            (3, 99_999),
        ] {
            refund::ActiveModel {
                order_id: Set(order_id),
                out_trade_no: Set(no.clone()),
                out_request_no: Set(format!("{no}R{k}")),
                amount_cents: Set(100),
                reason: Set(format!("refund {k}")),
                status: Set("success".into()),
                detail: Set(String::new()),
                created_at: Set(at(s)),
                updated_at: Set(at(s)),
                ..Default::default()
            }
            .insert(&t.db)
            .await
            .unwrap();
        }
        let mut pages = Vec::new();
        let mut after = None;
        loop {
            let page = timeline_page(&t.db, &no, after).await.unwrap();
            let events = page.entries.iter().filter(|e| e.source == "notify").count();
            assert!(events as u64 <= TIMELINE_PAGE, "{}", t.backend);
            pages.push(page.entries);
            match page.next_after {
                Some(a) => after = Some(a),
                None => break,
            }
            assert!(pages.len() < 10, "pagination ends");
        }
        assert_eq!(pages.len(), 3, "{}", t.backend);
        assert_eq!(pages[0][0].source, "created", "the creation opens page 1");
        let all: Vec<&str> = pages.iter().flatten().map(|e| e.detail.as_str()).collect();
        for i in 0..total {
            let want = format!("event {i}");
            assert_eq!(all.iter().filter(|d| **d == want).count(), 1, "{want}");
        }
        for k in 0..4 {
            let seen = pages
                .iter()
                .flatten()
                .filter(|e| e.source == "refund" && e.detail.ends_with(&format!("refund {k}")))
                .count();
            assert_eq!(seen, 1, "{}: refund {k} shown once", t.backend);
        }
        let refund_page = |k: usize| {
            pages
                .iter()
                .position(|p| p.iter().any(|e| e.detail.ends_with(&format!("refund {k}"))))
        };
        assert_eq!(
            [
                refund_page(0),
                refund_page(1),
                refund_page(2),
                refund_page(3)
            ],
            [Some(0), Some(0), Some(1), Some(2)],
            "{}",
            t.backend
        );
        for p in &pages {
            assert!(p.windows(2).all(|w| w[0].at <= w[1].at), "oldest first");
        }
        // The compatible first page stays bounded.
        let first = timeline(&t.db, &no).await.unwrap();
        assert_eq!(first, pages[0]);
    }
}
