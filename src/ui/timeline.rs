//! The timeline: every post of the result, virtualised. Only the rows near the viewport are
//! mounted (with spacers for the rest), so 300,000 posts scroll with a few hundred DOM nodes.
//! Rows are measured as they are shown (a `ResizeObserver` follows them as media loads or content
//! warnings open); unmeasured rows count at an estimated height.

use super::browse::Browse;
use super::dom::{closest_attr, px, target_element, El};
use super::post::Post;
use crate::app::AppState;
use crate::format;
use crate::i18n::t_string;
use crate::virtual_list::{Rows, Window, MAX_HEIGHT};
use leptos::html;
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The height of a row not yet measured, in pixels.
pub const ESTIMATE: f64 = 180.0;

/// Pixels of rows mounted above and below the viewport.
const MARGIN: f64 = 900.0;

/// The margin just after a new result, until `WIDEN_MS` have passed.
const FIRST_MARGIN: f64 = 200.0;

/// How long a new result's rows are mounted with [`FIRST_MARGIN`], in milliseconds; also how
/// long after a fast scroll (see `placement`) the margin stays narrow.
const WIDEN_MS: u64 = 150;

/// The timeline of the current result.
#[component]
pub fn Timeline() -> impl IntoView {
    let browse = expect_context::<Browse>();
    let results = browse.results;
    let list = NodeRef::<html::Ol>::new();
    let layout = RwSignal::new(0u32);
    let view_height = browse.view_height;

    // Where the viewport is, relative to the list; read at most once per frame. The frame may
    // come after the timeline is gone (another archive opened): `try_` then does nothing.
    let scheduled = Rc::new(Cell::new(false));
    let measure_viewport = move || {
        if let Some(el) = list.try_get_untracked().flatten() {
            let _ = browse
                .view_top
                .try_set(-el.get_bounding_client_rect().top());
            let _ = view_height.try_set(
                window()
                    .inner_height()
                    .ok()
                    .and_then(|h| h.as_f64())
                    .unwrap_or(900.0),
            );
        }
    };
    let tick = move || {
        if !scheduled.replace(true) {
            let scheduled = scheduled.clone();
            request_animation_frame(move || {
                scheduled.set(false);
                measure_viewport();
            });
        }
    };
    let on_scroll = tick.clone();
    let scroll = window_event_listener(leptos::ev::scroll, move |_| on_scroll());
    let resize = window_event_listener(leptos::ev::resize, move |_| tick());
    on_cleanup(move || {
        scroll.remove();
        resize.remove();
    });

    // Which result the rows are for, whether they are still mounted without their margin (see
    // `placement`), and the timer that gives it back.
    let rows_for = StoredValue::new(None::<u32>);
    let narrow = StoredValue::new(false);
    let widen = StoredValue::new(None::<TimeoutHandle>);
    // Whether the list is scrolling faster than a margin a frame (see `placement`), and a signal
    // for the moment it stops.
    let fast = StoredValue::new(false);
    let settled = RwSignal::new(0u32);
    // Mounts rows without their margin for `WIDEN_MS` from now, then with it again.
    let narrow_for_a_moment = move || {
        narrow.set_value(true);
        if let Some(timer) = widen.get_value() {
            timer.clear();
        }
        let timer = set_timeout_with_handle(
            move || {
                let _ = narrow.try_set_value(false);
                if fast.try_get_value() == Some(true) {
                    fast.set_value(false);
                    settled.update(|v| *v += 1);
                }
                let _ = layout.try_update(|v| *v += 1);
            },
            std::time::Duration::from_millis(WIDEN_MS),
        );
        widen.set_value(timer.ok());
    };
    // The viewport's top in content pixels at the last placement.
    let last_top = StoredValue::new(None::<f64>);
    on_cleanup(move || {
        if let Some(Some(timer)) = widen.try_get_value() {
            timer.clear();
        }
    });

    // The rows to mount. A new result gets new rows (keeping the average measured height as the
    // estimate), made here rather than in an effect so that the first rows drawn are already
    // this result's. For a moment after a result comes (`WIDEN_MS`) only the rows in view and
    // a little below are mounted: drawing rows is most of the page's work per keystroke, and
    // while someone types each result is replaced before anyone scrolls to its margin.
    let placement = Memo::new(move |_| {
        layout.track();
        let (search, total) = results
            .meta
            .with(|m| m.as_ref().map_or((0, 0), |m| (m.search, m.total)));
        if rows_for.get_value() != Some(search) {
            let first = rows_for.get_value().is_none();
            rows_for.set_value(Some(search));
            browse
                .rows
                .update_value(|r| *r = Rows::new(total as usize, r.average_measured()));
            // The timeline's first drawing (a tab shown again) has its margin at once.
            if !first {
                narrow_for_a_moment();
            }
            last_top.set_value(None);
        }
        let (top, height) = (browse.view_top.get(), view_height.get());
        // Scrolling faster than a margin a frame (the scrollbar dragged, a far jump, or fast
        // scrolling of a list so long that its scroll space is scaled) shows new rows at every
        // frame, and they are gone before anyone reads them. Drawing their posts, and the rows in
        // the margin, was most of each frame's work (profiled at 300,000 posts: styling and
        // laying out new posts) and dropped it to 30 frames a second. Until the scrolling slows
        // down (`WIDEN_MS` without such a frame), only the rows in view are mounted, and those
        // whose posts are not at hand show a placeholder: their posts are asked for once it stops.
        let scale = browse.rows.with_value(|r| r.scale(height, MAX_HEIGHT));
        let content_top = top * scale;
        if last_top
            .get_value()
            .is_some_and(|last| (content_top - last).abs() > MARGIN)
        {
            fast.set_value(true);
            narrow_for_a_moment();
        }
        last_top.set_value(Some(content_top));
        let margin = if narrow.get_value() {
            FIRST_MARGIN
        } else {
            MARGIN
        };
        browse
            .rows
            .with_value(|r| r.place(top, height, margin, MAX_HEIGHT))
    });
    let window_rows = Memo::new(move |_| placement.get().window);
    let scaled = move || placement.get().scale > 1.0;

    // What the result shown was asked for: the same asked again (the tab drawn anew, say) is the
    // same posts at the same positions, and keeps the post chosen.
    let state = expect_context::<AppState>();
    let asked_for = StoredValue::new(None::<(String, permafrost_protocol::Sort, bool, String)>);
    // A new result: no post chosen, back to the top.
    Effect::new(move |previous: Option<u32>| {
        let search = results.meta.with(|m| m.as_ref().map_or(0, |m| m.search));
        let total = results.total();
        // The rows of this result (made by `placement`), which the chosen post's scrolling reads.
        placement.with_untracked(|_| ());
        let asked = state.route.with_untracked(|r| {
            (
                r.query.clone(),
                r.sort,
                r.collapse_threads,
                state.time_zone.get_untracked(),
            )
        });
        let same = asked_for.with_value(|a| a.as_ref() == Some(&asked));
        asked_for.set_value(Some(asked));
        // A jump asked for before the timeline was drawn (a random post) applies to its first
        // result; any later result of another search starts with no post chosen. (Under load a
        // second answer to the same search came a second after the random post was shown, and
        // took it away.)
        let jump = browse.jump.get_value().filter(|&p| p < total);
        browse.jump.set_value(None);
        if jump.is_some() || !same || previous.is_none() {
            browse.current.set(jump);
        }
        // A shift-click range is counted in positions of the result shown.
        browse.picked.update_untracked(|p| p.new_result());
        let Some(previous) = previous else {
            measure_viewport();
            return search;
        };
        // Where the list was at the last frame tells whether it is scrolled past its top,
        // without asking for the layout of the rows just drawn (a forced layout of the whole
        // page: about 5 ms a keystroke, profiled). The row observer measures again once the
        // new rows are laid out.
        if previous != search && browse.view_top.get_untracked() > 0.0 {
            if let Some(el) = list.get_untracked() {
                let top = el.get_bounding_client_rect().top();
                if top < 0.0 {
                    // The list's top just below the sticky search bar.
                    let y = window().scroll_y().unwrap_or(0.0) + top - sticky_bottom();
                    window().scroll_to_with_x_and_y(0.0, y.max(0.0));
                }
            }
        }
        search
    });

    // Ask for the posts of the mounted rows, unless they are flying past (see `placement`).
    Effect::new(move |_| {
        let w = window_rows.get();
        settled.track();
        if !fast.get_value() {
            results.fetch(w.start as u32..w.end as u32);
        }
    });

    // Measure rows as they are mounted and whenever they change size.
    let observer = row_observer(browse, layout, measure_viewport);
    Effect::new(move |_| {
        window_rows.track();
        results.cache.track();
        request_animation_frame(move || {
            let Some(el) = list.try_get_untracked().flatten() else {
                return;
            };
            let Some(observer) = observer.try_with_value(|o| o.observer.clone()) else {
                return;
            };
            observer.disconnect();
            let children = el.children();
            for i in 0..children.length() {
                if let Some(child) = children.item(i) {
                    if child.has_attribute("data-pos") {
                        observer.observe(&child);
                    }
                }
            }
        });
    });

    // The keyboard's post: bring it into view and focus it.
    // Also called from later frames (see `focus_row`), when the timeline may be gone: every
    // reactive value is read with `try_`, and nothing happens then.
    let bring_into_view = move |position: u32| {
        let (Some(el), Some(viewport)) = (
            list.try_get_untracked().flatten(),
            view_height.try_get_untracked(),
        ) else {
            return;
        };
        let list_top = el.get_bounding_client_rect().top() + window().scroll_y().unwrap_or(0.0);
        let Some((row_top, row_bottom)) = browse.rows.try_with_value(|r| {
            let target = r.scroll_to(position as usize, 0.0, viewport, MAX_HEIGHT);
            let bottom = r.scroll_to(position as usize + 1, 0.0, viewport, MAX_HEIGHT);
            (list_top + target, list_top + bottom)
        }) else {
            return;
        };
        let scroll = window().scroll_y().unwrap_or(0.0);
        // The sticky search bar covers the top of the viewport: a post under it is hidden.
        let covered = sticky_bottom();
        let visible = row_top >= scroll + covered
            && row_bottom.min(row_top + viewport / 2.0) <= scroll + viewport;
        if !visible {
            let margin = covered + 8.0;
            let y = browse
                .rows
                .try_with_value(|r| r.scroll_to(position as usize, margin, viewport, MAX_HEIGHT));
            if let Some(y) = y {
                let y = (list_top + y).max(0.0);
                // The next post (j) glides there; a far one (a random post, a click in the
                // summary) is gone to at once: gliding past thousands of rows took seconds,
                // and the rows drawn on the way moved the place it was gliding to.
                if (y - scroll).abs() > viewport {
                    super::dom::scroll_instantly_to(y);
                } else {
                    window().scroll_to_with_x_and_y(0.0, y);
                }
            }
        }
    };
    Effect::new(move |_| {
        let Some(position) = browse.current.get() else {
            return;
        };
        bring_into_view(position);
        // A post far away is drawn only once its page has come from the worker, and the rows
        // before it measured: up to about two seconds of frames on a busy machine, scrolling
        // again now and then with the heights measured since (at most 300 frames, 5 s at 60 Hz).
        focus_row(position, 300, bring_into_view);
    });

    let total = move || results.total();
    let keys = move || {
        let Window { start, end, .. } = window_rows.get();
        let search = results.cache.with(|c| c.search());
        (start as u32..end as u32)
            .map(|p| (search, p))
            .collect::<Vec<_>>()
    };
    view! {
        <section class="timeline-section" aria-label=t_string!(crate::lang::i18n(), timeline.posts) id="results" tabindex="-1">
            // `data-search`: which result the rows are of (as the count's); the browser
            // benchmark checks by it that a keystroke's first rows come with its count.
            <ol class="timeline" class:scaled=scaled node_ref=list data-testid="timeline" data-search=move || results.cache.with(|c| c.search())>
                <li class="timeline-spacer" aria-hidden="true" style:height=move || px(window_rows.get().before)></li>
                <For each=keys key=|k| *k children=move |(_, position)| view! { <Row position=position/> }/>
                <li class="timeline-spacer" aria-hidden="true" style:height=move || px(window_rows.get().after)></li>
            </ol>
            // After the list, which is then empty: above it, these words would push the
            // browser's scroll anchor (a row of the last result, or the list) down as they
            // come, and the page with it, under the search bar.
            <Show when=move || results.meta.with(|m| m.is_some()) && total() == 0>
                <NoResults/>
            </Show>
            <p class="visually-hidden">{move || format::posts(u64::from(total()))}</p>
        </section>
    }
}

