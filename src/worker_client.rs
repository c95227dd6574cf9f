//! The page's side of the worker protocol: the only place on the main thread that writes
//! [`RequestBody`]s or calls `postMessage` (framed by [`permafrost_protocol::wire`], encoded by
//! [`crate::codec`]).
//!
//! A [`WorkerClient`] is provided as Leptos context by the app ([`crate::app::App`]); components
//! take it with `expect_context::<WorkerClient>()` and `await` answers:
//!
//! ```ignore
//! let client = expect_context::<WorkerClient>();
//! leptos::task::spawn_local(async move {
//!     if let Some(reply) = client.request(RequestBody::RawJson { post }).await {
//!         // reply.body is the answer; reply.beside what travelled beside it
//!     }
//! });
//! ```
//!
//! `None` means the answer will never come because nobody wants it any more: the worker was
//! restarted (a new archive, Cancel) or the [`Pending`] future was dropped, which is how a caller
//! cancels. Cancelling the worker's own work means terminating it and starting a fresh one: a
//! worker busy reading a file synchronously cannot be interrupted any other way.

use futures_channel::oneshot;
use permafrost_protocol::handoff::SharedAnswer;
use permafrost_protocol::{wire, RequestBody, Response, ResponseBody};
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, MessageEvent, Worker, WorkerOptions, WorkerType};

/// The worker's script and module, beside index.html (Trunk builds the worker as a classic
/// script, wasm-bindgen's no-modules target, which defines the global `wasm_bindgen`).
const WORKER_JS: &str = "./worker.js";
const WORKER_WASM: &str = "./worker_bg.wasm";

/// Absolute URLs of the worker's script and module: a blob worker resolves relative URLs
/// against its blob: URL.
fn worker_urls() -> Result<(String, String), String> {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .ok_or("no document")?;
    let absolute = |path: &str| {
        web_sys::Url::new_with_base(path, &base)
            .map(|u| u.href())
            .map_err(|e| wire::describe(&e))
    };
    Ok((absolute(WORKER_JS)?, absolute(WORKER_WASM)?))
}

/// A Blob URL of the worker's loader. A worker started from a `blob:` URL inherits the
/// page's Content-Security-Policy (CSP3: the policy container of its creator), so the page's
/// `<meta>` policy binds the worker too, whatever headers the host sends; a worker started from
/// a script file would have only the policy of that file's response headers, often none.
///
/// The loader starts the worker's wasm from the first message it gets: the module compiled by
/// the page (see [`Inner::module`]), or the module's URL when the page could not compile it.
fn worker_loader_url(script: &str) -> Result<String, String> {
    let script = format!(
        "importScripts({});onmessage=e=>{{onmessage=null;wasm_bindgen({{module_or_path:e.data}})}};",
        js_string(script),
    );
    let parts = js_sys::Array::of1(&script.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| wire::describe(&e))?;
    web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| wire::describe(&e))
}

/// Compiles the worker's module on the page, once: a `WebAssembly.Module` posted to a worker
/// shares its compiled code, so the code the browser optimised while one worker read an
/// archive (about 0.7 s of compiling on two cores at 10,000 posts, profiled: the optimising
/// tier compiles what runs hot) serves every later worker, which a worker compiling its own
/// module would do again. Gives the URL instead when compiling fails (a host that serves wasm
/// with another MIME type refuses streaming): the worker then fetches and compiles it itself.
async fn compile_worker_module(url: String) -> JsValue {
    let Some(window) = web_sys::window() else {
        return url.into();
    };
    let compiled = js_sys::WebAssembly::compile_streaming(&window.fetch_with_str(&url));
    match wasm_bindgen_futures::JsFuture::from(compiled).await {
        Ok(module) => module,
        Err(e) => {
            web_sys::console::warn_1(&e);
            url.into()
        }
    }
}

