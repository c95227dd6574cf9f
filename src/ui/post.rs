//! One post of the timeline.

use super::browse::{toggle_in, Browse};
use super::export::PickBox;
use super::media::MediaGrid;
use super::rich_text::{external_link, filter_link, marked, rich_text};
use crate::app::AppState;
use crate::format::{self, DateStyle};
use crate::route::Route;
use crate::worker_client::WorkerClient;
use leptos::prelude::*;
use leptos::task::spawn_local;
use permafrost_protocol::{Poll, PostKind, PostView, RequestBody, ResponseBody, Visibility};
use std::sync::Arc;

fn visibility_label(v: Visibility) -> &'static str {
    match v {
        Visibility::Public => "Public",
        Visibility::Unlisted => "Unlisted",
        Visibility::Private => "Followers only",
        Visibility::Direct => "Private mention",
    }
}

/// A post. `position` is its place in the current result.
#[component]
pub fn Post(
    /// The post.
    post: Arc<PostView>,
    /// Its position in the result.
    position: u32,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let zone = move || state.time_zone.get();
    let hl = Arc::new(post.highlights.clone());
    let browse = expect_context::<Browse>();
    let index = post.index;
    let has_cw = post.content_warning.is_some();
    let cw_open = Memo::new(move |_| !has_cw || browse.cw_open.with(|s| s.contains(&index)));
    let revealed = Memo::new(move |_| browse.revealed.with(|s| s.contains(&index)));
    let published = post.published;
    let updated = post.updated;

    let date = published.map(|t| {
        let iso = format::iso_utc(t);
        view! { <time datetime=iso>{move || format::date(t, &zone(), DateStyle::DateTime)}</time> }
    });
    let edited = updated.map(|t| {
        view! {
            <span class="badge" title="Only the latest text is in the archive">
                "edited " {move || format::date(t, &zone(), DateStyle::Date)}
            </span>
        }
    });
    let language = post
        .language
        .clone()
        .map(|l| view! { <span class="badge" title="Language">{l}</span> });
    let kind_badge =
        (post.kind == PostKind::Boost).then(|| view! { <span class="badge">"Boost"</span> });

    let boost = (post.kind == PostKind::Boost).then(|| {
        let link = match (&post.boost_of_link, &post.boost_of) {
            (Some(href), _) => {
                external_link(href, "the boosted post".into_any(), "the boosted post")
            }
            (None, target) => {
                view! { <code>{target.clone().unwrap_or_default()}</code> }.into_any()
            }
        };
        let who = post
            .boosted_account
            .clone()
            .map(|a| format::account_label(&a));
        view! {
            <p class="boost-line">
                "You boosted a post" {who.map(|w| view! { " by " <strong>{w}</strong> })} ". "
                "The archive keeps only a link: " {link}
            </p>
        }
    });

    let parent = post.parent.clone().map(|p| {
        let when = p
            .published
            .map(|t| format::date(t, &state.time_zone.get_untracked(), DateStyle::Date));
        view! {
            <p class="reply-line" data-testid="reply-parent">
                "Replying to your post" {when.map(|w| format!(" of {w}"))} ": "
                <q>{p.excerpt}</q>
            </p>
        }
    });
    let reply_elsewhere = (post.parent.is_none() && post.in_reply_to.is_some()).then(|| {
        let link = match &post.in_reply_to_link {
            Some(href) => external_link(href, "a post".into_any(), "a post"),
            None => "a post".into_any(),
        };
        view! { <p class="reply-line">"Replying to " {link} " that is not in the archive"</p> }
    });

    let cut = post.content_cut.map(|cut| {
        view! {
            <p class="cut-note" data-testid="content-cut">
                "This post is too large to show whole: "
                {format::plural(cut.pieces, "more piece", "more pieces")} " of its text ("
                {format::plural(cut.chars, "character", "characters")}
                ") are not shown here. Its raw JSON and every export have all of it."
            </p>
        }
    });
    let content = view! { {rich_text(&post.content, &hl)} {cut} };
    let body = match post.content_warning.clone() {
        None => view! { <div class="post-content">{content}</div> }.into_any(),
        Some(cw) => view! {
            <div class="cw">
                <span class="cw-summary">"Content warning: " {marked(&cw, &hl)}</span> " "
                <button
                    type="button"
                    class="button small"
                    aria-expanded=move || cw_open.get().to_string()
                    on:click=move |_| toggle_in(browse.cw_open, index)
                    data-testid="cw-toggle"
                >
                    {move || if cw_open.get() { "Hide" } else { "Show" }}
                </button>
            </div>
            <div class="post-content" hidden=move || !cw_open.get()>{content}</div>
        }
        .into_any(),
    };
    let poll = post
        .poll
        .clone()
        .map(|p| poll_view(p, post.more_poll_options));
    let media = (!post.attachments.is_empty()).then(|| {
        let more = post.more_attachments;
        let more = (more > 0).then(|| {
            view! {
                <p class="cut-note">
                    {format!("… and {} more attachments, not shown here (exports have them all)", format::count(u64::from(more)))}
                </p>
            }
        });
        let post = post.clone();
        view! {
            <div hidden=move || !cw_open.get()>
                <MediaGrid post=post position=position revealed=revealed/>
                {more}
            </div>
        }
    });
    let counts = (post.likes.is_some() || post.shares.is_some()).then(|| {
        view! {
            <span class="counts">
                {post.likes.map(|n| view! { <span>{format::plural(u64::from(n), "favourite", "favourites")}</span> })}
                {post.shares.map(|n| view! { <span>{format::plural(u64::from(n), "boost", "boosts")}</span> })}
            </span>
        }
    });
    let more_tags = (post.more_hashtags > 0).then(|| {
        view! { <span class="more">{format!("and {} more", format::count(u64::from(post.more_hashtags)))}</span> }
    });
    let tags = view! {
        {crate::tags::not_in_text(&post.content, &post.hashtags)
            .into_iter()
            .map(|t| filter_link(format!("#{t}"), format!("#{t}").into_any(), "hashtag"))
            .collect_view()}
        {more_tags}
    };
    // The whole chain of replies this post is in, unless a thread is what is shown already
    // (every post of it is in the same chain).
    let thread = (post.thread_len > 1 && !state.route.with_untracked(Route::is_thread))
        .then(|| Route::thread(&post.id))
        .map(|route| {
            let label = format!(
                "Thread ({} posts)",
                format::count(u64::from(post.thread_len))
            );
            view! {
                <a
                    class="link-button"
                    href=route.to_hash()
                    data-testid="open-thread"
                    on:click=move |ev| {
                        ev.prevent_default();
                        state.navigate(route.clone(), true);
                        window().scroll_to_with_x_and_y(0.0, 0.0);
                    }
                >
                    {label}
                </a>
            }
        });
    let open = post
        .link
        .as_ref()
        .map(|href| external_link(href, "Open on the server".into_any(), "Open on the server"));
    let copy = post
        .link
        .as_ref()
        .map(|href| view! { <CopyLink url=href.url.to_string()/> });
    let label = published.map(|t| {
        format!(
            "Post of {}",
            format::date(t, &state.time_zone.get_untracked(), DateStyle::DateTime)
        )
    });
    let index = post.index;

    view! {
        <article class="post" tabindex="-1" aria-label=label data-testid="post" data-index=index>
            <div class="post-meta">
                <PickBox index=index position=position/>
                {date}
                {kind_badge}
                <span class="badge">{visibility_label(post.visibility)}</span>
                {language}
                {edited}
            </div>
            {boost}
            {parent}
            {reply_elsewhere}
            {body}
            {poll}
            {media}
            <div class="tags">{tags}</div>
            <div class="post-actions">
                {counts}
                {thread}
                {open}
                {copy}
                <RawJson post=index/>
            </div>
        </article>
    }
}

