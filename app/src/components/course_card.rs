use leptos::prelude::*;
use leptos_router::components::A;

use crate::dto::CourseCard;

/// One course on the list: name, teacher, level, lessons, price.
#[component]
pub fn CourseCardView(course: CourseCard) -> impl IntoView {
    let href = format!("/course/{}", course.id);
    view! {
        <article class="course-card" data-course-id=course.id>
            <div class="course-cover" aria-hidden="true">
                <span>{course.name.chars().next().map(String::from).unwrap_or_default()}</span>
            </div>
            <div class="course-body">
                <h3 class="course-name">
                    <A href=href>{course.name.clone()}</A>
                </h3>
                <p class="course-teacher">{course.teacher}</p>
                <p class="course-desc">{course.description}</p>
                <div class="course-meta">
                    <span class="badge">{course.level}</span>
                    <span class="lessons">{format!("{} 课时", course.lessons)}</span>
                    <span class="price">"¥"{course.price}</span>
                </div>
            </div>
        </article>
    }
}
