//! gzip streams with random access, the way zlib's `zran` example does it.
//!
//! gzip cannot seek: a byte in the middle of the stream depends on everything before it. But a
//! deflate stream is a chain of blocks, and a block depends on the past only through the 32 KiB
//! window its back-references reach. So while a tar.gz is listed (which inflates it whole once
//! anyway), [`GzReader`] records an **access point** about every
//! [`Limits::access_point_spacing`] bytes of output: where a block starts in the file (a byte and
//! a bit, as blocks are not byte-aligned) and the window before it. Reading from there sets the
//! window as the inflater's dictionary and inflates raw deflate from that bit on, up to the end of
//! the gzip member; later members are read whole, as gzip.
//!
//! zlib-rs's safe [`Inflate`] stops at block boundaries ([`InflateFlush::Block`]) and takes a
//! dictionary, but it does not say how many bits of the last byte it took belong to the next
//! block (zlib's `data_type`), nor can it start mid-byte (`inflatePrime`); its C API can, but only
//! through `unsafe` calls, which this workspace forbids. So:
//!
//! - the bit is found by trial: the next block starts within a few bits before where the
//!   inflater stopped (it holds up to 8 bits it has not used); going back from there, the first
//!   position from which inflating reproduces the next [`VERIFY`] bytes of output is the access
//!   point. Several may: zero bits just before a block also read as an empty block or as the
//!   header of a stored block that pads to the same byte, so they lead to the same place. Where
//!   none does, the boundary is passed over and a later one tried;
//! - starting mid-byte is done with a [`prefix`] of empty deflate blocks as long as the bits to
//!   skip, modulo 8, so that the real data keeps its byte alignment (which stored blocks need).
//!
//! A read from an access point cannot check the gzip checksum, which covers the whole member: the
//! listing checked it, and such a read checks the entry's size only (and that the member ends
//! where the listing found its end). Damaged data there is reported as corrupt (or truncated) as
//! far as deflate itself can tell; a change that still inflates goes unnoticed.

use std::io::{self, Read, Seek, SeekFrom};

use zlib_rs::{Inflate, InflateError, InflateFlush, Status};

use crate::error::{Error, ErrorKind};
use crate::limits::Limits;

/// How far back a deflate back-reference reaches: the window an access point keeps.
const WINDOW: usize = 32 << 10;
/// How many bytes of output inflating from a candidate access point must reproduce for it to be
/// taken. A wrong bit position fails within a few bytes, as a rule; reproducing this many by
/// chance, through a different parse of the bits, is out of the question.
const VERIFY: usize = 32 << 10;
/// How many bit positions, back from where the inflater stopped at a block boundary, may be
/// where the next block starts.
const CANDIDATES: u64 = 16;
/// The input buffer of a reader.
const INPUT: usize = 64 << 10;
/// The output buffer of a reader: the window kept for access points, and room to inflate into.
const OUTPUT: usize = WINDOW + (128 << 10);
/// The input and output buffers of a trial: small, as most trials fail within a few bytes.
const TRIAL_BUFFER: usize = 4 << 10;
/// The most compressed bytes a trial reads: stored blocks need a little more than [`VERIFY`];
/// a boundary needing far more to produce that much output is not worth an access point.
const TRIAL_INPUT: u64 = 4 * VERIFY as u64 + (64 << 10);
/// zlib's window bits for a gzip stream with a 32 KiB window.
const GZIP: u8 = 16 + 15;
/// zlib's window bits for a raw deflate stream with a 32 KiB window.
const RAW: u8 = 15;

/// An access point into a tar.gz's gzip stream, as [`Container::access_points`] reports it:
/// inflating can start here without anything before it.
///
/// [`Container::access_points`]: crate::Container::access_points
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccessPoint {
    /// Its position in the uncompressed (tar) stream.
    pub uncompressed: u64,
    /// The byte of the file in which its deflate block starts.
    pub compressed: u64,
    /// The bit of that byte at which the block starts, from the least significant (0 to 7).
    pub bit: u8,
    /// The bytes of memory it holds: the uncompressed data before it that later data may refer
    /// to, at most 32 KiB.
    pub memory: usize,
}

