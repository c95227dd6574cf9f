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
use crate::worker_client::WorkerClient;
use leptos::html;
use leptos::prelude::*;
use permafrost_protocol::{
    AddedView, CsvKind, PeopleSort, PeopleTable, PeopleView, PersonRow, RequestBody, ResponseBody,
};

/// Rows asked for at a time.
const PAGE: u32 = 100;

/// A table's name on its button, and what its rows are ("accounts you follow").
fn names(table: PeopleTable) -> (&'static str, &'static str) {
    match table {
        PeopleTable::Following => ("Following", "accounts you follow"),
        PeopleTable::Followers => ("Followers", "accounts following you"),
        PeopleTable::Lists => ("Lists", "list memberships"),
        PeopleTable::Blocks => ("Blocked", "blocked accounts"),
        PeopleTable::Mutes => ("Muted", "muted accounts"),
        PeopleTable::DomainBlocks => ("Blocked domains", "blocked domains"),
        PeopleTable::NotMentioned => (
            "Followed, never mentioned",
            "accounts you follow but never mentioned or boosted",
        ),
        PeopleTable::MentionedNotFollowed => (
            "Mentioned, not followed",
            "accounts you mentioned but do not follow",
        ),
    }
}

/// What the rows of a file of this kind are ("42 accounts you follow").
fn read_as(kind: CsvKind) -> &'static str {
    match kind {
        CsvKind::Following => "accounts you follow",
        CsvKind::Followers => "accounts following you",
        CsvKind::Lists => "list memberships",
        CsvKind::Blocks => "blocked accounts",
        CsvKind::Mutes => "muted accounts",
        CsvKind::DomainBlocks => "blocked domains",
        CsvKind::Bookmarks => "bookmarks",
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
                    .text("Show more");
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
    let sort_value = move || {
        sort.get()
            .unwrap_or_else(|| table.get().default_sort())
            .as_str()
    };
    view! {
        <section class="people" aria-labelledby="people-title" data-testid="people" on:click=on_click>
            <h2 id="people-title">"People"</h2>
            <div data-testid="people-added" aria-live="polite" node_ref=added_holder></div>
            <div class="search-row">
                <input type="search" class="people-filter" data-testid="people-filter"
                    aria-label="Filter by address or list"
                    placeholder="Filter by address or list"
                    prop:value=move || filter.get()
                    on:input=move |ev| set(table.get_untracked(), sort.get_untracked(), event_target_value(&ev), false)/>
                <select data-testid="people-sort" aria-label="Order" prop:value=sort_value
                    on:change=move |ev| {
                        set(table.get_untracked(), PeopleSort::parse(&event_target_value(&ev)), filter.get_untracked(), true)
                    }>
                    <option value="name">"By address"</option>
                    <option value="mentions">"Most mentioned"</option>
                    <option value="boosts">"Most boosted"</option>
                    <option value="file">"As in the file"</option>
                </select>
                <label class="button">
                    "Add CSV exports…"
                    <input type="file" multiple accept=".csv,text/csv" class="visually-hidden"
                        data-testid="people-input" on:change=on_pick/>
                </label>
            </div>
            <div node_ref=holder>
                <p class="hint">"Looking…"</p>
            </div>
        </section>
    }
}

/// What the last added files were.
fn added_notice(added: &AddedView) -> El {
    El::html("div")
        .class("notice")
        .attr("role", "status")
        .child(El::html("p").child(El::html("strong").text("Added to this archive:")))
        .child(El::html("ul").children(added.files.iter().map(|f| {
            let what = match (&f.error, f.kind) {
                (Some(e), _) => format!("{}: not added, {e}", f.name),
                (None, Some(kind)) => {
                    let problems = if f.problems > 0 {
                        format!(
                            " ({} could not be read)",
                            format::plural(u64::from(f.problems), "row", "rows")
                        )
                    } else {
                        String::new()
                    };
                    format!(
                        "{}: {} {}{problems}",
                        f.name,
                        format::count(u64::from(f.rows)),
                        read_as(kind)
                    )
                }
                (None, None) => format!("{}: not added", f.name),
            };
            El::html("li")
                .attr("data-testid", "people-added-file")
                .text(&what)
        })))
}

