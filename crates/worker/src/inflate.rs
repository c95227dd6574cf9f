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
//! While it inflates, the helper also tokenizes the posts' searchable text for the index (see
//! [`permafrost_index::Tokenized`]): this worker sends each post's text as it is read on a second
//! ring, the helper tokenizes it between slots of outbox.json (whenever the first ring is full:
//! [`Producer::put_meanwhile`]), and sends back what it made on a third ring once the posts have
//! all come. The index is the same, and this worker spends a third less time building it.
//!
//! A tar.gz has no outbox.json to inflate on its own: listing it inflates the whole gzip stream
//! (most of the work of opening one), and outbox.json lies inside, after the media. So the
//! helper inflates that stream ([`permafrost_engine::GzipInflater`], as the listing here would)
//! and this worker lists the tar bytes as they come ([`permafrost_engine::GzipElsewhere`]); the
//! access points the helper recorded follow on a fourth ring, and how far into the file it is
//! goes in a shared cell for the opening bar. Opening the benchmark's tar.gz of 100,000 posts
//! went from 1,532 to 1,271 ms, of 10,000 posts from 237 to 223 (deflated at the default level,
//! as Mastodon does; medians of alternated opens). Should the stream fail, the listing inflates the rest here (see permafrost-archive's `inflated.rs`).
//!
//! When outbox.json is read here (loose files, several archives), the helper is sent the texts
//! alone: a 10,000-post tar.gz (then read here) waited 20 ms at the index for the helper's tokens
//! where tokenizing them here took 36, and loose files of 1,586 posts opened in 82 ms instead of
//! 95 (medians of 6 alternated opens). After the open of a large archive the helper is stopped
//! and a new one started, which gives back the memory its tokenizing grew to
//! ([`RESTART_AFTER`]).
//!
//! The helper gives what [`permafrost_engine::read_span`] gives for the entry, its errors
//! included (as their text), so what the user is told about a damaged archive is the same either
//! way. A helper that dies mid-way makes the read fail after a while instead of hanging
//! ([`ring::GIVE_UP_WAITS`]).

use crate::blob_reader::BlobReader;
use js_sys::{Atomics, Int32Array, Reflect, SharedArrayBuffer, Uint8Array};
use permafrost_engine::{read_span, GzipElsewhere, GzipInflater, Limits, Span};
use permafrost_index::{Tokenized, Tokenizer};
use permafrost_protocol::ring::{self, Consumer, Producer, Shared};
use permafrost_session::Elsewhere;
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

/// The key of a job of inflating a tar.gz's gzip stream (see [`Helped`]'s `gzip`).
const GZIP: &str = "gzip";

/// What helpers were given and gave back, so far (see [`count`]).
#[derive(Clone, Copy)]
struct HelperCounts {
    /// Jobs of a ZIP's outbox.json.
    inflated: u32,
    /// Jobs of a tar.gz's gzip stream.
    gzip: u32,
    /// Tokenized texts received (of either job, or of the texts alone).
    tokenized: u32,
}

impl HelperCounts {
    /// The jobs of reading the archive sent so far.
    fn jobs(self) -> u32 {
        self.inflated + self.gzip
    }
}

thread_local! {
    /// The helper, once started, and whether it said it is ready.
    static HELPER: RefCell<Option<Worker>> = const { RefCell::new(None) };
    static READY: Cell<bool> = const { Cell::new(false) };
    /// What helpers were given and gave back.
    static HELPED: Cell<HelperCounts> = const {
        Cell::new(HelperCounts {
            inflated: 0,
            gzip: 0,
            tokenized: 0,
        })
    };
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
    READY.with(|r| r.set(false));
    let on_ready = OnMessage::new(|_| READY.with(|r| r.set(true)));
    helper.set_onmessage(Some(on_ready.as_ref().unchecked_ref()));
    ON_READY.with(|slot| *slot.borrow_mut() = Some(on_ready));
    HELPER.with(|slot| *slot.borrow_mut() = Some(helper));
}

/// Stops the helper, if one runs.
fn stop_helper() {
    if let Some(old) = HELPER.with(|h| h.borrow_mut().take()) {
        old.terminate();
    }
    READY.with(|r| r.set(false));
}

