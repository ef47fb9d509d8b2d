//! The merchant's view: every order with filters, each order's timeline, and a daily summary.
mod orders;
mod summary;
mod timeline;

pub use orders::{AdminFilter, AdminOrder, list_orders};
pub use summary::{DaySummary, daily_summary};
pub use timeline::{TIMELINE_PAGE, TimelineEntry, TimelinePage, timeline, timeline_page};
