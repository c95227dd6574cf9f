//! The archive's numbers: the same summary `permafrost inspect` prints.

use crate::app::AppState;
use crate::format::{self, DateStyle};
use leptos::prelude::*;
use permafrost_protocol::Summary;
use std::sync::Arc;

/// One number of the summary. `None` means the archive has no file giving it.
fn stat(
    label: &'static str,
    key: &'static str,
    value: Option<usize>,
    note: &'static str,
) -> impl IntoView {
    let shown = value.map_or_else(|| "—".to_string(), |n| format::count(n as u64));
    view! {
        <div class="stat">
            <dt>{label}</dt>
            <dd data-testid=format!("summary-{key}") title=value.is_none().then_some(note)>{shown}</dd>
        </div>
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
    let date = move |d: &Option<String>| {
        let zone = state.time_zone.get();
        d.as_deref()
            .and_then(permafrost_model::time::parse_rfc3339)
            .map_or_else(|| "—".into(), |t| format::date(t, &zone, DateStyle::Date))
    };
    let (first, last) = (s.first_post.clone(), s.last_post.clone());
    let languages: Vec<(String, usize)> = {
        let mut v: Vec<_> = s.languages.iter().map(|(k, n)| (k.clone(), *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
    let lists = s.lists.clone();
    let absent = "not in what was given";
    view! {
        <section class="summary" aria-labelledby="summary-title" data-testid="summary">
            <h2 id="summary-title">"What is in this archive"</h2>
            <p class="summary-line">
                <span data-testid="summary-format">{s.format.clone()}</span>
                {s.account.handle.clone().map(|h| view! { " · " <span data-testid="summary-handle">"@" {h}</span> })}
                " · outbox.json " {format::bytes(s.outbox_bytes)}
                " · opened in " {format::seconds(elapsed_ms)}
            </p>
            <dl class="stats">
                {stat("Posts", "posts", Some(s.posts), absent)}
                {stat("Your posts", "originals", Some(s.originals), absent)}
                {stat("Boosts", "boosts", Some(s.boosts), absent)}
                {stat("Replies", "replies", Some(s.replies), absent)}
                {stat("Replies to yourself", "self_replies", Some(s.self_replies), absent)}
                {stat("Public", "public", Some(s.visibility.public), absent)}
                {stat("Unlisted", "unlisted", Some(s.visibility.unlisted), absent)}
                {stat("Followers only", "private", Some(s.visibility.private), absent)}
                {stat("Private mentions", "direct", Some(s.visibility.direct), absent)}
                {stat("With media", "with_media", Some(s.with_media), absent)}
                {stat("Polls", "polls", Some(s.polls), absent)}
                {stat("With content warning", "with_cw", Some(s.with_cw), absent)}
                {stat("Edited", "edited", Some(s.edited), absent)}
                {stat("Media files referenced", "media_referenced", Some(s.media.referenced), absent)}
                {stat("Media files present", "media_present", Some(s.media.present), absent)}
                {stat("Media files missing", "media_missing", Some(s.media.missing), absent)}
                {stat("Media without alt text", "media_without_alt", Some(s.media.without_alt), absent)}
                {stat("Likes", "likes", s.likes, "the archive has no likes.json")}
                {stat("Bookmarks", "bookmarks", s.bookmarks, "no bookmarks.json or bookmarks.csv was given")}
                {stat("Following", "following", s.following, "give following_accounts.csv to see this")}
                {stat("Followers", "followers", s.followers, "Mastodon does not export followers")}
                {stat("Blocked accounts", "blocks", s.blocks, "give blocked_accounts.csv to see this")}
                {stat("Muted accounts", "mutes", s.mutes, "give muted_accounts.csv to see this")}
                {stat("Blocked domains", "domain_blocks", s.domain_blocks, "give blocked_domains.csv to see this")}
                <div class="stat">
                    <dt>"First post"</dt>
                    <dd data-testid="summary-first_post">{move || date(&first)}</dd>
                </div>
                <div class="stat">
                    <dt>"Last post"</dt>
                    <dd data-testid="summary-last_post">{move || date(&last)}</dd>
                </div>
            </dl>
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
