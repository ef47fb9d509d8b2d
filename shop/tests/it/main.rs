//! The crate's integration tests: one binary, one module per area.
#[macro_use]
mod common;
mod accounts;
mod accounts_throttle;
mod admin;
mod catalog;
mod clock;
mod duplicate_payment;
mod lifecycle_expiry;
mod lifecycle_instances;
mod lifecycle_reconcile;
mod lifecycle_refund;
mod lifecycle_support;
mod notify;
mod notify_flood;
mod open_orders;
mod orders;
mod stored_types;
mod writes;
