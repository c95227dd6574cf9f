//! The lightbox: one attachment at a time, large, with its description; the arrow keys (or j/k)
//! move through all media of the current result, Escape closes.

use super::browse::{Browse, LightboxAt};
use super::media::{player, use_media, MediaState};
use crate::app::AppState;
use crate::format::{self, DateStyle};
use crate::i18n::t_string;
use leptos::html;
use leptos::prelude::*;
use permafrost_protocol::MediaRef;

/// The lightbox, when open.
#[component]
pub fn Lightbox() -> impl IntoView {
    let browse = expect_context::<Browse>();
    move || {
        browse
            .lightbox
            .get()
            .map(|at| view! { <LightboxView at=at/> })
    }
}

#[component]
fn LightboxView(at: LightboxAt) -> impl IntoView {
    let state = expect_context::<AppState>();
    let browse = expect_context::<Browse>();
    let post = at.post.0.clone();
    let attachment = post.attachments.get(at.index).cloned();
    let dialog = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = dialog.get() {
            let _ = el.focus();
        }
    });
    let kind = attachment.as_ref().map(|a| a.kind);
    let alt = attachment.as_ref().and_then(|a| a.alt.clone());
    let present = attachment.as_ref().is_some_and(|a| a.present);
    let media = present.then(|| {
        use_media(MediaRef::Attachment {
            post: post.index,
            index: at.index as u32,
        })
    });
    let stage = {
        let alt = alt.clone();
        move || match (media.map(|m| m.get()), kind) {
            (Some(MediaState::Ready(url)), Some(kind)) => player(kind, url, alt.clone()),
            (Some(MediaState::Loading), _) => {
                view! { <p>{t_string!(crate::lang::i18n(), lightbox.loading)}</p> }.into_any()
            }
            (Some(MediaState::Missing(reason)), _) => view! { <p>{reason}</p> }.into_any(),
            _ => view! { <p>{t_string!(crate::lang::i18n(), lightbox.not_in_archive)}</p> }
                .into_any(),
        }
    };
    let caption = match alt {
        Some(alt) => view! { <p class="lightbox-caption" data-testid="lightbox-alt">{alt}</p> }.into_any(),
        None => view! {
            <p class="lightbox-caption"><span class="no-alt-badge badge warn">{t_string!(crate::lang::i18n(), lightbox.no_alt)}</span></p>
        }
        .into_any(),
    };
    let when = post
        .published
        .map(|t| format::date(t, &state.time_zone.get_untracked(), DateStyle::DateTime));
    let count = post.attachments.len();
    let i18n = crate::lang::i18n();
    let where_ = format!(
        "{}{}",
        crate::tr!(
            i18n,
            lightbox.position,
            i = format::count(at.index as u64 + 1),
            n = format::count(count as u64)
        ),
        when.map(|w| format!(" · {w}")).unwrap_or_default()
    );
    view! {
        <div
            class="overlay lightbox"
            role="dialog"
            aria-modal="true"
            aria-label=t_string!(i18n, lightbox.viewer)
            tabindex="-1"
            node_ref=dialog
            data-testid="lightbox"
            data-post=post.index
            data-index=at.index
        >
            <div class="lightbox-stage">{stage}</div>
            {caption}
            <p class="lightbox-where">{where_}</p>
            <div class="lightbox-bar">
                <button type="button" class="button" on:click=move |_| browse.lightbox_step(false)>{t_string!(i18n, lightbox.previous)}</button>
                <button type="button" class="button" data-testid="lightbox-close" on:click=move |_| { browse.close_overlay(); }>{t_string!(i18n, dialog.close)}</button>
                <button type="button" class="button" on:click=move |_| browse.lightbox_step(true)>{t_string!(i18n, lightbox.next)}</button>
            </div>
        </div>
    }
}
