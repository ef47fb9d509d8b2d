//! The crate's integration tests: one binary, one module per area.
#[macro_use]
mod common;
mod attacks;
mod csp;
mod csr;
mod fn_status;
mod http_api;
mod modes;
mod observability;
mod ssr_runtimes;
mod timeouts;
