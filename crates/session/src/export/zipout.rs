//! A streaming ZIP writer: entries go out one after the other to a writer that cannot seek, so
//! each has its CRC-32 and sizes in a data descriptor after its data (general-purpose bit 3).
//! Names are UTF-8 (bit 11). Text is deflated, media stored. An entry whose bytes are all at
//! hand ([`ZipOut::entry`]: a Markdown document, a media file) has its CRC-32 and sizes in its
//! local header instead, deflated alone (stored when that would not make it smaller).
//!
//! Deflating is done by a [`Packer`], on helper threads where there are any: entries and chunks
//! of entries wait in a queue of jobs, and each is written when it and all before it are done,
//! so the file is the same bytes whatever the number of threads. Memory holds at most a few
//! jobs of about a megabyte each.
//!
//! Only what the central directory needs is kept per entry (about 40 bytes and the name), so an
//! export of hundreds of thousands of files stays small in memory. Zip64 (APPNOTE 4.5.3, 4.3.14,
//! 4.3.15) is written where a size, an offset or the number of entries needs it. A reader knows a
//! data descriptor's size (4- or 8-byte sizes) only from the local header: an entry that may pass
//! 4 GiB is started with `large` and gets a Zip64 field with zero sizes there and 8-byte sizes in
//! its descriptor; any other entry that passes 4 GiB is an error.

use super::pack::{Done, Packer, Ticket, Work, CHUNK};
use std::collections::VecDeque;
use std::io::{self, Write};

const LOCAL: u32 = 0x0403_4b50;
const DESCRIPTOR: u32 = 0x0807_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END64: u32 = 0x0606_4b50;
const LOCATOR64: u32 = 0x0706_4b50;
const END: u32 = 0x0605_4b50;

/// Bit 3 (sizes in a data descriptor) and bit 11 (UTF-8 names).
const FLAGS: u16 = 0x0808;
/// Bit 11 alone: sizes in the local header.
const FLAGS_SIZED: u16 = 0x0800;
/// Version needed: 2.0 (deflate, data descriptors), 4.5 (Zip64).
const V20: u16 = 20;
const V45: u16 = 45;
/// Made by Unix (upper byte 3), so that the external attributes are Unix permissions.
const MADE_BY: u16 = (3 << 8) | V45;
/// A regular file, rw-r--r--.
const ATTRIBUTES: u32 = 0o100_644 << 16;

const MAX16: u64 = 0xFFFF;
const MAX32: u64 = 0xFFFF_FFFF;

/// Names are kept in blocks of this many bytes, entries in blocks of [`ENTRY_BLOCK`]: blocks are
/// never reallocated, where a growing `String` or `Vec` would hold its contents twice when it
/// doubles.
const NAME_BLOCK: usize = 1 << 20;
const ENTRY_BLOCK: usize = 1 << 14;

/// Whole entries up to this size are deflated alone; larger ones are streamed in chunks.
const SMALL: usize = CHUNK;

/// Whole entries are handed to the packer this many bytes at a time.
const BATCH: usize = 256 << 10;

/// [`Entry::flags`]: deflated; Zip64 in the local header and 8-byte sizes in the descriptor;
/// sizes in a data descriptor (else in the local header).
const DEFLATED: u8 = 1;
const LARGE: u8 = 2;
const DESCRIBED: u8 = 4;

/// An entry as the central directory needs it (40 bytes).
struct Entry {
    offset: u64,
    compressed: u64,
    size: u64,
    crc: u32,
    /// Its name: in which block of [`ZipOut::names`], where, how long.
    name_block: u32,
    name_start: u32,
    name_len: u16,
    /// [`DEFLATED`], [`LARGE`], [`DESCRIBED`].
    flags: u8,
}

impl Entry {
    fn deflate(&self) -> bool {
        self.flags & DEFLATED != 0
    }

    fn large(&self) -> bool {
        self.flags & LARGE != 0
    }

    fn general_flags(&self) -> u16 {
        if self.flags & DESCRIBED != 0 {
            FLAGS
        } else {
            FLAGS_SIZED
        }
    }
}

/// The entry being written.
struct Open {
    crc: crc32fast::Hasher,
    size: u64,
    compressed: u64,
}

/// What to write of a job's piece once it is done.
enum Piece {
    /// A chunk of the streamed entry.
    Chunk,
    /// A whole entry; `deflated` when its bytes were deflated before they were handed in (a
    /// copy of another ZIP's entry), whatever the packer did with them.
    Whole {
        name: String,
        crc: u32,
        size: u64,
        deflated: bool,
    },
}

