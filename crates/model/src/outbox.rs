//! Streaming reader for outbox.json.
//!
//! outbox.json can be hundreds of megabytes, written as one minified line. It is never held whole in
//! memory, and never turned into a generic JSON tree: a byte scanner walks the wrapper object, and
//! each `orderedItems` element is deserialized where it lies in the read buffer into borrowed,
//! forgiving typed structs (serde_json finding its end as it reads it) and converted to a
//! [`Post`]. An element that cannot be read so (cut by the buffer's end, not UTF-8, refused by the
//! typed reader) is first cut out whole (tracking only strings and brace depth, with `memchr` to
//! jump between them) and read on its own. Memory stays at one read buffer plus the model.
//!
//! Quirks handled here (archive-format.md §5): duplicate top-level keys where the last wins (4.2's
//! doubled `@context`, 4.2.10's `"orderedItems":[]` before the real list), `totalItems` ignored as a
//! count, items that are not understood kept as diagnostics, a file cut off mid-item keeping every
//! item before the cut.

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::html;
use crate::intern::Sym;
use crate::lang;
use crate::lenient::{other_shapes, Count, FirstEntry, LBool, LNum, LStr, Many, Obj};
use crate::message::{self as m, Message, Template};
use crate::rich::Inline;
use crate::status::{Attachment, MediaKind, Mention, Poll, PollOption, Post, PostKind, Visibility};
use crate::time::{parse_duration, parse_rfc3339};
use crate::{Account, Error, ErrorKind};
use rustc_hash::FxHashSet;
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt::Display;
use std::io::{self, Read};

/// Reads start small (most test and real outboxes are small) and double up to `CHUNK`.
const FIRST_CHUNK: usize = 64 << 10;
const CHUNK: usize = 1 << 20;
/// The fewest bytes of JSON an item takes, for bounding the posts allocated ahead from
/// `totalItems` (real items are 1.5 to 3 KB; a bare boost, about 300 bytes).
const MIN_ITEM_BYTES: u64 = 512;
/// An item larger than this is refused (as a diagnostic) rather than buffered.
const MAX_ITEM: usize = 64 << 20;

/// What reading outbox.json found besides the posts.
#[derive(Clone, Debug, Default)]
pub struct OutboxReport {
    /// Elements of `orderedItems` seen (posts plus skipped items).
    pub items: u64,
    /// The `totalItems` written in the file: informative only, it drifts (§5.1).
    pub declared_total: Option<u64>,
    /// Bytes of JSON read.
    pub bytes: u64,
}

/// Reads outbox.json from `reader`, appending posts and diagnostics to `account`. `entry` names the
/// file in messages. `progress` is called now and then with the bytes read and the account as read
/// so far (so a caller can show the first posts early; their visibility is provisional until
/// [`Account::resolve_visibility`] runs with actor.json).
///
/// Fails only when nothing usable can be read (not JSON, not an object, or cut off before the first
/// item); a bad or cut-off item later on becomes a diagnostic.
pub fn read_outbox<R: Read>(
    reader: R,
    entry: &str,
    account: &mut Account,
    progress: &mut dyn FnMut(u64, &Account),
) -> Result<OutboxReport, Error> {
    read_outbox_sized(reader, None, entry, account, progress)
}

