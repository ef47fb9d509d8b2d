use crate::common::fixture;
use shop::ShopError;
use shop::orders::{NewOrder, OrderStatus, create_order, order_for_user};

fn req(
    user_id: shop::accounts::UserId,
    goods_pks: &'static str,
    total_amount: &'static str,
) -> NewOrder<'static> {
    NewOrder {
        user_id,
        goods_pks,
        total_amount,
    }
}

each_backend! {
    async fn an_order_is_priced_by_the_server_and_signed_for_the_gateway(t) {
        let (shop, student) = fixture::shop(&t).await;
        let created = create_order(&shop, req(student, "1,2", "398.00"))
            .await
            .expect("create");
        assert_eq!(created.total.to_string(), "398.00", "{}", t.backend);
        assert_eq!(created.subject, "Python 开发入门 等 2 门课程");
        assert!(
            created
                .pay_url
                .starts_with("http://127.0.0.1:9/gateway.do?")
        );
        // The gateway's view: the URL's parameters verify with our app public key.
        let query = created.pay_url.split_once('?').unwrap().1;
        let params = alipay::callback::parse_query(query).expect("parse");
        alipay::sign::verify_request(&params, &fixture::keys().0.public_key()).expect("signature");
        assert!(params["biz_content"].contains(&created.out_trade_no));
        assert!(params["biz_content"].contains("\"total_amount\":\"398.00\""));
        let view = order_for_user(&t.db, student, &created.out_trade_no)
            .await
            .expect("view");
        assert_eq!(view.status, OrderStatus::Unpaid);
        assert_eq!(view.courses.len(), 2);
    }
}

each_backend! {
    async fn tampered_prices_and_bad_course_ids_are_refused(t) {
        let (shop, student) = fixture::shop(&t).await;
        let cases: [(&'static str, &'static str, &str); 7] = [
            ("1", "0.01", "total_amount"),
            ("1", "98.99", "total_amount"),
            ("1", "abc", "total_amount"),
            ("999", "1.00", "goods_pks"),
            ("1,1", "198.00", "goods_pks"),
            ("1,x", "99.00", "goods_pks"),
            ("", "0.00", "goods_pks"),
        ];
        for (pks, total, field) in cases {
            let err = create_order(&shop, req(student, pks, total))
                .await
                .unwrap_err();
            assert_eq!(
                err.field(),
                Some(field),
                "{}: {pks} {total}: {err}",
                t.backend
            );
        }
        let err = create_order(&shop, req(student, "1", "0.01"))
            .await
            .unwrap_err();
        assert!(matches!(err, ShopError::PriceTampered));
        assert_eq!(err.to_string(), "价格被恶意篡改");
        let absurd = "1,".repeat(200);
        let absurd: &'static str = Box::leak(absurd.into_boxed_str());
        assert!(
            create_order(&shop, req(student, absurd, "1.00"))
                .await
                .is_err()
        );
    }
}

each_backend! {
    async fn a_course_already_bought_cannot_be_bought_again(t) {
        let (shop, student) = fixture::shop(&t).await;
        let created = create_order(&shop, req(student, "3", "399.00"))
            .await
            .expect("create");
        let body = fixture::notify_body(&created.out_trade_no, "399.00", &[]);
        assert_eq!(
            shop::payment::handle_notify(&shop, &body).await.body(),
            "success"
        );
        let err = create_order(&shop, req(student, "3", "399.00"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, ShopError::AlreadyBought(_)),
            "{}: {err}",
            t.backend
        );
        assert!(
            shop::orders::owned_course_ids(&t.db, student)
                .await
                .unwrap()
                .contains(&3)
        );
    }
}
