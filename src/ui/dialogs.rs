//! The help dialogs: keyboard shortcuts and the query language.

use super::browse::{Browse, Dialog};
use super::dom::El;
use super::export::ExportDialog;
use crate::help::Item;
use crate::i18n::t_string;
use leptos::html;
use leptos::prelude::*;

/// The keyboard shortcuts, in the interface's language.
fn shortcuts() -> [(&'static str, &'static str); 7] {
    let i18n = crate::lang::i18n();
    [
        ("/", t_string!(i18n, dialog.k_search)),
        ("j / k", t_string!(i18n, dialog.k_next)),
        (
            t_string!(i18n, dialog.k_open_keys),
            t_string!(i18n, dialog.k_open),
        ),
        ("← / →", t_string!(i18n, dialog.k_media)),
        (
            t_string!(i18n, dialog.k_ends_keys),
            t_string!(i18n, dialog.k_ends),
        ),
        ("?", t_string!(i18n, dialog.k_help)),
        (
            t_string!(i18n, dialog.k_escape_keys),
            t_string!(i18n, dialog.k_escape),
        ),
    ]
}

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
            // The query language's help in the interface's language (the catalogue's English
            // is the worker's text, `permafrost help-query`'s: tests/catalogue.rs checks it).
            let drawn = body_of(dialog, t_string!(crate::lang::i18n(), help.text));
            body.replace_children_with_node_1(&drawn.into_element());
        }
        if let Some(el) = el.get() {
            let _ = el.focus();
        }
    });
    let i18n = crate::lang::i18n();
    let title = match dialog {
        Dialog::Shortcuts => t_string!(i18n, dialog.shortcuts),
        Dialog::QueryHelp => t_string!(i18n, search.syntax),
        Dialog::Export => t_string!(i18n, search.export),
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
                // Kept in view at the foot of a long help on a phone, which has no Escape key.
                <div class="dialog-footer">
                    <button type="button" class="button" on:click=move |_| { browse.close_overlay(); }>{t_string!(i18n, dialog.close)}</button>
                </div>
            </div>
        </div>
    }
}

/// A help dialog's text, drawn with [`El`] (static text: less bundle code than a view).
fn body_of(dialog: Dialog, help: &str) -> El {
    match dialog {
        Dialog::Shortcuts => {
            El::html("dl")
                .class("shortcuts")
                .children(shortcuts().into_iter().flat_map(|(k, what)| {
                    [
                        El::html("dt").child(El::html("kbd").text(k)),
                        El::html("dd").text(what),
                    ]
                }))
        }
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
