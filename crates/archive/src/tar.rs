//! Tar archives, plain or gzip-compressed (Mastodon 2.3 to 4.1 wrote `.tar.gz`; some browsers
//! un-gzip the download and leave a plain `.tar`), read through the `tar` crate.
//!
//! A plain tar is listed by reading headers only, seeking over the data; an entry is read by
//! seeking to its data. A tar.gz has no index and gzip cannot seek, so listing inflates the whole
//! stream once (discarding the data, which also verifies the gzip checksum, but for the entries a
//! [`Peek`] reads as they pass), records where each entry's data starts in the uncompressed
//! stream, and records access points into the gzip stream (see [`crate::gz`]); reading an entry
//! inflates from the last access point before it. [`TarGzSource::read_many`] reads many entries
//! in one pass.

use std::cell::Cell;
use std::io::{self, Read, Seek, SeekFrom};
use std::rc::Rc;

use crate::error::Error;
use crate::gz::{AccessPoint, GzReader, Index};
use crate::inflated::Inflating;
use crate::limits::{check_declared, Bounded, Limits, Short};
use crate::name::normalise;
use crate::salvage::{worth_reading_cut, Salvage};
use crate::sniff::{is_tar_header, sniff, SNIFF_LEN};
use crate::{Entry, ErrorKind, Peek};

/// A listed archive: its entries, where their data is, and where it ends if it ends early.
pub(crate) type Listed<S> = (Vec<Entry>, S, Option<Salvage>);

/// Tar's block size: headers are one block, data is padded to whole blocks.
const BLOCK: u64 = 512;

/// A plain tar and, for each listed entry, where its data starts.
pub(crate) struct TarSource<R> {
    reader: R,
    offsets: Vec<u64>,
}

/// A tar.gz, for each listed entry where its data starts in the uncompressed stream, and the
/// access points into the gzip stream.
pub(crate) struct TarGzSource<R> {
    reader: R,
    offsets: Vec<u64>,
    index: Index,
}

/// The source, counting the bytes read and turning its errors into [`crate::ErrorKind::Io`] errors, so
/// that they are not mistaken for the tar or gzip parsers' own.
struct Tagged<R> {
    inner: R,
    count: u64,
}

impl<R> Tagged<R> {
    fn new(inner: R) -> Tagged<R> {
        Tagged { inner, count: 0 }
    }
}

fn tag(err: io::Error) -> io::Error {
    if err.kind() == io::ErrorKind::Interrupted {
        return err;
    }
    Error::io(err, None).into()
}

impl<R: Read> Read for Tagged<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf).map_err(tag)?;
        self.count = self.count.saturating_add(n as u64);
        Ok(n)
    }
}

impl<R: Seek> Seek for Tagged<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos).map_err(tag)
    }
}

/// What listing a tar found.
#[derive(Default)]
struct Listing {
    entries: Vec<Entry>,
    offsets: Vec<u64>,
    /// Where the header after the last member starts: the end-of-archive marker belongs there.
    end: u64,
    /// Whether a GNU sparse member was seen, whose layout makes `end` unreliable.
    sparse: bool,
    /// The entry offered to a [`Peek`] and not listed yet: `(name, size, offset)`. Listing that
    /// fails then failed inside it.
    offered: Option<(String, u64, u64)>,
}

fn round_up(position: u64) -> io::Result<u64> {
    position
        .checked_add(BLOCK - 1)
        .map(|position| position & !(BLOCK - 1))
        .ok_or_else(|| io::Error::other("an entry size overflows"))
}

impl Listing {
    /// Lists the regular files of `entries` (GNU long names, PAX paths and the ustar `prefix`
    /// field are joined by the `tar` crate), offering them to `peek` as they pass.
    fn collect<X: Read>(
        &mut self,
        entries: ::tar::Entries<'_, X>,
        mut peeking: Option<Peeking<'_>>,
    ) -> io::Result<()> {
        for entry in entries {
            let mut entry = entry?;
            if let Some(peeking) = peeking.as_mut() {
                peeking.listing();
            }
            let header = entry.header();
            let kind = header.entry_type();
            let start = entry.raw_file_position();
            if kind.is_gnu_sparse() {
                // The data of a sparse member is a list of chunks, not the file: it is not listed.
                // Mastodon never writes one.
                self.sparse = true;
                continue;
            }
            let data_end = start
                .checked_add(entry.size())
                .ok_or_else(|| io::Error::other("an entry size overflows"))?;
            self.end = round_up(data_end)?;
            if !(kind.is_file() || kind.is_contiguous()) {
                continue;
            }
            let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            // Pre-POSIX tars mark directories with a trailing slash only.
            if raw.ends_with('/') {
                continue;
            }
            let name = normalise(&raw);
            if name.is_empty() {
                continue;
            }
            let size = entry.size();
            if let Some(peeking) = peeking.as_mut() {
                self.offered = Some((name.clone(), size, start));
                peeking.offer(self.entries.len(), &name, size, &mut entry)?;
                self.offered = None;
            }
            self.entries.push(Entry {
                name,
                size,
                compressed_size: None,
            });
            self.offsets.push(start);
        }
        Ok(())
    }