/// The table buttons, what the table holds, and its first rows.
fn panel(v: &PeopleView, query: &str) -> El {
    let chips = El::html("div")
        .class("chips")
        .attr("role", "group")
        .attr("aria-label", "Which people")
        .children(v.tables.iter().map(|t| {
            let (name, _) = names(t.table);
            let label = if t.present {
                format!("{name} · {}", format::count(u64::from(t.total)))
            } else {
                format!("{name} · no file")
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
        out = out.child(El::html("p").class("query-errors").text(e));
    }
    let present = v
        .tables
        .iter()
        .find(|t| t.table == v.table)
        .is_some_and(|t| t.present);
    if !present {
        return out.child(missing(v));
    }
    let (_, what) = names(v.table);
    let line = if v.matching == v.total {
        format!("{} {what}.", format::count(u64::from(v.total)))
    } else {
        format!(
            "{} of {} {what}.",
            format::count(u64::from(v.matching)),
            format::count(u64::from(v.total))
        )
    };
    if !query.is_empty() && v.table != PeopleTable::DomainBlocks {
        // The counts are over the query the other tabs share.
        out = out.child(El::html("p").class("hint").text(&format!(
            "Mentions and boosts are counted in your posts matching “{query}”."
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
                .attr("aria-label", "Lists")
                .children(v.lists.iter().map(|l| {
                    El::html("li").child(
                        El::html("button")
                            .attr("type", "button")
                            .class("chip-button")
                            .attr("data-filter", &l.title)
                            .text(&format!(
                                "{} · {}",
                                l.title,
                                format::plural(u64::from(l.members), "member", "members")
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
    let mut notes: Vec<String> = Vec::new();
    if let Some(list) = &r.list {
        notes.push(format!("in “{list}”"));
    } else if !r.lists.is_empty() {
        notes.push(format!("lists: {}", r.lists.join(", ")));
    }
    if r.followed && table != PeopleTable::Following && table != PeopleTable::NotMentioned {
        notes.push("followed".into());
    }
    if r.show_boosts == Some(false) {
        notes.push("boosts hidden".into());
    }
    if r.notify == Some(true) {
        notes.push("notified of every post".into());
    }
    if !r.languages.is_empty() {
        notes.push(format!("only {}", r.languages.join(", ")));
    }
    if r.hide_notifications == Some(true) {
        notes.push("notifications hidden".into());
    }
    let mut li = El::html("li")
        .attr("data-testid", "person")
        .child(El::html("bdi").class("person-address").text(&r.address));
    if !notes.is_empty() {
        li = li.child(
            El::html("span")
                .class("hint")
                .text(&format!(" · {}", notes.join(" · "))),
        );
    }
    let counts = El::html("span").class("person-counts");
    let counts = match &r.mention_term {
        Some(term) => counts.child(term_button(
            term,
            &format!(
                "{}: {} mentioning them",
                r.address,
                format::posts(u64::from(r.mentions))
            ),
            &format::plural(u64::from(r.mentions), "mention", "mentions"),
            "person-mentions",
        )),
        None => counts.child(El::html("span").class("hint").text("never mentioned")),
    };
    let counts = match &r.boost_term {
        Some(term) => counts.child(term_button(
            term,
            &format!(
                "{}: {} of their posts",
                r.address,
                format::plural(u64::from(r.boosts), "boost", "boosts")
            ),
            &format::plural(u64::from(r.boosts), "boost", "boosts"),
            "person-boosts",
        )),
        None => counts,
    };
    li.child(counts)
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
    let file = file_of(v.table).file_name();
    let mut p = El::html("p").attr("data-testid", "people-missing");
    p = if v.table == PeopleTable::Followers {
        p.text(
            "Mastodon does not export your followers; GoToSocial does (followers.csv). \
             Drop it on this page, or choose it above: the archive stays open.",
        )
    } else {
        p.text(&format!(
            "This needs {file}, which Mastodon exports under Preferences › Import and export › \
             Data export"
        ))
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
        .text(". Drop it on this page, or choose it above: the archive stays open.");
    }
    let mut out = El::html("div").child(p);
    if !v.missing.is_empty() {
        let names: Vec<&str> = v.missing.iter().map(|k| k.file_name()).collect();
        out = out.child(El::html("p").class("hint").text(&format!(
            "Not given with this archive: {}.",
            names.join(", ")
        )));
    }
    out
}
