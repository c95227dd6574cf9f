//! outbox.json read once from start to end across an export's slices, through a reader of its
//! own over a second source of the same file ([`crate::Session::set_export_source`]).
//!
//! Without one, JSON and archive ZIP exports read outbox.json in batches, and each batch inflates
//! the file's beginning again (the archive's reader cannot be kept between slices: it borrows the
//! open archive, which other requests use in between).

use flate2::read::DeflateDecoder;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use zip::CompressionMethod;

/// Anything that reads and seeks: a second source of the archive.
pub trait ReadSeek: Read + Seek {}

impl<T: Read + Seek> ReadSeek for T {}

/// Opens a second source of the archive (or of outbox.json itself), once per export.
pub type ExportSource = Box<dyn Fn() -> Option<Box<dyn ReadSeek>>>;

/// outbox.json, read forward only.
pub(crate) struct OutboxStream {
    reader: Box<dyn Read>,
    at: u64,
    skip: Vec<u8>,
}

/// A ZIP entry name as the archive crate normalises it (close enough to match outbox.json).
fn normalise(name: &str) -> String {
    name.replace('\\', "/")
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

impl OutboxStream {
    /// outbox.json in `source`: a ZIP holding `entry` (of `size` bytes uncompressed, stored or
    /// deflated), or the file itself. `None` when `source` is neither (a tar.gz, another file).
    pub(crate) fn open(
        mut source: Box<dyn ReadSeek>,
        entry: &str,
        size: u64,
    ) -> Option<OutboxStream> {
        let mut head = [0u8; 4];
        source.seek(SeekFrom::Start(0)).ok()?;
        source.read_exact(&mut head).ok()?;
        source.seek(SeekFrom::Start(0)).ok()?;
        let reader: Box<dyn Read> = if head == *b"PK\x03\x04" {
            let mut zip = zip::ZipArchive::new(source).ok()?;
            let wanted = normalise(entry);
            let index = (0..zip.len()).find(|&i| {
                zip.name_for_index(i)
                    .and_then(Result::ok)
                    .is_some_and(|n| normalise(&n) == wanted)
            })?;
            let (start, compressed, method) = {
                let file = zip.by_index_raw(index).ok()?;
                if file.encrypted() || file.size() != size {
                    return None;
                }
                (
                    file.data_start()?,
                    file.compressed_size(),
                    file.compression(),
                )
            };
            let mut source = zip.into_inner();
            source.seek(SeekFrom::Start(start)).ok()?;
            let data = BufReader::with_capacity(256 << 10, source).take(compressed);
            match method {
                CompressionMethod::Stored => Box::new(data),
                CompressionMethod::Deflated => Box::new(DeflateDecoder::new(data)),
                _ => return None,
            }
        } else {
            // outbox.json itself (an extracted archive): its size says so.
            if source.seek(SeekFrom::End(0)).ok()? != size {
                return None;
            }
            source.seek(SeekFrom::Start(0)).ok()?;
            Box::new(BufReader::with_capacity(256 << 10, source).take(size))
        };
        Some(OutboxStream {
            reader,
            at: 0,
            skip: vec![0; 64 << 10],
        })
    }

    /// The item at `offset`, `len` bytes long, into `out` (cleared first). Items must come in
    /// file order: an item before the last one read is an error.
    pub(crate) fn item(&mut self, offset: u64, len: u64, out: &mut Vec<u8>) -> io::Result<()> {
        out.clear();
        if offset < self.at {
            return Err(io::Error::other("outbox items out of order"));
        }
        let mut left = offset - self.at;
        while left > 0 {
            let want = left.min(self.skip.len() as u64) as usize;
            let got = self.reader.read(&mut self.skip[..want])?;
            if got == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            left -= got as u64;
        }
        (&mut self.reader).take(len).read_to_end(out)?;
        self.at = offset + out.len() as u64;
        Ok(())
    }
}
