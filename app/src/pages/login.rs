use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::{Login, Register};
use crate::components::{ErrorNotice, action_error};
use crate::pages::{load, safe_next};

/// Reads `next` and `reason` from the query.
fn next_and_reason() -> (Memo<String>, Memo<Option<String>>) {
    let q = use_query_map();
    let next =
        Memo::new(move |_| safe_next(&q.read().get("next").unwrap_or_else(|| "/".to_owned())));
    let reason = Memo::new(move |_| q.read().get("reason"));
    (next, reason)
}

/// `/login`: username and password; back to `next` afterwards.
#[component]
pub fn LoginPage() -> impl IntoView {
    let (next, reason) = next_and_reason();
    let action = ServerAction::<Login>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            // A full page load: every part of the page (the header's user too) comes from the
            // server again, and no earlier update races the navigation.
            load(&next.get_untracked());
        }
    });
    view! {
        <section class="card form-card">
            <h1>"登录"</h1>
            <Show when=move || reason.get().as_deref() == Some("login")>
                <p class="notice notice-info">"请先登录，登录后即可购买课程。"</p>
            </Show>
            <ActionForm action>
                <input type="hidden" name="next" value=move || next.get()/>
                <label class="field">
                    "用户名"
                    <input name="username" autocomplete="username" required/>
                </label>
                <label class="field">
                    "密码"
                    <input name="password" type="password" autocomplete="current-password" required/>
                </label>
                <ErrorNotice message=action_error(action)/>
                <button class="btn btn-primary" type="submit" disabled=move || action.pending().get()>
                    "登录"
                </button>
            </ActionForm>
            <p>"还没有账号？" <A href=move || format!("/register?next={}", url::form_urlencoded::byte_serialize(next.get().as_bytes()).collect::<String>())>"注册"</A></p>
        </section>
    }
}

/// `/register`: a new student account, logged in at once.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let (next, _) = next_and_reason();
    let action = ServerAction::<Register>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            // A full page load: every part of the page (the header's user too) comes from the
            // server again, and no earlier update races the navigation.
            load(&next.get_untracked());
        }
    });
    view! {
        <section class="card form-card">
            <h1>"注册"</h1>
            <ActionForm action>
                <input type="hidden" name="next" value=move || next.get()/>
                <label class="field">
                    "用户名"
                    <input name="username" autocomplete="username" required minlength="3" maxlength="32"/>
                </label>
                <label class="field">
                    "密码（至少 8 位）"
                    <input name="password" type="password" autocomplete="new-password" required minlength="8"/>
                </label>
                <ErrorNotice message=action_error(action)/>
                <button class="btn btn-primary" type="submit" disabled=move || action.pending().get()>
                    "注册并登录"
                </button>
            </ActionForm>
        </section>
    }
}