/// `s` as a JavaScript string literal (JSON's quoting is JavaScript's).
fn js_string(s: &str) -> String {
    js_sys::JSON::stringify(&s.into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// An answer from the worker.
#[derive(Debug)]
pub struct Reply {
    /// The answer (an [`ResponseBody::Error`] when the request failed).
    pub body: ResponseBody,
    /// What travelled beside it: the `Blob` of a media file or an export's part, or `null`.
    pub beside: JsValue,
}

/// Sees the events that come before the answer (progress and previews while opening; progress
/// and the file's parts while exporting), with what travelled beside each.
type OnEvent = Box<dyn FnMut(ResponseBody, JsValue)>;

/// A request awaiting its answer.
struct Waiting {
    id: u32,
    on_event: Option<OnEvent>,
    answer: oneshot::Sender<Reply>,
}

/// A handle to the page's one worker. Cloning it gives another handle to the same worker.
///
/// It is `Send + Sync` only so that Leptos can hold it as context: the page is single-threaded,
/// and [`SendWrapper`] panics if it is ever touched from another thread.
#[derive(Clone)]
pub struct WorkerClient {
    inner: SendWrapper<Rc<RefCell<Inner>>>,
}

struct Inner {
    worker: Option<Worker>,
    /// False until the worker says it reads messages; requests wait in `queue` until then.
    ready: bool,
    /// No archive was sent to this worker ([`RequestBody::opens_archive`]): it holds none.
    fresh: bool,
    queue: Vec<js_sys::Array>,
    next_id: u32,
    /// The requests awaiting an answer (a few at a time: a list is cheaper than a map here).
    waiting: Vec<Waiting>,
    // The worker's handlers, dropped with the worker (see `stop`).
    on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
    on_error: Option<Closure<dyn FnMut(web_sys::Event)>>,
    /// The Blob URL the worker was started from, revoked with the worker.
    loader: Option<String>,
    /// Told why, when the worker dies (see [`WorkerClient::on_failure`]).
    on_failure: Option<Rc<dyn Fn(String)>>,
    /// The worker's module, compiled once for every worker of the page
    /// ([`compile_worker_module`]).
    module: Module,
    /// Whether the running worker was sent `module` (its loader waits for it).
    module_sent: bool,
    /// Memory shared with the running worker, where it hands over the answers the page waits for
    /// ([`permafrost_protocol::handoff`]); `None` where the page is not cross-origin isolated, or
    /// has one core.
    handoff: Option<SharedAnswer>,
    /// A throwaway worker opening the sample archive (see [`WorkerClient::rehearse`]).
    rehearsal: Option<Rehearsal>,
    /// Whether a rehearsal was started on this page (one is enough: the code it made stays).
    rehearsed: bool,
    /// The files to rehearse with, until the module is compiled.
    rehearse_with: Option<Vec<crate::files::Given>>,
    /// Given the rehearsal's worker, still holding the sample archive, and what its open
    /// answered, once the rehearsal ends (see [`WorkerClient::on_rehearsed`]).
    on_rehearsed: Option<OnRehearsed>,
}

/// See [`WorkerClient::on_rehearsed`].
type OnRehearsed = Rc<dyn Fn(WorkerClient, std::sync::Arc<permafrost_protocol::Opened>)>;

/// A worker opening an archive only so that the browser compiles the code that reads one, and
/// its handler (which terminates it when the answer comes).
struct Rehearsal {
    worker: Worker,
    loader: String,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    /// The worker went on to another client ([`WorkerClient::adopt`]): not to be terminated.
    handed_on: bool,
}

impl Drop for Rehearsal {
    fn drop(&mut self) {
        if self.handed_on {
            return;
        }
        self.worker.set_onmessage(None);
        self.worker.terminate();
        let _ = web_sys::Url::revoke_object_url(&self.loader);
    }
}

/// The workers' names (shown by the browser's developer tools; the tests tell them apart by it).
const WORKER_NAME: &str = "permafrost";
const REHEARSAL_NAME: &str = "permafrost-rehearsal";

/// How long the page waits for a search's answer before it lets the frame be drawn without it
/// (then the answer comes as a message): at most a frame at 60 Hz. The wait spins, and the frame
/// (with the typed key) is drawn late by as long.
const HANDOFF_BUDGET_MS: f64 = 16.0;

/// Memory to share with a new worker, where the page may have it (cross-origin isolated) and it
/// pays: the page spins while it waits, so on one core it would take the core from the worker.
fn shared_answer() -> Option<SharedAnswer> {
    let cores = web_sys::window()?.navigator().hardware_concurrency();
    if cores < 2.0 {
        return None;
    }
    SharedAnswer::new()
}

/// How many times the rehearsal opens the sample archive (see [`WorkerClient::rehearse`]): 18 MB
/// of its outbox.json in all, about a second of the two cores' time (stopped at once when the
/// user drops an archive). The browser optimises a function only once it has run long enough:
/// after 4 opens (2.4 MB) the code that reads outbox.json still ran unoptimised, or was being
/// optimised, through most of the user's open, which read 20 MB at 90 MB/s where a larger
/// archive is read at 170. Opening 10,000 posts 3 s after the page appeared took 301 ms (median
/// of 6) after 4 rehearsals, 240 ms after 30, and 230 ms after 100 (a probe, alternated runs);
/// 100,000 posts 1,561 and 1,449 ms (4 and 30, medians of 4).
const REHEARSALS: u32 = 30;

/// What the rehearsal searches for once it has opened the sample archive: a word, a prefix, a
/// phrase, filters, a negation, OR, CJK. (Not their facets: the page asks for those after the
/// count and the first posts are drawn, so they are not what a keystroke waits for.)
/// The browser compiles each wasm function the first time it runs, so without these the user's
/// first search pays for compiling the search's code: at 300,000 posts the first keystroke took
/// 26–28 ms without them and 17–22 ms with them (a probe, alternated pairs), though it can still
/// be the slowest key (29.6 ms in one benchmark run: not all of its cost is compiling).
const REHEARSAL_QUERIES: [&str; 6] = [
    "coffee",
    "cof* OR #photography",
    "\"good morning\" -is:reply",
    "has:media lang:en after:2023",
    "咖啡",
    "",
];

/// Where the page is with the worker's module.
#[derive(Clone)]
enum Module {
    NotAsked,
    Compiling,
    /// A `WebAssembly.Module`, or the module's URL (see [`compile_worker_module`]).
    Ready(JsValue),
}

/// The answer to one request, as a future. Dropping it cancels the request: its answer, if one
/// still comes, is ignored.
#[must_use = "a request is cancelled when its Pending is dropped"]
pub struct Pending {
    id: u32,
    answer: Option<oneshot::Receiver<Reply>>,
    client: WorkerClient,
}

impl Future for Pending {
    type Output = Option<Reply>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Reply>> {
        let Some(answer) = self.answer.as_mut() else {
            return Poll::Ready(None);
        };
        match Pin::new(answer).poll(cx) {
            Poll::Ready(reply) => {
                self.answer = None;
                Poll::Ready(reply.ok())
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if self.answer.is_some() {
            self.client.cancel(self.id);
        }
    }
}

impl WorkerClient {
    /// A client; the worker starts on the first request (or [`WorkerClient::warm`]).
    pub fn new() -> WorkerClient {
        WorkerClient {
            inner: SendWrapper::new(Rc::new(RefCell::new(Inner {
                worker: None,
                ready: false,
                fresh: true,
                queue: Vec::new(),
                next_id: 1,
                waiting: Vec::new(),
                on_message: None,
                on_error: None,
                loader: None,
                on_failure: None,
                module: Module::NotAsked,
                module_sent: false,
                handoff: None,
                rehearsal: None,
                rehearsed: false,
                rehearse_with: None,
                on_rehearsed: None,
            }))),
        }
    }

    /// Calls `f` when the rehearsal ([`WorkerClient::rehearse`]) has opened and searched the
    /// sample archive, with a client of its worker, which still holds it, and what its open
    /// answered: the page draws the archive's view with them, unseen, so that the browser
    /// compiles the page's code for drawing one before the user's archive needs it (see
    /// `ui::warm_up`). Whoever is given the client ends its worker ([`WorkerClient::restart`]).
    /// Without `f`, the rehearsal's worker is terminated when it ends.
    pub fn on_rehearsed(
        &self,
        f: impl Fn(WorkerClient, std::sync::Arc<permafrost_protocol::Opened>) + 'static,
    ) {
        self.inner.borrow_mut().on_rehearsed = Some(Rc::new(f));
    }

    /// A client of `worker`, a worker of this page that is running and ready (the rehearsal's),
    /// started from the Blob URL `loader` and given `module`.
    fn adopt(worker: Worker, loader: String, module: JsValue) -> WorkerClient {
        let client = WorkerClient::new();
        {
            let mut inner = client.inner.borrow_mut();
            inner.fresh = false;
            inner.ready = true;
            inner.rehearsed = true;
            inner.module = Module::Ready(module);
            inner.module_sent = true;
            inner.loader = Some(loader);
            inner.handoff = shared_answer();
        }
        client.attach(&worker);
        client.inner.borrow_mut().worker = Some(worker);
        // No `Ready` comes again: send what `flush` would send after one.
        client.flush();
        client
    }

    /// Calls `f` with the reason whenever the worker dies (out of memory, a crash): whatever it
    /// held is gone, and the page must say so rather than carry on with a worker that holds
    /// nothing.
    pub fn on_failure(&self, f: impl Fn(String) + 'static) {
        self.inner.borrow_mut().on_failure = Some(Rc::new(f));
    }

    /// Asks the worker something; the future gives the answer.
    pub fn request(&self, body: RequestBody) -> Pending {
        self.send(body, &[], None)
    }

    /// Asks the worker something that may be asked again before it is answered (a view's numbers
    /// as the query changes): `answered` gets the answer only when no newer question was asked
    /// through the same `asked` counter meanwhile, and while the view that owns it is still
    /// there. The latest question's answer wins.
    pub fn ask_latest(
        &self,
        asked: leptos::prelude::StoredValue<u32>,
        body: RequestBody,
        answered: impl FnOnce(ResponseBody) + 'static,
    ) {
        use leptos::prelude::{GetValue, SetValue};
        let generation = asked.get_value().wrapping_add(1);
        asked.set_value(generation);
        let reply = self.request(body);
        leptos::task::spawn_local(async move {
            let Some(reply) = reply.await else { return };
            if asked.try_get_value() == Some(generation) {
                answered(reply.body);
            }
        });
    }

    /// Asks something whose answer comes after events (`Open` with `blobs`, named in `body`;
    /// `Export`): `on_event` sees each event with what travelled beside it.
    pub fn request_with_events(
        &self,
        body: RequestBody,
        blobs: &[Blob],
        on_event: impl FnMut(ResponseBody, JsValue) + 'static,
    ) -> Pending {
        self.send(body, blobs, Some(Box::new(on_event)))
    }

    fn send(&self, body: RequestBody, blobs: &[Blob], on_event: Option<OnEvent>) -> Pending {
        let (sender, receiver) = oneshot::channel();
        if body.opens_archive() {
            // The user's archive has the cores to itself.
            self.end_rehearsal();
        }
        let id = {
            let mut inner = self.inner.borrow_mut();
            inner.fresh &= !body.opens_archive();
            let id = inner.next_id;
            inner.next_id = inner.next_id.wrapping_add(1).max(1);
            inner.waiting.push(Waiting {
                id,
                on_event,
                answer: sender,
            });
            id
        };
        let pending = Pending {
            id,
            answer: Some(receiver),
            client: self.clone(),
        };
        let worker = match self.worker() {
            Ok(w) => w,
            Err(message) => {
                self.dispatch(Response::error(id, message), JsValue::NULL);
                return pending;
            }
        };
        let beside = if blobs.is_empty() {
            JsValue::NULL
        } else {
            blobs.iter().collect::<js_sys::Array>().into()
        };
        let message = wire::frame(&crate::codec::encode(id, &body), &beside);
        let (ready, handoff) = {
            let inner = self.inner.borrow();
            (inner.ready, inner.handoff.clone())
        };
        // A search's answer is waited for here, up to a frame, so that its count is drawn in the
        // frame the key was typed in (see `handoff`).
        let handoff = handoff.filter(|_| ready && matches!(body, RequestBody::Search { .. }));
        if let Some(handoff) = &handoff {
            handoff.expect(id);
        }
        if !ready {
            self.inner.borrow_mut().queue.push(message);
        } else if let Err(e) = worker.post_message(&message) {
            let message = crate::tr!(
                crate::lang::i18n(),
                errors.talk_worker,
                error = wire::describe(&e)
            );
            self.dispatch(Response::error(id, message), JsValue::NULL);
        } else if let Some(text) = handoff.and_then(|h| h.wait(id, HANDOFF_BUDGET_MS)) {
            match crate::codec::response(&text) {
                Some(response) => self.dispatch(response, JsValue::NULL),
                None => web_sys::console::warn_1(&"unreadable worker answer".into()),
            }
        }
        pending
    }

    /// Stops whatever the worker is doing by terminating it; the next request starts a new one.
    /// Requests awaiting an answer get `None`.
    pub fn restart(&self) {
        self.end_rehearsal();
        let waiting = {
            let mut inner = self.inner.borrow_mut();
            inner.stop();
            inner.fresh = true;
            std::mem::take(&mut inner.waiting)
        };
        // Dropped outside the borrow: their futures wake up and may send new requests.
        drop(waiting);
    }

    /// Starts a worker now, if none is running, so that it has loaded by the time it is needed
    /// (its wasm is large: fetching and compiling it takes a moment).
    pub fn warm(&self) {
        if let Err(message) = self.worker() {
            web_sys::console::warn_1(&message.into());
        }
    }

    /// A worker holding nothing: the running one if nothing was asked of it yet, else a new one
    /// (the old one is terminated, and with it the archive it held).
    pub fn reset(&self) {
        let fresh = {
            let inner = self.inner.borrow();
            inner.fresh && inner.worker.is_some()
        };
        if !fresh {
            self.restart();
            self.warm();
        }
    }

    /// Opens `files` (the sample archive) in a throwaway worker while the page waits for the
    /// user, searches it ([`REHEARSAL_QUERIES`]), then terminates it, so that the user's own
    /// archive opens and answers its first search faster: the browser first
    /// runs wasm unoptimised and compiles each function again, optimised, once it has run a
    /// while. Opening 10,000 posts, that compiling took about 0.7 s of the two cores' time,
    /// beside the reading it slowed (profiled in Chromium); the rehearsal leaves that code in the
    /// module every worker of the page shares ([`compile_worker_module`]). Done once per page,
    /// only while no archive was asked for, and stopped as soon as one is (by
    /// [`WorkerClient::restart`]). Nothing is kept: the worker and what it read are dropped.
    pub fn rehearse(&self, files: Vec<crate::files::Given>) {
        self.inner.borrow_mut().rehearse_with = Some(files);
        self.start_rehearsal();
    }

    /// Starts the rehearsal asked for, once the page has compiled the module.
    fn start_rehearsal(&self) {
        let (module, files) = {
            let mut inner = self.inner.borrow_mut();
            let Module::Ready(module) = &inner.module else {
                // Started when it is compiled (see `send_module`).
                return;
            };
            let module = module.clone();
            let Some(files) = inner.rehearse_with.take() else {
                return;
            };
            // A URL: the page could not compile the module, so there is nothing to share.
            if inner.rehearsed || !inner.fresh || !module.is_object() {
                return;
            }
            (module, files)
        };
        let Ok((script, _)) = worker_urls() else {
            return;
        };
        let Ok(loader) = worker_loader_url(&script) else {
            return;
        };
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Classic);
        options.set_name(REHEARSAL_NAME);
        let Ok(worker) = Worker::new_with_options(&loader, &options) else {
            let _ = web_sys::Url::revoke_object_url(&loader);
            return;
        };
        let names = files.iter().map(|f| f.name.clone()).collect();
        let blobs: js_sys::Array = files.iter().map(|f| f.blob.clone()).collect();
        let open = wire::frame(
            &crate::codec::encode(0, &RequestBody::Open { names }),
            &blobs.into(),
        );
        let client = self.clone();
        let target = worker.clone();
        let mut left = REHEARSALS;
        // The searches, numbered from 1 (the opens are request 0); the last one's answer ends it.
        let mut searches = Vec::new();
        for query in REHEARSAL_QUERIES {
            let search = RequestBody::Search {
                query: query.to_owned(),
                sort: Default::default(),
                time_zone: "UTC".to_owned(),
                limit: crate::results::FIRST,
                collapse_threads: false,
            };
            let json = crate::codec::encode(searches.len() as u32 + 1, &search);
            searches.push(wire::frame(&json, &JsValue::UNDEFINED));
        }
        let last = searches.len() as u32;
        let mut searching = false;
        let mut opened = None;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let (text, _) = wire::unframe(&event.data());
            match crate::codec::response(&text) {
                Some(Response {
                    body: ResponseBody::Progress(_) | ResponseBody::Preview { .. },
                    ..
                }) => {}
                // Ready, or an open's answer (the archive, or an error): again, then the
                // searches, then done.
                Some(Response { id: 0, .. }) if left > 0 => {
                    left -= 1;
                    if target.post_message(&open).is_err() {
                        client.end_rehearsal();
                    }
                }
                Some(Response { id: 0, body }) if !searching => {
                    // The last open's archive, for the view drawn unseen once it is searched.
                    if let ResponseBody::Opened(answer) = body {
                        opened = Some(std::sync::Arc::from(answer));
                    }
                    searching = true;
                    if searches.iter().any(|s| target.post_message(s).is_err()) {
                        client.end_rehearsal();
                    }
                }
                Some(Response { id, .. }) if searching && id < last => {}
                Some(Response { id, .. }) if searching && id == last => {
                    client.hand_on_rehearsal(opened.take())
                }
                _ => client.end_rehearsal(),
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        if worker.post_message(&module).is_err() {
            worker.terminate();
            let _ = web_sys::Url::revoke_object_url(&loader);
            return;
        }
        let mut inner = self.inner.borrow_mut();
        inner.rehearsed = true;
        inner.rehearsal = Some(Rehearsal {
            worker,
            loader,
            _on_message: on_message,
            handed_on: false,
        });
    }

    /// Ends the rehearsal that opened `opened` and searched it: its worker, which holds the
    /// sample archive, goes to [`WorkerClient::on_rehearsed`]'s callback when there is one.
    fn hand_on_rehearsal(&self, opened: Option<std::sync::Arc<permafrost_protocol::Opened>>) {
        let (rehearsal, module, callback) = {
            let mut inner = self.inner.borrow_mut();
            let module = match &inner.module {
                Module::Ready(module) => Some(module.clone()),
                _ => None,
            };
            (inner.rehearsal.take(), module, inner.on_rehearsed.clone())
        };
        let Some(mut rehearsal) = rehearsal else {
            return;
        };
        match (opened, module, callback) {
            (Some(opened), Some(module), Some(callback)) => {
                rehearsal.handed_on = true;
                let client = WorkerClient::adopt(
                    rehearsal.worker.clone(),
                    std::mem::take(&mut rehearsal.loader),
                    module,
                );
                // The handler cannot be freed while it runs: free it from a later task.
                leptos::task::spawn_local(async move {
                    drop(rehearsal);
                    callback(client, opened);
                });
            }
            _ => leptos::task::spawn_local(async move { drop(rehearsal) }),
        }
    }

    /// Terminates the rehearsal's worker, if one runs.
    fn end_rehearsal(&self) {
        // Dropped outside the borrow: dropping it drops the handler that may be running.
        let rehearsal = self.inner.borrow_mut().rehearsal.take();
        if let Some(rehearsal) = rehearsal {
            // The handler cannot be freed while it runs: free it from a later task.
            leptos::task::spawn_local(async move { drop(rehearsal) });
        }
    }

    /// Whether nothing was sent to the worker that opens an archive (see [`Inner::fresh`]).
    pub fn is_fresh(&self) -> bool {
        self.inner.borrow().fresh
    }

    /// Forgets a request whose answer is no longer wanted.
    fn cancel(&self, id: u32) {
        let removed = {
            let mut inner = self.inner.borrow_mut();
            let at = inner.waiting.iter().position(|w| w.id == id);
            at.map(|at| inner.waiting.swap_remove(at))
        };
        drop(removed);
    }

    fn worker(&self) -> Result<Worker, String> {
        if let Some(worker) = &self.inner.borrow().worker {
            return Ok(worker.clone());
        }
        // Trunk builds workers as classic scripts (wasm-bindgen's no-modules target).
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Classic);
        options.set_name(WORKER_NAME);
        let (script, wasm) = worker_urls()
            .map_err(|e| crate::tr!(crate::lang::i18n(), errors.start_worker, error = e))?;
        let loader = worker_loader_url(&script)
            .map_err(|e| crate::tr!(crate::lang::i18n(), errors.start_worker, error = e))?;
        let worker = Worker::new_with_options(&loader, &options).map_err(|e| {
            let _ = web_sys::Url::revoke_object_url(&loader);
            crate::tr!(
                crate::lang::i18n(),
                errors.start_worker,
                error = wire::describe(&e)
            )
        })?;

        self.attach(&worker);
        {
            let mut inner = self.inner.borrow_mut();
            inner.worker = Some(worker.clone());
            inner.loader = Some(loader);
            inner.module_sent = false;
            inner.handoff = shared_answer();
        }
        self.send_module(wasm);
        Ok(worker)
    }

    /// Hands `worker`'s answers to this client, and its death to everyone waiting.
    fn attach(&self, worker: &Worker) {
        let client = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let (text, beside) = wire::unframe(&event.data());
            match crate::codec::response(&text) {
                Some(response) => client.dispatch(response, beside),
                None => web_sys::console::warn_1(&"unreadable worker message".into()),
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));

        // A worker that fails to load or panics answers nothing more: tell everyone waiting.
        let client = self.clone();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            event.prevent_default();
            let detail = event
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|e| e.message())
                .unwrap_or_default();
            let i18n = crate::lang::i18n();
            let message = if crate::format::out_of_memory(&detail) {
                crate::i18n::t_string!(i18n, app.out_of_memory).to_string()
            } else {
                crate::tr!(i18n, app.worker_stopped, detail = detail)
            };
            client.fail_all(&message);
            let on_failure = client.inner.borrow().on_failure.clone();
            if let Some(f) = on_failure {
                f(message);
            }
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));

        let mut inner = self.inner.borrow_mut();
        inner.on_message = Some(on_message);
        inner.on_error = Some(on_error);
    }

    /// Sends the running worker the module its loader waits for, once there is one; the first
    /// time, compiles it (see [`compile_worker_module`]).
    fn send_module(&self, url: String) {
        let (worker, module) = {
            let mut inner = self.inner.borrow_mut();
            if inner.module_sent {
                return;
            }
            let module = inner.module.clone();
            if matches!(module, Module::NotAsked) {
                inner.module = Module::Compiling;
            }
            (inner.worker.clone(), module)
        };
        match module {
            Module::Ready(module) => {
                let Some(worker) = worker else { return };
                self.inner.borrow_mut().module_sent = true;
                if let Err(e) = worker.post_message(&module) {
                    // A browser that cannot send a module to a worker: the worker compiles its
                    // own from the URL, now and from now on (nothing is shared then).
                    web_sys::console::warn_1(&e);
                    let url = JsValue::from_str(&url);
                    self.inner.borrow_mut().module = Module::Ready(url.clone());
                    if let Err(e) = worker.post_message(&url) {
                        web_sys::console::error_1(&e);
                    }
                }
            }
            // Sent to whichever worker runs when it is compiled.
            Module::Compiling => {}
            Module::NotAsked => {
                let client = self.clone();
                leptos::task::spawn_local(async move {
                    let module = compile_worker_module(url.clone()).await;
                    client.inner.borrow_mut().module = Module::Ready(module);
                    client.send_module(url);
                    client.start_rehearsal();
                });
            }
        }
    }

    fn dispatch(&self, response: Response, beside: JsValue) {
        if response.body == ResponseBody::Ready {
            return self.flush();
        }
        let id = response.id;
        if matches!(
            response.body,
            ResponseBody::Progress(_)
                | ResponseBody::Preview { .. }
                | ResponseBody::ExportProgress { .. }
                | ResponseBody::ExportPart
        ) {
            // Take the handler out while it runs: it may send new requests.
            let handler = {
                let mut inner = self.inner.borrow_mut();
                let waiting = inner.waiting.iter_mut().find(|w| w.id == id);
                waiting.and_then(|w| w.on_event.take())
            };
            if let Some(mut handler) = handler {
                handler(response.body, beside);
                let mut inner = self.inner.borrow_mut();
                if let Some(w) = inner.waiting.iter_mut().find(|w| w.id == id) {
                    w.on_event = Some(handler);
                }
            }
            return;
        }
        let waiting = {
            let mut inner = self.inner.borrow_mut();
            let at = inner.waiting.iter().position(|w| w.id == id);
            at.map(|at| inner.waiting.swap_remove(at))
        };
        if let Some(waiting) = waiting {
            // Fails only when the future was dropped meanwhile: then nobody wants the answer.
            let _ = waiting.answer.send(Reply {
                body: response.body,
                beside,
            });
        }
    }

    /// Sends the requests held back until the worker was ready.
    fn flush(&self) {
        let (worker, queue) = {
            let mut inner = self.inner.borrow_mut();
            inner.ready = true;
            (inner.worker.clone(), std::mem::take(&mut inner.queue))
        };
        let Some(worker) = worker else { return };
        // First, so that the worker has it before the first request it could hand over.
        let handoff = self
            .inner
            .borrow()
            .handoff
            .as_ref()
            .map(SharedAnswer::buffer);
        if let Some(buffer) = handoff {
            if let Err(e) = worker.post_message(&buffer) {
                web_sys::console::warn_1(&e);
                self.inner.borrow_mut().handoff = None;
            }
        }
        for message in queue {
            if let Err(e) = worker.post_message(&message) {
                web_sys::console::error_1(&e);
            }
        }
    }

    fn fail_all(&self, message: &str) {
        let waiting = {
            let mut inner = self.inner.borrow_mut();
            inner.stop();
            std::mem::take(&mut inner.waiting)
        };
        for w in waiting {
            let _ = w.answer.send(Reply {
                body: ResponseBody::Error {
                    message: message.to_string().into(),
                },
                beside: JsValue::NULL,
            });
        }
    }
}

impl Inner {
    /// Terminates the worker and drops its handlers (the worker no longer calls them).
    fn stop(&mut self) {
        if let Some(worker) = self.worker.take() {
            worker.set_onmessage(None);
            worker.set_onerror(None);
            worker.terminate();
        }
        self.on_message = None;
        self.on_error = None;
        if let Some(loader) = self.loader.take() {
            let _ = web_sys::Url::revoke_object_url(&loader);
        }
        self.ready = false;
        self.module_sent = false;
        self.handoff = None;
        self.queue.clear();
    }
}

impl Default for WorkerClient {
    fn default() -> Self {
        WorkerClient::new()
    }
}
