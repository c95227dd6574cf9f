//! The diagnostics panel: what could not be read, and why.

use super::dom::El;
use crate::format;
use crate::i18n::t_string;
use leptos::html;
use leptos::prelude::*;
use permafrost_protocol::{DiagnosticSummary, Message};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The panel, drawn once with [`El`] (static: no reactive views needed).
#[component]
pub fn Diagnostics(
    /// What the engine reported: the first diagnostics of each kind.
    diagnostics: Arc<Vec<DiagnosticSummary>>,
    /// How many of each kind were found in all (the engine keeps the first 100 of each).
    counts: BTreeMap<String, u64>,
) -> impl IntoView {
    let holder = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if let Some(holder) = holder.get() {
            holder.replace_children_with_node_1(&panel(&diagnostics, &counts).into_element());
        }
    });
    view! { <div node_ref=holder></div> }
}

/// The notes grouped by kind, in the order kinds first appear; nothing to report is said too.
fn panel(diagnostics: &[DiagnosticSummary], counts: &BTreeMap<String, u64>) -> El {
    let i18n = crate::lang::i18n();
    if diagnostics.is_empty() {
        return El::html("p")
            .class("all-read")
            .attr("data-testid", "diagnostics-none")
            .text(t_string!(i18n, diag.none));
    }
    let all = counts.values().sum::<u64>().max(diagnostics.len() as u64);
    let mut kinds: Vec<&str> = Vec::new();
    for d in diagnostics {
        if !kinds.contains(&d.kind.as_str()) {
            kinds.push(&d.kind);
        }
    }
    let groups = kinds.into_iter().map(|kind| {
        let items: Vec<&DiagnosticSummary> =
            diagnostics.iter().filter(|d| d.kind == kind).collect();
        let shown = items.len() as u64;
        let total = counts.get(kind).copied().unwrap_or(shown).max(shown);
        let mut list = El::html("ul").children(items.into_iter().map(|d| {
            El::html("li")
                .child(El::html("span").class("where").message(&place(d)))
                .text(": ")
                .message(&detail(d))
        }));
        if total > shown {
            list = list.child(El::html("li").class("more").text(&crate::tr!(
                i18n,
                diag.more,
                n = format::count(total - shown)
            )));
        }
        El::html("section")
            .class("diagnostic-group")
            .attr("data-kind", kind)
            .child(El::html("h3").text(&format!("{} ({})", kind_label(kind), format::count(total))))
            .child(list)
    });
    El::html("details")
        .class("diagnostics")
        .attr("data-testid", "diagnostics")
        .child(El::html("summary").text(&crate::tr!(
            i18n,
            diag.summary,
            notes = crate::plural!(i18n, n_notes, all)
        )))
        .children(groups)
}

/// Where a diagnostic is, as a message (a worker that sent only the English: that).
pub(crate) fn place(d: &DiagnosticSummary) -> Message {
    or_plain(&d.place, &d.location)
}

/// What is wrong, as a message (a worker that sent only the English: that).
pub(crate) fn detail(d: &DiagnosticSummary) -> Message {
    or_plain(&d.detail, &d.message)
}

fn or_plain(message: &Message, english: &str) -> Message {
    if message.code.is_empty() && message.text.is_empty() {
        Message::plain(english)
    } else {
        message.clone()
    }
}

fn kind_label(kind: &str) -> &'static str {
    let i18n = crate::lang::i18n();
    match kind {
        "bad_item" => t_string!(i18n, diag.bad_item),
        "unsupported_item" => t_string!(i18n, diag.unsupported_item),
        "truncated" => t_string!(i18n, diag.truncated),
        "missing_media" => t_string!(i18n, diag.missing_media),
        "bad_file" => t_string!(i18n, diag.bad_file),
        "bad_csv_row" => t_string!(i18n, diag.bad_csv_row),
        "unknown_file" => t_string!(i18n, diag.unknown_file),
        "duplicate" => t_string!(i18n, diag.duplicate),
        "bad_value" => t_string!(i18n, diag.bad_value),
        _ => t_string!(i18n, diag.notes),
    }
}
