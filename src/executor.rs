//! The executor Leptos spawns on (resources loaded while a page renders on the server, tasks of
//! server functions): tokio, each task inside the span it was spawned from, so a page's log lines
//! keep their request's id.
use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use tracing::Instrument;

struct TracedTokio;

impl CustomExecutor for TracedTokio {
    fn spawn(&self, fut: PinnedFuture<()>) {
        tokio::spawn(fut.instrument(tracing::Span::current()));
    }

    fn spawn_local(&self, fut: PinnedLocalFuture<()>) {
        tokio::task::spawn_local(fut.instrument(tracing::Span::current()));
    }

    fn poll_local(&self) {}
}

/// Installs it for the process (before Leptos' own `init_tokio`, which then changes nothing; a
/// second call changes nothing either).
pub fn init() {
    let _ = Executor::init_custom_executor(TracedTokio);
}