/// An access point: a deflate block boundary and the window before it.
struct Point {
    /// The position in the uncompressed stream.
    out: u64,
    /// The byte of the file where the block starts.
    byte: u64,
    /// The bit of that byte where it starts.
    bit: u8,
    /// The gzip member it is in, as an index into [`Index::members`].
    member: usize,
    /// The uncompressed data before it, up to 32 KiB and not before its member's start.
    window: Box<[u8]>,
}

/// A gzip member, as listing found it.
struct Member {
    /// The file offset just after its trailer: where the next member starts.
    end: u64,
    /// Its end in the uncompressed stream.
    out_end: u64,
}

/// What listing a gzip stream recorded for random access.
#[derive(Default)]
pub(crate) struct Index {
    /// In stream order.
    points: Vec<Point>,
    /// In stream order: every member, when listing recorded points.
    members: Vec<Member>,
}

impl Index {
    /// The access points, for [`crate::Container::access_points`].
    pub(crate) fn access_points(&self) -> Vec<AccessPoint> {
        self.points
            .iter()
            .map(|point| AccessPoint {
                uncompressed: point.out,
                compressed: point.byte,
                bit: point.bit,
                memory: point.window.len(),
            })
            .collect()
    }

    /// The index as bytes, for [`Index::from_bytes`] on another thread (see
    /// [`crate::GzipInflater`]): little-endian counts and fields, each window after its point.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let windows: usize = self.points.iter().map(|point| point.window.len()).sum();
        let mut bytes =
            Vec::with_capacity(8 + self.members.len() * 16 + self.points.len() * 25 + windows);
        bytes.extend_from_slice(&(self.members.len() as u32).to_le_bytes());
        for member in &self.members {
            bytes.extend_from_slice(&member.end.to_le_bytes());
            bytes.extend_from_slice(&member.out_end.to_le_bytes());
        }
        bytes.extend_from_slice(&(self.points.len() as u32).to_le_bytes());
        for point in &self.points {
            bytes.extend_from_slice(&point.out.to_le_bytes());
            bytes.extend_from_slice(&point.byte.to_le_bytes());
            bytes.push(point.bit);
            bytes.extend_from_slice(&(point.member as u32).to_le_bytes());
            bytes.extend_from_slice(&(point.window.len() as u32).to_le_bytes());
            bytes.extend_from_slice(&point.window);
        }
        bytes
    }

    /// The index [`Index::to_bytes`] made, or `None` if `bytes` are not one: cut short, with
    /// something after it, or with a point that could not have been recorded (a bit past 7, a
    /// window over 32 KiB, a member not listed, points out of order).
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Index> {
        let mut rest = bytes;
        let mut members = Vec::new();
        for _ in 0..take_u32(&mut rest)? {
            let end = take_u64(&mut rest)?;
            let out_end = take_u64(&mut rest)?;
            members.push(Member { end, out_end });
        }
        let mut points: Vec<Point> = Vec::new();
        for _ in 0..take_u32(&mut rest)? {
            let out = take_u64(&mut rest)?;
            let byte = take_u64(&mut rest)?;
            let bit = *take(&mut rest, 1)?.first()?;
            let member = take_u32(&mut rest)? as usize;
            let window_len = take_u32(&mut rest)? as usize;
            let window = take(&mut rest, window_len)?;
            let in_order = points.last().is_none_or(|last| last.out < out);
            if bit > 7 || member >= members.len() || window.len() > WINDOW || !in_order {
                return None;
            }
            points.push(Point {
                out,
                byte,
                bit,
                member,
                window: window.into(),
            });
        }
        rest.is_empty().then_some(Index { points, members })
    }
}

/// The first `len` bytes of `rest`, taken off it.
fn take<'b>(rest: &mut &'b [u8], len: usize) -> Option<&'b [u8]> {
    let (taken, after) = rest.split_at_checked(len)?;
    *rest = after;
    Some(taken)
}

fn take_u32(rest: &mut &[u8]) -> Option<u32> {
    Some(u32::from_le_bytes(take(rest, 4)?.try_into().ok()?))
}

fn take_u64(rest: &mut &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(take(rest, 8)?.try_into().ok()?))
}

