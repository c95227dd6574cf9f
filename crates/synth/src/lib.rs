//! Deterministic synthetic Mastodon account archives, with their true counts.
//!
//! `permafrost-synth` writes archives shaped like the ones Mastodon hands out ("Request your archive"), plus
//! the six CSV exports from the same settings page, from a seed. Tests and benchmarks use them where real
//! archives are too small, too private or too few. It does **not** use the project's parser: it is a second,
//! independent reading of `docs/archive-format.md`, so a bug has to be made twice to go unnoticed. The one
//! thing it takes from `permafrost-model` is the BlurHash alphabet (`permafrost_model::blurhash`), a fixed
//! table that is not a reading of anything.
//!
//! # Brief overview
//!
//! - [`write_archive`] writes a [`Container::Zip`] (Mastodon 4.3-style: rubyzip entry order, DEFLATE,
//!   minified outbox, `zh-CN` content maps, `likes`/`shares` counts) or a [`Container::TarGz`] (Mastodon
//!   4.0/4.1-style: media first, absolute local-storage entry names in the ustar prefix field, LD signatures,
//!   per-item `@context`, `zhCn`, `\u003c`-escaped JSON, `totalItems` in likes/bookmarks). It returns the
//!   [`Expected`] counts, computed while writing.
//! - [`csv_exports`] returns `following_accounts.csv`, `lists.csv`, `blocked_accounts.csv`,
//!   `muted_accounts.csv`, `blocked_domains.csv` and `bookmarks.csv` for the same [`Options`]. Their counts are
//!   part of [`Expected`] too (`bookmarks` merges `bookmarks.json` and `bookmarks.csv`, which overlap).
//! - [`expected`] computes the counts without keeping any output; [`archive_file_name`] gives Mastodon's name
//!   for the file.
//!
//! The same options always give the same bytes, on every platform: the generator uses its own integer-only
//! PRNG, fixed word lists, and fixed timestamps derived from the seed (never the clock).
//!
//! What the archive contains: posts over about three years, oldest first, with Snowflake ids; 70/12/10/8 %
//! public/unlisted/followers-only/direct, addressed exactly as Mastodon does; about 15 % boosts (a few of them
//! inline self-boosts of followers-only posts, with absolute media URLs); replies to others, self-reply
//! threads of 2–6 posts, and replies to deleted own posts; content warnings, polls, edits, hashtags (some
//! non-ASCII), mentions (some local, some of a group in a DM), custom emoji, shortened links; English, German,
//! French, Spanish, Japanese and Chinese text; media (valid tiny PNG/JPEG/GIF, MP4/MP3 stand-ins) with alt
//! text on most, a few referenced but missing, and URLs in three styles (exact, leading slash, S3 bucket
//! prefix).
//!
//! # Example
//!
//! ```
//! use std::io::Cursor;
//! use permafrost_synth::{write_archive, csv_exports, Container, Options};
//!
//! let opts = Options { posts: 200, seed: 7, ..Options::default() };
//! let mut zip = Cursor::new(Vec::new());
//! let expected = write_archive(&opts, &mut zip).unwrap();
//! assert_eq!(expected.posts, 200);
//! assert_eq!(expected.originals + expected.boosts, 200);
//! assert!(zip.get_ref().starts_with(b"PK\x03\x04"));
//!
//! let csvs = csv_exports(&opts);
//! assert_eq!(csvs.len(), 6);
//! let following = &csvs.iter().find(|(name, _)| *name == "following_accounts.csv").unwrap().1;
//! assert_eq!(following.iter().filter(|&&b| b == b'\n').count(), expected.following + 1);
//!
//! let tar = Options { container: Container::TarGz, ..opts };
//! let mut tgz = Cursor::new(Vec::new());
//! write_archive(&tar, &mut tgz).unwrap();
//! assert!(tgz.get_ref().starts_with(&[0x1f, 0x8b]));
//! ```
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::io::{self, Seek, Write};

use serde::{Deserialize, Serialize};

