//! coursepay's user interface: the pages, their components and the server functions they call.
//! Compiled twice: with `ssr` into the server (server functions run there and reach `shop`), with
//! `hydrate` into the browser's WASM (server functions become HTTP calls).
pub mod api;
mod app;
pub mod components;
mod current_user;
pub mod dto;
pub mod dto_admin;
mod error;
pub mod pages;
mod shell;

pub use app::App;
pub use error::AppError;
pub use shell::shell;
