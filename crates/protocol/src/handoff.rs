//! A search's answer handed to the page through shared memory, so that it is drawn in the frame
//! the key was typed in.
//!
//! Why: an answer posted with `postMessage` reaches the page as a task of its own. A key arrives
//! anywhere in a frame (16.7 ms at 60 Hz); when the worker answers after the frame's start has
//! passed, the count is drawn a whole frame later, even when the answer took 2 ms. Measured by
//! bench/web.mjs at 100,000 posts: one keystroke in five was drawn in the second frame, and the
//! keystroke → painted figure's p95 was 17.7 ms although the worker answered in 5 ms (p50).
//! Waiting on the page for the answer, up to a frame, draws the count and the typed key together
//! in the first frame (a frame that starts late by the few milliseconds the answer takes, instead
//! of one on time that shows the old count).
//!
//! How: the page and the worker share a `SharedArrayBuffer` (only there when the page is
//! cross-origin isolated: served with COOP and COEP headers, see the README). Its first four
//! 32-bit cells are [`WANTED`], [`DONE`], [`LEN`] and a spare; the bytes after them hold an
//! answer's JSON text. Request ids are never 0.
//! - The page, before it posts a request it will wait for: `WANTED = id` ([`expect`]).
//! - The worker, with the answer to `id`: it claims it by swapping `WANTED` from `id` to 0. Claimed
//!   and short enough, it writes the text, `LEN`, then `DONE = id` ([`hand_over`]), and posts
//!   nothing. Claimed but too long: `LEN = -1`, `DONE = id`, and it posts it. Not claimed (the page
//!   stopped waiting, or waits for another request): it posts it, as for every other answer.
//! - The page polls `DONE` ([`poll`]) until it is `id`. Past its budget it gives up by swapping
//!   `WANTED` from `id` to 0 ([`give_up`]): if that fails, the worker has claimed the answer and
//!   is writing it, and the page polls on; if it succeeds, the answer will come as a message.
//!
//! Every answer thus reaches the page exactly once, by one way or the other (the tests below race
//! the two sides on threads). Writes of the text happen before the sequentially consistent store
//! of `DONE`, and the page reads them after loading it, so the page never reads a half-written
//! answer.

/// The cell that holds the id of the request the page waits for (0: none).
pub const WANTED: usize = 0;
/// The cell that holds the id of the request whose answer was claimed.
pub const DONE: usize = 1;
/// The cell that holds the length of the claimed answer's text in bytes (-1: posted instead).
pub const LEN: usize = 2;
/// The bytes before the answer's text: four cells of 4 bytes.
pub const HEADER: u32 = 16;

/// The shared cells, as atomics (an `Int32Array` over the `SharedArrayBuffer` in the browser;
/// `AtomicI32`s in the tests).
pub trait Cells {
    /// The cell's value.
    fn load(&self, cell: usize) -> i32;
    /// Sets the cell.
    fn store(&self, cell: usize, value: i32);
    /// Sets the cell to `new` if it holds `expected`; returns what it held.
    fn swap_if(&self, cell: usize, expected: i32, new: i32) -> i32;
}

/// Where the page's wait for an answer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Poll {
    /// Not answered yet.
    Waiting,
    /// Handed over: the text's length in bytes, after [`HEADER`].
    Handed(usize),
    /// Claimed, but it comes as a message (it did not fit).
    Posted,
}

/// Page: the request `id` is about to be posted, and the page will wait for its answer.
pub fn expect(cells: &impl Cells, id: u32) {
    cells.store(WANTED, id as i32);
}

/// Page: whether the answer to `id` is there.
pub fn poll(cells: &impl Cells, id: u32) -> Poll {
    if cells.load(DONE) != id as i32 {
        return Poll::Waiting;
    }
    match usize::try_from(cells.load(LEN)) {
        Ok(len) => Poll::Handed(len),
        Err(_) => Poll::Posted,
    }
}

/// Page: stops waiting for `id`. True when its answer will come as a message; false when the
/// worker has already claimed it (then [`poll`] gives it in a moment).
pub fn give_up(cells: &impl Cells, id: u32) -> bool {
    cells.swap_if(WANTED, id as i32, 0) == id as i32
}

/// Worker: hands the answer to `id` over when the page waits for it and its `len` bytes fit in
/// `capacity`; `write` copies them (after [`HEADER`]). True when handed over: the worker then
/// posts nothing. False: post it as every other answer.
pub fn hand_over(
    cells: &impl Cells,
    id: u32,
    len: usize,
    capacity: usize,
    write: impl FnOnce(),
) -> bool {
    if cells.swap_if(WANTED, id as i32, 0) != id as i32 {
        return false;
    }
    let fits = len <= capacity && i32::try_from(len).is_ok();
    if fits {
        write();
    }
    cells.store(LEN, if fits { len as i32 } else { -1 });
    cells.store(DONE, id as i32);
    fits
}

/// The page's and the worker's view of the shared memory (wasm32).
#[cfg(target_arch = "wasm32")]
pub use shared::SharedAnswer;