/// A result without posts: what to try, and, once the worker has counted them, the query with
/// each of its parts taken out that finds posts, each a button that searches it. The buttons
/// are drawn with [`El`] and answered by one click handler, as the Statistics tab's are: a
/// typed view of them cost the page's bundle 2 KB gzip.
#[component]
fn NoResults() -> impl IntoView {
    let state = expect_context::<AppState>();
    let results = expect_context::<Browse>().results;
    let i18n = crate::lang::i18n();
    let list = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        // Those of the result shown only: an earlier empty result's would name other words.
        let shown = results.meta.with(|m| m.as_ref().map(|m| m.search));
        let queries = results.broader.with(|b| match b {
            Some((search, queries)) if Some(*search) == shown => queries.clone(),
            _ => Default::default(),
        });
        let Some(holder) = list.get() else {
            return;
        };
        if queries.is_empty() {
            holder.replace_children_with_node_0();
            return;
        }
        let buttons = queries.iter().map(|b| {
            // The part as written and the count, each isolated (`<bdi>`).
            let label = crate::lang::filled_parts(
                t_string!(i18n, timeline.without),
                &[
                    ("part".into(), b.without.clone()),
                    ("posts".into(), format::posts(u64::from(b.total))),
                ],
            );
            El::html("li").child(
                El::html("button")
                    .attr("type", "button")
                    .class("link-button")
                    .attr("data-query", &b.query)
                    .attr("title", &b.query)
                    .parts(label),
            )
        });
        let drawn = El::html("div")
            .child(El::html("p").text(t_string!(i18n, timeline.broader)))
            .child(
                El::html("ul")
                    .class("broader")
                    .attr("data-testid", "broader")
                    .children(buttons),
            );
        holder.replace_children_with_node_1(&drawn.into_element());
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = target_element(ev.target()) else {
            return;
        };
        let Some(query) = closest_attr(&el, "data-query") else {
            return;
        };
        let mut route = state.route.get_untracked();
        route.query = query;
        // A new entry: Back returns to the query that found nothing.
        state.navigate(route, true);
        super::browse::focus_count();
    };
    view! {
        <div class="empty" data-testid="no-results">
            <p>{t_string!(i18n, timeline.no_results)}</p>
            <div node_ref=list on:click=on_click></div>
        </div>
    }
}

