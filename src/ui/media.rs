//! Media from the archive: asked of the worker when shown, turned into a Blob URL, and revoked
//! when no longer shown. Sensitive media is not even read until the user reveals it.

use super::browse::Browse;
use crate::i18n::t_string;
use crate::worker_client::WorkerClient;
use leptos::prelude::*;
use leptos::task::spawn_local;
use permafrost_protocol::{
    AttachmentView, MediaKind, MediaRef, PostView, RequestBody, ResponseBody,
};
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Where a media file is.
#[derive(Clone, Debug, PartialEq)]
pub enum MediaState {
    /// Asked for.
    Loading,
    /// A Blob URL of its bytes.
    Ready(String),
    /// Not in the archive, or unreadable (why).
    Missing(String),
}

/// Asks the worker for a media file; the Blob URL is revoked when the calling component goes.
pub fn use_media(media: MediaRef) -> RwSignal<MediaState> {
    let state = RwSignal::new(MediaState::Loading);
    ask_media(state, &expect_context::<WorkerClient>(), media);
    on_cleanup(move || {
        if let Some(MediaState::Ready(url)) = state.try_get_untracked() {
            revoke(&url);
        }
    });
    state
}

/// How long a row's media waits before it is asked for, in milliseconds.
const ROW_MEDIA_DELAY_MS: u64 = 120;

/// [`use_media`] for the media of a timeline row: asked for only once the row has been shown
/// for [`ROW_MEDIA_DELAY_MS`], and not at all if it goes before. Rows of a result replaced at the
/// next keystroke, or scrolled past, would otherwise queue reads in the worker ahead of the next
/// search and make Blobs on the main thread while its answer waits (profiled: about a third of
/// the main thread's time per keystroke went to the media of results already replaced).
pub fn use_row_media(media: MediaRef) -> RwSignal<MediaState> {
    let state = RwSignal::new(MediaState::Loading);
    let client = expect_context::<WorkerClient>();
    let timer = set_timeout_with_handle(
        move || {
            // Gone meanwhile (the timer is also cleared then): nothing to ask.
            if state.try_get_untracked().is_some() {
                ask_media(state, &client, media);
            }
        },
        std::time::Duration::from_millis(ROW_MEDIA_DELAY_MS),
    )
    .ok();
    on_cleanup(move || {
        if let Some(timer) = timer {
            timer.clear();
        }
        if let Some(MediaState::Ready(url)) = state.try_get_untracked() {
            revoke(&url);
        }
    });
    state
}

/// Asks for a media file into `state`.
fn ask_media(state: RwSignal<MediaState>, client: &WorkerClient, media: MediaRef) {
    let reply = fetch_media(client, media);
    spawn_local(async move {
        let Some(next) = reply.await else { return };
        // The component may be gone already: then nobody will show the URL.
        if let Some(MediaState::Ready(url)) = state.try_set(next) {
            revoke(&url);
        }
    });
}

/// Asks the worker for a media file now; the future gives a Blob URL of its bytes, which the
/// caller owns and must [`revoke`], or why there is none (`None`: the worker restarted). For
/// views that manage the URL's life themselves (the Media tab's tiles), not components.
pub fn fetch_media(
    client: &WorkerClient,
    media: MediaRef,
) -> impl std::future::Future<Output = Option<MediaState>> {
    let reply = client.request(RequestBody::GetMedia { media });
    async move {
        let reply = reply.await?;
        Some(match reply.body {
            ResponseBody::Media { .. } => match blob_url(&reply.beside) {
                Some(url) => MediaState::Ready(url),
                None => {
                    MediaState::Missing(t_string!(crate::lang::i18n(), media.could_not_show).into())
                }
            },
            ResponseBody::MediaMissing { reason } => {
                MediaState::Missing(crate::lang::message(&reason))
            }
            ResponseBody::Error { message } => MediaState::Missing(crate::lang::message(&message)),
            _ => return None,
        })
    }
}

/// A Blob URL of the media's `Blob` (the worker makes it, with its type).
fn blob_url(beside: &wasm_bindgen::JsValue) -> Option<String> {
    let blob: &web_sys::Blob = beside.dyn_ref()?;
    web_sys::Url::create_object_url_with_blob(blob).ok()
}

/// Revokes a Blob URL a little later: an `<img>` removed just after being added may still be
/// starting to load it, and would log a failed load.
pub fn revoke(url: &str) {
    let url = url.to_string();
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(2),
    );
}

/// The average colour of a BlurHash as `#rrggbb`: the placeholder of media not shown yet.
/// Decoding the whole hash would need a canvas; the average is enough here.
pub fn blurhash_colour(hash: &str) -> Option<String> {
    let [r, g, b] = permafrost_model::blurhash::average_colour(hash)?;
    Some(format!("#{r:02x}{g:02x}{b:02x}"))
}

/// The media of one post, in a grid. `revealed` is shared by the post (one reveal for all).
#[component]
pub fn MediaGrid(
    /// The post.
    post: Arc<PostView>,
    /// Its position in the result (for the lightbox).
    position: u32,
    /// Whether sensitive media has been revealed.
    revealed: Memo<bool>,
) -> impl IntoView {
    let items = post
        .attachments
        .iter()
        .enumerate()
        .map(|(i, a)| {
            view! {
                <MediaItem
                    post=post.clone()
                    position=position
                    index=i
                    attachment=a.clone()
                    revealed=revealed
                />
            }
        })
        .collect_view();
    view! { <div class="media-grid">{items}</div> }
}

/// Descriptions longer than this (in characters) are clipped until expanded.
const LONG_ALT_CHARS: usize = 140;