/// An I/O error from the source, tagged so that it is not mistaken for damaged data.
fn source_error(err: io::Error) -> Error {
    Error::io(err, None)
}

/// Reads from `source`, retrying when interrupted.
fn read_source<R: Read>(source: &mut R, buf: &mut [u8]) -> Result<usize, Error> {
    loop {
        match source.read(buf) {
            Ok(n) => return Ok(n),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(source_error(err)),
        }
    }
}

/// Compressed input, read from the source in chunks; for a deflate stream that starts mid-byte,
/// with a prefix that makes the inflater skip the bits before it (see [`prefix`]).
struct Input {
    buf: Box<[u8]>,
    /// The unconsumed bytes are `buf[start..end]`.
    start: usize,
    end: usize,
    /// The file offset of the next byte to read from the source.
    next: u64,
    /// How many bytes were read from the source in all, for the ratio limit.
    read: u64,
    /// Whether the source has ended: no bytes beyond `buf[start..end]`.
    eof: bool,
}

impl Input {
    fn new(capacity: usize) -> Input {
        Input {
            buf: vec![0; capacity].into_boxed_slice(),
            start: 0,
            end: 0,
            next: 0,
            read: 0,
            eof: false,
        }
    }

    /// The bytes not consumed yet.
    fn pending(&self) -> &[u8] {
        self.buf.get(self.start..self.end).unwrap_or_default()
    }

    fn is_empty(&self) -> bool {
        self.start >= self.end
    }

    fn consume(&mut self, n: usize) {
        self.start = self.start.saturating_add(n).min(self.end);
    }

    /// The file offset of the first byte not consumed yet (outside a prefix).
    fn position(&self) -> u64 {
        self.next.saturating_sub((self.end - self.start) as u64)
    }

    /// Starts reading raw deflate at bit `bit` (0 to 7) of the byte at file offset `at`.
    fn seek<R: Read + Seek>(&mut self, source: &mut R, at: u64, bit: u8) -> Result<(), Error> {
        source.seek(SeekFrom::Start(at)).map_err(source_error)?;
        self.start = 0;
        self.end = 0;
        self.next = at;
        self.eof = false;
        let bit = bit & 7;
        if bit == 0 {
            return Ok(());
        }
        let (bytes, low) = prefix(bit);
        let mut first = [0u8];
        let n = read_source(source, &mut first)?;
        self.next += n as u64;
        self.read += n as u64;
        let [first] = first;
        if n == 0 {
            self.eof = true;
            return Ok(());
        }
        let mask = (1u8 << bit) - 1;
        let patched = (first & !mask) | (low & mask);
        for (to, from) in self
            .buf
            .iter_mut()
            .zip(bytes.iter().copied().chain([patched]))
        {
            *to = from;
        }
        self.end = (bytes.len() + 1).min(self.buf.len());
        Ok(())
    }

    /// Reads the next chunk once the buffer is consumed; at the end of the source, leaves it
    /// empty and sets `eof`.
    fn fill<R: Read>(&mut self, source: &mut R) -> Result<(), Error> {
        self.start = 0;
        self.end = 0;
        if self.eof {
            return Ok(());
        }
        let n = read_source(source, &mut self.buf)?;
        self.next += n as u64;
        self.read += n as u64;
        self.end = n;
        self.eof = n == 0;
        Ok(())
    }
}