mod container;
mod files;
mod json;
mod media;
mod outbox;
mod people;
mod plan;
mod rng;
mod text;
mod time;
mod words;

use outbox::Counts;
use plan::Plan;

/// The archive container, which also picks the Mastodon era it imitates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Container {
    /// A ZIP as Mastodon 4.2+ writes it (the generator imitates 4.3/4.4).
    #[default]
    Zip,
    /// A gzipped ustar archive as Mastodon 2.3–4.1 wrote it (the generator imitates 4.0/4.1).
    TarGz,
}

impl Container {
    /// The file extension, without a dot: `zip` or `tar.gz`.
    pub fn extension(self) -> &'static str {
        match self {
            Container::Zip => "zip",
            Container::TarGz => "tar.gz",
        }
    }
}

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Number of outbox items (originals and boosts).
    pub posts: usize,
    /// The seed; everything is derived from it.
    pub seed: u64,
    /// Target size of each media file (and of the avatar and header) in bytes; default 64. Files are padded
    /// to exactly this size where the format allows; `0` (or anything below a format's minimum) gives the
    /// smallest valid file (1×1 images: PNG 72 bytes, JPEG about 185, GIF 35; MP4 24, MP3 96).
    pub media_bytes: usize,
    /// Zip (4.2+ layout) or tar.gz (≤ 4.1 layout).
    pub container: Container,
    /// The account, `user@host`; default `alice@example.social`.
    pub handle: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            posts: 1000,
            seed: 1,
            media_bytes: 64,
            container: Container::Zip,
            handle: "alice@example.social".to_string(),
        }
    }
}

/// The true counts of a generated archive and its CSV exports.
///
/// The top-level fields mean what `permafrost inspect --json` reports. Post counts are over outbox items;
/// "originals" are the `Create` items. Inline self-boosts repeat a followers-only original's note: they count
/// as boosts only, and their attachments are not counted again in `media` (see `detail` for their numbers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    /// Outbox items.
    pub posts: usize,
    /// `Create` items.
    pub originals: usize,
    /// `Announce` items (including inline self-boosts).
    pub boosts: usize,
    /// Originals with `inReplyTo`.
    pub replies: usize,
    /// Replies whose parent is an original in the same archive (replies to deleted own posts are not).
    pub self_replies: usize,
    /// Visibility of originals, decoded from `to`/`cc` (§5.3).
    pub visibility: Visibility,
    /// Originals with at least one attachment.
    pub with_media: usize,
    /// Originals of type `Question`.
    pub polls: usize,
    /// Originals with a non-empty `summary`.
    pub with_cw: usize,
    /// Originals with `updated`.
    pub edited: usize,
    /// Originals per language (normalised codes: `zh-CN` even where the archive says `zhCn`); originals
    /// without a language are not counted.
    pub languages: BTreeMap<String, usize>,
    /// Attachments of originals.
    pub media: MediaCounts,
    /// Entries in likes.json.
    pub likes: usize,
    /// Distinct URIs in bookmarks.json and bookmarks.csv together.
    pub bookmarks: usize,
    /// Rows of following_accounts.csv.
    pub following: usize,
    /// Always `None`: Mastodon exports no followers list.
    pub followers: Option<usize>,
    /// Members per list title, for lists that have rows in lists.csv (empty lists export nothing).
    pub lists: BTreeMap<String, usize>,
    /// Rows of blocked_accounts.csv.
    pub blocks: usize,
    /// Rows of muted_accounts.csv.
    pub mutes: usize,
    /// Rows of blocked_domains.csv.
    pub domain_blocks: usize,
    /// `published` of the first item (RFC 3339 UTC, `2023-01-02T03:04:05Z`); the first and last items are
    /// always originals.
    pub first_post: Option<String>,
    /// `published` of the last item.
    pub last_post: Option<String>,
    /// Size of outbox.json in bytes.
    pub outbox_bytes: u64,
    /// The archive's account.
    pub account: AccountInfo,
    /// Ground truth for search tests.
    pub search: SearchTruth,
    /// Further numbers that explain the ones above.
    pub detail: Detail,
}

