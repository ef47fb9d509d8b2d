//! Who is logged in: fetched once per page load by [`crate::App`] and read from the context by the
//! header and the pages, instead of each asking the server again. Login, registration and logout
//! end with a full page load, which fetches it anew.
use leptos::prelude::*;

use crate::api::current_user;
use crate::dto::UserDto;
use crate::error::AppError;

/// The logged-in user of the page (a resource, awaited inside a `Suspense`).
#[derive(Clone, Copy)]
pub struct CurrentUser(Resource<Result<Option<UserDto>, AppError>>);

impl CurrentUser {
    /// Fetches the user once and provides it to every component below.
    pub fn provide() {
        provide_context(CurrentUser(Resource::new(|| (), |_| current_user())));
    }

    /// The one [`CurrentUser::provide`] put into the context.
    pub fn use_context() -> CurrentUser {
        expect_context()
    }

    /// The logged-in user; `None` for a visitor, and when the server cannot tell (the page then
    /// shows what a visitor sees).
    pub async fn user(self) -> Option<UserDto> {
        self.0.await.ok().flatten()
    }
}
