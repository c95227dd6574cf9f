//! The People tab: the CSV exports given with the archive (following with its options, lists
//! and their members, blocked and muted accounts, blocked domains, followers where a file has
//! them), searchable and sortable, crossed with the posts of the current query: how often you
//! mention or boost each account (a click shows those posts), whom you follow but never
//! mention, whom you mention but do not follow. CSV exports dropped on the page (or chosen
//! here) are added to the open archive; the tab says which files to export when none was given.
//! The worker computes everything; the rows are drawn with [`El`] and replaced whole.

use super::dom::{closest_attr, target_element, El};
use crate::app::AppState;
use crate::format;
use crate::i18n::t_string;
use crate::worker_client::WorkerClient;
use leptos::html;
use leptos::prelude::*;
use permafrost_protocol::{
    AddedView, CsvKind, PeopleSort, PeopleTable, PeopleView, PersonRow, RequestBody, ResponseBody,
};

/// Rows asked for at a time.
const PAGE: u32 = 100;

/// A table's name on its button.
fn names(table: PeopleTable) -> &'static str {
    let i18n = crate::lang::i18n();
    match table {
        PeopleTable::Following => t_string!(i18n, people.following),
        PeopleTable::Followers => t_string!(i18n, people.followers),
        PeopleTable::Lists => t_string!(i18n, people.lists),
        PeopleTable::Blocks => t_string!(i18n, people.blocks),
        PeopleTable::Mutes => t_string!(i18n, people.mutes),
        PeopleTable::DomainBlocks => t_string!(i18n, people.domain_blocks),
        PeopleTable::NotMentioned => t_string!(i18n, people.not_mentioned),
        PeopleTable::MentionedNotFollowed => t_string!(i18n, people.not_followed),
    }
}

/// `n` rows of a table, counted ("42 accounts you follow").
fn rows_of(table: PeopleTable, n: u64) -> String {
    let i18n = crate::lang::i18n();
    match table {
        PeopleTable::Following => crate::plural!(i18n, n_following, n),
        PeopleTable::Followers => crate::plural!(i18n, n_followers, n),
        PeopleTable::Lists => crate::plural!(i18n, n_memberships, n),
        PeopleTable::Blocks => crate::plural!(i18n, n_blocked, n),
        PeopleTable::Mutes => crate::plural!(i18n, n_muted, n),
        PeopleTable::DomainBlocks => crate::plural!(i18n, n_blocked_domains, n),
        PeopleTable::NotMentioned => crate::plural!(i18n, n_not_mentioned, n),
        PeopleTable::MentionedNotFollowed => crate::plural!(i18n, n_not_followed, n),
    }
}

/// `n` rows of a file of this kind, counted ("42 accounts you follow").
fn read_as(kind: CsvKind, n: u64) -> String {
    let i18n = crate::lang::i18n();
    match kind {
        CsvKind::Following => rows_of(PeopleTable::Following, n),
        CsvKind::Followers => rows_of(PeopleTable::Followers, n),
        CsvKind::Lists => rows_of(PeopleTable::Lists, n),
        CsvKind::Blocks => rows_of(PeopleTable::Blocks, n),
        CsvKind::Mutes => rows_of(PeopleTable::Mutes, n),
        CsvKind::DomainBlocks => rows_of(PeopleTable::DomainBlocks, n),
        CsvKind::Bookmarks => crate::plural!(i18n, n_bookmarks, n),
    }
}

/// The CSV file that gives a table.
fn file_of(table: PeopleTable) -> CsvKind {
    match table {
        PeopleTable::Followers => CsvKind::Followers,
        PeopleTable::Lists => CsvKind::Lists,
        PeopleTable::Blocks => CsvKind::Blocks,
        PeopleTable::Mutes => CsvKind::Mutes,
        PeopleTable::DomainBlocks => CsvKind::DomainBlocks,
        _ => CsvKind::Following,
    }
}

