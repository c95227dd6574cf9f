//! outbox.json read once from start to end across an export's slices, through a reader of its
//! own over a second source of the same file ([`crate::Session::set_export_source`]).
//!
//! Without one, JSON and archive ZIP exports read outbox.json in batches, and each batch inflates
//! the file's beginning again (the archive's reader cannot be kept between slices: it borrows the
//! open archive, which other requests use in between).
//!
//! Natively, on more than one core, outbox.json is inflated on a thread of its own a few
//! megabytes ahead of the writer ([`ReadAhead`]): inflating is half of what an archive ZIP
//! export does in the writing thread, and the other cores deflate.

use flate2::read::DeflateDecoder;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use zip::CompressionMethod;

/// `Send` natively, where outbox.json is read on a thread of its own; nothing in WebAssembly,
/// where a source reads the page's `File` and threads are not used.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send> MaybeSend for T {}
/// Nothing in WebAssembly (see the native definition).
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T> MaybeSend for T {}

/// Anything that reads and seeks: a second source of the archive.
pub trait ReadSeek: Read + Seek + MaybeSend {}

impl<T: Read + Seek + MaybeSend> ReadSeek for T {}

/// A reader of outbox.json, sent to a thread natively.
trait Reader: Read + MaybeSend {}

impl<T: Read + MaybeSend> Reader for T {}

/// outbox.json as the writer reads it: buffered, so that an item goes from the buffer to the
/// export without a copy of its own.
trait Buffered: BufRead + MaybeSend {}

impl<T: BufRead + MaybeSend> Buffered for T {}

/// Opens a second source of the archive (or of outbox.json itself), once per export.
pub type ExportSource = Box<dyn Fn() -> Option<Box<dyn ReadSeek>>>;

/// outbox.json, read forward only.
pub(crate) struct OutboxStream {
    reader: Box<dyn Buffered>,
    at: u64,
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
        let reader: Box<dyn Reader> = if head == *b"PK\x03\x04" {
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
        #[cfg(not(target_arch = "wasm32"))]
        if super::pack::helpers_here() > 0 {
            return Some(OutboxStream {
                reader: Box::new(ReadAhead::spawn(reader)),
                at: 0,
            });
        }
        Some(OutboxStream {
            reader: Box::new(BufReader::with_capacity(64 << 10, reader)),
            at: 0,
        })
    }

    /// The item at `offset`, `len` bytes long, into `out` (cleared first). Items must come in
    /// file order: an item before the last one read is an error.
    pub(crate) fn item(&mut self, offset: u64, len: u64, out: &mut Vec<u8>) -> io::Result<()> {
        out.clear();
        self.item_pieces(offset, len, &mut |piece| {
            out.extend_from_slice(piece);
            Ok(())
        })
    }

    /// The same, handed to `write` in pieces straight from the reader's buffer: an item written
    /// as it is costs no copy of its own (a third of an archive ZIP's writing thread was
    /// copying). An error from `write` stops the reading and is returned as it is.
    pub(crate) fn item_pieces(
        &mut self,
        offset: u64,
        len: u64,
        write: &mut dyn FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        if offset < self.at {
            return Err(io::Error::other("outbox items out of order"));
        }
        // What lies between the last item and this one (`,` and spaces) is passed over.
        let mut skip = offset - self.at;
        while skip > 0 {
            let n = self.reader.fill_buf()?.len().min(skip as usize);
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            self.reader.consume(n);
            skip -= n as u64;
        }
        self.at = offset;
        let mut left = len;
        while left > 0 {
            let buf = self.reader.fill_buf()?;
            let n = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            if n == 0 {
                // The file ends inside the item: what there was is kept, as before.
                break;
            }
            write(&buf[..n])?;
            self.reader.consume(n);
            left -= n as u64;
            self.at += n as u64;
        }
        Ok(())
    }
}

/// How many bytes a [`ReadAhead`] thread reads at a time, and how many such blocks it may have
/// read ahead of its reader.
#[cfg(not(target_arch = "wasm32"))]
const AHEAD_BLOCK: usize = 1 << 20;
#[cfg(not(target_arch = "wasm32"))]
const AHEAD_BLOCKS: usize = 4;

/// A reader whose source is read on a thread of its own, at most [`AHEAD_BLOCKS`] blocks ahead:
/// the source's work (inflating) overlaps with the reader's. Blocks are handed back to the
/// thread to be filled again, so memory stays at a few megabytes, allocated once.
#[cfg(not(target_arch = "wasm32"))]
struct ReadAhead {
    blocks: Option<std::sync::mpsc::Receiver<io::Result<Vec<u8>>>>,
    spent: std::sync::mpsc::Sender<Vec<u8>>,
    thread: Option<std::thread::JoinHandle<()>>,
    block: Vec<u8>,
    at: usize,
    ended: bool,
}