fn poll_view(poll: Poll, (more, more_votes): (u32, u64)) -> impl IntoView {
    let shares = crate::poll::shares_with(&poll, more_votes);
    let options = poll
        .options
        .into_iter()
        .zip(shares)
        .map(|(o, share)| {
            let votes = o.votes.map(u64::from);
            // A bar never runs past the box, though a multiple-choice share can pass 100 %.
            let pct = share.unwrap_or(0).min(100);
            view! {
                <li>
                    <span class="bar" style:width=format!("{pct}%")></span>
                    <span class="option">
                        <span>{o.name.to_string()}</span>
                        <span>{votes.zip(share).map(|(v, s)| format!("{s}% ({})", format::count(v)))}</span>
                    </span>
                </li>
            }
        })
        .collect_view();
    let kind = if poll.multiple {
        "Poll, several choices"
    } else {
        "Poll"
    };
    let voters = poll.voters.map(|v| {
        format!(
            " · {}",
            format::plural(u64::from(v), "person voted", "people voted")
        )
    });
    let more = (more > 0).then(|| {
        view! {
            <li class="more">
                {format!("… and {} more options ({})", format::count(u64::from(more)), format::plural(more_votes, "vote", "votes"))}
            </li>
        }
    });
    view! {
        <div data-testid="poll">
            <ul class="poll" aria-label=kind>{options}{more}</ul>
            <p class="poll-meta">{kind} {voters}</p>
        </div>
    }
}

/// Copies the post's address to the clipboard.
#[component]
fn CopyLink(url: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let _ = window().navigator().clipboard().write_text(&url);
        copied.set(true);
    };
    view! {
        <button type="button" class="link-button" on:click=copy>
            {move || if copied.get() { "Link copied" } else { "Copy link" }}
        </button>
    }
}

/// The item's JSON as it is in outbox.json, read from the archive when opened.
#[component]
fn RawJson(post: u32) -> impl IntoView {
    let text = RwSignal::new(None::<String>);
    let asked = StoredValue::new(false);
    let client = expect_context::<WorkerClient>();
    let on_toggle = move |ev: leptos::ev::Event| {
        let open = event_target::<web_sys::HtmlElement>(&ev).has_attribute("open");
        if !open || asked.get_value() {
            return;
        }
        asked.set_value(true);
        let reply = client.request(RequestBody::RawJson { post });
        spawn_local(async move {
            let shown = match reply.await.map(|r| r.body) {
                Some(ResponseBody::RawJson { text }) => pretty(&text),
                Some(ResponseBody::Error { message }) => message,
                _ => return,
            };
            let _ = text.try_set(Some(shown));
        });
    };
    view! {
        <details class="raw-json" on:toggle=on_toggle>
            <summary>"Raw JSON"</summary>
            <pre>{move || text.get().unwrap_or_else(|| "Reading…".into())}</pre>
        </details>
    }
}

/// Indents JSON with the browser's own parser (no JSON library in the page's bundle).
fn pretty(text: &str) -> String {
    js_sys::JSON::parse(text)
        .ok()
        .and_then(|v| {
            js_sys::JSON::stringify_with_replacer_and_space(
                &v,
                &wasm_bindgen::JsValue::NULL,
                &2.into(),
            )
            .ok()
        })
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| text.to_string())
}