/// A job handed to the packer, waiting to be written.
struct Queued {
    ticket: Ticket,
    pieces: Vec<Piece>,
}

/// A ZIP written forward only into `out`.
pub(crate) struct ZipOut<W: Write> {
    out: W,
    /// Bytes written so far.
    at: u64,
    names: Vec<String>,
    entries: Vec<Vec<Entry>>,
    open: Option<Open>,
    /// DOS date and time of every entry.
    date: u16,
    time: u16,
    packer: Packer,
    /// Jobs handed in, oldest first.
    queue: VecDeque<Queued>,
    /// The job being gathered, and the bytes in it.
    batch: Vec<Work>,
    batch_pieces: Vec<Piece>,
    batch_bytes: usize,
    /// The streamed entry's bytes not yet handed in.
    chunk: Vec<u8>,
    /// A local header being written.
    header: Vec<u8>,
    /// Once the central directory is begun: where, and the next entry to write there.
    central_start: Option<u64>,
    central_next: usize,
}

/// DOS date and time (UTC) of a civil date; 1980-01-01 00:00 outside ZIP's years (1980–2107).
pub(crate) fn dos_date_time(y: i64, m: i64, d: i64, h: i64, min: i64, s: i64) -> (u16, u16) {
    if !(1980..=2107).contains(&y)
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&d)
        || !(0..=23).contains(&h)
        || !(0..=59).contains(&min)
        || !(0..=60).contains(&s)
    {
        return (0x21, 0);
    }
    let date = ((y - 1980) as u16) << 9 | (m as u16) << 5 | d as u16;
    let time = (h as u16) << 11 | (min as u16) << 5 | (s.min(59) / 2) as u16;
    (date, time)
}

fn too_large() -> io::Error {
    io::Error::other("a ZIP entry passed 4 GiB without Zip64")
}

impl<W: Write> ZipOut<W> {
    /// A ZIP whose entries are dated `(date, time)` (DOS) and deflated at `level`, on as many
    /// helper threads as suit this machine.
    pub(crate) fn new(out: W, date_time: (u16, u16), level: u32) -> ZipOut<W> {
        ZipOut::with_helpers(out, date_time, level, super::pack::helpers_here())
    }

    /// The same with `helpers` threads (none: deflated in the calling thread).
    pub(crate) fn with_helpers(
        out: W,
        (date, time): (u16, u16),
        level: u32,
        helpers: usize,
    ) -> ZipOut<W> {
        ZipOut {
            out,
            at: 0,
            names: Vec::new(),
            entries: Vec::new(),
            open: None,
            date,
            time,
            packer: Packer::new(level, helpers),
            queue: VecDeque::new(),
            batch: Vec::new(),
            batch_pieces: Vec::new(),
            batch_bytes: 0,
            chunk: Vec::new(),
            header: Vec::with_capacity(256),
            central_start: None,
            central_next: 0,
        }
    }

    fn last(&self) -> Option<&Entry> {
        self.entries.last().and_then(|b| b.last())
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.at += bytes.len() as u64;
        Ok(())
    }

    /// Ends the entry being written, if any, and starts `name`: deflated or stored, with Zip64
    /// sizes when `large` (it may pass 4 GiB).
    pub(crate) fn start(&mut self, name: &str, deflate: bool, large: bool) -> io::Result<()> {
        self.end_entry()?;
        self.drain()?;
        let mut flags = DESCRIBED;
        if deflate {
            flags |= DEFLATED;
        }
        if large {
            flags |= LARGE;
        }
        let offset = self.at;
        let name_len = self.local_header(name, flags, 0, 0, 0)?;
        self.record(name, name_len, flags, offset);
        self.open = Some(Open {
            crc: crc32fast::Hasher::new(),
            size: 0,
            compressed: 0,
        });
        Ok(())
    }

    /// Writes a whole entry whose bytes are all here: deflated when `deflate` and that makes it
    /// smaller, else stored; its CRC-32 and sizes in its local header.
    pub(crate) fn entry(&mut self, name: &str, data: Vec<u8>, deflate: bool) -> io::Result<()> {
        if data.len() as u64 >= MAX32 / 2 || (deflate && data.len() > SMALL) {
            // Large: streamed.
            self.start(name, deflate, data.len() as u64 >= MAX32 / 2)?;
            return self.write_all(&data);
        }
        self.end_entry()?;
        let crc = crc32fast::hash(&data);
        let size = data.len() as u64;
        let work = if deflate {
            Work::Whole(data)
        } else {
            Work::Keep(data)
        };
        self.whole(name, work, crc, size, false)
    }

