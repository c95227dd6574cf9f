//! The "Likes and bookmarks" tab: the archive holds only the addresses of the posts you liked or
//! bookmarked. Shown filtered by text, counted by server and by account, a page at a time, each a
//! link opened only on click and labelled with the host it opens; those of your own posts show
//! the post they are. Bookmarks are bookmarks.json and bookmarks.csv merged, as `inspect` counts
//! them.

use super::dom::{closest_attr, target_element, El};
use crate::app::AppState;
use crate::format::{self, DateStyle};
use crate::i18n::t_string;
use crate::worker_client::WorkerClient;
use leptos::html;
use leptos::prelude::*;
use permafrost_protocol::{FacetValue, RequestBody, ResponseBody, SavedItem, SavedList, SavedView};

/// Items asked for at a time.
const PAGE: u32 = 100;

/// The tab.
#[component]
pub fn SavedPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = StoredValue::new(expect_context::<WorkerClient>());
    // The list and the filter are the route's (`show=bookmarks`, `f=`): back and forward
    // return to them.
    let list = Memo::new(move |_| {
        state.route.with(|r| match r.show.as_str() {
            "bookmarks" => SavedList::Bookmarks,
            _ => SavedList::Likes,
        })
    });
    let filter = Memo::new(move |_| state.route.with(|r| r.filter.clone()));
    let i18n = crate::lang::i18n();
    // A chip or a list is a history entry; typing replaces the current one.
    let set = move |show: Option<&str>, text: String, push: bool| {
        let mut route = state.route.get_untracked();
        if let Some(show) = show {
            route.show = show.to_string();
        }
        route.filter = text;
        state.navigate(route, push);
    };
    let holder = NodeRef::<html::Div>::new();
    // Items drawn so far, and the latest request (older answers are dropped).
    let drawn = StoredValue::new(0u32);
    let asked = StoredValue::new(0u32);
    let fetch = move |offset: u32| {
        let body = RequestBody::Saved {
            list: list.get_untracked(),
            filter: filter.get_untracked(),
            offset,
            limit: PAGE,
            account: super::accounts::selected_now(state),
        };
        client.get_value().ask_latest(asked, body, move |answer| {
            let ResponseBody::Saved(v) = answer else {
                return;
            };
            let Some(holder) = holder.get_untracked() else {
                return;
            };
            let zone = state.time_zone.get_untracked();
            let shown = offset + v.items.len() as u32;
            drawn.set_value(shown);
            let more = (shown < v.matching).then(more_button);
            // The first item added by "Show more", for the keyboard to go on from.
            let mut first_new = None;
            if offset == 0 {
                super::dom::replace_keeping_focus(
                    &holder,
                    &panel(&v, &zone).into_element(),
                    &["data-filter", "data-testid"],
                );
                if let Some(whose) = super::accounts::whose(state) {
                    let _ = holder.prepend_with_node_1(&whose.into_element());
                }
            } else if let Ok(Some(items)) = holder.query_selector("ol.saved-items") {
                for item in &v.items {
                    let el = item_view(item, &zone).into_element();
                    let _ = items.append_child(&el);
                    first_new.get_or_insert(el);
                }
            }
            // The "show more" button follows the last item.
            if let Ok(Some(old)) = holder.query_selector("[data-more]") {
                old.remove();
            }
            if let Some(more) = more {
                let _ = holder.append_child(&more.into_element());
            }
            // "Show more" pressed from the keyboard went with the old end of the list: the
            // keyboard goes on from the first item it added.
            if let Some(control) = first_new
                .filter(|_| super::dom::focus_lost())
                .and_then(|el| el.query_selector("a, button").ok().flatten())
            {
                super::dom::focus_in_place(&control);
            }
        });
    };
    // The account the switcher keeps to, with several open.
    let account = super::accounts::chosen(state);
    Effect::new(move |_| {
        list.track();
        filter.track();
        account.track();
        fetch(0);
    });
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = target_element(ev.target()) else {
            return;
        };
        if closest_attr(&el, "data-more").is_some() {
            fetch(drawn.get_value());
        } else if super::stats::follow_term(state, &el) {
            // Your own post, in the timeline.
        } else if let Some(value) = closest_attr(&el, "data-filter") {
            set(None, value, true);
        }
    };
    let switch = move |which: SavedList, label: &'static str, id: &'static str| {
        view! {
            <button type="button" class="chip-button" data-testid=id
                aria-pressed=move || (list.get() == which).to_string()
                on:click=move |_| set(Some(id.trim_start_matches("saved-")), String::new(), true)>
                {label}
            </button>
        }
    };
    view! {
        <section class="saved" aria-labelledby="saved-title" data-testid="saved" on:click=on_click>
            <h2 id="saved-title">{t_string!(i18n, saved.title)}</h2>
            <div class="chips" role="group" aria-label=t_string!(i18n, saved.which)>
                {switch(SavedList::Likes, t_string!(i18n, saved.liked), "saved-likes")}
                {switch(SavedList::Bookmarks, t_string!(i18n, saved.bookmarked), "saved-bookmarks")}
            </div>
            <p>
                <input type="search" class="saved-filter" data-testid="saved-filter" aria-label=t_string!(i18n, saved.filter)
                    placeholder=t_string!(i18n, saved.filter)
                    prop:value=move || filter.get()
                    on:input=move |ev| set(None, event_target_value(&ev), false)/>
            </p>
            <div node_ref=holder aria-live="polite">
                <p class="hint">{t_string!(i18n, memories.looking)}</p>
            </div>
        </section>
    }
}

