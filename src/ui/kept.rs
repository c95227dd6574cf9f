//! "Keep on this device": the welcome screen's list of kept archives (open one without a file
//! dialog, forget one or everything, the storage used), and the open archive's choice to keep
//! it, which is off until the user clicks it. The storage itself is the worker's
//! (crates/worker/src/kept.rs); the page only asks the browser to make it persistent, which
//! only a window may ask.

use crate::app::AppState;
use crate::format::{self, DateStyle};
use crate::i18n::t_string;
use crate::worker_client::WorkerClient;
use leptos::prelude::*;
use leptos::task::spawn_local;
use permafrost_protocol::{KeptArchive, KeptList, Message, Opened, RequestBody, ResponseBody};
use std::sync::Arc;

/// Asks the worker about what is kept and puts the answer (or its error) in the signals.
fn ask(
    client: &WorkerClient,
    body: RequestBody,
    list: RwSignal<Option<KeptList>>,
    error: RwSignal<Option<Message>>,
) {
    let reply = client.request(body);
    spawn_local(async move {
        match reply.await.map(|r| r.body) {
            Some(ResponseBody::Kept(kept)) => {
                let _ = list.try_set(Some(*kept));
                let _ = error.try_set(None);
            }
            Some(ResponseBody::Error { message }) => {
                let _ = error.try_set(Some(message));
            }
            _ => {}
        }
    });
}

/// The welcome screen's kept archives; nothing at all when none is kept.
#[component]
pub fn KeptArchives() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<WorkerClient>();
    let i18n = crate::lang::i18n();
    let list = RwSignal::new(None::<KeptList>);
    let error = RwSignal::new(None::<Message>);
    ask(&client, RequestBody::ListKept, list, error);
    let forget = {
        let client = client.clone();
        move |key: Option<String>| ask(&client, RequestBody::Forget { key }, list, error)
    };
    let forget_all = {
        let forget = forget.clone();
        move |_| {
            let sure = window()
                .confirm_with_message(&t_string!(i18n, kept.forget_all_confirm))
                .unwrap_or(false);
            if sure {
                forget(None);
            }
        }
    };
    let row = move |a: KeptArchive| {
        let KeptArchive {
            key,
            names,
            accounts,
            posts,
            bytes,
            kept_at,
            damaged,
        } = a;
        let forget = forget.clone();
        let forget_key = key.clone();
        let title = names.first().cloned().unwrap_or_else(|| key.clone());
        let more = names.len().saturating_sub(1);
        let detail = if damaged {
            t_string!(i18n, kept.damaged).to_string()
        } else {
            let who: Vec<String> = accounts.iter().map(|a| format!("@{a}")).collect();
            let mut parts = vec![format::posts(posts), format::size(bytes)];
            if more > 0 {
                parts.insert(
                    0,
                    format!("+{}", crate::plural!(i18n, n_files, more as u64)),
                );
            }
            if !who.is_empty() {
                parts.insert(0, who.join(", "));
            }
            parts.push(crate::tr!(
                i18n,
                kept.kept_on,
                date = format::date(
                    kept_at,
                    &state.time_zone.get_untracked(),
                    DateStyle::DateTime
                )
            ));
            parts.join(" · ")
        };
        let open = (!damaged).then(|| {
            let (key, names) = (key.clone(), names.clone());
            view! {
                <button type="button" class="button primary small" data-testid="kept-open"
                    on:click=move |_| state.open_kept(key.clone(), names.clone())>
                    {t_string!(i18n, kept.open)}
                </button>
            }
        });
        view! {
            <li data-testid="kept-archive" data-key=key.clone()>
                <span class="kept-name"><bdi>{title}</bdi></span>
                <span class="hint">{detail}</span>
                <span class="pickers">
                    {open}
                    <button type="button" class="button small" data-testid="kept-forget"
                        on:click=move |_| forget(Some(forget_key.clone()))>
                        {t_string!(i18n, kept.forget)}
                    </button>
                </span>
            </li>
        }
    };
    view! {
        {move || error.get().map(|e| view! {
            <p class="error" role="alert">{crate::lang::message_view(&e)}</p>
        })}
        {move || list.get().filter(|l| !l.archives.is_empty()).map(|l| {
            let usage = l.usage.map(|used| crate::tr!(i18n, kept.usage, used = format::size(used)));
            view! {
                <section class="kept" aria-labelledby="kept-title" data-testid="kept">
                    <h2 id="kept-title">{t_string!(i18n, kept.title)}</h2>
                    <ul class="kept-list">{l.archives.into_iter().map(row.clone()).collect_view()}</ul>
                    <p class="hint">
                        <span data-testid="kept-usage">{usage}</span>" "
                        <button type="button" class="link-button" data-testid="kept-forget-all"
                            on:click=forget_all.clone()>
                            {t_string!(i18n, kept.forget_all)}
                        </button>
                    </p>
                </section>
            }
        })}
    }
}

