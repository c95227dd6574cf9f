//! "Keep on this device": the welcome screen's list of kept archives (open one without a file
//! dialog, forget one or everything, the storage used), and the open archive's choice to keep
//! it, which is off until the user clicks it. The storage itself is the worker's
//! (crates/worker/src/kept.rs); the page only asks the browser to make it persistent, which
//! only a window may ask.
//!
//! Both are drawn with [`El`] and redrawn whole when their state changes, with one click handler
//! each reading the control's `data-action` (and `data-key`): typed views of the same cost the
//! page's bundle several KB.

use super::dom::{closest_attr, target_element, El};
use crate::app::AppState;
use crate::format::{self, DateStyle};
use crate::i18n::t_string;
use crate::worker_client::WorkerClient;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use permafrost_protocol::{KeptList, Message, Opened, RequestBody, ResponseBody};
use std::sync::Arc;
use wasm_bindgen_futures::JsFuture;

/// Asks the worker about what is kept: `done` gets the list, or the error is set.
fn ask(
    client: &WorkerClient,
    body: RequestBody,
    error: RwSignal<Option<Message>>,
    done: impl FnOnce(KeptList) + 'static,
) {
    let reply = client.request(body);
    spawn_local(async move {
        match reply.await.map(|r| r.body) {
            Some(ResponseBody::Kept(kept)) => {
                let _ = error.try_set(None);
                done(*kept);
            }
            Some(ResponseBody::Error { message }) => {
                let _ = error.try_set(Some(message));
            }
            _ => {}
        }
    });
}

fn button(action: &str, label: &str, primary: bool) -> El {
    El::html("button")
        .attr("type", "button")
        .class(if primary {
            "button primary small"
        } else {
            "button small"
        })
        .attr("data-action", action)
        .text(label)
}

fn error_line(error: &Message, testid: &str) -> El {
    El::html("p")
        .class("error")
        .attr("role", "alert")
        .attr("data-testid", testid)
        .message(error)
}

/// The welcome screen's kept archives; nothing at all when none is kept.
#[component]
pub fn KeptArchives() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<WorkerClient>();
    let list = RwSignal::new(None::<KeptList>);
    let error = RwSignal::new(None::<Message>);
    let holder = NodeRef::<html::Div>::new();
    // Clicked (Forget): the list drawn next takes the focus if the button took it away.
    let acted = StoredValue::new(false);
    ask(&client, RequestBody::ListKept, error, move |l| {
        let _ = list.try_set(Some(l));
    });
    Effect::new(move |_| {
        let drawn = list.with(|l| draw_list(l.as_ref(), error.get().as_ref(), &state));
        if let Some(holder) = holder.get() {
            holder.replace_children_with_node_1(&drawn.into_element());
            if acted.get_value() {
                super::dom::refocus_if_lost(&holder);
            }
        }
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = target_element(ev.target()) else {
            return;
        };
        acted.set_value(true);
        let key = closest_attr(&el, "data-key");
        let set = move |l| {
            let _ = list.try_set(Some(l));
        };
        match closest_attr(&el, "data-action").as_deref() {
            Some("open") => {
                let Some(key) = key else { return };
                let names = list.with_untracked(|l| {
                    l.iter()
                        .flat_map(|l| &l.archives)
                        .find(|a| a.key == key)
                        .map(|a| a.names.clone())
                        .unwrap_or_default()
                });
                state.open_kept(key, names);
            }
            Some("forget") => {
                // Deleting can't be undone: asked first, as for everything.
                let name = list.with_untracked(|l| {
                    l.iter()
                        .flat_map(|l| &l.archives)
                        .find(|a| Some(&a.key) == key.as_ref())
                        .and_then(|a| a.names.first().cloned())
                        .unwrap_or_default()
                });
                let sure = window()
                    .confirm_with_message(&crate::tr!(
                        crate::lang::i18n(),
                        kept.forget_confirm,
                        name = name
                    ))
                    .unwrap_or(false);
                if sure {
                    ask(&client, RequestBody::Forget { key }, error, set);
                }
            }
            Some("forget-all") => {
                let sure = window()
                    .confirm_with_message(t_string!(crate::lang::i18n(), kept.forget_all_confirm))
                    .unwrap_or(false);
                if sure {
                    ask(&client, RequestBody::Forget { key: None }, error, set);
                }
            }
            _ => {}
        }
    };
    view! { <div class="kept-holder" tabindex="-1" node_ref=holder on:click=on_click></div> }
}

