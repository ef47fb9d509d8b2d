each_backend! {
    async fn seeding_twice_adds_the_demo_courses_once(t) {
        let first = shop::seed::seed_demo(&t.db, chrono::Utc::now())
            .await
            .expect("seed");
        let second = shop::seed::seed_demo(&t.db, chrono::Utc::now())
            .await
            .expect("seed again");
        assert_eq!(first, 6, "{}: six demo courses", t.backend);
        assert_eq!(second, 0, "{}: nothing added the second time", t.backend);
        let courses = shop::catalog::list_courses(&t.db).await.expect("list");
        assert_eq!(courses.len(), 6, "{}", t.backend);
        assert_eq!(courses[0].name, "Python 开发入门");
        assert_eq!(courses[0].price.to_string(), "99.00");
        assert_eq!(courses[5].price.cents(), 4990);
    }
}

each_backend! {
    async fn an_unknown_course_is_not_found(t) {
        let err = shop::catalog::get_course(&t.db, 999).await.unwrap_err();
        assert!(
            matches!(err, shop::ShopError::NotFound(_)),
            "{}: {err}",
            t.backend
        );
        assert_eq!(err.to_string(), "课程不存在");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_runs_in_wal_mode_with_foreign_keys() {
    use sea_orm::{ConnectionTrait, Statement};
    let t = crate::common::sqlite().await;
    let backend = t.db.get_database_backend();
    let mode =
        t.db.query_one_raw(Statement::from_string(backend, "PRAGMA journal_mode"))
            .await
            .expect("pragma")
            .expect("row");
    assert_eq!(mode.try_get_by_index::<String>(0).expect("text"), "wal");
    let fk =
        t.db.query_one_raw(Statement::from_string(backend, "PRAGMA foreign_keys"))
            .await
            .expect("pragma")
            .expect("row");
    assert_eq!(fk.try_get_by_index::<i32>(0).expect("int"), 1);
}
