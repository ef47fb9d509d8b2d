use leptos::prelude::*;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;

use crate::AppError;
use crate::api::{CreateOrder, get_course};
use crate::components::{ErrorNotice, action_error};
use crate::current_user::CurrentUser;
use crate::dto::{CourseDetail, UserDto};
use crate::pages::load;

/// Shown for an id that is no course number at all (`abc`, `1.5`, 40 digits): the words the
/// server gives for an unknown course.
const NO_SUCH_COURSE: &str = "课程不存在";

/// The parameters of `/course/{id}`.
#[derive(Params, PartialEq, Clone)]
struct CourseParams {
    id: i32,
}

/// `/course/{id}`: the course, its price and the 立即购买 button (立即学习 once owned).
#[component]
pub fn CoursePage() -> impl IntoView {
    let params = use_params::<CourseParams>();
    let id = Memo::new(move |_| params.read().as_ref().ok().map(|p| p.id));
    let detail = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_course(id).await,
                None => Err(AppError::Message(NO_SUCH_COURSE.to_owned())),
            }
        },
    );
    let current = CurrentUser::use_context();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                let user = current.user().await;
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
