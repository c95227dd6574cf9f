//! Search over a Permafrost archive: a small query language, an index built from a loaded
//! [`Account`](permafrost_model::Account), facets, statistics and self-reply threads.
//!
//! The same code runs natively (the `permafrost` CLI) and in the browser's Web Worker; results are
//! plain data (serde) so they cross the worker boundary as JSON. Nothing here reads files: the time
//! zone database is bundled.
//!
//! # Overview
//! - [`parse_query`] turns text into a [`Parsed`] query. It never fails: mistakes become
//!   [`QueryError`]s with a span and a "did you mean" suggestion, and the rest of the query runs.
//!   [`Mode::Typing`] reads the last word as a prefix (a search box); [`Mode::Exact`] does not.
//!   [`HELP`] documents the language; [`FILTERS`] lists its filters and their values (what the
//!   parser accepts and what a search box completes).
//! - [`Index::build`] indexes an account: folded words and CJK bigrams with their posting lists,
//!   hashtags, mentions, link domains, languages, per-post properties and threads.
//! - [`Index::search`] returns the total, a page of [`Hit`]s sorted by [`Sort`] with highlight
//!   ranges, and optionally [`Facets`] and [`Stats`] in an IANA time zone.
//! - [`Index::thread_of`] rebuilds the account's own reply chains.
//! - Behind Cargo features, off by default: `oracle` (feature `oracle`), a deliberately naive
//!   evaluator, the reference of the differential tests; and `bench` (feature `bench`, which
//!   enables `oracle`), the search benchmark, with the oracle as its baseline. The index's own
//!   tests and `permafrost bench` enable them.
//!
//! # Example
//! ```
//! use permafrost_index::{parse_query, Index, Mode, SearchOptions};
//! use permafrost_model::{outbox, Account};
//!
//! let json = r##"{"orderedItems":[
//!   {"id":"https://ex.social/users/a/statuses/1/activity","type":"Create","actor":"https://ex.social/users/a",
//!    "object":{"id":"https://ex.social/users/a/statuses/1","type":"Note","published":"2023-01-02T03:04:05Z",
//!      "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>Un café à Paris</p>",
//!      "tag":[{"type":"Hashtag","name":"#Coffee"}]}},
//!   {"id":"https://ex.social/users/a/statuses/2/activity","type":"Create","actor":"https://ex.social/users/a",
//!    "object":{"id":"https://ex.social/users/a/statuses/2","type":"Note","published":"2023-06-01T10:00:00Z",
//!      "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>東京都の天気</p>"}}]}"##;
//! let mut account = Account::default();
//! outbox::read_outbox(json.as_bytes(), "outbox.json", &mut account, &mut |_, _| {}).unwrap();
//! let index = Index::build(&account);
//!
//! let result = index.search(&account, &parse_query("cafe #coffee", Mode::Exact), &SearchOptions::default());
//! assert_eq!(result.total, 1);
//! assert_eq!(result.hits[0].post, 0);
//! assert_eq!(result.hits[0].highlights, vec![(3, 8)]); // "café"
//!
//! let result = index.search(&account, &parse_query("京都 on:2023-06", Mode::Exact), &SearchOptions::default());
//! assert_eq!(result.total, 1);
//!
//! let parsed = parse_query("hass:media paris", Mode::Exact);
//! assert_eq!(parsed.errors[0].suggestion.as_deref(), Some("has:media"));
//! assert_eq!(index.search(&account, &parsed, &SearchOptions::default()).total, 1);
//! ```
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

mod accounts;
#[cfg(all(
    feature = "bench",
    not(all(target_arch = "wasm32", target_os = "unknown"))
))]
pub mod bench;
mod bitset;
mod eval;
mod facets;
mod index;
#[cfg(feature = "oracle")]
pub mod oracle;
mod postings;
mod query;
mod search;
mod text;
mod texts;
mod threads;
mod tz;

pub use accounts::{account_label, known_handles};
pub use facets::{top_n, AltCoverage, FacetCount, Facets, Stats, TOP};
pub use index::{self_reply_parents, Index};
pub use query::messages;
pub use query::{
    did_you_mean, parse_query, query_parts, visibility_name, Cmp, CountField, DateOp, DateSpec,
    FilterSpec, HasFilter, IsFilter, Mode, Parsed, Query, QueryError, Text, FILTERS, HELP,
};
pub use search::{
    highlights, Broader, Hit, Matched, SearchOptions, SearchResult, Sort, BROADER_PARTS,
};
pub use text::Piece;
pub use texts::{write_fields, Tokenized, Tokenizer};
pub use threads::{Thread, ThreadPost};
pub use tz::{is_known_time_zone, time_zone_error};