#[cfg(target_arch = "wasm32")]
mod shared {
    use super::{Cells, Poll, HEADER};
    use js_sys::{Atomics, Int32Array, SharedArrayBuffer, Uint8Array};
    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen::{JsCast, JsValue};

    #[wasm_bindgen]
    extern "C" {
        /// `performance.now()`: a clock that only goes forward (the wall clock may go back, and
        /// a wait timed by it would then not end).
        #[wasm_bindgen(js_namespace = performance, js_name = now)]
        fn now_ms() -> f64;
    }

    /// Room for an answer's text: a search's answer (its count and first posts) is a few tens
    /// of kilobytes; one that does not fit is posted.
    const CAPACITY: u32 = 1 << 20;

    /// The shared memory of one worker and the page.
    #[derive(Clone)]
    pub struct SharedAnswer {
        buffer: SharedArrayBuffer,
        cells: Int32Array,
        bytes: Uint8Array,
    }

    impl Cells for Int32Array {
        // The array is the buffer's first cells, so the indexes are valid and these never fail.
        fn load(&self, cell: usize) -> i32 {
            Atomics::load(self, cell as u32).unwrap_or(0)
        }
        fn store(&self, cell: usize, value: i32) {
            let _ = Atomics::store(self, cell as u32, value);
        }
        fn swap_if(&self, cell: usize, expected: i32, new: i32) -> i32 {
            Atomics::compare_exchange(self, cell as u32, expected, new).unwrap_or(0)
        }
    }

    impl SharedAnswer {
        /// Page: new shared memory, when the page may have it (cross-origin isolated); else
        /// `None`, and answers come as messages only.
        pub fn new() -> Option<SharedAnswer> {
            let isolated = js_sys::Reflect::get(&js_sys::global(), &"crossOriginIsolated".into())
                .ok()?
                .as_bool()?;
            // Without isolation the constructor is not there at all: not even called then.
            isolated.then(|| SharedAnswer::over(SharedArrayBuffer::new(HEADER + CAPACITY)))
        }

        /// Worker: the shared memory the page sent, if `data` is some.
        pub fn received(data: &JsValue) -> Option<SharedAnswer> {
            // Messages are arrays (`wire::frame`) but this one; checked first, because
            // `instanceof SharedArrayBuffer` needs the global, absent without isolation.
            if data.is_array() || !data.is_object() {
                return None;
            }
            let buffer = data.dyn_ref::<SharedArrayBuffer>()?.clone();
            (buffer.byte_length() > HEADER).then(|| SharedAnswer::over(buffer))
        }

        fn over(buffer: SharedArrayBuffer) -> SharedAnswer {
            let cells = Int32Array::new_with_byte_offset_and_length(&buffer, 0, HEADER / 4);
            let bytes = Uint8Array::new_with_byte_offset(&buffer, HEADER);
            SharedAnswer {
                buffer,
                cells,
                bytes,
            }
        }

        /// What to post to the worker.
        pub fn buffer(&self) -> JsValue {
            self.buffer.clone().into()
        }

        /// Page: see [`super::expect`].
        pub fn expect(&self, id: u32) {
            super::expect(&self.cells, id);
        }

        /// Page: waits for the answer to `id` for at most `budget_ms`: its JSON text when it was
        /// handed over, `None` when it comes as a message. Spins (the page's thread may not
        /// block); the budget bounds how long a frame waits.
        pub fn wait(&self, id: u32, budget_ms: f64) -> Option<String> {
            let start = now_ms();
            // Bounds the wait after a claim too: a worker that died while writing answers no
            // more, and the request's failure comes with the worker's error event.
            let limit = start + 1000.0;
            let mut claimed = false;
            loop {
                match super::poll(&self.cells, id) {
                    Poll::Handed(len) => return self.read(len),
                    Poll::Posted => return None,
                    Poll::Waiting => {}
                }
                let now = now_ms();
                if !claimed && now - start > budget_ms {
                    if super::give_up(&self.cells, id) {
                        return None;
                    }
                    claimed = true;
                }
                if now > limit {
                    return None;
                }
            }
        }

        fn read(&self, len: usize) -> Option<String> {
            let mut text = vec![0; len];
            self.bytes.subarray(0, len as u32).copy_to(&mut text);
            String::from_utf8(text).ok()
        }

