//! The archive's view drawn once, unseen, while the user picks a file, so that their archive's is
//! drawn by compiled code.
//!
//! The browser compiles each wasm function the first time it runs. Drawing an open archive's
//! view (the profile, the tabs, the search bar, the first posts) runs about 740 of the page's
//! functions for the first time: when 10,000 posts opened, the page took 56 ms from the
//! worker's answer to the count painted (median of 16 opens in Chromium), most of it compiling
//! (traced), against about 10 ms for a second archive in the same page. So once the worker's
//! rehearsal has opened and searched the sample archive ([`WorkerClient::rehearse`]), its
//! worker, still holding that archive, answers an [`Archive`](crate::ui::archive::Archive) view
//! of it drawn here: in a closed shadow root of an element that is hidden, inert and out of the
//! accessibility tree, with a state of its own ([`AppState::unseen`]: the URL is never written). Nothing in it can be seen, focused or found by `querySelector`, and
//! the page's own elements are not reachable from inside it by id. The view is dropped, with
//! its owner, its worker and its element, [`SHOWN_FOR_MS`] later, or at once when the user
//! opens an archive ([`end`]). With it, the page took 25 ms (median of 12).
//!
//! A moment after it is drawn, a query is typed into its search box ([`type_query`]), so that
//! the page's code for a query's answer (the count, the posts with their matches marked, the
//! facets) is compiled too. Without it, the user's first search after opening 10,000 posts took
//! 16 to 20 ms from the key to the count (medians of 8 opens, two rounds, Chromium 156), whatever
//! was typed, and the next ones about 5 ms: traced, the page compiled its functions as they first
//! ran. With it, 13 to 14 ms (most of what is left is the first key's new history entry).

use crate::app::AppState;
use crate::ui::archive::archive_view;
use crate::worker_client::WorkerClient;
use leptos::prelude::*;
use leptos::tachys::view::{Mountable, Render};
use permafrost_protocol::Opened;
use std::cell::RefCell;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// How long the unseen view lives: long enough for the worker's answers (the count, the first
/// posts and their facets: a few milliseconds each for the sample) to be drawn.
const SHOWN_FOR_MS: u64 = 1_500;

/// When the query is typed into the unseen view, after it is drawn: once the sample's count
/// and first posts are drawn (a few milliseconds), leaving the answer to the query the rest of
/// [`SHOWN_FOR_MS`].
const TYPED_AFTER_MS: u64 = 400;

/// What is typed: a word of 11 of the sample archive's posts, so that its answer draws posts
/// with their matches marked, and its facets.
const TYPED: &str = "coffee";

/// The unseen view, while it is drawn.
struct Unseen {
    owner: Owner,
    view: Box<dyn Mountable>,
    host: web_sys::Element,
    /// The element inside the closed shadow root that the view is drawn in.
    parent: web_sys::Element,
    client: WorkerClient,
}

thread_local! {
    static UNSEEN: RefCell<Option<Unseen>> = const { RefCell::new(None) };
}

/// Draws the view of the archive `client`'s worker holds (opened as `opened`) unseen, under a
/// child of `owner` (the app's, whose contexts, such as the language, it reads). When the page
/// cannot make the hidden element, or one is drawn already, only ends `client`'s worker.
pub fn draw(owner: &Owner, client: WorkerClient, opened: Arc<Opened>) {
    if UNSEEN.with(|u| u.borrow().is_some()) {
        return client.restart();
    }
    let Some(root) = unseen_root() else {
        return client.restart();
    };
    let (host, parent) = root;
    let owner = owner.child();
    let view = owner.with(|| {
        provide_context(AppState::unseen(client.clone()));
        provide_context(client.clone());
        let mut view = archive_view(opened).build();
        view.mount(&parent, None);
        view
    });
    UNSEEN.with(|u| {
        *u.borrow_mut() = Some(Unseen {
            owner,
            view: Box::new(view),
            host,
            parent,
            client,
        })
    });
    set_timeout(type_query, std::time::Duration::from_millis(TYPED_AFTER_MS));
    set_timeout(end, std::time::Duration::from_millis(SHOWN_FOR_MS));
}

/// Types [`TYPED`] into the unseen view's search box (found by its id, as the page's `/` finds
/// the page's), as a key does: its `input` event, which runs the box's own handler (the state is
/// the unseen view's: nothing reaches the URL).
fn type_query() {
    let search = UNSEEN.with(|u| {
        u.borrow()
            .as_ref()
            .and_then(|unseen| unseen.parent.query_selector("#search").ok())
            .flatten()
    });
    let Some(search) = search else { return };
    let search: web_sys::HtmlInputElement = search.unchecked_into();
    search.set_value(TYPED);
    if let Ok(input) = web_sys::Event::new("input") {
        let _ = search.dispatch_event(&input);
    }
}

/// Drops the unseen view, if one is drawn: its reactive owner, its elements and its worker.
pub fn end() {
    let Some(mut unseen) = UNSEEN.with(|u| u.borrow_mut().take()) else {
        return;
    };
    unseen.view.unmount();
    unseen.owner.cleanup();
    unseen.host.remove();
    unseen.client.restart();
}

/// A hidden, inert element at the end of the body (`.unseen` in the style sheet: the size of
/// the window, so that the timeline draws its first posts, and invisible), and the element
/// inside its closed shadow root that the view goes into.
fn unseen_root() -> Option<(web_sys::Element, web_sys::Element)> {
    let document = document();
    let host = document.create_element("div").ok()?;
    host.set_class_name("unseen");
    host.set_attribute("aria-hidden", "true").ok()?;
    host.set_attribute("inert", "").ok()?;
    let init = web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Closed);
    let shadow = host.attach_shadow(&init).ok()?;
    // Styled as the page, so that it is laid out as the user's will be: the browser's caches of
    // styles and shaped text then serve that one too (the page's part of opening 10,000 posts
    // went from 33 to 25 ms with them, medians of 12 alternated opens).
    if let Some(sheet) = page_style(&document) {
        shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    }
    let parent = document.create_element("div").ok()?;
    shadow.append_child(&parent).ok()?;
    document.body()?.append_child(&host).ok()?;
    Some((host, parent.unchecked_into()))
}

/// A copy of the page's style sheets, for the shadow root (which the page's do not reach). Made
/// from their rules, as the page has them: no file is asked for again.
fn page_style(document: &web_sys::Document) -> Option<web_sys::CssStyleSheet> {
    let mut css = String::new();
    let sheets = document.style_sheets();
    for i in 0..sheets.length() {
        let Some(sheet) = sheets.item(i) else {
            continue;
        };
        let Ok(rules) = sheet.unchecked_into::<web_sys::CssStyleSheet>().css_rules() else {
            continue;
        };
        for j in 0..rules.length() {
            if let Some(rule) = rules.item(j) {
                css.push_str(&rule.css_text());
                css.push('\n');
            }
        }
    }
    let sheet = web_sys::CssStyleSheet::new().ok()?;
    sheet.replace_sync(&css).ok()?;
    Some(sheet)
}