    /// What is left of an archive whose tar stream ends early, `arrived` bytes long (the file
    /// was cut: an interrupted download), `file_len` being the file's length: the entries whose
    /// data all arrived. The entry the stream ends inside of is dropped, but for an outbox.json,
    /// which stays listed, read up to the cut then failing as the file does, as a salvaged ZIP's
    /// (see `salvage.rs`): Mastodon's tar.gz has its media first, then outbox.json, likes.json,
    /// bookmarks.json and actor.json, so a download cut in its last part still holds the posts.
    fn salvage(&mut self, arrived: u64, file_len: u64) -> Salvage {
        let cut = self.offered.take().or_else(|| {
            let (entry, &offset) = self.entries.last().zip(self.offsets.last())?;
            if offset.saturating_add(entry.size) <= arrived {
                return None;
            }
            let entry = self.entries.pop()?;
            self.offsets.pop();
            Some((entry.name, entry.size, offset))
        });
        let partial = cut
            .as_ref()
            .is_some_and(|(name, ..)| worth_reading_cut(name));
        if let Some((name, size, offset)) = cut.as_ref().filter(|_| partial) {
            self.entries.push(Entry {
                name: name.clone(),
                size: *size,
                compressed_size: None,
            });
            self.offsets.push(*offset);
        }
        Salvage {
            file_len,
            cut_inside: cut.map(|(name, ..)| name),
            partial,
        }
    }

    /// After listing: nothing when it did not fail; what is left (see [`Listing::salvage`]) when
    /// it failed because the file ends early; else the error.
    fn salvage_or(
        &mut self,
        failed: Option<Error>,
        arrived: u64,
        file_len: u64,
    ) -> Result<Option<Salvage>, Error> {
        match failed {
            None => Ok(None),
            Some(error) if *error.kind() == ErrorKind::Truncated => {
                Ok(Some(self.salvage(arrived, file_len)))
            }
            Some(error) => Err(error),
        }
    }

    /// Checks that the stream, `len` bytes long, has room for the end-of-archive marker after
    /// the last member. The `tar` crate takes the end of the file for the end of the archive, so
    /// a download cut off between two members would otherwise list fine, minus its last files.
    fn check_complete(&self, len: u64) -> Result<(), Error> {
        if !self.sparse && self.end.saturating_add(BLOCK) > len {
            return Err(Error::truncated());
        }
        Ok(())
    }
}

/// An entry's reader that keeps the first error of the archive under it (giving the reader a
/// copy): the archive failing under a [`Peek`] fails the listing with that error, whatever the
/// peek made of it.
struct Watched<R> {
    inner: R,
    failed: Option<io::Error>,
}

impl<R: Read> Read for Watched<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Err(err) if err.kind() != io::ErrorKind::Interrupted => {
                let copy = io::Error::new(err.kind(), err.to_string());
                self.failed.get_or_insert(err);
                Err(copy)
            }
            read => read,
        }
    }
}

/// A [`Peek`] offered a tar.gz's entries as its listing passes them, with the limits they are
/// read within, and how much of the file (`len` bytes) listing has read so far.
struct Peeking<'p> {
    peek: &'p mut dyn Peek,
    limits: Limits,
    read: Rc<Cell<u64>>,
    len: u64,
}

impl Peeking<'_> {
    /// Tells the peek how far listing is.
    fn listing(&mut self) {
        self.peek.listing(self.read.get(), self.len);
    }

    /// Offers the `index`th entry listed, `name` of `size` bytes, whose data `entry` reads: the
    /// peek reads it if it wants it. Fails with the archive's own error, if reading it met one.
    fn offer(&mut self, index: usize, name: &str, size: u64, entry: impl Read) -> io::Result<()> {
        let declared = check_declared(name, size, None, &self.limits).is_ok();
        if !declared || !self.peek.wants(name, size) {
            return Ok(());
        }
        let mut watched = Watched {
            inner: entry,
            failed: None,
        };
        let mut reader = Bounded::new(
            (&mut watched).take(size),
            name,
            size,
            None,
            self.limits,
            Short::Truncated,
        );
        self.peek.read(index, name, size, &mut reader);
        watched.failed.map_or(Ok(()), Err)
    }
}

