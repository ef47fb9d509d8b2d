use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::Logout;
use crate::current_user::CurrentUser;
use crate::pages::load;

/// The top bar: brand, navigation, and who is logged in.
#[component]
pub fn Header() -> impl IntoView {
    let current = CurrentUser::use_context();
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            load("/");
        }
    });
    view! {
        <header class="site-header">
            <div class="container header-inner">
                <A href="/" attr:class="brand">
                    <span class="brand-mark">"路飞"</span>
                    <span class="brand-name">"路飞学城"</span>
                </A>
                <nav class="nav">
                    <A href="/">"全部课程"</A>
                    <A href="/orders">"我的订单"</A>
                </nav>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match current.user().await {
                            Some(u) => view! {
                                <div class="user-box">
                                    {(u.role == "admin").then(|| view! { <a href="/admin">"商户后台"</a> })}
                                    <span>"你好，"<span class="username" data-testid="username">{u.username}</span></span>
                                    <ActionForm action=logout>
                                        <button class="btn btn-ghost" type="submit">"退出"</button>
                                    </ActionForm>
                                </div>
                            }.into_any(),
                            None => view! {
                                <div class="user-box">
                                    <a href="/login">"登录"</a>
                                    <a href="/register">"注册"</a>
                                </div>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </header>
    }
}
