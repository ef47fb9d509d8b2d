//! Unsigned 60 KB notifies full of control bytes, over HTTP: each answered `failure`, at most N
//! stored per order number, the rest counted; the merchant's timeline shows the count and comes a
//! page at a time, links working without JavaScript.
use sea_orm::ConnectionTrait;

use crate::common::{Server, start};

/// GET `path` as the admin's browser without JavaScript; returns the HTML.
async fn admin_html(s: &Server, token: &str, path: &str) -> String {
    let r = s
        .http
        .get(s.url(path))
        .header("cookie", format!("token={token}"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notify_flood_is_counted_and_the_timeline_is_paginated() {
    let s = start().await;
    let student = s.login("student", "coursepay123").await;
    let no = s.order_course_1(&student).await;
    let mut body = format!("out_trade_no={no}&sign=AAAA&sign_type=RSA2&memo=").into_bytes();
    body.extend(std::iter::repeat_n(0x01u8, 30_000));
    body.extend(std::iter::repeat_n(b"%0D%0A".as_slice(), 5_000).flatten());
    assert!(body.len() > 59_000);
    for _ in 0..25 {
        let r = s
            .http
            .post(s.url("/order/notify"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.text().await.unwrap(), "failure");
    }
    let db = format!("sqlite://{}/coursepay.db", s.dir.path().display());
    let db = shop::db::connect(&db).await.unwrap();
    let (rows, bytes) = {
        let sql = format!(
            "SELECT COUNT(*) AS n, SUM(LENGTH(CAST(detail AS BLOB)) + LENGTH(CAST(raw AS BLOB))) AS b \
             FROM payment_event WHERE out_trade_no = '{no}'"
        );
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
            .unwrap();
        (
            row.try_get::<i64>("", "n").unwrap(),
            row.try_get::<i64>("", "b").unwrap(),
        )
    };
    let n = i64::from(shop::payment::MAX_STORED_PER_WINDOW);
    assert_eq!(rows, n);
    let bound = n * (shop::payment::MAX_DETAIL + shop::payment::MAX_REFUSED_RAW) as i64;
    assert!(bytes <= bound, "{bytes} bytes stored, bound {bound}");
    // More events than a page holds (copies of a stored one).
    for _ in 0..40 {
        db.execute_unprepared(&format!(
            "INSERT INTO payment_event (order_id, out_trade_no, source, notify_id, trade_status, \
             verdict, detail, raw, created_at) SELECT order_id, out_trade_no, 'query', NULL, NULL, \
             'duplicate', 'filler', '', created_at FROM payment_event WHERE out_trade_no = '{no}' LIMIT 1"
        ))
        .await
        .unwrap();
    }
    db.close().await.unwrap();

    let pw = std::fs::read_to_string(s.dir.path().join("keys/admin_password")).unwrap();
    let admin = s.login("admin", pw.trim()).await;
    let first = admin_html(&s, &admin, &format!("/admin?order={no}")).await;
    assert!(first.contains("另有 5 条"), "the counter is shown");
    // The creation plus a page of events.
    let entries = |html: &str| html.matches("<span class=\"verdict\">").count();
    assert_eq!(entries(&first), 1 + 50);
    let next = first
        .split("<a href=\"")
        .find_map(|r| r.split_once("\" class=\"timeline-next\""))
        .map(|(href, _)| href)
        .expect("a next-page link")
        .replace("&amp;", "&");
    assert!(
        next.starts_with(&format!("/admin?order={no}&after=")),
        "{next}"
    );
    let second = admin_html(&s, &admin, &next).await;
    assert_eq!(entries(&second), 10);
    assert!(!second.contains("timeline-next"), "the last page");
    assert!(second.contains("timeline-first"), "a way back");
}