#[cfg(any(test, fuzzing))]
thread_local! {
    /// Every item is cut out first, as before [`Scanner::item_in_place`]: the reading that the
    /// in-place one is compared with, by the tests and by the outbox fuzz target.
    static CUT_OUT_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// [`read_outbox`] with every item cut out of the buffer before it is read, never read in
/// place: what the tests and the fuzz target compare the in-place reading with (built for the
/// tests and with `--cfg fuzzing`, which cargo-fuzz sets).
#[cfg(any(test, fuzzing))]
pub fn read_outbox_cut_out<R: Read>(
    reader: R,
    entry: &str,
    account: &mut Account,
    progress: &mut dyn FnMut(u64, &Account),
) -> Result<OutboxReport, Error> {
    CUT_OUT_ONLY.set(true);
    let read = read_outbox(reader, entry, account, progress);
    CUT_OUT_ONLY.set(false);
    read
}

/// [`read_outbox`], told the size of the JSON when the container knows it. Then the posts are
/// allocated once, for the `totalItems` the file declares (bounded by what `size` bytes can hold:
/// the count drifts, and a hostile file may lie), rather than grown by doubling: at 100,000 posts
/// doubling copied the whole list about 17 times and held two copies at its peak (a tenth of the
/// time natively; the peak stays in a wasm memory, which never shrinks).
pub fn read_outbox_sized<R: Read>(
    reader: R,
    size: Option<u64>,
    entry: &str,
    account: &mut Account,
    progress: &mut dyn FnMut(u64, &Account),
) -> Result<OutboxReport, Error> {
    let mut scanner = Scanner::new(reader);
    let mut report = OutboxReport::default();
    let fail = |kind: ErrorKind, offset: u64, template: Template, args: &[(&str, &dyn Display)]| {
        Error::new(kind, entry)
            .at(offset)
            .with_template(template, args)
    };

    match scanner.peek().map_err(|e| io_error(entry, 0, e))? {
        Some(b'{') => scanner.advance(1),
        Some(other) => {
            let at = scanner.offset();
            return Err(match other {
                0xFE | 0xFF | 0x00 => fail(ErrorKind::Syntax, at, not_utf8(other), &[]),
                _ => fail(
                    ErrorKind::Syntax,
                    at,
                    m::OUTBOX_NOT_OBJECT,
                    &[("found", &describe_byte(other))],
                ),
            });
        }
        None => return Err(fail(ErrorKind::Syntax, 0, m::OUTBOX_EMPTY, &[])),
    }
    let posts_at_start = account.posts.len();
    // A read that fails outside an item (damaged compressed data, a file cut short after the
    // items) keeps the posts read before it, as one inside an item does (see `read_items`).
    macro_rules! or_stop {
        ($read:expr, $at:expr) => {
            match $read {
                Ok(read) => read,
                Err(e) => return finish_failed(account, posts_at_start, entry, $at, e, report),
            }
        };
    }
    let mut seen_items_key = false;
    loop {
        let at = scanner.offset();
        match or_stop!(scanner.peek(), at) {
            Some(b'}') => break,
            Some(b',') => {
                scanner.advance(1);
                continue;
            }
            Some(b'"') => {}
            Some(0) => return Err(fail(ErrorKind::Syntax, at, not_utf8(0), &[])),
            Some(other) => {
                return Err(fail(
                    ErrorKind::Syntax,
                    at,
                    m::OUTBOX_NOT_KEY,
                    &[("found", &describe_byte(other))],
                ))
            }
            None => return finish_truncated(account, posts_at_start, entry, at, report),
        }
        let key = match scanner.value() {
            Ok(Some(raw)) => serde_json::from_slice::<Cow<str>>(raw)
                .map(Cow::into_owned)
                .unwrap_or_default(),
            Ok(None) => return finish_truncated(account, posts_at_start, entry, at, report),
            Err(e) => return finish_failed(account, posts_at_start, entry, at, e, report),
        };
        match or_stop!(scanner.peek(), at) {
            Some(b':') => scanner.advance(1),
            None => return finish_truncated(account, posts_at_start, entry, at, report),
            Some(other) => {
                return Err(fail(
                    ErrorKind::Syntax,
                    scanner.offset(),
                    m::OUTBOX_NOT_COLON,
                    &[("key", &key), ("found", &describe_byte(other))],
                ))
            }
        }
        let value_at = scanner.offset();
        if key == "orderedItems" && or_stop!(scanner.peek(), value_at) == Some(b'[') {
            if seen_items_key {
                // The last occurrence wins, as in JSON.parse (4.2.10 writes `"orderedItems":[]` first).
                // An empty first list (4.2.10) loses nothing: a note, not a "duplicate" that reads
                // like a problem with "0 items dropped".
                let dropped = account.posts.len() - posts_at_start;
                account.posts.truncate(posts_at_start);
                let (kind, message) = if dropped == 0 {
                    (DiagnosticKind::Note, m::DIAG_EMPTY_ITEMS_FIRST.message())
                } else {
                    (
                        DiagnosticKind::Duplicate,
                        m::DIAG_DUPLICATE_ITEMS.with(&[("dropped", &dropped)]),
                    )
                };
                account.diagnostics.push(Diagnostic::coded(
                    kind,
                    m::PLACE_AT.with(&[("file", &entry), ("byte", &value_at)]),
                    message,
                ));
            }
            seen_items_key = true;
            scanner.advance(1);
            match read_items(&mut scanner, entry, account, &mut report, progress)? {
                Some(true) => continue,
                Some(false) => {
                    return finish_truncated(
                        account,
                        posts_at_start,
                        entry,
                        scanner.offset(),
                        report,
                    )
                }
                None => {
                    report.bytes = scanner.offset();
                    return Ok(report);
                }
            }
        }
        match scanner.value() {
            Ok(Some(raw)) => {
                if key == "totalItems" {
                    report.declared_total = serde_json::from_slice::<u64>(raw).ok();
                    if let (Some(total), Some(size)) = (report.declared_total, size) {
                        // Up to ~4.5 it is a cached counter that leaves out direct messages and
                        // drifts (190 declared for 216 items, 1557 for 1586): an eighth more.
                        let fits = size / MIN_ITEM_BYTES;
                        let more = total
                            .saturating_add(total / 8)
                            .min(fits)
                            .saturating_sub(account.posts.len() as u64);
                        // A hint, so `try_`: a size and a total that both lie must not abort.
                        let more = usize::try_from(more).unwrap_or(0);
                        let _ = account.posts.try_reserve_exact(more);
                    }
                }
            }
            Ok(None) => return finish_truncated(account, posts_at_start, entry, value_at, report),
            Err(e) => return finish_failed(account, posts_at_start, entry, value_at, e, report),
        }
    }
    report.bytes = scanner.offset();
    if !seen_items_key {
        return Err(fail(ErrorKind::NoItems, 0, m::OUTBOX_NO_ITEMS, &[]));
    }
    if report.items > 0 && account.posts.len() == posts_at_start {
        let first = account
            .diagnostics
            .iter()
            .find(|d| {
                matches!(
                    d.kind,
                    DiagnosticKind::BadItem | DiagnosticKind::UnsupportedItem
                )
            })
            .cloned();
        let error = Error::new(ErrorKind::NoPosts, entry);
        return Err(match first {
            Some(d) => error
                .with_template(
                    m::OUTBOX_NO_POSTS_FIRST,
                    &[
                        ("items", &report.items),
                        ("place", &d.location),
                        ("why", &d.message),
                    ],
                )
                .nest("place", &d.place)
                .nest("why", &d.detail),
            None => error.with_template(m::OUTBOX_NO_POSTS, &[("items", &report.items)]),
        });
    }
    // A declared total far above what was read (it drifts; or a lie) leaves unused room: give
    // it back, at the cost of one copy.
    if account.posts.capacity() > account.posts.len() + account.posts.len() / 8 + 64 {
        account.posts.shrink_to_fit();
    }
    if let Some(total) = report.declared_total {
        if total != report.items {
            account.diagnostics.push(Diagnostic::coded(
                DiagnosticKind::Note,
                m::PLACE_FILE.with(&[("file", &entry)]),
                m::DIAG_TOTAL_ITEMS.with(&[("total", &total), ("items", &report.items)]),
            ));
        }
    }
    Ok(report)
}

/// The end of a reading whose source failed at `at`, outside an item (see [`stopped`]).
fn finish_failed(
    account: &mut Account,
    posts_at_start: usize,
    entry: &str,
    at: u64,
    e: io::Error,
    mut report: OutboxReport,
) -> Result<OutboxReport, Error> {
    report.bytes = at;
    stopped(account, posts_at_start, entry, at, e)?;
    Ok(report)
}

/// The source failed at `at` (damaged compressed data, a size limit, a file cut short): the
/// posts read since `posts_at_start` are kept, with a note saying where and why it stopped;
/// with none, the reading fails.
fn stopped(
    account: &mut Account,
    posts_at_start: usize,
    entry: &str,
    at: u64,
    e: io::Error,
) -> Result<(), Error> {
    let kept = account.posts.len() - posts_at_start;
    if kept == 0 {
        return Err(io_error(entry, at, e));
    }
    account.diagnostics.push(Diagnostic::coded(
        DiagnosticKind::Truncated,
        m::PLACE_AT.with(&[("file", &entry), ("byte", &at)]),
        m::DIAG_STOPPED.with(&[("byte", &at), ("detail", &e), ("kept", &kept)]),
    ));
    Ok(())
}

/// The error of a read of `entry` that failed at `at`.
fn io_error(entry: &str, at: u64, e: io::Error) -> Error {
    Error::new(ErrorKind::Io, entry)
        .at(at)
        .with_template(m::OUTBOX_IO, &[("detail", &e)])
}

fn finish_truncated(
    account: &mut Account,
    posts_at_start: usize,
    entry: &str,
    at: u64,
    mut report: OutboxReport,
) -> Result<OutboxReport, Error> {
    report.bytes = at;
    let kept = account.posts.len() - posts_at_start;
    if kept == 0 {
        return Err(Error::new(ErrorKind::Truncated, entry)
            .at(at)
            .with_template(m::OUTBOX_ENDS_EARLY, &[]));
    }
    account.diagnostics.push(Diagnostic::coded(
        DiagnosticKind::Truncated,
        m::PLACE_AT.with(&[("file", &entry), ("byte", &at)]),
        m::DIAG_CUT_OFF.with(&[("byte", &at), ("kept", &kept)]),
    ));
    Ok(report)
}

/// What to say about a file that starts like UTF-16 or UTF-32 text (a byte-order mark `FF FE` or
/// `FE FF`, or zero bytes between the characters) instead of the UTF-8 Mastodon writes.
/// Where an item of outbox.json is: its number from 1 and its byte offset.
fn item_place(entry: &str, item: u64, at: u64) -> Message {
    m::PLACE_ITEM.with(&[("file", &entry), ("item", &item), ("byte", &at)])
}

fn not_utf8(first: u8) -> Template {
    if first == 0 {
        m::OUTBOX_ZERO_BYTES
    } else {
        m::OUTBOX_UTF16
    }
}

fn describe_byte(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("'{}'", b as char)
    } else {
        format!("byte 0x{b:02x}")
    }
}

