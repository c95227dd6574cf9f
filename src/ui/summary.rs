//! The archive's numbers: the same summary `permafrost inspect` prints.

use crate::app::AppState;
use crate::format::{self, DateStyle};
use leptos::prelude::*;
use permafrost_model::CsvKind;
use permafrost_protocol::Summary;
use std::sync::Arc;

/// One line of the summary: a label, the value shown, and a note when the value is absent.
fn stat(
    label: &'static str,
    key: &'static str,
    value: String,
    note: Option<String>,
) -> impl IntoView {
    view! {
        <div class="stat">
            <dt>{label}</dt>
            <dd data-testid=format!("summary-{key}") title=note>{value}</dd>
        </div>
    }
}

/// A count, or a dash with a note when no file gave it.
fn count(value: Option<usize>, note: String) -> (String, Option<String>) {
    match value {
        Some(n) => (format::count(n as u64), None),
        None => ("—".into(), Some(note)),
    }
}

/// The summary panel.
#[component]
pub fn SummaryPanel(
    /// The numbers.
    summary: Arc<Summary>,
    /// How long opening took.
    elapsed_ms: u32,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let s = summary;
    let languages: Vec<(String, usize)> = {
        let mut v: Vec<_> = s.languages.iter().map(|(k, n)| (k.clone(), *n)).collect();
        crate::highlight::sort_small(&mut v, |a, b| a.1 > b.1 || (a.1 == b.1 && a.0 < b.0));
        v
    };
    let lists = s.lists.clone();
    let stats = {
        let s = s.clone();
        move || stats(&s, &state.time_zone.get())
    };
    view! {
        <section class="summary" aria-labelledby="summary-title" data-testid="summary">
            <h2 id="summary-title">"What is in this archive"</h2>
            <p class="summary-line">
                <span data-testid="summary-format">{s.format.clone()}</span>
                {s.account.handle.clone().map(|h| view! { " · " <span data-testid="summary-handle">"@" {h}</span> })}
                " · outbox.json " {format::bytes(s.outbox_bytes)}
                " · opened in " {format::seconds(elapsed_ms)}
            </p>
            <dl class="stats">{stats}</dl>
            <Show when={let empty = languages.is_empty(); move || !empty}>
                <h3>"Languages"</h3>
                <ul class="chips" data-testid="summary-languages">
                    {languages.iter().map(|(code, n)| view! {
                        <li><span class="chip">{code.clone()} " " <b>{format::count(*n as u64)}</b></span></li>
                    }).collect_view()}
                </ul>
            </Show>
            {lists.map(|lists| view! {
                <h3>"Lists"</h3>
                <ul class="chips" data-testid="summary-lists">
                    {lists.into_iter().map(|(title, n)| view! {
                        <li><span class="chip">{title} " " <b>{format::plural(n as u64, "member", "members")}</b></span></li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// The numbers, with dates in `zone`.
fn stats(s: &Summary, zone: &str) -> impl IntoView {
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
        .map(|(label, key, value, note)| stat(label, key, value, note))
        .collect_view()
}
