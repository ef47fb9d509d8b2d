//! Payments: every fact the gateway tells us (notify, return, query) funnels into
//! [`apply_payment_fact`], the one place an order's payment state changes.
mod apply;
mod close;
mod event;
mod fact;
mod notify;
mod overlap;
mod ret;

pub use apply::apply_payment_fact;
pub use close::{accept_late_payment, close_unpaid};
pub use fact::{PaymentFact, Source, Verdict};
pub use notify::{NotifyAnswer, handle_notify};
pub use ret::{ReturnOutcome, confirm_by_query, handle_return};
