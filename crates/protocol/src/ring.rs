//! A stream of bytes from one worker to another through shared memory: how outbox.json's
//! contents, inflated by a second worker on the other core, reach the worker that parses them.
//!
//! Why: opening an archive is one long loop in the worker (read the ZIP, inflate outbox.json,
//! check its CRC-32, parse, index) on one core of two. Inflating and checking are about a sixth
//! of it (profiled in Chromium at 100,000 posts), and the file's slices are read synchronously,
//! so the loop also waits on each. A second worker that reads and inflates while the first
//! parses takes both off the first's path.
//!
//! How: a `SharedArrayBuffer` (the page must be cross-origin isolated) holds [`SLOTS`] slots of
//! bytes and, before them, 32-bit cells: [`STOP`], then each slot's state and length
//! ([`state`], [`len`]). The producer fills the slots in turn: it waits for the slot to be
//! [`EMPTY`], writes the bytes, the length, then the state [`FULL`] (or [`END`] after the last
//! bytes, or [`FAILED`] with the error's text as its bytes). The consumer takes them in the same
//! turn and gives each back [`EMPTY`] once read. A consumer that stops early sets `STOP` and
//! marks every slot [`STOPPED`], so a producer waiting for a slot wakes and ends. A producer
//! dropped before its stream's end or error sets `STOP` to [`GIVEN_UP`] without waiting for a
//! slot, so a consumer waiting for more bytes wakes and fails, instead of waiting for
//! [`GIVE_UP_WAITS`].
//!
//! The bytes are written before the sequentially consistent store of the state, and read after
//! the load that sees it, so a slot is never read half-written. Waits are bounded (they wake at
//! least every [`WAIT_MS`]) and each wakes again to look, so a lost notification costs time, not
//! a hang. The tests below race the two sides on threads.

use std::io;

/// Slots in the ring: the producer can be this many slots ahead of the consumer.
pub const SLOTS: usize = 16;

/// Bytes per slot in the browser: large enough that the per-slot handshake is noise, small
/// enough that four of them are a few megabytes.
pub const SLOT_BYTES: usize = 64 << 10;

/// The cell that the consumer sets to 1 when it wants no more bytes, and the producer to
/// [`GIVEN_UP`] when it sends no more.
pub const STOP: usize = 0;

/// [`STOP`]'s value once the producer was dropped before its stream's end or error.
pub const GIVEN_UP: i32 = 2;

/// What a read fails with after what was put, once the producer gave up.
pub const GIVEN_UP_TEXT: &str = "the stream was given up before its end";

/// The cells before the slots' bytes.
pub const CELLS: usize = 1 + 2 * SLOTS;

/// The bytes before the first slot: the cells, rounded up to 8.
pub const HEADER_BYTES: usize = (CELLS * 4).div_ceil(8) * 8;

/// The cell holding the state of slot `slot`.
pub const fn state(slot: usize) -> usize {
    1 + 2 * slot
}

/// The cell holding the number of bytes in slot `slot`.
pub const fn len(slot: usize) -> usize {
    2 + 2 * slot
}

/// A slot the producer may fill.
pub const EMPTY: i32 = 0;
/// A slot holding bytes for the consumer.
pub const FULL: i32 = 1;
/// The stream's end: no bytes follow.
pub const END: i32 = 2;
/// The stream failed: the slot's bytes are the error's text.
pub const FAILED: i32 = 3;
/// The consumer stopped reading.
pub const STOPPED: i32 = 4;

/// The longest a wait sleeps before it looks again.
pub const WAIT_MS: f64 = 250.0;

/// The longest a nap sleeps: a side that naps has other work that may come meanwhile, from
/// another ring (whose notifications do not wake it).
pub const NAP_MS: f64 = 1.0;

/// How many whole waits in a row, for a slot that stays empty, before the consumer gives up: 30
/// s without a byte means the producer is gone (a worker that failed to load or was stopped),
/// and reading fails, saying so, rather than waiting for ever.
pub const GIVE_UP_WAITS: u32 = 120;

