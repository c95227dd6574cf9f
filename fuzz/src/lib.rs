//! What the fuzz targets share: exercising a container, a reader that hands out bytes in small
//! pieces, and the checks on rich text. Each target in `fuzz_targets/` is a few lines on top.

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::io::{self, Cursor, Read};

use permafrost_archive::{Container, Limits, Peek};
use permafrost_model::{Inline, RichText};

/// Limits for the container targets: tight, so that a mutated size or a small bomb cannot make
/// one input slow (an entry may inflate to at most 16 MiB, and past 1 MiB by at most 100 to 1).
pub const LIMITS: Limits = Limits {
    max_ratio: 100,
    ratio_floor: 1 << 20,
    max_entry_size: 16 << 20,
    access_point_spacing: Limits::DEFAULT.access_point_spacing,
    max_access_points: Limits::DEFAULT.max_access_points,
};

/// At most this many entries are read per input, and at most this many bytes in all: a ZIP's
/// central directory may name the same compressed data thousands of times, which is slow by
/// design, not a bug.
const MAX_ENTRIES: usize = 200;
const MAX_BYTES: u64 = 64 << 20;

/// What reading one entry gave: its length and a hash of its bytes, or that it failed or was cut
/// short by the byte budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Read { len: u64, hash: u64 },
    Failed,
    Skipped,
}

/// Reads `reader` to its end (or to `budget` bytes), hashing what it yields.
fn drain(reader: &mut dyn Read, budget: &mut u64) -> Outcome {
    let mut hasher = DefaultHasher::new();
    let mut buf = [0u8; 16 << 10];
    let mut len = 0u64;
    loop {
        if *budget == 0 {
            return Outcome::Skipped;
        }
        let want = buf
            .len()
            .min(usize::try_from(*budget).unwrap_or(usize::MAX));
        match reader.read(&mut buf[..want]) {
            Ok(0) => {
                return Outcome::Read {
                    len,
                    hash: hasher.finish(),
                }
            }
            Ok(n) => {
                hasher.write(&buf[..n]);
                len += n as u64;
                *budget -= n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Outcome::Failed,
        }
    }
}

/// Opens `data` as a container with `limits`, checks the listing, reads the entries one by one
/// ([`Container::read_entry`]) and then in one pass ([`Container::read_entries`]), and checks
/// that an entry read whole has its declared size and the same bytes both ways.
pub fn container(data: &[u8], limits: Limits) {
    let Ok(mut archive) = Container::open_with_limits(Cursor::new(data), limits) else {
        return;
    };
    let _ = archive.format().to_string();
    let _ = archive.shadowed_entries();
    let points = archive.access_points();
    assert!(points.len() <= limits.max_access_points.max(1) || limits.max_access_points == 0);
    for entry in archive.entries() {
        let name = entry.name.as_str();
        assert!(!name.is_empty(), "an empty name is listed");
        assert!(
            !name.starts_with('/') && !name.starts_with("./"),
            "{name:?}"
        );
        assert!(!name.contains('\\'), "{name:?}");
        assert!(!name.ends_with('/'), "a directory is listed: {name:?}");
    }
    let _ = archive.find("outbox.json");
    let _ = archive.find("actor.json");

    let count = archive.entries().len().min(MAX_ENTRIES);
    let mut budget = MAX_BYTES;
    let mut one_by_one = Vec::with_capacity(count);
    for at in 0..count {
        let outcome = match archive.read_entry(at) {
            Ok(mut reader) => drain(&mut reader, &mut budget),
            Err(_) => Outcome::Failed,
        };
        if let Outcome::Read { len, .. } = outcome {
            let declared = archive.entries()[at].size;
            assert_eq!(
                len, declared,
                "entry {at} read whole is not its declared size"
            );
        }
        one_by_one.push(outcome);
    }
    assert!(archive.read_entry(archive.entries().len()).is_err());

    // Every other entry, asked for backwards and twice: visited once each, in container order.
    let mut wanted: Vec<usize> = (0..count).step_by(2).rev().collect();
    wanted.extend(wanted.clone());
    let mut last = None;
    let mut budget = MAX_BYTES;
    let _ = archive.read_entries(&wanted, |at, reader| {
        assert!(last < Some(at), "read_entries visited {at} after {last:?}");
        last = Some(at);
        let outcome = drain(reader, &mut budget);
        if let (Outcome::Read { .. }, Some(Outcome::Read { .. })) = (outcome, one_by_one.get(at)) {
            assert_eq!(
                Some(&outcome),
                one_by_one.get(at),
                "entry {at} reads differently alone and in one pass"
            );
        }
        Ok::<(), permafrost_archive::Error>(())
    });

    // Listed again with a peek that reads every entry as it passes (a tar.gz's are read then):
    // the same listing, and an entry read whole both ways has the same bytes.
    let mut peek = Everything {
        budget: MAX_BYTES,
        read: Vec::new(),
    };
    let Ok(again) = Container::open_peeking(Cursor::new(data), limits, &mut peek) else {
        panic!("an archive that opened fails to open with a peek");
    };
    assert_eq!(
        again.entries(),
        archive.entries(),
        "a peek changed the listing"
    );
    for (at, outcome) in peek.read {
        if let (Outcome::Read { .. }, Some(Outcome::Read { .. })) = (outcome, one_by_one.get(at)) {
            assert_eq!(
                Some(&outcome),
                one_by_one.get(at),
                "entry {at} reads differently while listed"
            );
        }
    }
}

/// A [`Peek`] that reads every entry it is offered (within a budget of bytes).
struct Everything {
    budget: u64,
    read: Vec<(usize, Outcome)>,
}

impl Peek for Everything {
    fn wants(&mut self, _: &str, _: u64) -> bool {
        self.read.len() < MAX_ENTRIES
    }
    fn read(&mut self, index: usize, _: &str, _: u64, reader: &mut dyn Read) {
        let outcome = drain(reader, &mut self.budget);
        self.read.push((index, outcome));
    }
}

/// A reader over `data` that gives at most `step` bytes per call, as a decompressor or a
/// `Blob` reader may: it reaches the buffer boundaries of streaming parsers with small inputs.
pub struct Chunked<'a> {
    data: &'a [u8],
    step: usize,
}

impl<'a> Chunked<'a> {
    /// A reader of `data`, `step` bytes at a time (at least 1).
    pub fn new(data: &'a [u8], step: usize) -> Chunked<'a> {
        Chunked {
            data,
            step: step.max(1),
        }
    }
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.step).min(self.data.len());
        let (head, rest) = self.data.split_at(n);
        buf[..n].copy_from_slice(head);
        self.data = rest;
        Ok(n)
    }
}

/// Walks a rich text the way the views do, and checks the model's promise that it holds nothing
/// executable: every link target is http(s) or mailto.
pub fn rich_text(text: &RichText) {
    let plain = text.plain_text();
    let _ = text.is_empty();
    let _ = text.heap_bytes();
    let (short, _cut) = text.beginning(20, 500);
    let _ = short.plain_text();
    let check = |href: &Option<permafrost_model::Href>| {
        if let Some(href) = href {
            let url = href.url.to_ascii_lowercase();
            assert!(
                url.starts_with("http://")
                    || url.starts_with("https://")
                    || url.starts_with("mailto:"),
                "a link target that is not http(s) or mailto: {url:?}"
            );
            let _ = href.label_for(&plain);
        }
    };
    text.for_each_inline(&mut |inline| match inline {
        Inline::Link { href, .. } | Inline::Mention { href, .. } | Inline::Hashtag { href, .. } => {
            check(href)
        }
        _ => {}
    });
}
