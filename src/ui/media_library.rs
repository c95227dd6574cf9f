//! The Media tab: every attachment of the query's posts, month by month, filtered by kind, and
//! the alt-text audit (only those without a description, and the coverage figure). The worker
//! answers [`RequestBody::MediaLibrary`] a page at a time, the same as `permafrost media`; what
//! the tab shows within itself (kind, audit, order) lives in `Route::show`, so Back and Forward
//! walk through it.
//!
//! Everything below the heading is drawn with [`El`]: the grid can hold thousands of tiles,
//! appended a page at a time as a sentinel below them comes near the viewport. Images are read
//! only while their tile is near the viewport: one `IntersectionObserver` draws a tile's picture
//! when it comes within [`NEAR`] of it and frees it when it leaves, so media memory stays flat
//! however far one scrolls. The tiles themselves are on the page only while their month is
//! within [`KEEP`] of the viewport: further away a month is folded (its tiles removed, its
//! height kept; after a resize the height is put right as it unfolds, and scroll anchoring keeps
//! the view still), so the grid's elements stay few at any length. Sensitive media stays a
//! placeholder in its BlurHash colour until it is opened; videos and audio are never read for
//! the grid (no poster, no autoplay). A tile opens a lightbox over the library, which steps
//! through the loaded tiles (asking the next page at the end) with the timeline lightbox's keys.

use super::browse::Browse;
use super::dom::{closest_attr, px, target_element, El};
use super::media::{
    blurhash_colour, clear_picture, draw_picture, fetch_media, fetch_media_blob, revoke, MediaState,
};
use crate::app::AppState;
use crate::format::{self, DateStyle};
use crate::i18n::t_string;
use crate::library::{self, LibraryShow, KINDS};
use crate::route::{Route, Tab};
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

/// How far outside the viewport a month keeps its tiles on the page. Further than [`NEAR`], so
/// that a month is back before its pictures are asked for.
const KEEP: &str = "2400px";

/// Longest description (in characters) read out as part of a tile's name; the lightbox shows
/// all of it.
const NAME_ALT_CHARS: usize = 150;

/// The tab's state, shared by its handlers: handles only, so it is `Copy`.
#[derive(Clone, Copy)]
struct Library {
    state: AppState,
    client: StoredValue<WorkerClient>,
    /// The latest question (older answers are dropped).
    asked: StoredValue<u32>,
    /// Everything else, in one value: each type of stored value costs the page's bundle code.
    inner: StoredValue<Inner, LocalStorage>,
}

/// The tab's mutable state and its elements.
struct Inner {
    /// The items drawn so far, by position.
    items: Vec<MediaItem>,
    /// Items in the list.
    total: u32,
    /// A page is on its way.
    loading: bool,
    /// The lightbox's position, when open.
    open_at: Option<usize>,
    /// A position the lightbox moves to once the page holding it arrives.
    wanted: Option<usize>,
    /// The lightbox's media request (a newer one drops the older answer).
    shown: u32,
    observer: Option<web_sys::IntersectionObserver>,
    /// Watches the months: near ones get their tiles, far ones are folded.
    folder: Option<web_sys::IntersectionObserver>,
    /// The months drawn, in order.
    months: Vec<Month>,
    parts: Parts,
}

/// A month's section of the grid and the items it holds.
struct Month {
    section: web_sys::Element,
    /// Its tiles' list (empty, at the height it had, while folded).
    list: web_sys::Element,
    /// The position of its first item (it holds those up to the next month's first).
    start: usize,
    folded: bool,
}

impl Inner {
    /// The positions of month `m`'s items.
    fn month_items(&self, m: usize) -> std::ops::Range<usize> {
        let end = self
            .months
            .get(m + 1)
            .map_or(self.items.len(), |next| next.start);
        self.months.get(m).map_or(end, |month| month.start)..end
    }

    /// The month holding the item at `pos`.
    fn month_of(&self, pos: usize) -> Option<usize> {
        self.months
            .partition_point(|m| m.start <= pos)
            .checked_sub(1)
    }
}

