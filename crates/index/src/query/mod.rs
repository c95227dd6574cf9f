//! The query language: [`parse_query`] turns text into a [`Query`] and a list of [`QueryError`]s.
//!
//! Parsing never fails: it goes `lex` (text → tokens with byte spans) → `parse` (tokens → a syntax
//! tree, mending stray parentheses and operators) → `lower` (tree → [`Query`], checking filters and
//! their values against [`FILTERS`]). Whatever is wrong becomes a [`QueryError`] pointing at it,
//! with a suggestion where one is close, and the rest of the query runs. [`HELP`] documents the
//! language for people.

mod filters;
mod lex;
mod lower;
pub mod messages;
mod parse;
mod suggest;

use crate::text::Piece;
use permafrost_model::{Message, Visibility};
use serde::{Deserialize, Serialize};
use std::fmt;

pub(crate) use filters::WEEKDAYS;
pub use filters::{FilterSpec, FILTERS};
pub use suggest::did_you_mean;

/// The query language, for people: the README and the app's help panel show this text.
pub const HELP: &str = r#"Search syntax

Words
  coffee            posts with the word "coffee" (whole word; case and accents ignored:
                    cafe finds Café, STRASSE finds Straße)
  coff*             words starting with "coff"
  "good morning"    the exact phrase; "good morn*" ends with a prefix
  東京 / 東京都      Chinese, Japanese and Korean text: any run of 2 or more characters
  ☕ / 🐈            an emoji, a word of its own (👍 finds 👍🏽 too)
  Words are looked up in the post text, its content warning, poll options and image
  descriptions (alt text). In the app's search box the last word is a prefix while you type.

Combining
  tea coffee        both (AND is implied; writing AND is allowed)
  tea OR coffee     either; OR binds tighter than the implied AND:
                    milk tea OR coffee  means  milk AND (tea OR coffee)
  -coffee           without "coffee"; "-" (or NOT) works before any word, phrase, filter or
                    group: -has:media, -(tea OR coffee)
  (a OR b) c        parentheses group

Tags and people
  #rust             posts tagged #rust (any case); #rus* for tags starting with "rus"
  @alice            posts mentioning alice on any server; @alice@example.org that account
  boosted:alice@example.org   your boosts of that account's posts, named as Statistics
                    names it: its handle when the archive gives it, otherwise its address
                    without https:// (boosted:example.org/users/alice)
  account:alice@example.social   with several archives open, the posts of that account
                    (account:alice when only one account open is named alice)

Dates (in the chosen time zone; D is YYYY, YYYY-MM or YYYY-MM-DD)
  after:D           after the end of D      after:2023 = from 2024-01-01 on
  before:D          before the start of D   before:2023-06 = up to 2023-05-31
  on:D, during:D    within D                on:2023-06-01, during:2022
  on:MM-DD          that day of every year  on:12-25 (on this day: all your 25 Decembers)
  weekday:sat       on a Saturday (mon, tue, wed, thu, fri, sat, sun; or the full names)
  hour:9            between 9:00 and 9:59; hour:9-17 from 9:00 to 17:59, hour:22-2 past midnight

Filters
  is:original       your own posts, replies included (not boosts)
  is:boost          boosts
  is:reply          your replies (to anyone)
  is:self-reply     replies to your own posts that are in this archive
  is:thread         posts in a chain of your own replies of 2 posts or more
  thread:ID         the whole chain holding post ID (the end of its address:
                    thread:109876543210, or paste the address itself)
  id:ID             that one post
  is:edited         edited after posting
  is:sensitive      marked sensitive
  is:poll           polls
  is:quote          quote posts
  visibility:public|unlisted|followers|direct   (private = followers, dm = direct)
  has:media         at least one attachment; has:image, has:gif, has:video, has:audio
                    at least one attachment of that kind
  has:alt           has attachments, and every one of them has a description
  has:noalt         at least one attachment without a description
                    (so has:media = has:alt OR has:noalt)
  has:link          a link to a web page (mentions and hashtags are not links)
  has:cw            a content warning
  has:poll          a poll
  has:mention       mentions someone
  has:tag           has a hashtag
  lang:de           language de, including de-AT, de-CH…; lang:pt-BR only pt-BR
  domain:example.org   links to example.org or any of its subdomains
  likes:>=10        favourites count (also >, <, <=, =, or a bare number for =);
  shares:<5         boosts count; only archives that carry counts (Mastodon 4.3+) have them
                    (aliases: favourites: and favorites: for likes:, boosts: for shares:)

