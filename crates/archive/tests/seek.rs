//! tar.gz access points: reading entries from the middle of the gzip stream.

use std::cell::RefCell;
use std::fs;
use std::io::{self, Cursor, Read, Seek, SeekFrom, Write};
use std::rc::Rc;

use flate2::write::GzEncoder;
use flate2::Compression;
use permafrost_archive::{AccessPoint, Container, Error, ErrorKind, Format, Limits};

use crate::build::{self, assert_kind, Rng};

/// Limits with access points `spacing` bytes apart.
fn spaced(spacing: u64) -> Limits {
    Limits {
        access_point_spacing: spacing,
        ..Limits::default()
    }
}

/// Reads the entry at `index` to the end; an error may come from opening or reading it.
fn read<R: Read + Seek>(container: &mut Container<R>, index: usize) -> Result<Vec<u8>, Error> {
    let mut data = Vec::new();
    container.read_entry(index)?.read_to_end(&mut data)?;
    Ok(data)
}

/// `0..len` in a random order.
fn shuffled(len: usize, rng: &mut Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    for at in (1..len).rev() {
        order.swap(at, rng.below(at + 1));
    }
    order
}

#[test]
fn the_real_tar_gz_reads_like_the_tar_in_any_order() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/");
    let tar_gz = fs::read(format!("{dir}mastodon-export.tar.gz")).unwrap();
    let tar = fs::read(format!("{dir}mastodon-export.tar")).unwrap();
    let mut plain = Container::open(Cursor::new(tar)).unwrap();
    // 2.9 MB uncompressed: 64 KiB apart gives dozens of points.
    let mut packed = Container::open_with_limits(Cursor::new(tar_gz), spaced(64 << 10)).unwrap();
    assert_eq!(packed.format(), Format::TarGz);
    assert_eq!(packed.entries(), plain.entries());
    let points = packed.access_points();
    assert!(points.len() >= 15, "{} access points", points.len());
    assert!(points
        .iter()
        .all(|point| point.bit < 8 && point.memory == 32 << 10));

    let mut rng = Rng(7);
    for at in shuffled(packed.entries().len(), &mut rng) {
        let name = packed.entries()[at].name.clone();
        assert_eq!(
            read(&mut packed, at).unwrap(),
            read(&mut plain, at).unwrap(),
            "{name}"
        );
    }
}

/// Generated entries: `(name, data offset in the tar stream, data)`.
type Built = Vec<(String, u64, Vec<u8>)>;

/// How a generated entry meets the compressed stream.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flush {
    /// Wherever deflate puts its blocks.
    None,
    /// A block ends just before its header.
    Header,
    /// A block ends just before its data.
    Data,
}

/// A tar.gz built entry by entry, knowing where each entry's data starts.
struct Builder {
    gz: GzEncoder<Vec<u8>>,
    /// The tar stream so far, to split it into gzip members.
    tar: Vec<u8>,
    entries: Built,
}

