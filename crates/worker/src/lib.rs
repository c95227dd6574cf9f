//! The Web Worker: it owns the archive. A thin shell around [`permafrost_session`]: it reads the
//! page's `File`s by byte range ([`blob_reader`]), opens them into a session with progress and
//! previews, adds CSV exports to it ([`Session::add_files`]: those files travel beside the
//! request, as an `Open`'s do), and posts back what [`Session::answer`] says to every other
//! request. No logic of
//! its own lives here: add requests in the protocol and the session, not in this loop.
//!
//! An answer the page waits for in the memory it shares with the worker (a search's, when the
//! page is cross-origin isolated: [`permafrost_protocol::handoff`]) is written there instead of
//! posted; the page sends that memory as its first message.
//!
//! Long work that must not block other requests (an export) runs in slices: after each message
//! the loop posts the session's queued events and, while the session has work, schedules
//! [`Session::step_export`] with `setTimeout(0)`, so that searches are answered between slices
//! and a `CancelExport` arrives in time.
//!
//! Only this package links the engine, the archive readers and the index; the page's package
//! cannot (see the root Cargo.toml and its build script).
#![cfg(target_arch = "wasm32")]

pub mod blob_reader;
pub mod inflate;
pub mod kept;

use blob_reader::BlobReader;
use permafrost_engine::Input;
use permafrost_protocol::handoff::SharedAnswer;
use permafrost_protocol::wire;
use permafrost_protocol::{KeptArchive, KeptOpen, Request, RequestBody, Response, ResponseBody};
use permafrost_session::{answer_without_archive, Answer, Session};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

/// Progress events are sent at most this often (milliseconds).
const PROGRESS_INTERVAL_MS: f64 = 80.0;

/// The worker's message handler.
type OnMessage = Closure<dyn FnMut(MessageEvent)>;
/// What a `setTimeout` calls to do the next slice of long work.
type OnTimeout = Closure<dyn FnMut()>;

thread_local! {
    /// The open archive; `None` until an `Open` succeeds.
    static SESSION: RefCell<Option<Session<BlobReader>>> = const { RefCell::new(None) };
    /// The message handler, kept for the worker's lifetime (it is the worker's reason to live).
    static ON_MESSAGE: RefCell<Option<OnMessage>> = const { RefCell::new(None) };
    /// The slice handler (made once, reused), and whether a slice is scheduled.
    static ON_TIMEOUT: RefCell<Option<OnTimeout>> = const { RefCell::new(None) };
    static SCHEDULED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The files of the open archive (as opened, then the CSV exports added), for "Keep on this
    /// device", and its key when it is kept.
    static OPEN_FILES: RefCell<OpenFiles> = RefCell::new(OpenFiles::default());
    /// The memory shared with the page, when it is cross-origin isolated: an answer the page
    /// waits for goes there instead of into a message.
    static HANDOFF: RefCell<Option<SharedAnswer>> = const { RefCell::new(None) };
}

/// What [`OPEN_FILES`] holds.
#[derive(Default)]
struct OpenFiles {
    files: Vec<(String, Blob)>,
    key: Option<String>,
}

