//! The Statistics tab: charts and top lists over the posts the query matches, in the chosen time
//! zone. Every bar, day, cell and list item is a control named with what it is and its count;
//! activating one narrows the query to its posts and shows them (one handler on the section
//! reads the element's `data-term`). The numbers come from the worker ([`RequestBody::Stats`]),
//! the same as `permafrost stats`; the charts are drawn with [`super::dom`], whole, whenever
//! the answer or the chosen year changes.

use super::dom::{target_element, El};
use crate::app::AppState;
use crate::charts::{self, WEEKDAYS};
use crate::format::{self, DateStyle};
use crate::i18n::t_string;
use crate::query;
use crate::route::Tab;
use crate::worker_client::WorkerClient;
use leptos::html;
use leptos::prelude::*;
use permafrost_protocol::{AltMonth, FacetValue, RequestBody, ResponseBody, StatsView};
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// The groups shown under "What they are", in order.
const COMPOSITION: [&str; 4] = ["type", "visibility", "media", "cw"];

/// The top lists, in order, with their headings.
fn top_lists() -> [(&'static str, &'static str); 5] {
    let i18n = crate::lang::i18n();
    [
        ("hashtag", t_string!(i18n, stats.top_hashtags)),
        ("mention", t_string!(i18n, stats.top_mentions)),
        ("boosted", t_string!(i18n, stats.top_boosted)),
        ("domain", t_string!(i18n, stats.top_domains)),
        ("language", t_string!(i18n, stats.languages)),
    ]
}

/// Height of the bar charts' drawing space.
const H: u32 = 100;

/// Side of a calendar or punchcard cell.
const CELL: u32 = 12;

/// The answer, with the query and the zone it is for: the page shows what was counted, also
/// while the next answer is on its way.
type Answered = (String, String, Result<Arc<StatsView>, String>);

/// The tab.
#[component]
pub fn StatsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<WorkerClient>();
    let stats: RwSignal<Option<Answered>> = RwSignal::new(None);
    // The calendar's year lives in the URL, so that Back and Forward walk through choices.
    let year = Memo::new(move |_| state.route.with(|r| r.year));
    // Asked again whenever the query or the zone changes (not the tab or the year); the latest
    // answer wins.
    let wanted = Memo::new(move |_| state.route.with(|r| r.query.clone()));
    let asked = StoredValue::new(0u32);
    Effect::new(move |_| {
        let query = wanted.get();
        let time_zone = state.time_zone.get();
        let body = RequestBody::Stats {
            query: query.clone(),
            time_zone: time_zone.clone(),
        };
        client.ask_latest(asked, body, move |answer| {
            let next = match answer {
                ResponseBody::Stats(v) => Ok(Arc::new(*v)),
                ResponseBody::Error { message } => Err(crate::lang::message(&message)),
                _ => return,
            };
            let _ = stats.try_set(Some((query, time_zone, next)));
        });
    });

    let holder = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        let (Some(holder), Some(answer)) = (holder.get(), stats.get()) else {
            return;
        };
        let year = year.get();
        let drawn = match &answer {
            (_, _, Err(message)) => El::html("p")
                .class("notice warning")
                .attr("role", "alert")
                .text(message),
            (query, zone, Ok(v)) => content(v, query, zone, year),
        };
        // A year button keeps the focus across the redraw it caused.
        let focused = document()
            .active_element()
            .and_then(|el| el.get_attribute("data-year"));
        // The tables open stay open, made again from the new answer: whoever reads the
        // calendar as a table goes on reading it in the year they choose.
        let mut open = [false; CHARTS.len()];
        for (open, key) in open.iter_mut().zip(CHARTS) {
            let selector = format!("[data-chart-table={key}][open]");
            *open = matches!(holder.query_selector(&selector), Ok(Some(_)));
        }
        holder.replace_children_with_node_1(&drawn.into_element());
        if let (_, _, Ok(v)) = &answer {
            for (_, key) in open.iter().zip(CHARTS).filter(|(open, _)| **open) {
                let selector = format!("[data-chart-table={key}]");
                if let Ok(Some(details)) = holder.query_selector(&selector) {
                    let _ = details.set_attribute("open", "");
                    make_table(&details, v, year);
                }
            }
        }
        if let Some(y) = focused {
            let selector = format!("[data-year=\"{y}\"]");
            if let Ok(Some(el)) = holder.query_selector(&selector) {
                if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        }
    });

    // One handler for every control: a year button chooses the heatmap's year; anything with a
    // `data-term` narrows the query to its posts and shows them.
    let activate = move |target: Option<web_sys::EventTarget>| -> bool {
        let Some(el) = target_element(target) else {
            return false;
        };
        // A chart's table is made as its disclosure is first opened ([`chart_table`]), from the
        // answer drawn: a summary is clicked to open it, by mouse or keyboard alike.
        if let Some(details) = el
            .closest("summary")
            .ok()
            .flatten()
            .and_then(|summary| summary.parent_element())
        {
            if let Some((_, _, Ok(v))) = stats.get_untracked() {
                make_table(&details, &v, year.get_untracked());
            }
            return false;
        }
        if let Some(y) = el.get_attribute("data-year") {
            let mut route = state.route.get_untracked();
            route.year = y.parse().ok();
            state.navigate(route, true);
            return true;
        }
        follow_term(state, &el)
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        // Buttons click on Enter and Space themselves; the charts' SVG elements do not.
        let is_button = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlButtonElement>().ok())
            .is_some();
        let key = ev.key();
        if !is_button && matches!(key.as_str(), "Enter" | " ") && activate(ev.target()) {
            ev.prevent_default();
            return;
        }
        let target = target_element(ev.target());
        if target.is_some_and(|t| step(&t, &key)) {
            ev.prevent_default();
        }
    };
    view! {
        <section
            class="stats-view"
            aria-labelledby="stats-title"
            data-testid="stats"
            on:click=move |ev| {
                activate(ev.target());
            }
            on:keydown=on_key
        >
            <h2 id="stats-title">{t_string!(crate::lang::i18n(), tab.stats)}</h2>
            <div node_ref=holder aria-live="polite">
                <p class="hint">{t_string!(crate::lang::i18n(), stats.counting)}</p>
            </div>
        </section>
    }
}