/// The list of kept archives (nothing when there is none), and the last error.
fn draw_list(list: Option<&KeptList>, error: Option<&Message>, state: &AppState) -> El {
    let i18n = crate::lang::i18n();
    let mut root = El::html("div");
    if let Some(error) = error {
        root = root.child(error_line(error, "kept-error"));
    }
    let Some(list) = list.filter(|l| !l.archives.is_empty()) else {
        return root;
    };
    let zone = state.time_zone.get_untracked();
    let mut rows = El::html("ul").class("kept-list");
    for a in &list.archives {
        let title = a.names.first().unwrap_or(&a.key);
        let detail = if a.damaged {
            t_string!(i18n, kept.damaged).to_string()
        } else {
            let mut parts: Vec<String> = Vec::new();
            if a.names.len() > 1 {
                let more = (a.names.len() - 1) as u64;
                parts.push(format!("+{}", crate::plural!(i18n, n_files, more)));
            }
            if !a.accounts.is_empty() {
                let who: Vec<String> = a.accounts.iter().map(|h| format!("@{h}")).collect();
                parts.push(who.join(", "));
            }
            parts.push(format::posts(a.posts));
            // What it takes here (the files and their saved state), not the download's size.
            parts.push(crate::tr!(
                i18n,
                kept.size_here,
                size = format::size(a.bytes)
            ));
            let date = format::date(a.kept_at, &zone, DateStyle::DateTime);
            parts.push(crate::tr!(i18n, kept.kept_on, date = date));
            parts.join(" · ")
        };
        let mut buttons = El::html("span").class("pickers");
        if !a.damaged {
            buttons = buttons.child(
                button("open", t_string!(i18n, kept.open), true).attr("data-testid", "kept-open"),
            );
        }
        buttons = buttons.child(
            button("forget", t_string!(i18n, kept.forget), false)
                .attr("data-testid", "kept-forget"),
        );
        rows = rows.child(
            El::html("li")
                .attr("data-testid", "kept-archive")
                .attr("data-key", &a.key)
                .child(El::html("bdi").class("kept-name").text(title))
                .child(El::html("span").class("hint").text(&detail))
                .child(buttons),
        );
    }
    let mut footer = El::html("p").class("hint");
    if let Some(used) = list.usage {
        footer = footer.child(
            El::html("span")
                .attr("data-testid", "kept-usage")
                .text(&crate::tr!(i18n, kept.usage, used = format::size(used))),
        );
        footer = footer.text(" ");
    }
    footer = footer.child(
        El::html("button")
            .attr("type", "button")
            .class("link-button")
            .attr("data-action", "forget-all")
            .attr("data-testid", "kept-forget-all")
            .text(t_string!(i18n, kept.forget_all)),
    );
    root.child(
        El::html("section")
            .class("kept")
            .attr("aria-labelledby", "kept-title")
            .attr("data-testid", "kept")
            .child(
                El::html("h2")
                    .attr("id", "kept-title")
                    .text(t_string!(i18n, kept.title)),
            )
            .child(rows)
            .child(footer),
    )
}

/// What the open archive's keeping is.
#[derive(Clone, Copy, PartialEq)]
enum Keeping {
    /// Not kept (the default: nothing is stored unless asked).
    No,
    /// Being written.
    Busy,
    /// Kept; whether the browser agreed to keep its storage (`None`: not known).
    Kept(Option<bool>),
}

