//! outbox.json inflated on the other core: a helper worker reads the archive's slices, inflates
//! and checks the entry, and streams its contents through shared memory
//! ([`permafrost_protocol::ring`]) to this worker, which parses them meanwhile.
//!
//! The worker starts its helper when it starts (a copy of itself, from the same loader and the
//! same compiled module, named [`HELPER_NAME`] so that it starts none of its own), if the page is
//! cross-origin isolated (shared memory) and the machine has a second core: on one core the two
//! would take turns, and reading here is as fast. The helper says `Ready` once its module runs;
//! until then (an archive dropped the moment the page opens) outbox.json is read here, as it is
//! for every archive that is not one ZIP given as one file (see
//! [`permafrost_engine::Observer::outbox_elsewhere`]).
//!
//! The helper gives what [`permafrost_engine::read_span`] gives for the entry, its errors
//! included (as their text), so what the user is told about a damaged archive is the same either
//! way. A helper that dies mid-way makes the read fail after a while instead of hanging
//! ([`ring::GIVE_UP_WAITS`]).

use crate::blob_reader::BlobReader;
use js_sys::{Atomics, Int32Array, Reflect, SharedArrayBuffer, Uint8Array};
use permafrost_engine::{read_span, Limits, Span};
use permafrost_protocol::ring::{self, Consumer, Producer, Shared};
use std::cell::{Cell, RefCell};
use std::io::Read;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent, Worker, WorkerOptions};

/// The name the helper worker is started with.
pub const HELPER_NAME: &str = "permafrost-inflate";

/// A message handler.
type OnMessage = Closure<dyn FnMut(MessageEvent)>;

/// The key of a job's message (a plain object, not a framed protocol message).
const JOB: &str = "inflate";

thread_local! {
    /// The helper, once started, and whether it said it is ready.
    static HELPER: RefCell<Option<Worker>> = const { RefCell::new(None) };
    static READY: Cell<bool> = const { Cell::new(false) };
    /// In a helper: the jobs it did.
    static JOBS: Cell<u32> = const { Cell::new(0) };
    /// Its message handler, kept as long as it (in a helper: the handler of its jobs).
    static ON_READY: RefCell<Option<OnMessage>> = const { RefCell::new(None) };
}

/// True when this worker is a helper.
pub fn is_helper(scope: &DedicatedWorkerGlobalScope) -> bool {
    scope.name() == HELPER_NAME
}

/// Runs this worker as a helper: it does the jobs it is sent, one at a time, and answers
/// nothing but its first message, that it is ready.
pub fn serve(scope: &DedicatedWorkerGlobalScope) {
    let on_job = OnMessage::new(|event: MessageEvent| {
        run_job(&event.data());
    });
    scope.set_onmessage(Some(on_job.as_ref().unchecked_ref()));
    ON_READY.with(|slot| *slot.borrow_mut() = Some(on_job));
    let _ = Reflect::set(scope, &"permafrostInflated".into(), &0.into());
    let _ = scope.post_message(&JsValue::TRUE);
}