/// Stops the helper and starts a new one: what the old one holds (the memory it grew to) is
/// given back.
fn restart_helper() {
    stop_helper();
    start_helper(&js_sys::global().unchecked_into());
}

/// Stops the helper at once (it may still be at a job that was given up) and starts a new one
/// a moment later ([`in_a_moment`]), if none was started by then.
///
/// Not at once: an open that failed is answered with its error, and the page then terminates
/// this worker and starts another, with a helper of its own (src/app.rs). A helper started
/// before the answer would be thrown away unused, its start racing its parent's end.
fn replace_helper_later() {
    stop_helper();
    in_a_moment(|| {
        if HELPER.with(|h| h.borrow().is_none()) {
            start_helper(&js_sys::global().unchecked_into());
        }
    });
}

/// How long after an open's answer the helper is restarted ([`restart_helper_soon`]): long
/// enough for the page's first requests after the open (the first results, then the facets) to
/// be answered before it.
const RESTART_DELAY_MS: i32 = 250;

/// Runs `task` from a later task, [`RESTART_DELAY_MS`] from now (at once if no timer can be set).
fn in_a_moment(task: impl FnOnce() + 'static) {
    let task: js_sys::Function = Closure::once_into_js(task).unchecked_into();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    if scope
        .set_timeout_with_callback_and_timeout_and_arguments_0(&task, RESTART_DELAY_MS)
        .is_err()
    {
        let _ = task.call0(&JsValue::UNDEFINED);
    }
}

/// [`restart_helper`] a moment after this task ([`in_a_moment`]), unless another job was
/// sent to the helper by then (its open restarts it as needed). Stopping the old helper and
/// starting a new one takes this worker 8–17 ms (profiled at 100,000 posts): done at once, the
/// page's first request after the open waited for it (at 10,000 posts, the open's time to a
/// searchable page went from 279 to 299 ms, medians of 6 alternated opens).
fn restart_helper_soon() {
    let jobs = HELPED.with(|h| h.get().jobs());
    in_a_moment(move || {
        if HELPED.with(|h| h.get().jobs()) == jobs {
            restart_helper();
        }
    });
}

/// This worker's side of an open: what the helper does for it ([`Elsewhere`]), given the files
/// of the open by name.
pub struct Helped<'a> {
    files: &'a [(String, Blob)],
    /// A job sent before the archive was listed ([`Elsewhere::prepare_outbox`]), until
    /// [`Elsewhere::outbox`] asks for it.
    early: Option<Early>,
    job: Option<Job>,
    /// The size of the outbox.json sent to the helper, if one was: past [`RESTART_AFTER`], the
    /// helper is restarted after the open.
    sent: Option<u64>,
    /// Whether the helper was asked to tokenize the posts' texts alone, outbox.json being read
    /// here (see [`Elsewhere::texts`]): `None` until it was tried, then whether it was sent.
    texts_alone: Option<bool>,
    /// Whether the helper inflates a tar.gz's gzip stream ([`Elsewhere::gzip`]).
    gzip: bool,
    /// Bytes of the posts' texts the helper took.
    texts_sent: u64,
    /// The helper sent back what it made: its job is over.
    finished: bool,
}

/// A job sent before the archive was listed: what it reads (the file, the span, the limits),
/// the reader of what it reads, and the rest of the job.
struct Early {
    file: String,
    span: Span,
    limits: Limits,
    outbox: Box<dyn Read>,
    job: Job,
}

/// The size of outbox.json past which the helper is restarted after the open, to give back the
/// memory its tokenizing grew to and the rings it was sent: tens of megabytes at 100,000 posts,
/// and at 10,000 posts (20 MB of outbox.json) 15 MB of the tab's 118–123 (103–105 MB with the
/// restart; Chromium's memory-infra, 5 opens each). A small archive's helper (the sample the page
/// rehearses an open with, 0.6 MB) is kept: it is ready at once for the next archive, which a
/// new one is not for a moment (until then outbox.json is read in this worker).
const RESTART_AFTER: u64 = 4 << 20;

/// What the posts' texts weigh against their outbox.json, for [`RESTART_AFTER`] when the helper
/// tokenized the texts alone: about a quarter (the texts of 2,048 posts are about a megabyte,
/// their outbox.json about 4).
const TEXTS_PER_OUTBOX: u64 = 4;

