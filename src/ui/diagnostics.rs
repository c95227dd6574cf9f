//! The diagnostics panel: what could not be read, and why.

use leptos::prelude::*;
use permafrost_protocol::DiagnosticSummary;
use std::sync::Arc;

/// Diagnostics listed per kind; at most this many of each are shown.
const SHOWN_PER_KIND: usize = 100;

/// The panel (nothing when there is nothing to report).
#[component]
pub fn Diagnostics(
    /// What the engine reported.
    diagnostics: Arc<Vec<DiagnosticSummary>>,
) -> impl IntoView {
    if diagnostics.is_empty() {
        return view! {
            <p class="all-read" data-testid="diagnostics-none">"Everything in the archive could be read."</p>
        }
        .into_any();
    }
    // Group by kind, keeping the first appearance order of kinds.
    let mut kinds: Vec<&str> = Vec::new();
    for d in diagnostics.iter() {
        if !kinds.contains(&d.kind.as_str()) {
            kinds.push(&d.kind);
        }
    }
    let groups = kinds
        .into_iter()
        .map(|kind| {
            let items: Vec<&DiagnosticSummary> = diagnostics.iter().filter(|d| d.kind == kind).collect();
            let total = items.len();
            let rows = items
                .into_iter()
                .take(SHOWN_PER_KIND)
                .map(|d| view! { <li><code>{d.location.clone()}</code> ": " {d.message.clone()}</li> })
                .collect_view();
            let more = (total > SHOWN_PER_KIND).then(|| view! {
                <li class="more">{format!("… and {} more", crate::format::count((total - SHOWN_PER_KIND) as u64))}</li>
            });
            view! {
                <section class="diagnostic-group" data-kind=kind.to_string()>
                    <h3>{kind_label(kind)} " (" {crate::format::count(total as u64)} ")"</h3>
                    <ul>{rows}{more}</ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <details class="diagnostics" data-testid="diagnostics">
            <summary>
                {crate::format::plural(diagnostics.len() as u64, "note", "notes")}
                " on what could not be read or is worth knowing"
            </summary>
            {groups}
        </details>
    }
    .into_any()
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "bad_item" => "Posts that could not be read",
        "unsupported_item" => "Items that are not posts",
        "truncated" => "Files cut short",
        "missing_media" => "Media referenced but not in the archive",
        "bad_file" => "Files that could not be read",
        "bad_csv_row" => "CSV rows that could not be read",
        "unknown_file" => "Files ignored",
        "duplicate" => "Duplicates",
        _ => "Notes",
    }
}
