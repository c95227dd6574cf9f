//! What can still be read of a ZIP that ends early (an interrupted download): the entries whose
//! data is complete, found by walking the local headers from the start of the file, since the
//! central directory, at the end, is gone.
//!
//! Mastodon writes outbox.json first, then the media, then the small JSON files, and rubyzip
//! writes each local header with the real CRC and sizes (it seeks back after the data: no data
//! descriptors; archive-format.md, "rubyzip facts"). So an archive cut anywhere after its first
//! entry still holds every post: the user sees them, with the media that arrived, and a note
//! that the rest is missing. The walk stops at the first header it cannot trust (a data
//! descriptor, an unknown size, encryption, a method other than stored or deflated) as at the
//! cut: only what it has fully understood is listed.
//!
//! A download stopped inside outbox.json (early: it comes first) still holds the posts before
//! the cut: that entry is listed too, with what arrived of it ([`Salvage::partial`]). Read, it
//! gives its bytes up to the cut, then fails as the file does (it "ends early"), and whoever
//! reads it keeps what came before (the posts: permafrost-model's outbox reader does).

use std::io::{self, Read, Seek, SeekFrom};

use flate2::read::DeflateDecoder;

use crate::error::Error;
use crate::limits::{check_declared, Bounded, Limits, Short};
use crate::zip::local_header;
use crate::Entry;

/// Where a salvaged archive (a ZIP, tar.gz or tar that ends early) was cut (see
/// [`crate::Container::salvaged`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Salvage {
    /// The file's length: where it ends.
    pub file_len: u64,
    /// The entry the file ends inside of, when its header was read; `None` when it ends between
    /// entries or in the central directory.
    pub cut_inside: Option<String>,
    /// Whether that entry is listed, with what arrived of it: only an outbox.json is (its posts
    /// before the cut are worth reading; a media file or a list cut short is not).
    pub partial: bool,
}

/// Whether an entry cut short is listed with what arrived of it (see [`Salvage::partial`]).
pub(crate) fn worth_reading_cut(name: &str) -> bool {
    name.rsplit('/').next() == Some("outbox.json")
}

/// A complete entry of a salvaged ZIP: where its data is.
struct Local {
    offset: u64,
    compressed: u64,
    size: u64,
    crc32: u32,
    deflated: bool,
    /// Only the first this many bytes of its data arrived (the file was cut inside it).
    arrived: Option<u64>,
}

/// The salvaged entries' data, read from their local headers' offsets.
pub(crate) struct SalvagedZip<R> {
    source: R,
    locals: Vec<Local>,
}

/// What [`salvage`] found: the complete entries, their data, and where the file ends.
pub(crate) struct Salvaged<R> {
    pub(crate) entries: Vec<Entry>,
    pub(crate) zip: SalvagedZip<R>,
    pub(crate) salvage: Salvage,
}

/// The little-endian integer of `N` bytes at `at` in `bytes` (0 past the end: the callers read
/// only what they checked is there).
fn le<const N: usize>(bytes: &[u8], at: usize) -> u64 {
    let mut value = [0u8; 8];
    if let (Some(dst), Some(src)) = (value.get_mut(..N), bytes.get(at..at + N)) {
        dst.copy_from_slice(src);
    }
    u64::from_le_bytes(value)
}