/// The tab's elements below its heading, built with [`El`] (typed views would cost more).
#[derive(Clone)]
struct Parts {
    head: web_sys::Element,
    count: web_sys::Element,
    grid: web_sys::Element,
    sentinel: web_sys::Element,
    overlay: web_sys::Element,
}

/// The tab.
#[component]
pub fn MediaPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let parts = Parts {
        head: El::html("div").class("library-controls").into_element(),
        count: El::html("p")
            .class("summary-line")
            .attr("aria-live", "polite")
            .attr("data-testid", "media-count")
            .text(t_string!(crate::lang::i18n(), memories.looking))
            .into_element(),
        grid: El::html("div")
            .class("library-grid")
            .attr("data-testid", "media-grid")
            .into_element(),
        sentinel: El::html("div")
            .class("library-sentinel")
            .attr("data-sentinel", "")
            .into_element(),
        overlay: El::html("div").into_element(),
    };
    let lib = Library {
        state,
        client: StoredValue::new(expect_context::<WorkerClient>()),
        asked: StoredValue::new(0),
        inner: StoredValue::new_local(Inner {
            items: Vec::new(),
            total: 0,
            loading: false,
            open_at: None,
            wanted: None,
            shown: 0,
            observer: None,
            folder: None,
            months: Vec::new(),
            parts: parts.clone(),
        }),
    };

    // Two observers with one callback: one for the tiles and the sentinel, one for the months.
    // They and their callback are owned by the tab: disconnected and dropped with it, and every
    // image URL still shown is revoked then.
    let on_entries = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        lib.on_entries(entries)
    });
    let watch = |margin: &str| {
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin(margin);
        web_sys::IntersectionObserver::new_with_options(
            on_entries.as_ref().unchecked_ref(),
            &options,
        )
        .ok()
    };
    let (observer, folder) = (watch(NEAR), watch(KEEP));
    lib.inner.update_value(|i| {
        i.observer = observer.clone();
        i.folder = folder.clone();
    });
    let owned = SendWrapper::new((observer, folder, on_entries, parts.clone()));
    on_cleanup(move || {
        let (observer, folder, on_entries, parts) = owned.take();
        for observer in [observer, folder].into_iter().flatten() {
            observer.disconnect();
        }
        drop(on_entries);
        revoke_images(&parts.grid);
        revoke_images(&parts.overlay);
    });

    // The parts go in once the section is on the page.
    let root = NodeRef::<html::Section>::new();
    let mounted = SendWrapper::new(parts);
    Effect::new(move |_| {
        if let Some(root) = root.get() {
            for part in [
                &mounted.head,
                &mounted.count,
                &mounted.grid,
                &mounted.sentinel,
                &mounted.overlay,
            ] {
                let _ = root.append_child(part);
            }
        }
    });

    // Asked again whenever the route (the query, what the tab shows) or the zone changes.
    Effect::new(move |_| {
        // Leaving the tab changes the route too: nothing to ask then.
        if state.route.with(|r| r.tab) != Tab::Media {
            return;
        }
        state.time_zone.track();
        lib.close();
        lib.fetch(0);
    });

    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = target_element(ev.target()) else {
            return;
        };
        let attr = |name: &str| closest_attr(&el, name);
        let mut show = lib.show();
        if let Some(pos) = attr("data-open") {
            lib.open(number(Some(pos)) as usize);
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
        let open = lib.inner.with_value(|i| i.open_at.is_some());
        if !open || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        match ev.key().as_str() {
            "ArrowRight" | "j" => lib.step(true),
            "ArrowLeft" | "k" => lib.step(false),
            "Home" => lib.jump(0),
            "End" => lib.jump(lib.inner.with_value(|i| i.total as usize).saturating_sub(1)),
            "Escape" => lib.close(),
            _ => return,
        }
        ev.prevent_default();
    };

    view! {
        <section class="media-library" aria-labelledby="media-title" data-testid="media-library"
            node_ref=root on:click=on_click on:keydown=on_key>
            <h2 id="media-title">{t_string!(crate::lang::i18n(), tab.media)}</h2>
        </section>
    }
}

