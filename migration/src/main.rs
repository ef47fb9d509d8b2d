//! `migration` CLI: `DATABASE_URL=sqlite://data/coursepay.db?mode=rwc cargo run -p migration -- up`.
use sea_orm_migration::prelude::*;

#[tokio::main]
async fn main() {
    cli::run_cli(migration::Migrator).await;
}