    /// Writes another ZIP's entry as that ZIP holds it (stored, or deflated), neither inflated
    /// nor deflated again: its CRC-32 and sizes are the ones declared there.
    pub(crate) fn raw_entry(
        &mut self,
        name: &str,
        raw: permafrost_engine::RawEntry,
    ) -> io::Result<()> {
        self.end_entry()?;
        let permafrost_engine::RawEntry {
            deflated,
            crc32,
            size,
            data,
        } = raw;
        self.whole(name, Work::Keep(data), crc32, size, deflated)
    }

    /// Queues a whole entry (`work`: bytes to deflate, or to keep as they are) with what its
    /// local header says; `deflated` when kept bytes are deflated already. Large kept bytes (a
    /// media file) are written at once rather than held in the queue.
    fn whole(
        &mut self,
        name: &str,
        work: Work,
        crc: u32,
        size: u64,
        deflated: bool,
    ) -> io::Result<()> {
        let len = match &work {
            Work::Keep(data) if data.len() > SMALL => {
                self.drain()?;
                return self.write_whole(name, crc, size, data, deflated);
            }
            Work::Whole(data) | Work::Keep(data) | Work::Chunk { data, .. } => data.len(),
        };
        self.batch_bytes += len;
        self.batch.push(work);
        self.batch_pieces.push(Piece::Whole {
            name: name.to_owned(),
            crc,
            size,
            deflated,
        });
        if self.batch_bytes >= BATCH {
            self.submit()?;
        }
        Ok(())
    }

    /// Writes a whole entry, deflated or stored.
    fn write_whole(
        &mut self,
        name: &str,
        crc: u32,
        size: u64,
        body: &[u8],
        deflated: bool,
    ) -> io::Result<()> {
        let flags = if deflated { DEFLATED } else { 0 };
        let compressed = body.len() as u64;
        let offset = self.at;
        let name_len = self.local_header(name, flags, crc, compressed, size)?;
        self.put(body)?;
        self.record(name, name_len, flags, offset);
        if let Some(e) = self.entries.last_mut().and_then(|b| b.last_mut()) {
            e.crc = crc;
            e.compressed = compressed;
            e.size = size;
        }
        Ok(())
    }

    /// Hands the job being gathered to the packer, then writes what is done, waiting for the
    /// oldest jobs while too many are in flight.
    fn submit(&mut self) -> io::Result<()> {
        if !self.batch.is_empty() {
            let ticket = self.packer.submit(std::mem::take(&mut self.batch));
            self.queue.push_back(Queued {
                ticket,
                pieces: std::mem::take(&mut self.batch_pieces),
            });
            self.batch_bytes = 0;
        }
        while let Some(q) = self.queue.front_mut() {
            if !q.ticket.is_ready() && self.queue.len() <= self.packer.in_flight() {
                break;
            }
            self.write_oldest()?;
        }
        Ok(())
    }

    /// Hands in what is gathered and writes every job: the queue is empty after it.
    fn drain(&mut self) -> io::Result<()> {
        self.submit()?;
        while !self.queue.is_empty() {
            self.write_oldest()?;
        }
        Ok(())
    }

    /// Waits for the oldest job and writes its pieces.
    fn write_oldest(&mut self) -> io::Result<()> {
        let Some(Queued { ticket, pieces }) = self.queue.pop_front() else {
            return Ok(());
        };
        for (piece, done) in pieces.into_iter().zip(ticket.wait()?) {
            match (piece, done) {
                (Piece::Chunk, Done::Deflated(bytes) | Done::Stored(bytes)) => {
                    self.put(&bytes)?;
                    if let Some(open) = &mut self.open {
                        open.compressed += bytes.len() as u64;
                    }
                }
                (
                    Piece::Whole {
                        name, crc, size, ..
                    },
                    Done::Deflated(bytes),
                ) => {
                    self.write_whole(&name, crc, size, &bytes, true)?;
                }
                (
                    Piece::Whole {
                        name,
                        crc,
                        size,
                        deflated,
                    },
                    Done::Stored(bytes),
                ) => {
                    self.write_whole(&name, crc, size, &bytes, deflated)?;
                }
            }
        }
        Ok(())
    }

