//! Several archives open together: the switcher in the profile area (every account, or one),
//! "Add another archive", and the question whose a CSV export is when nothing in it says.
//! Drawn with [`El`] and redrawn whole when the query or the waiting files change, with one
//! click handler reading the control's `data-account` (and `data-file`): typed views of the
//! same cost the page's bundle several KB.

use super::dom::{closest_attr, target_element, El};
use crate::app::AppState;
use crate::i18n::t_string;
use crate::query;
use leptos::html;
use leptos::prelude::*;
use permafrost_protocol::Opened;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

/// The account the route's query keeps to: an index in `Opened::accounts`.
pub fn selected(opened: &Opened, query_text: &str) -> Option<usize> {
    let value = query::account_of(query_text)?;
    let names: Vec<&str> = opened.accounts.iter().map(|a| a.name.as_str()).collect();
    query::account_index(&names, &value)
}

/// The switcher (with several accounts), the questions about CSV exports, and "Add another
/// archive".
#[component]
pub fn Accounts(
    /// The open archive.
    opened: Arc<Opened>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let i18n = crate::lang::i18n();
    let holder = NodeRef::<html::Nav>::new();
    let waiting = {
        let first = opened.unattributed.clone();
        Memo::new(move |_| {
            state
                .added
                .with(|a| a.as_ref().map(|a| a.unattributed.clone()))
                .unwrap_or_else(|| first.clone())
        })
    };
    Effect::new({
        let opened = opened.clone();
        move |_| {
            let current = state.route.with(|r| selected(&opened, &r.query));
            let waiting = waiting.get();
            if let Some(holder) = holder.get() {
                super::dom::replace_keeping_focus(
                    &holder,
                    &draw(&opened, current, &waiting).into_element(),
                    &["data-account"],
                );
            }
        }
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = target_element(ev.target()) else {
            return;
        };
        let Some(account) = closest_attr(&el, "data-account") else {
            return;
        };
        match closest_attr(&el, "data-file") {
            Some(file) => {
                if let Ok(i) = account.parse() {
                    state.attribute(file, i);
                }
            }
            None => {
                let mut route = state.route.get_untracked();
                let name = (!account.is_empty()).then_some(account.as_str());
                route.query = query::with_account(&route.query, name);
                // The profile shown above the switcher comes and goes with the choice: the
                // switcher stays where it was on the screen, under the finger that chose.
                let top = |el: &web_sys::Element| el.get_bounding_client_rect().top();
                let before = holder.get_untracked().map(|h| top(&h));
                state.navigate(route, true);
                request_animation_frame(move || {
                    if let (Some(h), Some(before)) = (holder.get_untracked(), before) {
                        let moved = top(&h) - before;
                        if moved.abs() >= 1.0 {
                            super::dom::scroll_instantly_to(
                                window().scroll_y().unwrap_or(0.0) + moved,
                            );
                        }
                    }
                });
            }
        }
    };
    // The only input here is "Add another archive"'s.
    let on_pick = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let given = crate::files::from_file_list(input.files());
        input.set_value("");
        state.add_archive(given);
    };
    view! {
        <nav class="accounts" aria-label=t_string!(i18n, accounts.label) data-testid="accounts"
            node_ref=holder on:click=on_click on:change=on_pick></nav>
    }
}

/// The switcher's buttons (none for one account) and a question per waiting CSV export.
fn draw(opened: &Opened, current: Option<usize>, waiting: &[String]) -> El {
    let i18n = crate::lang::i18n();
    let mut root = El::html("div").class("accounts-list");
    let button = |account: &str, pressed: bool, label: &str, posts: u64, testid: &str| {
        El::html("button")
            .attr("type", "button")
            .class("account-switch")
            .attr("data-testid", testid)
            .attr("data-account", account)
            .attr("aria-pressed", if pressed { "true" } else { "false" })
            .text(label)
            .text(" ")
            .child(El::html("small").text(&crate::format::posts(posts)))
    };
    if opened.accounts.len() > 1 {
        root = root.child(button(
            "",
            current.is_none(),
            t_string!(i18n, accounts.all),
            opened.summary.posts as u64,
            "account-all",
        ));
        let display = |a: &permafrost_protocol::AccountView| {
            a.actor
                .as_ref()
                .map(|x| x.display_name.clone())
                .filter(|n| !n.is_empty())
        };
        let names: Vec<Option<String>> = opened.accounts.iter().map(display).collect();
        for (i, (a, name)) in opened.accounts.iter().zip(&names).enumerate() {
            // The display name, unless another account open has it too (two archives of one
            // person on two servers): then the address, which tells them apart.
            let label = name
                .clone()
                .filter(|n| names.iter().filter(|m| m.as_ref() == Some(n)).count() == 1)
                .unwrap_or_else(|| format!("@{}", a.name));
            root = root.child(
                button(
                    &a.name,
                    current == Some(i),
                    &label,
                    u64::from(a.posts),
                    "account-switch",
                )
                .attr("title", &format!("@{}", a.name)),
            );
        }
    }
    for file in waiting {
        let mut answers = El::html("p").class("pickers");
        for (i, a) in opened.accounts.iter().enumerate() {
            answers = answers.child(
                El::html("button")
                    .attr("type", "button")
                    .class("button small")
                    .attr("data-testid", "attribute-to")
                    .attr("data-account", &i.to_string())
                    .text(&format!("@{}", a.name)),
            );
        }
        root = root.child(
            El::html("div")
                .class("notice")
                .attr("role", "group")
                .attr("data-testid", "attribute")
                .attr("data-file", file)
                .child(El::html("p").text(&crate::tr!(i18n, accounts.whose, file = file)))
                .child(answers),
        );
    }
    root.child(
        El::html("label")
            .class("button small account-add")
            .text(t_string!(i18n, accounts.add))
            .child(
                El::html("input")
                    .attr("type", "file")
                    .attr("multiple", "")
                    .class("visually-hidden")
                    .attr("data-testid", "add-archive-input"),
            ),
    )
}

