//! The Memories tab: your posts from this day in earlier years (in the chosen time zone), and
//! a random post of the current results. Both work over the current query.

use super::dom::{target_element, El};
use super::stats::follow_term;
use crate::app::AppState;
use crate::format::{self, DateStyle};
use crate::i18n::t_string;
use crate::query;
use crate::route::Tab;
use crate::worker_client::WorkerClient;
use leptos::html;
use leptos::prelude::*;
use permafrost_protocol::{RequestBody, ResponseBody, StatsView};

/// The tab.
#[component]
pub fn MemoriesPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let stats_client = expect_context::<WorkerClient>();
    let browse = expect_context::<super::browse::Browse>();

    // On this day: the posts of today's date (`on:MM-DD`) before this year.
    let holder = NodeRef::<html::Div>::new();
    // The query only: choosing another tab or year asks nothing again.
    let wanted = Memo::new(move |_| state.route.with(|r| r.query.clone()));
    let asked = StoredValue::new(0u32);
    Effect::new(move |_| {
        let zone = state.time_zone.get();
        let query = wanted.get();
        let today = format::today(&zone);
        let (year, day) = (today.get(..4).unwrap_or(""), today.get(5..).unwrap_or(""));
        let term = format!("on:{day} before:{year}");
        let body = RequestBody::Stats {
            query: query::narrow(&query, &term),
            time_zone: zone,
        };
        stats_client.ask_latest(asked, body, move |answer| {
            let drawn = match answer {
                // Under a search, say so, as Statistics does: "Nothing from this day" is of the
                // posts it finds.
                ResponseBody::Stats(v) if !query.trim().is_empty() => {
                    let found = browse.results.total_untracked();
                    let scope = crate::tr!(
                        crate::lang::i18n(),
                        stats.matching,
                        posts = format::posts(u64::from(found)),
                        query = query.trim()
                    );
                    El::html("div")
                        .child(
                            El::html("p")
                                .class("hint")
                                .attr("data-testid", "memories-scope")
                                .text(&scope),
                        )
                        .child(on_this_day(&v, &today, &term))
                }
                ResponseBody::Stats(v) => on_this_day(&v, &today, &term),
                ResponseBody::Error { message } => {
                    El::html("p").class("notice warning").message(&message)
                }
                _ => return,
            };
            if let Some(holder) = holder.get_untracked() {
                holder.replace_children_with_node_1(&drawn.into_element());
                if holder.next_element_sibling().is_none() {
                    let _ = holder.after_with_node_1(&random_section().into_element());
                }
            }
        });
    });

    // A random post of the current results: the timeline, scrolled to it, with it focused (the
    // keyboard's post), so that reading can go on from there.
    let random = move || {
        let total = browse.results.total_untracked();
        if total == 0 {
            return;
        }
        let position = ((js_sys::Math::random() * f64::from(total)) as u32).min(total - 1);
        // The timeline takes it when it is drawn (it starts with no post chosen otherwise).
        browse.jump.set_value(Some(position));
        state.show_tab(Tab::Posts);
    };
    view! {
        <section
            class="memories"
            aria-labelledby="memories-title"
            data-testid="memories"
            on:click=move |ev| {
                let Some(el) = target_element(ev.target()) else {
                    return;
                };
                if el.closest("[data-random]").ok().flatten().is_some() {
                    random();
                } else {
                    follow_term(state, &el);
                }
            }
        >
            <h2 id="memories-title">{t_string!(crate::lang::i18n(), memories.on_this_day)}</h2>
            <div node_ref=holder aria-live="polite" data-testid="on-this-day">
                <p class="hint">{t_string!(crate::lang::i18n(), memories.looking)}</p>
            </div>
        </section>
    }
}

/// The random post's heading and button (drawn once, after the first answer).
fn random_section() -> El {
    let i18n = crate::lang::i18n();
    El::html("div")
        .attr("data-testid", "random-section")
        .child(El::html("h2").text(t_string!(i18n, memories.random)))
        .child(
            El::html("p")
                .child(
                    El::html("button")
                        .attr("type", "button")
                        .class("button")
                        .attr("data-random", "")
                        .attr("data-testid", "random")
                        .text(t_string!(i18n, memories.read_random)),
                )
                .text(" ")
                .child(
                    El::html("span")
                        .class("hint")
                        .text(t_string!(i18n, memories.random_hint)),
                ),
        )
}

/// Today's date of earlier years: how many posts, per year, each a control.
fn on_this_day(v: &StatsView, today: &str, term: &str) -> El {
    let i18n = crate::lang::i18n();
    let day = permafrost_model::time::parse_rfc3339(&format!("{today}T12:00:00Z"))
        .map(|t| format::date(t, "UTC", DateStyle::Date))
        .unwrap_or_else(|| today.to_string());
    let years = v
        .groups
        .iter()
        .find(|g| g.key == "year")
        .map(|g| g.values.clone())
        .unwrap_or_default();
    if v.total == 0 {
        return El::html("p").attr("data-total", "0").text(&crate::tr!(
            i18n,
            memories.nothing,
            day = day
        ));
    }
    let month_day = today.get(4..).unwrap_or("");
    El::html("div")
        .child(
            El::html("p")
                .attr("data-total", &v.total.to_string())
                .text(&crate::tr!(
                    i18n,
                    memories.from_this_day,
                    posts = format::posts(u64::from(v.total)),
                    day = day
                )),
        )
        .child(
            El::html("ul")
                .class("chips")
                .children(years.iter().map(|y| {
                    El::html("li").child(
                        El::html("button")
                            .attr("type", "button")
                            .class("chip-button")
                            .control(
                                &format!("on:{}{month_day}", y.label),
                                &format!("{}: {}", y.label, format::posts(u64::from(y.count))),
                            )
                            .text(&format!(
                                "{} · {}",
                                y.label,
                                format::count(u64::from(y.count))
                            )),
                    )
                })),
        )
        .child(
            El::html("p").child(
                El::html("button")
                    .attr("type", "button")
                    .class("button")
                    .attr("data-term", term)
                    .attr("data-testid", "on-this-day-all")
                    .text(&if v.total == 1 {
                        // "Read all 1 post" reads wrong.
                        t_string!(i18n, memories.read_one).to_string()
                    } else {
                        crate::tr!(
                            i18n,
                            memories.read_all,
                            posts = format::posts(u64::from(v.total))
                        )
                    }),
            ),
        )
}
