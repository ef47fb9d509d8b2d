//! The crate's integration tests: one binary, one module per area.
#[macro_use]
mod common;
mod api;
mod keys;
mod notify;
mod props;
mod python_crosscheck;
mod vectors;