    /// Hands in the streamed entry's gathered bytes as a chunk (`last`: its final one).
    fn chunk_done(&mut self, last: bool) -> io::Result<()> {
        // The next chunk's buffer is allocated by its first write.
        let data = std::mem::take(&mut self.chunk);
        self.batch.push(Work::Chunk { data, last });
        self.batch_pieces.push(Piece::Chunk);
        self.submit()
    }

    /// Writes a local header: with the CRC-32 and sizes, or zeros when [`DESCRIBED`].
    fn local_header(
        &mut self,
        name: &str,
        flags: u8,
        crc: u32,
        compressed: u64,
        size: u64,
    ) -> io::Result<u16> {
        let name_len = u16::try_from(name.len())
            .map_err(|_| io::Error::other("a ZIP entry name is too long"))?;
        let large = flags & LARGE != 0;
        let general = if flags & DESCRIBED != 0 {
            FLAGS
        } else {
            FLAGS_SIZED
        };
        let h = &mut self.header;
        h.clear();
        h.extend_from_slice(&LOCAL.to_le_bytes());
        h.extend_from_slice(&(if large { V45 } else { V20 }).to_le_bytes());
        h.extend_from_slice(&general.to_le_bytes());
        h.extend_from_slice(&(if flags & DEFLATED != 0 { 8u16 } else { 0 }).to_le_bytes());
        h.extend_from_slice(&self.time.to_le_bytes());
        h.extend_from_slice(&self.date.to_le_bytes());
        // CRC-32 and sizes (zeros when they are in the data descriptor).
        h.extend_from_slice(&crc.to_le_bytes());
        h.extend_from_slice(&(compressed as u32).to_le_bytes());
        h.extend_from_slice(&(size as u32).to_le_bytes());
        h.extend_from_slice(&name_len.to_le_bytes());
        h.extend_from_slice(&(if large { 20u16 } else { 0 }).to_le_bytes());
        h.extend_from_slice(name.as_bytes());
        if large {
            // Zip64 extended information: uncompressed and compressed sizes, not known yet.
            h.extend_from_slice(&1u16.to_le_bytes());
            h.extend_from_slice(&16u16.to_le_bytes());
            h.extend_from_slice(&[0; 16]);
        }
        self.out.write_all(h)?;
        self.at += h.len() as u64;
        Ok(name_len)
    }

    /// Keeps what the central directory needs of an entry whose local header is at `offset`
    /// (its CRC-32 and sizes are filled in when known).
    fn record(&mut self, name: &str, name_len: u16, flags: u8, offset: u64) {
        if self
            .names
            .last()
            .is_none_or(|b| b.len() + name.len() > b.capacity())
        {
            self.names.push(String::with_capacity(NAME_BLOCK));
        }
        let name_block = (self.names.len() - 1) as u32;
        let block = self.names.last_mut().expect("a block of names");
        let name_start = block.len() as u32;
        block.push_str(name);
        if self.entries.last().is_none_or(|b| b.len() == ENTRY_BLOCK) {
            self.entries.push(Vec::with_capacity(ENTRY_BLOCK));
        }
        let entries = self.entries.last_mut().expect("a block of entries");
        entries.push(Entry {
            name_block,
            name_start,
            name_len,
            offset,
            compressed: 0,
            size: 0,
            crc: 0,
            flags,
        });
    }

    /// Ends the entry being written: its data descriptor.
    fn end_entry(&mut self) -> io::Result<()> {
        if self.open.is_none() {
            return Ok(());
        }
        let (deflate, large) = self
            .last()
            .map_or((false, false), |e| (e.deflate(), e.large()));
        if deflate {
            self.chunk_done(true)?;
            self.drain()?;
        }
        let Some(open) = self.open.take() else {
            return Ok(());
        };
        let compressed = open.compressed;
        if !large && (compressed >= MAX32 || open.size >= MAX32) {
            return Err(too_large());
        }
        let crc = open.crc.finalize();
        let mut d = Vec::with_capacity(24);
        d.extend_from_slice(&DESCRIPTOR.to_le_bytes());
        d.extend_from_slice(&crc.to_le_bytes());
        if large {
            d.extend_from_slice(&compressed.to_le_bytes());
            d.extend_from_slice(&open.size.to_le_bytes());
        } else {
            d.extend_from_slice(&(compressed as u32).to_le_bytes());
            d.extend_from_slice(&(open.size as u32).to_le_bytes());
        }
        self.put(&d)?;
        if let Some(entry) = self.entries.last_mut().and_then(|b| b.last_mut()) {
            entry.crc = crc;
            entry.compressed = compressed;
            entry.size = open.size;
        }
        Ok(())
    }

