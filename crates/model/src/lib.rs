//! The Permafrost data model of a Mastodon account archive, and the tolerant parsers that fill it.
//!
//! **API boundary.** Every other crate sees an archive through [`Account`]: the posts of outbox.json
//! as [`Post`]s (oldest first), the profile from actor.json as an [`Actor`], likes and bookmarks as
//! URIs, and the CSV exports as a [`Social`] graph. Post and profile HTML is parsed once into
//! [`RichText`], a small typed tree that can hold nothing executable.
//!
//! This crate knows nothing of containers, files or paths: parsers take bytes or a [`std::io::Read`].
//! They never stop at the first problem: what cannot be read becomes a [`Diagnostic`] and the rest
//! loads. Only a file with nothing usable in it is an [`Error`].
//!
//! # Overview
//! - [`outbox::read_outbox`] streams outbox.json item by item (it can be hundreds of megabytes).
//! - [`actor::parse`] reads actor.json; [`collection::parse_uri_list`] reads likes.json and friends.
//! - [`Social::add_csv`] reads the CSV exports, recognised with [`CsvKind`].
//! - [`html::parse`] turns HTML into [`RichText`]; [`RichText::plain_text`] is what search reads.
//! - [`Sort`], the order of search results, lives here so that the index, the protocol, the CLI
//!   and the app name it once.
//!
//! # Example
//! ```
//! use permafrost_model::{outbox, Account, PostKind, Visibility};
//!
//! let json = br#"{"orderedItems":[
//!   {"id":"https://ex.social/users/a/statuses/1/activity","type":"Create","actor":"https://ex.social/users/a",
//!    "object":{"id":"https://ex.social/users/a/statuses/1","type":"Note","published":"2023-01-02T03:04:05Z",
//!      "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>Hello &amp; welcome</p>",
//!      "contentMap":{"en":"<p>Hello &amp; welcome</p>"}}},
//!   {"id":"https://ex.social/users/a/statuses/2/activity","type":"Announce","actor":"https://ex.social/users/a",
//!    "to":["https://ex.social/users/a/followers"],"object":"https://other.example/notes/9"}]}"#;
//! let mut account = Account::default();
//! outbox::read_outbox(&json[..], "outbox.json", &mut account, &mut |_, _| {}).unwrap();
//! assert_eq!(account.posts.len(), 2);
//! assert_eq!(account.posts[0].content.plain_text(), "Hello & welcome");
//! assert_eq!(account.posts[1].kind, PostKind::Boost);
//! assert_eq!(account.posts[1].visibility, Visibility::Private);
//! ```
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

pub mod actor;
pub mod blurhash;
pub mod collection;
pub mod diagnostic;
pub mod html;
pub mod intern;
pub mod lang;
mod lenient;
pub mod link;
pub mod message;
pub mod outbox;
pub mod rich;
pub mod social;
mod sort;
pub mod status;
pub mod summary;
pub mod time;

pub use actor::{Actor, ImageRef, ProfileField};
pub use diagnostic::{Diagnostic, DiagnosticKind, Diagnostics};
pub use intern::{Interner, Sym};
pub use link::Href;
pub use message::{Message, Template};
pub use rich::{Block, Cut, Inline, RichText};
pub use social::{CsvKind, Follow, List, Mute, Social};

pub use sort::Sort;
pub use status::{
    short_id, Attachment, MediaKind, Mention, Poll, PollOption, Post, PostId, PostKind, Visibility,
};
pub use summary::Summary;
pub use time::Timestamp;

use std::fmt;

/// Everything read from one account's archive and side exports.
#[derive(Clone, Debug, Default, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Account {
    /// The profile, when actor.json was found.
    pub actor: Option<Actor>,
    /// Outbox items that are posts or boosts, in file order (oldest first).
    pub posts: Vec<Post>,
    /// URIs of liked posts (likes.json); `None` when the archive has no likes.json.
    pub likes: Option<Vec<Box<str>>>,
    /// URIs of bookmarked posts: bookmarks.json, then bookmarks.csv entries not already there.
    /// `None` when neither file was given.
    pub bookmarks: Option<Vec<Box<str>>>,
    /// The side exports.
    pub social: Social,
    /// Interned strings that posts refer to.
    pub strings: Interner,
    /// Everything that could not be read, and notes worth knowing: all counted, the first of
    /// each kind kept.
    pub diagnostics: Diagnostics,
    /// Who wrote each post, when archives of several accounts were opened together.
    pub owners: Owners,
}

