//! `coursepay`: the course shop's server. See `coursepay --help`.
use clap::Parser;

use coursepay::cli::{Cli, Command};
use coursepay::{admin_cli, logging, memory, server};
use shop::error::chain;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let unmaps_large_blocks = memory::return_large_blocks_to_os();
    // An optional .env beside the working directory; real environment variables win.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    logging::init(cli.config.log_format);
    tracing::debug!(unmaps_large_blocks, "memory policy");
    let result: Result<(), String> = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::serve(cli.config)
            .await
            .map_err(|e| chain(&e).to_string()),
        Command::Migrate => server::migrate_only(&cli.config)
            .await
            .map_err(|e| chain(&e).to_string()),
        Command::Seed => server::seed_only(&cli.config)
            .await
            .map_err(|e| chain(&e).to_string()),
        Command::Check => match server::check(&cli.config) {
            Ok(ok) => {
                println!("{ok}");
                Ok(())
            }
            Err(unsafe_settings) => {
                for p in &unsafe_settings.0 {
                    println!("{p}");
                }
                return std::process::ExitCode::FAILURE;
            }
        },
        Command::Admin(cmd) => match admin_cli::run(&cli.config, cmd).await {
            Ok(out) => {
                println!("{out}");
                Ok(())
            }
            Err(e) => Err(chain(&e).to_string()),
        },
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
