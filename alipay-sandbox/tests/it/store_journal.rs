//! The file store commits in WAL mode with synchronous=NORMAL (no fsync per payment or notify
//! attempt) and waits for another process's lock instead of failing.
use alipay_sandbox::store::Store;
use sea_orm::{ConnectionTrait, Statement};

async fn pragma(store: &Store, name: &str) -> String {
    let row = store
        .db()
        .query_one_raw(Statement::from_string(
            store.db().get_database_backend(),
            format!("PRAGMA {name}"),
        ))
        .await
        .unwrap()
        .unwrap();
    match row.try_get_by_index::<String>(0) {
        Ok(text) => text,
        Err(_) => row.try_get_by_index::<i64>(0).unwrap().to_string(),
    }
}

#[tokio::test]
async fn a_file_store_uses_wal_normal_and_a_busy_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/sandbox.db?mode=rwc", dir.path().display());
    let store = Store::open(&url).await.unwrap();
    assert_eq!(pragma(&store, "journal_mode").await, "wal");
    assert_eq!(pragma(&store, "synchronous").await, "1", "1 = NORMAL");
    assert_eq!(pragma(&store, "busy_timeout").await, "10000");
}

#[tokio::test]
async fn an_in_memory_store_still_opens() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    assert_eq!(pragma(&store, "journal_mode").await, "memory");
}
