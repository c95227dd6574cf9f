//! One post of the timeline.

use super::browse::{toggle_in, Browse};
use super::export::PickBox;
use super::media::MediaGrid;
use super::rich_text::{external_link, filter_link, marked, rich_text};
use crate::app::AppState;
use crate::format::{self, DateStyle};
use crate::i18n::t_string;
use crate::route::Route;
use crate::worker_client::WorkerClient;
use leptos::prelude::*;
use leptos::task::spawn_local;
use permafrost_protocol::{Poll, PostKind, PostView, RequestBody, ResponseBody, Visibility};
use std::sync::Arc;

fn visibility_label(v: Visibility) -> &'static str {
    let i18n = crate::lang::i18n();
    match v {
        Visibility::Public => t_string!(i18n, post.public),
        Visibility::Unlisted => t_string!(i18n, post.unlisted),
        Visibility::Private => t_string!(i18n, post.private),
        Visibility::Direct => t_string!(i18n, post.direct),
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
    let i18n = crate::lang::i18n();

    let date = published.map(|t| {
        let iso = format::iso_utc(t);
        view! { <time datetime=iso>{move || format::date(t, &zone(), DateStyle::DateTime)}</time> }
    });
    let edited = updated.map(|t| {
        view! {
            <span class="badge" title=t_string!(i18n, post.edited_title)>
                {move || crate::tr!(i18n, post.edited, date = format::date(t, &zone(), DateStyle::Date))}
            </span>
        }
    });
    let language = post
        .language
        .clone()
        .map(|l| view! { <span class="badge" title=t_string!(i18n, post.language)>{l}</span> });
    // With several accounts open, whose post it is: its handle, a link to that account's posts.
    let owner = post.account.and_then(|i| {
        state.phase.with_untracked(|p| match p {
            crate::app::Phase::Ready(o) if o.accounts.len() > 1 => {
                o.accounts.get(i as usize).map(|a| a.name.clone())
            }
            _ => None,
        })
    });
    let owner = owner.map(|name| {
        filter_link(
            format!("account:{name}"),
            format!("@{name}").into_any(),
            "post-account",
        )
    });
    let kind_badge = (post.kind == PostKind::Boost)
        .then(|| view! { <span class="badge">{t_string!(i18n, post.boost)}</span> });

    let boost = (post.kind == PostKind::Boost).then(|| {
        // A boost of one of the archive's own posts shows that post below: the archive has
        // more than a link then.
        let only_link = post
            .content
            .blocks
            .is_empty()
            .then(|| t_string!(i18n, post.only_link));
        let link = match (&post.boost_of_link, &post.boost_of) {
            (Some(href), _) => {
                let label = t_string!(i18n, post.the_boosted_post);
                external_link(href, label.into_any(), label, label)
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
                {match who {
                    Some(w) => view! {
                        {t_string!(i18n, post.you_boosted_by_pre)}
                        <strong>{w}</strong>
                        {t_string!(i18n, post.you_boosted_by_post)}
                    }
                    .into_any(),
                    None => t_string!(i18n, post.you_boosted).into_any(),
                }}
                {only_link} " " {link}
            </p>
        }
    });

    let parent = post.parent.clone().map(|p| {
        let when = p
            .published
            .map(|t| format::date(t, &state.time_zone.get_untracked(), DateStyle::Date));
        view! {
            <p class="reply-line" data-testid="reply-parent">
                {match when {
                    Some(w) => crate::tr!(i18n, post.replying_to_yours_of, date = w),
                    None => t_string!(i18n, post.replying_to_yours).to_string(),
                }}
                <q>{p.excerpt}</q>
            </p>
        }
    });
    let reply_elsewhere = (post.parent.is_none() && post.in_reply_to.is_some()).then(|| {
        let link = match &post.in_reply_to_link {
            Some(href) => {
                let label = t_string!(i18n, post.a_post);
                external_link(href, label.into_any(), label, label)
            }
            None => t_string!(i18n, post.a_post).into_any(),
        };
        view! {
            <p class="reply-line">
                {t_string!(i18n, post.replying_to_pre)}
                {link}
                {t_string!(i18n, post.replying_to_post)}
            </p>
        }
    });

    let cut = post.content_cut.map(|cut| {
        view! {
            <p class="cut-note" data-testid="content-cut">
                {crate::tr!(
                    i18n,
                    post.too_large,
                    pieces = crate::plural!(i18n, n_more_pieces, cut.pieces),
                    chars = crate::plural!(i18n, n_characters, cut.chars)
                )}
            </p>
        }
    });
    let content = view! { {rich_text(&post.content, &hl)} {cut} };
    let body = match post.content_warning.clone() {
        None => view! { <div class="post-content">{content}</div> }.into_any(),
        Some(cw) => view! {
            <div class="cw">
                <span class="cw-summary">{t_string!(i18n, post.cw)} {marked(&cw, &hl)}</span> " "
                <button
                    type="button"
                    class="button small"
                    aria-expanded=move || cw_open.get().to_string()
                    on:click=move |_| toggle_in(browse.cw_open, index)
                    data-testid="cw-toggle"
                >
                    {move || if cw_open.get() { t_string!(i18n, post.hide) } else { t_string!(i18n, post.show) }}
                </button>
            </div>
            <div class="post-content" hidden=move || !cw_open.get()>{content}</div>
        }
        .into_any(),
    };
    // Behind the content warning, with the text it belongs to.
    let poll = post.poll.clone().map(|p| {
        let poll = poll_view(p, post.more_poll_options);
        view! { <div hidden=move || !cw_open.get()>{poll}</div> }
    });
    let media = (!post.attachments.is_empty()).then(|| {
        let more = post.more_attachments;
        let more = (more > 0).then(|| {
            view! {
                <p class="cut-note">
                    {crate::tr!(i18n, post.more_attachments, n = format::count(u64::from(more)))}
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
                {post.likes.map(|n| view! { <span>{crate::plural!(i18n, n_favourites, u64::from(n))}</span> })}
                {post.shares.map(|n| view! { <span>{crate::plural!(i18n, n_boosts, u64::from(n))}</span> })}
            </span>
        }
    });
    let more_tags = (post.more_hashtags > 0).then(|| {
        view! { <span class="more">{crate::tr!(i18n, post.and_more, n = format::count(u64::from(post.more_hashtags)))}</span> }
    });
    let tags = view! {
        {crate::tags::not_in_text(&post.content, &post.hashtags)
            .into_iter()
            .map(|t| filter_link(format!("#{t}"), format!("#{t}").into_any(), "hashtag"))
            .collect_view()}
        {more_tags}
    };
    // Where a thread opened from here is shown (none in a printed page).
    let browse = use_context::<super::browse::Browse>();
    // The whole chain of replies this post is in, unless a thread is what is shown already
    // (every post of it is in the same chain).
    let thread = (post.thread_len > 1 && !state.route.with_untracked(Route::is_thread))
        .then(|| Route::thread(&post.id))
        .map(|route| {
            let label = crate::tr!(
                i18n,
                post.thread,
                n = format::count(u64::from(post.thread_len))
            );
            view! {
                <a
                    class="link-button"
                    href=route.to_hash()
                    data-testid="open-thread"
                    on:click=move |ev| {
                        ev.prevent_default();
                        state.navigate(route.clone(), true);
                        if let Some(browse) = browse {
                            browse.reveal_thread();
                        }
                    }
                >
                    {label}
                </a>
            }
        });
    let open = post.link.as_ref().map(|href| {
        let label = t_string!(i18n, post.open_on_server);
        external_link(href, label.into_any(), label, label)
    });
    let copy = post
        .link
        .as_ref()
        .map(|href| view! { <CopyLink url=href.url.to_string()/> });
    let label = published.map(|t| {
        crate::tr!(
            i18n,
            post.post_of,
            date = format::date(t, &state.time_zone.get_untracked(), DateStyle::DateTime)
        )
    });
    let index = post.index;

    view! {
        <article class="post" tabindex="-1" aria-label=label data-testid="post" data-index=index>
            <div class="post-meta">
                <PickBox index=index position=position/>
                {date}
                {owner}
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
    let i18n = crate::lang::i18n();
    let kind = if poll.multiple {
        t_string!(i18n, post.poll_multiple)
    } else {
        t_string!(i18n, post.poll)
    };
    let voters = poll
        .voters
        .map(|v| format!(" · {}", crate::plural!(i18n, n_voted, u64::from(v))));
    let more = (more > 0).then(|| {
        view! {
            <li class="more">
                {crate::tr!(i18n, post.more_options, n = format::count(u64::from(more)), votes = crate::plural!(i18n, n_votes, more_votes))}
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
    let i18n = crate::lang::i18n();
    let copy = move |_| {
        let _ = window().navigator().clipboard().write_text(&url);
        copied.set(true);
    };
    view! {
        <button type="button" class="link-button" on:click=copy>
            {move || if copied.get() { t_string!(i18n, post.link_copied) } else { t_string!(i18n, post.copy_link) }}
        </button>
    }
}

/// The item's JSON as it is in outbox.json, read from the archive when opened.
#[component]
fn RawJson(post: u32) -> impl IntoView {
    let i18n = crate::lang::i18n();
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
                Some(ResponseBody::Error { message }) => crate::lang::message(&message),
                _ => return,
            };
            let _ = text.try_set(Some(shown));
        });
    };
    view! {
        <details class="raw-json" on:toggle=on_toggle>
            <summary>{t_string!(i18n, post.raw_json)}</summary>
            <pre>{move || text.get().unwrap_or_else(|| t_string!(i18n, post.reading).into())}</pre>
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
