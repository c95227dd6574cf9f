//! ZIP archives (Mastodon 4.2 and later), read through the `zip` crate from the central
//! directory, so that only the directory is read to list entries and each entry's data is read
//! on demand.
//!
//! The crate locates entries (Zip64 and prepended data included); decompression is done here,
//! from the entry's raw bytes, so that the limits, the checksum and the error messages are this
//! crate's own.

use std::io::{self, Read, Seek, SeekFrom};

use ::zip::result::ZipError;
use ::zip::{CompressionMethod, ZipArchive};
use flate2::read::DeflateDecoder;

use crate::error::Error;
use crate::limits::{check_declared, too_large, Bounded, CrcCheck, Limits, Short};
use crate::name::normalise;
use crate::{Entry, RawEntry};

/// An open ZIP archive and, for each listed entry, its index in the central directory.
pub(crate) struct ZipSource<R> {
    archive: ZipArchive<Held<R>>,
    indices: Vec<usize>,
    /// Directory records hidden behind a later record of the same name (the `zip` crate keeps
    /// the last of each name).
    pub(crate) shadowed: u64,
}

/// How far from the end the end-of-central-directory record can start: its 22 bytes plus a
/// comment of up to 64 KiB.
const EOCD_SEARCH: u64 = EOCD_LEN as u64 + 0xffff;

/// The most compressed bytes of an entry read whole before it is inflated ([`ZipSource::read`]).
const SMALL_RAW: u64 = 8 << 20;

/// The length of the end-of-central-directory record without its comment.
const EOCD_LEN: usize = 22;

/// What the end-of-central-directory record says that opening needs: the entry count (`None`
/// when the record defers to Zip64, `0xffff`), and where the central directory starts in the
/// file, from the record's own place and the directory's size (`None` when that size is in a
/// Zip64 record), for reading it in one go ([`Held`]).
pub(crate) struct EndRecord {
    pub(crate) count: Option<u64>,
    directory_from: Option<u64>,
}

/// The end-of-central-directory record when a complete one (signature and 18 more bytes) is in
/// the last [`EOCD_SEARCH`] bytes, `None` without one: a ZIP ends with its directory, so a
/// cut-off download loses it first.
pub(crate) fn end_record<R: Read + Seek>(source: &mut R) -> Result<Option<EndRecord>, Error> {
    let len = source
        .seek(SeekFrom::End(0))
        .map_err(|err| Error::io(err, None))?;
    let start = len.saturating_sub(EOCD_SEARCH);
    source
        .seek(SeekFrom::Start(start))
        .map_err(|err| Error::io(err, None))?;
    // In one read (`EOCD_SEARCH` bytes at most).
    let mut tail = vec![0; (len - start) as usize];
    source
        .read_exact(&mut tail)
        .map_err(|err| Error::io(err, None))?;
    // A signature at `at` heads a complete record if `at + EOCD_LEN <= tail.len()`.
    let complete = tail.len().saturating_sub(EOCD_LEN - 4);
    let Some(at) = tail
        .get(..complete)
        .unwrap_or_default()
        .windows(4)
        .rposition(|window| window == b"PK\x05\x06")
    else {
        return Ok(None);
    };
    let field = |offset: usize, width: usize| {
        tail.get(at + offset..at + offset + width).map(|b| {
            b.iter()
                .rev()
                .fold(0u64, |n, &byte| n << 8 | u64::from(byte))
        })
    };
    // Offset 10: the total number of entries in the central directory; 12: its size. The
    // directory ends where this record starts, or where the Zip64 records before it start (a
    // few dozen bytes, which `ZIP64_RECORDS` leaves room for).
    let count = field(10, 2).filter(|&n| n != 0xffff);
    let directory_from = field(12, 4)
        .filter(|&size| size != 0xffff_ffff)
        .map(|size| (start + at as u64).saturating_sub(size + ZIP64_RECORDS));
    Ok(Some(EndRecord {
        count,
        directory_from,
    }))
}

/// Room before the end-of-central-directory record for the Zip64 end record (56 bytes and its
/// extensible data) and its locator (20), when there are.
const ZIP64_RECORDS: u64 = 1024;

/// The most of a ZIP's central directory read in one go ([`Held`]): 88,000 entries (300,000
/// posts) take about 8 MB.
const HELD_MAX: u64 = 64 << 20;

