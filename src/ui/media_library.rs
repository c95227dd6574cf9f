//! The Media tab: every attachment of the query's posts, month by month, filtered by kind, and
//! the alt-text audit (only those without a description, and the coverage figure). The worker
//! answers [`RequestBody::MediaLibrary`] a page at a time, the same as `permafrost media`; what
//! the tab shows within itself (kind, audit, order) lives in `Route::show`, so Back and Forward
//! walk through it.
//!
//! Everything below the heading is drawn with [`El`]: the grid can hold thousands of tiles,
//! appended a page at a time as a sentinel below them comes near the viewport. Images are read
//! only while their tile is near the viewport: one `IntersectionObserver` gives a tile a Blob URL
//! when it comes within [`NEAR`] of it and revokes it when it leaves, so media memory stays flat
//! however far one scrolls. Sensitive media stays a placeholder in its BlurHash colour until it
//! is opened; videos and audio are never read for the grid (no poster, no autoplay). A tile
//! opens a lightbox over the library, which steps through the loaded tiles (asking the next page
//! at the end) with the timeline lightbox's keys.

use super::browse::Browse;
use super::dom::{target_element, El};
use super::media::{blurhash_colour, fetch_media, revoke, MediaState};
use crate::app::AppState;
use crate::format::{self, DateStyle};
use crate::library::{self, LibraryShow, KINDS};
use crate::route::Route;
use crate::worker_client::WorkerClient;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use permafrost_protocol::{
    MediaItem, MediaKind, MediaLibraryView, MediaRef, RequestBody, ResponseBody,
};
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;

/// Items asked for at a time.
const PAGE: u32 = 120;

/// How far outside the viewport a tile's image is loaded (and the next page asked for).
const NEAR: &str = "800px";

/// Longest description (in characters) read out as part of a tile's name; the lightbox shows
/// all of it.
const NAME_ALT_CHARS: usize = 150;

/// The tab's state, shared by its handlers: handles only, so it is `Copy`.
#[derive(Clone, Copy)]
struct Library {
    state: AppState,
    client: StoredValue<WorkerClient>,
    show: Memo<LibraryShow>,
    /// The items drawn so far, by position.
    items: StoredValue<Vec<MediaItem>>,
    /// Items in the list.
    total: StoredValue<u32>,
    /// A page is on its way.
    loading: StoredValue<bool>,
    /// The latest question (older answers are dropped).
    asked: StoredValue<u32>,
    /// The lightbox's position, when open.
    open_at: StoredValue<Option<usize>>,
    /// A position the lightbox moves to once the page holding it arrives.
    wanted: StoredValue<Option<usize>>,
    /// The lightbox's media request (a newer one drops the older answer).
    shown: StoredValue<u32>,
    head: NodeRef<html::Div>,
    count: NodeRef<html::P>,
    grid: NodeRef<html::Div>,
    sentinel: NodeRef<html::Div>,
    overlay: NodeRef<html::Div>,
    observer: StoredValue<Option<web_sys::IntersectionObserver>, LocalStorage>,
}