Mistakes
  An unknown filter or a bad value is pointed out with a suggestion (hass:media: did you mean
  has:media?) and left out; the rest of the query still runs. An empty query shows every post.
  A query that finds nothing says what it finds with each of its parts taken out
  (coffee has:poll: without "coffee", 6 posts; without "has:poll", 11).
"#;

/// How the last word of a query is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// A search box being typed into: the last bare word (and a phrase still open at the end) is a
    /// prefix, and an unfinished filter at the very end is left out silently.
    Typing,
    /// A finished query (command line, URL): words are whole words.
    #[default]
    Exact,
}

/// A parsed query with what was wrong in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Parsed {
    /// What runs: the query without the parts that had errors.
    pub query: Query,
    /// The mistakes found, in order of position.
    pub errors: Vec<QueryError>,
}

/// A mistake in a query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryError {
    /// Byte range of the offending text in the query.
    pub span: (usize, usize),
    /// What is wrong, lowercase, without a trailing period (one of [`messages::MESSAGES`]).
    pub message: Message,
    /// Replacement text for the span, when a likely fix is known.
    pub suggestion: Option<String>,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message.text)?;
        if let Some(s) = &self.suggestion {
            f.write_str(&permafrost_model::message::fill(
                messages::DID_YOU_MEAN.english,
                &[("suggestion", s)],
            ))?;
        }
        Ok(())
    }
}

impl QueryError {
    /// The whole line as a translatable message: the mistake's, with the suggestion as the
    /// argument `suggestion` (the page adds [`messages::DID_YOU_MEAN`] in its language).
    pub fn to_message(&self) -> Message {
        match &self.suggestion {
            Some(s) => self.message.clone().with_extra(
                "suggestion",
                s.clone(),
                &permafrost_model::message::fill(
                    messages::DID_YOU_MEAN.english,
                    &[("suggestion", s)],
                ),
            ),
            None => self.message.clone(),
        }
    }
}

/// A query, ready to run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", content = "args", rename_all = "snake_case")]
pub enum Query {
    /// Every post (the empty query).
    All,
    /// Posts matching every part.
    And(Vec<Query>),
    /// Posts matching any part.
    Or(Vec<Query>),
    /// Posts not matching.
    Not(Box<Query>),
    /// A word, prefix, phrase or CJK substring.
    Text(Text),
    /// `#tag`: posts with this hashtag (lowercase), or a tag starting with it.
    Tag {
        /// The tag, lowercased, without `#`.
        name: String,
        /// True for a prefix.
        prefix: bool,
    },
    /// `@user` or `@user@domain`.
    Mention {
        /// `user` or `user@domain`, lowercased, without the leading `@`.
        acct: String,
        /// True for a prefix of the whole address.
        prefix: bool,
    },
    /// `after:`, `before:`, `on:`/`during:`.
    Date {
        /// Which side of the date.
        op: DateOp,
        /// The day, month or year.
        date: DateSpec,
    },
    /// `is:…`.
    Is(IsFilter),
    /// `visibility:…`.
    Visibility(Visibility),
    /// `has:…`.
    Has(HasFilter),
    /// `lang:xx`: this language and its regional variants (`xx-YY`), lowercased.
    Lang(String),
    /// `domain:example.org`: links to this host or its subdomains, lowercased.
    Domain(String),
    /// `on:12-02`: posted on this day of any year, in the search's time zone.
    DayOfYear {
        /// 1 to 12.
        month: u8,
        /// 1 to 31.
        day: u8,
    },
    /// `weekday:sat`: posted on this day of the week (0 is Monday), in the search's time zone.
    Weekday(u8),
    /// `hour:9` or `hour:9-17`: posted within these hours of the day (both included; `22-2`
    /// runs past midnight), in the search's time zone.
    Hour {
        /// The first hour, 0 to 23.
        from: u8,
        /// The last hour, 0 to 23.
        to: u8,
    },
    /// `boosted:alice@example.org`: boosts of an account's posts, named as the statistics name
    /// it ([`crate::account_label`]), lowercased.
    Boosted(String),
    /// `account:alice@example.social` (or `account:alice`): the posts of one of the accounts
    /// whose archives are open together, lowercased.
    Account(String),
    /// `id:109876543210`: the post whose short id ([`permafrost_model::short_id`]) this is,
    /// lowercased. A post's address is read the same way (`id:https://host/@me/109…`).
    Id(String),
    /// `thread:109876543210`: every post of the chain of your own replies holding that post.
    Thread(String),
    /// `likes:>=N`, `shares:<N`…
    Count {
        /// Which count.
        field: CountField,
        /// The comparison.
        op: Cmp,
        /// The number compared with.
        value: u32,
    },
}