impl Library {
    /// What the tab shows, from the URL.
    fn show(self) -> LibraryShow {
        self.state
            .route
            .with_untracked(|r| LibraryShow::parse(&r.show))
    }

    /// The tab's elements.
    fn parts(self) -> Parts {
        self.inner.with_value(|i| i.parts.clone())
    }

    /// Asks for the list from `offset` on (0: a new question, drawn anew).
    fn fetch(self, offset: u32) {
        let show = self.show();
        let body = RequestBody::MediaLibrary {
            query: self.state.route.with_untracked(|r| r.query.clone()),
            time_zone: self.state.time_zone.get_untracked(),
            kind: show.kind,
            without_alt: show.without_alt,
            oldest_first: show.oldest_first,
            offset,
            limit: PAGE,
        };
        self.inner.update_value(|i| i.loading = true);
        self.client
            .get_value()
            .ask_latest(self.asked, body, move |answer| match answer {
                ResponseBody::MediaLibrary(v) => self.answered(offset, *v),
                ResponseBody::Error { message } => {
                    self.inner.update_value(|i| i.loading = false);
                    self.parts()
                        .count
                        .set_text_content(Some(&crate::lang::message(&message)));
                }
                _ => {}
            });
    }

    /// Draws an answer: the controls, the figures and the first tiles, or more tiles.
    fn answered(self, offset: u32, v: MediaLibraryView) {
        let (observers, drawn) = self
            .inner
            .with_value(|i| (i.observer.clone().zip(i.folder.clone()), i.items.len()));
        let Some((observer, folder)) = observers else {
            return;
        };
        let Parts { grid, sentinel, .. } = self.parts();
        let show = self.show();
        let drawn = if offset == 0 {
            observer.disconnect();
            folder.disconnect();
            revoke_images(&grid);
            grid.replace_children_with_node_0();
            self.inner.update_value(|i| {
                i.items.clear();
                i.months.clear();
            });
            self.draw_head(&v, show);
            if let Some(empty) = empty(&v, show) {
                let _ = grid.append_child(&empty.into_element());
            }
            0
        } else {
            drawn
        };
        self.inner.update_value(|i| i.loading = false);
        // A page that does not follow the last one drawn (a superseded question) is not drawn.
        if offset as usize != drawn {
            return;
        }
        // The month drawn last gets this page's first tiles if they are of it: back on the page
        // first if it was folded (a lightbox stepping ahead asks for pages far below the view).
        let last = self.inner.with_value(|i| {
            i.months
                .last()
                .map(|m| (i.months.len() - 1, m.folded, i.items[m.start].month.clone()))
        });
        if let Some((m, true, _)) = last {
            self.unfold(m);
        }
        let mut month = last.map(|(_, _, month)| month);
        let (zone, revealed) = self.shown_as();
        let mut added = Vec::new();
        let mut list = self
            .inner
            .with_value(|i| i.months.last().map(|m| m.list.clone()));
        for (i, item) in v.items.iter().enumerate() {
            let pos = offset as usize + i;
            if month.as_ref() != Some(&item.month) || list.is_none() {
                let (section, tiles) = month_section(item, &zone);
                let _ = grid.append_child(&section);
                folder.observe(&section);
                added.push(Month {
                    section,
                    list: tiles.clone(),
                    start: pos,
                    folded: false,
                });
                list = Some(tiles);
                month = Some(item.month.clone());
            }
            if let Some(list) = &list {
                let _ = list.append_child(&watched_tile(item, pos, &zone, &revealed, &observer));
            }
        }
        let total = v.total;
        let (mut now, mut wanted) = (0, None);
        self.inner.update_value(|i| {
            i.months.extend(added);
            i.items.extend(v.items);
            i.total = total;
            now = i.items.len();
            wanted = i.wanted.take();
        });
        let _ = grid.set_attribute("data-loaded", &now.to_string());
        // Observed anew after each page: the observer then says at once whether the sentinel is
        // still near (a short page, a tall screen), and the next page is asked for.
        observer.unobserve(&sentinel);
        if now < total as usize {
            observer.observe(&sentinel);
        }
        match wanted {
            Some(pos) if pos < now => self.open(pos),
            // Further on (End): the next page, until it is drawn.
            Some(pos) if now < total as usize => {
                self.inner.update_value(|i| i.wanted = Some(pos));
                self.more();
            }
            _ => {}
        }
    }