/// Deflate data that makes an inflater skip `bit` bits (1 to 7) and produce nothing, doing what
/// zlib's `inflatePrime` would: empty non-final blocks, `bit` bits long modulo 8, so that the
/// real data goes on at bit `bit` of the byte that follows, with bytes where the file has them
/// (which stored blocks need). Returns the whole bytes and the low bits of the last, partial one.
///
/// An empty fixed-Huffman block is 10 bits; an empty dynamic-Huffman block (below) is 93, which
/// gives the odd counts: 10, 20, 30 bits give 2, 4, 6; 93 plus none to three fixed ones give 5,
/// 7, 1, 3.
fn prefix(bit: u8) -> (Vec<u8>, u8) {
    let mut bits = Bits::default();
    let odd = bit % 2 == 1;
    if odd {
        // Not last, dynamic Huffman: 257 literal/length codes, 1 distance code, 19 code length
        // codes of which two have length 1 (18, "repeat a zero length", and 1), in the format's
        // order 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15.
        bits.put(0, 1);
        bits.put(2, 2);
        bits.put(0, 5);
        bits.put(0, 5);
        bits.put(15, 4);
        for symbol in [
            16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
        ] {
            bits.put(u64::from(symbol == 18 || symbol == 1), 3);
        }
        // Lengths 0 for the 256 literals (18 repeats 138 then 118 zeros; its code is 1), 1 for
        // end-of-block and 1 for the distance code (the code of 1 is 0): lone codes of length 1,
        // as zlib allows. Then end-of-block.
        bits.put(1, 1);
        bits.put(138 - 11, 7);
        bits.put(1, 1);
        bits.put(118 - 11, 7);
        bits.put(0, 1);
        bits.put(0, 1);
        bits.put(0, 1);
    }
    let fixed = (bit + if odd { 3 } else { 0 }) % 8 / 2;
    for _ in 0..fixed {
        // Not last, fixed Huffman, end-of-block (seven zero bits).
        bits.put(0, 1);
        bits.put(1, 2);
        bits.put(0, 7);
    }
    debug_assert_eq!(bits.len % 8, u32::from(bit));
    (bits.bytes, bits.acc as u8)
}

/// Bits written least significant first, as deflate stores them.
#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    /// Bits not yet in a whole byte.
    acc: u64,
    /// How many bits were put in all.
    len: u32,
}

impl Bits {
    fn put(&mut self, value: u64, count: u32) {
        self.acc |= value << (self.len % 8);
        self.len += count;
        while self.acc_bits() >= 8 {
            self.bytes.push(self.acc as u8);
            self.acc >>= 8;
        }
    }

    fn acc_bits(&self) -> u32 {
        self.len - 8 * self.bytes.len() as u32
    }
}

/// What the reader is inflating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// gzip members, the current one starting at this file offset.
    Gzip { start: u64 },
    /// Raw deflate from an access point, up to the end of its member (see [`Member`]).
    Raw { end: u64, out_end: u64 },
    /// The last member has ended.
    Ended,
}

/// The inflated gzip stream, refusing to inflate beyond `max_ratio` times the compressed bytes
/// read (once past `ratio_floor`): the whole-stream defence against a decompression bomb.
///
/// It reads gzip members one after the other (as `gzip -d` and flate2's `MultiGzDecoder` do),
/// checking each one's checksum and size when it ends, or raw deflate from an access point.
/// Listing with [`GzReader::indexing`] records access points; [`GzReader::at`] starts from one.
pub(crate) struct GzReader<R> {
    source: R,
    input: Input,
    inflate: Inflate,
    mode: Mode,
    /// Inflated data; `out[out_start..out_end]` is not read yet, and the bytes before it are the
    /// window that access points keep.
    out: Box<[u8]>,
    out_start: usize,
    out_end: usize,
    /// The position in the uncompressed stream of `out[out_end]`.
    produced: u64,
    /// Where this reader started in the uncompressed stream, for the ratio limit.
    origin: u64,
    /// Where the current member starts in the uncompressed stream: windows stop there.
    member_out: u64,
    limits: Limits,
    indexer: Option<Indexer>,
}

impl<R: Read + Seek> GzReader<R> {
    /// A reader from the start of the stream.
    pub(crate) fn new(source: R, limits: Limits) -> Result<GzReader<R>, Error> {
        let mut reader = GzReader {
            source,
            input: Input::new(INPUT),
            inflate: Inflate::new(true, GZIP),
            mode: Mode::Gzip { start: 0 },
            out: vec![0; OUTPUT].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
            produced: 0,
            origin: 0,
            member_out: 0,
            limits,
            indexer: None,
        };
        reader.input.seek(&mut reader.source, 0, 0)?;
        Ok(reader)
    }

    /// A reader from the start of the stream that records access points as `limits` ask
    /// (see [`GzReader::into_index`]).
    pub(crate) fn indexing(source: R, limits: Limits) -> Result<GzReader<R>, Error> {
        let mut reader = GzReader::new(source, limits)?;
        reader.indexer = Indexer::new(&limits);
        Ok(reader)
    }