/// The rings of a job sent to the helper: the posts' texts out, what it made of them back.
struct Job {
    /// `None` once ended ([`Elsewhere::texts_end`]).
    texts: Option<Producer<SharedRing>>,
    tokenized: Consumer<SharedRing>,
}

impl<'a> Helped<'a> {
    /// The helper's work for the open of `files`.
    pub fn new(files: &'a [(String, Blob)]) -> Helped<'a> {
        Helped {
            files,
            early: None,
            job: None,
            sent: None,
            texts_alone: None,
            gzip: false,
            texts_sent: 0,
            finished: false,
        }
    }
}

impl Helped<'_> {
    /// Sends the helper the job of reading `span` of `file`: the reader of what it reads, and
    /// the rest of the job.
    fn send(&mut self, file: &str, span: &Span, limits: &Limits) -> Option<(Box<dyn Read>, Job)> {
        let (_, blob) = self.files.iter().find(|(name, _)| name == file)?;
        let sent = send_job(blob, span, limits)?;
        count(Counted::Inflating);
        self.sent = Some(span.size);
        Some(sent)
    }
}

impl Elsewhere for Helped<'_> {
    fn prepare_outbox(&mut self, file: &str, span: &Span, limits: &Limits) {
        if self.early.is_none() && self.sent.is_none() {
            if let Some((outbox, job)) = self.send(file, span, limits) {
                self.early = Some(Early {
                    file: file.to_string(),
                    span: span.clone(),
                    limits: *limits,
                    outbox,
                    job,
                });
            }
        }
    }

    fn outbox(&mut self, file: &str, span: &Span, limits: &Limits) -> Option<Box<dyn Read>> {
        if let Some(early) = self.early.take() {
            if early.file == file && early.span == *span && early.limits == *limits {
                // The same bytes, checked the same way: what the helper has read so far is
                // what it would read now.
                self.job = Some(early.job);
                return Some(early.outbox);
            }
            // The directory put outbox.json elsewhere than its first local header said. The
            // helper is busy with that (it stops when it sees no one reads it, and is
            // replaced after the open): outbox.json is read here.
            return None;
        }
        let (outbox, job) = self.send(file, span, limits)?;
        self.job = Some(job);
        Some(outbox)
    }

    fn gzip(&mut self, file: &str, limits: &Limits) -> Option<Box<dyn GzipElsewhere>> {
        // The helper does one job at a time.
        if self.job.is_some() || self.early.is_some() || self.sent.is_some() || self.gzip {
            return None;
        }
        let (_, blob) = self.files.iter().find(|(name, _)| name == file)?;
        let (stream, job) = send_gzip_job(blob, limits)?;
        count(Counted::Gzip);
        self.gzip = true;
        self.job = Some(job);
        Some(stream)
    }

    fn texts(&mut self, bytes: &[u8]) -> bool {
        if self.job.is_none() && self.sent.is_none() && !self.gzip && self.texts_alone.is_none() {
            // outbox.json is read here (loose files, several archives, or the helper was not
            // ready when it was asked for): the helper still tokenizes the texts, as
            // they are read. Never beside a job of outbox.json, which may still be running
            // (the helper does one job at a time, and the index would wait for this one).
            self.job = send_texts_job();
            self.texts_alone = Some(self.job.is_some());
        }
        let Some(texts) = self.job.as_mut().and_then(|job| job.texts.as_mut()) else {
            return false;
        };
        // A slot at a time (the helper takes them as they come); false once it stopped.
        let sent = bytes.chunks(TEXT_SLOT_BYTES).all(|piece| texts.put(piece));
        if sent {
            self.texts_sent += bytes.len() as u64;
        } else {
            self.job = None;
        }
        sent
    }

    fn texts_end(&mut self) {
        if let Some(texts) = self.job.as_mut().and_then(|job| job.texts.take()) {
            texts.end();
        }
    }

    fn tokenized(&mut self) -> Option<Tokenized> {
        self.texts_end();
        let Job { mut tokenized, .. } = self.job.take()?;
        // Its length first, then the bytes of `Tokenized::to_bytes`.
        let mut len = [0; 8];
        tokenized.read_exact(&mut len).ok()?;
        // It answered: it ends its job once this is read (or once this worker stops reading).
        self.finished = true;
        let len = usize::try_from(u64::from_le_bytes(len)).ok()?;
        let mut bytes = Vec::new();
        bytes.try_reserve_exact(len).ok()?;
        // Zeroed once and read straight into (through `read_to_end`, each slot's read zeroed
        // what was left of the buffer again: a tenth of this worker's wait for it, profiled).
        bytes.resize(len, 0);
        tokenized.read_exact(&mut bytes).ok()?;
        let tokenized = Tokenized::from_bytes(&bytes)?;
        count(Counted::Tokenized);
        Some(tokenized)
    }
}

