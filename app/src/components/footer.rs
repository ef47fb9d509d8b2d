use leptos::prelude::*;

/// The bottom bar.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="container">
                <p>"© 2026 路飞学城 · 支付由支付宝提供 · coursepay"</p>
            </div>
        </footer>
    }
}