/// Asks the browser not to clear this site's storage on its own (`persist`, which only a window
/// may ask), or whether it agreed to (`persisted`).
async fn persistence(ask: bool) -> Option<bool> {
    let storage = window().navigator().storage();
    let promise = if ask {
        storage.persist()
    } else {
        storage.persisted()
    };
    JsFuture::from(promise.ok()?).await.ok()?.as_bool()
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
    // Whether it is kept is the app's to know: this control is drawn again with the view (in
    // another language), and must not forget a keep done since the archive opened.
    let key = expect_context::<AppState>().kept_key;
    let keeping = RwSignal::new(if key.get_untracked().is_some() {
        Keeping::Kept(None)
    } else {
        Keeping::No
    });
    let error = RwSignal::new(None::<Message>);
    let rebuilt = opened.kept.clone().and_then(|k| k.rebuilt);
    let holder = NodeRef::<html::Div>::new();
    // Clicked (Keep, Forget): what is drawn next takes the focus if the button took it away.
    let acted = StoredValue::new(false);
    if key.get_untracked().is_some() {
        spawn_local(async move {
            let _ = keeping.try_set(Keeping::Kept(persistence(false).await));
        });
    }
    Effect::new(move |_| {
        let drawn = draw_keep(keeping.get(), rebuilt.as_ref(), error.get().as_ref());
        if let Some(holder) = holder.get() {
            holder.replace_children_with_node_1(&drawn.into_element());
            if acted.get_value() {
                super::dom::refocus_if_lost(&holder);
            }
        }
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = target_element(ev.target()) else {
            return;
        };
        acted.set_value(true);
        match closest_attr(&el, "data-action").as_deref() {
            Some("keep") => {
                keeping.set(Keeping::Busy);
                error.set(None);
                ask(&client, RequestBody::Keep, error, move |list| {
                    let _ = key.try_set(list.open);
                    spawn_local(async move {
                        let granted = persistence(true).await.unwrap_or(false);
                        let _ = keeping.try_set(Keeping::Kept(Some(granted)));
                    });
                });
            }
            Some("forget") => {
                ask(
                    &client,
                    RequestBody::Forget {
                        key: key.get_untracked(),
                    },
                    error,
                    move |_| {
                        let _ = key.try_set(None);
                        let _ = keeping.try_set(Keeping::No);
                    },
                );
            }
            _ => {}
        }
    };
    // No longer kept (what was added could not be kept with it): the button comes back.
    Effect::new(move |_| {
        if key.with(Option::is_none) && matches!(keeping.get_untracked(), Keeping::Kept(_)) {
            keeping.set(Keeping::No);
        }
    });
    // A failed keep is said, and the button comes back.
    Effect::new(move |_| {
        if error.with(Option::is_some) && keeping.get_untracked() == Keeping::Busy {
            keeping.set(Keeping::No);
        }
    });
    view! { <div class="keep" data-testid="keep-control" tabindex="-1" node_ref=holder on:click=on_click></div> }
}

/// The keep control's contents.
fn draw_keep(keeping: Keeping, rebuilt: Option<&Message>, error: Option<&Message>) -> El {
    let i18n = crate::lang::i18n();
    let mut root = El::html("div");
    if let Some(why) = rebuilt {
        root = root.child(
            El::html("p")
                .class("notice")
                .attr("role", "status")
                .attr("data-testid", "kept-rebuilt")
                .text(t_string!(i18n, kept.rebuilt))
                .text(" ")
                .message(why),
        );
    }
    let line = El::html("p").class("pickers");
    let line = match keeping {
        Keeping::No => line
            .child(
                button("keep", t_string!(i18n, kept.keep), false)
                    .attr("data-testid", "keep")
                    .attr("aria-describedby", "keep-hint"),
            )
            .child(
                El::html("span")
                    .class("hint")
                    .attr("id", "keep-hint")
                    .text(t_string!(i18n, kept.keep_hint)),
            ),
        Keeping::Busy => line.child(
            El::html("span")
                .class("hint")
                .attr("role", "status")
                .attr("data-testid", "keeping")
                .text(t_string!(i18n, kept.keeping)),
        ),
        Keeping::Kept(granted) => {
            let mut said = El::html("span")
                .attr("role", "status")
                .attr("data-testid", "kept-state")
                .text(t_string!(i18n, kept.is_kept));
            if let Some(granted) = granted {
                said = said.text(" ").text(if granted {
                    t_string!(i18n, kept.persisted)
                } else {
                    t_string!(i18n, kept.not_persisted)
                });
            }
            line.child(said).child(
                button("forget", t_string!(i18n, kept.forget), false)
                    .attr("data-testid", "keep-forget"),
            )
        }
    };
    root = root.child(line);
    if let Some(error) = error {
        root = root.child(error_line(error, "keep-error"));
    }
    root
}
