//! Posts (outbox items) and what hangs off them: attachments, polls, tags.

use crate::intern::Sym;
use crate::rich::RichText;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Index of a post in [`crate::Account::posts`] (outbox order, oldest first).
pub type PostId = u32;

/// Whether an outbox item is something the account wrote or a boost of someone's post.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum PostKind {
    /// A `Create` activity: a post, reply or poll of the account's own.
    Original,
    /// An `Announce` activity: a boost. The archive holds only the boosted post's URI, except for
    /// self-boosts of followers-only posts, which carry the whole post.
    Boost,
}

/// Who could see a post, derived from its `to`/`cc` audience (archive-format.md §5.3).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Addressed to the public collection.
    Public,
    /// Public but unlisted ("quiet public").
    Unlisted,
    /// Followers only (Mastodon's "private").
    Private,
    /// Only the mentioned accounts (a "private mention", formerly "direct message").
    Direct,
}

impl Visibility {
    /// The names `inspect --json` and the query language use.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Private => "private",
            Visibility::Direct => "direct",
        }
    }
}

/// The kind of a media attachment, from its MIME type (or file extension when the type is missing).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// A still image.
    Image,
    /// An animated GIF (Mastodon stores these as silent MP4 since 2018; real GIFs also count).
    Gif,
    /// A video.
    Video,
    /// Audio.
    Audio,
    /// Anything else.
    Other,
}

impl MediaKind {
    /// Classifies a MIME type, falling back to the URL's extension.
    pub fn classify(media_type: Option<&str>, url: &str) -> MediaKind {
        let mime = media_type.unwrap_or("").to_ascii_lowercase();
        if mime == "image/gif" {
            return MediaKind::Gif;
        }
        match mime.split('/').next() {
            Some("image") => return MediaKind::Image,
            Some("video") => return MediaKind::Video,
            Some("audio") => return MediaKind::Audio,
            _ => {}
        }
        let ext = url.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        match ext.as_str() {
            "gif" => MediaKind::Gif,
            "jpg" | "jpeg" | "png" | "webp" | "avif" | "heic" | "bmp" => MediaKind::Image,
            "mp4" | "webm" | "mov" | "m4v" => MediaKind::Video,
            "mp3" | "ogg" | "oga" | "opus" | "wav" | "flac" | "m4a" => MediaKind::Audio,
            _ => MediaKind::Other,
        }
    }

    /// Lowercase name, as the query language writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Gif => "gif",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Other => "other",
        }
    }
}

/// A media attachment of a post.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub struct Attachment {
    /// The `url` as written in outbox.json (a path into the archive, or an absolute URL).
    pub url: Box<str>,
    /// MIME type.
    pub media_type: Option<Sym>,
    /// Image, video, audio…
    pub kind: MediaKind,
    /// The description (alt text); `None` when absent or blank.
    pub alt: Option<Box<str>>,
    /// BlurHash placeholder.
    pub blurhash: Option<Box<str>>,
    /// Focal point, x and y in -1..1.
    pub focal_point: Option<[f32; 2]>,
    /// Width of the original, in pixels.
    pub width: Option<u32>,
    /// Height of the original, in pixels.
    pub height: Option<u32>,
    /// Length of audio or video, in seconds.
    pub duration: Option<f32>,
    /// The archive entry holding the file, once resolved (`None`: not in the archive).
    pub entry: Option<u32>,
}

/// A poll (`Question`).
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub struct Poll {
    /// True for `anyOf` (several choices allowed).
    pub multiple: bool,
    /// The options in order.
    pub options: Vec<PollOption>,
    /// When voting ends or ended.
    pub end_time: Option<Timestamp>,
    /// When it closed, if it did.
    pub closed: Option<Timestamp>,
    /// Number of people who voted (3.0+).
    pub voters: Option<u32>,
}

/// One poll option.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub struct PollOption {
    /// The option's text.
    pub name: Box<str>,
    /// Votes, when the archive carries them.
    pub votes: Option<u32>,
}

/// A mention: the address as written (`@bob` or `@bob@host`) and the account URI.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub struct Mention {
    /// Lowercased `user@host` (or `user` for a local mention without host), interned.
    pub acct: Sym,
    /// The account's ActivityPub URI.
    pub href: Option<Box<str>>,
}