    /// What tiles are drawn with: the time zone, and the posts whose sensitive media is shown.
    fn shown_as(self) -> (String, Vec<u32>) {
        let zone = self.state.time_zone.get_untracked();
        let revealed = use_context::<Browse>()
            .map(|b| b.revealed.get_untracked())
            .unwrap_or_default();
        (zone, revealed)
    }

    /// Puts a folded month's tiles back on the page.
    fn unfold(self, m: usize) {
        let (zone, revealed) = self.shown_as();
        let fragment = document().create_document_fragment();
        // Drawn from the items where they are kept (drawing a tile does not touch them).
        let list = self.inner.with_value(|i| {
            let month = i.months.get(m).filter(|month| month.folded)?;
            let observer = i.observer.as_ref()?;
            for pos in i.month_items(m) {
                let tile = watched_tile(&i.items[pos], pos, &zone, &revealed, observer);
                let _ = fragment.append_child(&tile);
            }
            Some(month.list.clone())
        });
        let Some(list) = list else {
            return;
        };
        let _ = list.append_child(&fragment);
        if let Some(list) = list.dyn_ref::<web_sys::HtmlElement>() {
            let _ = list.style().remove_property("height");
        }
        let _ = list.remove_attribute("data-folded");
        self.inner.update_value(|i| i.months[m].folded = false);
    }

    /// Takes a far month's tiles off the page, keeping its height, unless it holds the focus.
    fn fold(self, m: usize) {
        let Some((list, observer)) = self.inner.with_value(|i| {
            let month = i.months.get(m).filter(|month| !month.folded)?;
            Some((month.list.clone(), i.observer.clone()?))
        }) else {
            return;
        };
        if document()
            .active_element()
            .is_some_and(|e| list.contains(Some(&e)))
        {
            return;
        }
        let height = list.get_bounding_client_rect().height();
        if let Ok(tiles) = list.query_selector_all("[data-open]") {
            for k in 0..tiles.length() {
                if let Some(tile) = tiles.get(k).and_then(|n| n.dyn_into().ok()) {
                    observer.unobserve(&tile);
                }
            }
        }
        revoke_images(&list);
        list.replace_children_with_node_0();
        if let Some(list) = list.dyn_ref::<web_sys::HtmlElement>() {
            let _ = list.style().set_property("height", &px(height));
        }
        let _ = list.set_attribute("data-folded", "");
        self.inner.update_value(|i| i.months[m].folded = true);
    }

