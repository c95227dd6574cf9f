//! Deflating the entries of an export ZIP, on helper threads where the platform has them.
//!
//! DEFLATE is what bounds a ZIP export (rendering Markdown or copying outbox items is several
//! times faster), and it parallelises well: a streamed entry (outbox.json, index.html) is cut
//! into chunks of [`CHUNK`] bytes, each deflated alone (a fresh deflater, no history from the
//! chunk before) and ended with a sync flush, except the entry's last chunk, which ends the
//! stream. Their concatenation is one valid DEFLATE stream (as pigz writes them), a few bytes
//! larger per chunk. Whole entries (a Markdown document) are deflated alone as before, many to a
//! job.
//!
//! Jobs run on helper threads when the machine has more than one core (one per core, at most
//! [`MAX_HELPERS`]); otherwise, and always in WebAssembly (the worker has no threads), in the
//! calling thread. The output is the same bytes either way: only the chunking decides them.

use super::small_deflate::{SmallDeflater, MAX_INPUT};
use flate2::{Compress, Compression, FlushCompress, Status};
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A streamed entry is deflated in chunks of this many bytes.
pub(crate) const CHUNK: usize = 1 << 20;

/// At most this many helper threads, however many cores there are.
const MAX_HELPERS: usize = 4;

/// One piece of a job.
pub(crate) enum Work {
    /// A piece of a streamed entry; `last` ends the entry's DEFLATE stream.
    Chunk { data: Vec<u8>, last: bool },
    /// A whole entry: deflated, unless that does not make it smaller.
    Whole(Vec<u8>),
    /// A whole entry stored as it is: it passes through, in its place in the order.
    Keep(Vec<u8>),
}

/// A piece done: deflated bytes, or the input given back when it is stored.
pub(crate) enum Done {
    Deflated(Vec<u8>),
    Stored(Vec<u8>),
}

type Reply = io::Result<Vec<Done>>;

/// A job handed in: its pieces, done now or later.
pub(crate) enum Ticket {
    Ready(Reply),
    #[cfg(not(target_arch = "wasm32"))]
    Waiting(std::sync::mpsc::Receiver<Reply>),
}

