//! The browser entry points. With `hydrate` (cargo-leptos): hydrates the server-rendered HTML with
//! the same `app`. With `csr` the lib is empty and `src/csr.rs` (Trunk) renders everything.

/// Called by the generated JS once the WASM has loaded.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