/// A text term: the pieces of a word or phrase as [`Piece`]s (folded words and CJK runs).
///
/// One piece is a word (or, for a CJK run, any substring of a run); several are a phrase: the pieces
/// must follow each other, a CJK run first in the phrase ending its run in the post, one last
/// starting its run, one in the middle being a whole run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// The pieces, in order (never empty).
    pub pieces: Vec<Piece>,
    /// The last piece, when a word, is a prefix.
    pub prefix: bool,
    /// Written in quotes (only changes how the query is shown).
    pub quoted: bool,
}

/// The side of a date a post must be on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOp {
    /// After the end of the date.
    After,
    /// Before its start.
    Before,
    /// Within it (`on:` and `during:`).
    On,
}

/// A year, a month or a day, in the calendar of the search's time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateSpec {
    /// The year (four digits).
    pub year: i16,
    /// The month, 1 to 12.
    pub month: Option<u8>,
    /// The day of the month (only with a month).
    pub day: Option<u8>,
}

/// `is:` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IsFilter {
    /// Your own posts (replies included), not boosts.
    Original,
    /// Boosts.
    Boost,
    /// Your own posts replying to anything.
    Reply,
    /// Replies whose parent is one of your own posts in the archive.
    SelfReply,
    /// Posts in a self-reply chain of two or more posts.
    Thread,
    /// Edited after posting (`updated` later than `published`).
    Edited,
    /// Marked sensitive.
    Sensitive,
    /// Polls.
    Poll,
    /// Quote posts.
    Quote,
}

impl IsFilter {
    /// Every value, in the order facets list them.
    pub const ALL: [IsFilter; 9] = [
        IsFilter::Original,
        IsFilter::Boost,
        IsFilter::Reply,
        IsFilter::SelfReply,
        IsFilter::Thread,
        IsFilter::Edited,
        IsFilter::Sensitive,
        IsFilter::Poll,
        IsFilter::Quote,
    ];

    /// The name after `is:`.
    pub const fn as_str(self) -> &'static str {
        match self {
            IsFilter::Original => "original",
            IsFilter::Boost => "boost",
            IsFilter::Reply => "reply",
            IsFilter::SelfReply => "self-reply",
            IsFilter::Thread => "thread",
            IsFilter::Edited => "edited",
            IsFilter::Sensitive => "sensitive",
            IsFilter::Poll => "poll",
            IsFilter::Quote => "quote",
        }
    }
}

/// `has:` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HasFilter {
    /// At least one attachment.
    Media,
    /// At least one image.
    Image,
    /// At least one GIF (Mastodon's silent looping videos included).
    Gif,
    /// At least one video.
    Video,
    /// At least one audio attachment.
    Audio,
    /// Attachments, every one with a description.
    Alt,
    /// At least one attachment without a description.
    NoAlt,
    /// A link to a web page (http or https) in the text.
    Link,
    /// A content warning.
    Cw,
    /// A poll.
    Poll,
    /// At least one mention.
    Mention,
    /// At least one hashtag.
    Tag,
}

impl HasFilter {
    /// Every value.
    pub const ALL: [HasFilter; 12] = [
        HasFilter::Media,
        HasFilter::Image,
        HasFilter::Gif,
        HasFilter::Video,
        HasFilter::Audio,
        HasFilter::Alt,
        HasFilter::NoAlt,
        HasFilter::Link,
        HasFilter::Cw,
        HasFilter::Poll,
        HasFilter::Mention,
        HasFilter::Tag,
    ];

    /// The name after `has:`.
    pub const fn as_str(self) -> &'static str {
        match self {
            HasFilter::Media => "media",
            HasFilter::Image => "image",
            HasFilter::Gif => "gif",
            HasFilter::Video => "video",
            HasFilter::Audio => "audio",
            HasFilter::Alt => "alt",
            HasFilter::NoAlt => "noalt",
            HasFilter::Link => "link",
            HasFilter::Cw => "cw",
            HasFilter::Poll => "poll",
            HasFilter::Mention => "mention",
            HasFilter::Tag => "tag",
        }
    }
}

/// The name the query language gives a visibility (`followers` for Mastodon's "private").
pub const fn visibility_name(v: Visibility) -> &'static str {
    match v {
        Visibility::Public => "public",
        Visibility::Unlisted => "unlisted",
        Visibility::Private => "followers",
        Visibility::Direct => "direct",
    }
}

/// Which count a `likes:`/`shares:` filter reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountField {
    /// Favourites.
    Likes,
    /// Boosts by others.
    Shares,
}

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cmp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `=`
    Eq,
    /// `>=`
    Ge,
    /// `>`
    Gt,
}

