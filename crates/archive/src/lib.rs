//! Reads the containers a Mastodon archive comes in (ZIP, tar.gz, plain tar, an extracted folder
//! or loose files) from byte-range sources, and lists and reads their entries.
//!
//! The same code runs natively in the CLI and compiled to wasm32 in the browser's Web Worker, so
//! it never touches a path or the file system: a container is read through any
//! [`Read`] + [`Seek`] source (a file, a `Cursor` over bytes, a reader of `Blob` slices), and is
//! never read whole into memory.
//!
//! # Brief overview
//!
//! - [`Container::open`] recognises the format by its first bytes ([`sniff`]), never by its name,
//!   and lists the [`Entry`]s: normalised names (`/` separators, no leading `/` or `./`, no
//!   directory entries) and sizes.
//! - [`Container::from_files`] makes an extracted folder or a set of loose files behave the same,
//!   with one source per file.
//! - [`Container::read_entry`] returns a reader of one entry; [`Container::read_entries`] reads
//!   several in one pass, which matters for tar.gz.
//! - Every entry reader is bounded by [`Limits`]: an entry that inflates beyond its declared size,
//!   beyond a compression ratio, or beyond a maximum size fails with [`ErrorKind::TooLarge`].
//! - Failures are [`Error`]s with an [`ErrorKind`] and a message saying what to do, such as "the
//!   file ends early: the download was probably interrupted; download it again".
//!
//! # Costs by format
//!
//! - **ZIP** (Mastodon 4.2+): listing reads the central directory at the end of the file; an
//!   entry is read by seeking to it. Zip64 and data prepended to the archive are handled. A ZIP
//!   that ends early (an interrupted download) has no central directory: its local headers are
//!   walked from the start instead, one seek per entry, and the entries that arrived whole are
//!   listed when outbox.json is among them, or is the entry cut short: then it is listed with
//!   what arrived of it ([`Container::salvaged`] says where it ends).
//! - **Plain tar**: listing reads each 512-byte header and seeks over the data; an entry is read
//!   by seeking to it. A tar or tar.gz that ends early is listed up to the cut: the entries
//!   whose data arrived, and an outbox.json cut short with what arrived of it, when outbox.json
//!   is among them (Mastodon's tar.gz has its media first, so a cut there holds no post), with
//!   the access points recorded up to the cut ([`Container::salvaged`] says where it ends).
//! - **tar.gz** (Mastodon 2.3 to 4.1): gzip cannot seek, so listing inflates the whole stream once
//!   (and checks its checksum). While it does, it records an access point about every 8 MiB of
//!   the uncompressed stream ([`Limits::access_point_spacing`]): where a deflate block starts and
//!   the 32 KiB before it, as zlib's `zran` does. [`Container::read_entry`] inflates from the last
//!   access point before the entry, so reading any one entry of a 2 GB archive inflates about
//!   8 MiB plus the entry, not up to 2 GB (`cargo bench -p permafrost-archive --bench
//!   tar_gz_seek`: 3 to 20 ms instead of about 500 ms for an entry of a 200 MB tar.gz). The points take at most 32 KiB each and 256 of them
//!   (8 MiB) by default: a longer stream gets them further apart ([`Limits::max_access_points`]).
//!   Such a read cannot check the gzip checksum, which covers the whole stream (listing checked
//!   it): the entry is checked by its size only, and damage that still inflates goes unnoticed.
//!   [`Container::read_entries`] reads many entries in one pass, from the access point before the
//!   first. [`Container::access_points`] lists the points.
//!
//! Sources must allow seeking past their end, as `std` files and cursors do.
//!
//! # Example
//!
//! ```
//! use std::io::{Cursor, Read, Write};
//!
//! use permafrost_archive::{Container, Format};
//!
//! // A mini export, built in memory: outbox.json, one media file and actor.json.
//! let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
//! let options = zip::write::SimpleFileOptions::default();
//! zip.start_file("outbox.json", options)?;
//! zip.write_all(br#"{"type":"OrderedCollection","orderedItems":[]}"#)?;
//! zip.start_file("media_attachments/files/000/000/001/original/a.png", options)?;
//! zip.write_all(b"\x89PNG\r\n\x1a\n")?;
//! zip.start_file("actor.json", options)?;
//! zip.write_all(br#"{"type":"Person"}"#)?;
//! let bytes = zip.finish()?.into_inner();
//!
//! let mut archive = Container::open(Cursor::new(bytes))?;
//! assert_eq!(archive.format(), Format::Zip);
//! let names: Vec<&str> = archive.entries().iter().map(|entry| entry.name.as_str()).collect();
//! assert_eq!(
//!     names,
//!     [
//!         "outbox.json",
//!         "media_attachments/files/000/000/001/original/a.png",
//!         "actor.json"
//!     ]
//! );
//!
//! let outbox = archive.find("outbox.json").expect("listed");
//! let mut json = String::new();
//! archive.read_entry(outbox)?.read_to_string(&mut json)?;
//! assert!(json.contains("OrderedCollection"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![deny(clippy::indexing_slicing)]

