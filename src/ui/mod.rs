//! The components, one module per part of the page. They render [`crate::app::AppState`] and
//! dispatch requests; the logic they need lives in plain modules ([`crate::query`],
//! [`crate::virtual_list`], [`crate::route`]…).

pub mod archive;
pub mod diagnostics;
pub mod header;
pub mod opening;
pub mod summary;
pub mod welcome;
