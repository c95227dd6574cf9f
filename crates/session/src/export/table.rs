//! The CSV formats: posts, media and people, with every cell neutralised against CSV injection.

use super::text::{self, Own};
use jiff::tz::TimeZone;
use permafrost_model::time::format_rfc3339;
use permafrost_model::{Account, Post, Social};

/// The posts CSV's columns.
pub(crate) const POST_COLUMNS: &[&str] = &[
    "id",
    "url",
    "published",
    "published_local",
    "kind",
    "visibility",
    "in_reply_to",
    "language",
    "content_warning",
    "text",
    "hashtags",
    "mentions",
    "media",
    "media_without_alt",
    "likes",
    "shares",
    "edited",
    "boost_of",
];

/// The media CSV's columns.
pub(crate) const MEDIA_COLUMNS: &[&str] = &[
    "post_id", "path", "type", "mime", "size", "width", "height", "alt", "file",
];

/// The people CSV's columns.
pub(crate) const PEOPLE_COLUMNS: &[&str] = &[
    "relation",
    "address",
    "list",
    "show_boosts",
    "notify",
    "languages",
    "hide_notifications",
];

/// The OWASP rule against CSV injection: a cell that a spreadsheet could read as a formula (it
/// begins with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The cells of a post's row.
pub(crate) fn post_row(
    account: &Account,
    post: &Post,
    tz: &TimeZone,
    own: &Own,
    redact: bool,
) -> Vec<String> {
    let text = if redact {
        super::redacted(&post.content, own).plain_text()
    } else {
        post.content.plain_text()
    };
    vec![
        post.id.to_string(),
        opt(post.url.as_deref()),
        opt(post.published.map(format_rfc3339)),
        opt(post.published.map(|t| text::local(t, tz))),
        text::kind(post).to_string(),
        post.visibility.as_str().to_string(),
        opt(text::reply_to(post, own, redact)),
        opt(post.language.map(|l| account.strings.resolve(l))),
        opt(post.content_warning.as_deref()),
        text,
        post.hashtags
            .iter()
            .map(|&h| account.strings.resolve(h))
            .collect::<Vec<_>>()
            .join(" "),
        text::mentions(account, post, own, redact).join(" "),
        post.attachments.len().to_string(),
        post.attachments
            .iter()
            .filter(|a| a.alt.is_none())
            .count()
            .to_string(),
        opt(post.likes),
        opt(post.shares),
        opt(post.updated.map(format_rfc3339)),
        opt(post.boost_of.as_deref()),
    ]
}

/// The rows of a post's attachments; `path` is the archive entry (or the URL when missing).
pub(crate) fn media_rows(
    account: &Account,
    post: &Post,
    entry_name: &dyn Fn(u32) -> Option<(String, u64)>,
) -> Vec<Vec<String>> {
    post.attachments
        .iter()
        .map(|a| {
            let found = a.entry.and_then(entry_name);
            vec![
                post.id.to_string(),
                found
                    .as_ref()
                    .map_or_else(|| a.url.to_string(), |(n, _)| n.clone()),
                a.kind.as_str().to_string(),
                opt(a.media_type.map(|m| account.strings.resolve(m))),
                opt(found.as_ref().map(|(_, size)| *size)),
                opt(a.width),
                opt(a.height),
                opt(a.alt.as_deref()),
                if found.is_some() {
                    "present"
                } else {
                    "missing"
                }
                .to_string(),
            ]
        })
        .collect()
}

/// The social graph as one table: one row per relation.
pub(crate) fn people_rows(social: &Social) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let row = |relation: &str, address: &str| {
        let mut r = vec![String::new(); PEOPLE_COLUMNS.len()];
        r[0] = relation.to_string();
        r[1] = address.to_string();
        r
    };
    for f in social.following.iter().flatten() {
        let mut r = row("following", &f.account);
        r[3] = opt(f.show_boosts);
        r[4] = opt(f.notify);
        r[5] = f
            .languages
            .iter()
            .map(|l| l.as_ref())
            .collect::<Vec<_>>()
            .join(" ");
        rows.push(r);
    }
    for a in social.followers.iter().flatten() {
        rows.push(row("follower", a));
    }
    for list in social.lists.iter().flatten() {
        for m in &list.members {
            let mut r = row("list", m);
            r[2] = list.title.to_string();
            rows.push(r);
        }
    }
    for a in social.blocks.iter().flatten() {
        rows.push(row("block", a));
    }
    for m in social.mutes.iter().flatten() {
        let mut r = row("mute", &m.account);
        r[6] = opt(m.hide_notifications);
        rows.push(r);
    }
    for d in social.domain_blocks.iter().flatten() {
        rows.push(row("domain_block", d));
    }
    rows
}
