//! The crate's integration tests: one binary, one module per area.
mod binary;
mod common;
mod faults;
mod hardening;
mod openapi;
mod pagepay_errors;
mod pay_flow;
mod retries;
mod store_journal;
