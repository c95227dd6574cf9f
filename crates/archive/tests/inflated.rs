//! A tar.gz listed through its gzip stream inflated elsewhere ([`GzipElsewhere`]), as the
//! browser's worker lists one its helper inflates: the same listing, reads, access points and
//! errors as inflating it here, whether the stream arrives whole, fails or stops.

use std::cell::Cell;
use std::fs;
use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::rc::Rc;

use permafrost_archive::{Container, GzipElsewhere, GzipInflater, Limits, Peek};

use crate::build;

/// Limits with access points 64 KiB apart: dozens of them in the real 2.9 MB tar.
fn spaced() -> Limits {
    Limits {
        access_point_spacing: 64 << 10,
        ..Limits::default()
    }
}

/// The real Mastodon 4.0 tar.gz (tests/data/README.md).
fn real_tar_gz() -> Vec<u8> {
    fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/mastodon-export.tar.gz"
    ))
    .unwrap()
}

/// What a [`GzipInflater`] made of a file, replayed as a [`GzipElsewhere`]: its output in the
/// reads it gave, the file read after each, then its end (or its error) and its access points.
#[derive(Clone)]
struct Recorded {
    reads: Vec<(Vec<u8>, u64)>,
    end: Result<(), String>,
    points: Option<Vec<u8>>,
}

/// Inflates `file` with a [`GzipInflater`], as the helper does, in reads of at most 7,000 bytes.
fn record(file: &[u8], limits: Limits) -> Recorded {
    let mut inflater = GzipInflater::new(Cursor::new(file.to_vec()), limits).unwrap();
    let mut reads = Vec::new();
    let mut buf = vec![0; 7_000];
    let end = loop {
        match inflater.read(&mut buf) {
            Ok(0) => break Ok(()),
            Ok(n) => reads.push((buf[..n].to_vec(), inflater.compressed())),
            Err(err) => break Err(err.to_string()),
        }
    };
    let points = end.is_ok().then(|| inflater.access_points().unwrap());
    Recorded { reads, end, points }
}

/// A [`Recorded`] stream, given out as it was made, or failing after `fail_after` bytes.
struct Replay {
    recorded: Recorded,
    /// The inflater's read being given out, and how much of it is given.
    read: usize,
    at: usize,
    /// Bytes given in all.
    given: usize,
    fail_after: Option<usize>,
    compressed: u64,
    /// Whether it was read to its end.
    ended: Rc<Cell<bool>>,
}

impl GzipElsewhere for Replay {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.fail_after.is_some_and(|after| self.given >= after) {
            return Err(io::Error::other("the helper is gone"));
        }
        let Some((bytes, compressed)) = self.recorded.reads.get(self.read) else {
            self.ended.set(true);
            return match &self.recorded.end {
                Ok(()) => Ok(0),
                Err(message) => Err(io::Error::other(message.clone())),
            };
        };
        // The rest of this read of the inflater's, as far as `buf` takes it.
        let n = (bytes.len() - self.at).min(buf.len());
        buf[..n].copy_from_slice(&bytes[self.at..self.at + n]);
        self.given += n;
        self.at += n;
        if self.at == bytes.len() {
            self.read += 1;
            self.at = 0;
            self.compressed = *compressed;
        }
        Ok(n)
    }

    fn compressed(&self) -> u64 {
        self.compressed
    }

    fn access_points(&mut self) -> Option<Vec<u8>> {
        self.recorded.points.clone()
    }
}