/// How many whole naps in a row, with no other work found meanwhile, before a producer gives
/// up on a consumer that neither takes a slot nor stops: as long as [`GIVE_UP_WAITS`] whole
/// waits. (A consumer in a worker that was terminated never says it stops: without this, its
/// producer would nap for ever, and its worker answer nothing else.)
pub const GIVE_UP_NAPS: u32 = GIVE_UP_WAITS * (WAIT_MS / NAP_MS) as u32;

/// The shared memory: the cells as atomics and the slots' bytes (an `Int32Array` and a
/// `Uint8Array` over a `SharedArrayBuffer` in the browser; atomics in the tests).
pub trait Shared {
    /// The cell's value.
    fn load(&self, cell: usize) -> i32;
    /// Sets the cell.
    fn store(&self, cell: usize, value: i32);
    /// Sleeps while the cell holds `value`, for at most [`WAIT_MS`] (or less: callers look
    /// again). True when it slept that long.
    fn wait(&self, cell: usize, value: i32) -> bool;
    /// Sleeps while the cell holds `value`, for at most [`NAP_MS`]: for a side that has other
    /// work to look for meanwhile ([`Producer::put_meanwhile`]). True when it slept that long.
    fn nap(&self, cell: usize, value: i32) -> bool;
    /// Wakes whoever waits on the cell.
    fn notify(&self, cell: usize);
    /// Bytes per slot.
    fn slot_bytes(&self) -> usize;
    /// Writes `bytes` at the start of slot `slot` (at most [`Shared::slot_bytes`] of them).
    fn write(&self, slot: usize, bytes: &[u8]);
    /// Reads `out.len()` bytes of slot `slot` from `at`.
    fn read(&self, slot: usize, at: usize, out: &mut [u8]);
}

/// The side that writes the stream. Dropped before [`Producer::end`] or [`Producer::fail`]
/// (a job given up mid-way), it tells the consumer, which fails once it has read what was put
/// ([`GIVEN_UP_TEXT`]), at once, even when every slot is full.
pub struct Producer<S: Shared> {
    shared: S,
    turn: usize,
    /// The stream has its end or its error, or the consumer is gone: nothing to tell it.
    over: bool,
}

impl<S: Shared> Producer<S> {
    /// The producer of a new ring (every cell 0).
    pub fn new(shared: S) -> Self {
        Producer {
            shared,
            turn: 0,
            over: false,
        }
    }

    /// Waits for the next slot to be free: false when the consumer stopped, or gave no slot
    /// back for [`GIVE_UP_WAITS`] whole waits (it is gone). While the slot is not free, calls
    /// `meanwhile` (when given), and sleeps only when that found nothing to do.
    fn claim(&self, mut meanwhile: Option<&mut dyn FnMut() -> bool>) -> bool {
        let slot = self.turn % SLOTS;
        let mut waits = 0;
        loop {
            let held = self.shared.load(state(slot));
            if self.shared.load(STOP) != 0 {
                return false;
            }
            if held == EMPTY {
                return true;
            }
            match meanwhile.as_mut() {
                Some(work) => {
                    if work() {
                        waits = 0;
                    } else {
                        waits += u32::from(self.shared.nap(state(slot), held));
                        if waits >= GIVE_UP_NAPS {
                            return false;
                        }
                    }
                }
                None => {
                    waits += u32::from(self.shared.wait(state(slot), held));
                    if waits >= GIVE_UP_WAITS {
                        return false;
                    }
                }
            }
        }
    }

    /// The bytes a slot holds: the most one [`Producer::put`] sends.
    pub fn slot_bytes(&self) -> usize {
        self.shared.slot_bytes()
    }

    /// Fills the next slot with `bytes` (at most [`Shared::slot_bytes`]), waiting for it to be
    /// free. False when the consumer stopped: nothing more is wanted.
    pub fn put(&mut self, bytes: &[u8]) -> bool {
        let bytes = &bytes[..bytes.len().min(self.shared.slot_bytes())];
        self.publish(FULL, bytes, None)
    }

