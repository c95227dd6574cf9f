//! The banner: the name, and the theme setting.

use crate::app::{AppState, Phase, Theme};
use leptos::prelude::*;

/// The page banner.
#[component]
pub fn Header() -> impl IntoView {
    let state = expect_context::<AppState>();
    let is_open = move || matches!(state.phase.get(), Phase::Ready(_));
    view! {
        <header class="site-header">
            <p class="brand">
                <span class="brand-mark" aria-hidden="true">"❄"</span>
                " Permafrost"
            </p>
            <div class="header-tools">
                <Show when=is_open>
                    <button type="button" class="button quiet" data-testid="close" on:click=move |_| state.close()>
                        "Open another archive"
                    </button>
                </Show>
                <label class="theme-picker">
                    <span>"Theme"</span>
                    <select
                        data-testid="theme"
                        on:change=move |ev| state.theme.set(Theme::parse(&event_target_value(&ev)))
                        prop:value=move || state.theme.get().as_str()
                    >
                        <option value="system">"System"</option>
                        <option value="light">"Light"</option>
                        <option value="dark">"Dark"</option>
                    </select>
                </label>
            </div>
        </header>
    }
}
