//! The client-side-rendered coursepay (built by Trunk, see Trunk.toml and index.html): the same
//! `app`, rendered in the browser into an empty page; every server function is an HTTP call to
//! the coursepay server that serves this build (`COURSEPAY_FRONTEND=csr`) or that `trunk serve`
//! proxies to.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