    /// The filter chips, the toggles and the figures, drawn anew with each first page; the
    /// control that had the focus keeps it.
    fn draw_head(self, v: &MediaLibraryView, show: LibraryShow) {
        let Parts { head, count, .. } = self.parts();
        let focused = document()
            .active_element()
            .filter(|e| head.contains(Some(e)))
            .and_then(|e| e.get_attribute("data-key"));
        let pressed = |on: bool| if on { "true" } else { "false" };
        let i18n = crate::lang::i18n();
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
                    chip_name(kind),
                    format::count(u64::from(n))
                ))
        };
        let all: u32 = v.kinds.iter().map(|k| k.attachments).sum();
        let chips = El::html("div")
            .class("chips")
            .attr("role", "group")
            .attr("aria-label", t_string!(i18n, lib.kind))
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
                t_string!(i18n, lib.only_without),
            ))
            .child(toggle(
                "oldest",
                show.oldest_first,
                t_string!(i18n, lib.oldest_first),
            ));
        let mut drawn = El::html("div").child(chips).child(toggles);
        for e in &v.errors {
            drawn = drawn.child(El::html("p").class("query-errors").message(e));
        }
        head.replace_children_with_node_1(&drawn.into_element());
        if let Some(key) = focused {
            if let Ok(Some(el)) = head.query_selector(&format!("[data-key='{key}']")) {
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        }

        let items = counted(show.kind, u64::from(v.total));
        let listed = if show.without_alt {
            crate::tr!(i18n, lib.without_desc, items = items)
        } else {
            items
        };
        // Over the query the other tabs share: said, so that a narrow count is not a surprise.
        let query = self
            .state
            .route
            .with_untracked(|r| r.query.trim().to_string());
        let posts = format::posts(u64::from(v.posts));
        let mut line = if query.is_empty() {
            crate::tr!(i18n, lib.line, listed = listed, posts = posts)
        } else {
            crate::tr!(
                i18n,
                lib.line_matching,
                listed = listed,
                posts = posts,
                query = query
            )
        };
        if let Some(p) = library::percent(v.described, v.attachments) {
            line.push_str(&crate::plural!(
                i18n,
                n_described,
                u64::from(v.attachments),
                described = format::count(u64::from(v.described)),
                items = counted(show.kind, u64::from(v.attachments)),
                p = p
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
            if el.has_attribute("data-month") {
                let month = self
                    .inner
                    .with_value(|i| i.months.iter().position(|m| m.section == el));
                match month {
                    Some(m) if entry.is_intersecting() => self.unfold(m),
                    Some(m) => self.fold(m),
                    None => {}
                }
            } else if el.has_attribute("data-sentinel") {
                if entry.is_intersecting() {
                    self.more();
                }
            } else if entry.is_intersecting() {
                let _ = el.set_attribute("data-near", "");
                self.load(&el);
            } else {
                let _ = el.remove_attribute("data-near");
                if let Ok(Some(picture)) = el.query_selector("canvas") {
                    if let Ok(canvas) = picture.dyn_into::<web_sys::HtmlCanvasElement>() {
                        clear_picture(&canvas);
                        canvas.remove();
                    }
                }
            }
        }
    }

    /// Asks for the next page unless one is on its way or all are here.
    fn more(self) {
        let (loading, drawn, total) = self
            .inner
            .with_value(|i| (i.loading, i.items.len() as u32, i.total));
        if !loading && drawn < total {
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
            || tile.query_selector("canvas").ok().flatten().is_some();
        if skip {
            return;
        }
        let media = MediaRef::Attachment {
            post: number(tile.get_attribute("data-post")),
            index: number(tile.get_attribute("data-index")),
        };
        let natural = self.inner.with_value(|i| {
            let a = &i
                .items
                .get(number(tile.get_attribute("data-open")) as usize)?
                .attachment;
            Some((a.width?, a.height?))
        });
        let _ = tile.set_attribute("data-busy", "");
        let reply = fetch_media_blob(&self.client.get_value(), media);
        let tile = tile.clone();
        spawn_local(async move {
            let answer = reply.await;
            // Shown only if the tile is still near and still on the page.
            let wanted = || tile.is_connected() && tile.has_attribute("data-near");
            let shown = match answer {
                Some(Ok(blob)) if wanted() => {
                    let canvas: web_sys::HtmlCanvasElement = El::html("canvas")
                        .attr("aria-hidden", "true")
                        .into_element()
                        .unchecked_into();
                    let rect = tile.get_bounding_client_rect();
                    let drawn =
                        draw_picture(&blob, &canvas, (rect.width(), rect.height()), natural).await;
                    // Scrolled away while it was decoded: not shown after all.
                    if drawn && wanted() {
                        let _ = tile.prepend_with_node_1(&canvas);
                    } else {
                        clear_picture(&canvas);
                    }
                    drawn
                }
                Some(Ok(_)) | None => true,
                Some(Err(_)) => false,
            };
            let _ = tile.remove_attribute("data-busy");
            if !shown {
                let _ = tile.remove_attribute("data-load");
                let label = El::html("span")
                    .class("tile-label")
                    .text(t_string!(crate::lang::i18n(), lib.could_not_show));
                let _ = tile.append_child(&label.into_element());
            }
        });
    }

    /// Opens the lightbox on the item at `pos`. A sensitive post's media is shown there, as
    /// asked, and its tiles are no longer hidden.
    fn open(self, pos: usize) {
        let Some(item) = self.inner.with_value(|i| i.items.get(pos).cloned()) else {
            return;
        };
        let holder = self.parts().overlay;
        if item.sensitive {
            self.reveal(item.post);
        }
        if let Ok(Some(old)) = holder.query_selector(".overlay") {
            revoke_images(&old);
        }
        let (total, generation) = self
            .inner
            .with_value(|i| (i.total, i.shown.wrapping_add(1)));
        self.inner.update_value(|i| {
            i.open_at = Some(pos);
            i.shown = generation;
        });
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
                    .text(t_string!(crate::lang::i18n(), lightbox.no_alt)),
            ),
        };
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
                t_string!(crate::lang::i18n(), lightbox.loading)
            } else {
                t_string!(crate::lang::i18n(), lightbox.not_in_archive)
            }));
        let dialog = El::html("div")
            .class("overlay library-lightbox")
            .attr("role", "dialog")
            .attr("aria-modal", "true")
            .attr(
                "aria-label",
                t_string!(crate::lang::i18n(), lightbox.viewer),
            )
            .attr("tabindex", "-1")
            .attr("data-testid", "lightbox")
            .attr("data-pos", &pos.to_string())
            .attr("data-post", &item.post.to_string())
            .attr("data-index", &item.index.to_string())
            .child(stage)
            .child(caption)
            .child(El::html("p").class("lightbox-where").text(&crate::tr!(
                crate::lang::i18n(),
                lib.position,
                kind = kind_word(a),
                when = when,
                i = format::count(pos as u64 + 1),
                n = format::count(u64::from(total))
            )))
            .child(
                El::html("div")
                    .class("lightbox-bar")
                    .child(button(
                        "data-step",
                        "previous",
                        "lightbox-previous",
                        t_string!(crate::lang::i18n(), lightbox.previous),
                    ))
                    .child(button(
                        "data-show-post",
                        "",
                        "show-post",
                        t_string!(crate::lang::i18n(), lib.show_post),
                    ))
                    .child(button(
                        "data-close",
                        "",
                        "lightbox-close",
                        t_string!(crate::lang::i18n(), dialog.close),
                    ))
                    .child(button(
                        "data-step",
                        "next",
                        "lightbox-next",
                        t_string!(crate::lang::i18n(), lightbox.next),
                    )),
            )
            .into_element();
        holder.replace_children_with_node_1(&dialog);
        if let Ok(dialog) = dialog.clone().dyn_into::<web_sys::HtmlElement>() {
            let _ = dialog.focus();
        }
        if !a.present {
            return;
        }
        let reply = fetch_media(
            &self.client.get_value(),
            MediaRef::Attachment {
                post: item.post,
                index: item.index,
            },
        );
        let inner = self.inner;
        spawn_local(async move {
            let Some(answer) = reply.await else { return };
            let current =
                inner.try_with_value(|i| i.shown) == Some(generation) && dialog.is_connected();
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
        let Some(pos) = self.inner.with_value(|i| i.open_at) else {
            return;
        };
        let next = if forward {
            pos + 1
        } else if pos > 0 {
            pos - 1
        } else {
            return;
        };
        self.jump(next);
    }

    /// Shows attachment `to` in the open lightbox, reading the pages up to it first if they are
    /// not drawn yet (End on a long list).
    fn jump(self, to: usize) {
        let (open, drawn, total) = self
            .inner
            .with_value(|i| (i.open_at, i.items.len(), i.total as usize));
        if open.is_none() || open == Some(to) {
            return;
        }
        if to < drawn {
            self.open(to);
        } else if to < total {
            self.inner.update_value(|i| i.wanted = Some(to));
            self.more();
        }
    }

    /// Closes the lightbox, revoking its media, and gives the focus back to the tile.
    fn close(self) {
        let mut open = None;
        self.inner.update_value(|i| {
            i.wanted = None;
            open = i.open_at.take();
            i.shown = i.shown.wrapping_add(1);
        });
        let Some(pos) = open else {
            return;
        };
        let Parts { overlay, grid, .. } = self.parts();
        revoke_images(&overlay);
        overlay.replace_children_with_node_0();
        // The lightbox may have stepped into a folded month.
        if let Some(m) = self.inner.with_value(|i| i.month_of(pos)) {
            self.unfold(m);
        }
        let tile = grid
            .query_selector(&format!("[data-open='{pos}']"))
            .ok()
            .flatten();
        if let Some(tile) = tile.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = tile.focus();
        }
    }

    /// Shows the lightbox's post alone on the timeline (`id:`), as a new history entry.
    fn show_post(self) {
        let id = self.inner.with_value(|i| {
            i.open_at
                .and_then(|pos| i.items.get(pos))
                .map(|item| item.id.clone())
        });
        let Some(id) = id else {
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
        // The lightbox and its button are gone: the keyboard goes on from the post's count.
        super::browse::focus_count();
    }

    /// Shows a sensitive post's media from now on, here and on the timeline.
    fn reveal(self, post: u32) {
        if let Some(browse) = use_context::<Browse>() {
            if !browse.revealed.with_untracked(|r| r.contains(&post)) {
                browse.revealed.update(|r| r.push(post));
            }
        }
        let grid = self.parts().grid;
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

/// A number kept in an attribute (0 when there is none).
fn number(value: Option<String>) -> u32 {
    value.and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// Revokes the Blob URLs of the images, players and download links under `root`, and frees the
/// pixels of its pictures.
fn revoke_images(root: &web_sys::Element) {
    if let Ok(pictures) = root.query_selector_all("canvas") {
        for i in 0..pictures.length() {
            if let Some(canvas) = pictures
                .get(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlCanvasElement>().ok())
            {
                clear_picture(&canvas);
            }
        }
    }
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

/// A kind's chip name.
fn chip_name(kind: Option<MediaKind>) -> &'static str {
    let i18n = crate::lang::i18n();
    match kind {
        None => t_string!(i18n, lib.all),
        Some(MediaKind::Image) => t_string!(i18n, lib.images),
        Some(MediaKind::Gif) => t_string!(i18n, lib.gifs),
        Some(MediaKind::Video) => t_string!(i18n, lib.videos),
        Some(MediaKind::Audio) => t_string!(i18n, lib.audio),
        Some(MediaKind::Other) => t_string!(i18n, lib.other_kind),
    }
}

/// `n` items of a kind, counted ("3 images").
fn counted(kind: Option<MediaKind>, n: u64) -> String {
    let i18n = crate::lang::i18n();
    match kind {
        None => crate::plural!(i18n, n_k_all, n),
        Some(MediaKind::Image) => crate::plural!(i18n, n_k_image, n),
        Some(MediaKind::Gif) => crate::plural!(i18n, n_k_gif, n),
        Some(MediaKind::Video) => crate::plural!(i18n, n_k_video, n),
        Some(MediaKind::Audio) => crate::plural!(i18n, n_k_audio, n),
        Some(MediaKind::Other) => crate::plural!(i18n, n_k_other, n),
    }
}

/// What a tile is, first in its name.
fn kind_word(a: &permafrost_protocol::AttachmentView) -> &'static str {
    let i18n = crate::lang::i18n();
    match a.kind {
        MediaKind::Image => t_string!(i18n, lib.image),
        MediaKind::Gif => t_string!(i18n, lib.gif),
        MediaKind::Video => t_string!(i18n, lib.video),
        MediaKind::Audio => t_string!(i18n, lib.audio_one),
        MediaKind::Other => t_string!(i18n, lib.file),
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
    let i18n = crate::lang::i18n();
    let text = if v.posts_with_media == 0 {
        t_string!(i18n, lib.none_has_media)
    } else if show.without_alt && v.attachments > 0 {
        match show.kind {
            None => t_string!(i18n, lib.every_has_desc_all),
            Some(MediaKind::Image) => t_string!(i18n, lib.every_has_desc_image),
            Some(MediaKind::Gif) => t_string!(i18n, lib.every_has_desc_gif),
            Some(MediaKind::Video) => t_string!(i18n, lib.every_has_desc_video),
            Some(MediaKind::Audio) => t_string!(i18n, lib.every_has_desc_audio),
            Some(MediaKind::Other) => t_string!(i18n, lib.every_has_desc_other),
        }
    } else {
        match show.kind {
            None => t_string!(i18n, lib.none_of_all),
            Some(MediaKind::Image) => t_string!(i18n, lib.none_of_image),
            Some(MediaKind::Gif) => t_string!(i18n, lib.none_of_gif),
            Some(MediaKind::Video) => t_string!(i18n, lib.none_of_video),
            Some(MediaKind::Audio) => t_string!(i18n, lib.none_of_audio),
            Some(MediaKind::Other) => t_string!(i18n, lib.none_of_other),
        }
    };
    Some(
        El::html("p")
            .class("hint")
            .attr("data-testid", "media-empty")
            .text(text),
    )
}

/// A month's heading and the list its tiles go in.
fn month_section(item: &MediaItem, zone: &str) -> (web_sys::Element, web_sys::Element) {
    let heading = match item.published {
        Some(t) if item.month.is_some() => format::date(t, zone, DateStyle::Month),
        _ => t_string!(crate::lang::i18n(), lib.without_date).to_string(),
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

/// A tile for the item at `pos`, its button watched by the tiles' `observer` (which draws its
/// picture when it comes near).
fn watched_tile(
    item: &MediaItem,
    pos: usize,
    zone: &str,
    revealed: &[u32],
    observer: &web_sys::IntersectionObserver,
) -> web_sys::Element {
    let tile = tile(item, pos, zone, revealed.contains(&item.post)).into_element();
    if let Some(button) = tile.first_element_child() {
        observer.observe(&button);
    }
    tile
}

/// One attachment: a button named with what it is, when, and its description.
fn tile(item: &MediaItem, pos: usize, zone: &str, revealed: bool) -> El {
    let a = &item.attachment;
    let hidden = item.sensitive && !revealed;
    let i18n = crate::lang::i18n();
    let mut name = format!(
        "{}, {}",
        kind_word(a),
        item.published.map_or_else(
            || t_string!(i18n, lib.no_date).into(),
            |t| format::date(t, zone, DateStyle::Date)
        )
    );
    if item.sensitive {
        name.push_str(t_string!(i18n, lib.sensitive_suffix));
    }
    if !a.present {
        name.push_str(t_string!(i18n, lib.missing_suffix));
    }
    match &a.alt {
        Some(alt) => {
            name.push_str(": ");
            name.extend(alt.chars().take(NAME_ALT_CHARS));
            if alt.chars().nth(NAME_ALT_CHARS).is_some() {
                name.push('…');
            }
        }
        None => name.push_str(t_string!(i18n, lib.no_desc_suffix)),
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
        Some(t_string!(i18n, lib.not_in_archive).to_string())
    } else {
        match a.kind {
            _ if is_image(a) => None,
            MediaKind::Video => Some(format!(
                "▶ {}",
                length.as_deref().unwrap_or(t_string!(i18n, lib.video))
            )),
            MediaKind::Audio => Some(format!(
                "♪ {}",
                length.as_deref().unwrap_or(t_string!(i18n, lib.audio_one))
            )),
            MediaKind::Gif => Some("▶ GIF".to_string()),
            _ => Some(t_string!(i18n, lib.file).to_string()),
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
                .text(t_string!(i18n, lib.sensitive)),
        );
    }
    if a.alt.is_none() {
        button = button.child(
            El::html("span")
                .class("tile-noalt")
                .text(t_string!(i18n, lib.no_alt)),
        );
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
            .text(t_string!(crate::lang::i18n(), media.download)),
    }
}