/// A reader over `inner` that holds one stretch of it in memory, read in one go, and reads the
/// rest from `inner`: the central directory, which the `zip` crate reads a record at a time (in
/// the browser each read of the file is a round trip to the browser process, and the directory
/// of an archive of 30,000 entries took nine). The stretch is dropped at the first read outside
/// it (the directory is read once, when the archive is opened).
pub(crate) struct Held<R> {
    inner: R,
    start: u64,
    bytes: Vec<u8>,
    /// Where this reader is, and where `inner` is (`None`: unknown, seek it first).
    pos: u64,
    inner_pos: Option<u64>,
    len: u64,
}

impl<R: Read + Seek> Held<R> {
    /// `inner` with its bytes from `from` to its end held, when there are at most [`HELD_MAX`]
    /// of them and they can be read; else `inner` read as it is.
    fn new(mut inner: R, from: Option<u64>) -> io::Result<Held<R>> {
        let len = inner.seek(SeekFrom::End(0))?;
        let mut held = Held {
            inner,
            start: 0,
            bytes: Vec::new(),
            pos: 0,
            inner_pos: Some(len),
            len,
        };
        if let Some(from) = from.filter(|&from| from < len && len - from <= HELD_MAX) {
            let mut bytes = vec![0; (len - from) as usize];
            held.inner.seek(SeekFrom::Start(from))?;
            held.inner_pos = None;
            if held.inner.read_exact(&mut bytes).is_ok() {
                held.start = from;
                held.bytes = bytes;
                held.inner_pos = Some(len);
            }
        }
        Ok(held)
    }
}

impl<R: Read + Seek> Read for Held<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let held = usize::try_from(self.pos.wrapping_sub(self.start))
            .ok()
            .filter(|_| self.pos >= self.start)
            .and_then(|at| self.bytes.get(at..))
            .filter(|rest| !rest.is_empty());
        if let Some(rest) = held {
            let n = out.len().min(rest.len());
            if let (Some(out), Some(from)) = (out.get_mut(..n), rest.get(..n)) {
                out.copy_from_slice(from);
            }
            self.pos += n as u64;
            return Ok(n);
        }
        if !self.bytes.is_empty() {
            self.bytes = Vec::new();
        }
        if self.inner_pos != Some(self.pos) {
            self.inner.seek(SeekFrom::Start(self.pos))?;
        }
        let n = self.inner.read(out)?;
        self.pos += n as u64;
        self.inner_pos = Some(self.pos);
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for Held<R> {
    fn seek(&mut self, from: SeekFrom) -> io::Result<u64> {
        let target = match from {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.pos)
    }
}

/// Opens a ZIP and lists its files (directories are left out). The caller has found the
/// [`end_record`].
pub(crate) fn open<R: Read + Seek>(
    source: R,
    record: EndRecord,
) -> Result<(Vec<Entry>, ZipSource<R>), Error> {
    let declared = record.count;
    let source = Held::new(source, record.directory_from).map_err(|err| Error::io(err, None))?;
    let archive = ZipArchive::new(source).map_err(|err| match err {
        ZipError::Io(err) if err.kind() == io::ErrorKind::UnexpectedEof => {
            Error::corrupt("its central directory points past the end of the file").with_source(err)
        }
        ZipError::Io(err) => Error::io(err, None),
        ZipError::UnsupportedArchive(what) => Error::corrupt(format_args!("unsupported: {what}")),
        err => Error::corrupt(&err).with_source(err),
    })?;
    let mut entries = Vec::with_capacity(archive.len());
    let mut indices = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let file = archive
            .by_index_data(index)
            .map_err(|err| Error::corrupt(&err).with_source(err))?;
        if file.is_dir() {
            continue;
        }
        let raw = match file.name() {
            Ok(name) => normalise(&name),
            Err(_) => normalise(&String::from_utf8_lossy(file.name_raw())),
        };
        if raw.is_empty() {
            continue;
        }
        entries.push(Entry {
            name: raw,
            size: file.size(),
            compressed_size: Some(file.compressed_size()),
        });
        indices.push(index);
    }
    let shadowed = declared.map_or(0, |n| n.saturating_sub(archive.len() as u64));
    Ok((
        entries,
        ZipSource {
            archive,
            indices,
            shadowed,
        },
    ))
}