    /// [`Producer::put`], doing other work while the slot is not free: `meanwhile` is called
    /// again and again while the consumer has not given the slot back; it does a little work
    /// (true) or finds none (false: then the producer naps, [`NAP_MS`]).
    pub fn put_meanwhile(&mut self, bytes: &[u8], meanwhile: &mut dyn FnMut() -> bool) -> bool {
        let bytes = &bytes[..bytes.len().min(self.shared.slot_bytes())];
        self.publish(FULL, bytes, Some(meanwhile))
    }

    /// Ends the stream after the bytes put so far.
    pub fn end(mut self) {
        self.publish(END, &[], None);
    }

    /// [`Producer::end`], doing other work while the slot is not free, as
    /// [`Producer::put_meanwhile`] does: a consumer that waits for that work before it reads
    /// on would otherwise never give the slot back.
    pub fn end_meanwhile(mut self, meanwhile: &mut dyn FnMut() -> bool) {
        self.publish(END, &[], Some(meanwhile));
    }

    /// Ends the stream with an error, after the bytes put so far: the consumer's read fails with
    /// `message`.
    pub fn fail(mut self, message: &str) {
        let mut cut = message.len().min(self.shared.slot_bytes());
        while !message.is_char_boundary(cut) {
            cut -= 1;
        }
        self.publish(FAILED, &message.as_bytes()[..cut], None);
    }

    fn publish(
        &mut self,
        how: i32,
        bytes: &[u8],
        meanwhile: Option<&mut dyn FnMut() -> bool>,
    ) -> bool {
        if !self.claim(meanwhile) {
            self.over = true;
            return false;
        }
        let slot = self.turn % SLOTS;
        self.shared.write(slot, bytes);
        self.shared.store(len(slot), bytes.len() as i32);
        self.shared.store(state(slot), how);
        self.shared.notify(state(slot));
        self.turn += 1;
        self.over = how != FULL;
        true
    }
}

impl<S: Shared> Drop for Producer<S> {
    fn drop(&mut self) {
        if self.over {
            return;
        }
        self.shared.store(STOP, GIVEN_UP);
        for slot in 0..SLOTS {
            self.shared.notify(state(slot));
        }
    }
}

/// The side that reads the stream, as a [`std::io::Read`]. Dropped, it tells the producer to
/// stop.
///
/// It copies each slot whole and gives it back at once: the producer fills it again while
/// the copy is read, and a read costs no call into the shared memory (in the browser, each
/// is a call out of wasm; the parser's reads are a few kilobytes each). A read with room for
/// the whole slot gets it copied straight into its buffer.
pub struct Consumer<S: Shared> {
    shared: S,
    turn: usize,
    /// The last slot's bytes, and how many of them are read.
    held: Vec<u8>,
    at: usize,
    /// The stream's end, or its error.
    over: Option<Result<(), String>>,
    /// Whole waits in a row for the slot in turn.
    waits: u32,
}

impl<S: Shared> Consumer<S> {
    /// The consumer of a new ring (every cell 0).
    pub fn new(shared: S) -> Self {
        Consumer {
            shared,
            turn: 0,
            held: Vec::new(),
            at: 0,
            over: None,
            waits: 0,
        }
    }

    /// Gives slot `slot`, copied out, back to the producer, and moves on to the next.
    fn release(&mut self, slot: usize) {
        self.shared.store(state(slot), EMPTY);
        self.shared.notify(state(slot));
        self.turn += 1;
    }

    /// The ending the stream came to, if it came to one: as a read's result.
    fn ended(&self) -> Option<io::Result<usize>> {
        match self.over.as_ref()? {
            Ok(()) => Some(Ok(0)),
            Err(message) => Some(Err(io::Error::other(message.clone()))),
        }
    }
}

impl<S: Shared> Consumer<S> {
    /// Reads what has come, without waiting: `None` when nothing new is there yet (else as
    /// [`std::io::Read::read`]: `Ok(0)` at the end).
    pub fn try_read(&mut self, out: &mut [u8]) -> Option<io::Result<usize>> {
        self.read_or_wait(out, false)
    }

