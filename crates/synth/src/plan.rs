//! Everything about one archive that is fixed before the first post is written: the account, the timeline,
//! the social graph, the vocabulary.

use std::io;

use crate::json::Escape;
use crate::media::id_partition;
use crate::people::{Bookmarks, Social};
use crate::rng::Rng;
use crate::text::{percent_encode, Vocab};
use crate::time;
use crate::words;
use crate::{Container, Options};

/// 2022-09-01T00:00:00Z: zip archives (Mastodon 4.2+) cover roughly late 2022 to 2025.
const ZIP_ERA_START: i64 = 1_661_990_400;
/// 2019-09-01T00:00:00Z: tar.gz archives (Mastodon ≤ 4.1) end before mid-2023.
const TAR_ERA_START: i64 = 1_567_296_000;
const DAY: i64 = 86_400;
/// The posts are spread over about three years.
const SPAN_MS: u64 = 1095 * DAY as u64 * 1000;

/// When things happen.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeline {
    pub(crate) start_ms: u64,
    pub(crate) end_ms: u64,
    pub(crate) archive_secs: i64,
    pub(crate) created: i64,
}

impl Timeline {
    pub(crate) fn new(opts: &Options) -> Timeline {
        let mut rng = Rng::new(opts.seed, 1);
        let era = match opts.container {
            Container::Zip => ZIP_ERA_START,
            Container::TarGz => TAR_ERA_START,
        };
        let start_secs = era + rng.below(180) as i64 * DAY + rng.below(DAY as u64) as i64;
        let start_ms = start_secs as u64 * 1000 + rng.below(1000);
        // At least two seconds per post, so even huge archives keep strictly increasing timestamps.
        let end_ms = start_ms + SPAN_MS.max(opts.posts as u64 * 2000);
        let archive_secs = (end_ms / 1000) as i64 + 7 * DAY + rng.below(DAY as u64) as i64;
        let created_raw = start_secs - rng.range(30, 400) as i64 * DAY;
        Timeline {
            start_ms,
            end_ms,
            archive_secs,
            created: created_raw - created_raw.rem_euclid(DAY),
        }
    }
}

/// The host part of the handle, as the generator uses it (also when the handle is invalid, for the CSVs).
pub(crate) fn host_of(handle: &str) -> String {
    handle
        .split_once('@')
        .map_or("example.social", |(_, h)| h)
        .to_ascii_lowercase()
}

/// The social graph and the bookmarks: everything the CSV exports need.
pub(crate) fn social_parts(opts: &Options, host: &str) -> (Social, Bookmarks) {
    let t = Timeline::new(opts);
    let social = Social::new(opts.seed, opts.posts, host);
    let bookmarks = Bookmarks::new(opts.seed, opts.posts, &social, t.start_ms, t.end_ms);
    (social, bookmarks)
}

/// A custom emoji of the home instance.
#[derive(Debug)]
pub(crate) struct Emoji {
    pub(crate) shortcode: &'static str,
    pub(crate) id: String,
    pub(crate) icon: String,
    pub(crate) updated: String,
}

/// The fixed context of one archive.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) posts: usize,
    pub(crate) seed: u64,
    pub(crate) media_bytes: usize,
    pub(crate) container: Container,
    pub(crate) user: String,
    pub(crate) host: String,
    pub(crate) handle: String,
    pub(crate) actor: String,
    pub(crate) followers: String,
    pub(crate) display_name: String,
    /// Account creation (midnight UTC), seconds.
    pub(crate) created: i64,
    pub(crate) start_ms: u64,
    pub(crate) end_ms: u64,
    /// When the archive was made, seconds (entry timestamps, signatures).
    pub(crate) archive_secs: i64,
    pub(crate) escape: Escape,
    pub(crate) vocab: Vocab,
    pub(crate) social: Social,
    pub(crate) bookmarks: Bookmarks,
    pub(crate) emoji: Vec<Emoji>,
    /// `https://host/tags/<tag>` per `words::HASHTAGS` entry.
    pub(crate) hashtag_hrefs: Vec<String>,
    /// The path-style S3 bucket name used in some attachment URLs.
    pub(crate) bucket: String,
}

impl Plan {
    pub(crate) fn new(opts: &Options) -> io::Result<Plan> {
        let (user, host) = opts
            .handle
            .split_once('@')
            .filter(|(u, h)| {
                !u.is_empty()
                    && u.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    && !h.is_empty()
                    && h.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            })
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("handle must look like user@host, got {:?}", opts.handle),
                )
            })?;
        let (user, host) = (user.to_string(), host.to_ascii_lowercase());
        let Timeline {
            start_ms,
            end_ms,
            archive_secs,
            created,
        } = Timeline::new(opts);
        let mut rng = Rng::new(opts.seed, 6);
        let mut display_name = String::new();
        let mut chars = user.chars();
        if let Some(c) = chars.next() {
            display_name.extend(c.to_uppercase());
            display_name.push_str(chars.as_str());
        }
        display_name.push(' ');
        display_name.push_str(rng.pick(words::SURNAMES));
        display_name.push_str(" \u{2744}\u{fe0f}");

        let emoji = words::EMOJI
            .iter()
            .enumerate()
            .map(|(i, code)| {
                let n = 1000 + i as u64 * 37 + rng.below(30);
                Emoji {
                    shortcode: code,
                    id: format!("https://{host}/emojis/{n}"),
                    icon: format!(
                        "https://files.{host}/custom_emojis/images/{}/original/{:016x}.png",
                        id_partition(n),
                        rng.next_u64()
                    ),
                    updated: time::rfc3339(created + rng.below(300) as i64 * DAY),
                }
            })
            .collect();
        let hashtag_hrefs = words::HASHTAGS
            .iter()
            .map(|t| {
                let mut s = format!("https://{host}/tags/");
                percent_encode(&mut s, t);
                s
            })
            .collect();

        let (social, bookmarks) = social_parts(opts, &host);
        let actor = format!("https://{host}/users/{user}");
        Ok(Plan {
            posts: opts.posts,
            seed: opts.seed,
            media_bytes: opts.media_bytes,
            container: opts.container,
            followers: format!("{actor}/followers"),
            handle: format!("{user}@{host}"),
            bucket: host.replace(['.', '-'], ""),
            actor,
            user,
            host,
            display_name,
            created,
            start_ms,
            end_ms,
            archive_secs,
            escape: match opts.container {
                Container::Zip => Escape::Plain,
                Container::TarGz => Escape::Rails,
            },
            vocab: Vocab::new(),
            social,
            bookmarks,
            emoji,
            hashtag_hrefs,
        })
    }

    /// Tar-era (Mastodon ≤ 4.1) quirks: signatures, per-item `@context`, `zhCn`, `totalItems` in likes.
    pub(crate) fn tar_era(&self) -> bool {
        self.container == Container::TarGz
    }
}
