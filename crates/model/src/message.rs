//! Messages for people that cross to the page: a stable code (a key of the page's catalogue,
//! locales/*.json), named arguments, and the English text (what the CLI prints, and the page's
//! fallback for a code it does not know).
//!
//! The English of every code is written once, in a [`Template`] of the crate that says it (the
//! `MESSAGES` tables: the model's [`MESSAGES`], the archive's, the engine's, the index's), and the
//! English text is filled from it. locales/en.json holds the same templates under the same keys;
//! a test (crates/session/tests/messages.rs) fails when a code is missing from a language, when the
//! English differs, or when the placeholders differ. Arguments are plain text (a file name, a
//! query term): the page inserts them as text, never as HTML.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A translatable message.
#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
pub struct Message {
    /// The catalogue key (`query.unknown_filter`); empty for a message that has none (an error
    /// from the system or a library, shown as it is).
    pub code: String,
    /// The values of the template's `{name}` placeholders.
    pub args: Vec<(String, String)>,
    /// The English text.
    pub text: String,
}

impl Message {
    /// A message without a code: shown as it is, in every language.
    pub fn plain(text: impl Into<String>) -> Message {
        Message {
            code: String::new(),
            args: Vec::new(),
            text: text.into(),
        }
    }

    /// The value of an argument.
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets argument `name` (already filled with `inner`'s English) to be said as `inner`: the
    /// page, knowing `inner`'s code (`name_code`), says it in its language with `inner`'s
    /// arguments (`name.arg`).
    pub fn nest(mut self, name: &str, inner: &Message) -> Message {
        if !inner.code.is_empty() {
            self.args.push((format!("{name}_code"), inner.code.clone()));
            for (arg, value) in &inner.args {
                self.args.push((format!("{name}.{arg}"), value.clone()));
            }
        }
        self
    }

    /// Adds an argument that the template does not show (the page may: a query error's
    /// `suggestion`), and appends `english` to the text.
    pub fn with_extra(mut self, name: &str, value: impl Into<String>, english: &str) -> Message {
        self.args.push((name.to_string(), value.into()));
        self.text.push_str(english);
        self
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<String> for Message {
    fn from(text: String) -> Message {
        Message::plain(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Message {
        Message::plain(text)
    }
}

/// A code and its English, with `{name}` placeholders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Template {
    /// The catalogue key.
    pub code: &'static str,
    /// The English template.
    pub english: &'static str,
}

impl Template {
    /// The message with these arguments.
    pub fn with(self, args: &[(&str, &dyn fmt::Display)]) -> Message {
        let args: Vec<(String, String)> = args
            .iter()
            .map(|(n, v)| ((*n).to_string(), v.to_string()))
            .collect();
        Message {
            code: self.code.to_string(),
            text: fill(self.english, &args),
            args,
        }
    }

    /// The message, without arguments.
    pub fn message(self) -> Message {
        self.with(&[])
    }
}

/// `template` with each `{name}` replaced by its value (in one pass: a value that holds
/// `{other}` stays as it is). An unknown `{name}` is left in place.
pub fn fill<N: AsRef<str>, V: AsRef<str>>(template: &str, args: &[(N, V)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let value = after.find('}').and_then(|end| {
            let name = &after[..end];
            args.iter()
                .find(|(n, _)| n.as_ref() == name)
                .map(|(_, v)| (v.as_ref(), end))
        });
        match value {
            Some((value, end)) => {
                out.push_str(value);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{name}` placeholders of a template, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                out.push(&after[..end]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}

/// Declares templates and the table of all of them:
/// `templates! { pub MESSAGES; NAME = "code" => "English {arg}"; … }`.
#[macro_export]
macro_rules! templates {
    ($vis:vis $table:ident; $($name:ident = $code:literal => $english:literal;)*) => {
        $(
            #[doc = concat!("`", $code, "`: ", $english)]
            $vis const $name: $crate::message::Template =
                $crate::message::Template { code: $code, english: $english };
        )*
        /// Every template of this crate (the catalogue test reads it).
        $vis const $table: &[$crate::message::Template] = &[$($name),*];
    };
}

templates! {
    pub MESSAGES;
    PLACE_FILE = "place.file" => "{file}";
    PLACE_AT = "place.at" => "{file} (byte {byte})";
    PLACE_ITEM = "place.item" => "{file} item {item} (byte {byte})";
    PLACE_LINE = "place.line" => "{file} line {line}";
    OUTBOX_EMPTY = "outbox.empty" => "{file} (byte {byte}): the file is empty";
    OUTBOX_UTF16 = "outbox.utf16" => "{file} (byte {byte}): it starts with a UTF-16 byte-order mark, so it is UTF-16 encoded, and Mastodon writes UTF-8: download the archive again, or convert the file to UTF-8 (for example `iconv -f UTF-16 -t UTF-8`)";
    OUTBOX_ZERO_BYTES = "outbox.zero_bytes" => "{file} (byte {byte}): it has zero bytes between its characters, so it looks UTF-16 or UTF-32 encoded, and Mastodon writes UTF-8: download the archive again, or convert the file to UTF-8 (for example `iconv -f UTF-16 -t UTF-8`)";
    OUTBOX_NOT_OBJECT = "outbox.not_object" => "{file} (byte {byte}): expected a JSON object, found {found}";
    OUTBOX_NOT_KEY = "outbox.not_key" => "{file} (byte {byte}): expected a key, found {found}";
    OUTBOX_NOT_COLON = "outbox.not_colon" => "{file} (byte {byte}): expected ':' after \"{key}\", found {found}";
    OUTBOX_NO_ITEMS = "outbox.no_items" => "{file} (byte {byte}): there is no \"orderedItems\" list in this file: it is not a Mastodon outbox";
    OUTBOX_NO_POSTS = "outbox.no_posts" => "{file}: no posts could be read: none of its {items} items is a post or a boost";
    OUTBOX_NO_POSTS_FIRST = "outbox.no_posts_first" => "{file}: no posts could be read: none of its {items} items is a post or a boost (the first, {place}: {why})";
    OUTBOX_ENDS_EARLY = "outbox.ends_early" => "{file} (byte {byte}): the file ends at byte {byte} before any post: it is incomplete; download the archive again";
    OUTBOX_IO = "outbox.io" => "{file} (byte {byte}): could not read: {detail}";
    ITEM_NOT_JSON = "item.not_json" => "not valid JSON: {detail}";
    ITEM_NOT_ACTIVITY = "item.not_activity" => "not an activity: {detail}";
    ITEM_CREATE_WITHOUT_POST = "item.create_without_post" => "a Create activity without an embedded post: skipped";
    ITEM_ANNOUNCE_WITHOUT_URI = "item.announce_without_uri" => "an Announce without the boosted post's URI: skipped";
    ITEM_NO_TYPE = "item.no_type" => "an item without a \"type\": skipped";
    ITEM_UNSUPPORTED = "item.unsupported" => "unsupported activity type \"{type}\": only Create and Announce are posts";
    ITEM_NOT_UTF8 = "item.not_utf8" => "bytes that are not UTF-8 (the first at byte {at} of the item) are shown as �: the post is kept";
    ITEM_BAD_DATE = "item.bad_date" => "\"{date}\" is not a real date: the post is kept, without a date";
    ITEM_READ_FAILED = "item.read_failed" => "{detail}";
    DIAG_DUPLICATE_ITEMS = "diagnostic.duplicate_items" => "\"orderedItems\" appears more than once; the last one is used, as Mastodon's own readers do ({dropped} items from the earlier one dropped)";
    DIAG_EMPTY_ITEMS_FIRST = "diagnostic.empty_items_first" => "\"orderedItems\" appears twice and the first list is empty, a known Mastodon 4.2.10 slip: the second list is read and nothing is missing";
    DIAG_TOTAL_ITEMS = "diagnostic.total_items" => "the file says totalItems is {total} but holds {items} items; Mastodon's counter leaves out direct messages and drifts, so the items are what counts";
    DIAG_CUT_OFF = "diagnostic.cut_off" => "the file is cut off at byte {byte}: the {kept} posts before that point were read, any after it are missing";
    DIAG_STOPPED = "diagnostic.stopped" => "reading stopped at byte {byte} ({detail}); the {kept} posts before that point were kept";
    CSV_UNREADABLE = "csv.unreadable" => "unreadable row: {detail}";
    CSV_ACCOUNT = "csv.account" => "expected an account address like user@example.social";
    CSV_DOMAIN = "csv.domain" => "expected a domain like example.com";
    CSV_URI = "csv.uri" => "expected a post URI";
    CSV_LIST = "csv.list" => "expected a list title and an account address";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_each_placeholder_once_and_leaves_the_rest() {
        assert_eq!(
            fill("{a} and {b} {c}", &[("a", "{b}"), ("b", "x")]),
            "{b} and x {c}"
        );
        assert_eq!(fill("`{`, {x}", &[("x", "y")]), "`{`, y");
        let m = PLACE_ITEM.with(&[("file", &"outbox.json"), ("item", &17), ("byte", &40211)]);
        assert_eq!(m.text, "outbox.json item 17 (byte 40211)");
        assert_eq!(m.code, "place.item");
        assert_eq!(m.arg("item"), Some("17"));
        assert_eq!(placeholders(PLACE_ITEM.english), ["file", "item", "byte"]);
    }
}
