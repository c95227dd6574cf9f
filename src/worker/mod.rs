//! The Web Worker: it owns the archive. It reads the user's files by byte range, parses, indexes,
//! searches and reads media, answering the page's [`permafrost_protocol::Request`]s.
//!
//! Linked only into the worker binary (src/bin/worker.rs): nothing on the main thread may use
//! this module, so the engine, the archive readers and the index stay out of the main bundle.

pub mod blob_reader;
mod search;
pub mod session;
pub mod views;

use blob_reader::BlobReader;
use permafrost_engine::Input;
use permafrost_protocol::{Request, RequestBody, Response, ResponseBody};
use session::Session;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

/// Progress events are sent at most this often (milliseconds).
const PROGRESS_INTERVAL_MS: f64 = 80.0;

/// Starts answering messages. Called once by the worker binary's `main`.
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let session: Rc<RefCell<Option<Session<BlobReader>>>> = Rc::new(RefCell::new(None));
    let replier = Replier {
        scope: scope.clone(),
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        let text = js_sys::Reflect::get(&data, &0.into())
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default();
        let beside = js_sys::Reflect::get(&data, &1.into()).unwrap_or(JsValue::NULL);
        match Request::from_json(&text) {
            Ok(request) => handle(&replier, &session, request, beside),
            Err(e) => replier.send(
                &Response::error(0, format!("unreadable request: {e}")),
                None,
            ),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    Replier { scope }.answer(0, ResponseBody::Ready);
}

struct Replier {
    scope: DedicatedWorkerGlobalScope,
}

impl Replier {
    fn send(&self, response: &Response, transfer: Option<&js_sys::ArrayBuffer>) {
        let text = JsValue::from_str(&response.to_json());
        let result = match transfer {
            Some(buffer) => self.scope.post_message_with_transfer(
                &js_sys::Array::of2(&text, buffer),
                &js_sys::Array::of1(buffer),
            ),
            None => self
                .scope
                .post_message(&js_sys::Array::of2(&text, &JsValue::NULL)),
        };
        if let Err(e) = result {
            web_sys::console::error_1(&e);
        }
    }

    fn answer(&self, id: u32, body: ResponseBody) {
        self.send(&Response { id, body }, None);
    }
}

fn handle(
    replier: &Replier,
    session: &Rc<RefCell<Option<Session<BlobReader>>>>,
    request: Request,
    beside: JsValue,
) {
    let id = request.id;
    let no_archive = || Response::error(id, "no archive is open: open one first");
    match request.body {
        RequestBody::Open { names } => {
            // Drop the previous archive first: its model may be large.
            *session.borrow_mut() = None;
            let blobs: Vec<Blob> = js_sys::Array::from(&beside)
                .iter()
                .filter_map(|b| b.dyn_into::<Blob>().ok())
                .collect();
            let mut inputs = Vec::new();
            for (name, blob) in names.into_iter().zip(blobs) {
                match BlobReader::new(blob) {
                    Ok(reader) => inputs.push(Input::new(name, reader)),
                    Err(e) => return replier.send(&Response::error(id, e.to_string()), None),
                }
            }
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
            match Session::open_with_preview(
                inputs,
                &mut progress,
                &mut preview,
                &js_sys::Date::now,
            ) {
                Ok((opened, answer)) => {
                    *session.borrow_mut() = Some(opened);
                    replier.answer(id, ResponseBody::Opened(Box::new(answer)));
                }
                Err(message) => replier.send(&Response::error(id, message), None),
            }
        }
        RequestBody::Search {
            query,
            sort,
            time_zone,
            limit,
        } => {
            let mut guard = session.borrow_mut();
            let Some(s) = guard.as_mut() else {
                return replier.send(&no_archive(), None);
            };
            let start = js_sys::Date::now();
            let mut results = s.search(id, &query, sort, &time_zone, limit);
            results.elapsed_ms = (js_sys::Date::now() - start) as u32;
            replier.answer(id, ResponseBody::Results(Box::new(results)));
        }
        RequestBody::GetPosts {
            search: _,
            offset,
            limit,
        } => {
            let guard = session.borrow();
            let Some(s) = guard.as_ref() else {
                return replier.send(&no_archive(), None);
            };
            let posts = s.posts(offset, limit);
            replier.answer(
                id,
                ResponseBody::Posts {
                    search: s.last_search(),
                    offset,
                    posts,
                },
            );
        }
        RequestBody::GetMedia { media } => {
            let mut guard = session.borrow_mut();
            let Some(s) = guard.as_mut() else {
                return replier.send(&no_archive(), None);
            };
            match s.media(media) {
                Ok(Some((bytes, mime))) => {
                    let buffer = js_sys::Uint8Array::from(&bytes[..]).buffer();
                    drop(bytes);
                    replier.send(
                        &Response {
                            id,
                            body: ResponseBody::Media { mime: mime.into() },
                        },
                        Some(&buffer),
                    );
                }
                Ok(None) => replier.answer(
                    id,
                    ResponseBody::MediaMissing {
                        reason: "this file is not in the archive".into(),
                    },
                ),
                Err(reason) => replier.answer(id, ResponseBody::MediaMissing { reason }),
            }
        }
        RequestBody::FindMedia {
            search: _,
            position,
            forward,
        } => {
            let guard = session.borrow();
            let Some(s) = guard.as_ref() else {
                return replier.send(&no_archive(), None);
            };
            let found = s.find_media(position, forward);
            let (position, post) = match found {
                Some((position, post)) => (Some(position), Some(Box::new(post))),
                None => (None, None),
            };
            replier.answer(id, ResponseBody::MediaPost { position, post });
        }
        RequestBody::RawJson { post } => {
            let mut guard = session.borrow_mut();
            let Some(s) = guard.as_mut() else {
                return replier.send(&no_archive(), None);
            };
            match s.raw_json(post) {
                Ok(text) => replier.answer(id, ResponseBody::RawJson { text }),
                Err(message) => replier.send(&Response::error(id, message), None),
            }
        }
    }
}