impl Builder {
    fn new() -> Builder {
        Builder {
            gz: GzEncoder::new(Vec::new(), Compression::default()),
            tar: Vec::new(),
            entries: Vec::new(),
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        self.gz.write_all(bytes).unwrap();
        self.tar.extend_from_slice(bytes);
    }

    fn add(&mut self, name: &str, data: Vec<u8>, flush: Flush) {
        if flush == Flush::Header {
            self.gz.flush().unwrap();
        }
        self.write(&build::ustar_header(name, data.len() as u64, b'0'));
        if flush == Flush::Data {
            self.gz.flush().unwrap();
        }
        let offset = self.tar.len() as u64;
        self.write(&data);
        let padding = self.tar.len().next_multiple_of(512) - self.tar.len();
        self.write(&vec![0; padding]);
        self.entries.push((name.to_owned(), offset, data));
    }

    /// The tar.gz as one gzip member, and the tar stream.
    fn finish(mut self) -> (Vec<u8>, Vec<u8>, Built) {
        self.write(&[0; 1024]);
        (self.gz.finish().unwrap(), self.tar, self.entries)
    }
}

/// A tar.gz of 2 MB with regions of every kind: incompressible media (stored blocks), small
/// entries each after a block boundary of their own, compressible text, and highly compressible
/// text and zeros (whose blocks are too long to hold a point inside).
fn generated() -> (Vec<u8>, Vec<u8>, Built) {
    let mut rng = Rng(0x5eed_cafe);
    let mut builder = Builder::new();
    for (at, len) in [150_000, 390_000, 70_001, 260_000, 333]
        .into_iter()
        .enumerate()
    {
        let data = (0..len).map(|_| rng.next() as u8).collect();
        builder.add(&format!("media/{at}.jpg"), data, Flush::None);
    }
    // Small enough that deflate ends no block of its own inside them: every block boundary here
    // is one of these flushes, so access points fall on entries' headers and data.
    for at in 0..90 {
        let flush = if at % 2 == 0 {
            Flush::Data
        } else {
            Flush::Header
        };
        let data = if at % 3 == 0 {
            format!("{{\"small\":{at}}}").repeat(150).into_bytes()
        } else {
            (0..2_500 + at * 7).map(|_| rng.next() as u8).collect()
        };
        builder.add(&format!("small/{at}.bin"), data, flush);
    }
    let words = [
        "toot",
        "boost",
        "fediverse",
        "instance",
        "media",
        "alt text",
        "#caturday",
    ];
    let prose: String = (0..40_000)
        .map(|_| format!("{} {} ", words[rng.below(words.len())], rng.below(1000)))
        .collect();
    builder.add("text/prose.txt", prose.into_bytes(), Flush::None);
    let fox = b"the quick brown fox jumps over the lazy dog, ".repeat(5_000);
    builder.add("text/fox.txt", fox, Flush::None);
    builder.add("text/zeros.bin", vec![0; 200_000], Flush::None);
    let json: Vec<u8> = (0..8_000)
        .flat_map(|at| format!("{{\"id\":{},\"n\":{at}}},", at * 7919 % 10_007).into_bytes())
        .collect();
    builder.add("outbox.json", json, Flush::None);
    builder.add("actor.json", b"{}".to_vec(), Flush::None);
    builder.finish()
}

/// Reads every entry in a random order (or only `some` of them), and in passes of random
/// subsets.
fn reads_back<R: Read + Seek>(
    container: &mut Container<R>,
    entries: &[(String, u64, Vec<u8>)],
    some: usize,
) {
    assert_eq!(container.entries().len(), entries.len());
    let mut rng = Rng(99);
    for at in shuffled(entries.len(), &mut rng).into_iter().take(some) {
        let (name, _, data) = &entries[at];
        assert_eq!(container.entries()[at].name, *name);
        assert!(read(container, at).unwrap() == *data, "{name} differs");
    }
    for _ in 0..3 {
        let subset: Vec<usize> = (0..4).map(|_| rng.below(entries.len())).collect();
        let mut seen = 0;
        container
            .read_entries(&subset, |at, reader| {
                let mut data = Vec::new();
                reader.read_to_end(&mut data)?;
                assert!(data == entries[at].2, "{} differs", entries[at].0);
                seen += 1;
                Ok::<(), Error>(())
            })
            .unwrap();
        assert!(seen > 0);
    }
}

#[test]
fn a_generated_tar_gz_reads_back_from_many_access_points() {
    let (bytes, _, entries) = generated();
    let mut container = Container::open_with_limits(Cursor::new(bytes), spaced(16 << 10)).unwrap();
    let points = container.access_points();
    assert!(
        points.len() >= 30,
        "{} access points: {points:?}",
        points.len()
    );
    assert!(points
        .windows(2)
        .all(|pair| pair[0].uncompressed < pair[1].uncompressed
            && pair[0].compressed < pair[1].compressed));
    // Blocks after stored blocks and flushes start on a byte; the others mostly do not.
    assert!(points.iter().any(|point| point.bit == 0));
    assert!(points.iter().any(|point| point.bit != 0));

    let at_point = |offset: u64| points.iter().any(|point| point.uncompressed == offset);
    let just_after = |offset: u64| {
        points
            .iter()
            .any(|point| point.uncompressed < offset && offset <= point.uncompressed + 512)
    };
    let spanned = |offset: u64, len: u64| {
        points
            .iter()
            .filter(|point| offset < point.uncompressed && point.uncompressed < offset + len)
            .count()
    };
    assert!(
        entries.iter().any(|(_, offset, _)| at_point(*offset)),
        "no entry at a point"
    );
    assert!(
        entries.iter().any(|(_, offset, _)| just_after(*offset)),
        "no entry just after one"
    );
    for name in ["media/1.jpg", "media/3.jpg", "text/prose.txt"] {
        let (_, offset, data) = entries.iter().find(|(entry, ..)| entry == name).unwrap();
        assert!(
            spanned(*offset, data.len() as u64) >= 2,
            "{name} spans too few points"
        );
    }
    reads_back(&mut container, &entries, entries.len());
    // Everything again, in another order.
    reads_back(&mut container, &entries, entries.len());
}

#[test]
fn access_points_are_capped_by_thinning_them_out() {
    let (bytes, _, entries) = generated();
    let limits = Limits {
        max_access_points: 5,
        ..spaced(16 << 10)
    };
    let mut container = Container::open_with_limits(Cursor::new(bytes.clone()), limits).unwrap();
    let points = container.access_points();
    // Some sixty points' worth of stream: the spacing doubled four times.
    assert!((3..=5).contains(&points.len()), "{points:?}");
    assert!(points.iter().map(|point| point.memory).sum::<usize>() <= 5 << 15);
    assert!(points.last().unwrap().uncompressed > 1 << 20, "{points:?}");
    reads_back(&mut container, &entries, 20);

    // And none at all, when asked.
    for limits in [
        spaced(0),
        Limits {
            max_access_points: 0,
            ..spaced(1 << 10)
        },
    ] {
        let mut container =
            Container::open_with_limits(Cursor::new(bytes.clone()), limits).unwrap();
        assert_eq!(container.access_points(), []);
        reads_back(&mut container, &entries, 5);
    }
    // The default spacing is too wide for 2 MB.
    assert_eq!(build::open(bytes).unwrap().access_points(), []);
}

#[test]
fn reads_from_an_access_point_go_on_into_the_next_gzip_member() {
    let (_, tar, entries) = generated();
    // Three members, split in the middle of entries.
    let mut bytes = Vec::new();
    for part in [&tar[..700_000], &tar[700_000..1_500_003], &tar[1_500_003..]] {
        bytes.extend_from_slice(&build::gz(part));
    }
    let mut container = Container::open_with_limits(Cursor::new(bytes), spaced(16 << 10)).unwrap();
    let points = container.access_points();
    assert!(points.iter().any(|point| point.uncompressed > 1_500_003));
    reads_back(&mut container, &entries, entries.len());
}

/// A source whose bytes can change after the archive was opened.
#[derive(Clone)]
struct Shared {
    bytes: Rc<RefCell<Vec<u8>>>,
    at: u64,
}

impl Read for Shared {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let bytes = self.bytes.borrow();
        let start = (self.at as usize).min(bytes.len());
        let n = buf.len().min(bytes.len() - start);
        buf[..n].copy_from_slice(&bytes[start..start + n]);
        self.at += n as u64;
        Ok(n)
    }
}