impl<R: Read + Seek> ZipSource<R> {
    /// A reader of the `at`th listed entry, inflated, bounded and checksummed.
    pub(crate) fn read<'a>(
        &'a mut self,
        at: usize,
        entry: &'a Entry,
        limits: &Limits,
    ) -> Result<Box<dyn Read + 'a>, Error> {
        let name = entry.name.as_str();
        let index = *self
            .indices
            .get(at)
            .ok_or_else(|| Error::no_such_entry(at, self.indices.len()))?;
        if let Some((data, method, crc, size)) = self.small_raw(index) {
            let compressed = data.len() as u64;
            let raw = Box::new(io::Cursor::new(data));
            return inflating(raw, name, method, crc, (size, compressed), limits);
        }
        let file = self
            .archive
            .by_index_raw(index)
            .map_err(|err| entry_error(name, err))?;
        if file.encrypted() {
            return Err(Error::encrypted(name));
        }
        let (size, compressed, crc) = (file.size(), file.compressed_size(), file.crc32());
        let method = file.compression();
        inflating(
            Box::new(file),
            name,
            method,
            crc,
            (size, compressed),
            limits,
        )
    }

    /// The compressed bytes of a small entry, read whole in one read (with its method,
    /// checksum and size), or `None` to stream it: one read of the file rather than many small
    /// ones (in the browser each read is a slice of the file, a round trip to the browser
    /// process: likes.json took five). Anything unusual (encrypted, larger than
    /// [`SMALL_RAW`], its data cut short) is left to the stream, which says what is wrong.
    fn small_raw(&mut self, index: usize) -> Option<(Vec<u8>, CompressionMethod, u32, u64)> {
        let mut file = self.archive.by_index_raw(index).ok()?;
        let compressed = file.compressed_size();
        if file.encrypted() || compressed > SMALL_RAW {
            return None;
        }
        let mut data = vec![0; usize::try_from(compressed).ok()?];
        file.read_exact(&mut data).ok()?;
        Some((data, file.compression(), file.crc32(), file.size()))
    }

    /// Where the `at`th listed entry's data lies, for [`read_span`]: `None` for an encrypted
    /// entry, one compressed with another method than STORED or DEFLATE, or one the directory
    /// cannot locate (reading it says why).
    pub(crate) fn span(&mut self, at: usize, entry: &Entry) -> Option<Span> {
        let index = *self.indices.get(at)?;
        let file = self.archive.by_index_raw(index).ok()?;
        let deflated = match file.compression() {
            CompressionMethod::Stored => false,
            CompressionMethod::Deflated => true,
            _ => return None,
        };
        if file.encrypted() {
            return None;
        }
        Some(Span {
            name: entry.name.clone(),
            start: file.data_start()?,
            compressed: file.compressed_size(),
            size: file.size(),
            crc32: file.crc32(),
            deflated,
        })
    }

    /// The `at`th listed entry's compressed bytes (see [`crate::Container::read_raw`]).
    pub(crate) fn read_raw(
        &mut self,
        at: usize,
        entry: &Entry,
        limits: &Limits,
        max: u64,
    ) -> Result<Option<RawEntry>, Error> {
        let name = entry.name.as_str();
        let index = *self
            .indices
            .get(at)
            .ok_or_else(|| Error::no_such_entry(at, self.indices.len()))?;
        let mut file = self
            .archive
            .by_index_raw(index)
            .map_err(|err| entry_error(name, err))?;
        if file.encrypted() {
            return Err(Error::encrypted(name));
        }
        let (size, compressed, crc32) = (file.size(), file.compressed_size(), file.crc32());
        let deflated = match file.compression() {
            CompressionMethod::Stored if compressed == size => false,
            // DEFLATE grows nothing by more than its stored blocks' 5 bytes per 64 KiB: larger is
            // padding or a lie, which the inflating reader judges.
            CompressionMethod::Deflated if compressed <= size + size / 1024 + 1024 => true,
            // Sizes that disagree, or another method: the inflating reader says what is wrong.
            _ => return Ok(None),
        };
        check_declared(name, size, Some(compressed), limits)?;
        if size > max {
            return Err(too_large(
                name,
                format!("it declares {size} bytes, more than the {max} asked for"),
            ));
        }
        // `compressed` is about `size` at most, and `size` at most `max`.
        let mut data = Vec::with_capacity(usize::try_from(compressed).unwrap_or(0));
        file.read_to_end(&mut data)
            .map_err(|err| Error::io(err, Some(name)))?;
        if data.len() as u64 != compressed {
            return Err(Error::corrupt_entry(
                name,
                "its data lies past the end of the file",
            ));
        }
        Ok(Some(RawEntry {
            deflated,
            crc32,
            size,
            data,
        }))
    }
}

