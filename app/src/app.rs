use leptos::prelude::*;
use leptos_meta::{Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

use crate::components::{Footer, Header};
use crate::current_user::CurrentUser;
use crate::pages::{
    AdminPage, CoursePage, HomePage, LoginPage, NotFound, OrdersPage, PaySuccessPage, RegisterPage,
};

/// The whole application: header, routes, footer.
///
/// Every route renders with [`SsrMode::Async`]: the server waits for the data and sends complete
/// HTML, so the pages work with JavaScript off and hydrate without a flash when it is on. The
/// `csr` build (Trunk.toml) renders the same routes in the browser alone.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    CurrentUser::provide();
    // The hydration marker end-to-end tests wait for before clicking.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    // The client-side build links its (hashed) stylesheet from index.html instead.
    let stylesheet = (!cfg!(feature = "csr"))
        .then(|| view! { <Stylesheet id="leptos" href="/pkg/coursepay.css"/> });
    view! {
        {stylesheet}
        <Title text="路飞学城 · coursepay"/>
        <Router>
            <Header/>
            <main class="container">
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("course"), ParamSegment("id")) view=CoursePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("register") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("orders") view=OrdersPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("admin") view=AdminPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("pay"), StaticSegment("success")) view=PaySuccessPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