    /// A reader from the last access point of `index` at or before `offset` in the uncompressed
    /// stream, or from the start if there is none. [`GzReader::position`] says where it is.
    pub(crate) fn at(
        mut source: R,
        index: &Index,
        offset: u64,
        limits: Limits,
    ) -> Result<GzReader<R>, Error> {
        let after = index.points.partition_point(|point| point.out <= offset);
        let point = after.checked_sub(1).and_then(|at| index.points.get(at));
        let Some(point) = point else {
            return GzReader::new(source, limits);
        };
        let member = index
            .members
            .get(point.member)
            .ok_or_else(|| Error::corrupt("an access point lies outside the gzip data"))?;
        let mut input = Input::new(INPUT);
        input.seek(&mut source, point.byte, point.bit)?;
        let mut inflate = Inflate::new(false, RAW);
        inflate
            .set_dictionary(&point.window)
            .map_err(|err| Error::corrupt(format_args!("in the gzip data: {}", err.as_str())))?;
        Ok(GzReader {
            source,
            input,
            inflate,
            mode: Mode::Raw {
                end: member.end,
                out_end: member.out_end,
            },
            out: vec![0; OUTPUT].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
            produced: point.out,
            origin: point.out,
            member_out: point.out,
            limits,
            indexer: None,
        })
    }

    /// The position in the uncompressed stream of the next byte [`Read::read`] returns.
    pub(crate) fn position(&self) -> u64 {
        self.produced - (self.out_end - self.out_start) as u64
    }

    /// How far into the file the inflater has got: the offset of the first compressed byte it
    /// has not taken yet.
    pub(crate) fn compressed_position(&self) -> u64 {
        self.input.position()
    }

    /// Whether the stream has ended cleanly.
    pub(crate) fn ended(&self) -> bool {
        self.mode == Mode::Ended && self.out_start == self.out_end
    }

    /// Reads and discards `len` bytes; the stream ending first means the file was cut short.
    pub(crate) fn skip(&mut self, mut len: u64) -> Result<(), Error> {
        while len > 0 {
            self.fill()?;
            let available = self.out_end - self.out_start;
            if available == 0 {
                return Err(Error::truncated());
            }
            let n = available.min(usize::try_from(len).unwrap_or(usize::MAX));
            self.out_start += n;
            len -= n as u64;
        }
        Ok(())
    }

    /// Inflates the rest of the stream, which checks the checksums of the members left.
    pub(crate) fn finish(&mut self) -> Result<(), Error> {
        loop {
            self.out_start = self.out_end;
            self.fill()?;
            if self.out_start == self.out_end {
                return Ok(());
            }
        }
    }

    /// The access points recorded, once the stream has ended (none if it has not).
    pub(crate) fn into_index(self) -> Index {
        match self.indexer {
            Some(indexer) if self.mode == Mode::Ended => indexer.index,
            _ => Index::default(),
        }
    }

    /// The access points recorded, whether or not the stream has ended: those of a stream cut
    /// short lie in the part that arrived, and serve to read what it holds. The member they are
    /// in, cut short, is recorded as ending past any file (reading up to there fails at the
    /// cut, as it should, before its end is looked for).
    pub(crate) fn into_index_so_far(self) -> Index {
        if self.mode == Mode::Ended {
            return self.into_index();
        }
        let Some(indexer) = self.indexer else {
            return Index::default();
        };
        let mut index = indexer.index;
        if index.points.iter().any(|p| p.member >= index.members.len()) {
            index.members.push(Member {
                end: u64::MAX,
                out_end: u64::MAX,
            });
        }
        index
    }

    /// Inflates until there is unread output or the stream has ended.
    fn fill(&mut self) -> Result<(), Error> {
        while self.out_start == self.out_end && self.mode != Mode::Ended {
            self.step()?;
        }
        Ok(())
    }

