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
    after_row_wait(move || {
        // Gone meanwhile (the timer is also cleared then): nothing to ask.
        if state.try_get_untracked().is_some() {
            ask_media(state, &client, media);
        }
    });
    on_cleanup(move || {
        if let Some(MediaState::Ready(url)) = state.try_get_untracked() {
            revoke(&url);
        }
    });
    state
}

/// Calls `ask` once the calling row has been shown for [`ROW_MEDIA_DELAY_MS`] (see
/// [`use_row_media`] for why), and not at all if the row goes before.
fn after_row_wait(ask: impl FnOnce() + 'static) {
    let timer =
        set_timeout_with_handle(ask, std::time::Duration::from_millis(ROW_MEDIA_DELAY_MS)).ok();
    on_cleanup(move || {
        if let Some(timer) = timer {
            timer.clear();
        }
    });
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
/// views that manage the URL's life themselves (the Media tab's lightbox), not components.
pub fn fetch_media(
    client: &WorkerClient,
    media: MediaRef,
) -> impl std::future::Future<Output = Option<MediaState>> {
    let reply = fetch_media_blob(client, media);
    async move {
        Some(match reply.await? {
            Ok(blob) => match web_sys::Url::create_object_url_with_blob(&blob) {
                Ok(url) => MediaState::Ready(url),
                Err(_) => {
                    MediaState::Missing(t_string!(crate::lang::i18n(), media.could_not_show).into())
                }
            },
            Err(reason) => MediaState::Missing(reason),
        })
    }
}

/// Asks the worker for a media file now; the future gives its bytes as the `Blob` the worker
/// made (with its type), or why there is none (`None`: the worker restarted).
pub fn fetch_media_blob(
    client: &WorkerClient,
    media: MediaRef,
) -> impl std::future::Future<Output = Option<Result<web_sys::Blob, String>>> {
    let reply = client.request(RequestBody::GetMedia { media });
    async move {
        let reply = reply.await?;
        Some(match reply.body {
            ResponseBody::Media { .. } => reply
                .beside
                .dyn_into::<web_sys::Blob>()
                .map_err(|_| t_string!(crate::lang::i18n(), media.could_not_show).into()),
            ResponseBody::MediaMissing { reason } => Err(crate::lang::message(&reason)),
            ResponseBody::Error { message } => Err(crate::lang::message(&message)),
            _ => return None,
        })
    }
}

/// Draws an image into `canvas` at the size it shows at: `width` × `height` CSS pixels (its box;
/// it covers the box, as CSS `object-fit: cover` crops it), at the screen's pixel density, never
/// larger than the image. `natural` is the image's size as the archive states it, when it does:
/// the image is then decoded straight at the smaller size. False when it is not an image the
/// browser can decode.
///
/// Why not an `<img>` of a Blob URL: Chromium keeps the bytes of every image an `<img>` has
/// loaded from a Blob URL, even once the element is gone and the URL revoked (measured: about
/// 0.6 MB per 0.4 MB JPEG, for as long as the page lives). Scrolling through an archive's
/// media then grew the tab by hundreds of megabytes. A decoded `ImageBitmap` is closed as soon as
/// it is shown, and a canvas holds only its pixels, which [`clear_picture`] frees.
pub async fn draw_picture(
    blob: &web_sys::Blob,
    canvas: &web_sys::HtmlCanvasElement,
    (width, height): (f64, f64),
    natural: Option<(u32, u32)>,
) -> bool {
    let window = window();
    let density = window.device_pixel_ratio().clamp(1.0, 4.0);
    // A box not laid out yet (a hidden tab, a print preview) is drawn as a column would be; a
    // box without a height yet (the archive states no size) takes its height from the image.
    let (width, height) = if width < 1.0 {
        (FALLBACK_WIDTH, 0.0)
    } else {
        (width, height.max(0.0))
    };
    let (want_w, want_h) = (width * density, height * density);
    // The smallest width whose height still covers the box, by the stated size. Only the width
    // is given: the browser keeps the file's real aspect ratio, should the stated one be wrong.
    let options = web_sys::ImageBitmapOptions::new();
    if let Some((w, h)) = natural.filter(|&(w, h)| w > 0 && h > 0) {
        let scale = (want_w / f64::from(w)).max(want_h / f64::from(h));
        if scale < 1.0 {
            options.set_resize_width((f64::from(w) * scale).ceil().max(1.0) as u32);
            options.set_resize_quality(web_sys::ResizeQuality::Medium);
        }
    }
    let Some(mut bitmap) =
        decode(window.create_image_bitmap_with_blob_and_image_bitmap_options(blob, &options)).await
    else {
        return false;
    };
    // Without a stated size, the image came at its full size: made smaller here.
    let (bw, bh) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let scale = (want_w / bw).max(want_h / bh);
    if scale < 1.0 {
        let options = web_sys::ImageBitmapOptions::new();
        options.set_resize_width((bw * scale).round().max(1.0) as u32);
        options.set_resize_height((bh * scale).round().max(1.0) as u32);
        options.set_resize_quality(web_sys::ResizeQuality::Medium);
        let smaller = decode(
            window
                .create_image_bitmap_with_image_bitmap_and_image_bitmap_options(&bitmap, &options),
        )
        .await;
        bitmap.close();
        let Some(smaller) = smaller else {
            return false;
        };
        bitmap = smaller;
    }
    canvas.set_width(bitmap.width());
    canvas.set_height(bitmap.height());
    // The canvas takes the bitmap as it is, without a copy (a "2d" canvas would keep one more
    // buffer of its own, and more for the compositor).
    let shown = canvas
        .get_context("bitmaprenderer")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::ImageBitmapRenderingContext>().ok())
        .map(|context| context.transfer_from_image_bitmap(&bitmap))
        .is_some();
    if !shown {
        bitmap.close();
    }
    shown
}