impl Cmp {
    /// Compares `a` with `b`.
    pub fn test(self, a: u32, b: u32) -> bool {
        match self {
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Eq => a == b,
            Cmp::Ge => a >= b,
            Cmp::Gt => a > b,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Eq => "=",
            Cmp::Ge => ">=",
            Cmp::Gt => ">",
        }
    }
}

/// Parses a query. Never fails: mistakes are reported in [`Parsed::errors`] and left out of
/// [`Parsed::query`], and nothing in any input makes it panic.
///
/// ```
/// use permafrost_index::{parse_query, Mode};
///
/// let parsed = parse_query("café -hass:media", Mode::Exact);
/// assert_eq!(parsed.query.to_string(), "cafe");
/// assert_eq!(parsed.errors[0].suggestion.as_deref(), Some("has:media"));
/// ```
pub fn parse_query(text: &str, mode: Mode) -> Parsed {
    let tokens = lex::lex(text);
    let mut errors = Vec::new();
    let ast = parse::parse(&tokens, text, mode, &mut errors);
    let query = lower::lower(&ast, text, mode, &mut errors).unwrap_or(Query::All);
    errors.sort_by_key(|e| e.span);
    Parsed { query, errors }
}

/// The parts of a query that its implied AND joins, as written in `text`, in order: `tea
/// -(milk OR sugar) has:media` has three, `tea OR coffee` one. A part's `-` or `NOT` and its
/// parentheses belong to it; an `AND` written between parts does not.
///
/// ```
/// use permafrost_index::query_parts;
///
/// assert_eq!(query_parts("tea AND -(milk OR sugar)  has:media"), ["tea", "-(milk OR sugar)", "has:media"]);
/// ```
pub fn query_parts(text: &str) -> Vec<&str> {
    parse::top_level_spans(&lex::lex(text), text)
        .into_iter()
        .filter_map(|(start, end)| text.get(start..end))
        .collect()
}

impl fmt::Display for DateSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let joined: Vec<&str> = self.pieces.iter().map(Piece::text).collect();
        let star = if self.prefix { "*" } else { "" };
        if self.quoted || self.pieces.len() > 1 {
            write!(f, "\"{}{star}\"", joined.join(" "))
        } else {
            write!(f, "{}{star}", joined.join(" "))
        }
    }
}

/// Shows the query in the language's own syntax (canonical form: folded words, explicit groups).
impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Query::All => f.write_str("*"),
            Query::And(items) => {
                for (i, q) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{q}")?;
                }
                Ok(())
            }
            Query::Or(items) => {
                f.write_str("(")?;
                for (i, q) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" OR ")?;
                    }
                    match q {
                        Query::And(_) => write!(f, "({q})")?,
                        _ => write!(f, "{q}")?,
                    }
                }
                f.write_str(")")
            }
            Query::Not(q) => match &**q {
                Query::And(_) => write!(f, "-({q})"),
                _ => write!(f, "-{q}"),
            },
            Query::Text(t) => write!(f, "{t}"),
            Query::Tag { name, prefix } => {
                write!(f, "#{name}{}", if *prefix { "*" } else { "" })
            }
            Query::Mention { acct, prefix } => {
                write!(f, "@{acct}{}", if *prefix { "*" } else { "" })
            }
            Query::Date { op, date } => {
                let key = match op {
                    DateOp::After => "after",
                    DateOp::Before => "before",
                    DateOp::On => "on",
                };
                write!(f, "{key}:{date}")
            }
            Query::Is(v) => write!(f, "is:{}", v.as_str()),
            Query::Visibility(v) => write!(f, "visibility:{}", visibility_name(*v)),
            Query::Has(v) => write!(f, "has:{}", v.as_str()),
            Query::Lang(l) => write!(f, "lang:{l}"),
            Query::Domain(d) => write!(f, "domain:{d}"),
            Query::DayOfYear { month, day } => write!(f, "on:{month:02}-{day:02}"),
            Query::Weekday(d) => write!(
                f,
                "weekday:{}",
                WEEKDAYS.get(usize::from(*d)).unwrap_or(&"mon")
            ),
            Query::Hour { from, to } if from == to => write!(f, "hour:{from}"),
            Query::Hour { from, to } => write!(f, "hour:{from}-{to}"),
            Query::Boosted(a) => write!(f, "boosted:{a}"),
            Query::Account(a) => write!(f, "account:{a}"),
            Query::Id(id) => write!(f, "id:{id}"),
            Query::Thread(id) => write!(f, "thread:{id}"),
            Query::Count { field, op, value } => {
                let key = match field {
                    CountField::Likes => "likes",
                    CountField::Shares => "shares",
                };
                write!(f, "{key}:{}{value}", op.as_str())
            }
        }
    }
}