mod error;
mod gz;
mod inflated;
mod limits;
mod name;
mod salvage;
mod sniff;
mod tar;
mod zip;

use std::fmt;
use std::io::{Read, Seek, SeekFrom};

pub use crate::error::{Error, ErrorKind, MESSAGES};
pub use crate::gz::AccessPoint;
pub use crate::inflated::{GzipElsewhere, GzipInflater};
pub use crate::limits::Limits;
pub use crate::salvage::Salvage;
pub use crate::sniff::{description_code, sniff, Sniffed, DESCRIPTIONS, SNIFF_LEN};
pub use crate::zip::first_entry as first_zip_entry;
pub use crate::zip::first_span as first_zip_span;
pub use crate::zip::{read_span, Span};

use crate::limits::{check_declared, Bounded, Short};

/// The kind of container an archive came in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub enum Format {
    /// A ZIP archive (Mastodon 4.2 and later).
    Zip,
    /// A gzip-compressed tar archive (Mastodon 2.3 to 4.1).
    TarGz,
    /// A plain tar archive (a tar.gz that a browser un-gzipped).
    Tar,
    /// An extracted folder (see [`Container::from_files`]).
    Folder,
    /// Loose files chosen one by one (see [`Container::from_files`]).
    Files,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Zip => "zip",
            Format::TarGz => "tar.gz",
            Format::Tar => "tar",
            Format::Folder => "folder",
            Format::Files => "files",
        })
    }
}

/// A file in a container.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The path inside the container, normalised: `/` separators (a `\` becomes `/`), no leading
    /// `/` or `./`, no empty or `.` components, the ustar `prefix` joined with `/`. Absolute
    /// tar-era media names such as `/home/mastodon/live/public/system/media_attachments/…` lose
    /// their leading `/`; nothing else is removed. Directories are never listed.
    pub name: String,
    /// The uncompressed size the container declares. Reading yields exactly this many bytes or
    /// fails.
    pub size: u64,
    /// The compressed size, for ZIP entries; `None` for the other formats.
    pub compressed_size: Option<u64>,
}

/// A ZIP entry's data as stored in the archive (see [`Container::read_raw`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEntry {
    /// True when `data` is a raw DEFLATE stream; false when it is the file itself (stored).
    pub deflated: bool,
    /// The CRC-32 of the uncompressed file, as the archive declares it.
    pub crc32: u32,
    /// The uncompressed size the archive declares.
    pub size: u64,
    /// The bytes as they are in the archive.
    pub data: Vec<u8>,
}

/// Where entries' bytes come from, by format.
enum Source<R> {
    Zip(zip::ZipSource<R>),
    /// A ZIP that ends early: its complete entries, from their local headers.
    Salvaged(salvage::SalvagedZip<R>),
    Tar(tar::TarSource<R>),
    TarGz(tar::TarGzSource<R>),
    /// One source per listed entry.
    Files(Vec<R>),
}

/// An open container: its format, its entries, and the source to read them from.
///
/// See the [crate documentation](crate) for an example and the costs of each format.
pub struct Container<R> {
    format: Format,
    entries: Vec<Entry>,
    limits: Limits,
    source: Source<R>,
    salvaged: Option<Salvage>,
}

