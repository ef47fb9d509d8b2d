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

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Migrate, seed what is missing (demo courses; in development also the demo accounts), and serve
    /// the shop (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Apply migrations, insert the demo courses (and, in development, the demo accounts) that are
    /// missing, and exit.
    Seed,
    /// Print every setting that is missing or unsafe for production, one per line; exit 1 if any.
    Check,
    /// Create an admin, reset a password or change a role (the database of DATABASE_URL).
    #[command(subcommand)]
    Admin(AdminCommand),
}

/// `coursepay admin ...`: a new password is generated and printed once, or read from standard
/// input with `--password-stdin`.
#[derive(Debug, Clone, Subcommand)]
pub enum AdminCommand {
    /// Create an admin account.
    Create {
        username: String,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password for an account (its sessions end).
    ResetPassword {
        username: String,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Make an account `admin` or `student` (its sessions end).
    SetRole {
        username: String,
        #[arg(value_parser = ["admin", "student"])]
        role: String,
    },
}
