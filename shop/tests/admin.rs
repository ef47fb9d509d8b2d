mod common;

use common::fixture;
use shop::admin::{AdminFilter, daily_summary, list_orders, timeline};
use shop::orders::{NewOrder, OrderStatus, create_order};
use shop::payment::handle_notify;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_lists_filters_summarises_and_tells_the_story_of_an_order() {
    for t in common::backends().await {
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
        let beijing = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
        let paid_at = chrono::Utc::now().with_timezone(&beijing);
        let gmt_payment = paid_at.format("%Y-%m-%d %H:%M:%S").to_string();
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
                paid_at.format("%Y-%m-%d").to_string().as_str(),
                "99.00".to_owned()
            ),
            "{}",
            t.backend
        );
    }
}