/// The tab.
#[component]
pub fn MediaPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lib = Library {
        state,
        client: StoredValue::new(expect_context::<WorkerClient>()),
        show: Memo::new(move |_| state.route.with(|r| LibraryShow::parse(&r.show))),
        items: StoredValue::new(Vec::new()),
        total: StoredValue::new(0),
        loading: StoredValue::new(false),
        asked: StoredValue::new(0),
        open_at: StoredValue::new(None),
        wanted: StoredValue::new(None),
        shown: StoredValue::new(0),
        head: NodeRef::new(),
        count: NodeRef::new(),
        grid: NodeRef::new(),
        sentinel: NodeRef::new(),
        overlay: NodeRef::new(),
        observer: StoredValue::new_local(None),
    };

    // One observer for the tiles and the sentinel. It and its callback are owned by the tab:
    // disconnected and dropped with it, and every image URL still shown is revoked then.
    let on_entries = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        lib.on_entries(entries)
    });
    let options = web_sys::IntersectionObserverInit::new();
    options.set_root_margin(NEAR);
    let observer = web_sys::IntersectionObserver::new_with_options(
        on_entries.as_ref().unchecked_ref(),
        &options,
    )
    .ok();
    lib.observer.set_value(observer.clone());
    let grid_element = SendWrapper::new(std::rc::Rc::new(std::cell::RefCell::new(None)));
    let kept = grid_element.clone();
    Effect::new(move |_| {
        if let Some(grid) = lib.grid.get() {
            *kept.borrow_mut() = Some(web_sys::Element::from(grid));
        }
    });
    let owned = SendWrapper::new((observer, on_entries));
    on_cleanup(move || {
        let (observer, on_entries) = owned.take();
        if let Some(observer) = observer {
            observer.disconnect();
        }
        drop(on_entries);
        if let Some(grid) = grid_element.borrow().as_ref() {
            revoke_images(grid);
        }
    });

    // Asked again whenever the query, the zone or what the tab shows changes.
    Effect::new(move |_| {
        lib.show.track();
        state.route.with(|r| r.query.len());
        state.time_zone.track();
        lib.close();
        lib.fetch(0);
    });

    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = target_element(ev.target()) else {
            return;
        };
        let attr = |name: &str| {
            el.closest(&format!("[{name}]"))
                .ok()
                .flatten()
                .and_then(|e| e.get_attribute(name))
        };
        let mut show = lib.show.get_untracked();
        if let Some(pos) = attr("data-open") {
            lib.open(pos.parse().unwrap_or(0));
            return;
        } else if let Some(step) = attr("data-step") {
            lib.step(step == "next");
            return;
        } else if attr("data-close").is_some() {
            lib.close();
            return;
        } else if attr("data-show-post").is_some() {
            lib.show_post();
            return;
        } else if let Some(kind) = attr("data-kind") {
            show.kind = KINDS.iter().find(|(_, n)| *n == kind).map(|(k, _)| *k);
        } else if attr("data-noalt").is_some() {
            show.without_alt = !show.without_alt;
        } else if attr("data-oldest").is_some() {
            show.oldest_first = !show.oldest_first;
        } else {
            return;
        }
        let mut route = state.route.get_untracked();
        route.show = show.to_show();
        state.navigate(route, true);
    };
    // The lightbox's keys, before the page's own shortcuts (which skip a handled key).
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if lib.open_at.get_value().is_none() || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        match ev.key().as_str() {
            "ArrowRight" | "j" => lib.step(true),
            "ArrowLeft" | "k" => lib.step(false),
            "Escape" => lib.close(),
            _ => return,
        }
        ev.prevent_default();
    };

    view! {
        <section class="media-library" aria-labelledby="media-title" data-testid="media-library"
            on:click=on_click>
            <h2 id="media-title">"Media"</h2>
            <div class="library-controls" node_ref=lib.head></div>
            <p class="summary-line" aria-live="polite" data-testid="media-count" node_ref=lib.count>
                "Looking…"
            </p>
            <div class="library-grid" data-testid="media-grid" node_ref=lib.grid></div>
            <div class="library-sentinel" data-sentinel="" node_ref=lib.sentinel></div>
            <div node_ref=lib.overlay on:keydown=on_key></div>
        </section>
    }
}

impl Library {
    /// Asks for the list from `offset` on (0: a new question, drawn anew).
    fn fetch(self, offset: u32) {
        let show = self.show.get_untracked();
        let body = RequestBody::MediaLibrary {
            query: self.state.route.with_untracked(|r| r.query.clone()),
            time_zone: self.state.time_zone.get_untracked(),
            kind: show.kind,
            without_alt: show.without_alt,
            oldest_first: show.oldest_first,
            offset,
            limit: PAGE,
        };
        self.loading.set_value(true);
        self.client
            .get_value()
            .ask_latest(self.asked, body, move |answer| match answer {
                ResponseBody::MediaLibrary(v) => self.answered(offset, &v),
                ResponseBody::Error { message } => {
                    self.loading.set_value(false);
                    if let Some(count) = self.count.get_untracked() {
                        count.set_text_content(Some(&message));
                    }
                }
                _ => {}
            });
    }