/// A tar.gz's reader, counting what is read from it into `read` (while it is listed). Every
/// inflating reader of a tar.gz reads through one, counted or not: the inflater's code is made
/// once for one reader type (for a second type, 2.4 KB more of the worker's gzip).
pub(crate) struct Counting<R> {
    inner: R,
    read: Option<Rc<Cell<u64>>>,
}

impl<R> Counting<R> {
    pub(crate) fn new(inner: R, read: Option<Rc<Cell<u64>>>) -> Counting<R> {
        Counting { inner, read }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(read) = &self.read {
            read.set(read.get() + n as u64);
        }
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// The error of tar data that is not valid, as the tar crate found it while `listing`. Its own
/// message is kept as the source only: it quotes the header's bytes, which in a damaged archive
/// are pieces of other files (the user read half a post's JSON in it).
fn not_valid(err: io::Error, listing: &Listing) -> Error {
    let which = match listing.entries.len() {
        0 => "the first file's header".to_string(),
        1 => "the header after the first file".to_string(),
        n => format!("the header after the first {n} files"),
    };
    Error::corrupt(format_args!("in the tar data: {which} is not valid")).with_source(err)
}

/// Opens a plain tar, reading only its headers. One that ends early (an interrupted download)
/// gives the entries that arrived and where it ends (see `Listing::salvage`).
pub(crate) fn open<R: Read + Seek>(source: R) -> Result<Listed<TarSource<R>>, Error> {
    let mut source = Tagged::new(source);
    let len = source.seek(SeekFrom::End(0))?;
    source.seek(SeekFrom::Start(0))?;
    let mut archive = ::tar::Archive::new(source);
    let mut listing = Listing::default();
    let listed = archive
        .entries_with_seek()
        .and_then(|entries| listing.collect(entries, None));
    let mut source = archive.into_inner();
    let failed = match listed {
        Ok(()) => listing.check_complete(len).err(),
        Err(err) => Some(match Error::unwrap_io(err) {
            Ok(error) => error,
            Err(err) => {
                // The tar crate reports a header cut short as a failed read: if it read up to
                // the end of the file, the file is incomplete.
                let position = source.stream_position().unwrap_or(u64::MAX);
                if position >= len {
                    Error::truncated()
                } else {
                    not_valid(err, &listing)
                }
            }
        }),
    };
    // Entries are found by seeking over their data, so all that the file holds arrived.
    let salvage = listing.salvage_or(failed, len, len)?;
    let Listing {
        entries, offsets, ..
    } = listing;
    Ok((
        entries,
        TarSource {
            reader: source.inner,
            offsets,
        },
        salvage,
    ))
}

/// Opens a tar.gz, inflating it whole once and recording access points as `limits` ask, and
/// offering `peek` the entries as they pass. One that ends early (an interrupted download) gives
/// the entries that arrived, with the access points recorded up to the cut, and where it ends
/// (see `Listing::salvage`).
pub(crate) fn open_gz<R: Read + Seek>(
    mut source: R,
    limits: Limits,
    mut peek: Option<&mut dyn Peek>,
) -> Result<Listed<TarGzSource<R>>, Error> {
    // A gzip file need not hold a tar: say what it holds instead.
    let mut head = Vec::with_capacity(SNIFF_LEN);
    GzReader::new(Counting::new(&mut source, None), limits)?
        .take(SNIFF_LEN as u64)
        .read_to_end(&mut head)?;
    if !is_tar_header(&head) {
        let inner = sniff(&head);
        return Err(Error::not_an_archive(&format!(
            "a gzip-compressed file holding {}",
            inner.description()
        )));
    }

    let len = source.seek(SeekFrom::End(0))?;
    source.seek(SeekFrom::Start(0))?;
    // What listing has read, counted for a peek's progress only.
    let read = Rc::<Cell<u64>>::default();
    let elsewhere = peek.as_mut().and_then(|peek| peek.gzip_elsewhere(&limits));
    let counted = peek.is_some().then(|| read.clone());
    let mut archive = ::tar::Archive::new(Inflating::new(&mut source, limits, counted, elsewhere)?);
    let peeking = peek.map(|peek| Peeking {
        peek,
        limits,
        read,
        len,
    });
    let mut listing = Listing::default();
    let listed = archive
        .entries()
        .and_then(|entries| listing.collect(entries, peeking));
    let mut stream = archive.into_inner();
    let failed = match listed {
        Err(err) => Some(match Error::unwrap_io(err) {
            Ok(error) => error,
            Err(_) if stream.ended() => Error::truncated(),
            // Damaged gzip data may inflate without an error to bytes that are not a tar
            // header: its checksum, at the stream's end, then says what is wrong.
            Err(err) => match stream.finish() {
                Err(gzip) => gzip,
                Ok(()) => not_valid(err, &listing),
            },
        }),
        // Inflate the rest (normally a few blocks of padding), which verifies the gzip checksum
        // of the whole stream.
        Ok(()) => stream
            .finish()
            .and_then(|()| listing.check_complete(stream.position()))
            .err(),
    };
    let salvage = listing.salvage_or(failed, stream.position(), len)?;
    let index = match salvage {
        Some(_) => stream.into_index_so_far(),
        None => stream.into_index()?,
    };
    let Listing {
        entries, offsets, ..
    } = listing;
    Ok((
        entries,
        TarGzSource {
            reader: source,
            offsets,
            index,
        },
        salvage,
    ))
}

fn offset_of(offsets: &[u64], at: usize) -> Result<u64, Error> {
    offsets
        .get(at)
        .copied()
        .ok_or_else(|| Error::no_such_entry(at, offsets.len()))
}

impl<R: Read + Seek> TarSource<R> {
    /// A reader of the `at`th listed entry, found by seeking to its data.
    pub(crate) fn read<'a>(
        &'a mut self,
        at: usize,
        entry: &'a Entry,
        limits: &Limits,
    ) -> Result<Box<dyn Read + 'a>, Error> {
        let offset = offset_of(&self.offsets, at)?;
        check_declared(&entry.name, entry.size, None, limits)?;
        let mut reader = Tagged::new(&mut self.reader);
        reader.seek(SeekFrom::Start(offset))?;
        Ok(Box::new(Bounded::new(
            reader.take(entry.size),
            &entry.name,
            entry.size,
            None,
            *limits,
            Short::Truncated,
        )))
    }
}