/// Starts answering messages. Called once by the worker binary's `main`.
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    if inflate::is_helper(&scope) {
        inflate::serve(&scope);
        return;
    }
    inflate::start_helper(&scope);
    let replier = Replier {
        scope: scope.clone(),
    };
    let on_message = OnMessage::new(move |event: MessageEvent| {
        let data = event.data();
        // The page's shared memory for handing answers over (see `handoff`), sent first.
        if let Some(shared) = SharedAnswer::received(&data) {
            HANDOFF.with(|slot| *slot.borrow_mut() = Some(shared));
            return;
        }
        let (text, beside) = wire::unframe(&data);
        match Request::from_json(&text) {
            Ok(request) => handle(&replier, request, beside),
            Err(e) => replier.answer(
                0,
                ResponseBody::Error {
                    message: format!("unreadable request: {e}").into(),
                },
            ),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ON_MESSAGE.with(|slot| *slot.borrow_mut() = Some(on_message));
    let replier = Replier {
        scope: scope.clone(),
    };
    let on_timeout = OnTimeout::new(move || {
        SCHEDULED.with(|s| s.set(false));
        SESSION.with(|session| {
            if let Some(s) = session.borrow_mut().as_mut() {
                s.step_export();
            }
        });
        post_events(&replier);
        schedule_work(&replier.scope);
    });
    ON_TIMEOUT.with(|slot| *slot.borrow_mut() = Some(on_timeout));
    Replier { scope }.answer(0, ResponseBody::Ready);
}

/// Posts what the session has queued (export progress, parts, the end of an export).
fn post_events(replier: &Replier) {
    let events = SESSION.with(|session| {
        session
            .borrow_mut()
            .as_mut()
            .map(Session::take_events)
            .unwrap_or_default()
    });
    for (id, answer) in events {
        replier.post(id, answer);
    }
}

/// Schedules the next slice of long work, if the session has some and none is scheduled.
fn schedule_work(scope: &DedicatedWorkerGlobalScope) {
    let busy = SESSION.with(|s| s.borrow().as_ref().is_some_and(Session::is_exporting));
    if !busy || SCHEDULED.with(|s| s.get()) {
        return;
    }
    ON_TIMEOUT.with(|slot| {
        if let Some(callback) = slot.borrow().as_ref() {
            let scheduled = scope.set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                0,
            );
            SCHEDULED.with(|s| s.set(scheduled.is_ok()));
        }
    });
}

#[derive(Clone)]
struct Replier {
    scope: DedicatedWorkerGlobalScope,
}

impl Replier {
    /// Posts `response` with what travels beside it (a `Blob`, or `null`).
    fn send(&self, response: &Response, beside: &JsValue) {
        let json = response.to_json();
        let handed = beside.is_null()
            && HANDOFF.with(|h| {
                h.borrow()
                    .as_ref()
                    .is_some_and(|h| h.hand_over(response.id, &json))
            });
        if handed {
            return;
        }
        if let Err(e) = self.scope.post_message(&wire::frame(&json, beside)) {
            web_sys::console::error_1(&e);
        }
    }

    fn answer(&self, id: u32, body: ResponseBody) {
        self.send(&Response { id, body }, &JsValue::NULL);
    }

    fn error(&self, id: u32, message: impl Into<permafrost_model::Message>) {
        self.send(&Response::error(id, message), &JsValue::NULL);
    }

    /// Posts a session's answer: with its bytes beside it as a `Blob`, or nothing for `Later`.
    fn post(&self, id: u32, answer: Answer) {
        match answer {
            Answer::Body(body) => self.answer(id, body),
            Answer::WithBytes { body, bytes } => {
                let mime = match &body {
                    ResponseBody::Media { mime } => mime.as_str(),
                    _ => "",
                };
                match bytes_blob(&bytes, mime) {
                    Ok(blob) => self.send(&Response { id, body }, &blob),
                    Err(e) => self.error(
                        id,
                        format!("could not pass the file on: {}", wire::describe(&e)),
                    ),
                }
            }
            Answer::Later => {}
        }
    }
}

#[wasm_bindgen]
extern "C" {
    /// `Array.of(bytes)`. wasm-bindgen hands an imported function a `&[u8]` as a view of the
    /// wasm memory, not a copy: the array holds the bytes where they are.
    #[wasm_bindgen(js_namespace = Array, js_name = of)]
    fn array_of_view(bytes: &[u8]) -> js_sys::Array;
}

/// A media file or a part of an export as a `Blob`, copied once, straight from the wasm memory.
///
/// A `Blob` crosses to the page as a handle to the browser's blob storage, which may keep large
/// blobs on disk: an export's parts (a ZIP of every media file can be gigabytes) wait there for
/// the download instead of in the page's heap as `ArrayBuffer`s, and a media file is copied once
/// instead of twice (into an `ArrayBuffer` here, then into the page's `Blob`). (The growth of the
/// tab's memory while scrolling many large images, bench/web.mjs --media, was not this: Chromium
/// keeps the bytes of what an `<img>` loaded from a Blob URL; the page now draws its pictures
/// from the Blob instead, see `draw_picture` in the page's src/ui/media.rs.)
fn bytes_blob(bytes: &[u8], mime: &str) -> Result<Blob, JsValue> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    // The view is read by the constructor at once: nothing allocates (or moves the memory) in
    // between.
    Blob::new_with_u8_array_sequence_and_options(&array_of_view(bytes), &options)
}