impl Drop for Helped<'_> {
    fn drop(&mut self) {
        self.early = None;
        self.job = None;
        // What the helper was given: outbox.json, or the texts alone or beside a gzip stream
        // (counted as the outbox.json they came from: its memory grows with what it tokenizes).
        let given = self.sent.or_else(|| {
            (self.texts_alone == Some(true) || self.gzip)
                .then_some(self.texts_sent * TEXTS_PER_OUTBOX)
        });
        match given {
            // Whatever state a large job was left in (done, or given up), the next open gets a
            // fresh helper, and this one's memory is given back: once the open's answer is
            // posted when the job is done; when it was given up (the helper may still be at
            // it), the helper is stopped at once and the new one started after the answer.
            Some(size) if size >= RESTART_AFTER && self.finished => restart_helper_soon(),
            Some(size) if size >= RESTART_AFTER => replace_helper_later(),
            // A small job given up mid-way (a failed open, most often) ends in the helper as
            // soon as it sees that: this worker's ends of the rings are dropped (the texts'
            // producer tells it, `ring::GIVEN_UP`), and it is ready for the next.
            _ => {}
        }
    }
}

/// Sends the helper a job: the entry at `span` of `blob`, to inflate, and the posts' texts to
/// come, to tokenize. `None` when there is no helper ready (then it is all done here).
fn send_job(blob: &Blob, span: &Span, limits: &Limits) -> Option<(Box<dyn Read>, Job)> {
    let helper = ready_helper()?;
    let buffer = SharedRing::buffer(OUTBOX_SLOT_BYTES)?;
    let (job, rings) = texts_job()?;
    let fields: [(&str, JsValue); 8] = [
        (JOB, buffer.clone().into()),
        ("blob", blob.clone().into()),
        ("name", span.name.as_str().into()),
        ("start", (span.start as f64).into()),
        ("compressed", (span.compressed as f64).into()),
        ("size", (span.size as f64).into()),
        ("crc32", span.crc32.into()),
        ("deflated", span.deflated.into()),
    ];
    for (key, value) in fields {
        Reflect::set(&job, &key.into(), &value).ok()?;
    }
    set_limits(&job, limits)?;
    helper.post_message(&job).ok()?;
    Some((Box::new(Consumer::new(SharedRing::over(buffer))), rings))
}

/// Sends the helper the job of tokenizing the posts' texts alone (outbox.json is read in this
/// worker). `None` when there is no helper ready.
fn send_texts_job() -> Option<Job> {
    let helper = ready_helper()?;
    let (job, rings) = texts_job()?;
    helper.post_message(&job).ok()?;
    Some(rings)
}

/// Sends the helper the job of inflating the gzip stream of `blob` (a tar.gz) as listing
/// does with `limits`, and of tokenizing the posts' texts to come. `None` when there is no
/// helper ready.
fn send_gzip_job(blob: &Blob, limits: &Limits) -> Option<(Box<dyn GzipElsewhere>, Job)> {
    let helper = ready_helper()?;
    let inflated = SharedRing::buffer(OUTBOX_SLOT_BYTES)?;
    let points = SharedRing::buffer(POINTS_SLOT_BYTES)?;
    let progress = shared_buffer(4)?;
    let (job, rings) = texts_job()?;
    let fields: [(&str, JsValue); 4] = [
        (GZIP, inflated.clone().into()),
        ("points", points.clone().into()),
        ("progress", progress.clone().into()),
        ("blob", blob.clone().into()),
    ];
    for (key, value) in fields {
        Reflect::set(&job, &key.into(), &value).ok()?;
    }
    set_limits(&job, limits)?;
    helper.post_message(&job).ok()?;
    let stream = HelperGzip {
        inflated: Consumer::new(SharedRing::over(inflated)),
        points: Consumer::new(SharedRing::over(points)),
        progress: Int32Array::new(&progress),
    };
    Some((Box::new(stream), rings))
}