/// The accounts of archives opened together, and which one wrote each post.
#[derive(Clone, Debug, Default, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Owners {
    /// Each account's name as the `account:` filter takes it (`alice@example.social`,
    /// lowercase), in the order the archives were given.
    pub names: Vec<Box<str>>,
    /// Each post's account, an index in `names`; empty when there is only one account (every
    /// post is then the first one's).
    pub of_post: Vec<u16>,
}

impl Owners {
    /// The account of a post (its index in `names`): 0 when there is one account.
    pub fn of(&self, post: PostId) -> u16 {
        self.of_post.get(post as usize).copied().unwrap_or(0)
    }
}

impl Account {
    /// Settles visibility once the followers URI is known: outbox.json may come before actor.json
    /// (tar.gz archives put actor.json last), so posts addressed to neither the public nor the
    /// provisional `<actor>/followers` are re-checked against actor.json's `followers`.
    pub fn resolve_visibility(&mut self) {
        let Some(followers) = self.actor.as_ref().and_then(|a| a.followers.clone()) else {
            return;
        };
        let Some(sym) = self.strings.get(&followers) else {
            for post in &mut self.posts {
                if post.audience.is_some() {
                    post.visibility = Visibility::Direct;
                }
            }
            return;
        };
        for post in &mut self.posts {
            if let Some(audience) = &post.audience {
                post.visibility = if audience.contains(&sym) {
                    Visibility::Private
                } else {
                    Visibility::Direct
                };
            }
        }
    }

    /// Adds bookmark URIs (from bookmarks.json or bookmarks.csv), skipping ones already present.
    pub fn add_bookmarks(&mut self, uris: impl IntoIterator<Item = Box<str>>) {
        let list = self.bookmarks.get_or_insert_with(Vec::new);
        let mut seen: std::collections::HashSet<Box<str>> = list.iter().cloned().collect();
        for uri in uris {
            if seen.insert(uri.clone()) {
                list.push(uri);
            }
        }
    }

    /// Moves `other`'s posts into this account after its own (re-interning their strings), with
    /// its likes, bookmarks, social graph and diagnostics: how archives opened together become
    /// one account set. A post whose `id` is in `seen` is the same post as one already here (an
    /// archive given twice, or overlapping exports of one account) and is dropped; `seen` gains
    /// the ids of the posts added. Returns, for each of `other`'s posts, whether it was kept.
    /// Posts without an id are always kept.
    pub fn absorb(
        &mut self,
        other: Account,
        seen: &mut std::collections::HashSet<Box<str>>,
    ) -> Vec<bool> {
        let Account {
            posts,
            likes,
            bookmarks,
            social,
            strings,
            diagnostics,
            ..
        } = other;
        let mut map: Vec<Option<Sym>> = vec![None; strings.len()];
        let mut sym = |own: &mut Interner, s: Sym| -> Sym {
            match map.get(s.0 as usize).copied().flatten() {
                Some(mine) => mine,
                None => {
                    let mine = own.intern(strings.resolve(s));
                    if let Some(slot) = map.get_mut(s.0 as usize) {
                        *slot = Some(mine);
                    }
                    mine
                }
            }
        };
        let mut kept = Vec::with_capacity(posts.len());
        self.posts.reserve(posts.len());
        for mut post in posts {
            let new = post.id.is_empty() || seen.insert(post.id.clone());
            kept.push(new);
            if !new {
                continue;
            }
            let own = &mut self.strings;
            for a in &mut post.attachments {
                a.media_type = a.media_type.map(|s| sym(own, s));
            }
            post.boosted_account = post.boosted_account.map(|s| sym(own, s));
            post.language = post.language.map(|s| sym(own, s));
            for s in post.hashtags.iter_mut().chain(post.emojis.iter_mut()) {
                *s = sym(own, *s);
            }
            for m in &mut post.mentions {
                m.acct = sym(own, m.acct);
            }
            if let Some(audience) = &mut post.audience {
                for s in audience.iter_mut() {
                    *s = sym(own, *s);
                }
            }
            self.posts.push(post);
        }
        if let Some(l) = likes {
            let list = self.likes.get_or_insert_with(Vec::new);
            let mut known: std::collections::HashSet<Box<str>> = list.iter().cloned().collect();
            list.extend(l.into_iter().filter(|u| known.insert(u.clone())));
        }
        if let Some(b) = bookmarks {
            self.add_bookmarks(b);
        }
        self.social.absorb(social);
        self.diagnostics.absorb(diagnostics);
        kept
    }