/// When `el` is in a control with a `data-term`, narrows the query to its posts and shows them
/// (a history entry, so that Back returns); true when it did.
pub(super) fn follow_term(state: AppState, el: &web_sys::Element) -> bool {
    let Some(term) = super::dom::closest_attr(el, "data-term") else {
        return false;
    };
    let mut route = state.route.get_untracked();
    route.query = query::narrow(&route.query, &term);
    route.show(Tab::Posts);
    state.navigate(route, true);
    super::browse::focus_count();
    true
}

/// Everything below the heading.
fn content(v: &StatsView, query: &str, zone: &str, year: Option<i32>) -> El {
    let i18n = crate::lang::i18n();
    let posts = format::posts(u64::from(v.total));
    let of = if query.trim().is_empty() {
        crate::tr!(i18n, stats.all, posts = posts)
    } else {
        crate::tr!(i18n, stats.matching, posts = posts, query = query.trim())
    };
    let intro = El::html("p")
        .class("summary-line")
        .attr("data-testid", "stats-total")
        .attr("data-total", &v.total.to_string())
        .text(&crate::tr!(i18n, stats.intro, of = of, zone = zone));
    let errors = El::html("ul")
        .class("query-errors")
        .children(v.errors.iter().map(|e| El::html("li").message(e)));
    let root = El::html("div").child(intro).child(errors);
    if v.total == 0 {
        return root.child(
            El::html("p")
                .class("hint")
                .text(t_string!(i18n, stats.no_posts)),
        );
    }
    let group = |key: &str| {
        v.groups
            .iter()
            .find(|g| g.key == key && !g.values.is_empty())
    };
    let composition = COMPOSITION.iter().filter_map(|key| group(key)).map(|g| {
        bar_list(
            &crate::lang::facet_group(&g.key, &g.label),
            &g.key,
            &g.values,
        )
    });
    let tops = top_lists()
        .into_iter()
        .filter_map(|(key, title)| group(key).map(|g| bar_list(title, key, &g.values)))
        .collect::<Vec<_>>();
    root.child(month_chart(&v.per_month))
        .child(heatmap(&v.per_day, year))
        .child(punchcard(&v.punchcard))
        .child(El::html("h3").text(t_string!(i18n, stats.what_they_are)))
        .child(El::html("div").class("stats-lists").children(composition))
        .child(El::html("div").class("stats-lists").children(tops))
        .child(alt_chart(&v.alt_text))
}