impl Seek for Shared {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.at = match pos {
            SeekFrom::Start(at) => at,
            SeekFrom::End(delta) => (self.bytes.borrow().len() as i64 + delta) as u64,
            SeekFrom::Current(delta) => (self.at as i64 + delta) as u64,
        };
        Ok(self.at)
    }
}

/// The entries read from `point` (those whose data starts at or after it, before `next`).
fn read_from(
    point: &AccessPoint,
    next: &AccessPoint,
    entries: &[(String, u64, Vec<u8>)],
) -> Vec<usize> {
    (0..entries.len())
        .filter(|&at| point.uncompressed <= entries[at].1 && entries[at].1 < next.uncompressed)
        .collect()
}

#[test]
fn damage_after_an_access_point_is_an_error_not_a_panic() {
    let (valid, _, entries) = generated();
    let bytes = Rc::new(RefCell::new(valid.clone()));
    let source = Shared {
        bytes: bytes.clone(),
        at: 0,
    };
    let mut container = Container::open_with_limits(source, spaced(16 << 10)).unwrap();
    let points = container.access_points();
    // A point in the small entries, from which several are read.
    let (point, next, targets) = points
        .windows(2)
        .map(|pair| (pair[0], pair[1], read_from(&pair[0], &pair[1], &entries)))
        .find(|(.., targets)| targets.len() >= 3)
        .unwrap();
    let start = point.compressed as usize;

    // Ones from the block's first bit on: a final block of the reserved type 3.
    bytes.borrow_mut()[start..start + 64].fill(0xff);
    for &at in &targets {
        assert_kind(&read(&mut container, at).unwrap_err(), ErrorKind::Corrupt);
    }
    // Entries before the point do not read that far.
    assert_eq!(read(&mut container, 0).unwrap(), entries[0].2);

    // The file cut short just after the point.
    *bytes.borrow_mut() = valid[..start + 2].to_vec();
    for &at in &targets {
        assert_kind(&read(&mut container, at).unwrap_err(), ErrorKind::Truncated);
    }

    // Random damage: an error or the right number of bytes, never a panic or a hang.
    let mut rng = Rng(0xbad);
    let end = next.compressed as usize + 1000;
    let mut errors = 0;
    for _ in 0..100 {
        let mut damaged = valid.clone();
        for _ in 0..1 + rng.below(4) {
            damaged[start + rng.below(end - start)] = rng.next() as u8;
        }
        *bytes.borrow_mut() = damaged;
        for &at in &targets {
            match read(&mut container, at) {
                Ok(data) => assert_eq!(data.len(), entries[at].2.len()),
                Err(_) => errors += 1,
            }
        }
    }
    assert!(errors > 0);
}