/// Where a ZIP entry's compressed bytes lie in the file, and what checks them: what another
/// reader of the same file needs to read the entry without listing the archive again
/// ([`crate::Container::span`], [`read_span`]). The browser's worker hands outbox.json's span to a
/// second worker, which inflates it on the other core while the first parses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// The entry's name, as listed.
    pub name: String,
    /// The offset of its data (past the local header).
    pub start: u64,
    /// Its compressed size, as the directory declares it.
    pub compressed: u64,
    /// Its size, as the directory declares it.
    pub size: u64,
    /// Its CRC-32, as the directory declares it.
    pub crc32: u32,
    /// DEFLATE; else STORED.
    pub deflated: bool,
}

/// The entry at `span` of `source` (the file the span was taken from), inflated, bounded and
/// checksummed: the reader [`crate::Container::read_entry`] gives for it, with the same errors.
pub fn read_span<'a, R: Read + Seek + 'a>(
    mut source: R,
    span: &'a Span,
    limits: &Limits,
) -> Result<Box<dyn Read + 'a>, Error> {
    let name = span.name.as_str();
    source
        .seek(SeekFrom::Start(span.start))
        .map_err(|err| Error::io(err, Some(name)))?;
    let method = if span.deflated {
        CompressionMethod::Deflated
    } else {
        CompressionMethod::Stored
    };
    let (size, compressed) = (span.size, span.compressed);
    let raw = Box::new(source.take(compressed));
    inflating(raw, name, method, span.crc32, (size, compressed), limits)
}

/// An entry's `raw` bytes (its compressed data, `compressed` bytes long) as a reader of its
/// contents: inflated by `method`, checksummed and bounded ([`checked`]).
fn inflating<'a>(
    raw: Box<dyn Read + 'a>,
    name: &'a str,
    method: CompressionMethod,
    crc: u32,
    (size, compressed): (u64, u64),
    limits: &Limits,
) -> Result<Box<dyn Read + 'a>, Error> {
    check_declared(name, size, Some(compressed), limits)?;
    let inflated: Box<dyn Read + 'a> = match method {
        CompressionMethod::Stored => {
            if compressed != size {
                return Err(Error::corrupt_entry(
                    name,
                    format_args!(
                        "it is stored uncompressed but its sizes disagree ({size} and \
                         {compressed} bytes)"
                    ),
                ));
            }
            raw
        }
        CompressionMethod::Deflated => Box::new(DeflateDecoder::new(raw)),
        method => return Err(Error::unsupported_compression(name, method)),
    };
    Ok(checked(inflated, name, crc, (size, compressed), limits))
}

/// A ZIP entry's inflated bytes, checksummed and bounded by its declared `(size, compressed)`
/// sizes and the limits: how every ZIP entry is read, whole or salvaged.
pub(crate) fn checked<'a>(
    inflated: Box<dyn Read + 'a>,
    name: &'a str,
    crc: u32,
    (size, compressed): (u64, u64),
    limits: &Limits,
) -> Box<dyn Read + 'a> {
    Box::new(Bounded::new(
        CrcCheck::new(inflated, name, crc),
        name,
        size,
        Some(compressed),
        *limits,
        Short::Corrupt,
    ))
}

/// What the `zip` crate's error in locating entry `name`'s data means.
fn entry_error(name: &str, err: ZipError) -> Error {
    match err {
        ZipError::Io(err) if err.kind() == io::ErrorKind::UnexpectedEof => {
            Error::corrupt_entry(name, "its data lies past the end of the file")
        }
        ZipError::Io(err) => Error::io(err, Some(name)),
        err => Error::corrupt_entry(name, &err).with_source(err),
    }
}

/// A ZIP local file header as written: the fixed fields (sizes as in their 32-bit fields), the
/// name (normalised), the extra field, and where the entry's data starts.
pub(crate) struct LocalHeader {
    pub(crate) flags: u16,
    pub(crate) method: u16,
    pub(crate) crc32: u32,
    pub(crate) compressed: u32,
    pub(crate) size: u32,
    pub(crate) name: String,
    pub(crate) extra: Vec<u8>,
    pub(crate) data_offset: u64,
}