/// `June 2023` for `2023-06`, in the user's language.
fn month_name(label: &str) -> String {
    date_name(&format!("{label}-15"), DateStyle::Month)
}

/// A `YYYY-MM-DD` day in the user's language (noon UTC, shown in UTC: the same day anywhere).
fn date_name(day: &str, style: DateStyle) -> String {
    permafrost_model::time::parse_rfc3339(&format!("{day}T12:00:00Z"))
        .map_or_else(|| day.to_string(), |t| format::date(t, "UTC", style))
}

/// `June 2023: 42 posts`.
fn named(what: &str, n: u32) -> String {
    crate::tr!(
        crate::lang::i18n(),
        stats.named,
        what = what,
        posts = format::posts(u64::from(n))
    )
}

/// A chart: its heading and what is drawn, then the same numbers as a table behind a
/// disclosure, made when the disclosure is first opened ([`chart_table`]). Every chart is one
/// stop of the Tab key ([`first_stop`]).
fn figure(key: &str, caption: El, drawn: El) -> El {
    El::html("figure")
        .class("chart")
        .attr("data-testid", &format!("chart-{key}"))
        .child(El::html("figcaption").child(caption))
        .child(first_stop(drawn))
        .child(
            El::html("details")
                .class("chart-table")
                .attr("data-chart-table", key)
                .child(El::html("summary").text(t_string!(crate::lang::i18n(), stats.as_table))),
        )
}

/// The charts with a table ([`chart_table`]).
const CHARTS: [&str; 4] = ["months", "days", "punchcard", "alt"];

/// Puts the table of chart `details` ([`figure`]) in it, for `v` and the calendar's `year`,
/// unless it has one.
fn make_table(details: &web_sys::Element, v: &StatsView, year: Option<i32>) {
    let Some(key) = details.get_attribute("data-chart-table") else {
        return;
    };
    if details.has_attribute("data-made") {
        return;
    }
    if let Some(table) = chart_table(&key, v, year) {
        let _ = details.append_child(&table.into_element());
        let _ = details.set_attribute("data-made", "");
    }
}

/// The table behind chart `key`'s disclosure ([`figure`]), for `v` and the calendar's `year`.
/// Made only when asked: the tables were half the tab's elements (1,662 of 3,282 at 10,000
/// posts), and switching to the tab took a fifth less time without them (a probe, 4 switches
/// each way), though few people open them.
fn chart_table(key: &str, v: &StatsView, year: Option<i32>) -> Option<El> {
    match key {
        "months" => Some(month_table(&v.per_month)),
        "days" => {
            shown_year(&charts::years(&v.per_day), year).map(|year| day_table(&v.per_day, year))
        }
        "punchcard" => Some(punch_table(&v.punchcard)),
        "alt" => Some(alt_table(&v.alt_text)),
        _ => None,
    }
}

fn heading(text: &str) -> El {
    El::html("h3").text(text)
}

/// A table of named counts, each name a button that narrows to its posts.
fn count_table(
    head: &str,
    count_head: &str,
    rows: impl Iterator<Item = (String, String, u32)>,
) -> El {
    let th = |text: &str| El::html("th").attr("scope", "col").text(text);
    El::html("table")
        .child(El::html("thead").child(El::html("tr").child(th(head)).child(th(count_head))))
        .child(El::html("tbody").children(rows.map(|(name, term, n)| {
            El::html("tr")
                .child(
                    El::html("th").attr("scope", "row").child(
                        El::html("button")
                            .attr("type", "button")
                            .class("link-button")
                            .attr("data-term", &term)
                            .text(&name),
                    ),
                )
                .child(El::html("td").text(&format::count(u64::from(n))))
        })))
}

/// An SVG drawing space, scaled to its box.
fn svg(class: &str, width: u32, height: u32, name: &str) -> El {
    El::svg("svg")
        .class(class)
        .attr("viewBox", &format!("0 0 {width} {height}"))
        .attr("role", "group")
        .attr("aria-label", name)
}