    /// One call of the inflater, with what follows from it.
    fn step(&mut self) -> Result<(), Error> {
        if self.out_end == self.out.len() {
            // Everything was read: keep the window, make room.
            let keep = WINDOW.min(self.out_end);
            self.out.copy_within(self.out_end - keep.., 0);
            self.out_start = keep;
            self.out_end = keep;
        }
        if self.input.is_empty() {
            self.input.fill(&mut self.source)?;
        }
        // While indexing, stop at every block boundary (at most one every few dozen KiB of output,
        // so the cost is nil), as one call may otherwise inflate past several.
        let looking = self.indexer.is_some() && matches!(self.mode, Mode::Gzip { .. });
        let flush = if looking {
            InflateFlush::Block
        } else {
            InflateFlush::NoFlush
        };
        let (in_before, out_before) = (self.inflate.total_in(), self.inflate.total_out());
        let space = self.out.get_mut(self.out_end..).unwrap_or_default();
        let room = space.len();
        let status = self.inflate.decompress(self.input.pending(), space, flush);
        let used = usize::try_from(self.inflate.total_in() - in_before).unwrap_or(usize::MAX);
        let made = usize::try_from(self.inflate.total_out() - out_before).unwrap_or(room);
        self.input.consume(used);
        let new = self.out_end;
        self.out_end += made.min(room);
        self.produced += made as u64;
        self.check_ratio()?;

        if let Some(indexer) = &mut self.indexer {
            if indexer.observe(self.out.get(new..self.out_end).unwrap_or_default()) {
                indexer.resolve(&mut self.source, self.input.next)?;
            }
        }

        match status {
            Err(err) => Err(self.inflate_error(err)),
            Ok(Status::StreamEnd) => self.end_member(),
            Ok(Status::Ok | Status::BufError) => {
                let due = looking
                    && self
                        .indexer
                        .as_ref()
                        .is_some_and(|indexer| indexer.wants(self.produced));
                if due && !self.input.is_empty() && self.out_end < self.out.len() {
                    // The inflater stopped at a block boundary, not for want of input or room.
                    self.boundary();
                }
                if used == 0 && made == 0 {
                    if self.input.is_empty() && self.input.eof {
                        return Err(Error::truncated());
                    }
                    if !self.input.is_empty() && room > 0 {
                        // Never expected; without it, a stuck inflater would loop for ever.
                        return Err(Error::corrupt(
                            "in the gzip data: inflating makes no progress",
                        ));
                    }
                }
                Ok(())
            }
        }
    }

    fn check_ratio(&self) -> Result<(), Error> {
        let produced = self.produced - self.origin;
        let compressed = self.input.read;
        if self.limits.ratio_exceeded(produced, compressed) {
            return Err(Error::coded(
                ErrorKind::TooLarge,
                crate::error::GZIP_BOMB,
                &[
                    ("produced", &produced),
                    ("compressed", &compressed),
                    ("ratio", &self.limits.max_ratio),
                ],
            ));
        }
        Ok(())
    }

    fn inflate_error(&self, err: InflateError) -> Error {
        let what = self.inflate.error_message().unwrap_or_else(|| err.as_str());
        Error::corrupt(format_args!("in the gzip data: {what}"))
    }

    /// The inflater stopped at a block boundary where an access point is due: remember it, to be
    /// verified once [`VERIFY`] more bytes have come out.
    fn boundary(&mut self) {
        let Mode::Gzip { start } = self.mode else {
            return;
        };
        let Some(indexer) = &mut self.indexer else {
            return;
        };
        let reach = (self.produced - self.member_out).min(WINDOW as u64) as usize;
        let window = self
            .out
            .get(self.out_end.saturating_sub(reach)..self.out_end)
            .unwrap_or_default();
        indexer.pending = Some(Pending {
            byte: self.input.position(),
            floor: start,
            out: self.produced,
            member: indexer.index.members.len(),
            window: window.into(),
            expected: Vec::with_capacity(VERIFY),
        });
    }

