//! The page's side of the worker protocol: the only place on the main thread that serializes
//! [`Request`]s or calls `postMessage`.
//!
//! Every message is a two-element array: the JSON text of a [`Request`] or [`Response`], and what
//! travels beside it (the `Blob`s of an `Open`, the `ArrayBuffer` of a `Media` answer, or `null`).
//! Cancelling means terminating the worker and starting a fresh one: a worker busy reading a file
//! synchronously cannot be interrupted any other way.

use permafrost_protocol::{RequestBody, Response, ResponseBody};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, MessageEvent, Worker, WorkerOptions, WorkerType};

/// The worker's loader script (assets/worker_loader.js, copied beside index.html).
const WORKER_URL: &str = "./worker_loader.js";

type Handler = Box<dyn FnMut(ResponseBody, JsValue)>;

/// A handle to the worker. Cloning it gives another handle to the same worker.
#[derive(Clone)]
pub struct WorkerClient {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    worker: Option<Worker>,
    /// False until the worker says it reads messages; requests wait in `queue` until then.
    ready: bool,
    /// Nothing has been asked of this worker yet (it holds no archive).
    fresh: bool,
    queue: Vec<js_sys::Array>,
    next_id: u32,
    /// Handlers of the requests awaiting an answer (a few at a time).
    handlers: Vec<(u32, Handler)>,
    on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
    on_error: Option<Closure<dyn FnMut(web_sys::Event)>>,
}

impl WorkerClient {
    /// A client; the worker starts on the first request.
    pub fn new() -> WorkerClient {
        WorkerClient {
            inner: Rc::new(RefCell::new(Inner {
                worker: None,
                ready: false,
                fresh: true,
                queue: Vec::new(),
                next_id: 1,
                handlers: Vec::new(),
                on_message: None,
                on_error: None,
            })),
        }
    }

    /// Sends a request; `on_response` gets every response with its id (progress events, then the
    /// answer) with what travelled beside it. Returns the request id.
    pub fn send(
        &self,
        body: RequestBody,
        blobs: &[Blob],
        on_response: impl FnMut(ResponseBody, JsValue) + 'static,
    ) -> u32 {
        let worker = match self.worker() {
            Ok(w) => w,
            Err(message) => {
                let mut on_response = on_response;
                on_response(ResponseBody::Error { message }, JsValue::NULL);
                return 0;
            }
        };
        let id = {
            let mut inner = self.inner.borrow_mut();
            inner.fresh = false;
            let id = inner.next_id;
            inner.next_id = inner.next_id.wrapping_add(1).max(1);
            inner.handlers.push((id, Box::new(on_response)));
            id
        };
        let beside = if blobs.is_empty() {
            JsValue::NULL
        } else {
            blobs.iter().collect::<js_sys::Array>().into()
        };
        let message = js_sys::Array::of2(
            &JsValue::from_str(&crate::decode::encode(id, &body)),
            &beside,
        );
        if !self.inner.borrow().ready {
            self.inner.borrow_mut().queue.push(message);
            return id;
        }
        if let Err(e) = worker.post_message(&message) {
            let message = format!("could not talk to the worker: {}", describe(&e));
            self.dispatch(Response::error(id, message), JsValue::NULL);
        }
        id
    }

    /// Forgets the handler of a request whose answer is no longer wanted.
    pub fn forget(&self, id: u32) {
        self.inner.borrow_mut().handlers.retain(|(i, _)| *i != id);
    }

    /// Stops whatever the worker is doing by terminating it; the next request starts a new one.
    /// Pending requests get no answer.
    pub fn restart(&self) {
        let mut inner = self.inner.borrow_mut();
        if let Some(worker) = inner.worker.take() {
            worker.terminate();
        }
        inner.handlers.clear();
        inner.queue.clear();
        inner.ready = false;
        inner.fresh = true;
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

    fn worker(&self) -> Result<Worker, String> {
        if let Some(worker) = &self.inner.borrow().worker {
            return Ok(worker.clone());
        }
        // Trunk builds workers as classic scripts (wasm-bindgen's no-modules target).
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Classic);
        let worker = Worker::new_with_options(WORKER_URL, &options)
            .map_err(|e| format!("could not start the worker: {}", describe(&e)))?;

        let client = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let text = js_sys::Reflect::get(&data, &0.into())
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            let beside = js_sys::Reflect::get(&data, &1.into()).unwrap_or(JsValue::NULL);
            match crate::decode::response(&text) {
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
            client.fail_all(&format!(
                "the worker stopped unexpectedly ({detail}); reload the page and try again"
            ));
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));

        let mut inner = self.inner.borrow_mut();
        inner.on_message = Some(on_message);
        inner.on_error = Some(on_error);
        inner.worker = Some(worker.clone());
        Ok(worker)
    }

    fn dispatch(&self, response: Response, beside: JsValue) {
        if response.body == ResponseBody::Ready {
            return self.flush();
        }
        let last = !matches!(
            response.body,
            ResponseBody::Progress(_) | ResponseBody::Preview { .. }
        );
        // Take the handler out while it runs: it may send new requests.
        let handler = {
            let mut inner = self.inner.borrow_mut();
            let at = inner.handlers.iter().position(|(i, _)| *i == response.id);
            at.map(|at| inner.handlers.swap_remove(at).1)
        };
        if let Some(mut handler) = handler {
            handler(response.body, beside);
            if !last {
                self.inner
                    .borrow_mut()
                    .handlers
                    .push((response.id, handler));
            }
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
        for message in queue {
            if let Err(e) = worker.post_message(&message) {
                web_sys::console::error_1(&e);
            }
        }
    }

    fn fail_all(&self, message: &str) {
        let ids: Vec<u32> = self
            .inner
            .borrow()
            .handlers
            .iter()
            .map(|(i, _)| *i)
            .collect();
        {
            let mut inner = self.inner.borrow_mut();
            if let Some(worker) = inner.worker.take() {
                worker.terminate();
            }
            inner.ready = false;
            inner.queue.clear();
        }
        for id in ids {
            self.dispatch(Response::error(id, message), JsValue::NULL);
        }
    }
}

impl Default for WorkerClient {
    fn default() -> Self {
        WorkerClient::new()
    }
}

/// A JavaScript exception as one line.
pub(crate) fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
