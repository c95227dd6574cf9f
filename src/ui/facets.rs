//! The facet sidebar: counts over the current result, kept in step with the query text. Pressing
//! a value toggles its term in the query; editing the query changes the counts.

use super::browse::Browse;
use crate::app::AppState;
use crate::format::{self, DateStyle};
use crate::i18n::t_string;
use crate::query;
use crate::route::Tab;
use leptos::prelude::*;
use permafrost_protocol::{FacetGroup, FacetValue};
use std::sync::Arc;

/// Values shown per group.
const SHOWN: usize = 12;

/// Groups where one value replaces another of the same filter (one year at a time).
fn exclusive(key: &str) -> bool {
    matches!(
        key,
        "year" | "month" | "visibility" | "language" | "account"
    )
}

/// The sidebar.
#[component]
pub fn Facets() -> impl IntoView {
    let state = expect_context::<AppState>();
    let browse = expect_context::<Browse>();
    // The groups of the last result that had posts: a query that matches nothing keeps them,
    // with zeros, so that a filter can be taken off again right here.
    let last: StoredValue<Arc<Vec<FacetGroup>>> = StoredValue::new(Arc::default());
    // Drawn again when facets come (a moment after their result: see `results::live`) or the
    // result becomes empty or not, never at each keystroke. The buttons' pressed state follows
    // the query by itself.
    let empty = Memo::new(move |_| {
        browse
            .results
            .meta
            .with(|m| m.as_ref().map(|m| m.total == 0))
    });
    let groups = move || {
        let empty = empty.get()?;
        let query = state.route.with_untracked(|r| r.query.clone());
        let facets = if empty {
            Arc::new(last.with_value(|groups| zeroed(groups, &query)))
        } else {
            let (_, facets) = browse.results.facets.get()?;
            last.set_value(facets.clone());
            facets
        };
        Some(
            facets
                .iter()
                .filter(|g| show_group(g, &query))
                .map(|g| group_view(g.clone(), state, browse))
                .collect_view(),
        )
    };
    // On a narrow screen the filters are a sheet over the posts: opened, it takes the keyboard
    // (else Tab went on behind it, into the posts it covers); closed, the keyboard goes back to
    // the Filters button when it was in the sheet.
    Effect::new(move |was_open: Option<bool>| {
        let open = browse.facets_open.get();
        if let Some(was_open) = was_open {
            let doc = document();
            if open && !was_open {
                if let Some(done) = doc
                    .query_selector("[data-testid=facets-done]")
                    .ok()
                    .flatten()
                {
                    super::dom::focus_in_place(&done);
                }
            } else if !open && was_open {
                let inside = super::dom::focus_lost()
                    || doc
                        .active_element()
                        .and_then(|a| a.closest("#facets").ok().flatten())
                        .is_some();
                if inside {
                    if let Some(toggle) = doc.query_selector(".facets-toggle").ok().flatten() {
                        super::dom::focus_in_place(&toggle);
                    }
                }
            }
        }
        open
    });
    let i18n = crate::lang::i18n();
    view! {
        <aside
            id="facets"
            class="facets"
            class:open=move || browse.facets_open.get()
            aria-label=t_string!(i18n, facets.filters)
            data-testid="facets"
            // Which result the counts are of (as the count's `data-search`): they come a moment
            // after it. A result without posts shows the last counts at zero at once.
            data-search=move || match empty.get() {
                Some(true) => browse.results.meta.with(|m| m.as_ref().map(|m| m.search)),
                _ => browse.results.facets.with(|f| f.as_ref().map(|f| f.0)),
            }
        >
            <div class="facets-head">
                <h2>{t_string!(i18n, facets.filters)}</h2>
                <button type="button" class="button small facets-done" data-testid="facets-done"
                    on:click=move |_| browse.facets_open.set(false)>
                    {t_string!(i18n, facets.done)}
                </button>
            </div>
            {groups}
            <p class="hint">
                {move || crate::tr!(i18n, facets.dates_in, zone = state.time_zone.get())}
                <button type="button" class="link-button" on:click=move |_| state.show_tab(Tab::Summary)>
                    {t_string!(i18n, facets.change)}
                </button>
            </p>
        </aside>
    }
}

/// The groups with every count at zero, keeping only the values the query uses (those are the
/// ones to take off) and the groups that have one.
fn zeroed(groups: &[FacetGroup], query: &str) -> Vec<FacetGroup> {
    groups
        .iter()
        .map(|g| FacetGroup {
            values: g
                .values
                .iter()
                .filter(|v| query::has_term(query, &v.term))
                .map(|v| FacetValue {
                    count: 0,
                    ..v.clone()
                })
                .collect(),
            ..g.clone()
        })
        .filter(|g| !g.values.is_empty())
        .collect()
}

/// Months only once a year is chosen (or when there are few); empty groups never.
fn show_group(group: &FacetGroup, query: &str) -> bool {
    if group.values.is_empty() {
        return false;
    }
    if group.key == "month" {
        let year_chosen = query::terms(query)
            .iter()
            .any(|t| t.strip_prefix("during:").is_some_and(|v| v.len() >= 4));
        return year_chosen || group.values.len() <= SHOWN;
    }
    true
}

/// How a value is shown: months as "July 2024" in the user's language, the rest as given.
fn label(key: &str, value: String) -> String {
    if key == "month" {
        // Mid-month at noon UTC, shown in UTC: the same month in every time zone.
        let noon = permafrost_model::time::parse_rfc3339(&format!("{value}-15T12:00:00Z"));
        if let Some(t) = noon {
            return format::date(t, "UTC", DateStyle::Month);
        }
    }
    value
}

fn group_view(group: FacetGroup, state: AppState, browse: Browse) -> impl IntoView {
    let key = group.key.clone();
    let values = group
        .values
        .into_iter()
        .take(SHOWN)
        .map(|v| {
            let term = v.term.clone();
            let shown = v.term.clone();
            let pressed = move || {
                state
                    .route
                    .with(|r| query::has_term(&r.query, &shown))
                    .to_string()
            };
            let exclusive = exclusive(&key);
            let toggle = move |_| {
                let mut route = state.route.get_untracked();
                route.query = query::toggle(&route.query, &term, exclusive);
                state.navigate(route, true);
                // On a phone the filters are a sheet over the results: a choice closes it, so
                // that the results it chose are in view.
                browse.facets_open.set(false);
            };
            view! {
                <li>
                    <button
                        type="button"
                        class="facet"
                        aria-pressed=pressed
                        data-term=v.term.clone()
                        on:click=toggle
                    >
                        // Cut with an ellipsis when long (two handles may start alike): whole on hover.
                        {
                            let shown = label(&key, crate::lang::facet_value(&v.term, &v.label));
                            let title = shown.clone();
                            view! { <span class="facet-label" title=title>{shown}</span> }
                        }
                        <span class="n">{format::count(u64::from(v.count))}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="facet-group" data-facet=group.key.clone()>
            <h3>{crate::lang::facet_group(&group.key, &group.label)}</h3>
            <ul>{values}</ul>
        </section>
    }
}