    /// Draws an answer: the controls, the figures and the first tiles, or more tiles.
    fn answered(self, offset: u32, v: &MediaLibraryView) {
        self.loading.set_value(false);
        let (Some(grid), Some(observer)) = (self.grid.get_untracked(), self.observer.get_value())
        else {
            return;
        };
        let show = self.show.get_untracked();
        if offset == 0 {
            observer.disconnect();
            revoke_images(&grid);
            grid.replace_children_with_node_0();
            self.items.set_value(Vec::new());
            self.draw_head(v, show);
            if let Some(empty) = empty(v, show) {
                let _ = grid.append_child(&empty.into_element());
            }
        }
        // A page that does not follow the last one drawn (a superseded question) is not drawn.
        if offset as usize != self.items.with_value(Vec::len) {
            return;
        }
        self.total.set_value(v.total);
        let zone = self.state.time_zone.get_untracked();
        let revealed = use_context::<Browse>()
            .map(|b| b.revealed.get_untracked())
            .unwrap_or_default();
        let mut month = self
            .items
            .with_value(|items| items.last().map(|i| i.month.clone()));
        let mut tiles = grid
            .last_element_child()
            .and_then(|s| s.query_selector("ul").ok().flatten());
        for (i, item) in v.items.iter().enumerate() {
            if month.as_ref() != Some(&item.month) || tiles.is_none() {
                let (section, list) = month_section(item, &zone);
                let _ = grid.append_child(&section);
                tiles = Some(list);
                month = Some(item.month.clone());
            }
            let tile = tile(
                item,
                offset as usize + i,
                &zone,
                revealed.contains(&item.post),
            )
            .into_element();
            if let Some(button) = tile.first_element_child() {
                observer.observe(&button);
            }
            if let Some(list) = &tiles {
                let _ = list.append_child(&tile);
            }
        }
        self.items
            .update_value(|items| items.extend(v.items.iter().cloned()));
        // Observed anew after each page: the observer then says at once whether the sentinel is
        // still near (a short page, a tall screen), and the next page is asked for.
        if let Some(sentinel) = self.sentinel.get_untracked() {
            observer.unobserve(&sentinel);
            if self.items.with_value(Vec::len) < v.total as usize {
                observer.observe(&sentinel);
            }
        }
        if let Some(pos) = self.wanted.get_value() {
            self.wanted.set_value(None);
            if pos < self.items.with_value(Vec::len) {
                self.open(pos);
            }
        }
    }