/// The tab.
#[component]
pub fn PeoplePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = StoredValue::new(expect_context::<WorkerClient>());
    // The table, the order and the filter are the route's (`show=blocks mentions`, `f=`):
    // back and forward return to them.
    let table = Memo::new(move |_| {
        state.route.with(|r| {
            let name = r.show.split(' ').next().unwrap_or("");
            PeopleTable::parse(name).unwrap_or(PeopleTable::Following)
        })
    });
    let sort = Memo::new(move |_| {
        state
            .route
            .with(|r| r.show.split(' ').nth(1).and_then(PeopleSort::parse))
    });
    let filter = Memo::new(move |_| state.route.with(|r| r.filter.clone()));
    let query = Memo::new(move |_| state.route.with(|r| r.query.clone()));
    // A table, an order or a list chip is a history entry; typing replaces the current one.
    let set = move |table: PeopleTable, sort: Option<PeopleSort>, text: String, push: bool| {
        let mut route = state.route.get_untracked();
        route.show = match sort {
            Some(sort) => format!("{} {}", table.as_str(), sort.as_str()),
            None => table.as_str().to_string(),
        };
        route.filter = text;
        state.navigate(route, push);
    };
    let holder = NodeRef::<html::Div>::new();
    let drawn = StoredValue::new(0u32);
    let asked = StoredValue::new(0u32);
    let fetch = move |offset: u32| {
        let body = RequestBody::People {
            table: table.get_untracked(),
            filter: filter.get_untracked(),
            sort: sort.get_untracked(),
            query: state.route.with_untracked(|r| r.query.clone()),
            time_zone: state.time_zone.get_untracked(),
            offset,
            limit: PAGE,
        };
        client.get_value().ask_latest(asked, body, move |answer| {
            let ResponseBody::People(v) = answer else {
                return;
            };
            let Some(holder) = holder.get_untracked() else {
                return;
            };
            let count = if v.table == PeopleTable::DomainBlocks {
                v.domains.len()
            } else {
                v.rows.len()
            };
            let shown = offset + count as u32;
            drawn.set_value(shown);
            if offset == 0 {
                let query = state.route.with_untracked(|r| r.query.trim().to_string());
                holder.replace_children_with_node_1(&panel(&v, &query).into_element());
                if let Some(whose) = super::accounts::whose(state) {
                    let _ = holder.prepend_with_node_1(&whose.into_element());
                }
            } else if let Ok(Some(list)) = holder.query_selector("ol.people-rows") {
                for item in rows(&v) {
                    let _ = list.append_child(&item.into_element());
                }
            }
            if let Ok(Some(old)) = holder.query_selector("[data-more]") {
                old.remove();
            }
            if shown < v.matching {
                let more = El::html("button")
                    .attr("type", "button")
                    .class("button")
                    .attr("data-more", "")
                    .attr("data-testid", "people-more")
                    .text(t_string!(crate::lang::i18n(), people.show_more));
                let _ = holder.append_child(&more.into_element());
            }
        });
    };
    // Asked again when the table, the filter, the order, the query, the zone or the files
    // change.
    Effect::new(move |_| {
        table.track();
        filter.track();
        sort.track();
        query.track();
        state.time_zone.track();
        state.added.track();
        fetch(0);
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = target_element(ev.target()) else {
            return;
        };
        let attr = |name: &str| closest_attr(&el, name);
        if attr("data-more").is_some() {
            fetch(drawn.get_value());
        } else if let Some(name) = attr("data-table") {
            let table = PeopleTable::parse(&name).unwrap_or(PeopleTable::Following);
            set(table, None, String::new(), true);
        } else if let Some(title) = attr("data-filter") {
            set(table.get_untracked(), sort.get_untracked(), title, true);
        } else {
            super::stats::follow_term(state, &el);
        }
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let files = crate::files::from_file_list(input.files());
        input.set_value("");
        state.add_files(files);
    };
    let added_holder = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        let Some(holder) = added_holder.get() else {
            return;
        };
        match state.added.get() {
            Some(added) => {
                holder.replace_children_with_node_1(&added_notice(&added).into_element())
            }
            None => holder.replace_children_with_node_0(),
        }
    });
    let i18n = crate::lang::i18n();
    let sort_value = move || {
        sort.get()
            .unwrap_or_else(|| table.get().default_sort())
            .as_str()
    };
    view! {
        <section class="people" aria-labelledby="people-title" data-testid="people" on:click=on_click>
            <h2 id="people-title">{t_string!(i18n, people.title)}</h2>
            <div data-testid="people-added" aria-live="polite" node_ref=added_holder></div>
            <div class="search-row">
                <input type="search" class="people-filter" data-testid="people-filter"
                    aria-label=t_string!(i18n, people.filter)
                    placeholder=t_string!(i18n, people.filter)
                    prop:value=move || filter.get()
                    on:input=move |ev| set(table.get_untracked(), sort.get_untracked(), event_target_value(&ev), false)/>
                <select data-testid="people-sort" aria-label=t_string!(i18n, people.order) prop:value=sort_value
                    on:change=move |ev| {
                        set(table.get_untracked(), PeopleSort::parse(&event_target_value(&ev)), filter.get_untracked(), true)
                    }>
                    <option value="name">{t_string!(i18n, people.by_address)}</option>
                    <option value="mentions">{t_string!(i18n, people.most_mentioned)}</option>
                    <option value="boosts">{t_string!(i18n, people.most_boosted)}</option>
                    <option value="file">{t_string!(i18n, people.as_in_file)}</option>
                </select>
                <label class="button">
                    {t_string!(i18n, people.add_csv)}
                    <input type="file" multiple accept=".csv,text/csv" class="visually-hidden"
                        data-testid="people-input" on:change=on_pick/>
                </label>
            </div>
            <div node_ref=holder>
                <p class="hint">{t_string!(i18n, memories.looking)}</p>
            </div>
        </section>
    }
}