    /// Writes the central directory and the end records.
    #[cfg(test)]
    pub(crate) fn finish(&mut self) -> io::Result<()> {
        while !self.finish_some(usize::MAX)? {}
        Ok(())
    }

    /// Writes the central directory about `budget` bytes at a time (so that the writer can be
    /// drained between calls), then the end records: `Ok(true)` once they are written.
    pub(crate) fn finish_some(&mut self, budget: usize) -> io::Result<bool> {
        let start = match self.central_start {
            Some(start) => start,
            None => {
                self.end_entry()?;
                self.drain()?;
                self.central_start = Some(self.at);
                self.at
            }
        };
        let mut h = Vec::with_capacity(256);
        let mut written = 0;
        let count = self.entries.iter().map(Vec::len).sum::<usize>() as u64;
        while let Some(e) = self
            .entries
            .get(self.central_next / ENTRY_BLOCK)
            .and_then(|b| b.get(self.central_next % ENTRY_BLOCK))
        {
            if written >= budget {
                return Ok(false);
            }
            self.central_next += 1;
            let start = e.name_start as usize;
            let name =
                &self.names[e.name_block as usize].as_bytes()[start..start + e.name_len as usize];
            // Zip64 fields, in their fixed order, for the values that do not fit.
            let mut extra = Vec::new();
            for v in [e.size, e.compressed, e.offset] {
                if v >= MAX32 {
                    extra.extend_from_slice(&v.to_le_bytes());
                }
            }
            let small = |v: u64| u32::try_from(v).ok().filter(|&v| v != u32::MAX);
            h.clear();
            h.extend_from_slice(&CENTRAL.to_le_bytes());
            h.extend_from_slice(&MADE_BY.to_le_bytes());
            let zip64 = e.large() || !extra.is_empty();
            h.extend_from_slice(&(if zip64 { V45 } else { V20 }).to_le_bytes());
            h.extend_from_slice(&e.general_flags().to_le_bytes());
            h.extend_from_slice(&(if e.deflate() { 8u16 } else { 0 }).to_le_bytes());
            h.extend_from_slice(&self.time.to_le_bytes());
            h.extend_from_slice(&self.date.to_le_bytes());
            h.extend_from_slice(&e.crc.to_le_bytes());
            for v in [e.compressed, e.size] {
                h.extend_from_slice(&small(v).unwrap_or(u32::MAX).to_le_bytes());
            }
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            let extra_len = if extra.is_empty() { 0 } else { 4 + extra.len() };
            h.extend_from_slice(&(extra_len as u16).to_le_bytes());
            // Comment length, disk number start, internal attributes.
            h.extend_from_slice(&[0; 6]);
            h.extend_from_slice(&ATTRIBUTES.to_le_bytes());
            h.extend_from_slice(&small(e.offset).unwrap_or(u32::MAX).to_le_bytes());
            h.extend_from_slice(name);
            if !extra.is_empty() {
                h.extend_from_slice(&1u16.to_le_bytes());
                h.extend_from_slice(&(extra.len() as u16).to_le_bytes());
                h.extend_from_slice(&extra);
            }
            self.out.write_all(&h)?;
            self.at += h.len() as u64;
            written += h.len();
        }
        let size = self.at - start;
        h.clear();
        if count >= MAX16 || size >= MAX32 || start >= MAX32 {
            let end64 = self.at;
            h.extend_from_slice(&END64.to_le_bytes());
            // The size of the rest of the record.
            h.extend_from_slice(&44u64.to_le_bytes());
            h.extend_from_slice(&MADE_BY.to_le_bytes());
            h.extend_from_slice(&V45.to_le_bytes());
            // This disk, the central directory's disk.
            h.extend_from_slice(&[0; 8]);
            h.extend_from_slice(&count.to_le_bytes());
            h.extend_from_slice(&count.to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&start.to_le_bytes());
            h.extend_from_slice(&LOCATOR64.to_le_bytes());
            h.extend_from_slice(&0u32.to_le_bytes());
            h.extend_from_slice(&end64.to_le_bytes());
            h.extend_from_slice(&1u32.to_le_bytes());
        }
        let count16 = count.min(MAX16) as u16;
        h.extend_from_slice(&END.to_le_bytes());
        h.extend_from_slice(&[0; 4]);
        h.extend_from_slice(&count16.to_le_bytes());
        h.extend_from_slice(&count16.to_le_bytes());
        h.extend_from_slice(&(size.min(MAX32) as u32).to_le_bytes());
        h.extend_from_slice(&(start.min(MAX32) as u32).to_le_bytes());
        // Comment length.
        h.extend_from_slice(&[0; 2]);
        self.put(&h)?;
        self.entries = Vec::new();
        self.names = Vec::new();
        self.chunk = Vec::new();
        self.central_next = 0;
        self.central_start = None;
        Ok(true)
    }
}

