//! What checking a session against the database costs: `session::verify` (JWT check plus one read
//! of the user row by primary key) against the JWT check alone, in a loop, one caller at a time.
//!
//! ```sh
//! cargo run -p shop --example session_verify_cost --release -- [N] [DATABASE_URL]
//! ```
//! Default: 20000 rounds on a fresh SQLite file in the temp folder.
use std::sync::Arc;
use std::time::Instant;

use alipay::{AlipayConfig, KeyRole, PrivateKey, SystemClock};
use shop::Shop;
use shop::accounts::jwt::JwtKeys;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let path = std::env::temp_dir().join(format!("verify_cost_{}.db", std::process::id()));
    let url = args
        .next()
        .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", path.display()));
    let db = shop::db::connect(&url).await?;
    shop::db::migrate(&db).await?;
    let key = PrivateKey::generate()?;
    let config = AlipayConfig {
        app_id: "9021000000000001".to_owned(),
        seller_id: "2088721000000001".to_owned(),
        gateway: "http://127.0.0.1:9/gateway.do".to_owned(),
        app_private_key: PrivateKey::parse(&key.to_pkcs8_pem(), KeyRole::AppPrivateKey)?,
        alipay_public_key: key.public_key(),
        notify_url: None,
        return_url: None,
        cert: None,
    };
    let client = alipay::Client::new(config, Arc::new(SystemClock));
    let jwt = JwtKeys::new(&[9u8; 32], chrono::Duration::hours(1))?;
    let shop = Shop::new(
        db.clone(),
        client,
        jwt,
        Arc::new(SystemClock),
        chrono::Duration::minutes(15),
    );
    let name = format!("bench_{}", std::process::id());
    let account = shop::accounts::register(&db, &name, "password123", chrono::Utc::now()).await?;
    let token = shop::accounts::session::issue(&shop, &account)?;

    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(shop.jwt().verify(&token, chrono::Utc::now())?);
    }
    let jwt_only = start.elapsed();
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(shop::accounts::session::verify(&shop, &token).await?);
    }
    let with_read = start.elapsed();
    let per = |d: std::time::Duration| d.as_secs_f64() * 1e6 / f64::from(n);
    println!(
        "{n} rounds on {}: JWT only {:.1} µs/verify, JWT + user row {:.1} µs/verify, the read adds {:.1} µs",
        db.get_database_backend_name(),
        per(jwt_only),
        per(with_read),
        per(with_read) - per(jwt_only)
    );
    if url.starts_with("sqlite:") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    Ok(())
}

trait BackendName {
    fn get_database_backend_name(&self) -> &'static str;
}

impl BackendName for sea_orm::DatabaseConnection {
    fn get_database_backend_name(&self) -> &'static str {
        match self.get_database_backend() {
            sea_orm::DbBackend::Sqlite => "SQLite",
            sea_orm::DbBackend::Postgres => "PostgreSQL",
            _ => "another database",
        }
    }
}
