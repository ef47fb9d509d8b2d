//! One page per file.
mod admin;
mod course;
mod home;
mod login;
mod next;
mod not_found;
mod orders;
mod pay_success;

pub use admin::AdminPage;
pub use course::CoursePage;
pub use home::HomePage;
pub use login::{LoginPage, RegisterPage};
pub use next::safe_next;
pub use not_found::NotFound;
pub use orders::OrdersPage;
pub use pay_success::PaySuccessPage;

/// Full page load to `url` (so the header and every resource start fresh).
#[cfg(any(feature = "hydrate", feature = "csr"))]
pub(crate) fn load(url: &str) {
    let _ = leptos::prelude::window().location().set_href(url);
}

#[cfg(not(any(feature = "hydrate", feature = "csr")))]
pub(crate) fn load(_url: &str) {}
