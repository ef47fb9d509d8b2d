//! `COURSEPAY_FRONTEND=csr`: the server hands out the Trunk-built client-side app instead of
//! rendering pages. Server functions stay at their `/api/...` paths; every other GET is a file of
//! the build or, for a page route such as `/course/1` or `/pay/success?...`, its `index.html`
//! (200). Any other path also gets `index.html`, whose router shows 页面不存在, but with a 404.
use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum::routing::any;
use leptos::prelude::provide_context;
use tower_http::services::{ServeDir, ServeFile};

use app::api::ServerContext;

/// The server functions plus the static build with `index.html` as the fallback for page routes.
pub fn router(ctx: ServerContext, dist: &Path) -> Router {
    // What `leptos_routes` does for the server-rendered site: server functions may spawn tasks.
    crate::executor::init();
    let mut router = Router::new();
    for (path, _method) in leptos::server_fn::axum::server_fn_paths() {
        let ctx = ctx.clone();
        router = router.route(
            path,
            any(move |req: Request<Body>| {
                let ctx = ctx.clone();
                leptos_axum::handle_server_fns_with_context(
                    move || provide_context(ctx.clone()),
                    req,
                )
            }),
        );
    }
    let index = dist.join("index.html");
    let mut files = Router::new();
    for route in leptos_axum::generate_route_list(app::App) {
        files = files.route_service(route.path(), ServeFile::new(&index));
    }
    let files = files
        .fallback_service(
            ServeDir::new(dist)
                .precompressed_br()
                .precompressed_gzip()
                .not_found_service(ServeFile::new(&index)),
        )
        // Vary + Cache-Control: index.html revalidated, Trunk's hashed files kept for a year.
        .layer(axum::middleware::from_fn(crate::assets::headers));
    router.merge(files)
}

/// The CSP hashes of the inline scripts of the build's `index.html` (Trunk writes its WASM loader
/// inline), read once at start: a new build needs a restart. None if it cannot be read.
pub fn inline_script_hashes(dist: &Path) -> Vec<String> {
    match std::fs::read_to_string(dist.join("index.html")) {
        Ok(html) => crate::csp::inline_script_hashes(&html),
        Err(err) => {
            tracing::warn!("cannot read {}/index.html: {err}", dist.display());
            Vec::new()
        }
    }
}