/// The question asked when archives are dropped on an open one: add them beside what is open,
/// or open them instead. Escape, a click outside, or Cancel leaves everything as it was. Drawn
/// with [`El`], one click handler reading the control's `data-choice`.
#[component]
pub fn DropChoice() -> impl IntoView {
    let state = expect_context::<AppState>();
    let holder = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        let what = state.dropped.with(|d| {
            d.as_ref().map(|files| match files.as_slice() {
                [one] => one.name.clone(),
                many => crate::plural!(crate::lang::i18n(), n_files, many.len() as u64),
            })
        });
        let Some(holder) = holder.get() else {
            return;
        };
        let Some(what) = what else {
            holder.replace_children_with_node_0();
            return;
        };
        holder.replace_children_with_node_1(&drop_dialog(&what).into_element());
        if let Ok(Some(first)) = holder.query_selector("button") {
            if let Ok(first) = first.dyn_into::<web_sys::HtmlElement>() {
                let _ = first.focus();
            }
        }
    });
    let choose = move |add: Option<bool>| {
        let Some(files) = state.dropped.try_update(Option::take).flatten() else {
            return;
        };
        match add {
            Some(true) => state.add_archive(files),
            Some(false) => state.open(files),
            None => {
                // Back where the page was: the question's buttons are gone.
                if let Some(main) = document().get_element_by_id("main") {
                    if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
                        let _ = main.focus();
                    }
                }
            }
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = target_element(ev.target()) else {
            return;
        };
        match closest_attr(&el, "data-choice").as_deref() {
            Some("add") => choose(Some(true)),
            Some("open") => choose(Some(false)),
            Some("cancel") => choose(None),
            _ => {}
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        // The page's own shortcuts wait until the question is answered.
        ev.stop_propagation();
        match ev.key().as_str() {
            "Escape" => choose(None),
            // Tab stays among the choices while the question is open (it is modal).
            "Tab" => {
                let Some(holder) = holder.get_untracked() else {
                    return;
                };
                let Ok(buttons) = holder.query_selector_all("button") else {
                    return;
                };
                let (Some(first), Some(last)) = (
                    buttons.get(0),
                    buttons.get(buttons.length().saturating_sub(1)),
                ) else {
                    return;
                };
                let active = document().active_element().map(web_sys::Node::from);
                let (from, to) = if ev.shift_key() {
                    (first, last)
                } else {
                    (last, first)
                };
                if active.as_ref() == Some(&from) {
                    ev.prevent_default();
                    if let Ok(to) = to.dyn_into::<web_sys::HtmlElement>() {
                        let _ = to.focus();
                    }
                }
            }
            _ => {}
        }
    };
    view! { <div node_ref=holder on:click=on_click on:keydown=on_key></div> }
}

/// The dropped archives' question: a modal dialog over the page.
fn drop_dialog(what: &str) -> El {
    let i18n = crate::lang::i18n();
    let button = |choice: &str, class: &str, label: &str| {
        El::html("button")
            .attr("type", "button")
            .class(class)
            .attr("data-choice", choice)
            .attr("data-testid", &format!("drop-{choice}"))
            .text(label)
    };
    El::html("div")
        .class("overlay")
        .attr("data-choice", "cancel")
        .child(
            El::html("div")
                .class("dialog")
                .attr("role", "dialog")
                .attr("aria-modal", "true")
                .attr("aria-labelledby", "drop-title")
                .attr("data-choice", "")
                .attr("data-testid", "drop-choice")
                .child(El::html("h2").attr("id", "drop-title").text(&crate::tr!(
                    i18n,
                    accounts.drop_question,
                    what = what
                )))
                .child(
                    El::html("p")
                        .class("pickers")
                        .child(button(
                            "add",
                            "button primary",
                            t_string!(i18n, accounts.drop_add),
                        ))
                        .child(button(
                            "open",
                            "button",
                            t_string!(i18n, accounts.drop_open),
                        ))
                        .child(button("cancel", "button", t_string!(i18n, opening.cancel))),
                ),
        )
}

/// With several accounts open, whose People or Likes & bookmarks are shown: the account the
/// switcher keeps to, or all of them together.
pub fn whose(state: AppState) -> Option<El> {
    let i18n = crate::lang::i18n();
    let text = state.phase.with_untracked(|p| match p {
        crate::app::Phase::Ready(opened) if opened.accounts.len() > 1 => Some(
            match state.route.with_untracked(|r| selected(opened, &r.query)) {
                Some(i) => {
                    let name = opened.accounts.get(i).map_or("", |a| a.name.as_str());
                    crate::tr!(i18n, accounts.whose_one, account = format!("@{name}"))
                }
                None => t_string!(i18n, accounts.whose_all).to_string(),
            },
        ),
        _ => None,
    })?;
    Some(
        El::html("p")
            .class("hint")
            .attr("data-testid", "whose")
            .text(&text),
    )
}

/// [`selected_now`], followed: it changes as the route does.
pub fn chosen(state: AppState) -> Memo<Option<u32>> {
    Memo::new(move |_| {
        state.route.track();
        selected_now(state)
    })
}

/// The account the switcher keeps to, for a request: an index in `Opened::accounts`.
pub fn selected_now(state: AppState) -> Option<u32> {
    state.phase.with_untracked(|p| match p {
        crate::app::Phase::Ready(opened) => state
            .route
            .with_untracked(|r| selected(opened, &r.query))
            .map(|i| i as u32),
        _ => None,
    })
}