/// Originals per visibility.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visibility {
    /// `to` has the Public collection.
    pub public: usize,
    /// `cc` has the Public collection.
    pub unlisted: usize,
    /// Followers-only: the actor's followers collection is in `to`.
    pub private: usize,
    /// Direct ("private mention").
    pub direct: usize,
}

/// Attachment counts over originals (each attachment of each `Create` once).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaCounts {
    /// Attachments referenced.
    pub referenced: usize,
    /// Referenced attachments whose file is in the archive.
    pub present: usize,
    /// Referenced attachments whose file is not in the archive.
    pub missing: usize,
    /// Attachments whose `name` (alt text) is `null` or empty.
    pub without_alt: usize,
}

/// The archive owner.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    /// `user@host`.
    pub handle: String,
    /// actor.json `name`.
    pub display_name: String,
    /// actor.json `published` (midnight UTC).
    pub created: String,
}

/// Per-post ground truth for search, counted over originals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchTruth {
    /// Originals carrying each hashtag (a `Hashtag` tag), keyed by the lowercased name without `#`. Every
    /// hashtag the generator knows is listed, with 0 if unused.
    pub hashtags: BTreeMap<String, usize>,
    /// Originals whose `content` contains each marker word (as a whole word, case-insensitively; a marker may
    /// start a sentence capitalized). Markers never occur in summaries, alt text, poll options, hashtags,
    /// names or URLs. The Latin markers appear only in non-CJK posts; `富士山` only in Japanese ones.
    pub words: BTreeMap<String, usize>,
}

/// Secondary numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detail {
    /// Announces whose object is an inline note (one's own followers-only post). Such notes never carry
    /// hashtags or marker words.
    pub self_boosts: usize,
    /// Attachments inside those inline notes (absolute URLs to files that are in the archive).
    pub self_boost_attachments: usize,
    /// URIs in bookmarks.json.
    pub bookmarks_json: usize,
    /// Rows of bookmarks.csv (some are also in bookmarks.json).
    pub bookmarks_csv: usize,
    /// The outbox's `totalItems` field, which like Mastodon's is not the item count.
    pub outbox_total_items: usize,
    /// Media files written into the archive (the avatar and header not included).
    pub media_files: usize,
}

/// Writes a synthetic archive to `out` and returns its true counts.
///
/// For [`Container::TarGz`] the outbox is generated twice (tar headers need sizes up front and media come
/// first), so it takes about twice as long as a zip.
///
/// # Errors
///
/// Errors from `out`, and `InvalidInput` when `opts.handle` is not `user@host`.
pub fn write_archive<W: Write + Seek>(opts: &Options, out: W) -> io::Result<Expected> {
    let plan = Plan::new(opts)?;
    let (counts, likes) = match opts.container {
        Container::Zip => container::write_zip(&plan, out)?,
        Container::TarGz => container::write_targz(&plan, out)?,
    };
    Ok(build_expected(&plan, counts, likes))
}

/// The counts [`write_archive`] would return, without writing anything.
///
/// # Errors
///
/// `InvalidInput` when `opts.handle` is not `user@host`.
pub fn expected(opts: &Options) -> io::Result<Expected> {
    let plan = Plan::new(opts)?;
    let mut outbox = outbox::Outbox::new(&plan);
    outbox.write_to(&mut io::sink())?;
    let likes = files::likes_total(&plan);
    Ok(build_expected(&plan, outbox.counts, likes))
}

