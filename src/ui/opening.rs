//! The progress screen while the worker opens an archive, with the newest posts read so far.

use super::rich_text::rich_text;
use crate::app::AppState;
use crate::format;
use leptos::prelude::*;
use permafrost_protocol::Stage;
use std::sync::Arc;

/// Progress, with the stage, counts, and a cancel button; below, the newest posts read so far.
#[component]
pub fn Opening(
    /// The names of the files being opened.
    names: Vec<String>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let what = match names.as_slice() {
        [one] => one.clone(),
        many => format::plural(many.len() as u64, "file", "files"),
    };
    let fraction = move || {
        state.progress.get().and_then(|p| match (p.stage, p.total) {
            (Stage::Parsing, Some(total)) if total > 0 => Some(p.done as f64 / total as f64),
            (Stage::Finishing | Stage::Indexing, _) => Some(1.0),
            _ => None,
        })
    };
    let label = move || match state.progress.get() {
        None => "Starting…".to_string(),
        Some(p) => match p.stage {
            Stage::Parsing => format!(
                "{}: {} so far ({} of {})",
                p.stage.label(),
                format::posts(p.posts),
                format::bytes(p.done),
                p.total.map(format::bytes).unwrap_or_else(|| "?".into())
            ),
            Stage::Indexing => format!("{} of {}", p.stage.label(), format::posts(p.posts)),
            _ => format!("{}…", p.stage.label()),
        },
    };
    // The newest posts read so far (see [`crate::preview`]), hidden until the first arrive.
    let none = Arc::new(Vec::new());
    let preview = move || state.preview.with(|text| rich_text(text, &none));
    view! {
        <section class="opening" aria-labelledby="opening-title" data-testid="opening">
            <h1 id="opening-title">"Opening " {what}</h1>
            <progress
                max="1"
                aria-labelledby="opening-status"
                prop:value=move || fraction().unwrap_or(0.0)
                attr:data-indeterminate=move || fraction().is_none().then_some("true")
            ></progress>
            <p id="opening-status" role="status" data-testid="progress">{label}</p>
            <button type="button" class="button" data-testid="cancel" on:click=move |_| state.cancel()>
                "Cancel"
            </button>
        </section>
        <section
            class="preview"
            aria-labelledby="preview-title"
            data-testid="preview"
            hidden=move || state.preview.with(|text| text.blocks.is_empty())
        >
            <h2 id="preview-title">"First posts, while the rest is read…"</h2>
            {preview}
        </section>
    }
}
