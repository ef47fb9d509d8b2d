//! Payments: every fact the gateway tells us (notify, return, query) funnels into
//! [`apply_payment_fact`], the one place an order's payment state changes.
mod apply;
mod close;
mod event;
mod fact;
mod notify;
mod overlap;
mod refusal;
mod ret;

pub use apply::apply_payment_fact;
pub use close::{accept_late_payment, close_unpaid};
pub use event::MAX_DETAIL;
pub use fact::{EventSource, PaymentFact, Source, UnknownVerdict, Verdict};
pub use notify::{MAX_REFUSED_RAW, NotifyAnswer, handle_notify};
pub use refusal::{MAX_STORED_PER_WINDOW, WINDOW_MINUTES, refused_not_stored};
pub use ret::{ReturnOutcome, confirm_by_query, handle_return};