fn rect(class: &str, x: u32, y: u32, width: u32, height: u32) -> El {
    El::svg("rect")
        .class(class)
        .attr("x", &x.to_string())
        .attr("y", &y.to_string())
        .attr("width", &width.to_string())
        .attr("height", &height.to_string())
}

/// A control drawn in SVG. A chart is one stop of the Tab key: its first control takes the
/// focus ([`first_stop`]) and the arrow keys move along the others ([`step`]). Its name is its
/// `<title>`, which is also what the mouse's hover shows ("May 2023: 12 posts"); first, so that
/// the last child stays the drawn mark the style colours.
fn mark(el: El, term: &str, name: &str) -> El {
    let title = El::svg("title").text(name);
    let _ = el.element().prepend_with_node_1(title.element());
    el.attr("tabindex", "-1")
        .attr("role", "button")
        .attr("data-term", term)
}

/// Makes the first control of a chart (what [`figure`] draws) the one the Tab key reaches.
fn first_stop(chart: El) -> El {
    if let Ok(Some(first)) = chart.element().query_selector("[tabindex]") {
        let _ = first.set_attribute("tabindex", "0");
    }
    chart
}

/// Moves the focus along a chart's controls for an arrow key, Home or End; true when it did.
fn step(target: &web_sys::Element, key: &str) -> bool {
    let Some(chart) = target.closest("svg").ok().flatten() else {
        return false;
    };
    let Ok(marks) = chart.query_selector_all("[tabindex]") else {
        return false;
    };
    let n = marks.length();
    let at = (0..n).find(|&i| marks.get(i).is_some_and(|m| m.is_same_node(Some(target))));
    let (Some(at), true) = (at, n > 0) else {
        return false;
    };
    // In a grid (the calendar's days, the weekday × hour cells) an arrow goes to the nearest
    // cell that way, as drawn: Down from Monday 1:00 is Tuesday 1:00, not Monday 2:00.
    let grid = chart.class_list().contains("calendar") || chart.class_list().contains("punchcard");
    let next = match key {
        "ArrowRight" | "ArrowDown" | "ArrowLeft" | "ArrowUp" if grid => {
            match nearest_toward(&marks, at, key) {
                Some(i) => i,
                None => return true,
            }
        }
        "ArrowRight" | "ArrowDown" => (at + 1).min(n - 1),
        "ArrowLeft" | "ArrowUp" => at.saturating_sub(1),
        "Home" => 0,
        "End" => n - 1,
        _ => return false,
    };
    let (Some(from), Some(to)) = (
        marks
            .get(at)
            .and_then(|m| m.dyn_into::<web_sys::Element>().ok()),
        marks
            .get(next)
            .and_then(|m| m.dyn_into::<web_sys::Element>().ok()),
    ) else {
        return false;
    };
    let _ = from.set_attribute("tabindex", "-1");
    let _ = to.set_attribute("tabindex", "0");
    if let Some(to) = to.dyn_ref::<web_sys::HtmlElement>() {
        let _ = to.focus();
    } else if let Some(to) = to.dyn_ref::<web_sys::SvgElement>() {
        let _ = to.focus();
    }
    true
}

/// The mark of `marks` nearest to mark `at` in the direction of an arrow key, as drawn: the
/// same row (or column) first, then the nearest one. `None` at the grid's edge.
fn nearest_toward(marks: &web_sys::NodeList, at: u32, key: &str) -> Option<u32> {
    let centre = |i: u32| {
        let r = marks
            .get(i)?
            .dyn_into::<web_sys::Element>()
            .ok()?
            .get_bounding_client_rect();
        Some((r.left() + r.width() / 2.0, r.top() + r.height() / 2.0))
    };
    let (x0, y0) = centre(at)?;
    let mut best: Option<(f64, u32)> = None;
    for i in (0..marks.length()).filter(|&i| i != at) {
        let Some((x, y)) = centre(i) else { continue };
        let (along, across) = match key {
            "ArrowDown" => (y - y0, x - x0),
            "ArrowUp" => (y0 - y, x - x0),
            "ArrowRight" => (x - x0, y - y0),
            _ => (x0 - x, y - y0),
        };
        // Half a pixel: the same row or column is not a step that way.
        if along < 0.5 {
            continue;
        }
        let score = along + 4.0 * across.abs();
        if best.is_none_or(|(b, _)| score < b) {
            best = Some((score, i));
        }
    }
    best.map(|(_, i)| i)
}