#[cfg(not(target_arch = "wasm32"))]
impl ReadAhead {
    /// Starts reading `source` on a new thread (or, if none can be started, a thread reading
    /// nothing: every read then fails).
    fn spawn(mut source: Box<dyn Reader>) -> ReadAhead {
        use std::sync::mpsc;
        let (tx, blocks) = mpsc::sync_channel::<io::Result<Vec<u8>>>(AHEAD_BLOCKS);
        let (spent, reuse) = mpsc::channel::<Vec<u8>>();
        let thread = std::thread::Builder::new()
            .name("permafrost-read".into())
            .spawn(move || loop {
                let mut block = reuse.try_recv().unwrap_or_default();
                block.resize(AHEAD_BLOCK, 0);
                let mut filled = 0;
                let result = loop {
                    match source.read(&mut block[filled..]) {
                        Ok(0) => break Ok(()),
                        Ok(n) => {
                            filled += n;
                            if filled == block.len() {
                                break Ok(());
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => break Err(e),
                    }
                };
                block.truncate(filled);
                let last = filled < AHEAD_BLOCK || result.is_err();
                let message = result.map(|()| block);
                // The reader has gone (the export ended or was cancelled): stop.
                if tx.send(message).is_err() || last {
                    return;
                }
            });
        ReadAhead {
            blocks: thread.is_ok().then_some(blocks),
            spent,
            thread: thread.ok(),
            block: Vec::new(),
            at: 0,
            ended: false,
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl BufRead for ReadAhead {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.at == self.block.len() {
            if self.ended {
                return Ok(&[]);
            }
            let Some(blocks) = &self.blocks else {
                return Err(io::Error::other(
                    "could not start a thread to read outbox.json",
                ));
            };
            let block = blocks
                .recv()
                .map_err(|_| io::Error::other("the thread reading outbox.json stopped"))??;
            self.ended = block.len() < AHEAD_BLOCK;
            let spent = std::mem::replace(&mut self.block, block);
            if spent.capacity() > 0 {
                let _ = self.spent.send(spent);
            }
            self.at = 0;
        }
        Ok(&self.block[self.at..])
    }

    fn consume(&mut self, n: usize) {
        self.at = (self.at + n).min(self.block.len());
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Read for ReadAhead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let block = self.fill_buf()?;
        let n = buf.len().min(block.len());
        buf[..n].copy_from_slice(&block[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Drop for ReadAhead {
    fn drop(&mut self) {
        // Dropping the receiver first ends a thread waiting to send.
        self.blocks = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
    }

    #[test]
    fn read_ahead_gives_the_same_bytes_across_block_boundaries() {
        for len in [
            0,
            1,
            AHEAD_BLOCK - 1,
            AHEAD_BLOCK,
            AHEAD_BLOCK + 1,
            AHEAD_BLOCK * (AHEAD_BLOCKS + 2) + 12_345,
        ] {
            let data = pattern(len);
            let mut reader = ReadAhead::spawn(Box::new(io::Cursor::new(data.clone())));
            let mut got = Vec::new();
            // Odd-sized reads, so that they straddle the blocks.
            let mut buf = [0u8; 70_001];
            loop {
                let n = reader.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&buf[..n]);
            }
            assert_eq!(got.len(), len);
            assert!(got == data, "{len} bytes differ");
            // Past the end it stays at the end.
            assert_eq!(reader.read(&mut buf).unwrap(), 0);
        }
    }

    /// Reads `good` bytes, then fails.
    struct Failing(usize);

    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0 == 0 {
                return Err(io::Error::other("damaged"));
            }
            let n = buf.len().min(self.0);
            buf[..n].fill(1);
            self.0 -= n;
            Ok(n)
        }
    }

    #[test]
    fn read_ahead_passes_on_an_error_after_the_bytes_before_it() {
        let mut reader = ReadAhead::spawn(Box::new(Failing(AHEAD_BLOCK + 10)));
        let mut got = Vec::new();
        let err = reader.read_to_end(&mut got).unwrap_err();
        assert_eq!(err.to_string(), "damaged");
        assert_eq!(got.len(), AHEAD_BLOCK);
    }

    #[test]
    fn dropping_a_read_ahead_early_stops_its_thread() {
        // Far more than it may read ahead: the thread waits to send until the reader is dropped.
        let data = pattern(AHEAD_BLOCK * (AHEAD_BLOCKS + 8));
        let mut reader = ReadAhead::spawn(Box::new(io::Cursor::new(data)));
        let mut buf = [0u8; 10];
        reader.read_exact(&mut buf).unwrap();
        // Drop joins the thread: this returns only if the thread stopped.
        drop(reader);
    }
}
