use leptos::prelude::*;

use crate::dto::{CourseCard, CourseDetail};
use crate::error::AppError;

/// Every course in the catalog.
#[server(endpoint = "list_courses")]
pub async fn list_courses() -> Result<Vec<CourseCard>, AppError> {
    super::with_status(async move {
        let ctx = super::ServerContext::get()?;
        let courses = shop::catalog::list_courses(ctx.shop.db()).await?;
        Ok(courses.into_iter().map(CourseCard::from).collect())
    })
    .await
}

/// One course, and whether the logged-in student owns it.
#[server(endpoint = "get_course")]
pub async fn get_course(id: i32) -> Result<CourseDetail, AppError> {
    super::with_status(async move {
        let ctx = super::ServerContext::get()?;
        let course = shop::catalog::get_course(ctx.shop.db(), id).await?;
        let owned = match super::current_claims().await? {
            Some(user) => shop::orders::owned_course_ids(ctx.shop.db(), user.uid)
                .await?
                .contains(&id),
            None => false,
        };
        Ok(CourseDetail {
            course: course.into(),
            owned,
        })
    })
    .await
}