impl<R> fmt::Debug for Container<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Container")
            .field("format", &self.format)
            .field("entries", &self.entries.len())
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl<R> Container<R> {
    /// The container's format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Set when the container ends early (an interrupted download) and holds only the entries
    /// that arrived whole (a ZIP's read from their local headers, a tar's listed up to the cut),
    /// and an outbox.json cut short: where it ends. The caller should say so; reading works as
    /// for any container of its format.
    pub fn salvaged(&self) -> Option<&Salvage> {
        self.salvaged.as_ref()
    }

    /// The files in the container, in container order. Indices into this slice name entries in
    /// [`Container::read_entry`] and [`Container::read_entries`].
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// How many ZIP directory records were hidden because a later record has the same name
    /// (only the last of each name is listed and read); 0 for the other formats, which list
    /// every copy.
    pub fn shadowed_entries(&self) -> u64 {
        match &self.source {
            Source::Zip(zip) => zip.shadowed,
            _ => 0,
        }
    }

    /// The limits every entry reader enforces.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// For a tar.gz, the access points that listing recorded, in stream order (see
    /// [`Limits::access_point_spacing`]); for other formats, none. Their `memory` adds up to what
    /// they take.
    pub fn access_points(&self) -> Vec<AccessPoint> {
        match &self.source {
            Source::TarGz(tar) => tar.access_points(),
            _ => Vec::new(),
        }
    }

    /// The index of the shallowest entry whose last name component is `basename` (the first in
    /// container order among equally shallow ones). This finds `outbox.json` and `actor.json`
    /// whether or not the archive was re-packed inside an extra top-level folder.
    pub fn find(&self, basename: &str) -> Option<usize> {
        self.entries
            .iter()
            .enumerate()
            // `ends_with` first: a cheap test that rules out nearly every entry.
            .filter(|(_, entry)| {
                entry.name.ends_with(basename) && name::basename(&entry.name) == basename
            })
            .min_by_key(|(at, entry)| (name::depth(&entry.name), *at))
            .map(|(at, _)| at)
    }
}

/// Reads entries' contents while a container is listed, where listing passes over them anyway:
/// a tar.gz has no index, so listing inflates it whole, and an entry read then is not inflated a
/// second time when it is asked for (outbox.json and the files after it, most of a Mastodon
/// tar.gz's bytes after its media, were: a 3,000-post tar.gz was read twice over). Other
/// formats are listed without reading any data, and offer no entry.
pub trait Peek {
    /// Whether to read entry `name` (normalised, as listed) of `size` bytes now.
    fn wants(&mut self, name: &str, size: u64) -> bool;
    /// Reads the `index`th entry listed, `name` of `size` bytes, from `reader` (bounded by its
    /// size and the limits, as [`Container::read_entry`]'s reader is). What it leaves unread is
    /// skipped; an error reading the archive itself fails the listing, as it would have anyway.
    fn read(&mut self, index: usize, name: &str, size: u64, reader: &mut dyn Read);

    /// How far listing is: `read` bytes of the archive's `len` (called as each entry passes,
    /// for a container listed by reading it whole: a tar.gz whose media come first takes seconds
    /// to reach its outbox.json).
    fn listing(&mut self, read: u64, len: u64) {
        let _ = (read, len);
    }

    /// The gzip stream of the tar.gz about to be listed, inflated elsewhere by a
    /// [`GzipInflater`] made with `limits` (in the browser: by the worker's helper, on the other
    /// core), or `None` (the default) to inflate it here. Asked once, as listing starts. What
    /// is listed is the same either way: see [`GzipElsewhere`].
    fn gzip_elsewhere(&mut self, limits: &Limits) -> Option<Box<dyn GzipElsewhere>> {
        let _ = limits;
        None
    }
}

/// Reads up to [`SNIFF_LEN`] bytes from the start of `source`.
fn read_head<R: Read + Seek>(source: &mut R) -> Result<Vec<u8>, Error> {
    source.seek(SeekFrom::Start(0))?;
    let mut head = Vec::with_capacity(SNIFF_LEN);
    source.take(SNIFF_LEN as u64).read_to_end(&mut head)?;
    Ok(head)
}

impl<R: Read + Seek> Container<R> {
    /// Opens a ZIP, tar.gz or tar archive with the default [`Limits`] and lists its entries.
    ///
    /// The format is recognised by the first bytes ([`sniff`]), so a renamed file still opens,
    /// and a file that is not an archive fails with [`ErrorKind::NotAnArchive`] saying what it is.
    pub fn open(source: R) -> Result<Container<R>, Error> {
        Container::open_with_limits(source, Limits::default())
    }

    /// Opens an archive like [`Container::open`], with the given limits for every read.
    ///
    /// For a tar.gz, listing inflates the whole stream, so the limits apply while opening too.
    pub fn open_with_limits(source: R, limits: Limits) -> Result<Container<R>, Error> {
        Container::open_with(source, limits, None)
    }

    /// Opens an archive like [`Container::open_with_limits`], offering `peek` the entries it
    /// passes over while listing (see [`Peek`]).
    pub fn open_peeking(
        source: R,
        limits: Limits,
        peek: &mut dyn Peek,
    ) -> Result<Container<R>, Error> {
        Container::open_with(source, limits, Some(peek))
    }

