use leptos::prelude::*;
use leptos_meta::MetaTags;

use crate::App;

/// The HTML document around [`App`]: what the server streams for every page.
///
/// ```ignore
/// Router::new().leptos_routes(&options, routes, { let o = options.clone(); move || app::shell(o.clone()) })
/// ```
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.ico"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}