        /// Worker: see [`super::hand_over`].
        pub fn hand_over(&self, id: u32, json: &str) -> bool {
            super::hand_over(&self.cells, id, json.len(), CAPACITY as usize, || {
                self.bytes
                    .subarray(0, json.len() as u32)
                    .copy_from(json.as_bytes())
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicI32, Ordering::SeqCst};
    use std::sync::{Arc, Mutex};

    #[derive(Default)]
    struct Shared {
        cells: [AtomicI32; 4],
        text: Mutex<Vec<u8>>,
    }

    impl Cells for Shared {
        fn load(&self, cell: usize) -> i32 {
            self.cells.get(cell).map_or(0, |c| c.load(SeqCst))
        }
        fn store(&self, cell: usize, value: i32) {
            if let Some(c) = self.cells.get(cell) {
                c.store(value, SeqCst);
            }
        }
        fn swap_if(&self, cell: usize, expected: i32, new: i32) -> i32 {
            self.cells.get(cell).map_or(0, |c| {
                c.compare_exchange(expected, new, SeqCst, SeqCst)
                    .unwrap_or_else(|held| held)
            })
        }
    }

    /// The worker's side: hands `text` over for `id`, or says it posted it.
    fn answer(shared: &Shared, id: u32, text: &str, capacity: usize) -> bool {
        hand_over(shared, id, text.len(), capacity, || {
            *shared.text.lock().unwrap_or_else(|e| e.into_inner()) = text.as_bytes().to_vec();
        })
    }

    #[test]
    fn a_waited_answer_is_handed_over_and_not_posted() {
        let shared = Shared::default();
        expect(&shared, 7);
        assert_eq!(poll(&shared, 7), Poll::Waiting);
        assert!(answer(&shared, 7, "{\"id\":7}", 100));
        assert_eq!(poll(&shared, 7), Poll::Handed(8));
        assert_eq!(
            shared.load(WANTED),
            0,
            "the claim clears what the page waits for"
        );
    }

    #[test]
    fn an_answer_nobody_waits_for_is_posted() {
        let shared = Shared::default();
        assert!(!answer(&shared, 3, "{}", 100));
        expect(&shared, 4);
        assert!(
            !answer(&shared, 3, "{}", 100),
            "the page waits for another request"
        );
        assert_eq!(poll(&shared, 4), Poll::Waiting);
        assert_eq!(
            shared.load(WANTED),
            4,
            "the other request is still waited for"
        );
    }

    #[test]
    fn an_answer_too_long_is_claimed_and_posted() {
        let shared = Shared::default();
        expect(&shared, 9);
        assert!(!answer(&shared, 9, "0123456789", 4));
        assert_eq!(poll(&shared, 9), Poll::Posted);
        assert!(
            shared.text.lock().is_ok_and(|t| t.is_empty()),
            "nothing written"
        );
    }

    #[test]
    fn giving_up_before_the_claim_makes_the_worker_post() {
        let shared = Shared::default();
        expect(&shared, 5);
        assert!(give_up(&shared, 5), "the answer will come as a message");
        assert!(!answer(&shared, 5, "{}", 100));
        assert_eq!(poll(&shared, 5), Poll::Waiting, "nothing handed over");
    }

    #[test]
    fn giving_up_after_the_claim_waits_for_the_handed_answer() {
        let shared = Shared::default();
        expect(&shared, 6);
        assert!(answer(&shared, 6, "{}", 100));
        assert!(
            !give_up(&shared, 6),
            "claimed: it is handed over, not posted"
        );
        assert_eq!(poll(&shared, 6), Poll::Handed(2));
    }

    /// The page and the worker on two threads, the page giving up at random moments: every
    /// answer arrives exactly once, whole, by one way or the other.
    #[test]
    fn every_answer_arrives_exactly_once_when_the_sides_race() {
        let shared = Arc::new(Shared::default());
        let (to_worker, requests) = std::sync::mpsc::channel::<u32>();
        let (to_page, posted) = std::sync::mpsc::channel::<u32>();
        let worker = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                for id in requests {
                    let text = format!("answer {id}");
                    if !answer(&shared, id, &text, 100) {
                        let _ = to_page.send(id);
                    }
                }
            })
        };
        let (mut handed, mut by_message) = (0, 0);
        for id in 1..=2000u32 {
            expect(&*shared, id);
            let _ = to_worker.send(id);
            // Gives up after a number of polls that varies with the id: sometimes at once,
            // sometimes never.
            let patience = (id * 7919) % 50;
            let mut polls = 0;
            let mut gave_up = false;
            let arrived = loop {
                match poll(&*shared, id) {
                    Poll::Handed(len) => {
                        let text = shared.text.lock().unwrap_or_else(|e| e.into_inner());
                        assert_eq!(text.len(), len);
                        assert_eq!(*text, format!("answer {id}").into_bytes());
                        handed += 1;
                        break true;
                    }
                    Poll::Posted => unreachable!("every answer fits"),
                    Poll::Waiting => {}
                }
                polls += 1;
                if !gave_up && polls > patience && id % 3 != 0 {
                    gave_up = true;
                    if give_up(&*shared, id) {
                        break false;
                    }
                }
                std::hint::spin_loop();
            };
            if !arrived {
                assert_eq!(
                    posted.recv_timeout(std::time::Duration::from_secs(5)).ok(),
                    Some(id),
                    "posted when given up"
                );
                by_message += 1;
            }
            assert!(posted.try_recv().is_err(), "no answer arrives twice");
        }
        drop(to_worker);
        let _ = worker.join();
        assert_eq!(handed + by_message, 2000);
        assert!(
            handed > 0 && by_message > 0,
            "both ways were taken: {handed} {by_message}"
        );
    }
}
