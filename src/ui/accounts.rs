//! Several archives open together: the switcher in the profile area (every account, or one),
//! "Add another archive", and the question whose a CSV export is when nothing in it says.

use crate::app::AppState;
use crate::i18n::t_string;
use crate::query;
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

/// The switcher (with several accounts) and "Add another archive".
#[component]
pub fn Accounts(
    /// The open archive.
    opened: Arc<Opened>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let i18n = crate::lang::i18n();
    let on_pick = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let given = crate::files::from_file_list(input.files());
        input.set_value("");
        state.add_archive(given);
    };
    let current = {
        let opened = opened.clone();
        Memo::new(move |_| state.route.with(|r| selected(&opened, &r.query)))
    };
    let switch_to = move |name: Option<String>| {
        let mut route = state.route.get_untracked();
        route.query = query::with_account(&route.query, name.as_deref());
        state.navigate(route, true);
    };
    let buttons = (opened.accounts.len() > 1).then(|| {
        let all = view! {
            <button type="button" class="account-switch" data-testid="account-all"
                aria-pressed=move || current.get().is_none().to_string()
                on:click=move |_| switch_to(None)>
                {t_string!(i18n, accounts.all)}
                " "
                <small>{crate::format::posts(opened.summary.posts as u64)}</small>
            </button>
        };
        let each = opened
            .accounts
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let name = a.name.clone();
                let shown = a
                    .actor
                    .as_ref()
                    .map(|x| x.display_name.clone())
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| format!("@{}", a.name));
                view! {
                    <button type="button" class="account-switch" data-testid="account-switch"
                        data-account=name.clone() title=format!("@{name}")
                        aria-pressed=move || (current.get() == Some(i)).to_string()
                        on:click=move |_| switch_to(Some(name.clone()))>
                        {shown}
                        " "
                        <small>{crate::format::posts(u64::from(a.posts))}</small>
                    </button>
                }
            })
            .collect_view();
        view! { {all}{each} }
    });
    view! {
        <nav class="accounts" aria-label=t_string!(i18n, accounts.label) data-testid="accounts">
            {buttons}
            <label class="button small account-add">
                {t_string!(i18n, accounts.add)}
                <input type="file" multiple class="visually-hidden" data-testid="add-archive-input"
                    on:change=on_pick/>
            </label>
        </nav>
        <Attribute opened=opened/>
    }
}

/// CSV exports waiting to be told whose they are: one question each, an answer per account.
#[component]
fn Attribute(opened: Arc<Opened>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let i18n = crate::lang::i18n();
    let waiting = {
        let first = opened.unattributed.clone();
        Memo::new(move |_| {
            state
                .added
                .with(|a| a.as_ref().map(|a| a.unattributed.clone()))
                .unwrap_or_else(|| first.clone())
        })
    };
    move || {
        waiting
            .get()
            .into_iter()
            .map(|file| {
                let answers = opened
                    .accounts
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        let file = file.clone();
                        view! {
                            <button type="button" class="button small" data-testid="attribute-to"
                                on:click=move |_| state.attribute(file.clone(), i as u32)>
                                {format!("@{}", a.name)}
                            </button>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="notice" role="group" data-testid="attribute">
                        <p>{crate::tr!(i18n, accounts.whose, file = file)}</p>
                        <p class="pickers">{answers}</p>
                    </div>
                }
            })
            .collect_view()
    }
}
