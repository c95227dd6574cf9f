//! A small builder of DOM elements, for views drawn once from data and replaced whole when the
//! data changes: the Statistics charts, thousands of static elements. Typed Leptos views cost the
//! page's bundle code for every element type and nesting (the charts as views took 37 KB gzip);
//! this costs a few calls. Text goes in as text, attributes through `setAttribute`, sizes
//! through the CSSOM (the policy forbids `style` attributes): nothing is ever parsed as markup.
//! The builder's methods are never inlined: one copy each, however many call sites.

use wasm_bindgen::JsCast;

const SVG: &str = "http://www.w3.org/2000/svg";

/// An element being built.
pub struct El(web_sys::Element);

fn document() -> web_sys::Document {
    leptos::prelude::document()
}

impl El {
    /// An HTML element.
    #[inline(never)]
    pub fn html(tag: &str) -> El {
        // Fails only for an invalid tag name, and every tag here is a constant.
        El(document().create_element(tag).expect("a valid tag name"))
    }

    /// An SVG element.
    #[inline(never)]
    pub fn svg(tag: &str) -> El {
        El(document()
            .create_element_ns(Some(SVG), tag)
            .expect("a valid tag name"))
    }

    /// Sets an attribute.
    #[inline(never)]
    pub fn attr(self, name: &str, value: &str) -> El {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// Sets the `class` attribute.
    #[inline(never)]
    pub fn class(self, value: &str) -> El {
        self.attr("class", value)
    }

    /// A control that narrows the query to `term`'s posts when activated (see the Statistics
    /// tab's one click handler), named for screen readers.
    #[inline(never)]
    pub fn control(self, term: &str, name: &str) -> El {
        self.attr("data-term", term).attr("aria-label", name)
    }

    /// Sets a CSS property through the CSSOM.
    #[inline(never)]
    pub fn style(self, property: &str, value: &str) -> El {
        if let Some(el) = self.0.dyn_ref::<web_sys::HtmlElement>() {
            let _ = el.style().set_property(property, value);
        }
        self
    }

    /// Appends text.
    #[inline(never)]
    pub fn text(self, text: &str) -> El {
        let _ = self.0.append_with_str_1(text);
        self
    }

    /// Appends a child.
    #[inline(never)]
    pub fn child(self, child: El) -> El {
        let _ = self.0.append_child(&child.0);
        self
    }

    /// Appends a message from the worker in the current language
    /// ([`crate::lang::message_parts`]): the catalogue's words as text, each argument (a file
    /// name, a query term) as text in a `<bdi>`.
    pub fn message(self, message: &permafrost_model::Message) -> El {
        self.parts(crate::lang::message_parts(message))
    }

    /// Appends a filled template's parts ([`crate::lang::filled_parts`],
    /// [`crate::lang::message_parts`]): its words as text, each argument as text in a `<bdi>`,
    /// so that a right-to-left argument keeps the words around it in their order.
    pub fn parts(mut self, parts: Vec<(bool, String)>) -> El {
        for (arg, text) in parts {
            self = if arg {
                self.child(El::html("bdi").text(&text))
            } else {
                self.text(&text)
            };
        }
        self
    }

    /// Appends children.
    pub fn children(self, children: impl IntoIterator<Item = El>) -> El {
        for child in children {
            let _ = self.0.append_child(&child.0);
        }
        self
    }

    /// A link off the page, as `rich_text::external_link` draws it: a new tab, no referrer,
    /// the text isolated (`<bdi>`), and the host the click opens beside it when the text could
    /// say otherwise.
    #[inline(never)]
    pub fn external(href: &permafrost_model::Href, text: &str) -> El {
        let a = El::html("a")
            .class("external")
            .attr("href", &href.url)
            .attr("title", &href.url)
            .attr("target", "_blank")
            .attr("rel", "noopener noreferrer nofollow")
            .child(El::html("bdi").text(text));
        match href.label_for(text) {
            Some(host) => a.child(
                El::html("span")
                    .class("domain")
                    .text(" (")
                    .child(El::html("bdi").text(host))
                    .text(")"),
            ),
            None => a,
        }
    }

    /// The element, still being built.
    pub fn element(&self) -> &web_sys::Element {
        &self.0
    }

    /// The element.
    pub fn into_element(self) -> web_sys::Element {
        self.0
    }
}

/// The value of attribute `name` on `el` or on its nearest ancestor that has it: which control
/// of a tab's content a click was in (`data-term`, `data-more`…).
pub fn closest_attr(el: &web_sys::Element, name: &str) -> Option<String> {
    el.closest(&format!("[{name}]"))
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute(name))
}

/// The element an event happened on (`None` for a text node or the window): where the tabs'
/// single click handlers start looking for a control.
pub fn target_element(target: Option<web_sys::EventTarget>) -> Option<web_sys::Element> {
    target.and_then(|t| t.dyn_into::<web_sys::Element>().ok())
}

/// Gives `el` the keyboard focus without scrolling the page to it (the callers place it
/// themselves); nothing for an element that cannot take it.
pub fn focus_in_place(el: &web_sys::Element) {
    if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = el.focus_with_options(&options);
    }
}

/// Whether the keyboard's focus is lost to the page: on `<body>` (where the browser puts it when
/// the focused element is drawn away), or on an element no longer in it.
pub fn focus_lost() -> bool {
    document()
        .active_element()
        .is_none_or(|a| a.tag_name() == "BODY" || !a.is_connected())
}

/// Gives the focus to `el` (without scrolling) when it was lost to the page: the control that had
/// it was drawn away (Keep became "Kept", an archive opened in place of the welcome screen).
/// Without this, the next Tab starts again from the top of the page.
pub fn refocus_if_lost(el: &web_sys::Element) {
    if focus_lost() {
        focus_in_place(el);
    }
}