/// A source that counts the bytes read from it.
struct Counted {
    inner: Cursor<Vec<u8>>,
    read: Rc<Cell<u64>>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

impl Seek for Counted {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// A [`Peek`] that reads outbox.json whole as it passes, notes listing's progress, and offers
/// a stream inflated elsewhere, if it has one.
#[derive(Default)]
struct Peeker {
    elsewhere: Option<Replay>,
    asked: u32,
    outbox: Option<Vec<u8>>,
    listed: Vec<u64>,
}

impl Peek for Peeker {
    fn wants(&mut self, name: &str, _size: u64) -> bool {
        name == "outbox.json"
    }
    fn read(&mut self, _index: usize, _name: &str, _size: u64, reader: &mut dyn Read) {
        let mut bytes = Vec::new();
        self.outbox = reader.read_to_end(&mut bytes).ok().map(|_| bytes);
    }
    fn listing(&mut self, read: u64, _len: u64) {
        self.listed.push(read);
    }
    fn gzip_elsewhere(&mut self, _limits: &Limits) -> Option<Box<dyn GzipElsewhere>> {
        self.asked += 1;
        self.elsewhere
            .take()
            .map(|replay| Box::new(replay) as Box<dyn GzipElsewhere>)
    }
}

/// What opening a file gave: its listing, outbox.json as peeked, every entry read, the access
/// points, the progress told, and the bytes of the file read while opening; or the error.
#[derive(Debug, PartialEq)]
struct Opened {
    entries: Vec<(String, u64)>,
    outbox: Option<Vec<u8>>,
    /// Each entry's bytes, or the error reading it gave (an outbox.json cut short fails at the
    /// cut).
    reads: Vec<Result<Vec<u8>, String>>,
    points: Vec<permafrost_archive::AccessPoint>,
}

fn open(
    file: &[u8],
    limits: Limits,
    elsewhere: Option<Replay>,
) -> (Result<Opened, String>, Peeker, u64) {
    let read = Rc::new(Cell::new(0));
    let source = Counted {
        inner: Cursor::new(file.to_vec()),
        read: read.clone(),
    };
    let mut peek = Peeker {
        elsewhere,
        ..Peeker::default()
    };
    let opened = Container::open_peeking(source, limits, &mut peek);
    let file_read = read.get();
    let opened = opened.map_err(|err| err.to_string()).map(|mut container| {
        let entries = container
            .entries()
            .iter()
            .map(|entry| (entry.name.clone(), entry.size))
            .collect();
        let reads = (0..container.entries().len())
            .map(|at| build::read(&mut container, at).map_err(|err| err.to_string()))
            .collect();
        Opened {
            entries,
            outbox: peek.outbox.clone(),
            reads,
            points: container.access_points(),
        }
    });
    (opened, peek, file_read)
}

fn replay(recorded: &Recorded, fail_after: Option<usize>) -> (Replay, Rc<Cell<bool>>) {
    let ended = Rc::new(Cell::new(false));
    let replay = Replay {
        recorded: recorded.clone(),
        read: 0,
        at: 0,
        given: 0,
        fail_after,
        compressed: 0,
        ended: ended.clone(),
    };
    (replay, ended)
}

/// A generated outbox.json of 2 MB (compressible) and a media file of 900 KB (not).
fn outbox_and_media() -> (Vec<u8>, Vec<u8>) {
    let outbox = (0..300_000u32)
        .flat_map(|i| format!("{{\"id\":{i}}},").into_bytes())
        .take(2_000_000)
        .collect();
    let media = (0..900_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    (outbox, media)
}

/// The real tar.gz and a generated one with entries of every size, each with many access points.
fn files() -> Vec<(&'static str, Vec<u8>)> {
    let (outbox, media) = outbox_and_media();
    let generated = build::gz(&build::tar(&[
        ("media_attachments/files/1/original/a.jpg", &media),
        ("outbox.json", &outbox),
        ("likes.json", b"{\"orderedItems\":[]}"),
        ("actor.json", b"{\"type\":\"Person\"}"),
    ]));
    vec![
        ("the real tar.gz", real_tar_gz()),
        ("a generated tar.gz", generated),
    ]
}

#[test]
fn a_tar_gz_inflated_elsewhere_opens_as_one_inflated_here() {
    for (what, file) in files() {
        let (here, peek_here, _) = open(&file, spaced(), None);
        let here = here.unwrap();
        assert_eq!(
            peek_here.asked, 1,
            "{what}: the peek is asked for a stream elsewhere"
        );
        assert!(
            here.outbox.as_ref().is_some_and(|o| !o.is_empty()),
            "{what}"
        );
        assert!(
            here.points.len() >= 10,
            "{what}: {} access points",
            here.points.len()
        );

        let recorded = record(&file, spaced());
        let (stream, ended) = replay(&recorded, None);
        let (there, peek_there, file_read) = open(&file, spaced(), Some(stream));
        assert_eq!(there.unwrap(), here, "{what}");
        assert!(
            ended.get(),
            "{what}: the stream elsewhere is read to its end"
        );
        // Only the first bytes are inflated here, to tell a tar from another gzip file.
        assert!(
            file_read < file.len() as u64 / 4,
            "{what}: {file_read} bytes of {} read here",
            file.len()
        );
        // Progress is the file inflated elsewhere, never going back.
        assert!(peek_there.listed.windows(2).all(|w| w[0] <= w[1]), "{what}");
        assert!(
            peek_there
                .listed
                .iter()
                .all(|&read| read <= file.len() as u64),
            "{what}"
        );
        assert!(
            peek_there.listed.last() > Some(&(file.len() as u64 / 2)),
            "{what}"
        );
    }
}

#[test]
fn a_stream_elsewhere_that_fails_midway_changes_nothing_but_where_it_is_inflated() {
    for (what, file) in files() {
        let (here, _, _) = open(&file, spaced(), None);
        let recorded = record(&file, spaced());
        let total: usize = recorded.reads.iter().map(|r| r.0.len()).sum();
        for fail_after in [0, 1, total / 3, total - 1, total] {
            let (stream, _) = replay(&recorded, Some(fail_after));
            let (there, _, file_read) = open(&file, spaced(), Some(stream));
            assert_eq!(there, here, "{what}, failing after {fail_after} of {total}");
            // The rest was inflated here, from the start of the file.
            assert!(
                file_read >= file.len() as u64,
                "{what}, failing after {fail_after}"
            );
        }
    }
}

#[test]
fn access_points_that_do_not_arrive_whole_are_made_again_here() {
    for (what, file) in files() {
        let (here, _, _) = open(&file, spaced(), None);
        let here = here.unwrap();
        let recorded = record(&file, spaced());
        let whole = recorded.points.clone().unwrap();
        let mut flipped_bit = whole.clone();
        // The first point's bit (after the members' count, its members and the points' count).
        let members = u32::from_le_bytes(whole[..4].try_into().unwrap()) as usize;
        flipped_bit[4 + members * 16 + 4 + 16] = 9;
        for points in [
            None,
            Some(Vec::new()),
            Some(whole[..whole.len() - 1].to_vec()),
            Some([&whole[..], b"!"].concat()),
            Some(flipped_bit),
        ] {
            let mut recorded = recorded.clone();
            let len = points.as_ref().map(Vec::len);
            recorded.points = points;
            let (stream, _) = replay(&recorded, None);
            let (there, _, file_read) = open(&file, spaced(), Some(stream));
            assert_eq!(
                there.unwrap(),
                here,
                "{what}, access points of {len:?} bytes"
            );
            assert!(
                file_read >= file.len() as u64,
                "{what}: the file was inflated again"
            );
        }
    }
}

#[test]
fn a_damaged_or_cut_tar_gz_fails_or_is_salvaged_alike_when_inflated_elsewhere() {
    for (what, file) in files() {
        let mut damaged = file.clone();
        let middle = damaged.len() / 2;
        for byte in &mut damaged[middle..middle + 64] {
            *byte ^= 0x5a;
        }
        let cut = file[..file.len() * 2 / 3].to_vec();
        for (how, bad) in [("damaged", damaged), ("cut short", cut)] {
            let (here, _, _) = open(&bad, spaced(), None);
            // Damage fails; a cut keeps what arrived when that holds outbox.json (see
            // tests/tar.rs), else fails too.
            assert!(how == "cut short" || here.is_err(), "{what} {how}");
            let recorded = record(&bad, spaced());
            assert!(
                recorded.end.is_err(),
                "{what} {how}: the inflater fails too"
            );
            let (stream, ended) = replay(&recorded, None);
            let (there, _, _) = open(&bad, spaced(), Some(stream));
            assert_eq!(there, here, "{what} {how}");
            // (Damage may make the tar data fail first.)
            if how == "cut short" {
                assert!(
                    ended.get(),
                    "{what} {how}: the stream was read up to its error"
                );
            }
        }
    }
}

/// A tar cut short and then compressed whole (its gzip data ends as it should): listed up to
/// the cut, with the access points the helper made, as when it is inflated here.
#[test]
fn a_cut_tar_compressed_whole_keeps_the_access_points_made_elsewhere() {
    let real_tar = fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/mastodon-export.tar"
    ))
    .unwrap();
    let (outbox, media) = outbox_and_media();
    let generated_tar = build::tar(&[
        ("media_attachments/files/1/original/a.jpg", &media),
        ("outbox.json", &outbox),
        ("actor.json", b"{\"type\":\"Person\"}"),
    ]);
    for (what, tar) in [
        ("the real tar", real_tar),
        ("a generated tar", generated_tar),
    ] {
        // Inside outbox.json (halfway from its start to the tar's end: both tars end with it, but
        // for a small actor.json), and inside the tar's end marker.
        let outbox_at = (0..tar.len())
            .step_by(512)
            .find(|&at| tar[at..].starts_with(b"outbox.json\0"))
            .unwrap();
        for cut in [(outbox_at + tar.len()) / 2, tar.len() - 600] {
            let file = build::gz(&tar[..cut]);
            let (here, _, _) = open(&file, spaced(), None);
            let here = here.unwrap_or_else(|e| panic!("{what} cut at {cut}: {e}"));
            assert!(
                here.points.len() > 5,
                "{what} cut at {cut}: {} access points here",
                here.points.len()
            );
            let recorded = record(&file, spaced());
            assert!(recorded.end.is_ok(), "{what}: the gzip data is whole");
            let (stream, ended) = replay(&recorded, None);
            let (there, _, _) = open(&file, spaced(), Some(stream));
            assert_eq!(there.unwrap(), here, "{what} cut at {cut}");
            assert!(ended.get(), "{what} cut at {cut}: read to its end");
        }
    }
}