/// Bars over months, `count` places wide: for each bar, its place, its height out of [`H`], its
/// term and name. An invisible full-height target stands behind each bar, so that a short bar
/// is as easy to hit as a tall one.
fn bars(name: &str, count: usize, items: impl Iterator<Item = (usize, u32, String, String)>) -> El {
    let width = (count as u32 * 10).max(10);
    svg("bars", width, H, name)
        .attr("preserveAspectRatio", "none")
        .children(items.map(|(place, share, term, label)| {
            let x = place as u32 * 10 + 1;
            let top = H - share.clamp(1, H);
            mark(El::svg("g").class("mark"), &term, &label)
                .child(rect("hit", x, 0, 8, H))
                .child(rect("bar", x, top, 8, H - top))
        }))
}

/// Posts per month, every month of the span (months without posts are gaps, not controls).
fn month_chart(months: &[FacetValue]) -> El {
    let max = u64::from(months.iter().map(|m| m.count).max().unwrap_or(0).max(1));
    // A month without posts is a gap, not a control.
    let drawn = months
        .iter()
        .enumerate()
        .filter(|(_, m)| m.count > 0)
        .map(|(i, m)| {
            let share = (u64::from(m.count) * u64::from(H - 2) / max) as u32 + 2;
            (
                i,
                share,
                m.term.clone(),
                named(&month_name(&m.label), m.count),
            )
        });
    let i18n = crate::lang::i18n();
    let chart = bars(t_string!(i18n, stats.per_month), months.len(), drawn);
    let axis = El::html("p")
        .class("axis")
        .child(
            El::html("span").text(
                &months
                    .first()
                    .map(|m| month_name(&m.label))
                    .unwrap_or_default(),
            ),
        )
        .child(
            El::html("span").text(
                &months
                    .last()
                    .map(|m| month_name(&m.label))
                    .unwrap_or_default(),
            ),
        );
    figure(
        "months",
        heading(t_string!(i18n, stats.per_month)),
        El::html("div").child(chart).child(axis),
    )
}

/// [`month_chart`]'s numbers as a table.
fn month_table(months: &[FacetValue]) -> El {
    let i18n = crate::lang::i18n();
    let rows = months
        .iter()
        .filter(|m| m.count > 0)
        .map(|m| (month_name(&m.label), m.term.clone(), m.count));
    count_table(
        t_string!(i18n, stats.month),
        t_string!(i18n, stats.posts),
        rows,
    )
}

/// A calendar of one year, a square per day shaded by its posts, with the years to choose from
/// (the newest unless one was chosen).
fn heatmap(days: &[FacetValue], chosen: Option<i32>) -> El {
    let years = charts::years(days);
    let Some(year) = shown_year(&years, chosen) else {
        return El::html("div");
    };
    let buttons = El::html("div")
        .class("chips")
        .attr("role", "group")
        .attr("aria-label", t_string!(crate::lang::i18n(), stats.year))
        .children(years.iter().map(|y| {
            let y = y.to_string();
            El::html("button")
                .attr("type", "button")
                .class("chip-button")
                .attr("data-year", &y)
                .attr(
                    "aria-pressed",
                    if y == year.to_string() {
                        "true"
                    } else {
                        "false"
                    },
                )
                .text(&y)
        }));
    let cal = charts::calendar(year, days);
    let max = cal.iter().map(|d| d.count).max().unwrap_or(0);
    let cells = cal.iter().map(|d| {
        let class = format!("day l{}", charts::level(d.count, max));
        let cell = rect(&class, d.week * CELL, d.weekday * CELL, CELL - 2, CELL - 2);
        if d.count == 0 {
            return cell;
        }
        let name = named(&date_name(&d.date, DateStyle::Date), d.count);
        mark(cell, &format!("on:{}", d.date), &name)
    });
    let drawn = El::html("div").class("scroll-x").child(
        svg(
            "calendar",
            53 * CELL,
            7 * CELL,
            &crate::tr!(crate::lang::i18n(), stats.per_day_in, year = year),
        )
        .children(cells),
    );
    figure(
        "days",
        El::html("div")
            .child(heading(t_string!(crate::lang::i18n(), stats.per_day)))
            .child(buttons),
        drawn,
    )
}

