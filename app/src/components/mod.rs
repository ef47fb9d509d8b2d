//! Pieces of pages, one component per file.
mod course_card;
mod error_notice;
mod footer;
mod header;

pub use course_card::CourseCardView;
pub use error_notice::{ErrorNotice, action_error};
pub use footer::Footer;
pub use header::Header;
