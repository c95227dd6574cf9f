//! Reading and searching: the search bar, the facets and the timeline, with the keyboard
//! shortcuts and overlays (lightbox, help) they share through [`Browse`].

use super::dialogs::Dialogs;
use super::dom::{focus_in_place, target_element, El};
use super::facets::Facets;
use super::lightbox::Lightbox;
use super::print::{print_results, PrintView, Printing};
use super::search::SearchBar;
use super::timeline::Timeline;
use crate::app::AppState;
use crate::format;
use crate::i18n::t_string;
use crate::results::{PostRef, Results};
use crate::route::{Route, Tab};
use crate::selection::Picked;
use crate::virtual_list::Rows;
use crate::worker_client::WorkerClient;
use leptos::prelude::*;
use leptos::task::spawn_local;
use permafrost_protocol::{PostView, RequestBody, ResponseBody, Sort};
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Where the lightbox is: attachment `index` of the post at `position` of the result.
#[derive(Clone, Debug, PartialEq)]
pub struct LightboxAt {
    /// Position of the post in the result.
    pub position: u32,
    /// The post.
    pub post: PostRef,
    /// The attachment.
    pub index: usize,
}

/// The dialogs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialog {
    /// Keyboard shortcuts.
    Shortcuts,
    /// The query language.
    QueryHelp,
    /// Export.
    Export,
}

/// State shared by the parts of the browsing view.
#[derive(Clone, Copy)]
pub struct Browse {
    /// The search result.
    pub results: Results,
    /// The post the keyboard is on (its position).
    pub current: RwSignal<Option<u32>>,
    /// The open lightbox.
    pub lightbox: RwSignal<Option<LightboxAt>>,
    /// The open dialog.
    pub dialog: RwSignal<Option<Dialog>>,
    /// The facets panel is shown on a small screen.
    pub facets_open: RwSignal<bool>,
    /// Row heights of the timeline.
    pub rows: StoredValue<Rows>,
    /// Where the viewport's top is, in page pixels from the timeline's top.
    pub view_top: RwSignal<f64>,
    /// The viewport's height.
    pub view_height: RwSignal<f64>,
    /// Posts whose content warning is open (by index): kept here so that rows scrolled out of
    /// the window and back keep it.
    pub cw_open: RwSignal<Vec<u32>>,
    /// Posts whose sensitive media is shown (by index).
    pub revealed: RwSignal<Vec<u32>>,
    /// Posts picked by hand for export.
    pub picked: RwSignal<Picked>,
    /// Escape has just left the search box: a second Escape clears the query.
    pub escaped: StoredValue<bool>,
    /// The posts drawn for printing, while a print is prepared or under way.
    pub printing: RwSignal<Option<Printing>>,
    /// Print was asked for and the posts are being fetched.
    pub preparing_print: RwSignal<bool>,
    /// A position the timeline opens at when it is next drawn (a random post from Memories).
    pub jump: StoredValue<Option<u32>>,
    /// What had focus before an overlay opened.
    restore_focus: StoredValue<Option<web_sys::HtmlElement>, LocalStorage>,
    client: StoredValue<WorkerClient>,
}

impl Browse {
    /// New state, asking `client` for results.
    pub fn new(client: WorkerClient) -> Browse {
        Browse {
            results: Results::new(client.clone()),
            current: RwSignal::new(None),
            lightbox: RwSignal::new(None),
            dialog: RwSignal::new(None),
            facets_open: RwSignal::new(false),
            rows: StoredValue::new(Rows::new(0, super::timeline::ESTIMATE)),
            view_top: RwSignal::new(0.0),
            view_height: RwSignal::new(900.0),
            cw_open: RwSignal::new(Vec::new()),
            revealed: RwSignal::new(Vec::new()),
            picked: RwSignal::new(Picked::default()),
            escaped: StoredValue::new(false),
            printing: RwSignal::new(None),
            jump: StoredValue::new(None),
            preparing_print: RwSignal::new(false),
            restore_focus: StoredValue::new_local(None),
            client: StoredValue::new(client),
        }
    }

    fn remember_focus(self) {
        let active = document()
            .active_element()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        self.restore_focus.set_value(active);
    }

    /// Opens the lightbox on one attachment.
    pub fn open_lightbox(self, position: u32, post: Arc<PostView>, index: usize) {
        self.remember_focus();
        self.lightbox.set(Some(LightboxAt {
            position,
            post: PostRef(post),
            index,
        }));
    }

