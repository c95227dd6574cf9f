//! A tar.gz's gzip stream inflated on another thread while this one lists it.
//!
//! Listing a tar.gz inflates it whole (see [`crate::gz`]): most of the work of opening one. In
//! the browser, the archive's worker hands that to its helper worker on the other core, and lists
//! the tar bytes as they come. The helper inflates with a [`GzipInflater`], exactly as listing
//! here would (the same reader, limits and access points), and this side reads what it made
//! through a [`GzipElsewhere`] offered by the [`Peek`](crate::Peek).
//!
//! It is only a faster way to the same bytes. Should the stream fail (the helper found damage,
//! or is gone), the rest is inflated here from the start of the file, skipping what the stream
//! gave: damage is then found here, and reported as it always is. Access points that do not
//! arrive whole are made again here too.

use std::cell::Cell;
use std::io::{self, Read, Seek};
use std::rc::Rc;

use crate::error::Error;
use crate::gz::{GzReader, Index};
use crate::limits::Limits;
use crate::tar::Counting;

/// The inflated bytes of the gzip stream of a tar.gz being listed, made elsewhere by a
/// [`GzipInflater`] (see [`Peek::gzip_elsewhere`](crate::Peek::gzip_elsewhere)).
pub trait GzipElsewhere {
    /// The next inflated bytes, as [`GzipInflater`]'s [`Read`] gave them: `Ok(0)` once the
    /// stream has ended cleanly (its checksums checked). Any error makes the listing inflate
    /// the rest itself.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize>;

    /// How far into the file inflating has got ([`GzipInflater::compressed`]): listing's
    /// progress.
    fn compressed(&self) -> u64;

    /// Once [`GzipElsewhere::read`] gave `Ok(0)`: what [`GzipInflater::access_points`] gave,
    /// or `None` (then the access points are recorded again here).
    fn access_points(&mut self) -> Option<Vec<u8>>;
}

/// Inflates a tar.gz's gzip stream as its listing does, for a listing elsewhere
/// ([`GzipElsewhere`]): read it to its end, then send [`GzipInflater::access_points`].
pub struct GzipInflater<R> {
    stream: GzReader<Counting<R>>,
}

impl<R: Read + Seek> GzipInflater<R> {
    /// An inflater of the gzip stream of `source` (the whole file), bounded by `limits` and
    /// recording access points as they ask, as listing does.
    pub fn new(source: R, limits: Limits) -> Result<GzipInflater<R>, Error> {
        // Counted as listing counts it (a reader type of its own would add to the code).
        let stream = GzReader::indexing(Counting::new(source, None), limits)?;
        Ok(GzipInflater { stream })
    }

    /// How far into the file inflating has got.
    pub fn compressed(&self) -> u64 {
        self.stream.compressed_position()
    }

    /// The access points recorded, as bytes for [`GzipElsewhere::access_points`], once the
    /// stream is read to its end (inflating what is left of it first).
    pub fn access_points(mut self) -> Result<Vec<u8>, Error> {
        self.stream.finish()?;
        Ok(self.stream.into_index().to_bytes())
    }
}

impl<R: Read + Seek> Read for GzipInflater<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read(buf)
    }
}

/// What a tar.gz is listed through: its gzip stream inflated here, or elsewhere until that
/// fails.
pub(crate) enum Inflating<'s, R> {
    Here(Box<GzReader<Counting<&'s mut R>>>),
    Elsewhere(Elsewhere<'s, R>),
}

/// The stream inflated elsewhere, and what inflating it here instead would need.
pub(crate) struct Elsewhere<'s, R> {
    stream: Box<dyn GzipElsewhere>,
    /// The file, counted into `read`: taken when the rest is inflated here.
    source: Option<Counting<&'s mut R>>,
    limits: Limits,
    /// What listing has read of the file, for its progress.
    read: Option<Rc<Cell<u64>>>,
    /// The bytes of the uncompressed stream read so far.
    position: u64,
    ended: bool,
}

