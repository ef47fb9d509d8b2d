//! The course catalog.
use alipay::money::Money;
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};

use crate::ShopError;
use crate::entity::course;

/// A course as the shop presents it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Course {
    pub id: i32,
    pub name: String,
    pub teacher: String,
    pub description: String,
    pub price: Money,
    pub lessons: i32,
    pub level: String,
}

impl From<course::Model> for Course {
    fn from(m: course::Model) -> Self {
        Course {
            id: m.id,
            name: m.name,
            teacher: m.teacher,
            description: m.description,
            price: Money::from_cents(m.price_cents),
            lessons: m.lessons,
            level: m.level,
        }
    }
}

/// Every course, oldest first.
///
/// ```no_run
/// # async fn f(db: &sea_orm::DatabaseConnection) -> Result<(), shop::ShopError> {
/// for c in shop::catalog::list_courses(db).await? {
///     println!("{} ¥{}", c.name, c.price);
/// }
/// # Ok(()) }
/// ```
pub async fn list_courses(db: &DatabaseConnection) -> Result<Vec<Course>, ShopError> {
    let rows = course::Entity::find()
        .order_by_asc(course::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Course::from).collect())
}

/// One course by id.
///
/// ```no_run
/// # async fn f(db: &sea_orm::DatabaseConnection) -> Result<(), shop::ShopError> {
/// let c = shop::catalog::get_course(db, 1).await?;
/// # Ok(()) }
/// ```
pub async fn get_course(db: &DatabaseConnection, id: i32) -> Result<Course, ShopError> {
    course::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Course::from)
        .ok_or(ShopError::NotFound("课程"))
}
