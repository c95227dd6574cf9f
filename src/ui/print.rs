//! Printing the results. The timeline draws only the posts on screen, so printing it would print a
//! handful; Print (the button, or Ctrl+P) first fetches every result up to [`PRINT_LIMIT`], draws
//! them in a print-only list with their media and descriptions, waits for the media, then opens
//! the browser's print dialog. Printed from the browser's own menu instead, a note says how to
//! print everything.

use super::browse::Browse;
use super::post::Post;
use crate::app::AppState;
use crate::format;
use crate::i18n::t_string;
use crate::results::PostRef;
use crate::worker_client::WorkerClient;
use leptos::prelude::*;
use leptos::task::spawn_local;
use permafrost_protocol::{RequestBody, ResponseBody};
use std::sync::Arc;

/// Posts printed at most: more makes a print job browsers struggle with.
pub const PRINT_LIMIT: u32 = 500;

/// How long to wait for the media of the printed posts (milliseconds).
const MEDIA_WAIT_MS: u32 = 8_000;

/// What is being printed: the posts, and how many the result has.
#[derive(Clone, Debug, PartialEq)]
pub struct Printing {
    /// The posts, in result order.
    pub posts: Vec<PostRef>,
    /// The result's size.
    pub total: u32,
}

/// Fetches the results, draws them for print, and opens the print dialog.
pub fn print_results(browse: Browse, client: WorkerClient) {
    if browse.preparing_print.get_untracked() {
        return;
    }
    let (search, total) = browse
        .results
        .meta
        .with_untracked(|m| m.as_ref().map_or((0, 0), |m| (m.search, m.total)));
    browse.preparing_print.set(true);
    let reply = client.request(RequestBody::GetPosts {
        offset: 0,
        limit: total.min(PRINT_LIMIT),
    });
    spawn_local(async move {
        let posts = match reply.await.map(|r| r.body) {
            Some(ResponseBody::Posts {
                search: answered,
                posts,
                ..
            }) if answered == search => posts,
            _ => {
                let _ = browse.preparing_print.try_set(false);
                return;
            }
        };
        let posts = posts.into_iter().map(|p| PostRef(Arc::new(p))).collect();
        if browse
            .printing
            .try_set(Some(Printing { posts, total }))
            .is_some()
        {
            return;
        }
        // Let the posts be drawn, then their media load (each is asked of the worker a moment
        // after it is drawn, see `ui::media::use_row_media`).
        let mut waited = 0;
        loop {
            crate::files::sleep(100).await;
            waited += 100;
            if waited >= MEDIA_WAIT_MS || !media_loading() {
                break;
            }
        }
        let _ = browse.preparing_print.try_set(false);
        let _ = window().print();
    });
}

/// True while a printed post's media is still being read.
fn media_loading() -> bool {
    document()
        .query_selector(".print-view [data-loading]")
        .ok()
        .flatten()
        .is_some()
}

/// The Print button.
#[component]
pub fn PrintButton() -> impl IntoView {
    let browse = expect_context::<Browse>();
    let client = expect_context::<WorkerClient>();
    let i18n = crate::lang::i18n();
    view! {
        <button
            type="button"
            class="button"
            data-testid="print"
            aria-busy=move || browse.preparing_print.get().to_string()
            on:click=move |_| print_results(browse, client.clone())
        >
            {move || if browse.preparing_print.get() { t_string!(i18n, print.preparing) } else { t_string!(i18n, print.print) }}
        </button>
    }
}

/// The print-only list (drawn only while printing is prepared or under way).
#[component]
pub fn PrintView() -> impl IntoView {
    let browse = expect_context::<Browse>();
    let state = expect_context::<AppState>();
    // Done printing (or cancelled the dialog): the list goes.
    let handle = window_event_listener_untyped("afterprint", move |_| {
        let _ = browse.printing.try_set(None);
    });
    on_cleanup(move || handle.remove());
    move || {
        browse.printing.get().map(|p| {
            let query = state.route.with_untracked(|r| r.query.clone());
            let i18n = crate::lang::i18n();
            let posts = format::posts(u64::from(p.total));
            let title = if query.is_empty() {
                crate::tr!(i18n, print.all, posts = posts)
            } else {
                crate::tr!(i18n, print.matching, posts = posts, query = query)
            };
            // Whose posts, and when they were printed: a sheet of paper says neither otherwise.
            let account = match state.phase.get_untracked() {
                crate::app::Phase::Ready(opened) => opened.summary.account.handle.clone(),
                _ => None,
            };
            let today = format::date(
                (js_sys::Date::now() / 1000.0) as i64,
                &state.time_zone.get_untracked(),
                format::DateStyle::Date,
            );
            let whose = match account {
                Some(handle) => crate::tr!(
                    i18n,
                    print.whose,
                    account = format!("@{handle}"),
                    date = today
                ),
                None => crate::tr!(i18n, print.printed, date = today),
            };
            let note = (p.total as usize > p.posts.len()).then(|| {
                view! {
                    <p class="print-note">
                        {crate::tr!(
                            i18n,
                            print.first,
                            shown = format::count(p.posts.len() as u64),
                            total = format::count(u64::from(p.total))
                        )}
                    </p>
                }
            });
            let posts = p
                .posts
                .into_iter()
                .enumerate()
                .map(|(i, post)| view! { <li><Post post=post.0 position=i as u32/></li> })
                .collect_view();
            view! {
                <section class="print-view" data-testid="print-view">
                    <h2>{title}</h2>
                    <p class="print-note" data-testid="print-whose">{whose}</p>
                    {note}
                    <ol class="print-list">{posts}</ol>
                </section>
            }
        })
    }
}