    /// Opens a dialog.
    pub fn open_dialog(self, dialog: Dialog) {
        self.remember_focus();
        self.dialog.set(Some(dialog));
    }

    /// Closes the top overlay; false when none was open.
    pub fn close_overlay(self) -> bool {
        let closed = if self.lightbox.get_untracked().is_some() {
            self.lightbox.set(None);
            true
        } else if self.dialog.get_untracked().is_some() {
            self.dialog.set(None);
            true
        } else {
            false
        };
        if closed {
            if let Some(el) = self.restore_focus.get_value() {
                let _ = el.focus();
            }
        }
        closed
    }

    /// Moves the lightbox to the next (or previous) attachment of the result: within the post,
    /// then to the nearest post with media, which the worker finds.
    pub fn lightbox_step(self, forward: bool) {
        let Some(at) = self.lightbox.get_untracked() else {
            return;
        };
        let count = at.post.0.attachments.len();
        if forward && at.index + 1 < count {
            return self.lightbox.set(Some(LightboxAt {
                index: at.index + 1,
                ..at
            }));
        }
        if !forward && at.index > 0 {
            return self.lightbox.set(Some(LightboxAt {
                index: at.index - 1,
                ..at
            }));
        }
        let body = RequestBody::FindMedia {
            position: at.position,
            forward,
        };
        let reply = self.client.get_value().request(body);
        let (lightbox, cache) = (self.lightbox, self.results.cache);
        spawn_local(async move {
            if let Some(ResponseBody::MediaPost {
                search,
                position: Some(position),
                post: Some(post),
            }) = reply.await.map(|r| r.body)
            {
                // Positions of another search than the one shown would mean another post.
                if cache.try_with_untracked(|c| c.search()) != Some(search) {
                    return;
                }
                let index = if forward {
                    0
                } else {
                    post.attachments.len().saturating_sub(1)
                };
                let _ = lightbox.try_set(Some(LightboxAt {
                    position,
                    post: PostRef(Arc::new(*post)),
                    index,
                }));
            }
        });
    }