/// Reads array elements until `]`. Returns false when the input ended first.
/// Returns `Some(true)` at the closing `]`, `Some(false)` when the input ended first, `None` when
/// reading failed after some posts (a diagnostic says so).
fn read_items<R: Read>(
    scanner: &mut Scanner<R>,
    entry: &str,
    account: &mut Account,
    report: &mut OutboxReport,
    progress: &mut dyn FnMut(u64, &Account),
) -> Result<Option<bool>, Error> {
    loop {
        let at = scanner.offset();
        // The source failing mid-way (between items here, or inside one below) keeps what was
        // read before, unless that is nothing.
        let peeked = match scanner.peek() {
            Ok(peeked) => peeked,
            Err(e) => return stopped(account, 0, entry, at, e).map(|()| None),
        };
        match peeked {
            None => return Ok(Some(false)),
            Some(b']') => {
                scanner.advance(1);
                return Ok(Some(true));
            }
            Some(b',') => {
                scanner.advance(1);
                continue;
            }
            Some(_) => {}
        }
        // The item starts here, after any whitespace `peek` skipped (the raw JSON view and
        // exports cut the item's text out at this offset).
        let at = scanner.offset();
        let index = report.items;
        report.items += 1;
        // Most items are read where they lie in the buffer, by one pass of serde_json that also
        // finds where they end. The rest (an item the buffer holds only part of, bytes that are
        // not UTF-8, JSON the typed reader refuses, an element that is not an object) are cut
        // out first and read as `add_item` reads them, with the same messages.
        let read = match scanner.item_in_place(at, account) {
            Some(read) => read,
            None => match scanner.value() {
                Ok(Some(raw)) => add_item(raw, at, account),
                Ok(None) => return Ok(Some(false)),
                Err(e) if e.kind() == io::ErrorKind::OutOfMemory => {
                    account.diagnostics.push(Diagnostic::coded(
                        DiagnosticKind::BadItem,
                        item_place(entry, index + 1, at),
                        m::ITEM_READ_FAILED.with(&[("detail", &e)]),
                    ));
                    return Ok(Some(false));
                }
                Err(e) => return stopped(account, 0, entry, at, e).map(|()| None),
            },
        };
        let (kind, message) = match read {
            Ok(None) => (None, Message::default()),
            Ok(Some(warning)) => (Some(DiagnosticKind::BadValue), warning),
            Err(message) if message.code == m::ITEM_UNSUPPORTED.code => {
                (Some(DiagnosticKind::UnsupportedItem), message)
            }
            Err(message) => (Some(DiagnosticKind::BadItem), message),
        };
        if let Some(kind) = kind {
            account
                .diagnostics
                .push_with(kind, || (item_place(entry, index + 1, at), message));
        }
        // Early once, for the page to show the first posts while the rest is read (at 2048
        // items, the first report came a third of a second after the drop at 100,000 posts
        // in Chromium); then now and then.
        if report.items == 32 || report.items.is_multiple_of(2048) {
            progress(scanner.offset(), account);
        }
    }
}

/// Cuts whole JSON values out of a byte stream without parsing them.
struct Scanner<R> {
    reader: R,
    /// The bytes read and not yet dropped are `buf[..len]`; the rest of `buf` is room, zeroed
    /// once (zeroing a megabyte at each read was as much work as copying all of outbox.json).
    buf: Vec<u8>,
    len: usize,
    /// Position of the next unread byte in `buf`.
    pos: usize,
    /// Stream offset of `buf[0]`.
    base: u64,
    eof: bool,
    /// A read that failed after some bytes had come: given at the next fill, so that the items
    /// whole before the failure are read first (an interrupted download's posts before its cut).
    failed: Option<io::Error>,
    chunk: usize,
    /// The length of the last value read, and a running average of the values' lengths, which
    /// bound where the next item is looked for (see [`Scanner::item_in_place`]).
    last_len: usize,
    typical_len: usize,
}

impl<R: Read> Scanner<R> {
    fn new(reader: R) -> Self {
        Scanner {
            reader,
            buf: Vec::new(),
            len: 0,
            pos: 0,
            base: 0,
            eof: false,
            failed: None,
            chunk: FIRST_CHUNK,
            last_len: 0,
            typical_len: 0,
        }
    }

    fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// The bytes read and not yet dropped.
    fn filled(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    fn advance(&mut self, n: usize) {
        self.pos += n;
    }

    /// Reads more input, first dropping consumed bytes. Returns the number of bytes the unread data
    /// moved left by, so callers can adjust positions; errors with `OutOfMemory` for a runaway value.
    fn fill(&mut self, keep_from: usize) -> io::Result<usize> {
        if let Some(failed) = self.failed.take() {
            return Err(failed);
        }
        let shift = keep_from;
        if shift > 0 {
            self.buf.copy_within(shift..self.len, 0);
            self.len -= shift;
            self.base += shift as u64;
            self.pos -= shift;
        }
        if self.len > MAX_ITEM {
            return Err(io::Error::new(
                io::ErrorKind::OutOfMemory,
                format!(
                    "an item is larger than {} MB: skipped with the rest of the file",
                    MAX_ITEM >> 20
                ),
            ));
        }
        let old = self.len;
        let chunk = self.chunk;
        self.chunk = (chunk * 2).min(CHUNK);
        if self.buf.len() < old + chunk {
            self.buf.resize(old + chunk, 0);
        }
        let mut filled = 0;
        while filled < chunk {
            match self.reader.read(&mut self.buf[old + filled..old + chunk]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if filled > 0 => {
                    self.failed = Some(e);
                    break;
                }
                Err(e) => {
                    self.len = old;
                    return Err(e);
                }
            }
        }
        self.len = old + filled;
        Ok(shift)
    }

    /// Skips whitespace (and a byte-order mark) and returns the next byte without consuming it.
    fn peek(&mut self) -> io::Result<Option<u8>> {
        loop {
            while let Some(&b) = self.filled().get(self.pos) {
                if b.is_ascii_whitespace() {
                    self.pos += 1;
                } else if b == 0xEF
                    && self.filled().get(self.pos + 1..self.pos + 3) == Some(&[0xBB, 0xBF])
                {
                    self.pos += 3;
                } else {
                    return Ok(Some(b));
                }
            }
            if self.eof {
                return Ok(None);
            }
            self.fill(self.pos)?;
        }
    }

    /// Returns the next whole value's bytes and consumes them; `None` when the input ends inside it.
    fn value(&mut self) -> io::Result<Option<&[u8]>> {
        let Some(first) = self.peek()? else {
            return Ok(None);
        };
        let mut state = ValueScan::new(first);
        let mut cursor = self.pos + 1;
        let end = loop {
            match state.scan(self.filled(), cursor) {
                Ok(end) => break end,
                Err(resume) => {
                    if self.eof {
                        if state.is_scalar() {
                            break self.len;
                        }
                        return Ok(None);
                    }
                    let shift = self.fill(self.pos)?;
                    cursor = resume - shift;
                }
            }
        };
        let start = self.pos;
        self.pos = end;
        self.note_len(end - start);
        Ok(Some(&self.buf[start..end]))
    }

    /// Notes the length of a value just read (see [`Scanner::item_in_place`]).
    fn note_len(&mut self, len: usize) {
        self.last_len = len;
        // Rounded down, so that it comes down to a few bytes' length too.
        self.typical_len = (self.typical_len.saturating_mul(7).saturating_add(len)) / 8;
    }

    /// Reads the item at the scanner's position into `account` where it lies in the buffer,
    /// and moves past it: serde_json's one pass over it both reads it and finds its end, where
    /// [`Scanner::value`] first walks it to find its end (a tenth of reading outbox.json,
    /// profiled). Gives what [`add_item`] would for it (`at` is its offset), or `None` when it
    /// cannot be read so: the buffer holds only part of it, its bytes are not all UTF-8, or the
    /// typed reader refuses it. Then nothing moved, and it is cut out and read as before.
    ///
    /// The item is looked for within three times the length of the last value or of a typical
    /// one, whichever is longer (a boost's few hundred bytes are often followed by a post of
    /// kilobytes), each byte of which is checked as UTF-8 first. Checking the rest of the
    /// buffer at each item would check each byte hundreds of times; a window of a fixed size
    /// would check a few bytes' item's window thousands of times over, in an outbox of millions
    /// of `{}`. So each byte is checked a few times at most, whatever the items.
    fn item_in_place(
        &mut self,
        at: u64,
        account: &mut Account,
    ) -> Option<Result<Option<Message>, Message>> {
        #[cfg(any(test, fuzzing))]
        if CUT_OUT_ONLY.get() {
            return None;
        }
        let rest = self.filled().get(self.pos..)?;
        let mut end = rest
            .len()
            .min(self.last_len.max(self.typical_len).saturating_mul(3));
        // Not in the middle of a character: back to the start of the one the window cuts.
        while end > 0 && end < rest.len() && rest.get(end).is_some_and(|&b| b & 0xC0 == 0x80) {
            end -= 1;
        }
        #[cfg(test)]
        tests::CHECKED.set(tests::CHECKED.get() + end as u64);
        let text = simdutf8::compat::from_utf8(rest.get(..end)?).ok()?;
        let (item, len) = parse_item(text).ok()?;
        let read = convert_item(&item, len, at, account);
        self.pos += len;
        self.note_len(len);
        #[cfg(test)]
        tests::IN_PLACE.set(tests::IN_PLACE.get() + 1);
        Some(read)
    }
}

/// Where a value scan is: inside a string or not, and how deep.
struct ValueScan {
    open: u8,
    close: u8,
    depth: u32,
    in_string: bool,
    scalar: bool,
}

impl ValueScan {
    fn new(first: u8) -> Self {
        match first {
            b'{' => ValueScan {
                open: b'{',
                close: b'}',
                depth: 1,
                in_string: false,
                scalar: false,
            },
            b'[' => ValueScan {
                open: b'[',
                close: b']',
                depth: 1,
                in_string: false,
                scalar: false,
            },
            b'"' => ValueScan {
                open: 0,
                close: 0,
                depth: 0,
                in_string: true,
                scalar: false,
            },
            _ => ValueScan {
                open: 0,
                close: 0,
                depth: 0,
                in_string: false,
                scalar: true,
            },
        }
    }

    fn is_scalar(&self) -> bool {
        self.scalar
    }

