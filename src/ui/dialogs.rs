//! The help dialogs: keyboard shortcuts and the query language.

use super::browse::{Browse, Dialog};
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
    Effect::new(move |_| {
        if let Some(el) = el.get() {
            let _ = el.focus();
        }
    });
    let (title, body) = match dialog {
        Dialog::Shortcuts => (
            "Keyboard shortcuts",
            view! {
                <dl class="shortcuts">
                    {SHORTCUTS.iter().map(|(k, what)| view! { <dt><kbd>{*k}</kbd></dt><dd>{*what}</dd> }).collect_view()}
                </dl>
            }
            .into_any(),
        ),
        Dialog::QueryHelp => (
            "Search syntax",
            help_panel(&browse.query_help.get_value()).into_any(),
        ),
        // Drawn by its own component (see `Dialogs`).
        Dialog::Export => ("Export", ().into_any()),
    };
    view! {
        <div class="overlay" on:click=move |ev| {
            if ev.target() == ev.current_target() {
                browse.close_overlay();
            }
        }>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" tabindex="-1" node_ref=el data-testid="dialog">
                <h2 id="dialog-title">{title}</h2>
                {body}
                <button type="button" class="button" on:click=move |_| { browse.close_overlay(); }>"Close"</button>
            </div>
        </div>
    }
}

/// The query language's help as sections of terms (in code) and what they do.
fn help_panel(help: &str) -> impl IntoView {
    let sections = crate::help::sections(help)
        .into_iter()
        .map(|section| {
            let items = section
                .items
                .into_iter()
                .map(|item| match item {
                    Item::Entry { term, text } => view! {
                        <div class="help-entry"><dt><code>{term}</code></dt><dd>{text}</dd></div>
                    }
                    .into_any(),
                    Item::Note(text) => {
                        view! { <div class="help-note"><dd>{text}</dd></div> }.into_any()
                    }
                })
                .collect_view();
            view! {
                <section class="help-section">
                    <h3>{section.title}</h3>
                    <dl>{items}</dl>
                </section>
            }
        })
        .collect_view();
    view! { <div class="query-help" data-testid="query-help-text">{sections}</div> }
}