/// Puts `limits` in a job's message, for [`limits_of`].
fn set_limits(job: &js_sys::Object, limits: &Limits) -> Option<()> {
    let fields = [
        ("max_ratio", limits.max_ratio as f64),
        ("max_entry_size", limits.max_entry_size as f64),
        ("ratio_floor", limits.ratio_floor as f64),
        ("access_point_spacing", limits.access_point_spacing as f64),
        ("max_access_points", limits.max_access_points as f64),
    ];
    for (key, value) in fields {
        Reflect::set(job, &key.into(), &value.into()).ok()?;
    }
    Some(())
}

/// The limits [`set_limits`] put in job `data`.
fn limits_of(data: &JsValue) -> Limits {
    let number = |key: &str| {
        Reflect::get(data, &key.into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
    };
    Limits {
        max_ratio: number("max_ratio") as u64,
        ratio_floor: number("ratio_floor") as u64,
        max_entry_size: number("max_entry_size") as u64,
        access_point_spacing: number("access_point_spacing") as u64,
        max_access_points: number("max_access_points") as usize,
    }
}

/// This worker's end of a gzip stream the helper inflates: the tar bytes, then the access
/// points, and how far into the file it has got (in KiB, for the listing's progress).
struct HelperGzip {
    inflated: Consumer<SharedRing>,
    points: Consumer<SharedRing>,
    progress: Int32Array,
}

impl GzipElsewhere for HelperGzip {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inflated.read(buf)
    }

    fn compressed(&self) -> u64 {
        let kib = Atomics::load(&self.progress, 0).unwrap_or(0);
        u64::try_from(kib).unwrap_or(0) << 10
    }

    fn access_points(&mut self) -> Option<Vec<u8>> {
        let mut bytes = Vec::new();
        self.points.read_to_end(&mut bytes).ok()?;
        Some(bytes)
    }
}

/// The helper, when it is ready for a job.
fn ready_helper() -> Option<Worker> {
    if !READY.with(Cell::get) {
        return None;
    }
    HELPER.with(|h| h.borrow().clone())
}

