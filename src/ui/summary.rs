//! The archive's numbers: the same summary `permafrost inspect` prints.

use super::dom::El;
use crate::app::AppState;
use crate::format::{self, DateStyle};
use leptos::html;
use leptos::prelude::*;
use permafrost_model::CsvKind;
use permafrost_protocol::Summary;
use std::sync::Arc;

/// One line of the summary: a label, the value shown, and a note when the value is absent.
fn stat(label: &str, key: &str, value: &str, note: Option<&str>) -> El {
    let mut dd = El::html("dd").attr("data-testid", &format!("summary-{key}"));
    if let Some(note) = note {
        dd = dd.attr("title", note);
    }
    El::html("div")
        .class("stat")
        .child(El::html("dt").text(label))
        .child(dd.text(value))
}

/// A count, or a dash with a note when no file gave it.
fn count(value: Option<usize>, note: String) -> (String, Option<String>) {
    match value {
        Some(n) => (format::count(n as u64), None),
        None => ("—".into(), Some(note)),
    }
}

/// The summary panel, drawn with [`El`] (static numbers: no reactive views needed, and far
/// less bundle code), again when the time zone changes.
#[component]
pub fn SummaryPanel(
    /// The numbers.
    summary: Arc<Summary>,
    /// How long opening took.
    elapsed_ms: u32,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let holder = NodeRef::<html::Section>::new();
    Effect::new(move |_| {
        let zone = state.time_zone.get();
        if let Some(holder) = holder.get() {
            holder.replace_children_with_node_1(&panel(&summary, elapsed_ms, &zone).into_element());
        }
    });
    view! {
        <section class="summary" aria-labelledby="summary-title" data-testid="summary" node_ref=holder></section>
    }
}

/// The panel's content.
fn panel(s: &Summary, elapsed_ms: u32, zone: &str) -> El {
    let mut languages: Vec<(String, usize)> =
        s.languages.iter().map(|(k, n)| (k.clone(), *n)).collect();
    crate::highlight::sort_small(&mut languages, |a, b| {
        a.1 > b.1 || (a.1 == b.1 && a.0 < b.0)
    });
    let mut line = El::html("p").class("summary-line").child(
        El::html("span")
            .attr("data-testid", "summary-format")
            .text(&s.format),
    );
    if let Some(h) = &s.account.handle {
        line = line.text(" · ").child(
            El::html("span")
                .attr("data-testid", "summary-handle")
                .text(&format!("@{h}")),
        );
    }
    let line = line.text(&format!(
        " · outbox.json {} · opened in {}",
        format::bytes(s.outbox_bytes),
        format::seconds(elapsed_ms)
    ));
    let chips = |testid: &str, items: Vec<(String, String)>| {
        El::html("ul")
            .class("chips")
            .attr("data-testid", testid)
            .children(items.into_iter().map(|(name, n)| {
                El::html("li").child(
                    El::html("span")
                        .class("chip")
                        .text(&format!("{name} "))
                        .child(El::html("b").text(&n)),
                )
            }))
    };
    let mut root = El::html("div")
        .child(
            El::html("h2")
                .attr("id", "summary-title")
                .text("What is in this archive"),
        )
        .child(line)
        .child(El::html("dl").class("stats").children(stats(s, zone)));
    if !languages.is_empty() {
        let items = languages
            .into_iter()
            .map(|(code, n)| (code, format::count(n as u64)))
            .collect();
        root = root
            .child(El::html("h3").text("Languages"))
            .child(chips("summary-languages", items));
    }
    if let Some(lists) = &s.lists {
        let items = lists
            .iter()
            .map(|(title, n)| {
                (
                    title.clone(),
                    format::plural(*n as u64, "member", "members"),
                )
            })
            .collect();
        root = root
            .child(El::html("h3").text("Lists"))
            .child(chips("summary-lists", items));
    }
    root
}

/// The numbers, with dates in `zone`.
fn stats(s: &Summary, zone: &str) -> Vec<El> {
    let v = &s.visibility;
    let m = &s.media;
    let known: [(&'static str, &'static str, usize); 17] = [
        ("Posts", "posts", s.posts),
        ("Your posts", "originals", s.originals),
        ("Boosts", "boosts", s.boosts),
        ("Replies", "replies", s.replies),
        ("Replies to yourself", "self_replies", s.self_replies),
        // These count your own posts only (the Type filter's "Your posts"), not boosts: the
        // labels say so, since the search's filters count every post, boosts included.
        ("Your public posts", "public", v.public),
        ("Your unlisted posts", "unlisted", v.unlisted),
        ("Your followers-only posts", "private", v.private),
        ("Your private mentions", "direct", v.direct),
        ("Your posts with media", "with_media", s.with_media),
        ("Your polls", "polls", s.polls),
        ("Your posts with a content warning", "with_cw", s.with_cw),
        ("Your edited posts", "edited", s.edited),
        ("Media files referenced", "media_referenced", m.referenced),
        ("Media files present", "media_present", m.present),
        ("Media files missing", "media_missing", m.missing),
        ("Media without alt text", "media_without_alt", m.without_alt),
    ];
    let give = |kind: CsvKind| format!("give {} to see this", kind.file_name());
    let optional: [(&'static str, &'static str, Option<usize>, String); 7] = [
        (
            "Likes",
            "likes",
            s.likes,
            "the archive has no likes.json".into(),
        ),
        (
            "Bookmarks",
            "bookmarks",
            s.bookmarks,
            format!(
                "no bookmarks.json or {} was given",
                CsvKind::Bookmarks.file_name()
            ),
        ),
        (
            "Following",
            "following",
            s.following,
            give(CsvKind::Following),
        ),
        (
            "Followers",
            "followers",
            s.followers,
            "Mastodon does not export followers".into(),
        ),
        (
            "Blocked accounts",
            "blocks",
            s.blocks,
            give(CsvKind::Blocks),
        ),
        ("Muted accounts", "mutes", s.mutes, give(CsvKind::Mutes)),
        (
            "Blocked domains",
            "domain_blocks",
            s.domain_blocks,
            give(CsvKind::DomainBlocks),
        ),
    ];
    let date = |d: &Option<String>| {
        d.as_deref()
            .and_then(permafrost_model::time::parse_rfc3339)
            .map_or_else(|| "—".into(), |t| format::date(t, zone, DateStyle::Date))
    };
    known
        .into_iter()
        .map(|(label, key, n)| (label, key, format::count(n as u64), None))
        .chain(optional.into_iter().map(|(label, key, n, note)| {
            let (value, note) = count(n, note);
            (label, key, value, note)
        }))
        .chain([
            ("First post", "first_post", date(&s.first_post), None),
            ("Last post", "last_post", date(&s.last_post), None),
        ])
        .map(|(label, key, value, note)| stat(label, key, &value, note.as_deref()))
        .collect()
}