    /// The filter chips, the toggles and the figures, drawn anew with each first page; the
    /// control that had the focus keeps it.
    fn draw_head(self, v: &MediaLibraryView, show: LibraryShow) {
        let (Some(head), Some(count)) = (self.head.get_untracked(), self.count.get_untracked())
        else {
            return;
        };
        let focused = document()
            .active_element()
            .filter(|e| head.contains(Some(e)))
            .and_then(|e| e.get_attribute("data-key"));
        let pressed = |on: bool| if on { "true" } else { "false" };
        let chip = |kind: Option<MediaKind>, n: u32| {
            let name = kind.map_or("all", library::kind_name);
            El::html("button")
                .attr("type", "button")
                .class("chip-button")
                .attr("data-kind", name)
                .attr("data-key", name)
                .attr("data-testid", &format!("media-kind-{name}"))
                .attr("data-count", &n.to_string())
                .attr("aria-pressed", pressed(show.kind == kind))
                .text(&format!(
                    "{} · {}",
                    words(kind).0,
                    format::count(u64::from(n))
                ))
        };
        let all: u32 = v.kinds.iter().map(|k| k.attachments).sum();
        let chips = El::html("div")
            .class("chips")
            .attr("role", "group")
            .attr("aria-label", "Kind")
            .child(chip(None, all))
            .children(
                v.kinds
                    .iter()
                    .filter(|k| k.attachments > 0 || show.kind == Some(k.kind))
                    .map(|k| chip(Some(k.kind), k.attachments)),
            );
        let toggle = |key: &str, on: bool, text: &str| {
            El::html("button")
                .attr("type", "button")
                .class("chip-button")
                .attr(&format!("data-{key}"), "")
                .attr("data-key", key)
                .attr("data-testid", &format!("media-{key}"))
                .attr("aria-pressed", pressed(on))
                .text(text)
        };
        let toggles = El::html("div")
            .class("chips")
            .child(toggle(
                "noalt",
                show.without_alt,
                "Only without a description",
            ))
            .child(toggle("oldest", show.oldest_first, "Oldest first"));
        let mut drawn = El::html("div").child(chips).child(toggles);
        for e in &v.errors {
            drawn = drawn.child(El::html("p").class("query-errors").text(e));
        }
        head.replace_children_with_node_1(&drawn.into_element());
        if let Some(key) = focused {
            if let Ok(Some(el)) = head.query_selector(&format!("[data-key='{key}']")) {
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        }

        let (_, one, many) = words(show.kind);
        let listed = if show.without_alt {
            format!(
                "{} without a description",
                format::plural(u64::from(v.total), one, many)
            )
        } else {
            format::plural(u64::from(v.total), one, many)
        };
        let mut line = format!("{listed} in {}.", format::posts(u64::from(v.posts)));
        if let Some(p) = library::percent(v.described, v.attachments) {
            line.push_str(&format!(
                " {} of {} {} a description ({p} %).",
                format::count(u64::from(v.described)),
                format::plural(u64::from(v.attachments), one, many),
                if v.attachments == 1 { "has" } else { "have" },
            ));
        }
        count.set_text_content(Some(&line));
        for (name, value) in [
            ("data-total", v.total),
            ("data-attachments", v.attachments),
            ("data-described", v.described),
        ] {
            let _ = count.set_attribute(name, &value.to_string());
        }
    }

    /// What the observer saw: tiles coming near (their image is read) or going away (it is
    /// dropped), and the sentinel below the last tile (the next page).
    fn on_entries(self, entries: js_sys::Array) {
        for entry in entries.iter() {
            let entry: web_sys::IntersectionObserverEntry = entry.unchecked_into();
            let el = entry.target();
            if el.has_attribute("data-sentinel") {
                if entry.is_intersecting() {
                    self.more();
                }
            } else if entry.is_intersecting() {
                let _ = el.set_attribute("data-near", "");
                self.load(&el);
            } else {
                let _ = el.remove_attribute("data-near");
                if let Ok(Some(img)) = el.query_selector("img") {
                    if let Some(src) = img.get_attribute("src") {
                        revoke(&src);
                    }
                    img.remove();
                }
            }
        }
    }

    /// Asks for the next page unless one is on its way or all are here.
    fn more(self) {
        let drawn = self.items.with_value(Vec::len) as u32;
        if !self.loading.get_value() && drawn < self.total.get_value() {
            self.fetch(drawn);
        }
    }

    /// Reads a near tile's image, unless it has one, is hidden, or shows no image.
    fn load(self, tile: &web_sys::Element) {
        let skip = ["data-hidden", "data-busy"]
            .iter()
            .any(|a| tile.has_attribute(a))
            || !tile.has_attribute("data-load")
            || !tile.has_attribute("data-near")
            || tile.query_selector("img").ok().flatten().is_some();
        if skip {
            return;
        }
        let number = |name: &str| {
            tile.get_attribute(name)
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or(0)
        };
        let media = MediaRef::Attachment {
            post: number("data-post"),
            index: number("data-index"),
        };
        let _ = tile.set_attribute("data-busy", "");
        let reply = fetch_media(&self.client.get_value(), media);
        let tile = tile.clone();
        spawn_local(async move {
            let answer = reply.await;
            let _ = tile.remove_attribute("data-busy");
            match answer {
                // Shown only if the tile is still near and still on the page.
                Some(MediaState::Ready(url)) => {
                    if tile.is_connected() && tile.has_attribute("data-near") {
                        let img = El::html("img").attr("alt", "").attr("src", &url);
                        let _ = tile.prepend_with_node_1(&img.into_element());
                    } else {
                        revoke(&url);
                    }
                }
                Some(MediaState::Missing(_)) => {
                    let _ = tile.remove_attribute("data-load");
                    let label = El::html("span")
                        .class("tile-label")
                        .text("Could not be shown");
                    let _ = tile.append_child(&label.into_element());
                }
                _ => {}
            }
        });
    }

    /// Opens the lightbox on the item at `pos`. A sensitive post's media is shown there, as
    /// asked, and its tiles are no longer hidden.
    fn open(self, pos: usize) {
        let Some(item) = self.items.with_value(|items| items.get(pos).cloned()) else {
            return;
        };
        let Some(holder) = self.overlay.get_untracked() else {
            return;
        };
        if item.sensitive {
            self.reveal(item.post);
        }
        if let Ok(Some(old)) = holder.query_selector(".overlay") {
            revoke_images(&old);
        }
        self.open_at.set_value(Some(pos));
        let a = &item.attachment;
        let zone = self.state.time_zone.get_untracked();
        let when = item
            .published
            .map(|t| format!(" · {}", format::date(t, &zone, DateStyle::DateTime)))
            .unwrap_or_default();
        let caption = match &a.alt {
            Some(alt) => El::html("p")
                .class("lightbox-caption")
                .attr("data-testid", "lightbox-alt")
                .text(alt),
            None => El::html("p").class("lightbox-caption").child(
                El::html("span")
                    .class("no-alt-badge badge warn")
                    .text("No alt text"),
            ),
        };
        let total = self.total.get_value();
        let button = |key: &str, value: &str, id: &str, text: &str| {
            El::html("button")
                .attr("type", "button")
                .class("button")
                .attr(key, value)
                .attr("data-testid", id)
                .text(text)
        };
        let stage = El::html("div")
            .class("lightbox-stage")
            .child(El::html("p").text(if a.present {
                "Loading…"
            } else {
                "This file is not in the archive."
            }));
        let dialog = El::html("div")
            .class("overlay library-lightbox")
            .attr("role", "dialog")
            .attr("aria-modal", "true")
            .attr("aria-label", "Media viewer")
            .attr("tabindex", "-1")
            .attr("data-testid", "lightbox")
            .attr("data-pos", &pos.to_string())
            .attr("data-post", &item.post.to_string())
            .attr("data-index", &item.index.to_string())
            .child(stage)
            .child(caption)
            .child(El::html("p").class("lightbox-where").text(&format!(
                "{}{when} · {} of {}",
                kind_word(a),
                format::count(pos as u64 + 1),
                format::count(u64::from(total))
            )))
            .child(
                El::html("div")
                    .class("lightbox-bar")
                    .child(button(
                        "data-step",
                        "previous",
                        "lightbox-previous",
                        "← Previous",
                    ))
                    .child(button("data-show-post", "", "show-post", "Show the post"))
                    .child(button("data-close", "", "lightbox-close", "Close"))
                    .child(button("data-step", "next", "lightbox-next", "Next →")),
            )
            .into_element();
        holder.replace_children_with_node_1(&dialog);
        if let Ok(dialog) = dialog.clone().dyn_into::<web_sys::HtmlElement>() {
            let _ = dialog.focus();
        }
        if !a.present {
            return;
        }
        let generation = self.shown.get_value().wrapping_add(1);
        self.shown.set_value(generation);
        let reply = fetch_media(
            &self.client.get_value(),
            MediaRef::Attachment {
                post: item.post,
                index: item.index,
            },
        );
        let shown = self.shown;
        spawn_local(async move {
            let Some(answer) = reply.await else { return };
            let current = shown.try_get_value() == Some(generation) && dialog.is_connected();
            let stage = dialog.query_selector(".lightbox-stage").ok().flatten();
            match (answer, stage) {
                (MediaState::Ready(url), Some(stage)) if current => {
                    stage.replace_children_with_node_1(&player(&item, &url).into_element());
                }
                (MediaState::Ready(url), _) => revoke(&url),
                (MediaState::Missing(reason), Some(stage)) if current => {
                    stage.replace_children_with_node_1(&El::html("p").text(&reason).into_element())
                }
                _ => {}
            }
        });
    }

    /// Moves the lightbox to the next (or previous) item, asking for the next page at the end.
    fn step(self, forward: bool) {
        let Some(pos) = self.open_at.get_value() else {
            return;
        };
        let next = if forward {
            pos + 1
        } else if pos > 0 {
            pos - 1
        } else {
            return;
        };
        if next < self.items.with_value(Vec::len) {
            self.open(next);
        } else if (next as u32) < self.total.get_value() {
            self.wanted.set_value(Some(next));
            self.more();
        }
    }

    /// Closes the lightbox, revoking its media, and gives the focus back to the tile.
    fn close(self) {
        self.wanted.set_value(None);
        let Some(pos) = self.open_at.get_value() else {
            return;
        };
        self.open_at.set_value(None);
        self.shown.update_value(|g| *g = g.wrapping_add(1));
        if let Some(holder) = self.overlay.get_untracked() {
            revoke_images(&holder);
            holder.replace_children_with_node_0();
        }
        let tile = self.grid.get_untracked().and_then(|g| {
            g.query_selector(&format!("[data-open='{pos}']"))
                .ok()
                .flatten()
        });
        if let Some(tile) = tile.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = tile.focus();
        }
    }