    fn open_with(
        mut source: R,
        limits: Limits,
        peek: Option<&mut dyn Peek>,
    ) -> Result<Container<R>, Error> {
        let head = read_head(&mut source)?;
        let sniffed = sniff(&head);
        match sniffed {
            Sniffed::Zip => {
                let Some(record) = zip::end_record(&mut source)? else {
                    return Container::salvage(source, limits);
                };
                let (entries, zip) = zip::open(source, record)?;
                Container::listed(Format::Zip, entries, limits, Source::Zip(zip), None)
            }
            Sniffed::Gzip => {
                let (entries, tar, salvaged) = tar::open_gz(source, limits, peek)?;
                Container::listed(Format::TarGz, entries, limits, Source::TarGz(tar), salvaged)
            }
            Sniffed::Tar => {
                let (entries, tar, salvaged) = tar::open(source)?;
                Container::listed(Format::Tar, entries, limits, Source::Tar(tar), salvaged)
            }
            other => {
                // A ZIP may follow other data (a self-extractor, a prefixed header): the central
                // directory at the end still finds it.
                let end = if head.is_empty() {
                    None
                } else {
                    zip::end_record(&mut source)?
                };
                if let Some(record) = end {
                    if let Ok((entries, zip)) = zip::open(source, record) {
                        return Container::listed(
                            Format::Zip,
                            entries,
                            limits,
                            Source::Zip(zip),
                            None,
                        );
                    }
                }
                Err(Error::not_an_archive(other.description()))
            }
        }
    }

    /// A ZIP without its end (no end-of-central-directory record): its complete entries (and an
    /// outbox.json cut short), when they include an outbox.json, else the error that says the
    /// download was interrupted.
    fn salvage(mut source: R, limits: Limits) -> Result<Container<R>, Error> {
        let len = source
            .seek(SeekFrom::End(0))
            .map_err(|err| Error::io(err, None))?;
        let Some(found) = salvage::salvage(source, len)? else {
            return Err(Error::truncated());
        };
        let source = Source::Salvaged(found.zip);
        Container::listed(
            Format::Zip,
            found.entries,
            limits,
            source,
            Some(found.salvage),
        )
    }

    /// The container listed, or, when it ends early (`salvaged`) and what arrived holds no
    /// outbox.json, the error that says the download was interrupted: without the posts there
    /// is nothing to show. A tar.gz's says why none came: its media come first.
    fn listed(
        format: Format,
        entries: Vec<Entry>,
        limits: Limits,
        source: Source<R>,
        salvaged: Option<Salvage>,
    ) -> Result<Container<R>, Error> {
        let container = Container {
            format,
            entries,
            limits,
            source,
            salvaged,
        };
        match &container.salvaged {
            Some(salvage) if container.find("outbox.json").is_none() => Err(match format {
                Format::Tar | Format::TarGz => Error::truncated_before_posts(salvage.file_len),
                _ => Error::truncated(),
            }),
            _ => Ok(container),
        }
    }

    /// Makes an extracted folder or loose files behave like a container, one source per file:
    /// `(name, size, source)`. Names are normalised like archive entry names (files whose name
    /// normalises to nothing are left out); sizes are trusted as declared sizes. `format` should
    /// be [`Format::Folder`] or [`Format::Files`]; any other is recorded as `Files`.
    ///
    /// ```
    /// use std::io::Cursor;
    ///
    /// use permafrost_archive::{Container, Format};
    ///
    /// let files = vec![("archive/outbox.json".to_owned(), 2, Cursor::new(b"{}".to_vec()))];
    /// let container = Container::from_files(Format::Folder, files);
    /// assert_eq!(container.entries()[0].name, "archive/outbox.json");
    /// assert_eq!(container.find("outbox.json"), Some(0));
    /// ```
    pub fn from_files(format: Format, files: Vec<(String, u64, R)>) -> Container<R> {
        let format = match format {
            Format::Folder => Format::Folder,
            _ => Format::Files,
        };
        let mut entries = Vec::with_capacity(files.len());
        let mut sources = Vec::with_capacity(files.len());
        for (raw, size, source) in files {
            let name = name::normalise(&raw);
            if name.is_empty() {
                continue;
            }
            entries.push(Entry {
                name,
                size,
                compressed_size: None,
            });
            sources.push(source);
        }
        Container {
            format,
            entries,
            limits: Limits::default(),
            source: Source::Files(sources),
            salvaged: None,
        }
    }