    /// The deflate stream ended: go on with the next member, if any.
    fn end_member(&mut self) -> Result<(), Error> {
        let end = match self.mode {
            Mode::Gzip { .. } => self.input.position(),
            Mode::Raw { end, out_end } => {
                if self.produced != out_end {
                    return Err(Error::corrupt(
                        "in the gzip data: a member ends where it did not when the archive was \
                         opened",
                    ));
                }
                self.input.seek(&mut self.source, end, 0)?;
                end
            }
            Mode::Ended => return Ok(()),
        };
        if let Some(indexer) = &mut self.indexer {
            // A point too close to the end of its member to be verified is dropped.
            indexer.pending = None;
            indexer.index.members.push(Member {
                end,
                out_end: self.produced,
            });
        }
        self.member_out = self.produced;
        if self.input.is_empty() {
            self.input.fill(&mut self.source)?;
        }
        if self.input.is_empty() {
            self.mode = Mode::Ended;
        } else {
            self.inflate = Inflate::new(true, GZIP);
            self.mode = Mode::Gzip { start: end };
        }
        Ok(())
    }
}

impl<R: Read + Seek> Read for GzReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.fill()?;
        let available = self
            .out
            .get(self.out_start..self.out_end)
            .unwrap_or_default();
        let n = available.len().min(buf.len());
        if let (Some(to), Some(from)) = (buf.get_mut(..n), available.get(..n)) {
            to.copy_from_slice(from);
        }
        self.out_start += n;
        Ok(n)
    }
}

/// A block boundary waiting for the output after it, to find its bit.
struct Pending {
    /// The file offset of the first byte the inflater had not taken when it stopped.
    byte: u64,
    /// Where its member starts in the file: no block starts before.
    floor: u64,
    out: u64,
    member: usize,
    window: Box<[u8]>,
    /// The output after it, up to [`VERIFY`] bytes.
    expected: Vec<u8>,
}

/// Records access points while listing.
struct Indexer {
    spacing: u64,
    max_points: usize,
    /// Look for a block boundary once the output reaches this.
    due: u64,
    index: Index,
    pending: Option<Pending>,
    /// Kept from one trial to the next, as it allocates.
    trial: Option<Trial>,
}

impl Indexer {
    fn new(limits: &Limits) -> Option<Indexer> {
        if limits.access_point_spacing == 0 || limits.max_access_points == 0 {
            return None;
        }
        Some(Indexer {
            spacing: limits.access_point_spacing,
            max_points: limits.max_access_points,
            due: limits.access_point_spacing,
            index: Index::default(),
            pending: None,
            trial: None,
        })
    }

    /// Whether a block boundary at `produced` should become an access point.
    fn wants(&self, produced: u64) -> bool {
        self.pending.is_none() && produced >= self.due
    }

    /// Takes new output; whether a pending boundary has all the output it needs.
    fn observe(&mut self, output: &[u8]) -> bool {
        let Some(pending) = &mut self.pending else {
            return false;
        };
        let wanted = VERIFY - pending.expected.len();
        pending
            .expected
            .extend_from_slice(output.get(..wanted).unwrap_or(output));
        pending.expected.len() == VERIFY
    }

    /// Finds the bit where the pending boundary's block starts, by trial, and records the point;
    /// then puts the source back at `resume`.
    fn resolve<R: Read + Seek>(&mut self, source: &mut R, resume: u64) -> Result<(), Error> {
        let Some(pending) = self.pending.take() else {
            return Ok(());
        };
        let trial = self.trial.get_or_insert_with(Trial::new);
        // The block starts a little before where the inflater stopped, as it holds a few bits of
        // what it took (up to 8 with zlib-rs 0.6); twice that is tried.
        let stop = pending.byte.saturating_mul(8);
        let candidates = (0..CANDIDATES)
            .filter_map(|back| stop.checked_sub(back))
            .map(|at| (at / 8, (at % 8) as u8));
        let mut found = None;
        for (byte, bit) in candidates {
            if byte < pending.floor {
                continue;
            }
            if trial.run(source, byte, bit, &pending.window, &pending.expected)? {
                found = Some((byte, bit));
                break;
            }
        }
        source.seek(SeekFrom::Start(resume)).map_err(source_error)?;
        match found {
            Some((byte, bit)) => self.push(Point {
                out: pending.out,
                byte,
                bit,
                member: pending.member,
                window: pending.window,
            }),
            // Not found: try again a little further on.
            None => self.due = pending.out + (self.spacing / 8).max(1),
        }
        Ok(())
    }