/// Replaces `holder`'s children with `node`, keeping the keyboard where it was: when a control
/// inside had the focus, its twin in the new children (the one with the same value of the first
/// of `keys` it has: a switcher's `data-account`, a chip's `data-filter`) takes it. Without
/// this, a list drawn anew after Enter on one of its controls drops the focus to `<body>`.
pub fn replace_keeping_focus(holder: &web_sys::Element, node: &web_sys::Node, keys: &[&str]) {
    let had = document()
        .active_element()
        .filter(|a| holder.contains(Some(a)))
        .and_then(|a| {
            keys.iter()
                .find_map(|&k| a.get_attribute(k).map(|v| (k, v)))
        });
    holder.replace_children_with_node_1(node);
    let Some((key, value)) = had else { return };
    let Ok(all) = holder.query_selector_all(&format!("[{key}]")) else {
        return;
    };
    let twin = (0..all.length())
        .filter_map(|i| all.item(i)?.dyn_into::<web_sys::Element>().ok())
        .find(|el| el.get_attribute(key).as_deref() == Some(value.as_str()));
    if let Some(twin) = twin {
        focus_in_place(&twin);
    }
}

/// Scrolls a dialog so that the control just focused in it (`target`, from a `focusin`) is not
/// under its sticky footer (the export's plan and buttons): the browser's own scroll on focus
/// takes the footer for part of the view.
pub fn show_above_footer(target: Option<web_sys::EventTarget>) {
    let Some(el) = target_element(target) else {
        return;
    };
    let Some(dialog) = el.closest(".dialog").ok().flatten() else {
        return;
    };
    let Some(footer) = dialog
        .query_selector(".export-footer, .dialog-footer")
        .ok()
        .flatten()
    else {
        return;
    };
    if footer.contains(Some(&el)) {
        return;
    }
    let under = el.get_bounding_client_rect().bottom() - footer.get_bounding_client_rect().top();
    if under > 0.0 {
        dialog.set_scroll_top(dialog.scroll_top() + under.ceil() as i32 + 8);
    }
}

/// Scrolls the page to `y` at once, whatever the page's `scroll-behavior` (smooth, unless the
/// user asks for reduced motion).
pub fn scroll_instantly_to(y: f64) {
    let options = web_sys::ScrollToOptions::new();
    options.set_top(y);
    options.set_behavior(web_sys::ScrollBehavior::Instant);
    leptos::prelude::window().scroll_to_with_scroll_to_options(&options);
}

/// What can take the keyboard's focus by Tab inside a dialog.
const TAB_STOPS: &str =
    "a[href], area[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), \
    select:not([disabled]), textarea:not([disabled]), summary, audio[controls], video[controls], \
    [tabindex]:not([tabindex='-1'])";

/// Keeps Tab and Shift+Tab inside the open modal dialog (the last `[aria-modal=true]` drawn on
/// the page: the lightbox, the export dialog…), going round from its last control to its first
/// and back, as a modal dialog must: the page behind it is covered, and a focus there is lost
/// to the user, with Escape no longer closing the dialog. Installed once, on the window.
pub fn keep_tab_in_modal(ev: &web_sys::KeyboardEvent) {
    if ev.key() != "Tab" || ev.default_prevented() || ev.ctrl_key() || ev.alt_key() || ev.meta_key()
    {
        return;
    }
    let Ok(modals) = document().query_selector_all("[aria-modal=true]") else {
        return;
    };
    let Some(modal) = (0..modals.length())
        .rev()
        .filter_map(|i| modals.item(i)?.dyn_into::<web_sys::Element>().ok())
        .find(drawn)
    else {
        return;
    };
    let Ok(list) = modal.query_selector_all(TAB_STOPS) else {
        return;
    };
    let stops: Vec<web_sys::Element> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok())
        .filter(drawn)
        .collect();
    let active = document().active_element();
    let inside = active.as_ref().is_some_and(|a| modal.contains(Some(a)));
    let (Some(first), Some(last)) = (stops.first(), stops.last()) else {
        // Nothing to go to: the focus stays on the dialog.
        ev.prevent_default();
        return;
    };
    let at = |stop: &web_sys::Element| active.as_ref().is_some_and(|a| same_stop(a, stop));
    let to = if !inside {
        Some(if ev.shift_key() { last } else { first })
    } else if ev.shift_key() && (at(first) || active.as_ref() == Some(&modal)) {
        Some(last)
    } else if !ev.shift_key() && at(last) {
        Some(first)
    } else {
        None
    };
    if let Some(to) = to {
        ev.prevent_default();
        if let Some(to) = to.dyn_ref::<web_sys::HtmlElement>() {
            let _ = to.focus();
        }
    }
}

/// True when an element takes room on the page (not `hidden`, nor inside something hidden).
fn drawn(el: &web_sys::Element) -> bool {
    let rect = el.get_bounding_client_rect();
    rect.width() > 0.0 || rect.height() > 0.0
}

/// True when `a` and `b` are one Tab stop: the same element, or radio buttons of one group
/// (Tab enters a group once, at its checked button).
fn same_stop(a: &web_sys::Element, b: &web_sys::Element) -> bool {
    if a == b {
        return true;
    }
    let radio = |e: &web_sys::Element| {
        e.dyn_ref::<web_sys::HtmlInputElement>()
            .filter(|i| i.type_() == "radio" && !i.name().is_empty())
            .map(|i| i.name())
    };
    radio(a).is_some_and(|name| radio(b).as_ref() == Some(&name))
}

/// A CSS length in whole pixels (integer formatting: float formatting costs the page's bundle
/// about 8 KB gzip).
pub fn px(value: f64) -> String {
    format!("{}px", value.max(0.0).round() as i64)
}
