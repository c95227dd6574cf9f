//! The search bar: the query box with completion, the order, the count, and query mistakes.

use super::browse::{Browse, Dialog};
use super::export::SelectionBar;
use super::print::PrintButton;
use crate::app::{AppState, Phase};
use crate::format;
use crate::i18n::t_string;
use crate::query::{self, Detail, Suggestion};
use leptos::prelude::*;
use permafrost_protocol::{Completions, QueryFilter, Sort};
use std::sync::Arc;

/// Suggestions shown at most.
const MAX_SUGGESTIONS: usize = 8;

/// How long without a key the typing is taken to have paused, in milliseconds.
const PAUSE_MS: u64 = 1000;

/// The search bar.
#[component]
pub fn SearchBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let browse = expect_context::<Browse>();
    let results = browse.results;
    let i18n = crate::lang::i18n();
    // What to complete: the archive's hashtags, mentions and languages, and the query
    // language's filters as the worker's index defines them.
    let (completions, filters): (Arc<Completions>, Arc<Vec<QueryFilter>>) =
        match state.phase.get_untracked() {
            Phase::Ready(opened) => (
                Arc::new(opened.completions.clone()),
                Arc::new(opened.filters.clone()),
            ),
            _ => Default::default(),
        };
    let query = Memo::new(move |_| state.route.with(|r| r.query.clone()));
    let sort = Memo::new(move |_| state.route.with(|r| r.sort));
    // Typing replaces the history entry after the first keystroke: back goes to before typing.
    let typing = StoredValue::new(false);
    let suggestions = RwSignal::new(Vec::<Suggestion>::new());
    let selected = RwSignal::new(None::<usize>);
    // The typing paused (a second without a key, Enter, Escape, the box left): the last word's
    // mistakes are then said too (`during:2023-13`, `🐈`), as they would be with a space after.
    let paused = RwSignal::new(true);
    let pause_timer = StoredValue::new(None::<TimeoutHandle>);
    let pause = move || {
        if let Some(Some(timer)) = pause_timer.try_update_value(Option::take) {
            timer.clear();
        }
        paused.set(true);
    };

    let set_query = move |text: String, push: bool| {
        let mut route = state.route.get_untracked();
        // A thread is read oldest first because it was opened as one; its order goes with it
        // when the query is changed to something else (cleared, say).
        let left_thread = route.is_thread()
            && route.sort == Sort::Oldest
            && !query::terms(&text).iter().any(|t| t.starts_with("thread:"));
        if left_thread {
            route.sort = Sort::default();
        }
        route.query = text;
        state.navigate_typed(route, push);
    };
    let on_input = {
        let completions = completions.clone();
        move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            suggestions.set(query::suggestions(
                &text,
                &filters,
                &completions,
                MAX_SUGGESTIONS,
            ));
            selected.set(None);
            paused.set(false);
            let timer = set_timeout_with_handle(pause, std::time::Duration::from_millis(PAUSE_MS));
            if let Some(Some(old)) =
                pause_timer.try_update_value(|t| std::mem::replace(t, timer.ok()))
            {
                old.clear();
            }
            let push = !typing.get_value();
            typing.set_value(true);
            set_query(text, push);
        }
    };
    let accept = move |i: usize| {
        if let Some(s) = suggestions.with_untracked(|list| list.get(i).cloned()) {
            set_query(s.query, false);
            suggestions.set(Vec::new());
            selected.set(None);
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = suggestions.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                selected.update(|s| *s = Some(s.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                selected.update(|s| *s = Some(s.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" | "Tab" if selected.get_untracked().is_some() => {
                if let Some(i) = selected.get_untracked() {
                    accept(i);
                }
            }
            "Escape" if count > 0 => suggestions.set(Vec::new()),
            // Without suggestions: the way out of the box, to the results. Escape does not
            // clear the box (the browser's default for search fields); a second one does.
            "Escape" => {
                typing.set_value(false);
                pause();
                // Out of the box now; the post takes focus once it is drawn.
                let _ = event_target::<web_sys::HtmlElement>(&ev).blur();
                browse.focus_results();
                ev.prevent_default();
                ev.stop_propagation();
                browse.escaped.set_value(true);
                return;
            }
            "Enter" | "ArrowDown" => {
                typing.set_value(false);
                pause();
                suggestions.set(Vec::new());
                browse.focus_results();
            }
            _ => return,
        }
        ev.prevent_default();
        ev.stop_propagation();
    };
    let status = move || match results.meta.get() {
        None => t_string!(i18n, search.searching).to_string(),
        Some(meta) if meta.matched != meta.total => crate::tr!(
            i18n,
            search.collapsed,
            posts = format::posts(u64::from(meta.total)),
            matched = format::count(u64::from(meta.matched))
        ),
        Some(meta) => format::posts(u64::from(meta.total)),
    };
    let collapsed = Memo::new(move |_| state.route.with(|r| r.collapse_threads));
    let errors = move || {
        let mut errors = results
            .meta
            .get()
            .map(|m| {
                let mut all = m.errors.clone();
                if paused.get() {
                    all.extend(m.unfinished.iter().cloned());
                }
                all
            })
            .unwrap_or_default();
        // Each mistake said once: sixty nested brackets made 28 equal lines, filling the bar.
        let mut seen: Vec<String> = Vec::new();
        errors.retain(|e| {
            let new = !seen.contains(&e.text);
            if new {
                seen.push(e.text.clone());
            }
            new
        });
        errors
            .into_iter()
            .map(|e| view! { <li>{crate::lang::message_view(&e)}</li> })
            .collect_view()
    };
    let active = move |i: usize| selected.get() == Some(i);
    let list = move || {
        suggestions
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                view! {
                    <li
                        id=format!("suggestion-{i}")
                        role="option"
                        aria-selected=move || active(i).to_string()
                        on:mousedown=move |ev| {
                            ev.prevent_default();
                            accept(i);
                        }
                    >
                        <span>{s.label}</span>
                        <span class="detail">{detail(s.detail)}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="search-bar" role="search">
            <div class="search-row">
                <div class="search-field">
                    <label for="search">{t_string!(i18n, search.label)}</label>
                    <input
                        id="search"
                        type="search"
                        data-testid="search"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder=t_string!(i18n, search.placeholder)
                        role="combobox"
                        aria-autocomplete="list"
                        aria-controls="suggestions"
                        aria-expanded=move || (!suggestions.with(Vec::is_empty)).to_string()
                        aria-activedescendant=move || selected.get().map(|i| format!("suggestion-{i}"))
                        aria-describedby="search-status"
                        prop:value=move || query.get()
                        on:input=on_input
                        on:keydown=on_keydown
                        on:focus=move |ev| bring_to_top(&ev)
                        on:blur=move |_| {
                            suggestions.set(Vec::new());
                            typing.set_value(false);
                            pause();
                        }
                    />
                    <ul id="suggestions" class="suggestions" role="listbox" tabindex="-1" aria-label=t_string!(i18n, search.suggestions) hidden=move || suggestions.with(Vec::is_empty)>
                        {list}
                    </ul>
                </div>
                <div class="search-controls">
                    // First on a narrow screen (the only one that shows it), in the Tab order too.
                    // "Collapse threads" is last: a phone shows the row's start (Filters, the
                    // order, Export), and the rest waits to the side.
                    <button
                        type="button"
                        class="button facets-toggle"
                        aria-controls="facets"
                        aria-expanded=move || browse.facets_open.get().to_string()
                        on:click=move |_| browse.facets_open.update(|o| *o = !*o)
                    >
                        {t_string!(i18n, search.filters)}
                    </button>
                    <div class="sort-field">
                        <label for="sort">{t_string!(i18n, search.order)}</label>
                        <select
                            id="sort"
                            data-testid="sort"
                            prop:value=move || sort.get().as_str()
                            on:change=move |ev| {
                                let mut route = state.route.get_untracked();
                                route.sort = Sort::parse(&event_target_value(&ev)).unwrap_or_default();
                                state.navigate(route, true);
                            }
                        >
                            <option value="newest">{t_string!(i18n, search.newest)}</option>
                            <option value="oldest">{t_string!(i18n, search.oldest)}</option>
                            <option value="relevance">{t_string!(i18n, search.relevance)}</option>
                        </select>
                    </div>
                    <button type="button" class="button primary" data-testid="export" on:click=move |_| browse.open_dialog(Dialog::Export)>
                        {t_string!(i18n, search.export)}
                    </button>
                    <PrintButton/>
                    <button type="button" class="button" data-testid="query-help" on:click=move |_| browse.open_dialog(Dialog::QueryHelp)>
                        {t_string!(i18n, search.syntax)}
                    </button>
                    <label class="check-field" title=t_string!(i18n, search.collapse_title)>
                        <input
                            type="checkbox"
                            data-testid="collapse-threads"
                            prop:checked=move || collapsed.get()
                            on:change=move |ev| {
                                let mut route = state.route.get_untracked();
                                route.collapse_threads = event_target_checked(&ev);
                                state.navigate(route, true);
                            }
                        />
                        {t_string!(i18n, search.collapse)}
                    </label>
                </div>
            </div>
            <div class="status-row">
                <p
                    id="search-status"
                    class="search-status"
                    role="status"
                    // Focused after a chart or a memory shows its posts (`browse::focus_count`).
                    tabindex="-1"
                    data-testid="count"
                    data-elapsed-ms=move || results.meta.with(|m| m.as_ref().map(|m| m.elapsed_ms))
                    // Which answer the count shows: the browser benchmark times keystrokes by it.
                    data-search=move || results.meta.with(|m| m.as_ref().map(|m| m.search))
                >
                    {status}
                </p>
                <SelectionBar/>
            </div>
            <ul class="query-errors" data-testid="query-errors">{errors}</ul>
        </div>
    }
}

/// What a suggestion shows beside its label.
fn detail(detail: Detail) -> String {
    match detail {
        Detail::Posts(n) => format::posts(u64::from(n)),
        Detail::Hint(key, hint) => crate::lang::filter_hint(&key, &hint),
    }
}

/// Brings the search bar to the top of the window when it is focused (by `/` or a tap) in the
/// lower three quarters: on a narrow screen it sits below the account's summary, and the
/// browser only brings it into view, at the bottom edge, with the count and the results below
/// the fold while typing. A bar already stuck at the top stays where it is.
///
/// The scroll is instant, whatever the page's `scroll-behavior`: a smooth one is still under
/// way at the next key, and the browser's own scroll to the caret typed in a box below the
/// fold replaces it, leaving the bar at the bottom edge (seen at 360 px with a banner above the
/// profile, where the bar starts below the fold).
fn bring_to_top(ev: &web_sys::FocusEvent) {
    use wasm_bindgen::JsCast;
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let bar = input.closest(".search-bar").ok().flatten().unwrap_or(input);
    // In the next frame: after the browser's own scroll to the focused box (a box below the
    // fold is brought in at the bottom edge), which would otherwise follow this one.
    request_animation_frame(move || {
        let top = bar.get_bounding_client_rect().top();
        let height = window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(0.0);
        if top > height / 4.0 {
            super::dom::scroll_instantly_to(window().scroll_y().unwrap_or(0.0) + top);
        }
    });
}
