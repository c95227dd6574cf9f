//! The banner: the name, and the theme setting.

use crate::app::{AppState, Phase, Theme};
use crate::i18n::t_string;
use crate::lang::{self, LANGUAGES};
use leptos::prelude::*;
use leptos_i18n::Locale as _;

/// The page banner.
#[component]
pub fn Header() -> impl IntoView {
    let state = expect_context::<AppState>();
    let i18n = lang::i18n();
    let languages = LANGUAGES
        .iter()
        .map(|(l, name)| view! { <option value=l.as_str() lang=l.as_str()>{*name}</option> })
        .collect_view();
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
                        {t_string!(i18n, header.close)}
                    </button>
                </Show>
                <label class="theme-picker">
                    <span>{t_string!(i18n, header.language)}</span>
                    <select
                        data-testid="language"
                        on:change=move |ev| {
                            if let Some(l) = lang::parse(&event_target_value(&ev)) {
                                lang::choose(l);
                            }
                        }
                        prop:value=move || i18n.get_locale().as_str()
                    >
                        {languages}
                    </select>
                </label>
                <label class="theme-picker">
                    <span>{t_string!(i18n, header.theme)}</span>
                    <select
                        data-testid="theme"
                        on:change=move |ev| state.theme.set(Theme::parse(&event_target_value(&ev)))
                        prop:value=move || state.theme.get().as_str()
                    >
                        <option value="system">{t_string!(i18n, header.system)}</option>
                        <option value="light">{t_string!(i18n, header.light)}</option>
                        <option value="dark">{t_string!(i18n, header.dark)}</option>
                    </select>
                </label>
            </div>
        </header>
    }
}