/// The local header at `at`; `None` when there is none there, or the file ends inside it.
pub(crate) fn local_header<R: Read + Seek>(
    source: &mut R,
    at: u64,
) -> Result<Option<LocalHeader>, Error> {
    const LOCAL_LEN: usize = 30;
    let Some(fixed) = read_at(source, at, LOCAL_LEN)? else {
        return Ok(None);
    };
    if fixed.get(..4) != Some(&b"PK\x03\x04"[..]) {
        return Ok(None);
    }
    let u16_at = |i: usize| {
        fixed
            .get(i..i + 2)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u16::from_le_bytes)
    };
    let u32_at = |i: usize| {
        fixed
            .get(i..i + 4)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u32::from_le_bytes)
    };
    let (name_len, extra_len) = (usize::from(u16_at(26)), usize::from(u16_at(28)));
    let Some(variable) = read_at(source, at + LOCAL_LEN as u64, name_len + extra_len)? else {
        return Ok(None);
    };
    let (raw_name, extra) = variable.split_at_checked(name_len).unwrap_or_default();
    Ok(Some(LocalHeader {
        flags: u16_at(6),
        method: u16_at(8),
        crc32: u32_at(14),
        compressed: u32_at(18),
        size: u32_at(22),
        name: normalise(&String::from_utf8_lossy(raw_name)),
        extra: extra.to_vec(),
        data_offset: at + (LOCAL_LEN + name_len + extra_len) as u64,
    }))
}

/// `len` bytes at `at`, or `None` when the file ends before.
fn read_at<R: Read + Seek>(source: &mut R, at: u64, len: usize) -> Result<Option<Vec<u8>>, Error> {
    source
        .seek(SeekFrom::Start(at))
        .map_err(|err| Error::io(err, None))?;
    let mut bytes = Vec::with_capacity(len);
    source
        .take(len as u64)
        .read_to_end(&mut bytes)
        .map_err(|err| Error::io(err, None))?;
    Ok((bytes.len() == len).then_some(bytes))
}

/// Where the first entry of a ZIP lies, from its local header at the start of the file, before
/// (and without) the central directory: `None` unless the header says all a [`Span`] needs (a
/// stored or deflated entry, not encrypted, its sizes and checksum in the header rather than
/// after the data or in a Zip64 field).
///
/// A guess for starting early only: the directory stays the authority, and the span it gives
/// ([`crate::Container::span`]) must be compared with this before what was read is used. Equal
/// spans read the same bytes, checked the same way.
pub fn first_span<R: Read + Seek>(source: &mut R) -> Option<Span> {
    let header = local_header(source, 0).ok().flatten()?;
    // Encrypted, or sizes and checksum written after the data.
    if header.flags & (1 | 1 << 3) != 0 {
        return None;
    }
    let deflated = match header.method {
        8 => true,
        0 => false,
        _ => return None,
    };
    // Unknown here (Zip64), or nothing to read.
    if [header.compressed, header.size].contains(&u32::MAX) || header.compressed == 0 {
        return None;
    }
    Some(Span {
        name: header.name,
        start: header.data_offset,
        compressed: u64::from(header.compressed),
        size: u64::from(header.size),
        crc32: header.crc32,
        deflated,
    })
}

/// The first entry of a ZIP read from its local header at the start of the file, before (and
/// without) the central directory: its name, and a reader of at most `max_compressed` bytes
/// of its data, inflated. `None` unless the file starts with a local header of a stored or
/// deflated entry that is not encrypted.
///
/// For a glance only: the local header may disagree with the directory, which stays the
/// authority, and nothing checks the data (a cut stream just ends). Mastodon writes outbox.json
/// first (archive-format.md, "Entry order"), so its first posts can be shown while the directory
/// of a large archive (88,000 entries at 300,000 posts) is listed.
pub fn first_entry<R: Read + Seek>(
    source: &mut R,
    max_compressed: u64,
) -> Option<(String, Box<dyn Read + '_>)> {
    let header = local_header(source, 0).ok().flatten()?;
    if header.flags & 1 != 0 {
        return None;
    }
    source.seek(SeekFrom::Start(header.data_offset)).ok()?;
    let (name, compressed) = (header.name, header.compressed);
    let data = source.take(max_compressed);
    match header.method {
        8 => Some((name, Box::new(DeflateDecoder::new(data)))),
        // Stored: the header's size bounds it, unless it is unknown there (written after the
        // data, or in a Zip64 field).
        0 if compressed != 0 && compressed != u32::MAX => {
            Some((name, Box::new(data.take(u64::from(compressed)))))
        }
        _ => None,
    }
}
