//! Server functions: thin adapters that authenticate, call `shop`, and map errors to what a user
//! reads.
mod admin;
mod cancel;
#[cfg(feature = "ssr")]
mod context;
mod courses;
mod orders;
mod pay;
mod session;
#[cfg(feature = "ssr")]
mod status;

pub use admin::{AdminRefund, admin_orders, admin_refund, admin_summary, admin_timeline};
pub use cancel::{CancelOrder, cancel_order};
#[cfg(feature = "ssr")]
pub use context::{
    ServerContext, client_ip, current_claims, current_client_ip, redirect_without_js, require_user,
};
pub use courses::{get_course, list_courses};
pub use orders::{CreateOrder, create_order, my_orders};
pub use pay::{confirm_return, order_status};
pub use session::{Login, Logout, Register, current_user, login, logout, register};
#[cfg(feature = "ssr")]
pub use status::{set_error_status, with_status};
