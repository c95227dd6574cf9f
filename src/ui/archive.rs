//! The open archive: the profile, then five tabs: the posts (search, facets, timeline), the
//! statistics (charts over the query's posts), memories (on this day, a random post), likes and
//! bookmarks, and the numbers (summary, diagnostics, settings).

use super::accounts::{selected, Accounts};
use super::browse::{install_shortcuts, Browse, BrowseView};
use super::diagnostics::Diagnostics;
use super::media_library::MediaPanel;
use super::memories::MemoriesPanel;
use super::people::PeoplePanel;
use super::profile::Profile;
use super::saved::SavedPanel;
use super::settings::Settings;
use super::stats::StatsPanel;
use super::summary::SummaryPanel;
use crate::app::AppState;
use crate::i18n::t_string;
use crate::route::Tab;
use crate::worker_client::WorkerClient;
use leptos::prelude::*;
use permafrost_protocol::Opened;
use std::sync::Arc;

/// [`Archive`] as the page draws it (an `AnyView`), the one place it is made: the view drawn
/// unseen (`warm_up`) must run the very functions the page will, for the browser to have
/// compiled them.
pub fn archive_view(opened: Arc<Opened>) -> AnyView {
    view! { <Archive opened=opened/> }.into_any()
}

/// The view of an open archive.
#[component]
pub fn Archive(
    /// The archive, as the worker opened it.
    opened: Arc<Opened>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let i18n = crate::lang::i18n();
    let browse = Browse::new(expect_context::<WorkerClient>());
    provide_context(browse);
    // The view drawn unseen (`warm_up`) leaves the keyboard to the page.
    if !state.is_unseen() {
        install_shortcuts(state, browse);
    }

    // Search whenever the query, the order, collapsing or the time zone changes (not the tab).
    // The first search is asked for now, before the view is built: the worker counts while the
    // page draws (at 10,000 posts that drawing took 36 ms, which the first count waited for).
    let wanted = Memo::new(move |_| {
        state
            .route
            .with(|r| (r.query.clone(), r.sort, r.collapse_threads))
    });
    let asked = (wanted.get_untracked(), state.time_zone.get_untracked());
    let search = move |((query, sort, collapse), zone): (_, String)| {
        browse.results.search(query, sort, zone, collapse)
    };
    search(asked.clone());
    Effect::new(move |before: Option<_>| {
        let now = (wanted.get(), state.time_zone.get());
        // Its first run sees what was just asked for, unless the route changed meanwhile.
        if before.as_ref().unwrap_or(&asked) != &now {
            search(now.clone());
        }
        now
    });

    // The summary's numbers change when CSV exports are added to the archive.
    let summary = Memo::new({
        let first = Arc::new(opened.summary.clone());
        move |_| {
            state
                .added
                .with(|a| a.as_ref().map(|a| Arc::new(a.summary.clone())))
                .unwrap_or_else(|| first.clone())
        }
    });
    let diagnostics = Arc::new(opened.summary.diagnostics.clone());
    let tab = Memo::new(move |_| state.route.with(|r| r.tab));
    let tab_button = move |which: Tab, label: &'static str, id: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                id=format!("tab-{id}")
                data-testid=format!("tab-{id}")
                aria-controls="tabpanel"
                aria-selected=move || (tab.get() == which).to_string()
                // One Tab stop for the row: the arrows move between the tabs (the ARIA tabs
                // pattern), so that the keyboard reaches the tab's content in one step.
                tabindex=move || if tab.get() == which { "0" } else { "-1" }
                on:click=move |_| state.show_tab(which)
            >
                {label}
            </button>
        }
    };
    // Arrows, Home and End move along the tabs, showing each as it is reached.
    let on_tab_key = move |ev: leptos::ev::KeyboardEvent| {
        const ORDER: [(Tab, &str); 7] = [
            (Tab::Posts, "posts"),
            (Tab::Stats, "stats"),
            (Tab::Memories, "memories"),
            (Tab::Saved, "saved"),
            (Tab::Media, "media"),
            (Tab::People, "people"),
            (Tab::Summary, "summary"),
        ];
        let at = ORDER
            .iter()
            .position(|(t, _)| *t == tab.get_untracked())
            .unwrap_or(0);
        let last = ORDER.len() - 1;
        let to = match ev.key().as_str() {
            "ArrowRight" => (at + 1) % ORDER.len(),
            "ArrowLeft" => (at + last) % ORDER.len(),
            "Home" => 0,
            "End" => last,
            _ => return,
        };
        ev.prevent_default();
        let (which, id) = ORDER[to];
        state.show_tab(which);
        if let Some(el) = document().get_element_by_id(&format!("tab-{id}")) {
            super::dom::focus_in_place(&el);
        }
    };
    let elapsed_ms = opened.elapsed_ms;
    // One account: its profile. Several: the profile of the one the query keeps to, none
    // while all are shown (the switcher names them).
    let profile = {
        let opened = opened.clone();
        let several = opened.accounts.len() > 1;
        let account = Memo::new({
            let opened = opened.clone();
            move |_| state.route.with(|r| selected(&opened, &r.query))
        });
        move || {
            let account = account.get();
            (!several || account.is_some())
                .then(|| view! { <Profile opened=opened.clone() account=account live=summary/> })
        }
    };
    // A file that ended or stopped being readable part-way (a cut-off download, a file changed on
    // disk while open) is said at the top, not only in the Summary's notes: the counts below
    // are of what was read.
    let cut_short: Vec<String> = opened
        .summary
        .diagnostics
        .iter()
        .filter(|d| d.kind == "truncated")
        .take(3)
        .map(|d| {
            format!(
                "{}: {}",
                crate::lang::message(&super::diagnostics::place(d)),
                crate::lang::message(&super::diagnostics::detail(d))
            )
        })
        .collect();
    // So is a post that could not be read at all (an item of broken JSON): the count is one less.
    let unreadable = opened
        .summary
        .diagnostic_counts
        .get("bad_item")
        .copied()
        .unwrap_or(0);
    let incomplete = (!cut_short.is_empty() || unreadable > 0).then(|| {
        let cut = (!cut_short.is_empty()).then(|| {
            view! {
                {t_string!(i18n, archive.incomplete)}
                <ul>{cut_short.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
            }
        });
        let unread = (unreadable > 0)
            .then(|| view! { <p data-testid="unreadable">{crate::plural!(i18n, n_unreadable_items, unreadable)}</p> });
        view! {
            <div class="notice warning" role="alert" data-testid="incomplete">
                <strong>{t_string!(i18n, archive.incomplete_strong)}</strong>
                {cut}
                {unread}
            </div>
        }
    });
    view! {
        <div class="archive" data-testid="archive">
            {incomplete}
            {profile}
            <Accounts opened=opened.clone()/>
            <super::kept::KeepControl opened=opened.clone()/>
            <div class="tabs" role="tablist" aria-label=t_string!(i18n, archive.views) on:keydown=on_tab_key>
                {tab_button(Tab::Posts, t_string!(i18n, tab.posts), "posts")}
                {tab_button(Tab::Stats, t_string!(i18n, tab.stats), "stats")}
                {tab_button(Tab::Memories, t_string!(i18n, tab.memories), "memories")}
                {tab_button(Tab::Saved, t_string!(i18n, tab.saved), "saved")}
                {tab_button(Tab::Media, t_string!(i18n, tab.media), "media")}
                {tab_button(Tab::People, t_string!(i18n, tab.people), "people")}
                {tab_button(Tab::Summary, t_string!(i18n, tab.summary), "summary")}
            </div>
            <div id="tabpanel" role="tabpanel">
                {move || match tab.get() {
                    Tab::Posts => view! { <BrowseView/> }.into_any(),
                    Tab::Stats => view! { <StatsPanel/> }.into_any(),
                    Tab::Memories => view! { <MemoriesPanel/> }.into_any(),
                    Tab::Saved => view! { <SavedPanel/> }.into_any(),
                    Tab::Media => view! { <MediaPanel/> }.into_any(),
                    Tab::People => view! { <PeoplePanel/> }.into_any(),
                    Tab::Summary => view! {
                        <SummaryPanel summary=summary.get() elapsed_ms=elapsed_ms/>
                        <Diagnostics diagnostics=diagnostics.clone() counts=summary.get().diagnostic_counts.clone()/>
                        <Settings/>
                    }
                    .into_any(),
                }}
            </div>
        </div>
    }
}
