//! The crate's integration tests: one binary, one module per area.
mod cert;
mod common;
mod keys;
mod openapi;
mod pagepay;
mod props;
mod python_verifies;
mod vectors;
