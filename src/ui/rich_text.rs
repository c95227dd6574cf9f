//! Rendering the typed rich-text tree of posts and profiles, through components only: there is
//! nothing in the tree that can run (links are checked http/https/mailto), and nothing here turns
//! text into markup.

use crate::app::AppState;
use crate::format;
use crate::highlight;
use crate::query;
use crate::route::Route;
use leptos::prelude::*;
use permafrost_protocol::{Block, Href, Inline, RichText};
use std::sync::Arc;

/// Renders rich text; `highlights` are pieces of text to mark.
pub fn rich_text(text: &RichText, highlights: &Arc<Vec<String>>) -> AnyView {
    blocks(&text.blocks, highlights, 0)
}

/// Quotes and lists nested deeper than this are drawn at this depth: each level is indented, and
/// a hostile post of 10,000 nested quotes must not push the page wider than the screen. The text
/// is all still there.
const MAX_NESTING: usize = 4;

fn blocks(items: &[Block], hl: &Arc<Vec<String>>, depth: usize) -> AnyView {
    let inner = depth + 1;
    items
        .iter()
        .map(|block| match block {
            Block::Paragraph(content) => view! { <p>{inlines(content, hl)}</p> }.into_any(),
            // Post headings become bold paragraphs: real headings would break the page's outline.
            Block::Heading { content, .. } => {
                view! { <p><strong>{inlines(content, hl)}</strong></p> }.into_any()
            }
            Block::Quote(quoted) if depth >= MAX_NESTING => blocks(quoted, hl, depth),
            Block::Quote(quoted) => {
                view! { <blockquote>{blocks(quoted, hl, inner)}</blockquote> }.into_any()
            }
            Block::List { items, .. } if depth >= MAX_NESTING => items
                .iter()
                .map(|item| blocks(item, hl, depth))
                .collect_view()
                .into_any(),
            Block::List { ordered, items } => {
                let items = items
                    .iter()
                    .map(|item| view! { <li>{blocks(item, hl, inner)}</li> })
                    .collect_view();
                if *ordered {
                    view! { <ol>{items}</ol> }.into_any()
                } else {
                    view! { <ul>{items}</ul> }.into_any()
                }
            }
            Block::Code(code) => view! { <pre>{code.to_string()}</pre> }.into_any(),
        })
        .collect_view()
        .into_any()
}

fn inlines(content: &[Inline], hl: &Arc<Vec<String>>) -> AnyView {
    content
        .iter()
        .map(|inline| match inline {
            Inline::Text(text) => marked(text, hl),
            Inline::Break => view! { <br/> }.into_any(),
            Inline::Link { href, text, short } => {
                let shown = short.as_deref().unwrap_or(text).to_string();
                match href {
                    // A shortened URL is still its URL, unless what is shown cuts its host.
                    Some(href) => external_link(href, marked(&shown, hl), text, &shown),
                    None => marked(&shown, hl),
                }
            }
            Inline::Mention { text, href } => {
                let term = mention_term(text, href.as_ref().map(|h| &*h.url));
                filter_link(term, marked(text, hl), "mention")
            }
            Inline::Hashtag { name, .. } => {
                let shown = format!("#{name}");
                filter_link(format!("#{name}"), marked(&shown, hl), "hashtag")
            }
            Inline::Emphasis(inner) => view! { <em>{inlines(inner, hl)}</em> }.into_any(),
            Inline::Strong(inner) => view! { <strong>{inlines(inner, hl)}</strong> }.into_any(),
            Inline::Strike(inner) => view! { <del>{inlines(inner, hl)}</del> }.into_any(),
            Inline::Code(code) => view! { <code>{code.to_string()}</code> }.into_any(),
        })
        .collect_view()
        .into_any()
}

/// Text with the matched pieces in `<mark>`.
pub fn marked(text: &str, hl: &Arc<Vec<String>>) -> AnyView {
    if hl.is_empty() {
        return text.to_string().into_any();
    }
    highlight::split(text, hl)
        .into_iter()
        .map(|piece| {
            if piece.matched {
                view! { <mark>{piece.text.to_string()}</mark> }.into_any()
            } else {
                piece.text.to_string().into_any()
            }
        })
        .collect_view()
        .into_any()
}

/// A link off the page: opens in a new tab, tells the other site nothing, and says where it goes
/// unless its text is the URL itself. The label is the host the click opens, parsed by the worker
/// with the browser's own URL rules (`permafrost_model::link`); the text is isolated (`<bdi>`) so
/// that bidi controls in it cannot move or reverse the label. `shown` is the text as shown, when
/// Mastodon shortened it (`Href::label_for_shown`), else `text`.
pub fn external_link(href: &Href, content: AnyView, text: &str, shown: &str) -> AnyView {
    let label = href
        .label_for_shown(text, shown)
        .map(|host| view! { <span class="domain">"(" <bdi>{host.to_string()}</bdi> ")"</span> });
    view! {
        <a
            class="external"
            href=href.url.to_string()
            title=href.url.to_string()
            target="_blank"
            rel="noopener noreferrer nofollow"
        >
            <bdi>{content}</bdi>
            {label}
        </a>
    }
    .into_any()
}

/// A link that filters the timeline by a query term (`#rust`, `@bob@example.social`).
pub fn filter_link(term: String, content: AnyView, class: &'static str) -> AnyView {
    let state = expect_context::<AppState>();
    let href = Route {
        query: term.clone(),
        ..Route::default()
    }
    .to_hash();
    view! {
        <a
            class=class
            href=href
            title=crate::tr!(crate::lang::i18n(), link.show_posts_with, term = term)
            on:click=move |ev| {
                ev.prevent_default();
                let mut route = state.route.get_untracked();
                // "Show posts with": added to the query, never taken out of it (the filters'
                // buttons are the ones that take a term out).
                if !query::has_term(&route.query, &term) {
                    route.query = query::toggle(&route.query, &term, false);
                }
                route.tab = crate::route::Tab::Posts;
                state.navigate(route, true);
            }
        >
            {content}
        </a>
    }
    .into_any()
}

/// The query term of a mention: `@user@host`, the host taken from the account URL when the text
/// has none.
pub fn mention_term(text: &str, href: Option<&str>) -> String {
    let name = text.trim_start_matches('@');
    if name.contains('@') {
        return format!("@{name}");
    }
    match href.and_then(format::domain) {
        Some(host) => format!("@{name}@{host}"),
        None => format!("@{name}"),
    }
}
