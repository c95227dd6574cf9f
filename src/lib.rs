//! Permafrost in the browser: the Leptos app (main thread) and its Web Worker.
//!
//! The main thread shows; the worker reads. The page talks to the worker only through
//! [`worker_client`] with the typed [`permafrost_protocol`], and links only protocol and model
//! types: the engine, the archive readers and the index live in [`worker`], which only the worker
//! binary uses (keeping the main bundle small).
//!
//! # Code map
//! - [`app`]: the top-level component and the app's state ([`app::AppState`]).
//! - [`ui`]: components, one module per part of the page. They render state and dispatch
//!   requests; the logic they need lives in plain modules below.
//! - [`route`]: the URL hash (query, sort, view), parsed and written.
//! - [`query`]: editing query text (facet toggles, completion).
//! - [`virtual_list`]: row heights and the visible window of the timeline.
//! - [`highlight`]: splitting text around matched terms.
//! - [`format`]: numbers and dates in the user's locale and time zone.
//! - [`files`]: what the user dropped or picked, with folder paths.
//! - [`worker_client`]: the only main-thread code that talks to the worker; [`decode`] reads
//!   its answers.
//! - [`worker`]: the worker itself.
//!
//! **Architecture invariant:** markup is never built from strings. Post and profile text arrives
//! as a typed [`permafrost_model::RichText`] tree and is rendered through components.
//!
//! The crate is empty unless built for wasm32 (Trunk builds it; natively there is nothing to run).
#![cfg(target_arch = "wasm32")]

pub mod app;
pub mod decode;
pub mod files;
pub mod format;
pub mod highlight;
pub mod query;
pub mod results;
pub mod route;
pub mod ui;
pub mod virtual_list;
pub mod worker;
pub mod worker_client;

/// Mounts the app on the page's body.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
