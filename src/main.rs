//! `coursepay`: the course shop's server. See `coursepay --help`.
use clap::Parser;

use coursepay::cli::{Cli, Command};
use coursepay::{logging, memory, server};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let unmaps_large_blocks = memory::return_large_blocks_to_os();
    // An optional .env beside the working directory; real environment variables win.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    logging::init();
    tracing::debug!(unmaps_large_blocks, "memory policy");
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::serve(cli.config).await,
        Command::Migrate => server::migrate_only(&cli.config).await,
        Command::Seed => server::seed_only(&cli.config).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("coursepay: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
