//! What travels between the server and the browser. Money is a decimal string ("99.00").
use serde::{Deserialize, Serialize};

/// A course as a card on the list and as the course page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseCard {
    pub id: i32,
    pub name: String,
    pub teacher: String,
    pub description: String,
    /// Yuan with exactly two decimals, e.g. "99.00".
    pub price: String,
    pub lessons: i32,
    pub level: String,
}

#[cfg(feature = "ssr")]
impl From<shop::catalog::Course> for CourseCard {
    fn from(c: shop::catalog::Course) -> Self {
        CourseCard {
            id: c.id,
            name: c.name,
            teacher: c.teacher,
            description: c.description,
            price: c.price.to_string(),
            lessons: c.lessons,
            level: c.level,
        }
    }
}

/// A course page: the course and whether the viewer already owns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseDetail {
    pub course: CourseCard,
    /// The logged-in student has paid for it (立即学习 instead of 立即购买).
    pub owned: bool,
}

/// Who is logged in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDto {
    pub id: i32,
    pub username: String,
    pub role: String,
}

/// An order as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDto {
    pub out_trade_no: String,
    pub subject: String,
    pub total: String,
    /// 0 unpaid, 1 paid, 2 cancelled, 3 timed out, 4 refunded.
    pub status: i16,
    pub status_label: String,
    pub trade_no: Option<String>,
    /// Beijing time, "yyyy-MM-dd HH:mm:ss".
    pub pay_time: Option<String>,
    pub created_at: String,
    pub course_ids: Vec<i32>,
}

#[cfg(feature = "ssr")]
impl From<shop::orders::OrderView> for OrderDto {
    fn from(o: shop::orders::OrderView) -> Self {
        OrderDto {
            out_trade_no: o.out_trade_no,
            subject: o.subject,
            total: o.total.to_string(),
            status: o.status.code(),
            status_label: o.status.label().to_owned(),
            trade_no: o.trade_no,
            pay_time: o.pay_time.map(shop::alipay_time),
            created_at: shop::alipay_time(o.created_at),
            course_ids: o.courses.iter().map(|(id, _)| *id).collect(),
        }
    }
}