/// The six CSV exports for `opts`, as `(file name, bytes)`: `following_accounts.csv` (4.0+ header),
/// `lists.csv`, `blocked_accounts.csv`, `muted_accounts.csv` (with header), `blocked_domains.csv` and
/// `bookmarks.csv` (no header on the others), UTF-8 with `\n` line ends, as Mastodon writes them.
pub fn csv_exports(opts: &Options) -> Vec<(&'static str, Vec<u8>)> {
    let host = plan::host_of(&opts.handle);
    let (social, bookmarks) = plan::social_parts(opts, &host);
    vec![
        ("following_accounts.csv", social.following_csv()),
        ("lists.csv", social.lists_csv()),
        ("blocked_accounts.csv", social.blocks_csv()),
        ("muted_accounts.csv", social.mutes_csv()),
        ("blocked_domains.csv", social.domain_blocks_csv()),
        ("bookmarks.csv", bookmarks.csv()),
    ]
}

/// Whether the slow test cases are asked for (`PERMAFROST_SLOW_TESTS` set and not empty, as
/// `scripts/test.sh` reads it and CI sets it). The tests that generate large archives run at full
/// size then, and at a size that keeps plain `cargo test` quick otherwise: never skipped.
pub fn slow_tests() -> bool {
    std::env::var_os("PERMAFROST_SLOW_TESTS").is_some_and(|v| !v.is_empty())
}

/// Mastodon's file name for the archive: `archive-<YYYYMMDDHHMMSS>-<32 hex>.zip` (or `.tar.gz`).
pub fn archive_file_name(opts: &Options) -> String {
    let t = plan::Timeline::new(opts);
    let mut r = rng::Rng::new(opts.seed, 10);
    format!(
        "archive-{}-{:016x}{:016x}.{}",
        time::compact(t.archive_secs),
        r.next_u64(),
        r.next_u64(),
        opts.container.extension()
    )
}

fn build_expected(p: &Plan, c: Counts, likes: usize) -> Expected {
    let b = &p.bookmarks;
    let overlap = b.json_end.saturating_sub(b.csv_start);
    let bookmarks_json = b.json_end;
    let bookmarks_csv = b.uris.len() - b.csv_start;
    let mut words_truth: BTreeMap<String, usize> = words::MARKERS
        .iter()
        .zip(&c.markers)
        .map(|((m, _), n)| (m.to_string(), *n))
        .collect();
    words_truth.insert(
        words::CJK_MARKER.0.to_string(),
        c.markers[words::MARKERS.len()],
    );
    Expected {
        posts: c.posts,
        originals: c.originals,
        boosts: c.boosts,
        replies: c.replies,
        self_replies: c.self_replies,
        visibility: Visibility {
            public: c.visibility[0],
            unlisted: c.visibility[1],
            private: c.visibility[2],
            direct: c.visibility[3],
        },
        with_media: c.with_media,
        polls: c.polls,
        with_cw: c.with_cw,
        edited: c.edited,
        languages: c
            .languages
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect(),
        media: MediaCounts {
            referenced: c.media_referenced,
            present: c.media_referenced - c.media_missing,
            missing: c.media_missing,
            without_alt: c.media_without_alt,
        },
        likes,
        bookmarks: bookmarks_json + bookmarks_csv - overlap,
        following: p.social.following,
        followers: None,
        lists: p.social.list_counts(),
        blocks: p.social.blocks,
        mutes: p.social.mutes,
        domain_blocks: p.social.domain_blocks.len(),
        first_post: c.first_secs.map(time::rfc3339),
        last_post: c.last_secs.map(time::rfc3339),
        outbox_bytes: c.bytes,
        account: AccountInfo {
            handle: p.handle.clone(),
            display_name: p.display_name.clone(),
            created: time::rfc3339(p.created),
        },
        search: SearchTruth {
            hashtags: words::HASHTAGS
                .iter()
                .zip(&c.hashtags)
                .map(|(t, n)| (t.to_lowercase(), *n))
                .collect(),
            words: words_truth,
        },
        detail: Detail {
            self_boosts: c.self_boosts,
            self_boost_attachments: c.self_boost_attachments,
            bookmarks_json,
            bookmarks_csv,
            outbox_total_items: c.total_items_field,
            media_files: c.media_referenced - c.media_missing,
        },
    }
}