/// Whether this worker may share memory (its page is cross-origin isolated).
fn isolated() -> bool {
    Reflect::get(&js_sys::global(), &"crossOriginIsolated".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Starts the helper, where it pays (see the module's documentation). Nothing happens on
/// failure: outbox.json is then read here.
pub fn start_helper(scope: &DedicatedWorkerGlobalScope) {
    if !isolated() || scope.navigator().hardware_concurrency() < 2.0 {
        return;
    }
    // The loader this worker started from (a Blob URL the page keeps while the worker lives)
    // starts the module posted to it first.
    let loader = scope.location().href();
    let options = WorkerOptions::new();
    options.set_name(HELPER_NAME);
    let Ok(helper) = Worker::new_with_options(&loader, &options) else {
        return;
    };
    if helper.post_message(&wasm_bindgen::module()).is_err() {
        helper.terminate();
        return;
    }
    // Its first message is `Ready`; it sends no other.
    let on_ready = OnMessage::new(|_| READY.with(|r| r.set(true)));
    helper.set_onmessage(Some(on_ready.as_ref().unchecked_ref()));
    ON_READY.with(|slot| *slot.borrow_mut() = Some(on_ready));
    HELPER.with(|slot| *slot.borrow_mut() = Some(helper));
}

/// This worker's side: a reader of the entry at `span` of `blob`, inflated by the helper, or
/// `None` when there is no helper ready (then it is read here).
pub fn elsewhere(blob: &Blob, span: &Span, limits: &Limits) -> Option<Box<dyn Read>> {
    if !READY.with(Cell::get) {
        return None;
    }
    let helper = HELPER.with(|h| h.borrow().clone())?;
    let buffer = shared_buffer(ring::HEADER_BYTES + ring::SLOTS * ring::SLOT_BYTES)?;
    let job = js_sys::Object::new();
    let fields: [(&str, JsValue); 11] = [
        (JOB, buffer.clone().into()),
        ("blob", blob.clone().into()),
        ("name", span.name.as_str().into()),
        ("start", (span.start as f64).into()),
        ("compressed", (span.compressed as f64).into()),
        ("size", (span.size as f64).into()),
        ("crc32", span.crc32.into()),
        ("deflated", span.deflated.into()),
        ("max_ratio", (limits.max_ratio as f64).into()),
        ("max_entry_size", (limits.max_entry_size as f64).into()),
        ("ratio_floor", (limits.ratio_floor as f64).into()),
    ];
    for (key, value) in fields {
        Reflect::set(&job, &key.into(), &value).ok()?;
    }
    helper.post_message(&job).ok()?;
    Some(Box::new(Consumer::new(SharedRing::over(buffer))))
}

/// `new SharedArrayBuffer(len)`, with the constructor looked up on the global scope. Named in
/// the glue (as `SharedArrayBuffer::new` would), the minified glue reads it once as it loads,
/// which throws where the page is not cross-origin isolated: the constructor is absent there,
/// and the worker would not start at all (tests/e2e/open.test.mjs, "without shared memory").
fn shared_buffer(len: usize) -> Option<SharedArrayBuffer> {
    let constructor = Reflect::get(&js_sys::global(), &"SharedArrayBuffer".into()).ok()?;
    let args = js_sys::Array::of1(&(len as u32).into());
    Reflect::construct(constructor.dyn_ref::<js_sys::Function>()?, &args)
        .ok()
        .map(JsCast::unchecked_into)
}

/// The helper's side: if `data` is a job, does it (streams the entry into the job's ring until
/// its end, an error, or the reader stops) and returns true.
pub fn run_job(data: &JsValue) -> bool {
    if data.is_array() || !data.is_object() {
        return false;
    }
    let Some(buffer) = Reflect::get(data, &JOB.into())
        .ok()
        .and_then(|b| b.dyn_into::<SharedArrayBuffer>().ok())
    else {
        return false;
    };
    let number = |key: &str| {
        Reflect::get(data, &key.into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
    };
    let span = Span {
        name: Reflect::get(data, &"name".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        start: number("start") as u64,
        compressed: number("compressed") as u64,
        size: number("size") as u64,
        crc32: number("crc32") as u32,
        deflated: Reflect::get(data, &"deflated".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
    };
    let limits = Limits {
        max_ratio: number("max_ratio") as u64,
        ratio_floor: number("ratio_floor") as u64,
        max_entry_size: number("max_entry_size") as u64,
        ..Limits::DEFAULT
    };
    let producer = Producer::new(SharedRing::over(buffer));
    let blob = Reflect::get(data, &"blob".into())
        .ok()
        .and_then(|b| b.dyn_into::<Blob>().ok());
    let source = blob
        .ok_or_else(|| "no file was given".to_string())
        .and_then(|blob| BlobReader::new(blob).map_err(|e| e.to_string()));
    match source.and_then(|source| read_span(source, &span, &limits).map_err(|e| e.to_string())) {
        Ok(entry) => pump(entry, producer),
        Err(message) => producer.fail(&message),
    }
    // How many entries this helper streamed, on its global scope: the end-to-end tests read it
    // (tests/e2e/open.test.mjs), and so can anyone wondering whether the second core helps.
    let done = JOBS.with(|jobs| {
        jobs.set(jobs.get() + 1);
        jobs.get()
    });
    let _ = Reflect::set(
        &js_sys::global(),
        &"permafrostInflated".into(),
        &done.into(),
    );
    true
}

/// Streams `entry` into the ring a slot at a time.
fn pump(mut entry: Box<dyn Read + '_>, mut producer: Producer<SharedRing>) {
    let mut buf = vec![0; ring::SLOT_BYTES];
    loop {
        let mut filled = 0;
        let mut failure = None;
        while filled < buf.len() {
            match entry.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    failure = Some(e.to_string());
                    break;
                }
            }
        }
        if filled > 0 && !producer.put(&buf[..filled]) {
            return;
        }
        if let Some(message) = failure {
            return producer.fail(&message);
        }
        if filled < buf.len() {
            return producer.end();
        }
    }
}

/// The ring over a `SharedArrayBuffer`.
pub struct SharedRing {
    cells: Int32Array,
    bytes: Uint8Array,
}

impl SharedRing {
    fn over(buffer: SharedArrayBuffer) -> SharedRing {
        SharedRing {
            cells: Int32Array::new_with_byte_offset_and_length(&buffer, 0, ring::CELLS as u32),
            bytes: Uint8Array::new_with_byte_offset(&buffer, ring::HEADER_BYTES as u32),
        }
    }

    fn slot(&self, slot: usize, at: usize, len: usize) -> Uint8Array {
        let start = (slot * ring::SLOT_BYTES + at) as u32;
        self.bytes.subarray(start, start + len as u32)
    }
}

impl Shared for SharedRing {
    fn load(&self, cell: usize) -> i32 {
        Atomics::load(&self.cells, cell as u32).unwrap_or(0)
    }
    fn store(&self, cell: usize, value: i32) {
        let _ = Atomics::store(&self.cells, cell as u32, value);
    }
    fn wait(&self, cell: usize, value: i32) -> bool {
        // Workers may block (the page's thread may not, but it never holds a ring).
        Atomics::wait_with_timeout(&self.cells, cell as u32, value, ring::WAIT_MS)
            .is_ok_and(|how| how == "timed-out")
    }
    fn notify(&self, cell: usize) {
        let _ = Atomics::notify(&self.cells, cell as u32);
    }
    fn slot_bytes(&self) -> usize {
        ring::SLOT_BYTES
    }
    fn write(&self, slot: usize, bytes: &[u8]) {
        self.slot(slot, 0, bytes.len()).copy_from(bytes);
    }
    fn read(&self, slot: usize, at: usize, out: &mut [u8]) {
        self.slot(slot, at, out.len()).copy_to(out);
    }
}