impl<W: Write> Write for ZipOut<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let Some(open) = &mut self.open else {
            return Err(io::Error::other("ZIP data written before an entry"));
        };
        open.crc.update(bytes);
        open.size += bytes.len() as u64;
        let deflate = self
            .entries
            .last()
            .and_then(|b| b.last())
            .is_some_and(Entry::deflate);
        if !deflate {
            // Nothing waits in the queue: `start` drained it.
            open.compressed += bytes.len() as u64;
            self.put(bytes)?;
            return Ok(bytes.len());
        }
        let mut rest = bytes;
        while !rest.is_empty() {
            if self.chunk.capacity() == 0 {
                self.chunk.reserve_exact(CHUNK);
            }
            let take = rest.len().min(CHUNK - self.chunk.len());
            self.chunk.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.chunk.len() == CHUNK {
                self.chunk_done(false)?;
            }
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::super::pack::noise;
    use super::*;
    use std::io::{Cursor, Read};

    fn write(entries: &[(&str, bool, bool, &[u8])]) -> Vec<u8> {
        let mut z = ZipOut::new(Vec::new(), dos_date_time(2024, 5, 6, 7, 8, 9), 1);
        for (name, deflate, large, data) in entries {
            z.start(name, *deflate, *large).unwrap();
            // In pieces, as exports write.
            for piece in data.chunks(1000) {
                z.write_all(piece).unwrap();
            }
        }
        z.finish().unwrap();
        z.out
    }

    use crate::export::python_zip::python_reads;

    fn contents(bytes: &[u8]) -> Vec<(String, Vec<u8>, zip::CompressionMethod)> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut f = zip.by_index(i).unwrap();
                let mut data = Vec::new();
                f.read_to_end(&mut data).unwrap();
                (f.name().unwrap().to_string(), data, f.compression())
            })
            .collect()
    }

    #[test]
    fn stored_and_deflated_entries_read_back_in_the_zip_crate_and_python() {
        let text = "Grüße, 🧊! ".repeat(20_000);
        let noise: Vec<u8> = (0..300_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let entries: [(&str, bool, bool, &[u8]); 5] = [
            ("posts/2024-05-06-1.md", true, false, text.as_bytes()),
            ("posts/2024-05-06-1/café.png", false, false, &noise),
            ("empty.md", true, false, b""),
            ("empty.bin", false, false, b""),
            ("outbox.json", true, true, text.as_bytes()),
        ];
        let bytes = write(&entries);
        let read = contents(&bytes);
        assert_eq!(read.len(), entries.len());
        for ((name, deflate, _, data), (n, d, method)) in entries.iter().zip(&read) {
            assert_eq!(name, n);
            assert_eq!(*data, &d[..]);
            let want = if *deflate {
                zip::CompressionMethod::Deflated
            } else {
                zip::CompressionMethod::Stored
            };
            assert_eq!(*method, want);
        }
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let f = zip.by_index(1).unwrap();
        let t = f.last_modified().unwrap();
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2024, 5, 6, 7, 8, 8)
        );
        assert_eq!(f.unix_mode(), Some(0o100_644));
        drop(f);
        // The text deflates.
        assert!(zip.by_index_raw(0).unwrap().compressed_size() < text.len() as u64 / 10);
        python_reads(&bytes, entries.len());
    }

    #[test]
    fn seventy_thousand_entries_have_zip64_end_records_and_read_back() {
        // Long enough names to fill more than one block of names.
        let names: Vec<String> = (0..70_000)
            .map(|i| format!("posts/2024-05-06-{i:0>20}.md"))
            .collect();
        let mut z = ZipOut::new(Vec::new(), dos_date_time(1970, 1, 1, 0, 0, 0), 1);
        for (i, name) in names.iter().enumerate() {
            z.start(name, i % 2 == 0, false).unwrap();
            write!(z, "post {i}").unwrap();
        }
        z.finish().unwrap();
        let bytes = z.out;
        // The classic end record says "see Zip64", and the Zip64 one is just before it.
        let end = &bytes[bytes.len() - 22..];
        assert_eq!(end[..4], END.to_le_bytes());
        assert_eq!(end[10..12], [0xFF, 0xFF]);
        assert_eq!(bytes[bytes.len() - 42..][..4], LOCATOR64.to_le_bytes());
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        assert_eq!(zip.len(), 70_000);
        for i in [0, 1, 65_534, 65_535, 65_536, 69_999] {
            let mut f = zip.by_index(i).unwrap();
            assert_eq!(f.name().unwrap(), names[i]);
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            assert_eq!(s, format!("post {i}"));
            // Before 1980: ZIP's earliest date.
            let t = f.last_modified().unwrap();
            assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1));
        }
        python_reads(&bytes, 70_000);
    }

    #[test]
    fn a_large_entry_has_zip64_in_its_local_header_and_8_byte_sizes_after_it() {
        let bytes = write(&[
            ("outbox.json", true, true, b"{}"),
            ("a", false, false, b"b"),
        ]);
        // Local header: version 4.5, a 20-byte extra field, Zip64's id.
        assert_eq!(bytes[4..6], 45u16.to_le_bytes());
        assert_eq!(bytes[28..30], 20u16.to_le_bytes());
        assert_eq!(bytes[30 + 11..][..2], 1u16.to_le_bytes());
        // The descriptor after the 4 bytes of deflated `{}`: signature, CRC, two u64 sizes.
        let data = 30 + 11 + 20;
        let d = bytes[data..]
            .windows(4)
            .position(|w| w == DESCRIPTOR.to_le_bytes())
            .unwrap()
            + data;
        assert_eq!(bytes[d + 16..d + 24], 2u64.to_le_bytes());
        assert_eq!(bytes[d + 24..d + 28], LOCAL.to_le_bytes());
        let read = contents(&bytes);
        assert_eq!(read[0].1, b"{}");
        assert_eq!(read[1].1, b"b");
        python_reads(&bytes, 2);
    }

    #[test]
    fn whole_entries_have_sizes_in_their_local_headers_and_read_back_byte_for_byte() {
        let text = "---\nid: \"x\"\n---\n\nGrüße, 🧊! ".repeat(500);
        let noise = noise(7, 5_000);
        // A JPEG's start: stored as it is, byte for byte.
        let jpeg = [&[0xFF, 0xD8, 0xFF, 0xE0][..], &noise].concat();
        let big_text = "{\"a\":1}\n".repeat(200_000);
        let mut z = ZipOut::new(Vec::new(), dos_date_time(2024, 5, 6, 7, 8, 9), 1);
        z.entry("posts/a.md", text.clone().into_bytes(), true)
            .unwrap();
        z.entry("posts/a/1-photo.jpg", jpeg.clone(), false).unwrap();
        // Asked to deflate what does not shrink: stored.
        z.entry("noise.md", noise.clone(), true).unwrap();
        z.entry("empty.md", Vec::new(), true).unwrap();
        // A streamed entry between whole ones, and a whole one too large for the small deflater.
        z.start("outbox.json", true, false).unwrap();
        z.write_all(text.as_bytes()).unwrap();
        z.entry("big.json", big_text.clone().into_bytes(), true)
            .unwrap();
        z.entry("posts/b.md", text.clone().into_bytes(), true)
            .unwrap();
        z.finish().unwrap();
        let bytes = z.out;
        // The first local header: bit 3 clear, CRC-32 and sizes filled in.
        assert_eq!(bytes[6..8], FLAGS_SIZED.to_le_bytes());
        assert_eq!(
            bytes[14..18],
            crc32fast::hash(text.as_bytes()).to_le_bytes()
        );
        assert_eq!(bytes[22..26], (text.len() as u32).to_le_bytes());
        let read = contents(&bytes);
        let want: [(&str, &[u8], zip::CompressionMethod); 7] = [
            (
                "posts/a.md",
                text.as_bytes(),
                zip::CompressionMethod::Deflated,
            ),
            ("posts/a/1-photo.jpg", &jpeg, zip::CompressionMethod::Stored),
            ("noise.md", &noise, zip::CompressionMethod::Stored),
            ("empty.md", b"", zip::CompressionMethod::Stored),
            (
                "outbox.json",
                text.as_bytes(),
                zip::CompressionMethod::Deflated,
            ),
            (
                "big.json",
                big_text.as_bytes(),
                zip::CompressionMethod::Deflated,
            ),
            (
                "posts/b.md",
                text.as_bytes(),
                zip::CompressionMethod::Deflated,
            ),
        ];
        assert_eq!(read.len(), want.len());
        for ((name, data, method), (n, d, m)) in want.iter().zip(&read) {
            assert_eq!((name, method), (&n.as_str(), m));
            assert!(*data == &d[..], "{name}");
        }
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        assert!(zip.by_index_raw(0).unwrap().compressed_size() < text.len() as u64 / 10);
        python_reads(&bytes, want.len());
    }

    #[test]
    fn the_central_directory_in_parts_is_the_same_bytes() {
        let make = || {
            let mut z = ZipOut::new(Vec::new(), (0x21, 0), 1);
            for i in 0..1000 {
                z.entry(
                    &format!("posts/{i}.md"),
                    format!("post {i}").into_bytes(),
                    true,
                )
                .unwrap();
            }
            z
        };
        let mut whole = make();
        whole.finish().unwrap();
        let mut parts = make();
        let mut calls = 0;
        // Drained between calls, as the export sends parts.
        let mut drained = Vec::new();
        loop {
            calls += 1;
            let done = parts.finish_some(4096).unwrap();
            drained.append(&mut parts.out);
            if done {
                break;
            }
        }
        assert!(calls > 5);
        assert!(drained == whole.out);
        python_reads(&drained, 1000);
    }

    #[test]
    fn helpers_write_the_same_bytes_as_one_thread_across_chunks_and_entries() {
        let video = noise(11, CHUNK + 5);
        let tail = noise(12, 3000);
        // Three and a half chunks of text that repeats only loosely.
        let outbox: Vec<u8> = (0..7 * CHUNK / 2)
            .map(|i| b"{\"type\":\"Create\",\"river\"}"[i % 25] ^ ((i >> 12) as u8 & 3))
            .collect();
        let docs: Vec<Vec<u8>> = (0..3000)
            .map(|i| {
                format!("---\nid: {i}\n---\n\npost {i} {}", "river ".repeat(i % 50)).into_bytes()
            })
            .collect();
        let make = |helpers| {
            let mut z = ZipOut::with_helpers(Vec::new(), (0x21, 0), 1, helpers);
            for (i, d) in docs.iter().enumerate() {
                z.entry(&format!("posts/{i}.md"), d.clone(), true).unwrap();
                if i == 1500 {
                    z.entry("posts/1500/video.mp4", video.clone(), false)
                        .unwrap();
                }
            }
            z.start("outbox.json", true, false).unwrap();
            for piece in outbox.chunks(7777) {
                z.write_all(piece).unwrap();
            }
            z.entry("after.md", docs[7].clone(), true).unwrap();
            z.start("tail.bin", false, false).unwrap();
            z.write_all(&tail).unwrap();
            z.finish().unwrap();
            z.out
        };
        let one = make(0);
        let three = make(3);
        assert!(one == three, "the bytes depend on the number of threads");
        let read = contents(&three);
        assert_eq!(read.len(), 3004);
        for (i, d) in docs.iter().enumerate().step_by(97) {
            let k = if i > 1500 { i + 1 } else { i };
            assert_eq!(
                (read[k].0.as_str(), &read[k].1),
                (&*format!("posts/{i}.md"), d)
            );
        }
        assert_eq!(read[1501].0, "posts/1500/video.mp4");
        assert!(read[1501].1 == video);
        assert_eq!(read[3001].0, "outbox.json");
        assert!(read[3001].1 == outbox);
        assert_eq!(read[3001].2, zip::CompressionMethod::Deflated);
        assert_eq!(read[3002].1, docs[7]);
        assert!(read[3003].1 == tail);
        python_reads(&three, 3004);
    }

    #[test]
    fn data_before_an_entry_is_an_error() {
        let mut z = ZipOut::new(Vec::new(), (0x21, 0), 1);
        assert!(z.write_all(b"x").is_err());
    }
}