    /// Shows the lightbox's post alone on the timeline (`id:`), as a new history entry.
    fn show_post(self) {
        let Some(pos) = self.open_at.get_value() else {
            return;
        };
        let Some(id) = self
            .items
            .with_value(|items| items.get(pos).map(|i| i.id.clone()))
        else {
            return;
        };
        self.close();
        self.state.navigate(
            Route {
                query: format!("id:{id}"),
                ..Route::default()
            },
            true,
        );
    }

    /// Shows a sensitive post's media from now on, here and on the timeline.
    fn reveal(self, post: u32) {
        if let Some(browse) = use_context::<Browse>() {
            if !browse.revealed.with_untracked(|r| r.contains(&post)) {
                browse.revealed.update(|r| r.push(post));
            }
        }
        let Some(grid) = self.grid.get_untracked() else {
            return;
        };
        let Ok(hidden) = grid.query_selector_all(&format!("[data-post='{post}'][data-hidden]"))
        else {
            return;
        };
        for i in 0..hidden.length() {
            let Some(tile) = hidden
                .get(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let _ = tile.remove_attribute("data-hidden");
            if let Ok(Some(label)) = tile.query_selector("[data-sensitive]") {
                label.remove();
            }
            self.load(&tile);
        }
    }
}

/// Revokes the Blob URLs of the images, players and download links under `root`.
fn revoke_images(root: &web_sys::Element) {
    let Ok(found) = root.query_selector_all("[src^='blob:'], [href^='blob:']") else {
        return;
    };
    for i in 0..found.length() {
        let Some(el) = found
            .get(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        if let Some(url) = el.get_attribute("src").or_else(|| el.get_attribute("href")) {
            revoke(&url);
        }
    }
}

/// A chip's name, and what one and many items of a kind are called.
fn words(kind: Option<MediaKind>) -> (&'static str, &'static str, &'static str) {
    match kind {
        None => ("All", "attachment", "attachments"),
        Some(MediaKind::Image) => ("Images", "image", "images"),
        Some(MediaKind::Gif) => ("GIFs", "GIF", "GIFs"),
        Some(MediaKind::Video) => ("Videos", "video", "videos"),
        Some(MediaKind::Audio) => ("Audio", "audio file", "audio files"),
        Some(MediaKind::Other) => ("Other", "other file", "other files"),
    }
}

/// What a tile is, first in its name.
fn kind_word(a: &permafrost_protocol::AttachmentView) -> &'static str {
    match a.kind {
        MediaKind::Image => "Image",
        MediaKind::Gif => "GIF",
        MediaKind::Video => "Video",
        MediaKind::Audio => "Audio",
        MediaKind::Other => "File",
    }
}

/// A GIF as Mastodon stores it since 2018 is a silent MP4: a player, not an image.
fn is_image(a: &permafrost_protocol::AttachmentView) -> bool {
    match a.kind {
        MediaKind::Image => true,
        MediaKind::Gif => a
            .media_type
            .as_deref()
            .is_none_or(|t| t.starts_with("image/")),
        _ => false,
    }
}

/// Nothing to show: why.
fn empty(v: &MediaLibraryView, show: LibraryShow) -> Option<El> {
    if v.total > 0 {
        return None;
    }
    let (_, one, many) = words(show.kind);
    let text = if v.posts_with_media == 0 {
        "None of these posts has media.".to_string()
    } else if show.without_alt && v.attachments > 0 {
        format!("Every {one} has a description.")
    } else {
        format!("No {many} in these posts.")
    };
    Some(
        El::html("p")
            .class("hint")
            .attr("data-testid", "media-empty")
            .text(&text),
    )
}

/// A month's heading and the list its tiles go in.
fn month_section(item: &MediaItem, zone: &str) -> (web_sys::Element, web_sys::Element) {
    let heading = match item.published {
        Some(t) if item.month.is_some() => format::date(t, zone, DateStyle::Month),
        _ => "Without a date".to_string(),
    };
    let list = El::html("ul").class("library-tiles").into_element();
    let section = El::html("section")
        .class("library-month")
        .attr("data-month", item.month.as_deref().unwrap_or(""))
        .child(El::html("h3").text(&heading))
        .into_element();
    let _ = section.append_child(&list);
    (section, list)
}

/// One attachment: a button named with what it is, when, and its description.
fn tile(item: &MediaItem, pos: usize, zone: &str, revealed: bool) -> El {
    let a = &item.attachment;
    let hidden = item.sensitive && !revealed;
    let mut name = format!(
        "{}, {}",
        kind_word(a),
        item.published.map_or_else(
            || "no date".into(),
            |t| format::date(t, zone, DateStyle::Date)
        )
    );
    if item.sensitive {
        name.push_str(", sensitive");
    }
    if !a.present {
        name.push_str(", not in the archive");
    }
    match &a.alt {
        Some(alt) => {
            name.push_str(": ");
            name.extend(alt.chars().take(NAME_ALT_CHARS));
            if alt.chars().nth(NAME_ALT_CHARS).is_some() {
                name.push('…');
            }
        }
        None => name.push_str(", no description"),
    }
    let mut button = El::html("button")
        .attr("type", "button")
        .class("tile")
        .attr("data-testid", "media-tile")
        .attr("data-open", &pos.to_string())
        .attr("data-post", &item.post.to_string())
        .attr("data-index", &item.index.to_string())
        .attr("aria-label", &name);
    if let Some(colour) = a.blurhash.as_deref().and_then(blurhash_colour) {
        button = button.style("background-color", &colour);
    }
    if a.present && is_image(a) {
        button = button.attr("data-load", "");
    }
    if hidden {
        button = button.attr("data-hidden", "");
    }
    let length = a.duration.map(library::duration);
    let label = if !a.present {
        Some("Not in the archive".to_string())
    } else {
        match a.kind {
            _ if is_image(a) => None,
            MediaKind::Video => Some(format!("▶ {}", length.as_deref().unwrap_or("Video"))),
            MediaKind::Audio => Some(format!("♪ {}", length.as_deref().unwrap_or("Audio"))),
            MediaKind::Gif => Some("▶ GIF".to_string()),
            _ => Some("File".to_string()),
        }
    };
    if let Some(label) = label {
        button = button.child(El::html("span").class("tile-label").text(&label));
    }
    if hidden {
        button = button.child(
            El::html("span")
                .class("tile-label tile-sensitive")
                .attr("data-sensitive", "")
                .text("Sensitive"),
        );
    }
    if a.alt.is_none() {
        button = button.child(El::html("span").class("tile-noalt").text("No alt"));
    }
    El::html("li").child(button)
}

/// The lightbox's element for a media file.
fn player(item: &MediaItem, url: &str) -> El {
    let a = &item.attachment;
    let alt = a.alt.as_deref().unwrap_or("");
    if is_image(a) {
        return El::html("img")
            .attr("src", url)
            .attr("alt", alt)
            .attr("data-testid", "media-image");
    }
    match a.kind {
        MediaKind::Video | MediaKind::Gif => El::html("video")
            .attr("src", url)
            .attr("controls", "")
            .attr("preload", "metadata")
            .attr("playsinline", "")
            .attr("aria-label", alt),
        MediaKind::Audio => El::html("audio")
            .attr("src", url)
            .attr("controls", "")
            .attr("preload", "metadata")
            .attr("aria-label", alt),
        _ => El::html("a")
            .class("button")
            .attr("href", url)
            .attr("download", "attachment")
            .text("Download the file"),
    }
}
