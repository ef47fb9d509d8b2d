use leptos::prelude::*;

use crate::api::list_courses;
use crate::components::CourseCardView;

/// `/`: every course, as cards.
#[component]
pub fn HomePage() -> impl IntoView {
    let courses = Resource::new(|| (), |_| list_courses());
    view! {
        <section class="hero">
            <h1>"精品课程，一次购买，永久学习"</h1>
            <p>"支付宝安全支付 · 购买后立即开始学习"</p>
        </section>
        <Suspense fallback=|| view! { <p class="loading">"课程加载中…"</p> }>
            {move || Suspend::new(async move {
                match courses.await {
                    Ok(list) if list.is_empty() => {
                        view! { <p class="empty">"暂无课程"</p> }.into_any()
                    }
                    Ok(list) => {
                        view! {
                            <div class="course-grid">
                                {list
                                    .into_iter()
                                    .map(|course| view! { <CourseCardView course/> })
                                    .collect_view()}
                            </div>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
