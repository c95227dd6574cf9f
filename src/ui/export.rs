//! Export: the posts picked by hand (a checkbox on each post, shift-click for a range) and the
//! Export dialog, which shows what will be written before anything is, then streams the file
//! from the worker in parts and saves it as a normal browser download.

use super::browse::{Browse, Dialog};
use crate::app::AppState;
use crate::format;
use crate::selection::Click;
use crate::worker_client::WorkerClient;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use permafrost_protocol::{
    ExportDone, ExportFormat, ExportOptions, ExportPlan, LeaveOut, RequestBody, ResponseBody,
    Selection,
};
use wasm_bindgen::JsCast;

/// A post's checkbox: picks it for export; with Shift, every post from the last one clicked.
#[component]
pub fn PickBox(
    /// The post's index.
    index: u32,
    /// Its position in the result.
    position: u32,
) -> impl IntoView {
    let browse = expect_context::<Browse>();
    let client = expect_context::<WorkerClient>();
    let picked = browse.picked;
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let mut click = Click::Done;
        picked.update(|p| click = p.click(index, position, ev.shift_key()));
        if let Click::Range { from, to, pick } = click {
            pick_positions(browse, &client, from, to - from + 1, pick);
        }
    };
    view! {
        <label class="pick" title="Select for export (Shift: a range)">
            <input
                type="checkbox"
                data-testid="pick"
                prop:checked=move || picked.with(|p| p.contains(index))
                on:click=on_click
            />
            <span class="visually-hidden">"Select for export"</span>
        </label>
    }
}

/// Picks (or unpicks) the posts at positions `offset..offset + limit` of the result shown, once
/// the worker says which they are.
fn pick_positions(browse: Browse, client: &WorkerClient, offset: u32, limit: u32, pick: bool) {
    let reply = client.request(RequestBody::Indices { offset, limit });
    let (shown, picked) = (browse.results.cache, browse.picked);
    spawn_local(async move {
        if let Some(ResponseBody::Indices {
            search, indices, ..
        }) = reply.await.map(|r| r.body)
        {
            // Positions of another result would pick other posts.
            if shown.try_with_untracked(|c| c.search()) == Some(search) {
                let _ = picked.try_update(|p| p.set_all(&indices, pick));
            }
        }
    });
}

/// "N selected", with ways to clear the selection or select every result, and the Export button.
#[component]
pub fn SelectionBar() -> impl IntoView {
    let browse = expect_context::<Browse>();
    let client = expect_context::<WorkerClient>();
    let picked = browse.picked;
    let count = move || picked.with(|p| p.len());
    let total = move || {
        browse
            .results
            .meta
            .with(|m| m.as_ref().map_or(0, |m| m.total))
    };
    let select_all = move |_| pick_positions(browse, &client, 0, total(), true);
    view! {
        <div class="selection-bar" data-testid="selection-bar">
            <span data-testid="selected-count" aria-live="polite" hidden=move || count() == 0>
                {move || format!("{} selected", format::count(count() as u64))}
            </span>
            <button
                type="button"
                class="link-button"
                data-testid="select-all"
                disabled=move || total() == 0
                on:click=select_all
            >
                {move || format!("Select all {}", format::count(u64::from(total())))}
            </button>
            <button
                type="button"
                class="link-button"
                data-testid="clear-selection"
                hidden=move || count() == 0
                on:click=move |_| picked.update(|p| p.clear())
            >
                "Clear selection"
            </button>
        </div>
    }
}

/// Which posts the dialog exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum What {
    /// The search results.
    Results,
    /// The posts picked by hand.
    Picked,
}

/// Where an export is.
#[derive(Clone, Debug, PartialEq)]
enum Run {
    /// Not started.
    Idle,
    /// Running: posts written of all, bytes so far.
    Running { done: u32, total: u32, bytes: u64 },
    /// Saved.
    Saved(ExportDone),
    /// Failed or cancelled, with why.
    Failed(String),
}

const FORMATS: [(ExportFormat, &str, &str); 7] = [
    (
        ExportFormat::Csv,
        "Posts as CSV",
        "one row per post, for a spreadsheet or another tool",
    ),
    (
        ExportFormat::MediaCsv,
        "Media as CSV",
        "one row per attachment, with its alt text",
    ),
    (
        ExportFormat::PeopleCsv,
        "People as CSV",
        "the follows, lists, blocks and mutes you dropped, as one table",
    ),
    (
        ExportFormat::Json,
        "JSON",
        "the original activities, as an outbox.json",
    ),
    (
        ExportFormat::Zip,
        "Archive ZIP",
        "a Mastodon-shaped archive of just these posts, with their media; opens here again",
    ),
    (
        ExportFormat::Markdown,
        "Markdown",
        "a ZIP of .md files with front matter, for a static-site generator",
    ),
    (
        ExportFormat::Html,
        "HTML page",
        "one page to read offline or print",
    ),
];

