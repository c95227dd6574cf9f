//! The summary `permafrost inspect` prints and the app's first screen shows: plain data, so the
//! web page can read it without linking the readers.

use crate::{time::format_rfc3339, Account, PostKind, Visibility};
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What is in an archive, in numbers. Field names are those of `inspect --json`.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub struct Summary {
    /// `zip`, `tar.gz`, `tar`, `folder` or `files`.
    pub format: String,
    /// Who the archive belongs to.
    pub account: AccountSummary,
    /// Outbox items read as posts (originals and boosts).
    pub posts: usize,
    /// `Create` items.
    pub originals: usize,
    /// `Announce` items.
    pub boosts: usize,
    /// Originals that reply to something.
    pub replies: usize,
    /// Replies whose parent is an original in this archive.
    pub self_replies: usize,
    /// Originals by visibility.
    pub visibility: VisibilityCounts,
    /// Originals with at least one attachment.
    pub with_media: usize,
    /// Originals with a poll.
    pub polls: usize,
    /// Originals with a content warning.
    pub with_cw: usize,
    /// Originals edited after posting.
    pub edited: usize,
    /// Originals by language (normalised codes).
    pub languages: BTreeMap<String, usize>,
    /// Attachments of originals.
    pub media: MediaCounts,
    /// Liked posts (likes.json); `null` without the file.
    pub likes: Option<usize>,
    /// Bookmarked posts (bookmarks.json and bookmarks.csv, without duplicates); `null` without either.
    pub bookmarks: Option<usize>,
    /// Followed accounts; `null` without a following export.
    pub following: Option<usize>,
    /// Followers; `null` unless a file gives them (Mastodon has no followers export).
    pub followers: Option<usize>,
    /// Lists by title, with their number of members; `null` without lists.csv.
    pub lists: Option<BTreeMap<String, usize>>,
    /// Blocked accounts; `null` without blocked_accounts.csv.
    pub blocks: Option<usize>,
    /// Muted accounts; `null` without muted_accounts.csv.
    pub mutes: Option<usize>,
    /// Blocked domains; `null` without blocked_domains.csv.
    pub domain_blocks: Option<usize>,
    /// The oldest post's date (RFC 3339).
    pub first_post: Option<String>,
    /// The newest post's date (RFC 3339).
    pub last_post: Option<String>,
    /// Size of outbox.json in bytes.
    pub outbox_bytes: u64,
    /// What could not be read, and notes: the first ones of each kind (see `diagnostic_counts`).
    pub diagnostics: Vec<DiagnosticSummary>,
    /// How many diagnostics of each kind were found, listed or not (`bad_item`: 3000000).
    pub diagnostic_counts: BTreeMap<String, u64>,
    /// Posts found in more than one of the archives given (an archive given twice, overlapping
    /// exports of one account), counted once in `posts` and these many times left out.
    #[serde(default)]
    pub duplicates_merged: usize,
    /// When archives of several accounts were given: each account's own figures (its archives
    /// together), in the order given; the fields above are their total. Empty for one account.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<Summary>,
}

/// The account line of the summary.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub struct AccountSummary {
    /// `user@host`.
    pub handle: Option<String>,
    /// Display name.
    pub display_name: Option<String>,
    /// Creation date (RFC 3339).
    pub created: Option<String>,
}

/// Originals by visibility.
#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Serialize,
    Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
pub struct VisibilityCounts {
    /// Public.
    pub public: usize,
    /// Unlisted.
    pub unlisted: usize,
    /// Followers only.
    pub private: usize,
    /// Mentioned people only.
    pub direct: usize,
}

/// Attachment counts.
#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Serialize,
    Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
pub struct MediaCounts {
    /// Attachments of originals.
    pub referenced: usize,
    /// Of those, found in the archive.
    pub present: usize,
    /// Of those, not in the archive.
    pub missing: usize,
    /// Of those, without a description.
    pub without_alt: usize,
}

/// One diagnostic, as `inspect --json` prints it.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub struct DiagnosticSummary {
    /// `bad_item`, `missing_media`…
    pub kind: String,
    /// Entry and position.
    #[serde(rename = "where")]
    pub location: String,
    /// What is wrong.
    pub message: String,
    /// `location`, translatable.
    #[serde(default)]
    pub place: crate::Message,
    /// `message`, translatable.
    #[serde(default)]
    pub detail: crate::Message,
}

impl Summary {
    /// Summarises an account read from a container of the given format.
    pub fn of_account(account: &Account, format: &str, outbox_bytes: u64) -> Summary {
        let original_ids: FxHashSet<&str> = account
            .posts
            .iter()
            .filter(|p| p.kind == PostKind::Original)
            .map(|p| &*p.id)
            .collect();
        Summary::of_account_with(account, format, outbox_bytes, &|id| {
            original_ids.contains(id)
        })
    }

