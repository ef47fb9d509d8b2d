use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{CreateOrder, current_user, get_course};
use crate::dto::{CourseDetail, UserDto};
use crate::pages::load;
use crate::pages::login::{ErrorNotice, action_error};

/// `/course/{id}`: the course, its price and the 立即购买 button (立即学习 once owned).
#[component]
pub fn CoursePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i32>().ok())
            .unwrap_or(0)
    });
    let detail = Resource::new(move || id.get(), get_course);
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                let user = user.await.ok().flatten();
                match detail.await {
                    Ok(d) => view! { <CourseDetailView detail=d user/> }.into_any(),
                    Err(e) => view! { <p class="notice notice-error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CourseDetailView(detail: CourseDetail, user: Option<UserDto>) -> impl IntoView {
    let c = detail.course;
    let initial = c.name.chars().next().map(String::from).unwrap_or_default();
    view! {
        <article class="course-detail" data-course-id=c.id>
            <div class="course-cover" aria-hidden="true"><span>{initial}</span></div>
            <div>
                <h1>{c.name.clone()}</h1>
                <p class="course-teacher">{c.teacher.clone()}</p>
                <p>{c.description.clone()}</p>
                <div class="course-meta">
                    <span class="badge">{c.level.clone()}</span>
                    <span>{format!("{} 课时", c.lessons)}</span>
                </div>
                <div class="buy-box">
                    <span class="price">"¥"{c.price.clone()}</span>
                    <BuyButton course_id=c.id price=c.price.clone() owned=detail.owned logged_in=user.is_some()/>
                </div>
            </div>
        </article>
        <Show when=move || detail.owned>
            <section class="card" id="learn">
                <h2>"课程目录"</h2>
                <ol>
                    {(1..=c.lessons.min(8)).map(|n| view! { <li>{format!("第 {n} 课")}</li> }).collect_view()}
                </ol>
            </section>
        </Show>
    }
}

/// 立即购买 (logged in), a way to the login page (logged out), or 立即学习 (owned).
#[component]
fn BuyButton(course_id: i32, price: String, owned: bool, logged_in: bool) -> impl IntoView {
    if owned {
        return view! { <a class="btn btn-primary" href="#learn">"立即学习"</a> }.into_any();
    }
    if !logged_in {
        let href = format!("/login?next=/course/{course_id}&reason=login");
        return view! { <a class="btn btn-buy" href=href>"立即购买"</a> }.into_any();
    }
    let action = ServerAction::<CreateOrder>::new();
    Effect::new(move |_| {
        if let Some(Ok(url)) = action.value().get() {
            load(url.as_str());
        }
    });
    view! {
        <ActionForm action>
            <input type="hidden" name="goods_pks" value=course_id.to_string()/>
            <input type="hidden" name="total_amount" value=price/>
            <button class="btn btn-buy" type="submit" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "正在跳转支付宝…" } else { "立即购买" }}
            </button>
        </ActionForm>
        <ErrorNotice message=action_error(action)/>
    }
    .into_any()
}
