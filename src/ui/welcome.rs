//! The first screen: drop or pick an archive (and its CSV exports), or try the sample.

use crate::app::AppState;
use crate::files;
use crate::i18n::t_string;
use leptos::prelude::*;
use leptos::task::spawn_local;
use permafrost_protocol::Message;
use web_sys::HtmlInputElement;

/// The welcome screen; `error` is the last failure, shown above the drop zone.
#[component]
pub fn Welcome(
    /// Why the last try failed, if it did.
    error: Option<Message>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let i18n = crate::lang::i18n();
    let dragging = RwSignal::new(false);
    let local_error = RwSignal::new(None::<Message>);

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
                Err(e) => local_error.set(Some(e.into())),
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
            <h1 id="welcome-title">{t_string!(i18n, welcome.title)}</h1>
            <p class="privacy" data-testid="privacy">
                <strong>{t_string!(i18n, welcome.privacy_strong)}</strong>
                {t_string!(i18n, welcome.privacy)}
            </p>
            {move || error().map(|e| view! {
                <div class="error" role="alert" data-testid="error">
                    <p>{crate::lang::message_view(&e)}</p>
                    {state.can_retry().then(|| view! {
                        <button type="button" class="button" data-testid="retry" on:click=move |_| state.retry()>
                            {t_string!(i18n, welcome.retry)}
                        </button>
                    })}
                </div>
            })}
            {move || state.closed.with(|c| c.as_ref().map(crate::app::Closed::names)).map(|names| {
                // The archive by its name (not a CSV export given with it), and how many more.
                let main = names
                    .iter()
                    .find(|n| !n.to_ascii_lowercase().ends_with(".csv"))
                    .unwrap_or(&names[0]);
                let what = match names.len() - 1 {
                    0 => main.clone(),
                    more => format!("{main} (+{})", crate::plural!(i18n, n_files, more as u64)),
                };
                view! {
                    <p class="reopen">
                        <button type="button" class="button" data-testid="reopen" on:click=move |_| state.reopen()>
                            {crate::tr!(i18n, welcome.reopen, what = what)}
                        </button>
                    </p>
                }
            })}
            <div
                class="dropzone"
                class:dragging=move || dragging.get()
                data-testid="dropzone"
                on:dragenter=move |ev| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <p class="dropzone-title">{t_string!(i18n, welcome.drop)}</p>
                <p class="hint">
                    {t_string!(i18n, welcome.hint)}
                </p>
                <div class="pickers">
                    <label class="button primary">
                        {t_string!(i18n, welcome.choose_files)}
                        <input
                            type="file"
                            multiple
                            class="visually-hidden"
                            data-testid="file-input"
                            on:change=on_pick
                        />
                    </label>
                    <label class="button">
                        {t_string!(i18n, welcome.choose_folder)}
                        <input
                            type="file"
                            node_ref=folder_input
                            class="visually-hidden"
                            data-testid="folder-input"
                            on:change=on_pick
                        />
                    </label>
                    <button type="button" class="button" data-testid="sample" on:click=on_sample>
                        {t_string!(i18n, welcome.sample)}
                    </button>
                </div>
            </div>
            <super::kept::KeptArchives/>
            <p class="hint" data-testid="kept-never">{t_string!(i18n, kept.never)}</p>
            <details class="help">
                <summary>{t_string!(i18n, welcome.how)}</summary>
                <ol>
                    <li>{t_string!(i18n, welcome.step1)}</li>
                    <li>{t_string!(i18n, welcome.step2)}</li>
                    <li>{t_string!(i18n, welcome.step3)}</li>
                    <li>{t_string!(i18n, welcome.step4)}</li>
                </ol>
            </details>
        </section>
    }
}
