//! The archive's numbers: the same summary `permafrost inspect` prints.

use super::dom::El;
use crate::app::AppState;
use crate::format::{self, DateStyle};
use crate::i18n::t_string;
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
    // With several accounts open and one chosen in the switcher, the numbers are still of all of
    // them: said above them.
    let chosen = super::accounts::chosen(state);
    Effect::new(move |_| {
        let zone = state.time_zone.get();
        let chosen = chosen.get();
        if let Some(holder) = holder.get() {
            holder.replace_children_with_node_1(&panel(&summary, elapsed_ms, &zone).into_element());
            if let Some(note) = chosen.and_then(|i| all_accounts_note(state, i)) {
                let _ = holder.prepend_with_node_1(&note.into_element());
            }
        }
    });
    view! {
        <section class="summary" aria-labelledby="summary-title" data-testid="summary" node_ref=holder></section>
    }
}

/// "These numbers are of every account open…", naming the one chosen in the switcher.
fn all_accounts_note(state: AppState, chosen: u32) -> Option<El> {
    let name = state.phase.with_untracked(|p| match p {
        crate::app::Phase::Ready(opened) => opened
            .accounts
            .get(chosen as usize)
            .map(|a| format!("@{}", a.name)),
        _ => None,
    })?;
    let i18n = crate::lang::i18n();
    Some(
        El::html("p")
            .class("hint")
            .attr("data-testid", "summary-all-accounts")
            .text(&crate::tr!(i18n, accounts.summary_all, account = name)),
    )
}