    /// Where the `index`th entry's data lies in the file ([`Span`], read with [`read_span`]):
    /// only for an entry of a ZIP read from its central directory, stored or deflated.
    pub fn span(&mut self, index: usize) -> Option<Span> {
        let entry = self.entries.get(index)?;
        match &mut self.source {
            Source::Zip(zip) => zip.span(index, entry),
            _ => None,
        }
    }

    /// A reader of the entry at `index`, yielding exactly [`Entry::size`] bytes or an error.
    ///
    /// The reader's errors are [`std::io::Error`]s wrapping an [`Error`] (recover it with
    /// `Error::from`): [`ErrorKind::TooLarge`] past the limits, [`ErrorKind::Corrupt`] for damaged
    /// data or a checksum mismatch, [`ErrorKind::Truncated`] when the file ends early.
    ///
    /// For a tar.gz this inflates the stream from the last access point before the entry (see
    /// [`Limits::access_point_spacing`]) up to the entry's end; see [`Container::read_entries`] to
    /// read several. The gzip checksum is not checked then, only the entry's size: see the
    /// [crate documentation](crate#costs-by-format).
    pub fn read_entry(&mut self, index: usize) -> Result<Box<dyn Read + '_>, Error> {
        let entry = self
            .entries
            .get(index)
            .ok_or_else(|| Error::no_such_entry(index, self.entries.len()))?;
        let limits = &self.limits;
        match &mut self.source {
            Source::Zip(zip) => zip.read(index, entry, limits),
            Source::Salvaged(zip) => zip.read(index, entry, limits),
            Source::Tar(tar) => tar.read(index, entry, limits),
            Source::TarGz(tar) => tar.read(index, entry, limits),
            Source::Files(files) => {
                let name = entry.name.as_str();
                let file = files
                    .get_mut(index)
                    .ok_or_else(|| Error::no_such_entry(index, self.entries.len()))?;
                check_declared(name, entry.size, None, limits)?;
                file.seek(SeekFrom::Start(0))
                    .map_err(|err| Error::io(err, Some(name)))?;
                Ok(Box::new(Bounded::new(
                    file.take(entry.size),
                    name,
                    entry.size,
                    None,
                    *limits,
                    Short::Changed,
                )))
            }
        }
    }

    /// A ZIP entry's bytes as the archive holds them, still compressed, for copying it into
    /// another ZIP without inflating and deflating it again. `Ok(None)` when the entry is not in
    /// a ZIP, or is compressed some other way than stored or deflated: read it with
    /// [`Container::read_entry`] then.
    ///
    /// Only the sizes are checked (against the limits, and the compressed size against what the
    /// file holds): the data is not inflated, so a damaged entry is copied as it is, to fail its
    /// checksum in the copy as in the original. `max` bounds the uncompressed size.
    pub fn read_raw(&mut self, index: usize, max: u64) -> Result<Option<RawEntry>, Error> {
        let entry = self
            .entries
            .get(index)
            .ok_or_else(|| Error::no_such_entry(index, self.entries.len()))?;
        match &mut self.source {
            Source::Zip(zip) => zip.read_raw(index, entry, &self.limits, max),
            Source::Salvaged(_) | Source::Tar(_) | Source::TarGz(_) | Source::Files(_) => Ok(None),
        }
    }

    /// Reads several entries with one pass over the data, calling `f` with each index and a
    /// reader of that entry (bounded as in [`Container::read_entry`]).
    ///
    /// Entries are visited in container order, whatever the order of `indices`, and an index
    /// given twice is visited once. `f` need not read its entry to the end. This matters for
    /// tar.gz, where reaching an entry means inflating everything before it from an access point:
    /// here the stream is inflated once, from the access point before the first entry asked for
    /// up to the last. An index out of range fails
    /// before `f` is first called; an error from `f` stops the pass and is returned.
    pub fn read_entries<E: From<Error>>(
        &mut self,
        indices: &[usize],
        mut f: impl FnMut(usize, &mut dyn Read) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut order = indices.to_vec();
        order.sort_unstable();
        order.dedup();
        let len = self.entries.len();
        if let Some(&bad) = order.iter().find(|&&at| at >= len) {
            return Err(Error::no_such_entry(bad, len).into());
        }
        if let Source::TarGz(tar) = &mut self.source {
            return tar.read_many(&order, &self.entries, &self.limits, f);
        }
        for at in order {
            let mut reader = self.read_entry(at)?;
            f(at, &mut reader)?;
        }
        Ok(())
    }
}
