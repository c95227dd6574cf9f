//! Settings: the time zone dates are shown in.

use crate::app::AppState;
use crate::format;
use crate::i18n::t_string;
use leptos::prelude::*;

/// The time zone picker (every IANA zone the browser knows).
#[component]
pub fn Settings() -> impl IntoView {
    let state = expect_context::<AppState>();
    let browser_zone = format::browser_time_zone();
    let options = format::time_zones()
        .into_iter()
        .map(|z| {
            let label = z.clone();
            view! { <option value=z>{label}</option> }
        })
        .collect_view();
    let i18n = crate::lang::i18n();
    view! {
        <section class="settings" aria-label=t_string!(i18n, settings.settings)>
            <label>
                {t_string!(i18n, settings.time_zone)}
                <select
                    data-testid="time-zone"
                    prop:value=move || state.time_zone.get()
                    on:change=move |ev| {
                        let zone = event_target_value(&ev);
                        if format::is_time_zone(&zone) {
                            state.time_zone.set(zone);
                        }
                    }
                >
                    {options}
                </select>
            </label>
            <button type="button" class="button small" on:click={
                let zone = browser_zone.clone();
                move |_| state.time_zone.set(zone.clone())
            }>
                {crate::tr!(i18n, settings.use_device, zone = browser_zone)}
            </button>
        </section>
    }
}
