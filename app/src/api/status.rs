//! A server function answers an [`AppError`] with the HTTP status the error deserves (401 not
//! logged in, 403 not allowed, 400 refused, 503 busy with `Retry-After`, 500 only for a real server
//! failure), set through leptos' [`ResponseOptions`]: logs, monitoring and API clients can tell a
//! wrong password from an outage. The JSON body is unchanged: the browser app decodes it the same
//! way.
use http::header::{ACCEPT, REFERER, RETRY_AFTER};
use http::request::Parts;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use crate::error::AppError;

/// Server functions are served under this prefix (leptos' default).
const SERVER_FN_PREFIX: &str = "/api/";

/// Runs the body of a server function; its error, if any, sets the status of the answer.
pub async fn with_status<T>(
    body: impl Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let result = body.await;
    if let Err(err) = &result {
        set_error_status(err);
    }
    result
}

/// Sets the status (and `Retry-After`) `err` deserves on the answer to the current server-function
/// call. Left alone: a page render (the server function then runs inside the page's own request,
/// and the page keeps its status) and a plain HTML form post with a `Referer` (JavaScript off:
/// leptos sends the browser back to the form with a 302).
pub fn set_error_status(err: &AppError) {
    let (Some(parts), Some(response)) = (use_context::<Parts>(), use_context::<ResponseOptions>())
    else {
        return;
    };
    if !parts.uri.path().starts_with(SERVER_FN_PREFIX) || back_to_the_form(&parts) {
        return;
    }
    if let Ok(status) = http::StatusCode::from_u16(err.status()) {
        response.set_status(status);
    }
    if let Some(secs) = err.retry_after() {
        response.insert_header(RETRY_AFTER, secs.into());
    }
}

/// A form posted by the browser itself, which leptos redirects to the page it came from.
fn back_to_the_form(parts: &Parts) -> bool {
    let accepts_html = parts
        .headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    accepts_html && parts.headers.contains_key(REFERER)
}
