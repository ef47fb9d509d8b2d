//! The command line: subcommands and every setting (each also read from the environment or `.env`).
use clap::{Parser, Subcommand};

use crate::config::Config;

/// coursepay — a course shop with Alipay checkout.
///
/// Every setting can be given as a flag or as the environment variable named beside it (a `.env`
/// file in the working directory is read too). With no settings at all it runs on SQLite under
/// `data/`, with the embedded Alipay sandbox gateway and demo courses.
#[derive(Debug, Parser)]
#[command(name = "coursepay", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Debug, Clone, Copy, Subcommand)]
pub enum Command {
    /// Migrate, seed the demo data if missing, and serve the shop (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Apply migrations, insert the demo courses and accounts that are missing, and exit.
    Seed,
}