    /// Approximate heap bytes of the model, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.posts.capacity() * std::mem::size_of::<Post>()
            + self.posts.iter().map(Post::heap_bytes).sum::<usize>()
            + self.strings.heap_bytes()
            + self
                .likes
                .as_ref()
                .map_or(0, |l| l.iter().map(|s| s.len() + 16).sum())
            + self
                .bookmarks
                .as_ref()
                .map_or(0, |l| l.iter().map(|s| s.len() + 16).sum())
    }
}

/// What kind of failure an [`Error`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file is not the JSON expected (with the byte offset of the problem).
    Syntax,
    /// The file ends before anything usable.
    Truncated,
    /// A JSON object without the list of posts.
    NoItems,
    /// A list of items of which not one is a post or a boost.
    NoPosts,
    /// Reading the underlying source failed.
    Io,
}

/// A file with nothing usable in it: what is wrong, in which file, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    entry: String,
    offset: Option<u64>,
    message: String,
    /// The whole line as a message (boxed: errors travel in `Result`s).
    coded: Option<Box<Message>>,
}

impl Error {
    /// Makes an error about `entry`.
    pub fn new(kind: ErrorKind, entry: impl Into<String>) -> Error {
        Error {
            kind,
            entry: entry.into(),
            offset: None,
            message: String::new(),
            coded: None,
        }
    }

    /// Adds the byte offset.
    pub fn at(mut self, offset: u64) -> Error {
        self.offset = Some(offset);
        self
    }

    /// Sets the message.
    pub fn with_message(mut self, message: impl Into<String>) -> Error {
        self.message = message.into();
        self
    }

    /// Sets the message from a template whose English is this error's whole line: the template
    /// gets `file` (the entry) and `byte` (the offset, when set) besides `args`.
    pub fn with_template(
        mut self,
        template: Template,
        args: &[(&str, &dyn fmt::Display)],
    ) -> Error {
        let offset = self.offset.unwrap_or(0);
        let mut all: Vec<(&str, &dyn fmt::Display)> =
            vec![("file", &self.entry), ("byte", &offset)];
        all.extend_from_slice(args);
        let coded = template.with(&all);
        let prefix = match self.offset {
            Some(offset) => format!("{} (byte {offset}): ", self.entry),
            None => format!("{}: ", self.entry),
        };
        self.message = coded
            .text
            .strip_prefix(&prefix)
            .unwrap_or(&coded.text)
            .to_string();
        self.coded = Some(Box::new(coded));
        self
    }

    /// Sets argument `name` of the message to be said as `inner` ([`Message::nest`]).
    pub fn nest(mut self, name: &str, inner: &Message) -> Error {
        self.coded = self.coded.map(|m| Box::new(m.nest(name, inner)));
        self
    }

    /// The whole line as a translatable message (without a code when the message was set with
    /// [`Error::with_message`]).
    pub fn message(&self) -> Message {
        self.coded
            .as_deref()
            .cloned()
            .unwrap_or_else(|| Message::plain(self.to_string()))
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The file it is about.
    pub fn entry(&self) -> &str {
        &self.entry
    }

    /// The byte offset in that file, when known.
    pub fn offset(&self) -> Option<u64> {
        self.offset
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.entry)?;
        if let Some(offset) = self.offset {
            write!(f, " (byte {offset})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Error {}