/// The Export dialog.
#[component]
pub fn ExportDialog() -> impl IntoView {
    let state = expect_context::<AppState>();
    let browse = expect_context::<Browse>();
    let client = expect_context::<WorkerClient>();
    let el = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = el.get() {
            let _ = el.focus();
        }
    });

    let has_picked = browse.picked.with_untracked(|p| !p.is_empty());
    let what = RwSignal::new(if has_picked {
        What::Picked
    } else {
        What::Results
    });
    let format_ = RwSignal::new(ExportFormat::Csv);
    let bom = RwSignal::new(false);
    let leave_out = RwSignal::new(LeaveOut::default());
    let redact = RwSignal::new(false);
    let plan = RwSignal::new(None::<Result<ExportPlan, String>>);
    let run = RwSignal::new(Run::Idle);

    // HTML and Markdown are made to be published: followers-only posts and direct messages are
    // left out unless the user puts them back.
    Effect::new(move |_| {
        let publishing = matches!(format_.get(), ExportFormat::Html | ExportFormat::Markdown);
        leave_out.update(|l| {
            l.followers = publishing;
            l.direct = publishing;
        });
    });

    let selection = move || match what.get() {
        What::Picked => Selection::Posts {
            posts: browse.picked.with(|p| p.posts()),
        },
        What::Results => state.route.with(|r| Selection::Query {
            query: r.query.clone(),
            sort: r.sort,
            time_zone: state.time_zone.get(),
            // Exactly the posts the page lists, whose last word is read as a prefix.
            as_typed: true,
        }),
    };
    let options = move || ExportOptions {
        format: format_.get(),
        time_zone: state.time_zone.get(),
        bom: bom.get(),
        leave_out: leave_out.get(),
        redact_mentions: redact.get(),
    };

    // What will be written, asked again whenever the choices change (the latest answer wins).
    let asked = StoredValue::new(0u32);
    let plan_client = client.clone();
    Effect::new(move |_| {
        let body = RequestBody::PlanExport {
            selection: selection(),
            options: options(),
        };
        plan_client.ask_latest(asked, body, move |answer| {
            let next = match answer {
                ResponseBody::ExportPlan(p) => Ok(*p),
                ResponseBody::Error { message } => Err(message),
                _ => return,
            };
            let _ = plan.try_set(Some(next));
        });
    });

    // The parts of the file as they arrive (ArrayBuffers), until it is saved.
    let parts = StoredValue::new_local(js_sys::Array::new());
    let running = move || matches!(run.get(), Run::Running { .. });
    let export_client = client.clone();
    let start = move |_| {
        parts.set_value(js_sys::Array::new());
        run.set(Run::Running {
            done: 0,
            total: plan.with_untracked(|p| {
                p.as_ref()
                    .and_then(|p| p.as_ref().ok())
                    .map_or(0, |p| p.posts)
            }),
            bytes: 0,
        });
        let body = RequestBody::Export {
            selection: selection(),
            options: options(),
        };
        let reply =
            export_client.request_with_events(body, &[], move |event, beside| match event {
                ResponseBody::ExportProgress { done, total, bytes } => {
                    let _ = run.try_set(Run::Running { done, total, bytes });
                }
                ResponseBody::ExportPart => {
                    parts.with_value(|p| p.push(&beside));
                }
                _ => {}
            });
        spawn_local(async move {
            let Some(reply) = reply.await else { return };
            let next = match reply.body {
                ResponseBody::Exported(done) => {
                    let saved = parts.try_with_value(|p| save(p, &done.file_name, &done.mime));
                    match saved {
                        Some(Ok(())) => Run::Saved(*done),
                        Some(Err(e)) => Run::Failed(e),
                        None => return,
                    }
                }
                ResponseBody::Error { message } => Run::Failed(message),
                _ => Run::Failed("unexpected answer from the worker".into()),
            };
            parts.try_set_value(js_sys::Array::new());
            let _ = run.try_set(next);
        });
    };
    let cancel_client = client.clone();
    let cancel = move || {
        if matches!(run.try_get_untracked(), Some(Run::Running { .. })) {
            // The answer does not matter: the export's own request ends with an error.
            drop(cancel_client.request(RequestBody::CancelExport));
        }
    };
    // Closing the dialog (Escape, Close, a click outside) stops a running export.
    on_cleanup(cancel.clone());

    let format_choice = move |(f, label, hint): (ExportFormat, &'static str, &'static str)| {
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name="export-format"
                    data-testid=format!("format-{}", f.as_str())
                    value=f.as_str()
                    prop:checked=move || format_.get() == f
                    on:change=move |_| format_.set(f)
                    disabled=running
                />
                <span><strong>{label}</strong>": "<span class="hint">{hint}</span></span>
            </label>
        }
    };
    let leave = move |label: &'static str,
                      testid: &'static str,
                      get: fn(&LeaveOut) -> bool,
                      put: fn(&mut LeaveOut, bool)| {
        view! {
            <label class="choice">
                <input
                    type="checkbox"
                    data-testid=testid
                    prop:checked=move || leave_out.with(get)
                    on:change=move |ev| leave_out.update(|l| put(l, event_target_checked(&ev)))
                    disabled=running
                />
                {label}
            </label>
        }
    };
    let is_csv = move || {
        matches!(
            format_.get(),
            ExportFormat::Csv | ExportFormat::MediaCsv | ExportFormat::PeopleCsv
        )
    };
    let is_zip = move || format_.get() == ExportFormat::Zip;
    let publishing = move || matches!(format_.get(), ExportFormat::Html | ExportFormat::Markdown);
    let results_label = move || {
        let total = browse
            .results
            .meta
            .with(|m| m.as_ref().map_or(0, |m| m.total));
        format!("The search results ({})", format::posts(u64::from(total)))
    };
    let picked_label = move || {
        format!(
            "The posts you selected ({})",
            format::count(browse.picked.with(|p| p.len()) as u64)
        )
    };

    view! {
        <div class="overlay" on:click=move |ev| {
            if ev.target() == ev.current_target() {
                browse.close_overlay();
            }
        }>
            <div class="dialog export" role="dialog" aria-modal="true" aria-labelledby="dialog-title" tabindex="-1" node_ref=el data-testid="export-dialog">
                <h2 id="dialog-title">"Export"</h2>
                <fieldset disabled=running>
                    <legend>"Which posts"</legend>
                    <label class="choice">
                        <input type="radio" name="export-what" data-testid="export-results"
                            prop:checked=move || what.get() == What::Results
                            on:change=move |_| what.set(What::Results)/>
                        {results_label}
                    </label>
                    <label class="choice">
                        <input type="radio" name="export-what" data-testid="export-picked"
                            prop:checked=move || what.get() == What::Picked
                            disabled=move || browse.picked.with(|p| p.is_empty())
                            on:change=move |_| what.set(What::Picked)/>
                        {picked_label}
                    </label>
                </fieldset>
                <fieldset>
                    <legend>"Format"</legend>
                    {FORMATS.into_iter().map(format_choice).collect_view()}
                </fieldset>
                <fieldset>
                    <legend>"Privacy"</legend>
                    {leave("Leave out followers-only posts", "leave-followers", |l| l.followers, |l, v| l.followers = v)}
                    {leave("Leave out direct messages", "leave-direct", |l| l.direct, |l, v| l.direct = v)}
                    {leave("Leave out boosts", "leave-boosts", |l| l.boosts, |l, v| l.boosts = v)}
                    {leave("Leave out media files", "leave-media", |l| l.media, |l, v| l.media = v)}
                    <span hidden=move || !is_zip()>
                        {leave("Leave out likes", "leave-likes", |l| l.likes, |l, v| l.likes = v)}
                        {leave("Leave out bookmarks", "leave-bookmarks", |l| l.bookmarks, |l, v| l.bookmarks = v)}
                    </span>
                    <label class="choice">
                        <input type="checkbox" data-testid="redact-mentions" prop:checked=move || redact.get()
                            on:change=move |ev| redact.set(event_target_checked(&ev)) disabled=running/>
                        "Replace mentions of other people with a placeholder"
                    </label>
                    <label class="choice" hidden=move || !is_csv()>
                        <input type="checkbox" data-testid="bom" prop:checked=move || bom.get()
                            on:change=move |ev| bom.set(event_target_checked(&ev)) disabled=running/>
                        "Start with a byte order mark (for spreadsheets that need one)"
                    </label>
                    <p class="note" hidden=move || !publishing()>
                        "Pages and Markdown are made to be published: followers-only posts and direct messages are left out unless you untick these."
                    </p>
                </fieldset>
                // What will be written, the progress and the buttons stay in view at the bottom
                // of the dialog, however far its choices are scrolled.
                <div class="export-footer">
                <div class="export-plan" role="status" data-testid="export-plan">
                    {move || plan_text(plan.get(), format_.get())}
                </div>
                <div class="export-run" data-testid="export-status" aria-live="polite">
                    {move || match run.get() {
                        Run::Idle => None,
                        Run::Running { done, total, bytes } => Some(view! {
                            <progress max=total.max(1) prop:value=done></progress>
                            <p>{format!("Writing: {} of {} posts, {}", format::count(u64::from(done)), format::count(u64::from(total)), format::bytes(bytes))}</p>
                        }.into_any()),
                        Run::Saved(done) => Some(view! {
                            <p data-testid="export-saved">{format!("Saved {} ({}): {}, {} media files.", done.file_name, format::bytes(done.bytes), format::posts(u64::from(done.posts)), format::count(u64::from(done.media_files)))}</p>
                        }.into_any()),
                        Run::Failed(why) => Some(view! { <p class="error" role="alert">{why}</p> }.into_any()),
                    }}
                </div>
                <div class="dialog-buttons">
                    <button type="button" class="button primary" data-testid="export-start"
                        disabled=move || running() || !plan.with(|p| matches!(p, Some(Ok(p)) if p.posts > 0 || format_.get() == ExportFormat::PeopleCsv))
                        on:click=start>
                        "Export"
                    </button>
                    <button type="button" class="button" data-testid="export-cancel" hidden=move || !running()
                        on:click=move |_| cancel()>
                        "Cancel export"
                    </button>
                    <button type="button" class="button" on:click=move |_| { browse.close_overlay(); }>"Close"</button>
                </div>
                </div>
            </div>
        </div>
    }
}