fn handle(replier: &Replier, request: Request, beside: JsValue) {
    let id = request.id;
    let answer = match request.body {
        RequestBody::Open { names } => {
            let files = names.into_iter().zip(blobs(&beside)).collect();
            open(replier, id, files, None);
            return;
        }
        RequestBody::AddFiles { names } => add_files(id, names, beside),
        RequestBody::ListKept => return list_kept(replier.clone(), id),
        RequestBody::Keep => return keep(replier.clone(), id),
        RequestBody::OpenKept { key, names } => {
            let more = names.into_iter().zip(blobs(&beside)).collect();
            return open_kept(replier.clone(), id, key, more);
        }
        RequestBody::Forget { key } => return forget(replier.clone(), id, key),
        body => SESSION.with(|session| match session.borrow_mut().as_mut() {
            Some(s) => s.answer(id, body),
            None => answer_without_archive(),
        }),
    };
    // CSV exports added to a kept archive (or one told whose it is) are kept with it.
    if let Answer::Body(ResponseBody::Added(added)) = answer {
        return keep_added(replier.clone(), id, added);
    }
    replier.post(id, answer);
    post_events(replier);
    schedule_work(&replier.scope);
}

/// Readers over `files`, for the session.
fn inputs(files: &[(String, Blob)]) -> std::io::Result<Vec<Input<BlobReader>>> {
    files
        .iter()
        .map(|(name, blob)| Ok(Input::new(name.clone(), BlobReader::new(blob.clone())?)))
        .collect()
}

/// The `Blob`s sent beside a message.
fn blobs(beside: &JsValue) -> Vec<Blob> {
    // `Array.from(null)` throws: a request without files has no array beside it.
    if !js_sys::Array::is_array(beside) {
        return Vec::new();
    }
    js_sys::Array::from(beside)
        .iter()
        .filter_map(|b| b.dyn_into::<Blob>().ok())
        .collect()
}

/// Adds CSV exports to the open archive (the session stays: nothing is reopened).
fn add_files(id: u32, names: Vec<String>, beside: JsValue) -> Answer {
    let files: Vec<(String, Blob)> = names.into_iter().zip(blobs(&beside)).collect();
    let inputs = match inputs(&files) {
        Ok(inputs) => inputs,
        Err(e) => return Answer::Body(Response::error(id, e.to_string()).body),
    };
    // Kept with the archive if the user keeps it (after this, or again).
    OPEN_FILES.with(|open| open.borrow_mut().files.extend(files));
    SESSION.with(|session| match session.borrow_mut().as_mut() {
        Some(s) => Answer::Body(ResponseBody::Added(Box::new(s.add_files(inputs)))),
        None => answer_without_archive(),
    })
}

/// Answers an `Added`, once what was added is kept too when the open archive is kept: its new
/// files and the session's new snapshot, which a reopen reads. If that fails, the archive is
/// said to be no longer kept as it is open (`AddedView::not_kept`); what was kept before stays.
fn keep_added(replier: Replier, id: u32, mut added: Box<permafrost_protocol::AddedView>) {
    let (files, key) = OPEN_FILES.with(|open| {
        let open = open.borrow();
        (open.files.clone(), open.key.clone())
    });
    let Some(key) = key else {
        return replier.answer(id, ResponseBody::Added(added));
    };
    // Only for a kept archive: a snapshot is the whole session written out.
    let snapshot = SESSION.with(|s| s.borrow().as_ref().map(|s| s.snapshot()));
    wasm_bindgen_futures::spawn_local(async move {
        let result = match snapshot {
            Some(Ok(snapshot)) => kept::add(&key, &files, snapshot).await,
            Some(Err(e)) => Err(e.to_string()),
            None => Err("no archive is open".into()),
        };
        if let Err(detail) = result {
            OPEN_FILES.with(|open| open.borrow_mut().key = None);
            added.not_kept =
                Some(permafrost_session::messages::KEEP_FAILED.with(&[("detail", &detail)]));
        }
        replier.answer(id, ResponseBody::Added(added));
    });
}

