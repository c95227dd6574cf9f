//! The first screen: drop or pick an archive (and its CSV exports), or try the sample.

use crate::app::AppState;
use crate::files;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::HtmlInputElement;

/// The welcome screen; `error` is the last failure, shown above the drop zone.
#[component]
pub fn Welcome(
    /// Why the last try failed, if it did.
    error: Option<String>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let dragging = RwSignal::new(false);
    let local_error = RwSignal::new(None::<String>);

    let on_pick = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let given = files::from_file_list(input.files());
        // Clear the input so that choosing the same file again fires `change` again.
        input.set_value("");
        state.open(given);
    };
    // The drop itself is the page's (see `App`): a drop anywhere opens what was dropped.
    let on_drop = move |_| dragging.set(false);
    let on_sample = move |_| {
        spawn_local(async move {
            match files::sample().await {
                Ok(given) => state.open(given),
                Err(e) => local_error.set(Some(e)),
            }
        });
    };
    let error = move || local_error.get().or_else(|| error.clone());
    // `webkitdirectory` is not an attribute the view macro knows; set the property once mounted.
    let folder_input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = folder_input.get() {
            input.set_webkitdirectory(true);
        }
    });

    view! {
        <section class="welcome" aria-labelledby="welcome-title">
            <h1 id="welcome-title">"Read and search your Mastodon archive"</h1>
            <p class="privacy" data-testid="privacy">
                <strong>"Nothing leaves your device:"</strong>
                " your archive is opened and searched right here in your browser, and never uploaded."
            </p>
            {move || error().map(|e| view! {
                <div class="error" role="alert" data-testid="error">
                    <p>{e}</p>
                    {state.can_retry().then(|| view! {
                        <button type="button" class="button" data-testid="retry" on:click=move |_| state.retry()>
                            "Open it again"
                        </button>
                    })}
                </div>
            })}
            <div
                class="dropzone"
                class:dragging=move || dragging.get()
                data-testid="dropzone"
                on:dragenter=move |ev| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <p class="dropzone-title">"Drop your archive here"</p>
                <p class="hint">
                    "The .zip (or .tar.gz) from Preferences › Import and export › Request your archive, "
                    "with any CSV exports from the same page, all at once."
                </p>
                <div class="pickers">
                    <label class="button primary">
                        "Choose files…"
                        <input
                            type="file"
                            multiple
                            class="visually-hidden"
                            data-testid="file-input"
                            on:change=on_pick
                        />
                    </label>
                    <label class="button">
                        "Choose an extracted folder…"
                        <input
                            type="file"
                            node_ref=folder_input
                            class="visually-hidden"
                            data-testid="folder-input"
                            on:change=on_pick
                        />
                    </label>
                    <button type="button" class="button" data-testid="sample" on:click=on_sample>
                        "Try a sample archive"
                    </button>
                </div>
            </div>
            <details class="help">
                <summary>"How do I get my archive?"</summary>
                <ol>
                    <li>"On your Mastodon server, open Preferences › Import and export › Export."</li>
                    <li>"Press “Request your archive”. The server emails you when it is ready (it can take a while)."</li>
                    <li>"Download the archive, and the CSV files on the same page if you like (follows, lists, blocks, mutes, bookmarks)."</li>
                    <li>"Drop them all here together. Archives of any size work: only the parts you look at are read."</li>
                </ol>
            </details>
        </section>
    }
}