    /// Scans `buf` from `i`. `Ok(end)` is one past the value; `Err(i)` asks for more input and
    /// where to resume. Brackets of the other kind need no tracking: in valid JSON they balance, and
    /// invalid JSON is caught when the cut-out value is parsed.
    fn scan(&mut self, buf: &[u8], mut i: usize) -> Result<usize, usize> {
        if self.scalar {
            while let Some(&b) = buf.get(i) {
                if matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace() {
                    return Ok(i);
                }
                i += 1;
            }
            return Err(i);
        }
        loop {
            if self.in_string {
                match memchr::memchr2(b'"', b'\\', &buf[i.min(buf.len())..]) {
                    Some(p) => {
                        let at = i + p;
                        if buf[at] == b'\\' {
                            if at + 1 >= buf.len() {
                                return Err(at);
                            }
                            i = at + 2;
                            continue;
                        }
                        self.in_string = false;
                        i = at + 1;
                        if self.depth == 0 {
                            return Ok(i);
                        }
                    }
                    None => return Err(buf.len()),
                }
            } else {
                match memchr::memchr3(b'"', self.open, self.close, &buf[i.min(buf.len())..]) {
                    Some(p) => {
                        let at = i + p;
                        let b = buf[at];
                        i = at + 1;
                        if b == b'"' {
                            self.in_string = true;
                        } else if b == self.open {
                            self.depth += 1;
                        } else {
                            self.depth -= 1;
                            if self.depth == 0 {
                                return Ok(i);
                            }
                        }
                    }
                    None => return Err(buf.len()),
                }
            }
        }
    }
}

// ----- the item shapes -----

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawItem<'a> {
    #[serde(borrow)]
    id: LStr<'a>,
    #[serde(rename = "type", borrow)]
    kind: LStr<'a>,
    #[serde(borrow)]
    actor: LStr<'a>,
    #[serde(borrow)]
    published: LStr<'a>,
    #[serde(borrow)]
    to: Many<LStr<'a>>,
    #[serde(borrow)]
    cc: Many<LStr<'a>>,
    #[serde(borrow)]
    object: ObjectField<'a>,
}

/// An activity's `object`: a URI, or an embedded Note.
#[derive(Default)]
enum ObjectField<'a> {
    #[default]
    Missing,
    Uri(Cow<'a, str>),
    Note(Box<RawNote<'a>>),
}

impl<'de: 'a, 'a> Deserialize<'de> for ObjectField<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = ObjectField<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a URI or an object")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(ObjectField::Uri(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(ObjectField::Uri(Cow::Owned(v.to_owned())))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                RawNote::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|n| ObjectField::Note(Box::new(n)))
            }
            other_shapes!(ObjectField::Missing; seq, unit, u64, i64, f64, bool);
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawNote<'a> {
    #[serde(borrow)]
    id: LStr<'a>,
    #[serde(rename = "type", borrow)]
    kind: LStr<'a>,
    #[serde(borrow)]
    summary: LStr<'a>,
    #[serde(borrow)]
    content: LStr<'a>,
    #[serde(rename = "contentMap", borrow)]
    content_map: FirstEntry<'a>,
    #[serde(rename = "inReplyTo", borrow)]
    in_reply_to: LStr<'a>,
    #[serde(borrow)]
    published: LStr<'a>,
    #[serde(borrow)]
    updated: LStr<'a>,
    #[serde(borrow)]
    url: Many<LStr<'a>>,
    #[serde(rename = "attributedTo", borrow)]
    attributed_to: LStr<'a>,
    #[serde(borrow)]
    to: Many<LStr<'a>>,
    #[serde(borrow)]
    cc: Many<LStr<'a>>,
    sensitive: LBool,
    #[serde(borrow)]
    attachment: Many<Obj<RawAttachment<'a>>>,
    #[serde(borrow)]
    tag: Many<Obj<RawTag<'a>>>,
    #[serde(rename = "oneOf", borrow)]
    one_of: Many<Obj<RawOption<'a>>>,
    #[serde(rename = "anyOf", borrow)]
    any_of: Many<Obj<RawOption<'a>>>,
    #[serde(rename = "endTime", borrow)]
    end_time: LStr<'a>,
    #[serde(borrow)]
    closed: LStr<'a>,
    #[serde(rename = "votersCount")]
    voters_count: LNum,
    likes: Count,
    shares: Count,
    #[serde(borrow)]
    quote: LStr<'a>,
    #[serde(rename = "quoteUri", borrow)]
    quote_uri: LStr<'a>,
    #[serde(rename = "quoteUrl", borrow)]
    quote_url: LStr<'a>,
    #[serde(rename = "_misskey_quote", borrow)]
    misskey_quote: LStr<'a>,
    #[serde(rename = "directMessage")]
    direct_message: LBool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawAttachment<'a> {
    #[serde(rename = "mediaType", borrow)]
    media_type: LStr<'a>,
    #[serde(borrow)]
    url: Many<LStr<'a>>,
    #[serde(borrow)]
    name: LStr<'a>,
    #[serde(borrow)]
    blurhash: LStr<'a>,
    #[serde(rename = "focalPoint")]
    focal_point: Many<LNum>,
    width: LNum,
    height: LNum,
    #[serde(borrow)]
    duration: LStr<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawTag<'a> {
    #[serde(rename = "type", borrow)]
    kind: LStr<'a>,
    #[serde(borrow)]
    name: LStr<'a>,
    #[serde(borrow)]
    href: LStr<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawOption<'a> {
    #[serde(borrow)]
    name: LStr<'a>,
    replies: Count,
}

const PUBLIC: [&str; 3] = [
    "https://www.w3.org/ns/activitystreams#Public",
    "as:Public",
    "Public",
];

fn is_public(uri: &str) -> bool {
    PUBLIC.contains(&uri)
}

