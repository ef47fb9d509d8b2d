//! Pieces of pages, one component per file.
mod course_card;
mod footer;
mod header;

pub use course_card::CourseCardView;
pub use footer::Footer;
pub use header::Header;