    /// Reads what has come, or, when `wait`, waits for it (never `None` then).
    fn read_or_wait(&mut self, out: &mut [u8], wait: bool) -> Option<io::Result<usize>> {
        loop {
            if self.at < self.held.len() {
                let n = out.len().min(self.held.len() - self.at);
                out[..n].copy_from_slice(&self.held[self.at..self.at + n]);
                self.at += n;
                return Some(Ok(n));
            }
            if let Some(ended) = self.ended() {
                return Some(ended);
            }
            let slot = self.turn % SLOTS;
            let held = self.shared.load(state(slot));
            let len = usize::try_from(self.shared.load(len(slot)))
                .unwrap_or(0)
                .min(self.shared.slot_bytes());
            if held != EMPTY {
                self.waits = 0;
            }
            match held {
                EMPTY if self.shared.load(STOP) == GIVEN_UP => {
                    self.over = Some(Err(GIVEN_UP_TEXT.into()))
                }
                EMPTY if !wait => return None,
                EMPTY if self.waits >= GIVE_UP_WAITS => {
                    self.over = Some(Err("the worker inflating it stopped answering".into()))
                }
                EMPTY => self.waits += u32::from(self.shared.wait(state(slot), EMPTY)),
                // Room for the whole slot: straight into `out` (a copy of every byte less).
                FULL if len > 0 && out.len() >= len => {
                    self.shared.read(slot, 0, &mut out[..len]);
                    self.release(slot);
                    return Some(Ok(len));
                }
                FULL => {
                    self.held.resize(len, 0);
                    self.shared.read(slot, 0, &mut self.held);
                    self.at = 0;
                    self.release(slot);
                }
                END => self.over = Some(Ok(())),
                FAILED => {
                    let mut text = vec![0; len];
                    self.shared.read(slot, 0, &mut text);
                    self.over = Some(Err(String::from_utf8_lossy(&text).into_owned()));
                }
                _ => self.over = Some(Err("the stream was stopped".into())),
            }
        }
    }
}

impl<S: Shared> io::Read for Consumer<S> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.read_or_wait(out, true).unwrap_or(Ok(0))
    }
}