/// Reads one item into `account`. `Err` when it is skipped; `Ok(Some(warning))` when it was read
/// but something in it could not be (an impossible date, bytes that are not UTF-8).
fn add_item(raw: &[u8], offset: u64, account: &mut Account) -> Result<Option<Message>, Message> {
    // The item's bytes are checked as UTF-8 once, with SIMD, and then parsed as text: parsing
    // bytes, serde_json checks each string on its own, which was a tenth of the parse natively.
    // Bytes that are not UTF-8 (a damaged file, a server that wrote Latin-1) become U+FFFD and
    // the post is kept, said in a warning: a whole post is not lost to one bad byte.
    let (text, replaced) = match simdutf8::compat::from_utf8(raw) {
        Ok(text) => (Cow::Borrowed(text), None),
        Err(e) => (String::from_utf8_lossy(raw), Some(e.valid_up_to())),
    };
    let read = match parse_item(&text).map(|(item, _)| item) {
        Ok(item) => convert_item(&item, raw.len(), offset, account),
        Err(first) => {
            // Duplicate keys (or other quirks the typed reader rejects) are settled by a generic tree,
            // where the last duplicate wins; only such items pay for it.
            // Written out again from the tree, the text has no duplicate left, and is read as
            // any other (`RawItem` keeps some values as their raw text, which a tree cannot lend).
            let value: serde_json::Value = serde_json::from_slice(text.as_bytes())
                .map_err(|e| m::ITEM_NOT_JSON.with(&[("detail", &e)]))?;
            let settled = serde_json::to_string(&value)
                .map_err(|e| m::ITEM_NOT_JSON.with(&[("detail", &e)]))?;
            let (item, _) = parse_item(&settled)
                .map_err(|_| m::ITEM_NOT_ACTIVITY.with(&[("detail", &first)]))?;
            convert_item(&item, raw.len(), offset, account)
        }
    }?;
    Ok(read.or_else(|| replaced.map(|at| m::ITEM_NOT_UTF8.with(&[("at", &at)]))))
}

/// The item at the start of `text`, and its length in bytes (what follows it is not looked at).
/// The one way items are parsed, so that the large code serde makes for [`RawItem`] is made
/// once (made for `serde_json::from_str` too, the worker's bundle was 16 KB gzip larger).
fn parse_item(text: &str) -> Result<(RawItem<'_>, usize), serde_json::Error> {
    let mut items = serde_json::Deserializer::from_str(text).into_iter::<RawItem>();
    match items.next() {
        Some(Ok(item)) => Ok((item, items.byte_offset())),
        Some(Err(e)) => Err(e),
        None => Err(serde::de::Error::custom("no item")),
    }
}

fn convert_item(
    item: &RawItem<'_>,
    len: usize,
    offset: u64,
    account: &mut Account,
) -> Result<Option<Message>, Message> {
    let kind = item.kind.as_deref().unwrap_or("");
    let source_len = u32::try_from(len).unwrap_or(u32::MAX);
    let actor = item.actor.non_blank();
    let post = match (kind, &item.object) {
        ("Create", ObjectField::Note(note)) => {
            let mut post = convert_note(note, actor, account);
            if post.id.is_empty() {
                post.id = item
                    .id
                    .non_blank()
                    .map(|id| id.trim_end_matches("/activity"))
                    .unwrap_or("")
                    .into();
            }
            if post.published.is_none() {
                post.published = item.published.non_blank().and_then(parse_rfc3339);
            }
            post
        }
        ("Create", _) => return Err(m::ITEM_CREATE_WITHOUT_POST.message()),
        ("Announce", object) => {
            let to: Vec<&str> = item.to.0.iter().filter_map(LStr::non_blank).collect();
            let cc: Vec<&str> = item.cc.0.iter().filter_map(LStr::non_blank).collect();
            let mut post = match object {
                ObjectField::Note(note) => {
                    // A self-boost of a followers-only post embeds the whole post (§5.2).
                    let mut post = convert_note(note, actor, account);
                    post.boost_of = Some(post.id.clone());
                    post.boosted_account = note
                        .attributed_to
                        .non_blank()
                        .map(|a| account.strings.intern(a));
                    post
                }
                ObjectField::Uri(uri) => {
                    let followers = account.followers_uri(actor);
                    let boosted = cc.first().filter(|c| {
                        !is_public(c)
                            && Some(**c) != followers.as_deref()
                            && !c.ends_with("/followers")
                    });
                    Post {
                        boost_of: Some(uri.trim().into()),
                        boosted_account: boosted.map(|b| account.strings.intern(b)),
                        ..empty_post()
                    }
                }
                ObjectField::Missing => return Err(m::ITEM_ANNOUNCE_WITHOUT_URI.message()),
            };
            post.kind = PostKind::Boost;
            post.id = item.id.non_blank().unwrap_or("").into();
            post.published = item
                .published
                .non_blank()
                .and_then(parse_rfc3339)
                .or(post.published);
            let (visibility, audience) = settle_visibility(&to, &cc, actor, None, account);
            post.visibility = visibility;
            post.audience = audience;
            post
        }
        ("", _) => return Err(m::ITEM_NO_TYPE.message()),
        (other, _) => return Err(m::ITEM_UNSUPPORTED.with(&[("type", &other)])),
    };
    let mut post = post;
    post.source_offset = offset;
    post.source_len = source_len;
    // A date that is written but impossible (February 30, an offset of -99:99) is left out,
    // and said: the post stays.
    let warning = post.published.is_none().then(|| {
        let written = match &item.object {
            ObjectField::Note(note) => note.published.non_blank(),
            _ => None,
        };
        written
            .or(item.published.non_blank())
            .map(|date| m::ITEM_BAD_DATE.with(&[("date", &date)]))
    });
    account.posts.push(post);
    Ok(warning.flatten())
}

fn empty_post() -> Post {
    Post {
        id: "".into(),
        kind: PostKind::Original,
        url: None,
        published: None,
        updated: None,
        visibility: Visibility::Public,
        in_reply_to: None,
        boost_of: None,
        boosted_account: None,
        quote_of: None,
        content_warning: None,
        content: Default::default(),
        language: None,
        sensitive: false,
        attachments: Vec::new(),
        poll: None,
        hashtags: Vec::new(),
        mentions: Vec::new(),
        emojis: Vec::new(),
        likes: None,
        shares: None,
        audience: None,
        source_offset: 0,
        source_len: 0,
    }
}

/// Visibility from the audience (§5.3), or glitch-soc's `directMessage` flag when present.
/// `author`'s followers collection is worked out only for a post neither public nor unlisted
/// (most are, and making its URI allocated a string per post).
fn settle_visibility(
    to: &[&str],
    cc: &[&str],
    author: Option<&str>,
    direct_flag: Option<bool>,
    account: &mut Account,
) -> (Visibility, Option<Box<[Sym]>>) {
    if to.iter().any(|t| is_public(t)) {
        return (Visibility::Public, None);
    }
    if cc.iter().any(|c| is_public(c)) {
        return (Visibility::Unlisted, None);
    }
    if let Some(direct) = direct_flag {
        return (
            if direct {
                Visibility::Direct
            } else {
                Visibility::Private
            },
            None,
        );
    }
    let followers = account.followers_uri(author);
    let visibility = visibility_for_audience(to, followers.as_deref());
    let audience = to.iter().map(|t| account.strings.intern(t)).collect();
    (visibility, Some(audience))
}

