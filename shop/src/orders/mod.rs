//! Orders: creation, reading, and the pure state machine.
mod basket;
mod create;
pub mod number;
mod open;
mod purchase;
mod query;
pub mod status;

pub use create::{CreatedOrder, NewOrder, create_order, parse_goods_pks};
pub use open::{PAY_URL_TTL, REUSE_MARGIN, open_key};
pub use purchase::{decide_purchase, grants_courses};
pub use query::{OrderView, list_orders, order_for_user, owned_course_ids};
pub use status::{MerchantCase, OrderStatus};