/// What the last added files were.
fn added_notice(added: &AddedView) -> El {
    let i18n = crate::lang::i18n();
    El::html("div")
        .class("notice")
        .attr("role", "status")
        .child(El::html("p").child(El::html("strong").text(t_string!(i18n, people.added))))
        .child(El::html("ul").children(added.files.iter().map(|f| {
            let what = match (&f.error, f.kind) {
                (Some(e), _) => {
                    crate::tr!(
                        i18n,
                        people.not_added_because,
                        file = f.name,
                        error = crate::lang::message(e)
                    )
                }
                (None, Some(kind)) => {
                    let problems = if f.problems > 0 {
                        crate::tr!(
                            i18n,
                            people.problems,
                            rows = crate::plural!(i18n, n_rows, u64::from(f.problems))
                        )
                    } else {
                        String::new()
                    };
                    let rows = read_as(kind, u64::from(f.rows));
                    format!(
                        "{}{problems}",
                        crate::tr!(i18n, people.added_rows, file = f.name, rows = rows)
                    )
                }
                (None, None) => crate::tr!(i18n, people.not_added, file = f.name),
            };
            El::html("li")
                .attr("data-testid", "people-added-file")
                .text(&what)
        })))
        // Kept on this device, but what was added could not be written there.
        .children(added.not_kept.as_ref().map(|why| {
            El::html("p")
                .attr("data-testid", "people-not-kept")
                .text(&crate::lang::message(why))
        }))
}

/// The table buttons, what the table holds, and its first rows.
fn panel(v: &PeopleView, query: &str) -> El {
    let i18n = crate::lang::i18n();
    let chips = El::html("div")
        .class("chips")
        .attr("role", "group")
        .attr("aria-label", t_string!(i18n, people.which))
        .children(v.tables.iter().map(|t| {
            let name = names(t.table);
            let label = if t.present {
                format!("{name} · {}", format::count(u64::from(t.total)))
            } else {
                crate::tr!(i18n, people.no_file, name = name)
            };
            El::html("button")
                .attr("type", "button")
                .class("chip-button")
                .attr("data-table", t.table.as_str())
                .attr("data-testid", &format!("people-table-{}", t.table.as_str()))
                .attr(
                    "aria-pressed",
                    if t.table == v.table { "true" } else { "false" },
                )
                .text(&label)
        }));
    let mut out = El::html("div").child(chips);
    for e in &v.errors {
        out = out.child(El::html("p").class("query-errors").message(e));
    }
    let present = v
        .tables
        .iter()
        .find(|t| t.table == v.table)
        .is_some_and(|t| t.present);
    if !present {
        return out.child(missing(v));
    }
    let total = rows_of(v.table, u64::from(v.total));
    let line = if v.matching == v.total {
        crate::tr!(i18n, people.all, total = total)
    } else {
        crate::tr!(
            i18n,
            people.of,
            matching = format::count(u64::from(v.matching)),
            total = total
        )
    };
    if !query.is_empty() && v.table != PeopleTable::DomainBlocks {
        // The counts are over the query the other tabs share.
        out = out.child(El::html("p").class("hint").text(&crate::tr!(
            i18n,
            people.counted_in,
            query = query
        )));
    }
    out = out.child(
        El::html("p")
            .class("summary-line")
            .attr("data-testid", "people-count")
            .attr("data-matching", &v.matching.to_string())
            .attr("data-total", &v.total.to_string())
            .text(&line),
    );
    if !v.lists.is_empty() {
        out = out.child(
            El::html("ul")
                .class("chips")
                .attr("aria-label", t_string!(i18n, people.lists))
                .children(v.lists.iter().map(|l| {
                    El::html("li").child(
                        El::html("button")
                            .attr("type", "button")
                            .class("chip-button")
                            .attr("data-filter", &l.title)
                            .text(&format!(
                                "{} · {}",
                                l.title,
                                crate::plural!(i18n, n_members, u64::from(l.members))
                            )),
                    )
                })),
        );
    }
    out.child(El::html("ol").class("people-rows").children(rows(v)))
}

/// The rows of an answer.
fn rows(v: &PeopleView) -> Vec<El> {
    if v.table == PeopleTable::DomainBlocks {
        return v
            .domains
            .iter()
            .map(|d| {
                El::html("li")
                    .attr("data-testid", "person")
                    .child(El::html("bdi").class("person-address").text(d))
            })
            .collect();
    }
    v.rows.iter().map(|r| row(v.table, r)).collect()
}