/// Opens `files` (a new session), answering with progress, previews and `Opened` (with `kept`
/// set when they are a kept archive's). True when it opened.
fn open(replier: &Replier, id: u32, files: Vec<(String, Blob)>, kept: Option<KeptOpen>) -> bool {
    // Drop the previous archive first: its model may be large.
    SESSION.with(|s| *s.borrow_mut() = None);
    OPEN_FILES.with(|open| *open.borrow_mut() = OpenFiles::default());
    // What exports read outbox.json from again (in one pass: see `Session::set_export_source`):
    // outbox.json itself when it was given loose, else the largest file that is not a CSV (the
    // archive). A wrong guess is harmless: the session ignores a source without outbox.json.
    let export_source = export_source(&files);
    let inputs = match inputs(&files) {
        Ok(inputs) => inputs,
        Err(e) => {
            replier.error(id, e.to_string());
            return false;
        }
    };
    let mut last_sent = 0.0;
    let mut last_stage = None;
    let mut progress = |p: permafrost_protocol::Progress| {
        let now = js_sys::Date::now();
        if last_stage != Some(p.stage) || now - last_sent >= PROGRESS_INTERVAL_MS {
            last_sent = now;
            last_stage = Some(p.stage);
            replier.answer(id, ResponseBody::Progress(p));
        }
    };
    // The newest posts read so far, for the page to show while the rest is read.
    let mut preview = |total_so_far: u64, posts| {
        replier.answer(
            id,
            ResponseBody::Preview {
                total_so_far,
                posts,
            },
        );
    };
    // outbox.json, when in one ZIP of these files, inflated by the helper, and the posts' text
    // tokenized there (see `inflate`).
    let mut helped = inflate::Helped::new(&files);
    let opened_or_not = Session::open_with_preview(
        inputs,
        &mut progress,
        &mut preview,
        Some(&mut helped),
        Box::new(js_sys::Date::now),
    );
    drop(helped);
    match opened_or_not {
        Ok((session, mut answer)) => {
            answer.kept = kept;
            opened(replier, id, session, answer, files, export_source);
            true
        }
        Err(message) => {
            replier.error(id, message);
            false
        }
    }
}

/// The file exports read outbox.json from (see [`open`]).
fn export_source(files: &[(String, Blob)]) -> Option<Blob> {
    files
        .iter()
        .find(|(n, _)| n.ends_with("outbox.json"))
        .or_else(|| {
            files
                .iter()
                .filter(|(n, _)| !permafrost_engine::is_csv_name(n))
                .max_by(|a, b| a.1.size().total_cmp(&b.1.size()))
        })
        .map(|(_, blob)| blob.clone())
}

/// Makes `session` the open one and tells the page.
fn opened(
    replier: &Replier,
    id: u32,
    mut session: Session<BlobReader>,
    answer: permafrost_protocol::Opened,
    files: Vec<(String, Blob)>,
    export_source: Option<Blob>,
) {
    if let Some(blob) = export_source {
        session.set_export_source(move || BlobReader::new(blob.clone()).ok());
    }
    let key = answer.kept.as_ref().map(|k| k.key.clone());
    SESSION.with(|s| *s.borrow_mut() = Some(session));
    OPEN_FILES.with(|open| *open.borrow_mut() = OpenFiles { files, key });
    replier.answer(id, ResponseBody::Opened(Box::new(answer)));
}

/// Answers with the list of kept archives, or the error.
async fn answer_list(replier: &Replier, id: u32) {
    let open = OPEN_FILES.with(|open| open.borrow().key.clone());
    match kept::list(open).await {
        Ok(list) => replier.answer(id, ResponseBody::Kept(Box::new(list))),
        Err(message) => replier.error(id, message),
    }
}

fn list_kept(replier: Replier, id: u32) {
    wasm_bindgen_futures::spawn_local(async move { answer_list(&replier, id).await });
}