/// One row: the post at a position, or a placeholder while it is fetched.
#[component]
fn Row(position: u32) -> impl IntoView {
    let browse = expect_context::<Browse>();
    let post = Memo::new(move |_| browse.results.cache.with(|c| c.get(position)));
    let row = NodeRef::<html::Li>::new();
    // The keyboard's post drawn again (its page came again, the rows were made anew for the same
    // result) took the focus with it, to the page: it is given back, at any time after
    // `focus_row` has stopped watching (seen under load: focused, then lost a second later).
    Effect::new(move |_| {
        post.track();
        if browse.current.get_untracked() != Some(position) {
            return;
        }
        if let Some(article) = row
            .get_untracked()
            .and_then(|li| li.query_selector("article").ok().flatten())
        {
            super::dom::refocus_if_lost(&article);
        }
    });
    view! {
        <li class="row" node_ref=row data-pos=position class:current=move || browse.current.get() == Some(position)>
            {move || match post.get() {
                Some(p) => view! { <Post post=p.0 position=position/> }.into_any(),
                None => view! { <div class="post post-placeholder" aria-hidden="true"></div> }.into_any(),
            }}
        </li>
    }
}

/// A `ResizeObserver` recording row heights, and then where the viewport is (`measure_viewport`):
/// its callbacks come after the frame's layout, where reading geometry costs nothing, and rows
/// of a new result (or content above the list that changed with it) move the list.
fn row_observer(
    browse: Browse,
    layout: RwSignal<u32>,
    measure_viewport: impl Fn() + 'static,
) -> StoredValue<Observer, LocalStorage> {
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        measure_viewport();
        let mut changed = false;
        for entry in entries.iter() {
            let Ok(entry) = entry.dyn_into::<web_sys::ResizeObserverEntry>() else {
                continue;
            };
            let target = entry.target();
            // A placeholder's height says nothing about its post's.
            if target
                .first_element_child()
                .is_some_and(|child| child.class_name().contains("post-placeholder"))
            {
                continue;
            }
            let Some(position) = target
                .get_attribute("data-pos")
                .and_then(|p| p.parse::<usize>().ok())
            else {
                continue;
            };
            let height = target.get_bounding_client_rect().height();
            if height > 0.0 {
                // A callback queued before the timeline went finds its rows gone: nothing to do.
                let _ = browse
                    .rows
                    .try_update_value(|r| changed |= r.measure(position, height));
            }
        }
        if changed {
            let _ = layout.try_update(|v| *v += 1);
        }
    });
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref())
        .expect("ResizeObserver is available in every browser the app supports");
    // The closure lives as long as the observer, which lives as long as the timeline: both are
    // dropped when it goes, after the observer is disconnected (it then calls nothing more).
    let observer = StoredValue::new_local(Observer {
        observer,
        _callback: callback,
    });
    on_cleanup(move || {
        if let Some(o) = observer.try_with_value(|o| o.observer.clone()) {
            o.disconnect();
        }
    });
    observer
}