/// One outbox item: a post of the account's own, or a boost.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub struct Post {
    /// The post's URI: the Note's `id` for an original, the Announce activity's `id` for a boost.
    pub id: Box<str>,
    /// Original or boost.
    pub kind: PostKind,
    /// The web page of the post (`url`), when given.
    pub url: Option<Box<str>>,
    /// When it was posted.
    pub published: Option<Timestamp>,
    /// When it was last edited (3.5+); only the current text is in the archive.
    pub updated: Option<Timestamp>,
    /// Who could see it.
    pub visibility: Visibility,
    /// The URI of the post this replies to.
    pub in_reply_to: Option<Box<str>>,
    /// For a boost, the URI of the boosted post (may be `tag:` or `urn:` for very old posts).
    pub boost_of: Option<Box<str>>,
    /// The account that wrote the boosted post, when known (from `cc` or the inline object).
    pub boosted_account: Option<Sym>,
    /// The URI of a quoted post (4.5+ `quote`, or `quoteUri` / `_misskey_quote`).
    pub quote_of: Option<Box<str>>,
    /// Content warning (`summary`), plain text.
    pub content_warning: Option<Box<str>>,
    /// The post text.
    pub content: RichText,
    /// Normalised language code (`en`, `zh-CN`), from `contentMap`.
    pub language: Option<Sym>,
    /// Marked sensitive.
    pub sensitive: bool,
    /// Media attachments.
    pub attachments: Vec<Attachment>,
    /// A poll, when the post is a `Question`.
    pub poll: Option<Poll>,
    /// Hashtags (as written, without `#`), interned.
    pub hashtags: Vec<Sym>,
    /// Mentioned accounts.
    pub mentions: Vec<Mention>,
    /// Custom emoji shortcodes used (without colons). Their images are not in the archive and are
    /// never fetched: they stay `:shortcode:` text.
    pub emojis: Vec<Sym>,
    /// Favourites count, where the archive carries it (4.3+).
    pub likes: Option<u32>,
    /// Boosts count, where the archive carries it (4.3+).
    pub shares: Option<u32>,
    /// The addressees (`to`) of a post that is neither public nor unlisted, interned, kept so the
    /// visibility can be settled once actor.json (which may come after outbox.json) gives the
    /// followers URI. `None` when the visibility did not come from the audience (glitch-soc's
    /// `directMessage` flag decided it) or the post is public or unlisted.
    pub audience: Option<Box<[Sym]>>,
    /// Where the item starts in outbox.json (bytes), for the "raw JSON" view.
    pub source_offset: u64,
    /// Length of the item's JSON text in bytes.
    pub source_len: u32,
}

/// The short id of a post's URI: its last path segment (`…/statuses/109876543210` and a boost's
/// `…/statuses/109876543210/activity` give `109876543210`; Misskey's `…/notes/9abc` gives `9abc`),
/// what `id:` and `thread:` take and what a user sees at the end of a post's address. A URI with no
/// path gives itself. Never empty for a non-empty URI with a segment.
pub fn short_id(uri: &str) -> &str {
    // Bytes rather than a `char` pattern, which was most of the cost: both are ASCII.
    let end = uri
        .bytes()
        .position(|b| b == b'?' || b == b'#')
        .unwrap_or(uri.len());
    let uri = uri[..end].trim_end_matches('/');
    let uri = uri.strip_suffix("/activity").unwrap_or(uri);
    uri.rfind('/').map_or(uri, |slash| &uri[slash + 1..])
}

impl Post {
    /// The short id of the post's URI ([`short_id`]).
    pub fn short_id(&self) -> &str {
        short_id(&self.id)
    }

    /// True for a Create item that replies to something.
    pub fn is_reply(&self) -> bool {
        self.kind == PostKind::Original && self.in_reply_to.is_some()
    }

    /// Approximate heap bytes, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        let s = |o: &Option<Box<str>>| o.as_ref().map_or(0, |s| s.len());
        self.id.len()
            + s(&self.url)
            + s(&self.in_reply_to)
            + s(&self.boost_of)
            + s(&self.quote_of)
            + s(&self.content_warning)
            + self.content.heap_bytes()
            + self
                .attachments
                .iter()
                .map(|a| {
                    std::mem::size_of::<Attachment>() + a.url.len() + s(&a.alt) + s(&a.blurhash)
                })
                .sum::<usize>()
            + self.hashtags.capacity() * 4
            + self.emojis.capacity() * 4
            + self
                .mentions
                .iter()
                .map(|m| std::mem::size_of::<Mention>() + s(&m.href))
                .sum::<usize>()
            + self
                .poll
                .as_ref()
                .map_or(0, |p| p.options.iter().map(|o| 32 + o.name.len()).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::short_id;

    #[test]
    fn short_ids_are_the_last_segment() {
        let cases = [
            (
                "https://example.org/users/me/statuses/109876543210",
                "109876543210",
            ),
            (
                "https://example.org/users/me/statuses/109876543210/activity",
                "109876543210",
            ),
            ("https://example.org/users/me/statuses/1/", "1"),
            ("https://misskey.example/notes/9abcxyz", "9abcxyz"),
            ("https://example.org/objects/6f1c?x=1#frag", "6f1c"),
            ("https://example.org/@me/109", "109"),
            (
                "tag:example.org,2017:objectId=1:objectType=Status",
                "tag:example.org,2017:objectId=1:objectType=Status",
            ),
            ("", ""),
        ];
        for (uri, want) in cases {
            assert_eq!(short_id(uri), want, "{uri}");
        }
    }
}