/// A job's message with the rings of the posts' texts (out) and what they made (back), and
/// this worker's ends of them.
fn texts_job() -> Option<(js_sys::Object, Job)> {
    let texts = SharedRing::buffer(TEXT_SLOT_BYTES)?;
    let tokenized = SharedRing::buffer(TOKENIZED_SLOT_BYTES)?;
    let job = js_sys::Object::new();
    Reflect::set(&job, &"texts".into(), &texts.clone().into()).ok()?;
    Reflect::set(&job, &"tokenized".into(), &tokenized.clone().into()).ok()?;
    let rings = Job {
        texts: Some(Producer::new(SharedRing::over(texts))),
        tokenized: Consumer::new(SharedRing::over(tokenized)),
    };
    Some((job, rings))
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

/// The helper's side: if `data` is a job, does it and returns true. A job of outbox.json
/// streams the entry into the job's ring until its end, an error, or the reader stops,
/// tokenizing the posts' texts meanwhile; a job of the texts alone tokenizes them. Either then
/// sends back what the texts made.
pub fn run_job(data: &JsValue) -> bool {
    if data.is_array() || !data.is_object() {
        return false;
    }
    let ring = |key: &str| {
        Reflect::get(data, &key.into())
            .ok()
            .and_then(|b| b.dyn_into::<SharedArrayBuffer>().ok())
            .map(SharedRing::over)
    };
    let mut texts = ring("texts").map(|ring| Texts {
        buf: vec![0; ring.slot_bytes()],
        from: Consumer::new(ring),
        tokenizer: Tokenizer::new(),
        over: None,
    });
    match (ring(JOB), ring(GZIP)) {
        (Some(outbox), _) => inflate(data, outbox, texts.as_mut()),
        (None, Some(inflated)) => inflate_gzip(data, inflated, ring("points"), texts.as_mut()),
        (None, None) if texts.is_some() => {}
        (None, None) => return false,
    }
    // The archive's part is all sent (or failed), or there was none: the rest of the posts'
    // texts, then what they made.
    if let (Some(texts), Some(back)) = (texts, ring("tokenized")) {
        let back = Producer::new(back);
        match texts.finish() {
            Ok(tokenized) => {
                let bytes = tokenized.to_bytes();
                let len = (bytes.len() as u64).to_le_bytes();
                send_whole(back, &[&len, &bytes], None);
            }
            Err(message) => back.fail(&message),
        }
    }
    true
}

/// Streams the entry that job `data` names into the ring `outbox`, tokenizing `texts`
/// meanwhile.
fn inflate(data: &JsValue, outbox: SharedRing, texts: Option<&mut Texts>) {
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
    let limits = limits_of(data);
    let producer = Producer::new(outbox);
    let source = job_reader(data);
    // A statement (the `;` below), not the tail: the entry borrows `span`, and goes first.
    match source.and_then(|source| read_span(source, &span, &limits).map_err(|e| e.to_string())) {
        Ok(entry) => {
            pump(entry, producer, texts);
        }
        Err(message) => producer.fail(&message),
    };
}

/// Inflates the gzip stream of the tar.gz that job `data` names into the ring `inflated`, as
/// listing does ([`GzipInflater`]), tokenizing `texts` meanwhile; then, once it has ended
/// cleanly, sends the access points it recorded on the ring `points`. How far into the file it
/// has got is kept in the job's `progress` cell (in KiB) as it goes.
fn inflate_gzip(
    data: &JsValue,
    inflated: SharedRing,
    points: Option<SharedRing>,
    mut texts: Option<&mut Texts>,
) {
    let producer = Producer::new(inflated);
    let progress = Reflect::get(data, &"progress".into())
        .ok()
        .and_then(|b| b.dyn_into::<SharedArrayBuffer>().ok())
        .map(|buffer| Int32Array::new(&buffer));
    let mut reader = match job_reader(data) {
        Ok(reader) => reader,
        Err(message) => return producer.fail(&message),
    };
    // Over `&mut BlobReader`, as listing's inflater is: the same code serves both.
    let mut inflater = match GzipInflater::new(&mut reader, limits_of(data)) {
        Ok(inflater) => inflater,
        Err(err) => return producer.fail(&err.to_string()),
    };
    let watched = Progressing {
        inflater: &mut inflater,
        progress,
    };
    if !pump(Box::new(watched), producer, texts.as_deref_mut()) {
        return;
    }
    let Some(points) = points else {
        return;
    };
    let producer = Producer::new(points);
    match inflater.access_points() {
        Ok(bytes) => {
            send_whole(producer, &[&bytes], texts);
        }
        // (It has ended cleanly: nothing is left to fail.) The worker makes them itself.
        Err(err) => producer.fail(&err.to_string()),
    }
}

/// The file job `data` names, read from its start in the helper's large slices.
fn job_reader(data: &JsValue) -> Result<BlobReader, String> {
    Reflect::get(data, &"blob".into())
        .ok()
        .and_then(|b| b.dyn_into::<Blob>().ok())
        .ok_or_else(|| "no file was given".to_string())
        .and_then(|blob| BlobReader::sequential(blob, HELPER_CHUNK).map_err(|e| e.to_string()))
}

/// A [`GzipInflater`]'s output, noting how far into the file it has got after each read.
struct Progressing<'i, 'r> {
    inflater: &'i mut GzipInflater<&'r mut BlobReader>,
    progress: Option<Int32Array>,
}

impl Read for Progressing<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inflater.read(buf)?;
        if let Some(progress) = &self.progress {
            let kib = i32::try_from(self.inflater.compressed() >> 10).unwrap_or(i32::MAX);
            let _ = Atomics::store(progress, 0, kib);
        }
        Ok(n)
    }
}

/// What [`count`] counts.
enum Counted {
    /// A job of outbox.json sent to the helper.
    Inflating,
    /// A job of a tar.gz's gzip stream sent to it.
    Gzip,
    /// The tokenized texts received from it (of a job of outbox.json or of the texts alone).
    Tokenized,
}