/// The year the calendar shows, of the `years` with posts: the one `chosen`, if it has posts,
/// else the newest.
fn shown_year(years: &[i32], chosen: Option<i32>) -> Option<i32> {
    chosen
        .filter(|y| years.contains(y))
        .or(years.last().copied())
}

/// [`heatmap`]'s numbers for `year` as a table: its days with posts.
fn day_table(days: &[FacetValue], year: i32) -> El {
    let cal = charts::calendar(year, days);
    let rows = cal.iter().filter(|d| d.count > 0).map(|d| {
        (
            date_name(&d.date, DateStyle::Date),
            format!("on:{}", d.date),
            d.count,
        )
    });
    count_table(
        t_string!(crate::lang::i18n(), stats.day),
        t_string!(crate::lang::i18n(), stats.posts),
        rows,
    )
}

/// Posts per weekday and hour: a dot per cell, its area following the count.
fn punchcard(cells: &[u32]) -> El {
    const LEFT: u32 = 30;
    let max = f64::from(cells.iter().copied().max().unwrap_or(0).max(1));
    let text = |x: u32, y: u32, t: &str| {
        El::svg("text")
            .class("tick")
            .attr("x", &x.to_string())
            .attr("y", &y.to_string())
            .text(t)
    };
    let i18n = crate::lang::i18n();
    let long = long_weekdays();
    let mut chart = svg(
        "punchcard",
        LEFT + 24 * CELL,
        7 * CELL + 14,
        t_string!(i18n, stats.per_weekday_hour),
    );
    for row in 0..WEEKDAYS.len() {
        chart = chart.child(text(0, row as u32 * CELL + 9, &format::weekday(row, false)));
    }
    for h in (0..24).step_by(3) {
        chart = chart.child(text(LEFT + h * CELL, 7 * CELL + 10, &h.to_string()));
    }
    let dots = cells
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(i, &n)| {
            let (x, y) = (LEFT + (i % 24) as u32 * CELL, (i / 24) as u32 * CELL);
            // The area, not the radius, follows the count; in tenths (printing a float would
            // add float formatting to the bundle).
            let r = ((f64::from(n) / max).sqrt() * 55.0).max(15.0) as u32;
            mark(
                El::svg("g").class("mark"),
                &charts::punchcard_term(i),
                &cell_name(&long, i, n),
            )
            .child(rect("hit", x, y, CELL, CELL))
            .child(
                El::svg("circle")
                    .class("dot")
                    .attr("cx", &(x + CELL / 2).to_string())
                    .attr("cy", &(y + CELL / 2).to_string())
                    .attr("r", &format!("{}.{}", r / 10, r % 10)),
            )
        });
    let chart = chart.children(dots);
    figure(
        "punchcard",
        heading(t_string!(i18n, stats.weekday_hour)),
        El::html("div").class("scroll-x").child(chart),
    )
}

/// The weekdays' long names, Monday first.
fn long_weekdays() -> Vec<String> {
    (0..7).map(|d| format::weekday(d, true)).collect()
}

/// The name of the punchcard's cell `i` (a weekday, `long` its name, and an hour) with `n`
/// posts.
fn cell_name(long: &[String], i: usize, n: u32) -> String {
    let day = long.get(i / 24).map_or("", String::as_str);
    named(&format!("{day}, {}", charts::hour_range(i % 24)), n)
}

/// [`punchcard`]'s numbers as a table: a row per weekday, a column per hour.
fn punch_table(cells: &[u32]) -> El {
    let i18n = crate::lang::i18n();
    let long = long_weekdays();
    let th = |text: &str| El::html("th").attr("scope", "col").text(text);
    let head = El::html("tr")
        .child(th(t_string!(i18n, stats.day)))
        .children((0..24).map(|h| th(&h.to_string())));
    let rows = long.iter().enumerate().map(|(row, name)| {
        El::html("tr")
            .child(El::html("th").attr("scope", "row").text(name))
            .children((0..24).map(|h| {
                let i = row * 24 + h;
                let n = cells.get(i).copied().unwrap_or(0);
                let td = El::html("td");
                if n == 0 {
                    return td;
                }
                td.child(
                    El::html("button")
                        .attr("type", "button")
                        .class("link-button")
                        .control(&charts::punchcard_term(i), &cell_name(&long, i, n))
                        .text(&format::count(u64::from(n))),
                )
            }))
    });
    El::html("div").class("scroll-x").child(
        El::html("table")
            .class("punch-table")
            .child(El::html("thead").child(head))
            .child(El::html("tbody").children(rows)),
    )
}

