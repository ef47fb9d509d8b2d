//! One page per file.
mod admin;
mod course;
mod home;
mod login;
mod not_found;
mod orders;
mod pay_success;

pub use admin::AdminPage;
pub use course::CoursePage;
pub use home::HomePage;
pub use login::{LoginPage, RegisterPage};
pub use not_found::NotFound;
pub use orders::OrdersPage;
pub use pay_success::PaySuccessPage;

/// `next` if it is a local path, else `/` (never an open redirect).
///
/// ```
/// assert_eq!(app::pages::safe_next("/course/1"), "/course/1");
/// assert_eq!(app::pages::safe_next("//evil.example"), "/");
/// assert_eq!(app::pages::safe_next("https://evil.example"), "/");
/// ```
pub fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

/// Full page load to `url` (so the header and every resource start fresh).
#[cfg(any(feature = "hydrate", feature = "csr"))]
pub(crate) fn load(url: &str) {
    let _ = leptos::prelude::window().location().set_href(url);
}

#[cfg(not(any(feature = "hydrate", feature = "csr")))]
pub(crate) fn load(_url: &str) {}
