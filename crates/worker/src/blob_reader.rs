//! [`BlobReader`]: `Read + Seek` over a browser `Blob` (a `File` is a `Blob`), by byte range.
//!
//! Each read takes a `Blob.slice()` and reads it with `FileReaderSync` (available in workers
//! only), through a read-ahead buffer: the archive readers ask for small pieces (headers, a few
//! KB of JSON at a time), and one slice per piece would be slow. Memory stays at one buffer per
//! reader, whatever the size of the file: a 20 GB archive is never read whole.

use std::io::{self, Read, Seek, SeekFrom};
use web_sys::{Blob, FileReaderSync};

/// Bytes read ahead per slice at most, once reading is sequential. Each slice costs a round trip
/// to the browser process besides its bytes: reading a 92 MB archive in a worker (Chromium 156,
/// this 2-core machine) took 180–365 ms in 2 MB slices, 120–230 ms in 4 MB and 120–200 ms in 8
/// or 16 MB ones.
const DEFAULT_CHUNK: usize = 8 << 20;

/// Bytes read ahead by the first slice after a seek, doubled by each slice that follows on from
/// the one before, up to the chunk. Much of what is read at a new place is small (a file's magic
/// bytes, a ZIP's central directory, one media file, a CSV), and each 2 MB slice cost its whole
/// size in copies: opening a 10,000-post archive read 7 MB of a 92 MB file.
const FIRST_READ_AHEAD: usize = 64 << 10;

/// Reads a `Blob` by byte range.
pub struct BlobReader {
    blob: Blob,
    reader: FileReaderSync,
    size: u64,
    pos: u64,
    buf: Vec<u8>,
    buf_start: u64,
    chunk: usize,
    /// How much the next slice reads ahead.
    ahead: usize,
    /// How much the first slice after a seek reads ahead.
    first_ahead: usize,
    /// Where the last slice read ended: a slice from there follows on.
    last_end: u64,
    /// Slices read so far.
    slices: u64,
}

impl BlobReader {
    /// A reader at the start of `blob`. Fails outside a worker (no `FileReaderSync`).
    pub fn new(blob: Blob) -> io::Result<BlobReader> {
        BlobReader::with_chunk(blob, DEFAULT_CHUNK)
    }

    /// A reader of a stretch of `blob` read from start to end, a whole `chunk` at a time from
    /// its first read (the helper inflating outbox.json: a slice is a round trip to the browser
    /// process, a few milliseconds each, and small first ones only add round trips there).
    pub fn sequential(blob: Blob, chunk: usize) -> io::Result<BlobReader> {
        let mut reader = BlobReader::new(blob)?;
        reader.chunk = chunk.max(1);
        reader.first_ahead = reader.chunk;
        reader.ahead = reader.chunk;
        Ok(reader)
    }

    /// A reader reading ahead `chunk` bytes at a time.
    pub fn with_chunk(blob: Blob, chunk: usize) -> io::Result<BlobReader> {
        let reader = FileReaderSync::new().map_err(js_error)?;
        Ok(BlobReader {
            size: blob.size() as u64,
            blob,
            reader,
            pos: 0,
            buf: Vec::new(),
            buf_start: 0,
            chunk: chunk.max(1),
            ahead: FIRST_READ_AHEAD.min(chunk.max(1)),
            first_ahead: FIRST_READ_AHEAD.min(chunk.max(1)),
            last_end: 0,
            slices: 0,
        })
    }

    /// The size of the blob in bytes.
    pub fn len(&self) -> u64 {
        self.size
    }

    /// How many slices of the blob were read so far.
    pub fn slices(&self) -> u64 {
        self.slices
    }

    /// True for an empty blob.
    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    /// How far a slice from `start` reads ahead: further when it follows on from the last one,
    /// a little again after a seek.
    fn read_ahead_at(&mut self, start: u64) -> usize {
        self.ahead = if start == self.last_end && self.slices > 0 {
            self.ahead.saturating_mul(2).min(self.chunk)
        } else {
            self.first_ahead
        };
        self.ahead
    }

    /// Copies `start..end` of the blob into `out` (which is exactly that long).
    fn read_range(&mut self, start: u64, out: &mut [u8]) -> io::Result<()> {
        self.slices += 1;
        self.last_end = start + out.len() as u64;
        let end = start + out.len() as u64;
        let slice = self
            .blob
            .slice_with_f64_and_f64(start as f64, end as f64)
            .map_err(js_error)?;
        let buffer = self.reader.read_as_array_buffer(&slice).map_err(js_error)?;
        let array = js_sys::Uint8Array::new(&buffer);
        if array.length() as usize != out.len() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file changed or could not be read while it was open; choose it again",
            ));
        }
        array.copy_to(out);
        Ok(())
    }
}

impl Read for BlobReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() || self.pos >= self.size {
            return Ok(0);
        }
        let available = (self.size - self.pos).min(out.len() as u64) as usize;
        let buf_end = self.buf_start + self.buf.len() as u64;
        if self.pos >= self.buf_start && self.pos < buf_end {
            let from = (self.pos - self.buf_start) as usize;
            let n = available.min(self.buf.len() - from);
            out[..n].copy_from_slice(&self.buf[from..from + n]);
            self.pos += n as u64;
            return Ok(n);
        }
        let ahead = self.read_ahead_at(self.pos);
        if available >= ahead {
            // A large read goes straight into the caller's buffer.
            self.read_range(self.pos, &mut out[..available])?;
            self.pos += available as u64;
            return Ok(available);
        }
        let len = (self.size - self.pos).min(ahead as u64) as usize;
        let mut buf = std::mem::take(&mut self.buf);
        buf.resize(len, 0);
        if let Err(e) = self.read_range(self.pos, &mut buf) {
            buf.clear();
            self.buf = buf;
            return Err(e);
        }
        self.buf = buf;
        self.buf_start = self.pos;
        out[..available].copy_from_slice(&self.buf[..available]);
        self.pos += available as u64;
        Ok(available)
    }
}

impl Seek for BlobReader {
    fn seek(&mut self, from: SeekFrom) -> io::Result<u64> {
        let target = match from {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.size.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        // Seeking past the end is allowed (reads there return nothing), as with files.
        self.pos = target.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the file",
            )
        })?;
        Ok(self.pos)
    }
}

fn js_error(e: wasm_bindgen::JsValue) -> io::Error {
    // The browser refuses to read a file that changed, moved or was deleted on disk after it was
    // chosen (a `NotReadableError`): say that, and what to do, rather than its generic wording.
    let name = js_sys::Reflect::get(&e, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    if name.as_deref() == Some("NotReadableError") {
        return io::Error::other(
            "the file changed or was removed on disk after it was chosen, so the browser no longer reads it; choose it again",
        );
    }
    io::Error::other(permafrost_protocol::wire::describe(&e))
}