/// What the plan says, in a sentence or two.
fn plan_text(plan: Option<Result<ExportPlan, String>>, format: ExportFormat) -> String {
    let plan = match plan {
        None => return "Counting…".into(),
        Some(Err(message)) => return message,
        Some(Ok(plan)) => plan,
    };
    let mut text = match format {
        ExportFormat::PeopleCsv => "The people from the CSV exports you dropped".to_string(),
        ExportFormat::MediaCsv => format!(
            "{} from {}",
            format::plural(u64::from(plan.media_files), "media file", "media files"),
            format::posts(u64::from(plan.posts))
        ),
        _ => {
            let mut t = format::posts(u64::from(plan.posts));
            if plan.media_files > 0 {
                t.push_str(&format!(
                    " with {} ({})",
                    format::plural(u64::from(plan.media_files), "media file", "media files"),
                    format::bytes(plan.media_bytes)
                ));
            }
            t
        }
    };
    text.push_str(&format!(" will be written to {}.", plan.file_name));
    let l = &plan.left_out;
    let mut out = Vec::new();
    let mut add = |n: u32, one: &str, many: &str| {
        if n > 0 {
            out.push(format::plural(u64::from(n), one, many));
        }
    };
    add(l.followers, "followers-only post", "followers-only posts");
    add(l.direct, "direct message", "direct messages");
    add(l.boosts, "boost", "boosts");
    add(l.media_files, "media file", "media files");
    add(l.likes, "like", "likes");
    add(l.bookmarks, "bookmark", "bookmarks");
    if !out.is_empty() {
        text.push_str(&format!(" Left out: {}.", out.join(", ")));
    }
    if l.mentions > 0 {
        text.push_str(&format!(
            " {} replaced.",
            format::plural(u64::from(l.mentions), "mention", "mentions")
        ));
    }
    text
}

/// Saves the parts as one file through a normal browser download.
fn save(parts: &js_sys::Array, name: &str, mime: &str) -> Result<(), String> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_buffer_source_sequence_and_options(parts, &options)
        .map_err(|e| permafrost_protocol::wire::describe(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|e| permafrost_protocol::wire::describe(&e))?;
    let a: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|e| permafrost_protocol::wire::describe(&e))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The download has started from the URL; it is no longer needed after that.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}

/// Opens the Export dialog.
pub fn open(browse: Browse) {
    browse.open_dialog(Dialog::Export);
}
