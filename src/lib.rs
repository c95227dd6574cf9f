//! Permafrost in the browser: the Leptos app on the main thread.
//!
//! The main thread shows; the worker (crates/worker) reads. The page talks to the worker only
//! through [`worker_client`] with the typed [`permafrost_protocol`], and this package depends only
//! on the protocol and the model's plain types: build.rs fails the build if the engine, the
//! archive readers, the index or the session ever come into its dependencies.
//!
//! # Code map
//! Plain modules, built and tested natively with `cargo test`:
//! - [`route`]: the URL hash (query, sort, tab), parsed and written.
//! - [`charts`]: the Statistics view's layout (a year's calendar, shades, punchcard terms).
//! - [`library`]: the Media tab's state in the URL (kind, alt-text audit, order), its figures.
//! - [`query`]: editing query text (facet toggles, completion).
//! - [`virtual_list`]: row heights and the visible window of the timeline.
//! - [`results`]: the posts of the current result fetched so far, by position.
//! - [`highlight`]: splitting text around matched terms.
//! - [`help`]: the query language's help text read into sections for the help panel.
//! - [`poll`]: a poll's shares as Mastodon computes them.
//! - [`preview`]: the posts read so far while an archive opens, as one rich text.
//! - [`progress`]: the opening bar, which does not go back while an archive is read (a tar.gz's
//!   listing, then its outbox.json).
//! - [`selection`]: posts picked by hand for export, with shift-click ranges.
//! - [`format`](mod@format): numbers, sizes and durations (and, in the browser, dates and numbers in the
//!   user's locale and time zone through `Intl`).
//!
//! In the browser only (wasm32), tested in Chromium (tests/*.rs):
//! - [`lang`]: the interface's language (English, German, French, Spanish, Japanese): the
//!   catalogues in `locales/`, compiled in ([`i18n`]), the picker's choice, plural forms.
//! - [`app`]: the top-level component and the app's state ([`app::AppState`]), provided as
//!   context with the [`worker_client::WorkerClient`].
//! - [`ui`]: components, one module per part of the page. They render state and dispatch
//!   requests; the logic they need lives in the plain modules above.
//! - [`files`]: what the user dropped or picked, with folder paths.
//! - [`offline`]: registers the service worker (the app's files, kept for use offline) and says
//!   when a new version is ready.
//! - [`worker_client`]: the only main-thread code that talks to the worker; [`codec`] reads its
//!   answers and writes the requests.
//!
//! **Architecture invariant:** markup is never built from strings. Post and profile text arrives
//! as a typed [`permafrost_model::RichText`] tree and is rendered through components.

pub mod charts;
pub mod format;
pub mod help;
pub mod highlight;
pub mod library;
pub mod poll;
pub mod preview;
pub mod progress;
pub mod query;
pub mod results;
pub mod route;
pub mod selection;
pub mod tags;
pub mod virtual_list;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod lang;
// The catalogues, compiled in (`i18n::Locale`, `i18n::t_string!`): see `lang`. `load_locales!`
// reads Cargo.toml's `[package.metadata.leptos-i18n]`; its build.rs successor would bring ICU's
// data exporter into the build for nothing this app uses.
#[cfg(target_arch = "wasm32")]
#[allow(missing_docs, unreachable_pub, deprecated, clippy::all)]
mod i18n_gen {
    leptos_i18n::load_locales!();
}
#[cfg(target_arch = "wasm32")]
pub use i18n_gen::i18n;
#[cfg(target_arch = "wasm32")]
pub mod codec;
#[cfg(target_arch = "wasm32")]
pub mod files;
#[cfg(target_arch = "wasm32")]
pub mod offline;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker_client;

/// Mounts the app on the page's body.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    offline::register();
}