/// What the open archive's keeping is.
#[derive(Clone, PartialEq)]
enum Keeping {
    /// Not kept (the default: nothing is stored unless asked).
    No,
    /// Being written.
    Busy,
    /// Kept; whether the browser agreed to keep its storage (`None`: not asked yet).
    Kept(Option<bool>),
}

/// Asks the browser not to clear this site's storage on its own (a window-only API), and says
/// whether it agreed.
async fn persist() -> Option<bool> {
    let storage = window().navigator().storage();
    let promise = storage.persist().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .as_bool()
}

/// The open archive's "Keep on this device" (and, once kept, "Forget"), with what the browser
/// promised and, for an archive opened from this device whose snapshot could not be used, why
/// it was read again.
#[component]
pub fn KeepControl(
    /// The open archive.
    opened: Arc<Opened>,
) -> impl IntoView {
    let client = expect_context::<WorkerClient>();
    let i18n = crate::lang::i18n();
    let keeping = RwSignal::new(if opened.kept.is_some() {
        Keeping::Kept(None)
    } else {
        Keeping::No
    });
    let key = RwSignal::new(opened.kept.as_ref().map(|k| k.key.clone()));
    let error = RwSignal::new(None::<Message>);
    let rebuilt = opened.kept.as_ref().and_then(|k| k.rebuilt.clone());
    let keep = {
        let client = client.clone();
        move |_| {
            keeping.set(Keeping::Busy);
            error.set(None);
            let reply = client.request(RequestBody::Keep);
            spawn_local(async move {
                match reply.await.map(|r| r.body) {
                    Some(ResponseBody::Kept(list)) => {
                        let _ = key.try_set(list.open.clone());
                        let granted = persist().await;
                        let _ = keeping.try_set(Keeping::Kept(Some(granted.unwrap_or(false))));
                    }
                    Some(ResponseBody::Error { message }) => {
                        let _ = error.try_set(Some(message));
                        let _ = keeping.try_set(Keeping::No);
                    }
                    _ => {
                        let _ = keeping.try_set(Keeping::No);
                    }
                }
            });
        }
    };
    if opened.kept.is_some() {
        spawn_local(async move {
            let storage = window().navigator().storage();
            let Ok(promise) = storage.persisted() else {
                return;
            };
            if let Ok(granted) = wasm_bindgen_futures::JsFuture::from(promise).await {
                let _ = keeping.try_set(Keeping::Kept(granted.as_bool()));
            }
        });
    }
    let forget = move |_| {
        let reply = client.request(RequestBody::Forget {
            key: key.get_untracked(),
        });
        spawn_local(async move {
            match reply.await.map(|r| r.body) {
                Some(ResponseBody::Kept(_)) => {
                    let _ = keeping.try_set(Keeping::No);
                    let _ = key.try_set(None);
                }
                Some(ResponseBody::Error { message }) => {
                    let _ = error.try_set(Some(message));
                }
                _ => {}
            }
        });
    };
    let state = move || {
        match keeping.get() {
        Keeping::No => view! {
            <button type="button" class="button small" data-testid="keep" on:click=keep.clone()
                aria-describedby="keep-hint">
                {t_string!(i18n, kept.keep)}
            </button>
            <span id="keep-hint" class="hint">{t_string!(i18n, kept.keep_hint)}</span>
        }
        .into_any(),
        Keeping::Busy => view! {
            <span class="hint" role="status" data-testid="keeping">{t_string!(i18n, kept.keeping)}</span>
        }
        .into_any(),
        Keeping::Kept(granted) => view! {
            <span role="status" data-testid="kept-state">
                {t_string!(i18n, kept.is_kept)}" "
                {granted.map(|g| if g {
                    t_string!(i18n, kept.persisted)
                } else {
                    t_string!(i18n, kept.not_persisted)
                })}
            </span>
            <button type="button" class="button small" data-testid="keep-forget" on:click=forget.clone()>
                {t_string!(i18n, kept.forget)}
            </button>
        }
        .into_any(),
    }
    };
    view! {
        <div class="keep" data-testid="keep-control">
            {rebuilt.map(|m| view! {
                <p class="notice" role="status" data-testid="kept-rebuilt">
                    {t_string!(i18n, kept.rebuilt)}" "{crate::lang::message_view(&m)}
                </p>
            })}
            <p class="pickers">{state}</p>
            {move || error.get().map(|e| view! {
                <p class="error" role="alert" data-testid="keep-error">{crate::lang::message_view(&e)}</p>
            })}
        </div>
    }
}
