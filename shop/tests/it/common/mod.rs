//! Test databases: every test runs on a fresh SQLite file and on a fresh PostgreSQL database that is
//! created for it and dropped afterwards (even when the test panics).
pub mod fixture;
use std::sync::atomic::{AtomicU32, Ordering};

use sea_orm::{ConnectionTrait, Database};
use shop::db::Db;

static SEQ: AtomicU32 = AtomicU32::new(0);

/// One database of one backend, alive for one test.
pub struct TestDb {
    pub db: Db,
    pub backend: &'static str,
    /// The database's URL, for a second pool on it (another "instance").
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    )
}

/// A migrated SQLite database in a temp file (a file, not `:memory:`, so the pool's connections
/// share it and concurrency is real).
pub async fn sqlite() -> TestDb {
    let path = std::env::temp_dir().join(format!("{}.db", unique("coursepay_test")));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = shop::db::connect(&url).await.expect("open sqlite");
    shop::db::migrate(&db).await.expect("migrate sqlite");
    TestDb {
        db,
        backend: "sqlite",
        url,
        cleanup: Cleanup::File(path),
    }
}

/// A migrated, freshly created PostgreSQL database on `COURSEPAY_TEST_PG`.
pub async fn postgres() -> TestDb {
    let admin_url = std::env::var("COURSEPAY_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let name = unique("coursepay_test");
    let admin = Database::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} (COURSEPAY_TEST_PG): {e}"));
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(b, _)| b);
    let url = format!("{base}/{name}");
    let db = shop::db::connect(&url).await.expect("open postgres");
    shop::db::migrate(&db).await.expect("migrate postgres");
    TestDb {
        db,
        backend: "postgres",
        url,
        cleanup: Cleanup::Postgres { admin_url, name },
    }
}

/// Turns one test body into two tests, `<name>::sqlite` and `<name>::postgres`, so a failure on
/// one backend never hides the other's result; `t` is the fresh [`TestDb`]. Two runtime workers
/// unless `threads = N;` comes before the `async fn`.
///
/// ```ignore
/// each_backend! {
///     async fn courses_list(t) {
///         assert!(shop::catalog::list_courses(&t.db).await.is_ok(), "{}", t.backend);
///     }
/// }
/// ```
macro_rules! each_backend {
    ($(#[$m:meta])* threads = $n:literal; async fn $name:ident($t:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($t: $crate::common::TestDb) $body

            $(#[$m])*
            #[tokio::test(flavor = "multi_thread", worker_threads = $n)]
            async fn sqlite() {
                run($crate::common::sqlite().await).await
            }

            $(#[$m])*
            #[tokio::test(flavor = "multi_thread", worker_threads = $n)]
            async fn postgres() {
                run($crate::common::postgres().await).await
            }
        }
    };
    ($(#[$m:meta])* async fn $name:ident($t:ident) $body:block) => {
        each_backend! { $(#[$m])* threads = 2; async fn $name($t) $body }
    };
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime: do the async cleanup on a thread of its own.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build();
                    if let Ok(rt) = rt {
                        rt.block_on(async {
                            if let Ok(admin) = Database::connect(&admin_url).await {
                                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                                let _ = admin.execute_unprepared(&sql).await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}