/// Keeps the open archive: its files and its snapshot (taken now, before anything else can
/// change the session).
fn keep(replier: Replier, id: u32) {
    let Some((handles, posts, snapshot)) = SESSION.with(|s| {
        s.borrow()
            .as_ref()
            .map(|s| (s.handles(), s.post_count(), s.snapshot().ok()))
    }) else {
        return replier.post(id, answer_without_archive());
    };
    let (files, key) = OPEN_FILES.with(|open| {
        let open = open.borrow();
        (open.files.clone(), open.key.clone())
    });
    let mut archive = KeptArchive {
        key: key.clone().unwrap_or_else(kept::new_key),
        names: Vec::new(),
        accounts: handles,
        posts: posts as u64,
        bytes: 0,
        kept_at: (js_sys::Date::now() / 1000.0) as i64,
        damaged: false,
    };
    wasm_bindgen_futures::spawn_local(async move {
        if key.is_none() {
            if let Some(same) = kept::same_as(&files).await {
                archive.key = same;
            }
        }
        let key = archive.key.clone();
        match kept::keep(archive, &files, snapshot).await {
            Ok(()) => {
                // Unless another archive was opened meanwhile.
                OPEN_FILES.with(|open| {
                    let mut open = open.borrow_mut();
                    if same_files(&open.files, &files) {
                        open.key = Some(key);
                    }
                });
                answer_list(&replier, id).await;
            }
            Err(message) => replier.error(id, message),
        }
    });
}

fn same_files(a: &[(String, Blob)], b: &[(String, Blob)]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((n, x), (m, y))| n == m && JsValue::from(x) == JsValue::from(y))
}

/// Opens a kept archive: from its snapshot when it can be used, else from its files as on the
/// first visit (and then its snapshot is replaced). With `more` files, it opens them with the
/// kept ones, as a new set (not kept, and its snapshot left as it is).
fn open_kept(replier: Replier, id: u32, key: String, more: Vec<(String, Blob)>) {
    SESSION.with(|s| *s.borrow_mut() = None);
    OPEN_FILES.with(|open| *open.borrow_mut() = OpenFiles::default());
    wasm_bindgen_futures::spawn_local(async move {
        let found = match kept::files(&key).await {
            Ok(found) => found,
            Err(message) => return replier.error(id, message),
        };
        let mut files = found.files;
        if !more.is_empty() {
            files.extend(more);
            open(&replier, id, files, None);
            return;
        }
        let refused = match found.snapshot.as_ref().map(read_blob) {
            Some(Ok(bytes)) => match inputs(&files) {
                Ok(inputs) => match Session::restore(inputs, &bytes, Box::new(js_sys::Date::now)) {
                    Ok((session, mut answer)) => {
                        answer.kept = Some(KeptOpen { key, rebuilt: None });
                        let source = export_source(&files);
                        return opened(&replier, id, session, answer, files, source);
                    }
                    Err(refused) => refused,
                },
                Err(e) => permafrost_session::snapshot::Refused::Mismatch(e.to_string()),
            },
            _ => permafrost_session::snapshot::Refused::Damaged,
        };
        let kept = KeptOpen {
            key: key.clone(),
            rebuilt: Some(refused.message()),
        };
        if open(&replier, id, files, Some(kept)) {
            let snapshot = SESSION.with(|s| s.borrow().as_ref().and_then(|s| s.snapshot().ok()));
            if let Some(snapshot) = snapshot {
                if let Err(e) = kept::replace_snapshot(&key, snapshot).await {
                    web_sys::console::warn_1(
                        &format!("the kept snapshot was not replaced: {e}").into(),
                    );
                }
            }
        }
    });
}

/// The bytes of a (small) blob, read synchronously (workers have `FileReaderSync`).
fn read_blob(blob: &Blob) -> Result<Vec<u8>, JsValue> {
    let reader = web_sys::FileReaderSync::new()?;
    let buffer = reader.read_as_array_buffer(blob)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn forget(replier: Replier, id: u32, key: Option<String>) {
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(message) = kept::forget(key.as_deref()).await {
            return replier.error(id, message);
        }
        OPEN_FILES.with(|open| {
            let mut open = open.borrow_mut();
            if key.is_none() || open.key == key {
                open.key = None;
            }
        });
        answer_list(&replier, id).await;
    });
}