    /// Moves the keyboard to the results: the post at the top of the view (the first, at the
    /// top of the page), focused and scrolled fully into view.
    pub fn focus_results(self) {
        self.current.set(None);
        self.step(0);
        if self.current.get_untracked().is_none() {
            // No results: the list itself, which says so.
            if let Some(el) = document().get_element_by_id("results") {
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        }
    }

    /// Brings a thread just opened into view: its note (what the thread is) just below the
    /// search bar, with the keyboard on it. Left where it was, the page would still show the
    /// post the thread was opened from, far down the old result; scrolled to the top, it would
    /// show the profile, a phone's whole screen above the thread.
    pub fn reveal_thread(self) {
        // The list is below the window's top from here on: the timeline must not scroll the
        // new result's first row over the note when it arrives (see `Timeline`).
        self.view_top.set(-1.0);
        request_animation_frame(move || {
            let Some(note) = document()
                .query_selector("[data-testid=thread-note]:not([hidden])")
                .ok()
                .flatten()
            else {
                return;
            };
            let top = note.get_bounding_client_rect().top();
            let y = window().scroll_y().unwrap_or(0.0) + top - super::timeline::sticky_bottom();
            window().scroll_to_with_x_and_y(0.0, y.max(0.0));
            focus_in_place(&note);
        });
    }

    /// Moves the keyboard's post by `delta` (j/k).
    pub fn step(self, delta: i64) {
        let total = self.results.total_untracked();
        if total == 0 {
            return;
        }
        let next = match self.current.get_untracked() {
            Some(c) => (i64::from(c) + delta).clamp(0, i64::from(total) - 1) as u32,
            None => {
                let top = self.view_top.get_untracked().max(0.0);
                let height = self.view_height.get_untracked();
                self.rows.with_value(|r| {
                    let scale = r.scale(height, crate::virtual_list::MAX_HEIGHT);
                    r.row_at(top * scale + 1.0)
                }) as u32
            }
        };
        self.current.set(Some(next));
    }
}

/// Puts the keyboard on the result's count (a status that says how many posts the new query
/// shows), once the Posts tab is drawn: where a control that shows posts elsewhere (a chart's
/// bar, a memory, a person) or "Show all posts" leaves it, instead of on the page's body, from
/// where the next Tab would start again at the top. The count is not a text field: a phone
/// shows no keyboard for it.
pub fn focus_count() {
    request_animation_frame(|| {
        if let Ok(Some(count)) = document().query_selector("[data-testid=count]") {
            focus_in_place(&count);
        }
    });
}

/// The posts tab: search bar, facets, timeline, and the overlays.
#[component]
pub fn BrowseView() -> impl IntoView {
    let browse = expect_context::<Browse>();
    view! {
        // Past the profile and the tabs, before the search bar and the filters: the shortest
        // way to the posts by keyboard. A button in link's clothes: a `#results` link would
        // replace the view the hash holds.
        <a class="skip-link" href="#results" data-testid="skip-to-posts" on:click=move |ev| {
            ev.prevent_default();
            browse.focus_results();
        }>{t_string!(crate::lang::i18n(), browse.skip)}</a>
        // Printed from the browser's menu, first: only the posts drawn on screen would follow.
        <p class="print-hint">
            {t_string!(crate::lang::i18n(), browse.print_hint)}
        </p>
        <div class="browse-wrap">
            <SearchBar/>
            <div class="browse">
                <Facets/>
                <div>
                    <ThreadNote/>
                    <Timeline/>
                </div>
            </div>
        </div>
        <Lightbox/>
        <Dialogs/>
        <PrintView/>
    }
}

/// Above a thread (`thread:ID`): what it is, where it starts when that is not in the archive,
/// and the way back to every post. Drawn with [`El`]: it is replaced whole when anything changes.
#[component]
fn ThreadNote() -> impl IntoView {
    let state = expect_context::<AppState>();
    let browse = expect_context::<Browse>();
    let holder = NodeRef::<leptos::html::Div>::new();
    // What the note says, compared before it is drawn again: the cache changes as the timeline
    // scrolls, and drawing anew would take the focus from the note's button.
    let said = Memo::new(move |_| {
        let (thread, sort) = state.route.with(|r| (r.is_thread(), r.sort));
        if !thread {
            return None;
        }
        // Every post of the thread, also when the timeline shows it collapsed to its first.
        let total = browse
            .results
            .meta
            .with(|m| m.as_ref().map_or(0, |m| m.matched));
        // The oldest post is the chain's first: when it replies to a post that is not here,
        // the thread starts elsewhere (with a link when its address is one).
        let first = (sort == Sort::Oldest)
            .then(|| browse.results.cache.with(|c| c.get(0)))
            .flatten();
        let elsewhere = first
            .filter(|p| p.0.parent.is_none() && p.0.in_reply_to.is_some())
            .map(|p| p.0.in_reply_to_link.clone());
        Some((total, elsewhere, sort == Sort::Oldest))
    });
    Effect::new(move |_| {
        let Some(holder) = holder.get() else { return };
        let said = said.get();
        holder.set_hidden(said.is_none());
        let Some((total, elsewhere, oldest_first)) = said else {
            return holder.replace_children_with_node_0();
        };
        let i18n = crate::lang::i18n();
        let mut note = El::html("div").child(
            El::html("p")
                .child(El::html("strong").text(&crate::tr!(
                    i18n,
                    browse.thread_of,
                    posts = format::posts(u64::from(total))
                )))
                // "oldest first" only when it is (the order can be changed meanwhile).
                .text(if oldest_first {
                    t_string!(i18n, browse.thread_rest)
                } else {
                    t_string!(i18n, browse.thread_rest_any)
                })
                .child(
                    El::html("button")
                        .attr("type", "button")
                        .class("link-button")
                        .attr("data-all", "")
                        .text(t_string!(i18n, browse.show_all)),
                ),
        );
        if let Some(link) = elsewhere {
            let start = El::html("p")
                .attr("data-testid", "thread-starts-elsewhere")
                .text(t_string!(i18n, browse.starts_pre));
            let start = match &link {
                Some(href) => start.child(El::external(href, t_string!(i18n, post.a_post))),
                None => start.text(t_string!(i18n, post.a_post)),
            };
            note = note.child(start.text(t_string!(i18n, browse.starts_post)));
        }
        holder.replace_children_with_node_1(&note.into_element());
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let all = target_element(ev.target()).and_then(|e| e.closest("[data-all]").ok().flatten());
        if all.is_some() {
            state.navigate(Route::default(), true);
            focus_count();
        }
    };
    view! { <div class="thread-note" data-testid="thread-note" tabindex="-1" node_ref=holder hidden on:click=on_click></div> }
}

/// Keyboard shortcuts, for the whole archive view.
pub fn install_shortcuts(state: AppState, browse: Browse) {
    let client = expect_context::<WorkerClient>();
    let handle = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if ev.default_prevented() {
            return;
        }
        // Ctrl+P prints every result, not just the posts on screen.
        let on_posts = state.route.with_untracked(|r| r.tab == Tab::Posts);
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("p") && on_posts {
            ev.prevent_default();
            print_results(browse, client.clone());
            return;
        }
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let key = ev.key();
        let escaped = browse.escaped.get_value();
        browse.escaped.set_value(false);
        if key == "Escape" {
            if browse.close_overlay() {
                ev.prevent_default();
            } else if browse.facets_open.get_untracked() {
                browse.facets_open.set(false);
                ev.prevent_default();
            } else if escaped && !typing_in(&ev) {
                // The second Escape after leaving the search box clears the query.
                let mut route = state.route.get_untracked();
                if !route.query.is_empty() {
                    route.query.clear();
                    state.navigate(route, true);
                    ev.prevent_default();
                }
            }
            return;
        }
        if browse.lightbox.get_untracked().is_some() {
            match key.as_str() {
                "ArrowRight" | "j" => browse.lightbox_step(true),
                "ArrowLeft" | "k" => browse.lightbox_step(false),
                // The post's first and last attachment.
                "Home" | "End" => browse.lightbox.update(|at| {
                    if let Some(at) = at {
                        let last = at.post.0.attachments.len().saturating_sub(1);
                        at.index = if key == "Home" { 0 } else { last };
                    }
                }),
                _ => return,
            }
            ev.prevent_default();
            return;
        }
        if browse.dialog.get_untracked().is_some() || typing_in(&ev) {
            return;
        }
        let on_posts = state.route.with_untracked(|r| r.tab == Tab::Posts);
        match key.as_str() {
            "/" if on_posts => {
                if let Some(input) = document().get_element_by_id("search") {
                    if let Ok(input) = input.dyn_into::<web_sys::HtmlInputElement>() {
                        let _ = input.focus();
                        // A new query replaces the last one as it is typed.
                        input.select();
                    }
                }
            }
            "?" => browse.open_dialog(Dialog::Shortcuts),
            "j" if on_posts => browse.step(1),
            "k" if on_posts => browse.step(-1),
            "o" | "Enter" if on_posts => {
                if !open_current(browse) {
                    return;
                }
            }
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || handle.remove());
}

/// True when the key went to a text field (shortcuts then do nothing).
fn typing_in(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    matches!(target.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
        || target.has_attribute("contenteditable")
}

/// Opens the keyboard's post: its media in the lightbox, or its content warning. Enter on a link
/// or button inside the post keeps its usual meaning.
fn open_current(browse: Browse) -> bool {
    let Some(position) = browse.current.get_untracked() else {
        return false;
    };
    let focused_control = document()
        .active_element()
        .is_some_and(|e| matches!(e.tag_name().as_str(), "A" | "BUTTON" | "SUMMARY"));
    if focused_control {
        return false;
    }
    let Some(post) = browse.results.cache.with_untracked(|c| c.get(position)) else {
        return false;
    };
    if !post.0.attachments.is_empty() && !post.0.sensitive {
        browse.open_lightbox(position, post.0, 0);
        return true;
    }
    // Otherwise press the post's first toggle (content warning or sensitive media).
    let selector =
        format!("li[data-pos='{position}'] .cw button, li[data-pos='{position}'] .reveal");
    if let Ok(Some(button)) = document().query_selector(&selector) {
        if let Ok(button) = button.dyn_into::<web_sys::HtmlElement>() {
            button.click();
            return true;
        }
    }
    false
}

/// Flips membership of `index` in a list signal.
pub fn toggle_in(set: RwSignal<Vec<u32>>, index: u32) {
    set.update(|s| match s.iter().position(|&i| i == index) {
        Some(at) => {
            s.swap_remove(at);
        }
        None => s.push(index),
    });
}
