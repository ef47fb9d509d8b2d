//! SeaORM entities, one per table (the schema lives in the `migration` crate).
pub mod course;
pub mod notify_refusal;
pub mod order;
pub mod order_course;
pub mod payment_event;
pub mod refund;
pub mod user;