/// A `ResizeObserver` with the closure it calls.
struct Observer {
    observer: web_sys::ResizeObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

/// How far down the viewport the sticky search bar reaches, in pixels.
pub(super) fn sticky_bottom() -> f64 {
    document()
        .query_selector(".search-bar")
        .ok()
        .flatten()
        .map_or(0.0, |bar| bar.get_bounding_client_rect().bottom().max(0.0))
}

/// Focuses the post at a position once it is rendered (trying for some frames), in view.
/// The row may be drawn again while its page arrives and rows are measured, which drops the
/// focus to the page: it is given back until it has held for [`HOLD_MS`], unless the user has
/// put it somewhere else meanwhile (also before the row was first focused: Escape then `/`
/// within a frame or two took the keyboard back from the search box). While the row is not
/// drawn, `bring_into_view` scrolls to it again every few frames, with the row heights measured
/// since. Once drawn, its place is its own box's: the rows above it, drawn and measured as it
/// came, moved it from where the estimates put it (up to hundreds of pixels, above the window or
/// under the search bar), so it is put back below the bar until it has stayed there.
fn focus_row(position: u32, tries: u32, bring_into_view: impl Fn(u32) + Copy + 'static) {
    let asked_from = document().active_element();
    let watch = Watch {
        position,
        tries,
        held_since: None,
        asked_from,
        inputs: user_inputs(),
    };
    focus_row_held(watch, bring_into_view);
}

/// How long the keyboard's post must stay focused and in view, untouched, before
/// [`focus_row`] stops watching it: the rows around it are drawn and measured over several
/// frames, more of them on a busy machine (five frames were not enough under load).
const HOLD_MS: f64 = 600.0;

/// What [`focus_row`] watches, frame after frame.
struct Watch {
    position: u32,
    /// Frames left.
    tries: u32,
    /// Since when the row has been focused and in view (`Date.now()`, ms).
    held_since: Option<f64>,
    /// The element that had the focus when it was asked for.
    asked_from: Option<web_sys::Element>,
    /// [`user_inputs`] then: any input since is the user's move, and the watch ends.
    inputs: u32,
}

thread_local! {
    /// Wheel turns, touches, presses and keys seen on the page (see [`user_inputs`]).
    static USER_INPUTS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    static COUNTING_INPUTS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// How many times the user has turned the wheel, touched, pressed or typed on the page: what
/// [`focus_row`] stops for, not to pull the page back from where the user took it.
fn user_inputs() -> u32 {
    if !COUNTING_INPUTS.replace(true) {
        for event in ["wheel", "touchstart", "mousedown", "keydown"] {
            let count = Closure::<dyn FnMut()>::new(|| USER_INPUTS.set(USER_INPUTS.get() + 1));
            // Caught on the way down, before any handler: the key that moves the keyboard's post
            // (j) is counted before the watch of the post it moves to starts, not after.
            let _ = window().add_event_listener_with_callback_and_bool(
                event,
                count.as_ref().unchecked_ref(),
                true,
            );
            // For the page's lifetime: one listener of each, made once.
            count.forget();
        }
    }
    USER_INPUTS.get()
}

/// [`focus_row`]'s frames.
fn focus_row_held(mut watch: Watch, bring_into_view: impl Fn(u32) + Copy + 'static) {
    request_animation_frame(move || {
        if user_inputs() != watch.inputs {
            return;
        }
        let position = watch.position;
        // Only while it is still the keyboard's post: a later j/k or jump wins.
        let selector = format!("li.current[data-pos='{position}'] article");
        let row = document().query_selector(&selector).ok().flatten();
        let active = document().active_element();
        let here = match (&row, &active) {
            (Some(row), Some(a)) => row.contains(Some(a)),
            _ => false,
        };
        let lost = super::dom::focus_lost();
        let now = js_sys::Date::now();
        match &row {
            _ if here => {}
            // Focused before and moved since, or moved since it was asked for: the user's.
            _ if !lost && (watch.held_since.is_some() || active != watch.asked_from) => return,
            Some(el) => {
                super::dom::focus_in_place(el);
                watch.held_since = None;
            }
            None => {
                let drawn = document()
                    .query_selector(&format!("li[data-pos='{position}']"))
                    .ok()
                    .flatten()
                    .is_some();
                if !drawn && watch.tries.is_multiple_of(10) {
                    bring_into_view(position);
                }
                watch.held_since = None;
            }
        }
        if let Some(el) = &row {
            if in_view(el) {
                if here {
                    watch.held_since.get_or_insert(now);
                }
            } else {
                let top = el.get_bounding_client_rect().top();
                let y = window().scroll_y().unwrap_or(0.0) + top - sticky_bottom() - 8.0;
                super::dom::scroll_instantly_to(y.max(0.0));
                watch.held_since = None;
            }
        }
        let held = watch.held_since.is_some_and(|t| now - t >= HOLD_MS);
        if !held && watch.tries > 0 {
            watch.tries -= 1;
            focus_row_held(watch, bring_into_view);
        }
    });
}

/// Whether a post is in view as `bring_into_view` puts it: its top below the sticky search bar,
/// and the post, or its first half of a window, above the window's bottom.
fn in_view(el: &web_sys::Element) -> bool {
    let rect = el.get_bounding_client_rect();
    let height = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    rect.top() >= sticky_bottom() - 1.0
        && rect.bottom().min(rect.top() + height / 2.0) <= height + 1.0
}
