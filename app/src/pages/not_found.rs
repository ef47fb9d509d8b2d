use leptos::prelude::*;
use leptos_router::components::A;

/// Shown for any unknown path (with status 404 on the server).
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="empty-state">
            <h1>"页面不存在"</h1>
            <p>"您访问的页面不存在或已下线。"</p>
            <A href="/" attr:class="btn btn-primary">"返回首页"</A>
        </section>
    }
}