    /// [`Summary::of_account`], with what tells whether a URI is the id of one of the
    /// account's original posts (a self-reply's parent) given: where a table of the posts' ids
    /// is made anyway, the summary need not make its own (the browser's session makes one for
    /// reply excerpts).
    pub fn of_account_with(
        account: &Account,
        format: &str,
        outbox_bytes: u64,
        is_original_id: &dyn Fn(&str) -> bool,
    ) -> Summary {
        let originals: Vec<_> = account
            .posts
            .iter()
            .filter(|p| p.kind == PostKind::Original)
            .collect();
        let mut visibility = VisibilityCounts::default();
        // Counted by interned symbol (one slot per distinct string), named at the end.
        let mut by_language = vec![0usize; account.strings.len()];
        let mut media = MediaCounts::default();
        // Every count over the originals in one pass (a pass for each read every post again:
        // a few megabytes apiece at 100,000 posts).
        let (mut replies, mut self_replies, mut with_media, mut polls, mut with_cw, mut edited) =
            (0, 0, 0, 0, 0, 0);
        for post in &originals {
            if let Some(parent) = post.in_reply_to.as_deref() {
                replies += 1;
                self_replies += usize::from(is_original_id(parent));
            }
            with_media += usize::from(!post.attachments.is_empty());
            polls += usize::from(post.poll.is_some());
            with_cw += usize::from(post.content_warning.is_some());
            edited += usize::from(post.updated.is_some());
            match post.visibility {
                Visibility::Public => visibility.public += 1,
                Visibility::Unlisted => visibility.unlisted += 1,
                Visibility::Private => visibility.private += 1,
                Visibility::Direct => visibility.direct += 1,
            }
            if let Some(n) = post
                .language
                .and_then(|l| by_language.get_mut(l.0 as usize))
            {
                *n += 1;
            }
            for a in &post.attachments {
                media.referenced += 1;
                if a.entry.is_some() {
                    media.present += 1;
                } else {
                    media.missing += 1;
                }
                if a.alt.is_none() {
                    media.without_alt += 1;
                }
            }
        }
        let mut languages = BTreeMap::new();
        for (sym, &n) in by_language.iter().enumerate().filter(|(_, &n)| n > 0) {
            let name = account.strings.resolve(crate::intern::Sym(sym as u32));
            *languages.entry(name.to_string()).or_insert(0) += n;
        }
        let dates = account.posts.iter().filter_map(|p| p.published);
        let actor = account.actor.as_ref();
        let social = &account.social;
        Summary {
            format: format.to_string(),
            account: AccountSummary {
                handle: actor
                    .map(|a| a.handle.clone())
                    .filter(|h| !h.is_empty())
                    .or_else(|| handle_from_posts(account)),
                display_name: actor.map(|a| a.display_name.clone()),
                created: actor.and_then(|a| a.created).map(format_rfc3339),
            },
            posts: account.posts.len(),
            originals: originals.len(),
            boosts: account.posts.len() - originals.len(),
            replies,
            self_replies,
            visibility,
            with_media,
            polls,
            with_cw,
            edited,
            languages,
            media,
            likes: account.likes.as_ref().map(Vec::len),
            bookmarks: account.bookmarks.as_ref().map(Vec::len),
            following: social.following.as_ref().map(Vec::len),
            followers: social.followers.as_ref().map(Vec::len),
            lists: social.lists.as_ref().map(|lists| {
                lists
                    .iter()
                    .map(|l| (l.title.to_string(), l.members.len()))
                    .collect()
            }),
            blocks: social.blocks.as_ref().map(Vec::len),
            mutes: social.mutes.as_ref().map(Vec::len),
            domain_blocks: social.domain_blocks.as_ref().map(Vec::len),
            first_post: dates.clone().min().map(format_rfc3339),
            last_post: dates.max().map(format_rfc3339),
            outbox_bytes,
            diagnostics: account
                .diagnostics
                .iter()
                .map(|d| DiagnosticSummary {
                    kind: d.kind.as_str().to_string(),
                    location: d.location.clone(),
                    message: d.message.clone(),
                    place: d.place.clone(),
                    detail: d.detail.clone(),
                })
                .collect(),
            diagnostic_counts: account
                .diagnostics
                .counts()
                .iter()
                .map(|(kind, n)| (kind.as_str().to_string(), *n))
                .collect(),
            duplicates_merged: 0,
            accounts: Vec::new(),
        }
    }
}

/// The account's handle read from its posts' URIs (`https://host/users/name/statuses/1` is
/// `name@host`), for an archive without actor.json. `None` when they do not follow that shape.
fn handle_from_posts(account: &crate::Account) -> Option<String> {
    account.posts.iter().take(50).find_map(|p| {
        let rest =
            p.id.strip_prefix("https://")
                .or_else(|| p.id.strip_prefix("http://"))?;
        let mut parts = rest.split('/');
        let host = parts.next().filter(|h| !h.is_empty())?;
        let (users, name, statuses) = (parts.next()?, parts.next()?, parts.next()?);
        (users == "users" && statuses == "statuses" && !name.is_empty())
            .then(|| format!("{name}@{host}"))
    })
}