/// Counts what the helper was given and gave back on this worker's global scope, as
/// `permafrostInflated`, `permafrostGzip` and `permafrostTokenized`: the end-to-end tests read them
/// (tests/e2e/open.test.mjs), and so can anyone wondering whether the second core helps.
fn count(what: Counted) {
    let helped = HELPED.with(|h| {
        let mut helped = h.get();
        match what {
            Counted::Inflating => helped.inflated += 1,
            Counted::Gzip => helped.gzip += 1,
            Counted::Tokenized => helped.tokenized += 1,
        }
        h.set(helped);
        helped
    });
    let global = js_sys::global();
    let counts = [
        ("permafrostInflated", helped.inflated),
        ("permafrostGzip", helped.gzip),
        ("permafrostTokenized", helped.tokenized),
    ];
    for (name, value) in counts {
        let _ = Reflect::set(&global, &name.into(), &value.into());
    }
}

/// The helper's side of the posts' texts: read from their ring, tokenized as they come.
struct Texts {
    from: Consumer<SharedRing>,
    tokenizer: Tokenizer,
    buf: Vec<u8>,
    /// How their stream ended, once it did.
    over: Option<Result<(), String>>,
}

impl Texts {
    /// Tokenizes some of the texts that have come, if any, without waiting: true when there
    /// were some. A little at a time ([`TEXT_BITE`]): outbox.json's ring is looked at between
    /// bites, so that the worker reading it never runs dry while texts are tokenized.
    fn take_some(&mut self) -> bool {
        if self.over.is_some() {
            return false;
        }
        let bite = self.buf.len().min(TEXT_BITE);
        match self.from.try_read(&mut self.buf[..bite]) {
            None => false,
            Some(Ok(0)) => {
                self.over = Some(Ok(()));
                false
            }
            Some(Ok(n)) => {
                self.tokenizer.feed(&self.buf[..n]);
                true
            }
            Some(Err(e)) => {
                self.over = Some(Err(e.to_string()));
                false
            }
        }
    }

    /// Tokenizes the rest, waiting for it, and gives what the texts made.
    fn finish(mut self) -> Result<Tokenized, String> {
        while self.over.is_none() {
            match self.from.read(&mut self.buf) {
                Ok(0) => self.over = Some(Ok(())),
                Ok(n) => self.tokenizer.feed(&self.buf[..n]),
                Err(e) => self.over = Some(Err(e.to_string())),
            }
        }
        self.over.take().unwrap_or(Ok(()))?;
        self.tokenizer
            .finish()
            .ok_or_else(|| "the posts' texts were cut short".to_string())
    }
}

/// Streams `entry` into the ring a slot at a time, tokenizing `texts` whenever the ring is full.
/// True when it was all sent, and the stream ended.
fn pump(
    mut entry: Box<dyn Read + '_>,
    mut producer: Producer<SharedRing>,
    mut texts: Option<&mut Texts>,
) -> bool {
    let mut buf = vec![0; producer.slot_bytes()];
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
        if filled > 0 && !put(&mut producer, &buf[..filled], texts.as_deref_mut()) {
            return false;
        }
        if let Some(message) = failure {
            producer.fail(&message);
            return false;
        }
        if filled < buf.len() {
            end(producer, texts);
            return true;
        }
    }
}

/// Puts `bytes` (at most a slot) in the ring, tokenizing `texts` whenever it is full: false
/// when the reader stopped.
fn put(producer: &mut Producer<SharedRing>, bytes: &[u8], texts: Option<&mut Texts>) -> bool {
    match texts {
        Some(texts) => producer.put_meanwhile(bytes, &mut || texts.take_some()),
        None => producer.put(bytes),
    }
}

/// Ends the stream, tokenizing `texts` while the ring is full: the reader may be waiting for
/// them to be taken before it reads on.
fn end(producer: Producer<SharedRing>, texts: Option<&mut Texts>) {
    match texts {
        Some(texts) => producer.end_meanwhile(&mut || texts.take_some()),
        None => producer.end(),
    }
}

