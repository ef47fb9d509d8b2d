//! The `coursepay` server as a library: configuration, start-up, routes and background work.
//! `main.rs` is the command line around it; integration tests start it in-process.
pub mod admin_cli;
pub mod assets;
pub mod body_deadline;
pub mod cli;
pub mod config;
pub mod csp;
pub mod csr;
pub mod executor;
pub mod jobs;
pub mod keys;
pub mod listen;
pub mod logging;
pub mod memory;
pub mod mode;
pub mod payments;
pub mod request_id;
pub mod routes;
pub mod secret;
pub mod security;
pub mod server;
pub mod shutdown;
