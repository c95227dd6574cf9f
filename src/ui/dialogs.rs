//! The help dialogs: keyboard shortcuts and the query language.

use super::browse::{Browse, Dialog};
use super::dom::El;
use super::export::ExportDialog;
use crate::help::Item;
use leptos::html;
use leptos::prelude::*;

const SHORTCUTS: &[(&str, &str)] = &[
    ("/", "Search"),
    ("j / k", "Next / previous post"),
    (
        "o or Enter",
        "Open the post: its media, or its content warning",
    ),
    ("← / →", "Previous / next media in the viewer"),
    ("?", "These shortcuts"),
    ("Escape", "Close the viewer or a dialog"),
];

/// The open dialog, if any.
#[component]
pub fn Dialogs() -> impl IntoView {
    let browse = expect_context::<Browse>();
    move || {
        browse.dialog.get().map(|d| match d {
            Dialog::Export => view! { <ExportDialog/> }.into_any(),
            d => view! { <DialogView dialog=d/> }.into_any(),
        })
    }
}

#[component]
fn DialogView(dialog: Dialog) -> impl IntoView {
    let browse = expect_context::<Browse>();
    let el = NodeRef::<html::Div>::new();
    let body = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if let Some(body) = body.get() {
            let drawn = body_of(dialog, &browse.query_help.get_value());
            body.replace_children_with_node_1(&drawn.into_element());
        }
        if let Some(el) = el.get() {
            let _ = el.focus();
        }
    });
    let title = match dialog {
        Dialog::Shortcuts => "Keyboard shortcuts",
        Dialog::QueryHelp => "Search syntax",
        Dialog::Export => "Export",
    };
    view! {
        <div class="overlay" on:click=move |ev| {
            if ev.target() == ev.current_target() {
                browse.close_overlay();
            }
        }>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" tabindex="-1" node_ref=el data-testid="dialog">
                <h2 id="dialog-title">{title}</h2>
                <div node_ref=body></div>
                <button type="button" class="button" on:click=move |_| { browse.close_overlay(); }>"Close"</button>
            </div>
        </div>
    }
}

/// A help dialog's text, drawn with [`El`] (static text: less bundle code than a view).
fn body_of(dialog: Dialog, help: &str) -> El {
    match dialog {
        Dialog::Shortcuts => El::html("dl")
            .class("shortcuts")
            .children(SHORTCUTS.iter().flat_map(|(k, what)| {
                [
                    El::html("dt").child(El::html("kbd").text(k)),
                    El::html("dd").text(what),
                ]
            })),
        Dialog::QueryHelp => help_panel(help),
        // Drawn by its own component (see `Dialogs`).
        Dialog::Export => El::html("div"),
    }
}

/// The query language's help as sections of terms (in code) and what they do.
fn help_panel(help: &str) -> El {
    let sections = crate::help::sections(help).into_iter().map(|section| {
        let items = section.items.into_iter().map(|item| match item {
            Item::Entry { term, text } => El::html("div")
                .class("help-entry")
                .child(El::html("dt").child(El::html("code").text(&term)))
                .child(El::html("dd").text(&text)),
            Item::Note(text) => El::html("div")
                .class("help-note")
                .child(El::html("dd").text(&text)),
        });
        El::html("section")
            .class("help-section")
            .child(El::html("h3").text(&section.title))
            .child(El::html("dl").children(items))
    });
    El::html("div")
        .class("query-help")
        .attr("data-testid", "query-help-text")
        .children(sections)
}