/// The panel's content.
fn panel(s: &Summary, elapsed_ms: u32, zone: &str) -> El {
    let mut languages: Vec<(String, usize)> =
        s.languages.iter().map(|(k, n)| (k.clone(), *n)).collect();
    crate::highlight::sort_small(&mut languages, |a, b| {
        a.1 > b.1 || (a.1 == b.1 && a.0 < b.0)
    });
    // The container's format as the engine names it (`zip`, `tar.gz`, `folder`, `files`, joined
    // by `+` for several archives): the words among them in the user's language.
    let i18n = crate::lang::i18n();
    let format = s
        .format
        .split('+')
        .map(|part| match part {
            "folder" => t_string!(i18n, summary.format_folder),
            "files" => t_string!(i18n, summary.format_files),
            other => other,
        })
        .collect::<Vec<_>>()
        .join("+");
    let mut line = El::html("p").class("summary-line").child(
        El::html("span")
            .attr("data-testid", "summary-format")
            .text(&format),
    );
    // Several accounts are named below, each with its posts; the line's size is all of theirs.
    if let Some(h) = s.account.handle.as_ref().filter(|_| s.accounts.len() < 2) {
        line = line.text(" · ").child(
            El::html("span")
                .attr("data-testid", "summary-handle")
                .text(&format!("@{h}")),
        );
    }
    let i18n = crate::lang::i18n();
    let line = line.text(&crate::tr!(
        i18n,
        summary.opened_in,
        size = format::size(s.outbox_bytes),
        time = format::duration(elapsed_ms)
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
                .text(t_string!(i18n, summary.title)),
        )
        .child(line)
        .child(El::html("dl").class("stats").children(stats(s, zone)));
    if s.duplicates_merged > 0 {
        root = root.child(
            El::html("p")
                .class("hint")
                .attr("data-testid", "summary-duplicates")
                .text(&crate::plural!(
                    i18n,
                    accounts.n_merged,
                    s.duplicates_merged as u64
                )),
        );
    }
    if !s.accounts.is_empty() {
        let items = s
            .accounts
            .iter()
            .map(|a| {
                let name = a
                    .account
                    .handle
                    .as_deref()
                    .map_or_else(|| "?".into(), |h| format!("@{h}"));
                (name, crate::format::posts(a.posts as u64))
            })
            .collect();
        root = root
            .child(El::html("h3").text(t_string!(i18n, summary.accounts)))
            .child(chips("summary-accounts", items));
    }
    if !languages.is_empty() {
        let items = languages
            .into_iter()
            .map(|(code, n)| (code, format::count(n as u64)))
            .collect();
        root = root
            .child(El::html("h3").text(t_string!(i18n, summary.languages)))
            .child(chips("summary-languages", items));
    }
    if let Some(lists) = &s.lists {
        let items = lists
            .iter()
            .map(|(title, n)| (title.clone(), crate::plural!(i18n, n_members, *n as u64)))
            .collect();
        root = root
            .child(El::html("h3").text(t_string!(i18n, summary.lists)))
            .child(chips("summary-lists", items));
    }
    root
}

/// The numbers, with dates in `zone`.
fn stats(s: &Summary, zone: &str) -> Vec<El> {
    let v = &s.visibility;
    let m = &s.media;
    let i18n = crate::lang::i18n();
    let known: [(&'static str, &'static str, usize); 17] = [
        (t_string!(i18n, summary.posts), "posts", s.posts),
        (t_string!(i18n, summary.originals), "originals", s.originals),
        (t_string!(i18n, summary.boosts), "boosts", s.boosts),
        (t_string!(i18n, summary.replies), "replies", s.replies),
        (
            t_string!(i18n, summary.self_replies),
            "self_replies",
            s.self_replies,
        ),
        // These count your own posts only (the Type filter's "Your posts"), not boosts: the
        // labels say so, since the search's filters count every post, boosts included.
        (t_string!(i18n, summary.public), "public", v.public),
        (t_string!(i18n, summary.unlisted), "unlisted", v.unlisted),
        (t_string!(i18n, summary.private), "private", v.private),
        (t_string!(i18n, summary.direct), "direct", v.direct),
        (
            t_string!(i18n, summary.with_media),
            "with_media",
            s.with_media,
        ),
        (t_string!(i18n, summary.polls), "polls", s.polls),
        (t_string!(i18n, summary.with_cw), "with_cw", s.with_cw),
        (t_string!(i18n, summary.edited), "edited", s.edited),
        (
            t_string!(i18n, summary.media_referenced),
            "media_referenced",
            m.referenced,
        ),
        (
            t_string!(i18n, summary.media_present),
            "media_present",
            m.present,
        ),
        (
            t_string!(i18n, summary.media_missing),
            "media_missing",
            m.missing,
        ),
        (
            t_string!(i18n, summary.media_without_alt),
            "media_without_alt",
            m.without_alt,
        ),
    ];
    let give = |kind: CsvKind| crate::tr!(i18n, summary.give, file = kind.file_name());
    let optional: [(&'static str, &'static str, Option<usize>, String); 7] = [
        (
            t_string!(i18n, summary.likes),
            "likes",
            s.likes,
            t_string!(i18n, summary.no_likes).into(),
        ),
        (
            t_string!(i18n, summary.bookmarks),
            "bookmarks",
            s.bookmarks,
            crate::tr!(
                i18n,
                summary.no_bookmarks,
                file = CsvKind::Bookmarks.file_name()
            ),
        ),
        (
            t_string!(i18n, summary.following),
            "following",
            s.following,
            give(CsvKind::Following),
        ),
        (
            t_string!(i18n, summary.followers),
            "followers",
            s.followers,
            t_string!(i18n, summary.no_followers).into(),
        ),
        (
            t_string!(i18n, summary.blocks),
            "blocks",
            s.blocks,
            give(CsvKind::Blocks),
        ),
        (
            t_string!(i18n, summary.mutes),
            "mutes",
            s.mutes,
            give(CsvKind::Mutes),
        ),
        (
            t_string!(i18n, summary.domain_blocks),
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
            (
                t_string!(i18n, summary.first_post),
                "first_post",
                date(&s.first_post),
                None,
            ),
            (
                t_string!(i18n, summary.last_post),
                "last_post",
                date(&s.last_post),
                None,
            ),
        ])
        .map(|(label, key, value, note)| stat(label, key, &value, note.as_deref()))
        .collect()
}
