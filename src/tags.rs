//! The hashtag line under a post: the post's tags that its text does not already show.

use permafrost_protocol::{Inline, RichText};
use std::collections::BTreeSet;

/// The tags of `tags` (without `#`) that `content` does not show as a hashtag, in order. Linear
/// in the text and the tags (n log n): one hostile post can carry 50,000 of them. A `BTreeSet`,
/// which the page links already, not a `HashSet`, which would add its hasher to the bundle.
pub fn not_in_text<'a>(content: &RichText, tags: &'a [String]) -> Vec<&'a str> {
    let mut shown: BTreeSet<String> = BTreeSet::new();
    content.for_each_inline(&mut |inline| {
        if let Inline::Hashtag { name, .. } = inline {
            shown.insert(name.to_lowercase());
        }
    });
    tags.iter()
        .filter(|t| !shown.contains(&t.to_lowercase()))
        .map(String::as_str)
        .collect()
}