/// Followers-only when the followers collection is addressed, direct otherwise. Never a bare
/// `ends_with("/followers")`: a direct message to a Group addresses the group's followers.
pub(crate) fn visibility_for_audience(to: &[&str], followers: Option<&str>) -> Visibility {
    match followers {
        Some(f) if to.contains(&f) => Visibility::Private,
        _ => Visibility::Direct,
    }
}

fn convert_note(note: &RawNote<'_>, actor: Option<&str>, account: &mut Account) -> Post {
    let id = note.id.non_blank().unwrap_or("");
    let from_map;
    let html_text = match note.content.as_deref() {
        Some(text) => text,
        None => {
            from_map = note.content_map.text();
            from_map.as_deref().unwrap_or("")
        }
    };
    let content = html::parse(html_text);
    let language = note
        .content_map
        .0
        .as_ref()
        .and_then(|(k, _)| lang::normalize(k))
        .map(|l| account.strings.intern(&l));
    let author = note.attributed_to.non_blank().or(actor);
    let to: Vec<&str> = note.to.0.iter().filter_map(LStr::non_blank).collect();
    let cc: Vec<&str> = note.cc.0.iter().filter_map(LStr::non_blank).collect();
    let (visibility, audience) =
        settle_visibility(&to, &cc, author, note.direct_message.0, account);
    let host = crate::actor::host_of(id).or_else(|| author.and_then(crate::actor::host_of));

    // Sets beside the lists keep this linear: a hostile post can carry 50,000 tags.
    let mut hashtags = Vec::new();
    let mut tag_seen: FxHashSet<Sym> = FxHashSet::default();
    let mut mentions = Vec::new();
    let mut mention_seen: FxHashSet<Sym> = FxHashSet::default();
    let mut emojis = Vec::new();
    for tag in note.tag.0.iter().filter_map(|t| t.0.as_ref()) {
        let Some(name) = tag.name.non_blank() else {
            continue;
        };
        match tag.kind.as_deref().unwrap_or("") {
            "Hashtag" => {
                let sym = account.strings.intern(name.trim_start_matches('#'));
                if tag_seen.insert(sym) {
                    hashtags.push(sym);
                }
            }
            "Mention" => {
                let mut acct = name.trim_start_matches('@').to_lowercase();
                if !acct.contains('@') {
                    if let Some(host) = &host {
                        acct = format!("{acct}@{host}");
                    }
                }
                let acct = account.strings.intern(&acct);
                if mention_seen.insert(acct) {
                    mentions.push(Mention {
                        acct,
                        href: tag.href.non_blank().map(Into::into),
                    });
                }
            }
            "Emoji" => emojis.push(account.strings.intern(name.trim_matches(':'))),
            _ => {}
        }
    }
    // Servers that send hashtags only in the text still get them indexed.
    let mut lower_seen: Option<FxHashSet<String>> = None;
    content.for_each_inline(&mut |inline| {
        if let Inline::Hashtag { name, .. } = inline {
            let seen = lower_seen.get_or_insert_with(|| {
                hashtags
                    .iter()
                    .map(|h| account.strings.resolve(*h).to_lowercase())
                    .collect()
            });
            if seen.insert(name.to_lowercase()) {
                hashtags.push(account.strings.intern(name));
            }
        }
    });

    let attachments = note
        .attachment
        .0
        .iter()
        .filter_map(|a| a.0.as_ref())
        .filter_map(|a| {
            let url = a.url.0.iter().find_map(LStr::non_blank)?;
            let media_type = a.media_type.non_blank();
            let focal = &a.focal_point.0;
            Some(Attachment {
                kind: MediaKind::classify(media_type, url),
                url: url.into(),
                media_type: media_type.map(|m| account.strings.intern(m)),
                alt: a.name.non_blank().map(Into::into),
                blurhash: a.blurhash.non_blank().map(Into::into),
                focal_point: match (
                    focal.first().and_then(|n| n.0),
                    focal.get(1).and_then(|n| n.0),
                ) {
                    (Some(x), Some(y)) => Some([x as f32, y as f32]),
                    _ => None,
                },
                width: a.width.as_u32(),
                height: a.height.as_u32(),
                duration: a
                    .duration
                    .non_blank()
                    .and_then(|d| parse_duration(d).or_else(|| d.parse().ok()))
                    .map(|d| d as f32),
                entry: None,
            })
        })
        .collect();

    let options = if note.one_of.0.is_empty() {
        &note.any_of.0
    } else {
        &note.one_of.0
    };
    let is_question = note.kind.as_deref() == Some("Question");
    let poll = (is_question || !options.is_empty()).then(|| Poll {
        multiple: note.one_of.0.is_empty() && !note.any_of.0.is_empty(),
        options: options
            .iter()
            .filter_map(|o| o.0.as_ref())
            .map(|o| PollOption {
                name: html::decode_entities(o.name.as_deref().unwrap_or("")).into(),
                votes: o.replies.0,
            })
            .collect(),
        end_time: note.end_time.non_blank().and_then(parse_rfc3339),
        closed: note.closed.non_blank().and_then(parse_rfc3339),
        voters: note.voters_count.as_u32(),
    });

    let published = note.published.non_blank().and_then(parse_rfc3339);
    // Some servers write `updated` on every post, equal to `published`: only a later date is an edit.
    let updated = note
        .updated
        .non_blank()
        .and_then(parse_rfc3339)
        .filter(|u| published.is_none_or(|p| *u > p));
    Post {
        id: id.into(),
        kind: PostKind::Original,
        url: note.url.0.iter().find_map(LStr::non_blank).map(Into::into),
        published,
        updated,
        visibility,
        in_reply_to: note.in_reply_to.non_blank().map(Into::into),
        quote_of: [
            &note.quote,
            &note.quote_uri,
            &note.misskey_quote,
            &note.quote_url,
        ]
        .into_iter()
        .find_map(LStr::non_blank)
        .map(Into::into),
        content_warning: note
            .summary
            .non_blank()
            .map(|s| html::decode_entities(s).into()),
        content,
        language,
        sensitive: note.sensitive.0.unwrap_or(false),
        attachments,
        poll,
        hashtags,
        mentions,
        emojis,
        likes: note.likes.0,
        shares: note.shares.0,
        audience,
        ..empty_post()
    }
}