/// One attachment.
#[component]
fn MediaItem(
    post: Arc<PostView>,
    position: u32,
    index: usize,
    attachment: AttachmentView,
    revealed: Memo<bool>,
) -> impl IntoView {
    let browse = expect_context::<Browse>();
    let hidden = post.sensitive;
    let kind = attachment.kind;
    let alt = attachment.alt.clone();
    let ratio = match (attachment.width, attachment.height) {
        (Some(w), Some(h))
            if w > 0
                && h > 0
                && matches!(kind, MediaKind::Image | MediaKind::Gif | MediaKind::Video) =>
        {
            Some(format!("{w} / {h}"))
        }
        _ => None,
    };
    let colour = attachment.blurhash.as_deref().and_then(blurhash_colour);
    let has_hash = colour.is_some();
    let i18n = crate::lang::i18n();
    let no_alt = alt.is_none().then(|| view! { <span class="no-alt" title=t_string!(i18n, media.no_desc_title)>{t_string!(i18n, lightbox.no_alt)}</span> });
    // A long description is clipped to a few lines with a way to read all of it; for a file
    // missing from the archive it is all that is left, so it is shown whole.
    let long = alt
        .as_deref()
        .is_some_and(|a| a.chars().count() > LONG_ALT_CHARS);
    let expanded = RwSignal::new(!attachment.present);
    let caption = alt.clone().map(|a| {
        view! {
            <figcaption class:clipped=move || !expanded.get() data-testid="alt-text">{a}</figcaption>
            {(long && attachment.present).then(|| view! {
                <button type="button" class="link-button small" aria-expanded=move || expanded.get().to_string()
                    on:click=move |_| expanded.update(|e| *e = !*e)>
                    {move || if expanded.get() { t_string!(i18n, media.show_less) } else { t_string!(i18n, media.show_whole) }}
                </button>
            })}
        }
    });
    let post_index = post.index;
    let present = attachment.present;
    let media = MediaRef::Attachment {
        post: post_index,
        index: index as u32,
    };
    let open = move |_| browse.open_lightbox(position, post.clone(), index);
    let open_missing = open.clone();
    let body = move || {
        if !present {
            let open = open_missing.clone();
            return view! {
                <button type="button" class="media-missing" on:click=open data-testid="media-missing">
                    {t_string!(i18n, lightbox.not_in_archive)}
                </button>
            }
            .into_any();
        }
        if hidden && !revealed.get() {
            let blurred = has_hash.then(|| view! { <Placeholder media=MediaRef::Placeholder { post: post_index, index: index as u32 }/> });
            return view! {
                {blurred}
                <button type="button" class="reveal" on:click=move |_| browse.revealed.update(|s| s.push(post_index))>
                    {t_string!(i18n, media.sensitive_show)}
                </button>
            }
            .into_any();
        }
        view! { <Loaded media=media kind=kind alt=alt.clone() open=open.clone()/> }.into_any()
    };
    view! {
        <figure class="media" class:hidden=move || hidden && !revealed.get() class:missing=!present data-testid="media">
            <div class="media-box" style:aspect-ratio=ratio style:background-color=colour>
                {body}
            </div>
            {no_alt}
            {caption}
        </figure>
    }
}

/// The blurred stand-in of hidden media: the worker decodes the BlurHash into a small image.
#[component]
fn Placeholder(media: MediaRef) -> impl IntoView {
    let state = use_row_media(media);
    move || match state.get() {
        MediaState::Ready(url) => {
            Some(view! { <img class="placeholder" src=url alt="" aria-hidden="true"/> })
        }
        _ => None,
    }
}

/// A media file once it may be shown: asked for, then displayed by kind.
#[component]
fn Loaded<F>(media: MediaRef, kind: MediaKind, alt: Option<String>, open: F) -> impl IntoView
where
    F: Fn(leptos::ev::MouseEvent) + Clone + Send + Sync + 'static,
{
    let state = use_row_media(media);
    move || {
        match state.get() {
        MediaState::Loading => {
            view! { <span class="visually-hidden" data-loading="">{t_string!(crate::lang::i18n(), media.loading)}</span> }
                .into_any()
        }
        MediaState::Missing(reason) => view! { <p class="media-missing">{reason}</p> }.into_any(),
        MediaState::Ready(url) => player(kind, url, alt.clone(), Some(open.clone())),
    }
    }
}

/// The element showing a media file; images and GIFs open the lightbox when `open` is given.
pub fn player<F>(kind: MediaKind, url: String, alt: Option<String>, open: Option<F>) -> AnyView
where
    F: Fn(leptos::ev::MouseEvent) + Send + Sync + 'static,
{
    let label = alt.clone().unwrap_or_default();
    let i18n = crate::lang::i18n();
    match kind {
        MediaKind::Image | MediaKind::Gif if !url.is_empty() => {
            let image = view! { <img src=url alt=label.clone() data-testid="media-image"/> };
            match open {
                Some(open) => view! {
                    <button type="button" class="media-open" on:click=open aria-label=crate::tr!(i18n, media.open_image, alt = if label.is_empty() { t_string!(i18n, media.no_description) } else { &label })>
                        {image}
                    </button>
                }
                .into_any(),
                None => image.into_any(),
            }
        }
        MediaKind::Video => view! {
            <video src=url controls preload="metadata" playsinline aria-label=label></video>
        }
        .into_any(),
        MediaKind::Audio => {
            view! { <audio src=url controls preload="metadata" aria-label=label></audio> }
                .into_any()
        }
        _ => {
            view! { <a class="button small" href=url download="attachment">{t_string!(i18n, media.download)}</a> }
                .into_any()
        }
    }
}