impl<'s, R: Read + Seek> Inflating<'s, R> {
    /// Listing's stream: `elsewhere` when given, else inflated here from `source`, counting
    /// what is read of it into `read`.
    pub(crate) fn new(
        source: &'s mut R,
        limits: Limits,
        read: Option<Rc<Cell<u64>>>,
        elsewhere: Option<Box<dyn GzipElsewhere>>,
    ) -> Result<Inflating<'s, R>, Error> {
        let source = Counting::new(source, read.clone());
        Ok(match elsewhere {
            Some(stream) => Inflating::Elsewhere(Elsewhere {
                stream,
                source: Some(source),
                limits,
                read,
                position: 0,
                ended: false,
            }),
            None => Inflating::Here(Box::new(GzReader::indexing(source, limits)?)),
        })
    }

    /// Inflates the rest here, from the start of the file up to where the stream elsewhere got
    /// to: what it gave is skipped, and what it did not give (damage, most likely) is found.
    fn inflate_here(&mut self) -> Result<&mut GzReader<Counting<&'s mut R>>, Error> {
        if let Inflating::Elsewhere(elsewhere) = self {
            let source = elsewhere
                .source
                .take()
                .ok_or_else(|| Error::corrupt("the gzip data could not be read again"))?;
            if let Some(read) = &elsewhere.read {
                read.set(0);
            }
            let mut here = GzReader::indexing(source, elsewhere.limits)?;
            here.skip(elsewhere.position)?;
            *self = Inflating::Here(Box::new(here));
        }
        match self {
            Inflating::Here(here) => Ok(here),
            Inflating::Elsewhere(_) => Err(Error::corrupt("the gzip data could not be read")),
        }
    }

    /// The position in the uncompressed stream of the next byte read.
    pub(crate) fn position(&self) -> u64 {
        match self {
            Inflating::Here(here) => here.position(),
            Inflating::Elsewhere(elsewhere) => elsewhere.position,
        }
    }

    /// Whether the stream has ended cleanly.
    pub(crate) fn ended(&self) -> bool {
        match self {
            Inflating::Here(here) => here.ended(),
            Inflating::Elsewhere(elsewhere) => elsewhere.ended,
        }
    }

    /// Reads the rest of the stream, which checks the checksums of the members left.
    pub(crate) fn finish(&mut self) -> Result<(), Error> {
        let mut scratch = [0; 16 << 10];
        while let Inflating::Elsewhere(_) = self {
            match self.read(&mut scratch) {
                Ok(0) => return Ok(()),
                Ok(_) => {}
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(Error::from(err)),
            }
        }
        self.inflate_here()?.finish()
    }

    /// The access points recorded, once the stream has ended: those made elsewhere, or, when
    /// they do not arrive whole, those of inflating the stream here again.
    pub(crate) fn into_index(mut self) -> Result<Index, Error> {
        if let Inflating::Elsewhere(elsewhere) = &mut self {
            let made = elsewhere.stream.access_points();
            if let Some(index) = made.as_deref().and_then(Index::from_bytes) {
                return Ok(index);
            }
            elsewhere.position = 0;
            self.inflate_here()?.finish()?;
        }
        match self {
            Inflating::Here(here) => Ok((*here).into_index()),
            Inflating::Elsewhere(_) => Ok(Index::default()),
        }
    }
}

impl<R: Read + Seek> Inflating<'_, R> {
    /// The access points recorded so far, when the tar ends early (the file was cut): those
    /// of inflating it here, which reading it up to the cut came to (a stream inflated
    /// elsewhere that failed is inflated here again, see `inflate_here`). A stream still
    /// inflated elsewhere did not fail: its gzip data is whole, and the tar inside was cut
    /// before it was compressed. The points made there then serve as well as at any stream's end,
    /// when they arrive whole; else there are none, and the files are read from the start.
    pub(crate) fn into_index_so_far(self) -> Index {
        match self {
            Inflating::Here(here) => (*here).into_index_so_far(),
            Inflating::Elsewhere(mut elsewhere) => elsewhere
                .stream
                .access_points()
                .as_deref()
                .and_then(Index::from_bytes)
                .unwrap_or_default(),
        }
    }
}

impl<R: Read + Seek> Read for Inflating<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Inflating::Elsewhere(elsewhere) = self {
            match elsewhere.stream.read(buf) {
                Ok(n) => {
                    elsewhere.position += n as u64;
                    elsewhere.ended = n == 0 && !buf.is_empty();
                    if let Some(read) = &elsewhere.read {
                        read.set(elsewhere.stream.compressed());
                    }
                    return Ok(n);
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => return Err(err),
                Err(_) => {}
            }
        }
        self.inflate_here()?.read(buf)
    }
}