fn more_button() -> El {
    El::html("button")
        .attr("type", "button")
        .class("button")
        .attr("data-more", "")
        .attr("data-testid", "saved-more")
        .text(t_string!(crate::lang::i18n(), saved.show_more))
}

/// What the archive has: counts, the servers and accounts to filter by, the first items.
fn panel(v: &SavedView, zone: &str) -> El {
    let i18n = crate::lang::i18n();
    let missing = match v.list {
        SavedList::Likes => t_string!(i18n, saved.no_likes),
        SavedList::Bookmarks => t_string!(i18n, saved.no_bookmarks),
    };
    if !v.present {
        return El::html("p")
            .attr("data-testid", "saved-missing")
            .text(missing);
    }
    let (matching, total, own) = (
        format::count(u64::from(v.matching)),
        format::count(u64::from(v.total)),
        format::count(u64::from(v.own)),
    );
    let line = match v.list {
        SavedList::Likes => {
            crate::tr!(
                i18n,
                saved.line_likes,
                matching = matching,
                total = total,
                own = own
            )
        }
        SavedList::Bookmarks => {
            crate::tr!(
                i18n,
                saved.line_bookmarks,
                matching = matching,
                total = total,
                own = own
            )
        }
    };
    let chips = |title: &str, key: &str, values: &[FacetValue]| {
        El::html("section")
            .class("bar-list")
            .attr("data-testid", &format!("saved-{key}"))
            .child(El::html("h3").text(title))
            .child(
                El::html("ul")
                    .class("chips")
                    .children(values.iter().map(|f| {
                        El::html("li").child(
                            El::html("button")
                                .attr("type", "button")
                                .class("chip-button")
                                .attr("data-filter", &f.term)
                                .attr(
                                    "aria-label",
                                    &format!("{}: {}", f.label, format::posts(u64::from(f.count))),
                                )
                                .text(&format!(
                                    "{} · {}",
                                    f.label,
                                    format::count(u64::from(f.count))
                                )),
                        )
                    })),
            )
    };
    El::html("div")
        .child(
            El::html("p")
                .class("summary-line")
                .attr("data-testid", "saved-count")
                .attr("data-matching", &v.matching.to_string())
                .text(&line),
        )
        .child(chips(t_string!(i18n, saved.servers), "servers", &v.servers))
        .child(chips(
            t_string!(i18n, saved.accounts),
            "accounts",
            &v.accounts,
        ))
        .child(
            El::html("ol")
                .class("saved-items")
                .children(v.items.iter().map(|item| item_view(item, zone))),
        )
}

/// One address: a link labelled with the host it opens, whose post it is, and your own post's
/// beginning when it is one of yours.
fn item_view(item: &SavedItem, zone: &str) -> El {
    let mut li = El::html("li").attr("data-testid", "saved-item");
    if let Some(own) = &item.own {
        let i18n = crate::lang::i18n();
        let when = own
            .published
            .map(|t| format::date(t, zone, DateStyle::Date));
        let (said, named) = match &when {
            Some(date) => (
                crate::tr!(i18n, saved.your_post_of, date = date),
                crate::tr!(i18n, saved.show_yours_of, date = date),
            ),
            None => (
                t_string!(i18n, saved.your_post).to_string(),
                t_string!(i18n, saved.show_yours).to_string(),
            ),
        };
        // The address ends in the post's short id whether it is the post's id or its page, so
        // `id:` finds it in the timeline.
        let term = format!("id:{}", permafrost_model::short_id(&item.uri));
        li = li.child(
            El::html("p")
                .class("reply-line")
                .attr("data-testid", "saved-own")
                .text(&said)
                .child(El::html("q").text(&own.excerpt))
                .text(" ")
                .child(
                    El::html("button")
                        .attr("type", "button")
                        .class("link-button")
                        .attr("data-testid", "saved-own-open")
                        .control(&term, &named)
                        .text(t_string!(i18n, saved.show_it)),
                ),
        );
    }
    li = match &item.link {
        // The text is the address itself; the host it opens is said beside it when the two
        // could be read differently (punycode, a normalised form).
        Some(href) => li.child(El::external(href, &item.uri)),
        None => li.child(El::html("code").text(&item.uri)),
    };
    if let Some(account) = &item.account {
        li = li.child(
            El::html("span")
                .class("hint")
                .text(&format!(" · {account}")),
        );
    }
    li
}