/// A list of values with counts, drawn as proportional bars; each line narrows to its posts.
fn bar_list(title: &str, key: &str, values: &[FacetValue]) -> El {
    let max = u64::from(values.iter().map(|v| v.count).max().unwrap_or(0).max(1));
    let items = values.iter().map(|v| {
        let percent = u64::from(v.count) * 100 / max;
        let label = crate::lang::facet_value(&v.term, &v.label);
        El::html("li").child(
            El::html("button")
                .attr("type", "button")
                .class("bar-line")
                .control(&v.term, &named(&label, v.count))
                .child(El::html("span").class("bar-label").text(&label))
                .child(
                    El::html("span")
                        .class("bar-count")
                        .text(&format::count(u64::from(v.count))),
                )
                .child(
                    El::html("span")
                        .class("bar-fill")
                        .style("width", &format!("{percent}%")),
                ),
        )
    });
    El::html("section")
        .class("bar-list")
        .attr("data-testid", &format!("list-{key}"))
        .child(El::html("h4").text(title))
        .child(El::html("ol").children(items))
}

/// Attachments with a description per month: each bar the share described, naming both counts;
/// activating one shows that month's posts with an attachment lacking one.
fn alt_chart(months: &[AltMonth]) -> El {
    if months.is_empty() {
        return El::html("div");
    }
    let (all, described) = months.iter().fold((0u64, 0u64), |(a, d), m| {
        (a + u64::from(m.attachments), d + u64::from(m.described))
    });
    let i18n = crate::lang::i18n();
    let drawn = months.iter().enumerate().map(|(i, m)| {
        let share = u64::from(m.described) * u64::from(H) / u64::from(m.attachments.max(1));
        (i, share as u32, alt_term(m), alt_name(m))
    });
    let caption = El::html("div")
        .child(heading(t_string!(i18n, stats.alt_text)))
        .child(El::html("p").class("hint").text(&crate::tr!(
            i18n,
            stats.alt_hint,
            described = format::count(described),
            attachments = crate::plural!(i18n, n_attachments, all),
            // Rounded as the Media tab's share is (10 of 13: 77%, not 76%).
            percent = crate::library::percent(
                u32::try_from(described).unwrap_or(u32::MAX),
                u32::try_from(all).unwrap_or(u32::MAX)
            )
            .unwrap_or(0)
        )));
    figure(
        "alt",
        caption,
        bars(t_string!(i18n, stats.alt_per_month), months.len(), drawn),
    )
}

/// `June 2023: 3 of 5 attachments described`.
fn alt_name(m: &AltMonth) -> String {
    let i18n = crate::lang::i18n();
    crate::tr!(
        i18n,
        stats.alt_name,
        month = month_name(&m.month),
        described = format::count(u64::from(m.described)),
        attachments = crate::plural!(i18n, n_attachments, u64::from(m.attachments))
    )
}

/// The query of a month's posts with an attachment lacking a description; of a month with every
/// attachment described, its posts with media (rather than a click that finds nothing).
fn alt_term(m: &AltMonth) -> String {
    if m.described >= m.attachments {
        format!("during:{} has:media", m.month)
    } else {
        format!("during:{} has:noalt", m.month)
    }
}

/// [`alt_chart`]'s numbers as a table: the attachments without a description, by month.
fn alt_table(months: &[AltMonth]) -> El {
    let i18n = crate::lang::i18n();
    let rows = months.iter().map(|m| {
        (
            alt_name(m),
            alt_term(m),
            m.attachments.saturating_sub(m.described),
        )
    });
    count_table(
        t_string!(i18n, stats.month),
        t_string!(i18n, stats.without_description),
        rows,
    )
}