/// One account: its address, what the files say, and its mentions and boosts as ways into the
/// timeline.
fn row(table: PeopleTable, r: &PersonRow) -> El {
    let i18n = crate::lang::i18n();
    // The list names are the archive's words: isolated, as every name from it is.
    let lists = match &r.list {
        Some(list) => Some(with_data(t_string!(i18n, people.in_list), "list", list)),
        None if !r.lists.is_empty() => Some(with_data(
            t_string!(i18n, people.lists_are),
            "lists",
            &r.lists.join(", "),
        )),
        None => None,
    };
    let mut notes: Vec<String> = Vec::new();
    if r.followed && table != PeopleTable::Following && table != PeopleTable::NotMentioned {
        notes.push(t_string!(i18n, people.followed).into());
    }
    if r.show_boosts == Some(false) {
        notes.push(t_string!(i18n, people.boosts_hidden).into());
    }
    if r.notify == Some(true) {
        notes.push(t_string!(i18n, people.notified).into());
    }
    if !r.languages.is_empty() {
        notes.push(crate::tr!(
            i18n,
            people.only_languages,
            languages = r.languages.join(", ")
        ));
    }
    if r.hide_notifications == Some(true) {
        notes.push(t_string!(i18n, people.notifications_hidden).into());
    }
    let mut li = El::html("li")
        .attr("data-testid", "person")
        .child(El::html("bdi").class("person-address").text(&r.address));
    if lists.is_some() || !notes.is_empty() {
        let mut hint = El::html("span").class("hint");
        if let Some(lists) = lists {
            hint = hint.text(" · ").child(lists);
        }
        for note in &notes {
            hint = hint.text(&format!(" · {note}"));
        }
        li = li.child(hint);
    }
    let counts = El::html("span").class("person-counts");
    let counts = match &r.mention_term {
        Some(term) => counts.child(term_button(
            term,
            &crate::tr!(
                i18n,
                people.mentioning_them,
                address = r.address,
                posts = format::posts(u64::from(r.mentions))
            ),
            &crate::plural!(i18n, n_mentions, u64::from(r.mentions)),
            "person-mentions",
        )),
        None => counts.child(
            El::html("span")
                .class("hint")
                .text(t_string!(i18n, people.never_mentioned)),
        ),
    };
    let counts = match &r.boost_term {
        Some(term) => counts.child(term_button(
            term,
            &crate::tr!(
                i18n,
                people.boosts_of_theirs,
                address = r.address,
                boosts = crate::plural!(i18n, n_boosts, u64::from(r.boosts))
            ),
            &crate::plural!(i18n, n_boosts, u64::from(r.boosts)),
            "person-boosts",
        )),
        None => counts,
    };
    li.child(counts)
}

/// A message whose `{name}` placeholder is the archive's `value`, isolated in a `<bdi>`.
fn with_data(template: &str, name: &str, value: &str) -> El {
    let (before, after) = template
        .split_once(&format!("{{{name}}}"))
        .unwrap_or((template, ""));
    El::html("span")
        .text(before)
        .child(El::html("bdi").text(value))
        .text(after)
}

/// A button that shows the posts a query term selects (see `stats::follow_term`).
fn term_button(term: &str, name: &str, text: &str, testid: &str) -> El {
    El::html("button")
        .attr("type", "button")
        .class("link-button")
        .attr("data-testid", testid)
        .control(term, name)
        .text(text)
}

/// No file gave this table: which export gives it, where, and how to add it.
fn missing(v: &PeopleView) -> El {
    let i18n = crate::lang::i18n();
    let file = file_of(v.table).file_name();
    let mut p = El::html("p").attr("data-testid", "people-missing");
    p = if v.table == PeopleTable::Followers {
        p.text(t_string!(i18n, people.no_followers))
    } else {
        p.text(&crate::tr!(i18n, people.needs, file = file))
    };
    if v.table != PeopleTable::Followers {
        p = match v
            .export_page
            .as_deref()
            .filter(|u| u.starts_with("https://"))
        {
            Some(url) => p
                .text(" (")
                .child(
                    El::html("a")
                        .class("external")
                        .attr("href", url)
                        .attr("target", "_blank")
                        .attr("rel", "noopener noreferrer nofollow")
                        .text(url),
                )
                .text(")"),
            None => p,
        }
        .text(t_string!(i18n, people.drop_it));
    }
    let mut out = El::html("div").child(p);
    if !v.missing.is_empty() {
        let names: Vec<&str> = v.missing.iter().map(|k| k.file_name()).collect();
        out = out.child(El::html("p").class("hint").text(&crate::tr!(
            i18n,
            people.not_given,
            files = names.join(", ")
        )));
    }
    out
}