impl<S: Shared> Drop for Consumer<S> {
    fn drop(&mut self) {
        if self.over.is_some() {
            return;
        }
        self.shared.store(STOP, 1);
        for slot in 0..SLOTS {
            self.shared.store(state(slot), STOPPED);
            self.shared.notify(state(slot));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::sync::atomic::{AtomicI32, AtomicU8, Ordering::Relaxed, Ordering::SeqCst};
    use std::sync::Arc;

    /// The ring in plain memory, with slots of `slot` bytes; waits yield the thread.
    struct Memory {
        cells: Vec<AtomicI32>,
        bytes: Vec<AtomicU8>,
        slot: usize,
    }

    fn ring(slot: usize) -> Arc<Memory> {
        Arc::new(Memory {
            cells: (0..CELLS).map(|_| AtomicI32::new(0)).collect(),
            bytes: (0..SLOTS * slot).map(|_| AtomicU8::new(0)).collect(),
            slot,
        })
    }

    impl Shared for Arc<Memory> {
        fn load(&self, cell: usize) -> i32 {
            self.cells[cell].load(SeqCst)
        }
        fn store(&self, cell: usize, value: i32) {
            self.cells[cell].store(value, SeqCst)
        }
        fn wait(&self, cell: usize, value: i32) -> bool {
            if self.load(cell) == value {
                std::thread::yield_now();
            }
            self.slot == GONE
        }
        fn nap(&self, cell: usize, value: i32) -> bool {
            if self.load(cell) == value {
                std::thread::yield_now();
            }
            self.slot == GONE
        }
        fn notify(&self, _: usize) {}
        fn slot_bytes(&self) -> usize {
            self.slot
        }
        fn write(&self, slot: usize, bytes: &[u8]) {
            for (i, &b) in bytes.iter().enumerate() {
                self.bytes[slot * self.slot + i].store(b, Relaxed);
            }
        }
        fn read(&self, slot: usize, at: usize, out: &mut [u8]) {
            for (i, b) in out.iter_mut().enumerate() {
                *b = self.bytes[slot * self.slot + at + i].load(Relaxed);
            }
        }
    }

    /// Slots of this size stand for a ring whose every wait sleeps its whole time.
    const GONE: usize = 3;

    #[test]
    fn a_consumer_whose_producer_is_gone_gives_up() {
        let mut consumer = Consumer::new(ring(GONE));
        let error = consumer.read(&mut [0; 8]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the worker inflating it stopped answering"
        );
    }

    /// Deterministic bytes, and chunk sizes from 0 to `max` (a small xorshift).
    fn stream(len: usize, seed: u64) -> Vec<u8> {
        let mut x = seed | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    /// Puts `data` in chunks of varying sizes (some empty, some a whole slot), then ends it, or
    /// fails with `failure` after it. Returns whether every chunk was wanted.
    fn produce(shared: Arc<Memory>, data: Vec<u8>, failure: Option<&str>) -> bool {
        let slot = shared.slot;
        let mut producer = Producer::new(shared);
        let sizes = stream(data.len() + 1, 7);
        let mut at = 0;
        let mut i = 0;
        while at < data.len() {
            let n = (sizes[i % sizes.len()] as usize % (slot + 1)).min(data.len() - at);
            i += 1;
            if !producer.put(&data[at..at + n]) {
                return false;
            }
            at += n;
        }
        match failure {
            Some(message) => producer.fail(message),
            None => producer.end(),
        }
        true
    }

    /// Reads everything with reads of varying sizes: the bytes and how it ended.
    fn consume(consumer: &mut Consumer<Arc<Memory>>) -> (Vec<u8>, io::Result<usize>) {
        let sizes = stream(4096, 11);
        let mut got = Vec::new();
        let mut buf = vec![0; 300];
        for i in 0.. {
            let want = 1 + sizes[i % sizes.len()] as usize;
            match consumer.read(&mut buf[..want]) {
                Ok(0) => return (got, Ok(0)),
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) => return (got, Err(e)),
            }
        }
        unreachable!()
    }

    #[test]
    fn every_byte_arrives_in_order_across_many_turns_of_the_ring() {
        for (slot, len) in [(1, 50), (7, 10_000), (64, 100_000), (256, 3)] {
            let shared = ring(slot);
            let data = stream(len, slot as u64);
            let producer = {
                let (shared, data) = (shared.clone(), data.clone());
                std::thread::spawn(move || produce(shared, data, None))
            };
            let mut consumer = Consumer::new(shared);
            let (got, end) = consume(&mut consumer);
            assert!(producer.join().unwrap());
            assert_eq!(end.unwrap(), 0);
            assert_eq!(got, data, "slots of {slot} bytes");
            // The end stays the end.
            assert_eq!(consumer.read(&mut [0; 8]).unwrap(), 0);
            // A producer dropped after its end did not say it gave up.
            assert_eq!(consumer.shared.load(STOP), 0);
        }
    }

    #[test]
    fn a_failure_arrives_after_the_bytes_before_it() {
        let shared = ring(64);
        let data = stream(1000, 3);
        let producer = {
            let (shared, data) = (shared.clone(), data.clone());
            std::thread::spawn(move || produce(shared, data, Some("outbox.json: CRC-32 mismatch")))
        };
        let mut consumer = Consumer::new(shared);
        let (got, end) = consume(&mut consumer);
        assert!(producer.join().unwrap());
        assert_eq!(got, data);
        let error = end.unwrap_err();
        assert_eq!(error.to_string(), "outbox.json: CRC-32 mismatch");
        // Every later read fails alike.
        assert_eq!(
            consumer.read(&mut [0; 8]).unwrap_err().to_string(),
            "outbox.json: CRC-32 mismatch"
        );
    }

    #[test]
    fn a_producer_dropped_before_its_end_fails_the_read_after_what_it_put() {
        // Every wait here sleeps its whole time: without the producer's word, the consumer
        // would give up after its waits, saying the producer stopped answering.
        let shared = ring(GONE);
        let mut producer = Producer::new(shared.clone());
        // Every slot full: none is free to say it in, and the producer does not wait for one.
        let data = stream(SLOTS * GONE, 9);
        for piece in data.chunks(GONE) {
            assert!(producer.put(piece));
        }
        drop(producer);
        assert_eq!(shared.load(STOP), GIVEN_UP);
        let mut consumer = Consumer::new(shared);
        let (got, end) = consume(&mut consumer);
        assert_eq!(got, data);
        assert_eq!(end.unwrap_err().to_string(), GIVEN_UP_TEXT);
        // Without waiting: the consumer is not left looking for a slot that will not come.
        assert_eq!(consumer.waits, 0);
        // A consumer asking without waiting is told too.
        let mut asking = Consumer::new(ring(GONE));
        drop(Producer::new(asking.shared.clone()));
        let told = asking.try_read(&mut [0; 8]).expect("an answer, not `None`");
        assert_eq!(told.unwrap_err().to_string(), GIVEN_UP_TEXT);
    }

    #[test]
    fn a_long_error_is_cut_to_a_slot_on_a_character_boundary() {
        let shared = ring(5);
        let producer = {
            let shared = shared.clone();
            std::thread::spawn(move || Producer::new(shared).fail("ééé"))
        };
        let mut consumer = Consumer::new(shared);
        let (_, end) = consume(&mut consumer);
        producer.join().unwrap();
        assert_eq!(end.unwrap_err().to_string(), "éé");
    }

    #[test]
    fn a_consumer_that_stops_early_stops_the_producer() {
        let shared = ring(8);
        let producer = {
            let shared = shared.clone();
            std::thread::spawn(move || produce(shared, stream(100_000, 5), None))
        };
        let mut consumer = Consumer::new(shared.clone());
        let mut buf = [0; 100];
        let mut read = 0;
        while read < 500 {
            read += consumer.read(&mut buf).unwrap();
        }
        drop(consumer);
        // The producer, waiting for a slot or about to, sees the stop and gives up.
        assert!(!producer.join().unwrap());
        assert_eq!(shared.load(STOP), 1);
    }

    #[test]
    fn a_producer_whose_consumer_is_gone_gives_up() {
        let mut producer = Producer::new(ring(GONE));
        // The ring fills up, then nobody gives a slot back.
        for _ in 0..SLOTS {
            assert!(producer.put(&[1]));
        }
        assert!(!producer.put(&[1]));
        // So does one with other work to do meanwhile, once it has none left: a consumer in a
        // terminated worker never says it stops.
        let mut producer = Producer::new(ring(GONE));
        for _ in 0..SLOTS {
            assert!(producer.put(&[1]));
        }
        let mut work = 100;
        let mut meanwhile = || {
            work -= 1;
            work > 0
        };
        assert!(!producer.put_meanwhile(&[1], &mut meanwhile));
    }

    #[test]
    fn try_read_gives_what_has_come_and_never_waits() {
        let shared = ring(4);
        let mut producer = Producer::new(shared.clone());
        let mut consumer = Consumer::new(shared);
        let mut buf = [0; 16];
        assert!(consumer.try_read(&mut buf).is_none());
        assert!(producer.put(b"abcd"));
        assert!(producer.put(b"ef"));
        assert_eq!(consumer.try_read(&mut buf).unwrap().unwrap(), 4);
        assert_eq!(&buf[..4], b"abcd");
        assert_eq!(consumer.try_read(&mut buf).unwrap().unwrap(), 2);
        assert_eq!(&buf[..2], b"ef");
        assert!(consumer.try_read(&mut buf).is_none());
        producer.end();
        assert_eq!(consumer.try_read(&mut buf).unwrap().unwrap(), 0);
    }

    /// The helper ends its stream while the ring is full, and the reader, before it reads on,
    /// sends it more than the second ring holds: ending, the helper drains the second ring
    /// ([`Producer::end_meanwhile`]). With [`Producer::end`] both would wait for ever.
    #[test]
    fn a_producer_ending_on_a_full_ring_drains_another_ring_meanwhile() {
        let (out, back) = (ring(16), ring(16));
        let texts = stream(SLOTS * 16 * 3, 21);
        let (done, finished) = std::sync::mpsc::channel();
        let helper = {
            let (out, back) = (out.clone(), back.clone());
            std::thread::spawn(move || {
                let mut producer = Producer::new(out);
                let mut consumer = Consumer::new(back);
                let mut got = Vec::new();
                let mut buf = [0; 16];
                let mut drain = || match consumer.try_read(&mut buf) {
                    Some(Ok(n)) if n > 0 => {
                        got.extend_from_slice(&buf[..n]);
                        true
                    }
                    _ => false,
                };
                for _ in 0..SLOTS {
                    assert!(producer.put(&[7; 16]));
                }
                producer.end_meanwhile(&mut drain);
                consumer.read_to_end(&mut got).unwrap();
                got
            })
        };
        let sent = texts.clone();
        std::thread::spawn(move || {
            // Every slot of `out` full, and the helper waiting to end it.
            while (0..SLOTS).any(|slot| out.load(state(slot)) != FULL) {
                std::thread::yield_now();
            }
            let mut sender = Producer::new(back);
            for piece in sent.chunks(16) {
                assert!(sender.put(piece));
            }
            sender.end();
            let mut reader = Consumer::new(out);
            let mut data = Vec::new();
            reader.read_to_end(&mut data).unwrap();
            let _ = done.send(data);
        });
        let data = finished
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("the reader still waits: the helper did not drain the second ring");
        assert_eq!(data, vec![7; SLOTS * 16]);
        assert_eq!(helper.join().unwrap(), texts);
    }

    /// The browser's helper: it streams one ring's bytes to a reader that, between reads, sends
    /// it bursts of bytes on a second ring, larger than that ring holds. Waiting for a free slot
    /// on the first, the helper drains the second ([`Producer::put_meanwhile`]), so neither side
    /// waits on the other for ever, and every byte of both arrives in order.
    #[test]
    fn a_producer_that_drains_another_ring_meanwhile_never_deadlocks() {
        let (out, back) = (ring(16), ring(16));
        let data = stream(20_000, 9);
        let texts = stream(30_000, 13);
        let helper = {
            let (out, back, data) = (out.clone(), back.clone(), data.clone());
            std::thread::spawn(move || {
                let mut producer = Producer::new(out);
                let mut consumer = Consumer::new(back);
                let mut got = Vec::new();
                let mut ended = false;
                let mut buf = [0; 16];
                let mut drain =
                    |got: &mut Vec<u8>, ended: &mut bool| match consumer.try_read(&mut buf) {
                        Some(Ok(0)) => {
                            *ended = true;
                            false
                        }
                        Some(Ok(n)) => {
                            got.extend_from_slice(&buf[..n]);
                            true
                        }
                        Some(Err(e)) => panic!("{e}"),
                        None => false,
                    };
                for chunk in data.chunks(16) {
                    assert!(producer.put_meanwhile(chunk, &mut || drain(&mut got, &mut ended)));
                }
                // The ring may be full, and its reader waiting for a free slot of the second.
                producer.end_meanwhile(&mut || drain(&mut got, &mut ended));
                // The rest of the second ring, waiting for it now.
                while !ended {
                    if !drain(&mut got, &mut ended) {
                        std::thread::yield_now();
                    }
                }
                got
            })
        };
        let mut reader = Consumer::new(out);
        let mut sender = Producer::new(back);
        let mut got = Vec::new();
        let mut buf = [0; 40];
        let mut bursts = texts.chunks(2_000);
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
            // Now and then a burst of 2,000 bytes: 125 slots, the ring holds 16.
            if got.len() % 1_000 < 40 {
                for piece in bursts.next().unwrap_or(&[]).chunks(16) {
                    assert!(sender.put(piece));
                }
            }
        }
        for burst in bursts {
            for piece in burst.chunks(16) {
                assert!(sender.put(piece));
            }
        }
        sender.end();
        assert_eq!(got, data);
        assert_eq!(helper.join().unwrap(), texts);
    }
}
