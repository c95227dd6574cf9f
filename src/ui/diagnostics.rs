//! The diagnostics panel: what could not be read, and why.

use leptos::prelude::*;
use permafrost_protocol::DiagnosticSummary;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The panel (nothing when there is nothing to report).
#[component]
pub fn Diagnostics(
    /// What the engine reported: the first diagnostics of each kind.
    diagnostics: Arc<Vec<DiagnosticSummary>>,
    /// How many of each kind were found in all (the engine keeps the first 100 of each).
    counts: BTreeMap<String, u64>,
) -> impl IntoView {
    if diagnostics.is_empty() {
        return view! {
            <p class="all-read" data-testid="diagnostics-none">"Everything in the archive could be read."</p>
        }
        .into_any();
    }
    let all = counts.values().sum::<u64>().max(diagnostics.len() as u64);
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
            let shown = items.len() as u64;
            let total = counts.get(kind).copied().unwrap_or(shown).max(shown);
            let rows = items
                .into_iter()
                .map(|d| view! { <li><code>{d.location.clone()}</code> ": " {d.message.clone()}</li> })
                .collect_view();
            let more = (total > shown).then(|| view! {
                <li class="more">{format!("… and {} more like these", crate::format::count(total - shown))}</li>
            });
            view! {
                <section class="diagnostic-group" data-kind=kind.to_string()>
                    <h3>{kind_label(kind)} " (" {crate::format::count(total)} ")"</h3>
                    <ul>{rows}{more}</ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <details class="diagnostics" data-testid="diagnostics">
            <summary>
                {crate::format::plural(all, "note", "notes")}
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
        "bad_value" => "Values that cannot be right",
        _ => "Notes",
    }
}
