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
                holder
                    .replace_children_with_node_1(&draw(&opened, current, &waiting).into_element());
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
                state.navigate(route, true);
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
        for (i, a) in opened.accounts.iter().enumerate() {
            let label = a
                .actor
                .as_ref()
                .map(|x| x.display_name.clone())
                .filter(|n| !n.is_empty())
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