/// Walks the local headers of `source` (of `file_len` bytes); `None` when not one entry is
/// complete.
pub(crate) fn salvage<R: Read + Seek>(
    mut source: R,
    file_len: u64,
) -> Result<Option<Salvaged<R>>, Error> {
    let mut entries = Vec::new();
    let mut locals = Vec::new();
    let mut at = 0u64;
    let mut cut_inside = None;
    let mut partial = false;
    loop {
        // Not a local header (the central directory), or cut inside one: the walk ends.
        let Some(header) = local_header(&mut source, at)? else {
            break;
        };
        let (mut compressed, mut size) = (u64::from(header.compressed), u64::from(header.size));
        // Zip64: the 32-bit fields at their maximum are in the 0x0001 extra field, in order.
        if compressed == u64::from(u32::MAX) || size == u64::from(u32::MAX) {
            let mut fields = zip64_fields(&header.extra).into_iter();
            if size == u64::from(u32::MAX) {
                size = fields.next().unwrap_or(u64::MAX);
            }
            if compressed == u64::from(u32::MAX) {
                compressed = fields.next().unwrap_or(u64::MAX);
            }
        }
        // Encrypted, sizes given only after the data, or a method this reader does not know:
        // nothing after it can be trusted.
        let deflated = match header.method {
            8 => true,
            0 if compressed == size => false,
            _ => break,
        };
        if header.flags & 1 != 0
            || header.flags & 8 != 0
            || compressed == u64::MAX
            || size == u64::MAX
        {
            break;
        }
        let (name, crc32) = (header.name, header.crc32);
        let offset = header.data_offset;
        let end = offset.saturating_add(compressed);
        // The file ends inside this entry: the walk ends here, with the entry listed only when
        // what arrived of it is worth reading.
        let cut = end > file_len;
        if cut {
            cut_inside = Some(name.clone());
            if !worth_reading_cut(&name) {
                break;
            }
        } else {
            at = end;
            if name.is_empty() || name.ends_with('/') {
                continue;
            }
        }
        entries.push(Entry {
            name,
            size,
            compressed_size: Some(compressed),
        });
        locals.push(Local {
            offset,
            compressed,
            size,
            crc32,
            deflated,
            arrived: cut.then(|| file_len.saturating_sub(offset)),
        });
        if cut {
            partial = true;
            break;
        }
    }
    if entries.is_empty() {
        return Ok(None);
    }
    Ok(Some(Salvaged {
        entries,
        zip: SalvagedZip { source, locals },
        salvage: Salvage {
            file_len,
            cut_inside,
            partial,
        },
    }))
}

/// The 64-bit values of a Zip64 extended information field (header ID 0x0001), in order.
fn zip64_fields(mut extra: &[u8]) -> Vec<u64> {
    while extra.len() >= 4 {
        let (id, len) = (le::<2>(extra, 0), le::<2>(extra, 2) as usize);
        let (Some(data), Some(rest)) = (extra.get(4..4 + len), extra.get(4 + len..)) else {
            break;
        };
        if id == 1 {
            return data.chunks_exact(8).map(|c| le::<8>(c, 0)).collect();
        }
        extra = rest;
    }
    Vec::new()
}

/// The data of an entry the file ends inside of: inflating it stops at the cut, with an error
/// or an early end depending on where the cut falls in the deflate stream; either is the file
/// ending early ([`Short::Truncated`] says so).
struct CutShort<R>(R);

impl<R: Read> Read for CutShort<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.0.read(buf) {
            Err(err) if err.kind() != io::ErrorKind::Interrupted => Ok(0),
            read => read,
        }
    }
}

impl<R: Read + Seek> SalvagedZip<R> {
    /// A reader of the `at`th entry, inflated, bounded and checksummed, as for a whole ZIP; of
    /// an entry cut short, its bytes up to the cut, then the error that the file ends early
    /// inside it.
    pub(crate) fn read<'a>(
        &'a mut self,
        at: usize,
        entry: &'a Entry,
        limits: &Limits,
    ) -> Result<Box<dyn Read + 'a>, Error> {
        let name = entry.name.as_str();
        let local = self
            .locals
            .get(at)
            .ok_or_else(|| Error::no_such_entry(at, self.locals.len()))?;
        check_declared(name, local.size, Some(local.compressed), limits)?;
        self.source
            .seek(SeekFrom::Start(local.offset))
            .map_err(|err| Error::io(err, Some(name)))?;
        let data = (&mut self.source).take(local.arrived.unwrap_or(local.compressed));
        let inflated: Box<dyn Read + 'a> = if local.deflated {
            Box::new(DeflateDecoder::new(data))
        } else {
            Box::new(data)
        };
        if local.arrived.is_some() {
            // No checksum to check: its data stops short of it, as the file does.
            return Ok(Box::new(Bounded::new(
                CutShort(inflated),
                name,
                local.size,
                Some(local.compressed),
                *limits,
                Short::Truncated,
            )));
        }
        Ok(crate::zip::checked(
            inflated,
            name,
            local.crc32,
            (local.size, local.compressed),
            limits,
        ))
    }
}