impl Account {
    /// The followers collection URI: actor.json's when read, else `<author>/followers`.
    fn followers_uri(&self, author: Option<&str>) -> Option<String> {
        match self.actor.as_ref().and_then(|a| a.followers.clone()) {
            Some(f) => Some(f),
            None => author.map(|a| format!("{a}/followers")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        /// Items read in place.
        pub(super) static IN_PLACE: Cell<u64> = const { Cell::new(0) };
        /// Bytes checked as UTF-8 for reading items in place.
        pub(super) static CHECKED: Cell<u64> = const { Cell::new(0) };
    }

    fn note(n: usize, content: &str, extra: &str) -> String {
        format!(
            r#"{{"id":"https://ex.social/users/a/statuses/{n}/activity","type":"Create","actor":"https://ex.social/users/a","published":"2023-01-01T10:00:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],"object":{{"id":"https://ex.social/users/a/statuses/{n}","type":"Note","published":"2023-01-01T10:00:00Z","content":"<p>{content}</p>"{extra}}}}}"#
        )
    }

    /// What reading `json` gives (in pieces of `piece` bytes), as text to compare, and how many
    /// items were read in place.
    fn read(json: &[u8], piece: usize, cut_out_only: bool) -> (String, u64) {
        /// A reader giving at most `piece` bytes a read.
        struct Pieces<'a>(&'a [u8], usize);
        impl Read for Pieces<'_> {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        IN_PLACE.set(0);
        let mut account = Account::default();
        let read = if cut_out_only {
            read_outbox_cut_out
        } else {
            read_outbox
        };
        let report = read(
            Pieces(json, piece),
            "outbox.json",
            &mut account,
            &mut |_, _| {},
        )
        .expect("readable");
        let posts: Vec<String> = account.posts.iter().map(|p| format!("{p:?}")).collect();
        let diagnostics: Vec<String> = account
            .diagnostics
            .iter()
            .map(|d| format!("{d:?}"))
            .collect();
        (
            format!("{posts:#?}\n{diagnostics:#?}\n{}", report.items),
            IN_PLACE.get(),
        )
    }

    /// Items read where they lie in the buffer give what they gave cut out first, whatever
    /// cuts them: items of every size (past the window, past a read), characters of several
    /// bytes across the window's end, and items only the cutting path reads (bytes that are not
    /// UTF-8, duplicate keys, broken JSON, an element that is not an object, a boost).
    #[test]
    fn items_read_in_place_are_read_as_cut_out() {
        let mut items = Vec::new();
        for n in 0..3000usize {
            let content = match n % 7 {
                // Japanese text: three bytes a character, so windows end inside characters.
                0 => "コーヒーを飲みました".repeat(n % 50 + 1),
                // Far larger than the last item: past the window.
                1 if n % 11 == 0 => "long words ".repeat(2000 + n),
                2 => format!("émoji 🎉 {}", "ü".repeat(n % 97)),
                _ => format!("post {n} {}", "x".repeat(n % 300)),
            };
            let extra = if n % 13 == 0 {
                r#","summary":"cw","sensitive":true"#
            } else {
                ""
            };
            items.push(note(n, &content, extra));
        }
        items[10] = items[10].replace(r#""type":"Note""#, r#""type":"Note","type":"Note""#);
        items[20] = items[20].replacen(r#""type":"Create","#, r#""type":"Create",,"#, 1);
        items[30] = r#""https://ex.social/users/a/statuses/30/activity""#.to_string();
        items[40] = r#"{"id":"https://ex.social/users/a/statuses/40/activity","type":"Announce","actor":"https://ex.social/users/a","published":"2023-01-01T10:00:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],"object":"https://other.example/notes/1"}"#.to_string();
        items[50] = r#"{"type":"Like","object":"https://other.example/1"}"#.to_string();
        let mut json = format!(r#"{{"orderedItems":[{}]}}"#, items.join(",\n")).into_bytes();
        // A Latin-1 byte in one post.
        let at = json
            .windows(8)
            .position(|w| w == b"post 60 ")
            .expect("post 60");
        json[at + 5] = 0xE9;

        for piece in [usize::MAX, 4093, 100] {
            let (in_place, read_so) = read(&json, piece, false);
            let (cut_out, none) = read(&json, piece, true);
            assert_eq!(none, 0);
            assert!(read_so > 2500, "{read_so} of 3,000 items read in place");
            assert_eq!(in_place, cut_out, "pieces of {piece} bytes");
        }
        let (both, _) = read(&json, usize::MAX, false);
        assert!(both.contains("post 60"), "the Latin-1 post is kept");
        assert!(both.contains("BadItem"), "the broken item is said");
    }

    /// However the items' sizes go, each byte is checked as UTF-8 only a few times for reading
    /// items in place: millions of tiny items, or tiny ones after a huge one, cost no more
    /// than their size.
    #[test]
    fn bytes_are_checked_a_few_times_whatever_the_items() {
        let mut tiny = vec!["{}".to_string(); 200_000];
        tiny[0] = note(0, "the one post", "");
        let huge = note(1, &"word ".repeat(200_000), "");
        let mut mixed = Vec::new();
        for n in 0..50 {
            mixed.push(huge.clone());
            mixed.extend((0..2000).map(|i| note(n * 2000 + i, "hi", "")));
            mixed.extend(tiny.iter().take(5000).cloned());
        }
        for items in [tiny, mixed] {
            let json = format!(r#"{{"orderedItems":[{}]}}"#, items.join(","));
            CHECKED.set(0);
            let mut account = Account::default();
            read_outbox(json.as_bytes(), "outbox.json", &mut account, &mut |_, _| {})
                .expect("readable");
            let checked = CHECKED.get();
            let size = json.len() as u64;
            assert!(checked <= 4 * size, "{checked} bytes checked of {size}");
        }
    }
}
