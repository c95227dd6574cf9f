//! Other people's mentions taken out of an outbox item's JSON (JSON and archive ZIP exports
//! with "replace mentions"): the item is rewritten only when it mentions someone else.

use super::text::{Own, PLACEHOLDER};
use super::{html, redacted};
use permafrost_model::{Account, Inline, Post};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// What a reply to someone else's post answers in a redacted item: a URI that names nobody, so
/// that the item is still read as a reply (a missing `inReplyTo` would make it an original).
pub(crate) const REPLY_PLACEHOLDER: &str = "urn:permafrost:redacted";

/// The item rewritten without other people's mentions: `Mention` tags named `@someone` without
/// their link, the text (`content`, `contentMap`) written again from the redacted text, the
/// mentioned accounts taken out of the audience (`to`, `cc`), and a reply to someone else's
/// post answering [`REPLY_PLACEHOLDER`]. `None` when nothing needs
/// replacing (the item is then copied as it is) or the item is not JSON.
pub(crate) fn item(bytes: &[u8], account: &Account, post: &Post, own: &Own) -> Option<Vec<u8>> {
    let hrefs: HashSet<&str> = post
        .mentions
        .iter()
        .filter(|m| !own.is_self(account.strings.resolve(m.acct)))
        .filter_map(|m| m.href.as_deref())
        .collect();
    let mut in_text = false;
    post.content.for_each_inline(&mut |i| {
        if let Inline::Mention { text, href } = i {
            in_text |= !own.is_self_mention(text, href.as_ref().map(|h| &*h.url));
        }
    });
    let others = post
        .mentions
        .iter()
        .any(|m| !own.is_self(account.strings.resolve(m.acct)));
    let reply_to_other = post
        .in_reply_to
        .as_deref()
        .is_some_and(|url| !own.is_own_post(url));
    if !others && !in_text && !reply_to_other {
        return None;
    }
    let mut value: Value = serde_json::from_slice(bytes).ok()?;
    let Value::Object(activity) = &mut value else {
        return None;
    };
    audience(activity, &hrefs);
    if let Some(Value::Object(note)) = activity.get_mut("object") {
        audience(note, &hrefs);
        if let Some(Value::Array(tags)) = note.get_mut("tag") {
            for tag in tags.iter_mut() {
                let Value::Object(tag) = tag else { continue };
                let mention = tag.get("type").and_then(Value::as_str) == Some("Mention");
                let name = tag.get("name").and_then(Value::as_str).unwrap_or("");
                if mention && !own.is_self(name) {
                    tag.insert("name".into(), Value::String(PLACEHOLDER.into()));
                    tag.remove("href");
                }
            }
        }
        // The post answered names its author: a reply to someone else's says it is a reply
        // and nothing more (the kind the export's CSV and Markdown write).
        if reply_to_other {
            note.remove("inReplyToAtomUri");
            note.insert("inReplyTo".into(), Value::String(REPLY_PLACEHOLDER.into()));
        }
        if in_text {
            let mut text = String::new();
            html::render(&redacted(&post.content, own), &mut text);
            if note.contains_key("content") {
                note.insert("content".into(), Value::String(text.clone()));
            }
            if let Some(Value::Object(map)) = note.get_mut("contentMap") {
                for v in map.values_mut() {
                    *v = Value::String(text.clone());
                }
            }
        }
    }
    serde_json::to_vec(&value).ok()
}

/// Takes the mentioned accounts out of an object's addressees.
fn audience(object: &mut Map<String, Value>, hrefs: &HashSet<&str>) {
    for key in ["to", "cc", "bto", "bcc"] {
        match object.get_mut(key) {
            Some(Value::Array(list)) => {
                list.retain(|v| v.as_str().is_none_or(|s| !hrefs.contains(s)));
            }
            Some(Value::String(s)) if hrefs.contains(s.as_str()) => {
                object.insert(key.into(), Value::Array(Vec::new()));
            }
            _ => {}
        }
    }
}