/// The `ImageBitmap` a `createImageBitmap` promise gives, if it does.
async fn decode(
    promise: Result<js_sys::Promise, wasm_bindgen::JsValue>,
) -> Option<web_sys::ImageBitmap> {
    let bitmap = wasm_bindgen_futures::JsFuture::from(promise.ok()?)
        .await
        .ok()?;
    bitmap.dyn_into().ok()
}

/// The width, in CSS pixels, a picture whose box is not laid out is drawn for.
const FALLBACK_WIDTH: f64 = 640.0;

/// Frees a canvas's pixels now, rather than when the garbage collector finds it.
pub fn clear_picture(canvas: &web_sys::HtmlCanvasElement) {
    canvas.set_width(0);
    canvas.set_height(0);
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
    // A file missing from the archive has nothing to show at its shape: a short box of its
    // colour with the words, not a phone's screen of colour per picture.
    let ratio = match (attachment.width, attachment.height) {
        (Some(w), Some(h))
            if w > 0
                && h > 0
                && attachment.present
                && matches!(kind, MediaKind::Image | MediaKind::Gif | MediaKind::Video) =>
        {
            Some(format!("{w} / {h}"))
        }
        _ => None,
    };
    let natural = attachment.width.zip(attachment.height);
    let duration = attachment.duration;
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
                    <span>{t_string!(i18n, lightbox.not_in_archive)}</span>
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
        match kind {
            // A GIF shows its first frame, as Mastodon does unless asked to play them all; the
            // lightbox plays it.
            MediaKind::Image | MediaKind::Gif => view! {
                <RowPicture media=media natural=natural alt=alt.clone() open=open.clone()/>
                {(kind == MediaKind::Gif).then(|| view! { <span class="media-badge" aria-hidden="true">"GIF"</span> })}
            }
            .into_any(),
            MediaKind::Video | MediaKind::Audio => {
                view! { <OnDemand media=media kind=kind alt=alt.clone() duration=duration/> }
                    .into_any()
            }
            MediaKind::Other => {
                view! { <Loaded media=media kind=kind alt=alt.clone() wait=true/> }
                    .into_any()
            }
        }
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

/// An image of a timeline row, once it may be shown: asked for as [`use_row_media`] asks, and
/// drawn into a canvas the size of its box (see [`draw_picture`] for why not an `<img>`). A
/// click opens the lightbox, which shows the file itself.
#[component]
fn RowPicture<F>(
    media: MediaRef,
    natural: Option<(u32, u32)>,
    alt: Option<String>,
    open: F,
) -> impl IntoView
where
    F: Fn(leptos::ev::MouseEvent) + Clone + Send + Sync + 'static,
{
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let drawn = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let client = expect_context::<WorkerClient>();
    after_row_wait(move || {
        let reply = fetch_media_blob(&client, media);
        spawn_local(async move {
            let blob = match reply.await {
                Some(Ok(blob)) => blob,
                Some(Err(reason)) => {
                    let _ = failed.try_set(Some(reason));
                    return;
                }
                None => return,
            };
            // Gone meanwhile: nothing to draw.
            let Some(el) = canvas.try_get_untracked().flatten() else {
                return;
            };
            let size = el.parent_element().map_or((0.0, 0.0), |parent| {
                let rect = parent.get_bounding_client_rect();
                (rect.width(), rect.height())
            });
            if draw_picture(&blob, &el, size, natural).await {
                // `try_set` gives the value back when the row is gone meanwhile.
                if drawn.try_set(true).is_some() {
                    clear_picture(&el);
                }
            } else {
                clear_picture(&el);
                let _ = failed.try_set(Some(
                    t_string!(crate::lang::i18n(), media.could_not_show).into(),
                ));
            }
        });
    });
    on_cleanup(move || {
        if let Some(el) = canvas.try_get_untracked().flatten() {
            clear_picture(&el);
        }
    });
    let label = alt.unwrap_or_default();
    let i18n = crate::lang::i18n();
    let name = crate::tr!(
        i18n,
        media.open_image,
        alt = if label.is_empty() {
            t_string!(i18n, media.no_description)
        } else {
            &label
        }
    );
    view! {
        <button type="button" class="media-open" on:click=open aria-label=name hidden=move || failed.with(Option::is_some)>
            // No pixels until drawn: an empty canvas would lay out at 300 × 150.
            <canvas node_ref=canvas width="0" height="0" role="img" aria-label=label data-testid="media-image"
                data-drawn=move || drawn.get().then_some("")></canvas>
        </button>
        {move || match failed.get() {
            Some(reason) => Some(view! { <p class="media-missing"><span>{reason}</span></p> }.into_any()),
            None if !drawn.get() => Some(view! { <span class="visually-hidden" data-loading="">{t_string!(crate::lang::i18n(), media.loading)}</span> }.into_any()),
            None => None,
        }}
    }
}

/// A video or a sound of a timeline row: a button that reads it from the archive and plays it.
/// Nothing is read before: a row scrolled past would otherwise read the whole file (videos run to
/// tens of megabytes), and Chromium keeps the bytes a media element has loaded from a Blob URL
/// (see [`draw_picture`]).
#[component]
fn OnDemand(
    media: MediaRef,
    kind: MediaKind,
    alt: Option<String>,
    duration: Option<f32>,
) -> impl IntoView {
    let playing = RwSignal::new(false);
    let i18n = crate::lang::i18n();
    let what = if kind == MediaKind::Video {
        t_string!(i18n, media.play_video)
    } else {
        t_string!(i18n, media.play_audio)
    };
    let text = match duration.filter(|d| *d > 0.0) {
        Some(d) => format!("▶ {what} · {}", crate::library::duration(d)),
        None => format!("▶ {what}"),
    };
    move || {
        if playing.get() {
            // Asked for now, not after a row's wait: someone pressed Play.
            view! { <Loaded media=media kind=kind alt=alt.clone() wait=false/> }.into_any()
        } else {
            view! {
                <button type="button" class="media-play" data-testid="media-play" on:click=move |_| playing.set(true)>
                    {text.clone()}
                </button>
            }
            .into_any()
        }
    }
}

/// A media file once it may be shown: asked for (after a row's wait, [`use_row_media`], if
/// `wait`), then displayed by kind.
#[component]
fn Loaded(media: MediaRef, kind: MediaKind, alt: Option<String>, wait: bool) -> impl IntoView {
    let state = if wait {
        use_row_media(media)
    } else {
        use_media(media)
    };
    move || {
        match state.get() {
        MediaState::Loading => {
            view! { <span class="visually-hidden" data-loading="">{t_string!(crate::lang::i18n(), media.loading)}</span> }
                .into_any()
        }
        MediaState::Missing(reason) => view! { <p class="media-missing"><span>{reason}</span></p> }.into_any(),
        MediaState::Ready(url) => player(kind, url, alt.clone()),
    }
    }
}

/// The element showing a media file (the lightbox's, and a row's video, sound or other file).
pub fn player(kind: MediaKind, url: String, alt: Option<String>) -> AnyView {
    let label = alt.unwrap_or_default();
    let i18n = crate::lang::i18n();
    match kind {
        MediaKind::Image | MediaKind::Gif if !url.is_empty() => {
            view! { <img src=url alt=label data-testid="media-image"/> }.into_any()
        }
        // Only ever shown when asked for (Play on a row, or the lightbox): played at once.
        MediaKind::Video => view! {
            <video src=url controls autoplay preload="metadata" playsinline aria-label=label></video>
        }
        .into_any(),
        MediaKind::Audio => {
            view! { <audio src=url controls autoplay preload="metadata" aria-label=label></audio> }
                .into_any()
        }
        _ => {
            view! { <a class="button small" href=url download="attachment">{t_string!(i18n, media.download)}</a> }
                .into_any()
        }
    }
}