impl Ticket {
    /// True when the job is done (waiting for nothing).
    pub(crate) fn is_ready(&mut self) -> bool {
        match self {
            Ticket::Ready(_) => true,
            #[cfg(not(target_arch = "wasm32"))]
            Ticket::Waiting(rx) => match rx.try_recv() {
                Ok(reply) => {
                    *self = Ticket::Ready(reply);
                    true
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => false,
                // The helper is gone: `wait` says so at once.
                Err(std::sync::mpsc::TryRecvError::Disconnected) => true,
            },
        }
    }

    /// The job's pieces, in the order they were given, once it is done.
    pub(crate) fn wait(self) -> Reply {
        match self {
            Ticket::Ready(reply) => reply,
            #[cfg(not(target_arch = "wasm32"))]
            Ticket::Waiting(rx) => rx
                .recv()
                .unwrap_or_else(|_| Err(io::Error::other("a deflating thread stopped"))),
        }
    }
}

/// Deflates jobs at one level, on helpers or in the calling thread.
pub(crate) struct Packer {
    level: u32,
    /// The deflaters of jobs done in the calling thread.
    here: Option<Box<Deflaters>>,
    #[cfg(not(target_arch = "wasm32"))]
    helpers: Option<Helpers>,
}

/// Threads ZIP exports may use, set by [`set_threads`]: 0 for one per core.
static THREADS: AtomicUsize = AtomicUsize::new(0);

/// How many threads deflate the ZIP exports (archive ZIP, Markdown, HTML with media) that start
/// after this call: 1 deflates in the thread that writes, N > 1 starts N helper threads, 0 (the
/// default) one per core, at most four. The CLI's `--threads`; the web worker always deflates in
/// its own thread.
pub fn set_threads(threads: usize) {
    THREADS.store(threads, Ordering::Relaxed);
}

/// How many helper threads an export starts now: none on one core (or where threads are not
/// known) or when limited to one.
pub(crate) fn helpers_here() -> usize {
    if cfg!(target_arch = "wasm32") {
        return 0;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match THREADS.load(Ordering::Relaxed) {
        0 if cores == 1 => 0,
        0 => cores.min(MAX_HELPERS),
        1 => 0,
        n => n,
    }
}

impl Packer {
    /// A packer with `helpers` threads (none: every job is done when handed in).
    pub(crate) fn new(level: u32, helpers: usize) -> Packer {
        #[cfg(target_arch = "wasm32")]
        let _ = helpers;
        Packer {
            level,
            here: None,
            #[cfg(not(target_arch = "wasm32"))]
            helpers: (helpers > 0)
                .then(|| Helpers::spawn(level, helpers))
                .flatten(),
        }
    }

    /// How many jobs may wait at once (none beyond the one handed in without helpers).
    pub(crate) fn in_flight(&self) -> usize {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(h) = &self.helpers {
            return 2 * h.threads.len() + 1;
        }
        1
    }

    /// Hands in a job.
    pub(crate) fn submit(&mut self, work: Vec<Work>) -> Ticket {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(h) = &self.helpers {
            if let Some(ticket) = h.submit(work) {
                return ticket;
            }
            // The helpers are gone (a thread panicked): nothing more can be written in order.
            return Ticket::Ready(Err(io::Error::other("a deflating thread stopped")));
        }
        let level = self.level;
        let here = self
            .here
            .get_or_insert_with(|| Box::new(Deflaters::new(level)));
        Ticket::Ready(pack(here, work))
    }
}

/// One thread's deflaters: zlib-rs for streams and large entries, [`SmallDeflater`] for whole
/// entries of up to [`MAX_INPUT`] bytes (most of a Markdown export's).
pub(crate) struct Deflaters {
    level: u32,
    /// Made when first needed: a Markdown export may never need it.
    zlib: Option<Box<Compress>>,
    small: SmallDeflater,
}

impl Deflaters {
    pub(crate) fn new(level: u32) -> Deflaters {
        Deflaters {
            level,
            zlib: None,
            small: SmallDeflater::default(),
        }
    }

    fn zlib(&mut self) -> &mut Compress {
        let level = self.level;
        self.zlib
            .get_or_insert_with(|| Box::new(Compress::new(Compression::new(level), false)))
    }

    /// A whole entry deflated, or given back when deflating does not make it smaller.
    fn whole(&mut self, data: Vec<u8>) -> Done {
        let out = if data.len() <= MAX_INPUT {
            let mut out = Vec::new();
            self.small.deflate(&data, &mut out);
            Ok(out)
        } else {
            deflate(self.zlib(), &data, FlushCompress::Finish)
        };
        match out {
            Ok(out) if out.len() < data.len() => Done::Deflated(out),
            _ => Done::Stored(data),
        }
    }

    /// A whole entry made where it is written from (a Markdown document, on one of the threads
    /// that render them): deflated or stored as [`Deflaters::whole`] decides, with its CRC-32
    /// and size, ready for [`super::zipout::ZipOut::raw_entry`].
    pub(crate) fn packed(&mut self, data: Vec<u8>) -> permafrost_engine::RawEntry {
        let crc32 = crc32fast::hash(&data);
        let size = data.len() as u64;
        let (deflated, data) = match self.whole(data) {
            Done::Deflated(out) => (true, out),
            Done::Stored(data) => (false, data),
        };
        permafrost_engine::RawEntry {
            deflated,
            crc32,
            size,
            data,
        }
    }
}

/// Does a job's pieces with `d`.
fn pack(d: &mut Deflaters, work: Vec<Work>) -> Reply {
    work.into_iter()
        .map(|w| {
            Ok(match w {
                Work::Chunk { data, last } => {
                    let flush = if last {
                        FlushCompress::Finish
                    } else {
                        FlushCompress::Sync
                    };
                    Done::Deflated(deflate(d.zlib(), &data, flush)?)
                }
                Work::Whole(data) => d.whole(data),
                Work::Keep(data) => Done::Stored(data),
            })
        })
        .collect()
}

/// Deflates `input` alone (raw DEFLATE, no zlib header): ended with `Finish`, or byte-aligned and
/// open for more with `Sync`.
fn deflate(c: &mut Compress, mut input: &[u8], flush: FlushCompress) -> io::Result<Vec<u8>> {
    c.reset();
    // Room for text that does not shrink: then one call does it all.
    let mut out = Vec::with_capacity(input.len() + input.len() / 1000 + 64);
    loop {
        let before = c.total_in();
        let status = c
            .compress_vec(input, &mut out, flush)
            .map_err(io::Error::other)?;
        input = &input[(c.total_in() - before) as usize..];
        let done = match flush {
            FlushCompress::Finish => status == Status::StreamEnd,
            // Everything taken, and the output had room to spare: nothing more is pending.
            _ => input.is_empty() && out.len() < out.capacity(),
        };
        if done {
            return Ok(out);
        }
        out.reserve(out.capacity().max(4096));
    }
}

#[cfg(not(target_arch = "wasm32"))]
type Job = (Vec<Work>, std::sync::mpsc::SyncSender<Reply>);

/// Helper threads taking jobs from one queue; each answers on the job's own channel.
#[cfg(not(target_arch = "wasm32"))]
struct Helpers {
    jobs: Option<std::sync::mpsc::Sender<Job>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Helpers {
    /// `n` threads, or none when the system will not start one.
    fn spawn(level: u32, n: usize) -> Option<Helpers> {
        use std::sync::{mpsc, Arc, Mutex};
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let mut threads = Vec::with_capacity(n);
        for _ in 0..n {
            let rx = Arc::clone(&rx);
            let thread = std::thread::Builder::new()
                .name("permafrost-deflate".into())
                .spawn(move || {
                    let mut d = Deflaters::new(level);
                    loop {
                        // The lock is held only to take a job, not while doing it.
                        let job = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        let Ok((work, reply)) = job else { return };
                        // The writer may have gone (an export cancelled): nobody to tell.
                        let _ = reply.send(pack(&mut d, work));
                    }
                });
            match thread {
                Ok(t) => threads.push(t),
                Err(_) => break,
            }
        }
        if threads.is_empty() {
            return None;
        }
        Some(Helpers {
            jobs: Some(tx),
            threads,
        })
    }

    fn submit(&self, work: Vec<Work>) -> Option<Ticket> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.jobs.as_ref()?.send((work, tx)).ok()?;
        Some(Ticket::Waiting(rx))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Drop for Helpers {
    fn drop(&mut self) {
        // Closing the queue ends each thread after its job.
        self.jobs = None;
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// `n` bytes that do not deflate (xorshift64* from `seed`), for the tests of this and the ZIP
/// writer.
#[cfg(test)]
pub(crate) fn noise(mut seed: u64, n: usize) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::DeflateDecoder;
    use std::io::Read;

    fn inflate(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        DeflateDecoder::new(bytes).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn chunks_deflated_alone_make_one_stream_and_helpers_write_the_same_bytes() {
        let text: Vec<u8> = (0..3 * CHUNK + 123)
            .map(|i| b"river coffee train "[i % 19] ^ (i / 7919) as u8)
            .collect();
        let work = || {
            let mut w: Vec<Work> = text
                .chunks(CHUNK)
                .map(|c| Work::Chunk {
                    data: c.to_vec(),
                    last: false,
                })
                .collect();
            w.push(Work::Chunk {
                data: Vec::new(),
                last: true,
            });
            w
        };
        let joined = |done: Vec<Done>| -> Vec<u8> {
            done.into_iter()
                .flat_map(|d| match d {
                    Done::Deflated(b) => b,
                    Done::Stored(_) => panic!("a chunk is always deflated"),
                })
                .collect()
        };
        let here = joined(Packer::new(1, 0).submit(work()).wait().unwrap());
        assert_eq!(inflate(&here), text);
        assert!(here.len() < text.len() / 4);
        // On three helpers, one chunk a job: the same bytes, in order.
        let mut p = Packer::new(1, 3);
        let tickets: Vec<Ticket> = work().into_iter().map(|w| p.submit(vec![w])).collect();
        let there: Vec<u8> = tickets
            .into_iter()
            .flat_map(|t| joined(t.wait().unwrap()))
            .collect();
        assert!(here == there);
    }

    #[test]
    fn whole_entries_that_do_not_shrink_and_kept_ones_come_back_as_they_were() {
        let noise = noise(3, 4000);
        let text = b"---\nid: x\n---\n".repeat(100);
        for helpers in [0, 2] {
            let done = Packer::new(1, helpers)
                .submit(vec![
                    Work::Whole(noise.clone()),
                    Work::Whole(text.clone()),
                    Work::Keep(text.clone()),
                    Work::Whole(Vec::new()),
                ])
                .wait()
                .unwrap();
            assert!(matches!(&done[0], Done::Stored(b) if *b == noise));
            assert!(matches!(&done[1], Done::Deflated(b) if inflate(b) == text));
            assert!(matches!(&done[2], Done::Stored(b) if *b == text));
            assert!(matches!(&done[3], Done::Stored(b) if b.is_empty()));
        }
    }
}
