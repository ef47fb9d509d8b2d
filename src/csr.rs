//! `COURSEPAY_FRONTEND=csr`: the server hands out the Trunk-built client-side app instead of
//! rendering pages. Server functions stay at their `/api/...` paths; every other GET is a file of
//! the build or, for a page route such as `/course/1` or `/pay/success?...`, its `index.html`
//! (200). Any other path also gets `index.html`, whose router shows 页面不存在, but with a 404.
use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, header};
use axum::middleware::Next;
use axum::routing::any;
use leptos::prelude::provide_context;
use tower_http::services::{ServeDir, ServeFile};

use app::api::ServerContext;

/// The server functions plus the static build with `index.html` as the fallback for page routes.
pub fn router(ctx: ServerContext, dist: &Path) -> Router {
    // What `leptos_routes` does for the server-rendered site: server functions may spawn tasks.
    let _ = any_spawner::Executor::init_tokio();
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
        .layer(axum::middleware::from_fn(cache_control));
    router.merge(files)
}

/// `index.html` is revalidated on every load (it names the current hashed files); the files get
/// [`crate::assets::cache_control`]: Trunk's content-hashed names are kept for a year.
async fn cache_control(req: Request<Body>, next: Next) -> Response<Body> {
    let name = crate::assets::requested_file_name(&req);
    let mut res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if res.status().is_success() {
        let value = if html {
            "no-cache"
        } else {
            crate::assets::cache_control(&name)
        };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}
