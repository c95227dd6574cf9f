//! Opens a Mastodon account archive, in whatever shape it arrives, into a [`permafrost_model::Account`].
//!
//! The CLI and the Web Worker are thin shells over this crate: they turn paths or browser `File`s
//! into [`Input`]s (anything `Read + Seek`) and call [`load`]. This crate decides what each input
//! is (by magic bytes first, names second), finds outbox.json wherever it sits, reads the JSON and
//! CSV files through the streaming parsers, settles visibility once actor.json is known, and resolves
//! every attachment to an archive entry. Media bytes are read only when asked for, one at a time
//! ([`Loaded::read_media`]).
//!
//! # Overview
//! - [`load`] → [`Loaded`]: the [`Account`], the [`Format`] it came in, and the container kept for
//!   media and raw JSON.
//! - [`summarize`] → [`Summary`]: the counts `permafrost inspect --json` prints.
//! - [`Error`]: the fatal cases (not an archive, no outbox.json, truncated, encrypted…), each with
//!   a message saying what to do. Everything short of fatal is a diagnostic on the account.
//!
//! # Example
//! ```
//! use std::io::Cursor;
//! use permafrost_engine::{load, summarize, Input};
//!
//! let outbox = br#"{"orderedItems":[{"id":"https://ex.social/users/a/statuses/1/activity","type":"Create",
//!   "object":{"id":"https://ex.social/users/a/statuses/1","type":"Note","published":"2023-01-02T03:04:05Z",
//!   "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>hi</p>"}}]}"#.to_vec();
//! let inputs = vec![Input::new("outbox.json", Cursor::new(outbox))];
//! let loaded = load(inputs, &mut |_| {}).unwrap();
//! let summary = summarize(&loaded);
//! assert_eq!(summary.posts, 1);
//! assert_eq!(summary.format, "files");
//! ```
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

mod error;
mod glance;
mod kept;
mod load;
mod media;
pub mod messages;
pub mod placeholder;
mod set;
mod side;

pub use error::Error;
pub use glance::glance;
pub use kept::{restore, Kept, Mismatch};
pub use load::{is_csv_name, load, load_observed, Input, Loaded, Observer, Progress, Stage};
pub use permafrost_archive::{
    first_zip_span, read_span, Format, GzipElsewhere, GzipInflater, Limits, RawEntry, Span,
};
pub use permafrost_model::summary::{
    AccountSummary, DiagnosticSummary, MediaCounts, Summary, VisibilityCounts,
};
pub use permafrost_model::Account;
pub use set::{AccountInfo, ArchiveInfo};
pub use side::{Added, SideFile};

/// Summarises a loaded archive: the numbers `permafrost inspect --json` prints.
pub fn summarize<R>(loaded: &Loaded<R>) -> Summary {
    let summary = Summary::of_account(
        &loaded.account,
        &loaded.format.to_string(),
        loaded.outbox_bytes,
    );
    summarized(loaded, summary)
}

/// [`summarize`], with what tells whether a URI is an original post's id given (see
/// [`Summary::of_account_with`]).
pub fn summarize_with<R>(loaded: &Loaded<R>, is_original_id: &dyn Fn(&str) -> bool) -> Summary {
    let summary = Summary::of_account_with(
        &loaded.account,
        &loaded.format.to_string(),
        loaded.outbox_bytes,
        is_original_id,
    );
    summarized(loaded, summary)
}

/// An archive's summary, or several archives' from their first's.
fn summarized<R>(loaded: &Loaded<R>, summary: Summary) -> Summary {
    if loaded.archives.is_empty() {
        summary
    } else {
        loaded.several_summary(summary)
    }
}
