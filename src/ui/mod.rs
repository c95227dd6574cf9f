//! The components, one module per part of the page. They render [`crate::app::AppState`] and
//! dispatch requests; the logic they need lives in plain modules ([`crate::query`],
//! [`crate::virtual_list`], [`crate::route`]…).

pub mod accounts;
pub mod archive;
pub mod browse;
pub mod diagnostics;
pub mod dialogs;
pub mod dom;
pub mod export;
pub mod facets;
pub mod header;
pub mod kept;
pub mod lightbox;
pub mod media;
pub mod media_library;
pub mod memories;
pub mod opening;
pub mod people;
pub mod post;
pub mod print;
pub mod profile;
pub mod rich_text;
pub mod saved;
pub mod search;
pub mod settings;
pub mod stats;
pub mod summary;
pub mod timeline;
pub mod warm_up;
pub mod welcome;
