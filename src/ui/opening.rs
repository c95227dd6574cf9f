//! The progress screen while the worker opens an archive, with the newest posts read so far.

use super::rich_text::rich_text;
use crate::app::AppState;
use crate::format;
use crate::i18n::t_string;
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
    let i18n = crate::lang::i18n();
    let what = match names.as_slice() {
        [one] => one.clone(),
        many => crate::plural!(i18n, n_files, many.len() as u64),
    };
    let title = crate::tr!(i18n, opening.title, what = what);
    // Escape cancels, as the button does, wherever the focus is.
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && !ev.default_prevented() {
            state.cancel();
        }
    });
    on_cleanup(move || escape.remove());
    // One bar per open, not going back while an archive is read (a tar.gz is listed, then its
    // outbox.json read).
    let bar = StoredValue::new(crate::progress::Bar::default());
    let fraction = move || {
        let progress = state.progress.get()?;
        bar.try_update_value(|bar| bar.fraction(&progress))
            .flatten()
    };
    let label = move || match state.progress.get() {
        None => t_string!(i18n, opening.starting).to_string(),
        Some(p) => {
            let stage = stage_label(p.stage);
            match p.stage {
                Stage::Parsing => crate::tr!(
                    i18n,
                    opening.parsing,
                    stage = stage,
                    posts = format::posts(p.posts),
                    done = format::size(p.done),
                    total = p.total.map(format::size).unwrap_or_else(|| "?".into())
                ),
                // A tar.gz listed up to its outbox.json (its media come first).
                Stage::Reading if p.total.is_some() => crate::tr!(
                    i18n,
                    opening.reading,
                    stage = stage,
                    done = format::size(p.done),
                    total = p.total.map(format::size).unwrap_or_default()
                ),
                Stage::Indexing => {
                    crate::tr!(
                        i18n,
                        opening.indexing,
                        stage = stage,
                        posts = format::posts(p.posts)
                    )
                }
                _ => crate::tr!(i18n, opening.stage_going, stage = stage),
            }
        }
    };
    // The newest posts read so far (see [`crate::preview`]), hidden until the first arrive.
    let none = Arc::new(Vec::new());
    let preview = move || state.preview.with(|text| rich_text(text, &none));
    view! {
        <section class="opening" aria-labelledby="opening-title" data-testid="opening">
            <h1 id="opening-title">{title}</h1>
            <progress
                max="1"
                aria-labelledby="opening-status"
                prop:value=move || fraction().unwrap_or(0.0)
                attr:data-indeterminate=move || fraction().is_none().then_some("true")
            ></progress>
            <p id="opening-status" role="status" data-testid="progress">{label}</p>
            <button type="button" class="button" data-testid="cancel" on:click=move |_| state.cancel()>
                {t_string!(i18n, opening.cancel)}
            </button>
        </section>
        <section
            class="preview"
            aria-labelledby="preview-title"
            data-testid="preview"
            hidden=move || state.preview.with(|text| text.blocks.is_empty())
        >
            <h2 id="preview-title">{t_string!(i18n, opening.first_posts)}</h2>
            {preview}
        </section>
    }
}

/// A stage of opening, for people.
fn stage_label(stage: Stage) -> &'static str {
    let i18n = crate::lang::i18n();
    match stage {
        Stage::Reading => t_string!(i18n, stage.reading),
        Stage::Parsing => t_string!(i18n, stage.parsing),
        Stage::Finishing => t_string!(i18n, stage.finishing),
        Stage::Indexing => t_string!(i18n, stage.indexing),
    }
}