/// Sends `pieces` a slot at a time, then ends the stream (see [`put`] and [`end`]): false when
/// the reader stopped first.
fn send_whole(
    mut producer: Producer<SharedRing>,
    pieces: &[&[u8]],
    mut texts: Option<&mut Texts>,
) -> bool {
    let slot = producer.slot_bytes();
    let sent = pieces
        .iter()
        .flat_map(|piece| piece.chunks(slot))
        .all(|chunk| put(&mut producer, chunk, texts.as_deref_mut()));
    if sent {
        end(producer, texts);
    }
    sent
}

/// The ring over a `SharedArrayBuffer`.
pub struct SharedRing {
    cells: Int32Array,
    bytes: Uint8Array,
    slot_bytes: usize,
}

/// The bytes per slot of outbox.json's ring: 4 MB in all, which the worker parses in about
/// 15 ms. The helper's reads of the archive block it for a few milliseconds each (a slice of
/// [`HELPER_CHUNK`]), and so do its bites of tokenizing; with a ring of 1 MB (4 ms of parsing)
/// the worker ran dry during them, 60–100 ms in all at 100,000 posts (profiled).
const OUTBOX_SLOT_BYTES: usize = 256 << 10;

/// The helper's slices of the archive: 4 MB, about 7 ms to read (blob_reader.rs measured 8 MB
/// slices to be as fast in all, but each blocks the helper twice as long).
const HELPER_CHUNK: usize = 4 << 20;

/// The bytes per slot of the ring of the posts' texts. A batch of texts (those of 2,048 posts,
/// sent as the outbox's parser reports progress: about a megabyte) fits in the ring's 4 MB, so
/// this worker does not wait for the helper to tokenize part of one before it goes on reading.
const TEXT_SLOT_BYTES: usize = 256 << 10;

/// The bytes per slot of the ring that brings back what the helper made of the texts: 16 MB
/// in all, most of it at 100,000 posts (about 30 MB then), so that the helper has sent most of
/// it by the time this worker asks, and this worker copies it out in few handshakes.
const TOKENIZED_SLOT_BYTES: usize = 1 << 20;

/// The bytes per slot of the ring that brings back a tar.gz's access points: 32 KiB and a few
/// numbers each, at most 256 of them by default (see [`Limits::max_access_points`]).
const POINTS_SLOT_BYTES: usize = 64 << 10;

/// The most texts the helper tokenizes between two looks at outbox.json's ring: a fraction of
/// a millisecond of work, while the ring holds a few milliseconds of the worker's reading.
const TEXT_BITE: usize = 16 << 10;

impl SharedRing {
    /// A buffer for a new ring of [`ring::SLOTS`] slots of `slot_bytes`.
    fn buffer(slot_bytes: usize) -> Option<SharedArrayBuffer> {
        shared_buffer(ring::HEADER_BYTES + ring::SLOTS * slot_bytes)
    }

    /// The ring in `buffer` (made by [`SharedRing::buffer`]).
    fn over(buffer: SharedArrayBuffer) -> SharedRing {
        let slot_bytes =
            (buffer.byte_length() as usize).saturating_sub(ring::HEADER_BYTES) / ring::SLOTS;
        SharedRing {
            cells: Int32Array::new_with_byte_offset_and_length(&buffer, 0, ring::CELLS as u32),
            bytes: Uint8Array::new_with_byte_offset(&buffer, ring::HEADER_BYTES as u32),
            slot_bytes,
        }
    }

    fn slot(&self, slot: usize, at: usize, len: usize) -> Uint8Array {
        let start = (slot * self.slot_bytes + at) as u32;
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
    fn nap(&self, cell: usize, value: i32) -> bool {
        Atomics::wait_with_timeout(&self.cells, cell as u32, value, ring::NAP_MS)
            .is_ok_and(|how| how == "timed-out")
    }
    fn notify(&self, cell: usize) {
        let _ = Atomics::notify(&self.cells, cell as u32);
    }
    fn slot_bytes(&self) -> usize {
        self.slot_bytes
    }
    fn write(&self, slot: usize, bytes: &[u8]) {
        self.slot(slot, 0, bytes.len()).copy_from(bytes);
    }
    fn read(&self, slot: usize, at: usize, out: &mut [u8]) {
        self.slot(slot, at, out.len()).copy_to(out);
    }
}
