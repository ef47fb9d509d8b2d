//! Asynchronous notifies: what is sent, when, and how it is recorded.

pub mod build;
pub mod dispatcher;
pub mod schedule;
pub mod send;
