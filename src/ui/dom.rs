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

/// A CSS length in whole pixels (integer formatting: float formatting costs the page's bundle
/// about 8 KB gzip).
pub fn px(value: f64) -> String {
    format!("{}px", value.max(0.0).round() as i64)
}
