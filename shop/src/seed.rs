//! Demo data for `make run`: a handful of courses with Chinese names and prices.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, EntityTrait, Set};

use crate::ShopError;
use crate::entity::course;

/// (name, teacher, description, price in cents, lessons, level)
const DEMO_COURSES: &[(&str, &str, &str, i64, i32, &str)] = &[
    (
        "Python 开发入门",
        "路飞学城 · 王老师",
        "从变量到函数，从文件到网络：零基础也能写出第一个实用脚本。",
        9900,
        36,
        "入门",
    ),
    (
        "Django 项目实战",
        "路飞学城 · 李老师",
        "用 Django 与 DRF 搭建一个完整的在线教育网站，含支付与部署。",
        29900,
        58,
        "进阶",
    ),
    (
        "Rust 系统编程",
        "路飞学城 · 赵老师",
        "所有权、生命周期、并发与异步：写出快且不会崩的程序。",
        39900,
        64,
        "进阶",
    ),
    (
        "Vue 3 前端工程化",
        "路飞学城 · 陈老师",
        "组合式 API、路由、状态管理与构建优化，一步步做出商城前端。",
        19900,
        42,
        "中级",
    ),
    (
        "算法与数据结构精讲",
        "路飞学城 · 刘老师",
        "排序、图、动态规划：面试高频题的思路与模板。",
        15900,
        50,
        "中级",
    ),
    (
        "Linux 运维基础",
        "路飞学城 · 周老师",
        "命令行、权限、进程、网络与 Shell 脚本，服务器从此不再陌生。",
        4990,
        28,
        "入门",
    ),
];

/// Inserts the demo courses that are missing (stamped `now`); safe to run again and from several instances.
///
/// ```no_run
/// # async fn f(db: &sea_orm::DatabaseConnection) -> Result<(), shop::ShopError> {
/// let added = shop::seed::seed_demo(db, chrono::Utc::now()).await?;
/// println!("{added} courses added");
/// # Ok(()) }
/// ```
pub async fn seed_demo(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, ShopError> {
    let rows = DEMO_COURSES.iter().map(
        |&(name, teacher, description, price_cents, lessons, level)| course::ActiveModel {
            name: Set(name.to_owned()),
            teacher: Set(teacher.to_owned()),
            description: Set(description.to_owned()),
            price_cents: Set(price_cents),
            lessons: Set(lessons),
            level: Set(level.to_owned()),
            created_at: Set(now),
            ..Default::default()
        },
    );
    let added = course::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(course::Column::Name)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(added)
}

/// The demo student `make run` prints.
pub const DEMO_STUDENT: (&str, &str) = ("student", "coursepay123");

/// Creates the demo student and the admin (with `admin_password`), stamped `now`, if they are
/// missing.
///
/// ```no_run
/// # async fn f(db: &sea_orm::DatabaseConnection) -> Result<(), shop::ShopError> {
/// shop::seed::seed_users(db, "a-long-random-password", chrono::Utc::now()).await?;
/// # Ok(()) }
/// ```
pub async fn seed_users(
    db: &DatabaseConnection,
    admin_password: &str,
    now: DateTime<Utc>,
) -> Result<(), ShopError> {
    use crate::accounts::{Role, ensure_user};
    ensure_user(db, DEMO_STUDENT.0, DEMO_STUDENT.1, Role::Student, now).await?;
    ensure_user(db, "admin", admin_password, Role::Admin, now).await?;
    Ok(())
}