    fn push(&mut self, point: Point) {
        self.index.points.push(point);
        if self.index.points.len() > self.max_points {
            // Keep every other point and double the spacing: memory stays bounded, and the
            // points stay evenly spread over the stream.
            let mut odd = false;
            self.index.points.retain(|_| {
                odd = !odd;
                !odd
            });
            self.spacing = self.spacing.saturating_mul(2);
        }
        let last = self.index.points.last().map_or(0, |point| point.out);
        self.due = last.saturating_add(self.spacing);
    }
}

/// A raw inflater, to try candidate access points.
struct Trial {
    inflate: Inflate,
    input: Input,
    out: Box<[u8]>,
}

impl Trial {
    fn new() -> Trial {
        Trial {
            inflate: Inflate::new(false, RAW),
            input: Input::new(TRIAL_BUFFER),
            out: vec![0; TRIAL_BUFFER].into_boxed_slice(),
        }
    }

    /// Whether inflating from bit `bit` of the byte at `byte`, after `window`, gives `expected`.
    fn run<R: Read + Seek>(
        &mut self,
        source: &mut R,
        byte: u64,
        bit: u8,
        window: &[u8],
        expected: &[u8],
    ) -> Result<bool, Error> {
        self.input.read = 0;
        self.input.seek(source, byte, bit)?;
        self.inflate.reset(false);
        if self.inflate.set_dictionary(window).is_err() {
            return Ok(false);
        }
        let mut matched = 0;
        while matched < expected.len() {
            if self.input.is_empty() {
                if self.input.eof || self.input.read > TRIAL_INPUT {
                    return Ok(false);
                }
                self.input.fill(source)?;
            }
            let want = (expected.len() - matched).min(self.out.len());
            let out = self.out.get_mut(..want).unwrap_or_default();
            let (in_before, out_before) = (self.inflate.total_in(), self.inflate.total_out());
            let status = self
                .inflate
                .decompress(self.input.pending(), out, InflateFlush::NoFlush);
            let used = usize::try_from(self.inflate.total_in() - in_before).unwrap_or(usize::MAX);
            let made = usize::try_from(self.inflate.total_out() - out_before).unwrap_or(want);
            self.input.consume(used);
            let got = self.out.get(..made);
            if got.is_none() || got != expected.get(matched..matched + made) {
                return Ok(false);
            }
            matched += made;
            match status {
                Err(_) => return Ok(false),
                Ok(Status::StreamEnd) => return Ok(matched == expected.len()),
                Ok(Status::Ok | Status::BufError) => {
                    if used == 0 && made == 0 && !self.input.is_empty() {
                        return Ok(false);
                    }
                }
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use std::io::{Cursor, Write};

    use super::*;

    /// Raw deflate of `data`.
    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    /// Inflates raw deflate that starts at bit `bit` of `file`'s first byte.
    fn inflate_from(file: Vec<u8>, bit: u8) -> Vec<u8> {
        let mut source = Cursor::new(file);
        let mut input = Input::new(64);
        input.seek(&mut source, 0, bit).unwrap();
        let mut inflate = Inflate::new(false, RAW);
        let mut out = Vec::new();
        let mut chunk = [0u8; 100];
        loop {
            if input.is_empty() {
                input.fill(&mut source).unwrap();
            }
            let (in_before, out_before) = (inflate.total_in(), inflate.total_out());
            let status = inflate
                .decompress(input.pending(), &mut chunk, InflateFlush::NoFlush)
                .unwrap();
            input.consume((inflate.total_in() - in_before) as usize);
            out.extend_from_slice(&chunk[..(inflate.total_out() - out_before) as usize]);
            if status == Status::StreamEnd {
                return out;
            }
        }
    }

    #[test]
    fn a_prefix_skips_its_bits_and_produces_nothing() {
        let data = b"a prefix of empty blocks, then the data, ".repeat(200);
        let deflated = deflate(&data);
        assert_eq!(inflate_from(deflated.clone(), 0), data);
        for bit in 1..8u8 {
            // The stream moved `bit` bits on, after ones.
            let mut file = vec![(1u8 << bit) - 1];
            for &byte in &deflated {
                *file.last_mut().unwrap() |= byte << bit;
                file.push(byte >> (8 - bit));
            }
            assert_eq!(inflate_from(file, bit), data, "bit {bit}");
        }
    }
}