impl<R> TarGzSource<R> {
    /// The access points listing recorded.
    pub(crate) fn access_points(&self) -> Vec<AccessPoint> {
        self.index.access_points()
    }
}

impl<R: Read + Seek> TarGzSource<R> {
    /// A reader of the `at`th listed entry. This inflates the stream from the last access point
    /// before the entry (or from the start) up to the entry's end.
    pub(crate) fn read<'a>(
        &'a mut self,
        at: usize,
        entry: &'a Entry,
        limits: &Limits,
    ) -> Result<Box<dyn Read + 'a>, Error> {
        let offset = offset_of(&self.offsets, at)?;
        check_declared(&entry.name, entry.size, None, limits)?;
        let source = Counting::new(&mut self.reader, None);
        let mut stream = GzReader::at(source, &self.index, offset, *limits)?;
        stream.skip(offset.saturating_sub(stream.position()))?;
        Ok(Box::new(Bounded::new(
            stream.take(entry.size),
            &entry.name,
            entry.size,
            None,
            *limits,
            Short::Truncated,
        )))
    }

    /// Reads the entries at `order` (ascending, without duplicates) in one pass over the stream,
    /// from the last access point before the first of them.
    pub(crate) fn read_many<E: From<Error>>(
        &mut self,
        order: &[usize],
        entries: &[Entry],
        limits: &Limits,
        mut f: impl FnMut(usize, &mut dyn Read) -> Result<(), E>,
    ) -> Result<(), E> {
        let Some(&first) = order.first() else {
            return Ok(());
        };
        let first = offset_of(&self.offsets, first)?;
        let source = Counting::new(&mut self.reader, None);
        let mut stream = GzReader::at(source, &self.index, first, *limits)?;
        for &at in order {
            let offset = offset_of(&self.offsets, at)?;
            let entry = entries
                .get(at)
                .ok_or_else(|| Error::no_such_entry(at, entries.len()))?;
            check_declared(&entry.name, entry.size, None, limits)?;
            // Entries do not overlap and come in stream order, so the stream is never past the
            // next one's data.
            stream.skip(offset.saturating_sub(stream.position()))?;
            let mut reader = Bounded::new(
                (&mut stream).take(entry.size),
                &entry.name,
                entry.size,
                None,
                *limits,
                Short::Truncated,
            );
            f(at, &mut reader)?;
        }
        Ok(())
    }
}
