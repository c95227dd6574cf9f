//! Tar and tar.gz archives built in memory.

use std::io::{Cursor, Read};

use permafrost_archive::{Container, Error, ErrorKind, Format, Limits, Peek};

use crate::build::{self, assert_kind, gz, names, open, open_err, read, read_named};

/// A local-storage media path as Mastodon 2.x–4.1 wrote it: absolute and longer than 100
/// bytes, so `Gem::Package::TarWriter` splits it into the ustar `prefix` and `name` fields.
const LONG_MEDIA: &str = "/home/mastodon/live/public/system/media_attachments/files/109/876/543/210/987/654/original/40b72a4002ba4cfc.mp4";

fn sample() -> Vec<u8> {
    build::tar(&[
        (LONG_MEDIA, b"\x00\x00\x00\x18ftypmp42 video"),
        ("./outbox.json", br#"{"orderedItems":[]}"#),
        ("likes.json", b"{}"),
        ("actor.json", br#"{"type":"Person"}"#),
    ])
}

#[test]
fn the_ustar_prefix_is_joined_and_leading_slashes_dropped() {
    assert!(LONG_MEDIA.len() > 100);
    let bytes = sample();
    // The header really uses the prefix field, as Gem::Package::TarWriter splits the path: the
    // longest tail that fits the 100-byte name field, the rest in the prefix.
    let prefix = "/home/mastodon";
    assert_eq!(
        &bytes[345..345 + prefix.len() + 1],
        format!("{prefix}\0").as_bytes()
    );
    let tail = &LONG_MEDIA[prefix.len() + 1..];
    assert_eq!(&bytes[..tail.len() + 1], format!("{tail}\0").as_bytes());
    let mut container = open(bytes).unwrap();
    assert_eq!(container.format(), Format::Tar);
    assert_eq!(
        names(&container),
        [
            LONG_MEDIA.trim_start_matches('/'),
            "outbox.json",
            "likes.json",
            "actor.json"
        ]
    );
    assert_eq!(
        read(&mut container, 0).unwrap(),
        b"\x00\x00\x00\x18ftypmp42 video"
    );
    assert_eq!(
        read_named(&mut container, "outbox.json"),
        br#"{"orderedItems":[]}"#
    );
}

#[test]
fn tar_gz_lists_and_reads_like_tar() {
    let tar = sample();
    let mut plain = open(tar.clone()).unwrap();
    let mut packed = open(gz(&tar)).unwrap();
    assert_eq!(packed.format(), Format::TarGz);
    assert_eq!(packed.entries(), plain.entries());
    for at in 0..plain.entries().len() {
        assert_eq!(
            read(&mut packed, at).unwrap(),
            read(&mut plain, at).unwrap()
        );
    }
}

#[test]
fn directories_and_links_are_not_listed_and_gnu_long_names_are() {
    let long = format!("archive/{}/outbox.json", "d".repeat(150));
    let mut builder = tar::Builder::new(Vec::new());
    let mut dir = tar::Header::new_gnu();
    dir.set_entry_type(tar::EntryType::Directory);
    dir.set_size(0);
    builder
        .append_data(&mut dir, "archive/", std::io::empty())
        .unwrap();
    let mut file = tar::Header::new_gnu();
    file.set_size(2);
    builder.append_data(&mut file, &long, &b"{}"[..]).unwrap();
    let mut link = tar::Header::new_gnu();
    link.set_entry_type(tar::EntryType::Symlink);
    link.set_size(0);
    builder
        .append_link(&mut link, "archive/link.json", "outbox.json")
        .unwrap();
    let bytes = builder.into_inner().unwrap();
    let mut container = open(bytes).unwrap();
    assert_eq!(names(&container), [long.as_str()]);
    assert_eq!(read(&mut container, 0).unwrap(), b"{}");
}

/// Where `container` says it was cut: `(file length, entry cut inside, listed partly)`.
fn cut_at<R>(container: &Container<R>) -> (u64, Option<&str>, bool) {
    let salvage = container.salvaged().expect("salvaged");
    (
        salvage.file_len,
        salvage.cut_inside.as_deref(),
        salvage.partial,
    )
}

#[test]
fn a_tar_cut_short_before_outbox_json_says_the_download_was_interrupted() {
    let bytes = sample();
    // Inside the media's data, and inside outbox.json's header: no post arrived, and the
    // error says why (the media come first).
    for cut in [700, 1024 + 100] {
        let err = open_err(bytes[..cut].to_vec());
        assert_kind(&err, ErrorKind::Truncated);
        assert_eq!(err.code(), "container.truncated_before_posts");
        assert_eq!(
            err.to_string(),
            format!(
                "the file ends early, at byte {cut}, before outbox.json: the download was \
                 probably interrupted. In a .tar.gz archive (as Mastodon wrote them before \
                 4.2) the posts come after the media, so none of them arrived: download it \
                 again"
            )
        );
    }
}

#[test]
fn a_tar_cut_short_after_outbox_json_keeps_the_files_that_arrived() {
    let bytes = sample();
    let len = bytes.len();
    let media = LONG_MEDIA.trim_start_matches('/');
    // Each member is a header block and a data block: the media at 0, outbox.json at 1,024,
    // likes.json at 2,048, actor.json at 3,072, then the two zero blocks of the end.
    assert_eq!(len, 5_120);
    // Inside outbox.json's data: it is listed, and read up to the cut, then fails.
    let mut cut = open(bytes[..1_536 + 10].to_vec()).unwrap();
    assert_eq!(names(&cut), [media, "outbox.json"]);
    assert_eq!(cut_at(&cut), (1_546, Some("outbox.json"), true));
    assert_kind(&read(&mut cut, 1).unwrap_err(), ErrorKind::Truncated);
    assert_eq!(
        read(&mut cut, 0).unwrap(),
        b"\x00\x00\x00\x18ftypmp42 video"
    );
    // Between members, inside likes.json (not listed: only outbox.json is worth reading in
    // part), and only the end marker missing.
    let all = [media, "outbox.json", "likes.json", "actor.json"];
    for (at, listed, inside) in [
        (2_048, &all[..2], None),
        (2_560 + 1, &all[..2], Some("likes.json")),
        (len - 1_024, &all[..], None),
        (len - 600, &all[..], None),
    ] {
        let mut cut = open(bytes[..at].to_vec()).unwrap();
        assert_eq!(names(&cut), listed, "cut at {at}");
        assert_eq!(cut_at(&cut), (at as u64, inside, false), "cut at {at}");
        assert_eq!(
            read_named(&mut cut, "outbox.json"),
            br#"{"orderedItems":[]}"#
        );
    }
    // One zero block is enough to end an archive.
    assert!(open(bytes[..len - 512].to_vec())
        .unwrap()
        .salvaged()
        .is_none());
}

#[test]
fn a_tar_gz_cut_short_keeps_what_arrived_of_outbox_json_and_after() {
    let outbox: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let bytes = gz(&build::tar(&[
        ("outbox.json", &outbox),
        ("actor.json", b"{}"),
    ]));
    let len = bytes.len();
    // Inside the gzip header: not even the kind of file is known.
    for cut in [2, 5, 11] {
        assert_kind(&open_err(bytes[..cut].to_vec()), ErrorKind::Truncated);
    }
    // Inside outbox.json: listed, what arrived of it read, then the cut.
    for cut in [len / 3, len / 2] {
        let mut container = open(bytes[..cut].to_vec()).unwrap();
        assert_eq!(names(&container), ["outbox.json"]);
        assert_eq!(cut_at(&container), (cut as u64, Some("outbox.json"), true));
        let mut got = Vec::new();
        let err = container
            .read_entry(0)
            .unwrap()
            .read_to_end(&mut got)
            .unwrap_err();
        assert_kind(&Error::from(err), ErrorKind::Truncated);
        assert!(
            !got.is_empty() && got[..] == outbox[..got.len()],
            "cut at {cut}"
        );
    }
    // Inside the gzip trailer: every file arrived, its checksum did not.
    for cut in [len - 8, len - 1] {
        let mut container = open(bytes[..cut].to_vec()).unwrap();
        assert_eq!(names(&container), ["outbox.json", "actor.json"]);
        assert_eq!(cut_at(&container), (cut as u64, None, false));
        assert_eq!(read_named(&mut container, "outbox.json"), outbox);
        assert_eq!(read_named(&mut container, "actor.json"), b"{}");
    }
}

#[test]
fn the_real_tar_and_tar_gz_cut_short() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/");
    let tar = std::fs::read(format!("{dir}mastodon-export.tar")).unwrap();
    // Among the media, which come first: no post arrived.
    for cut in [100_000, 2_000_000] {
        assert_kind(&open_err(tar[..cut].to_vec()), ErrorKind::Truncated);
    }
    // actor.json, the last member, has its data at 2,916,352..2,919,481; its last block ends at
    // 2,919,936, and two zero blocks follow. Cutting exactly there loses only the end marker.
    let whole = open(tar.clone()).unwrap();
    assert_eq!(whole.entries().len(), 14);
    let cut = open(tar[..2_917_000].to_vec()).unwrap();
    assert_eq!(cut.entries(), &whole.entries()[..13]);
    assert_eq!(cut_at(&cut), (2_917_000, Some("actor.json"), false));
    let cut = open(tar[..2_919_936].to_vec()).unwrap();
    assert_eq!(cut.entries(), whole.entries());
    assert_eq!(cut_at(&cut), (2_919_936, None, false));
    assert!(open(tar[..2_919_936 + 512].to_vec())
        .unwrap()
        .salvaged()
        .is_none());

    let tar_gz = std::fs::read(format!("{dir}mastodon-export.tar.gz")).unwrap();
    for cut in [100_000, 2_000_000] {
        assert_kind(&open_err(tar_gz[..cut].to_vec()), ErrorKind::Truncated);
    }
    let mut whole = open(tar_gz.clone()).unwrap();
    // 120 KB before its end, the file is inside outbox.json (header.jpg, 76 KB that do not
    // compress, and the small files come after it).
    let at = tar_gz.len() - 120_000;
    let mut cut = open(tar_gz[..at].to_vec()).unwrap();
    let outbox = cut.find("outbox.json").unwrap();
    assert_eq!(cut.entries(), &whole.entries()[..=outbox]);
    assert_eq!(cut_at(&cut), (at as u64, Some("outbox.json"), true));
    // The media before it read as in the whole file, from the access points recorded up to
    // the cut.
    for at in 0..outbox {
        assert_eq!(read(&mut cut, at).unwrap(), read(&mut whole, at).unwrap());
    }
    let at = tar_gz.len() - 5;
    let cut = open(tar_gz[..at].to_vec()).unwrap();
    assert_eq!(cut.entries(), whole.entries());
    assert_eq!(cut_at(&cut), (at as u64, None, false));
}

#[test]
fn a_gzip_without_a_tar_says_what_it_holds() {
    let err = open_err(gz(br#"{"orderedItems":[]}"#));
    assert_kind(
        &err,
        ErrorKind::NotAnArchive {
            found: "a gzip-compressed file holding a JSON file".to_owned(),
        },
    );
}

#[test]
fn damaged_gzip_data_is_corrupt() {
    let outbox: Vec<u8> = (0..50_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let mut bytes = gz(&build::tar(&[("outbox.json", &outbox)]));
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    bytes[middle + 1] ^= 0xff;
    let err = open_err(bytes);
    assert_kind(&err, ErrorKind::Corrupt);
}

/// A tar.gz of one entry of `mib` MiB of zeros, as concatenated gzip members (cheap to build).
fn zero_bomb(mib: usize) -> Vec<u8> {
    let mut head = build::ustar_header("outbox.json", (mib as u64) << 20, b'0').to_vec();
    head.extend_from_slice(&[0u8; 1 << 20]);
    let mut bytes = gz(&head);
    let member = gz(&vec![0u8; 1 << 20]);
    for _ in 1..mib {
        bytes.extend_from_slice(&member);
    }
    bytes.extend_from_slice(&gz(&[0u8; 1024]));
    bytes
}

#[test]
fn a_tar_gz_bomb_is_refused_while_listing() {
    let bytes = zero_bomb(20);
    // Twenty MiB from about twenty KiB: past the 16 MiB floor at over 250:1.
    assert!(bytes.len() < 100_000);
    let err = open_err(bytes);
    assert_kind(&err, ErrorKind::TooLarge);
    assert!(err.to_string().contains("gzip"), "{err}");

    // Under the floor the same ratio is fine.
    let container = open(zero_bomb(4)).unwrap();
    assert_eq!(container.entries()[0].size, 4 << 20);

    // And tighter limits apply while listing.
    let limits = Limits {
        max_ratio: 50,
        ratio_floor: 1 << 20,
        ..Limits::default()
    };
    let err = Container::open_with_limits(Cursor::new(zero_bomb(4)), limits).unwrap_err();
    assert_kind(&err, ErrorKind::TooLarge);
}

#[test]
fn read_entries_makes_one_pass_in_container_order() {
    let files: Vec<(String, Vec<u8>)> = (0..6)
        .map(|i| (format!("f{i}.json"), vec![b'a' + i as u8; 1000 * (i + 1)]))
        .collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let mut container = open(gz(&build::tar(&refs))).unwrap();
    let mut seen = Vec::new();
    container
        .read_entries(&[4, 1, 4, 5, 2], |at, reader| {
            // Read only part of some entries: the pass must still find the next one.
            let mut data = Vec::new();
            if at == 1 {
                reader.take(10).read_to_end(&mut data)?;
            } else {
                reader.read_to_end(&mut data)?;
            }
            seen.push((at, data));
            Ok::<(), Error>(())
        })
        .unwrap();
    let order: Vec<usize> = seen.iter().map(|(at, _)| *at).collect();
    assert_eq!(order, [1, 2, 4, 5]);
    assert_eq!(seen[0].1, vec![b'b'; 10]);
    for (at, data) in &seen[1..] {
        assert_eq!(data, &files[*at].1);
    }
}

#[test]
fn read_entries_checks_indices_first_and_stops_on_an_error() {
    let mut container = open(gz(&sample())).unwrap();
    let mut calls = 0;
    let err = container
        .read_entries(&[0, 99], |_, _| {
            calls += 1;
            Ok::<(), Error>(())
        })
        .unwrap_err();
    assert_kind(&err, ErrorKind::NoSuchEntry);
    assert_eq!(calls, 0);

    #[derive(Debug)]
    enum Mine {
        Stop,
        Archive(#[allow(dead_code)] Error),
    }
    impl From<Error> for Mine {
        fn from(err: Error) -> Mine {
            Mine::Archive(err)
        }
    }
    let result = container.read_entries(&[0, 1, 2], |at, _| {
        calls += 1;
        if at == 1 {
            Err(Mine::Stop)
        } else {
            Ok(())
        }
    });
    assert!(matches!(result, Err(Mine::Stop)));
    assert_eq!(calls, 2);
}

#[test]
fn an_old_tar_without_ustar_magic_is_recognised_by_its_checksum() {
    let mut header = build::ustar_header("outbox.json", 2, b'0');
    // A pre-POSIX header: no magic, no version, no owner names; fix the checksum.
    header[257..345].fill(0);
    header[148..156].copy_from_slice(b"        ");
    let sum: u32 = header.iter().map(|&b| u32::from(b)).sum();
    header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let mut bytes = header.to_vec();
    bytes.extend_from_slice(b"{}");
    bytes.resize(512 * 4, 0);
    let mut container = open(bytes).unwrap();
    assert_eq!(container.format(), Format::Tar);
    assert_eq!(read_named(&mut container, "outbox.json"), b"{}");
}

#[test]
fn a_damaged_header_in_the_middle_is_corrupt() {
    let mut bytes = sample();
    // The second member's header starts after the first header and one data block.
    bytes[1024 + 10] ^= 0x20;
    let err = open_err(bytes);
    assert_kind(&err, ErrorKind::Corrupt);
    // Said without the header's bytes (in a damaged archive, pieces of other files): the tar
    // crate's message quotes them.
    assert_eq!(
        err.to_string(),
        "the archive is damaged (in the tar data: the header after the first file is not \
         valid): download it again"
    );
    let source = std::error::Error::source(&err).expect("the tar crate's error, as the source");
    assert!(source.to_string().contains("checksum"), "{source}");
}

#[test]
fn damaged_gzip_data_that_inflates_to_a_bad_header_says_the_gzip_data_is_damaged() {
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;
    // Stored deflate blocks: a byte flipped in the file is a byte flipped in the tar data, with
    // no error from inflating it. Flipped in the second member's name, far enough from the end
    // that the stream's checksum is not read yet, the tar data fails first.
    let big: Vec<u8> = (0..8u32 << 20).map(|i| (i % 251) as u8).collect();
    let tar = build::tar(&[("big.bin", &big), ("outbox.json", b"{}")]);
    let mut encoder = GzEncoder::new(Vec::new(), Compression::none());
    encoder.write_all(&tar).unwrap();
    let mut bytes = encoder.finish().unwrap();
    let name = bytes
        .windows(11)
        .position(|w| w == b"outbox.json")
        .expect("the name, stored as it is");
    bytes[name] ^= 0x20;
    let err = open_err(bytes);
    assert_kind(&err, ErrorKind::Corrupt);
    assert_eq!(
        err.to_string(),
        "the archive is damaged (in the gzip data: incorrect data check): download it again",
        "the gzip data's checksum says what is wrong"
    );
}

/// What a [`Taker`] read of an entry: its index, name and size, and its bytes or the error.
type Took = (usize, String, u64, Result<Vec<u8>, String>);

/// A [`Peek`] that reads the entries named `wanted` (all of each, or the first `take` bytes),
/// noting what it was offered.
struct Taker {
    wanted: &'static str,
    take: u64,
    offered: Vec<String>,
    read: Vec<Took>,
    /// Each `listing` call: bytes read, and of how many.
    listed: Vec<(u64, u64)>,
}

impl Peek for Taker {
    fn wants(&mut self, name: &str, _size: u64) -> bool {
        self.offered.push(name.to_string());
        name == self.wanted
    }
    fn read(&mut self, index: usize, name: &str, size: u64, reader: &mut dyn Read) {
        let mut bytes = Vec::new();
        let got = reader
            .take(self.take)
            .read_to_end(&mut bytes)
            .map(|_| bytes)
            .map_err(|e| e.to_string());
        self.read.push((index, name.to_string(), size, got));
    }
    fn listing(&mut self, read: u64, len: u64) {
        self.listed.push((read, len));
    }
}

fn taker(wanted: &'static str, take: u64) -> Taker {
    Taker {
        wanted,
        take,
        offered: Vec::new(),
        read: Vec::new(),
        listed: Vec::new(),
    }
}

/// A tar.gz offers its entries as listing inflates them: one read then is what reading it
/// after gives, and the listing (entries, later reads) is the same, whether the peek read all
/// of it, part of it or none. A plain tar offers nothing (it is listed by seeking).
#[test]
fn a_tar_gz_offers_its_entries_while_it_is_listed() {
    let outbox: Vec<u8> = (0..100_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let tar = build::tar(&[
        (LONG_MEDIA, b"\x00\x00\x00\x18ftypmp42 video"),
        ("outbox.json", &outbox),
        ("likes.json", b"{}"),
    ]);
    let mut plain = open(tar.clone()).unwrap();
    for take in [u64::MAX, 1000, 0] {
        let mut peek = taker("outbox.json", take);
        let packed_bytes = gz(&tar);
        let len = packed_bytes.len() as u64;
        let mut packed =
            Container::open_peeking(Cursor::new(packed_bytes), Limits::default(), &mut peek)
                .unwrap();
        // Told how far listing is as each entry passes: bytes of the whole file, never back.
        assert_eq!(peek.listed.len(), plain.entries().len());
        assert!(peek
            .listed
            .iter()
            .all(|&(read, of)| of == len && read <= len));
        assert!(peek.listed.windows(2).all(|w| w[0].0 <= w[1].0));
        assert!(peek.listed[0].0 > 0);
        assert_eq!(packed.entries(), plain.entries());
        assert_eq!(peek.offered, names(&plain));
        let [(index, name, size, Ok(bytes))] = &peek.read[..] else {
            panic!(
                "{:?}",
                peek.read
                    .iter()
                    .map(|r| (&r.1, r.3.is_ok()))
                    .collect::<Vec<_>>()
            )
        };
        assert_eq!(
            (*index, name.as_str(), *size),
            (1, "outbox.json", outbox.len() as u64)
        );
        assert_eq!(bytes[..], outbox[..outbox.len().min(take as usize)]);
        for at in 0..plain.entries().len() {
            assert_eq!(
                read(&mut packed, at).unwrap(),
                read(&mut plain, at).unwrap()
            );
        }
    }
    let mut peek = taker("outbox.json", u64::MAX);
    Container::open_peeking(Cursor::new(tar), Limits::default(), &mut peek).unwrap();
    assert!(peek.offered.is_empty() && peek.read.is_empty() && peek.listed.is_empty());
}

/// A tar.gz cut short inside the entry a peek reads: the peek sees its read fail (never a part
/// taken for the whole), and the listing still says the download was interrupted, as it does
/// when the cut is after that entry.
#[test]
fn a_tar_gz_cut_short_under_a_peek_keeps_what_arrived() {
    let outbox: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let bytes = gz(&build::tar(&[
        ("outbox.json", &outbox),
        ("actor.json", b"{}"),
    ]));
    for (cut, inside) in [
        (bytes.len() / 3, true),
        (bytes.len() / 2, true),
        (bytes.len() - 8, false),
    ] {
        let mut peek = taker("outbox.json", u64::MAX);
        let container = Container::open_peeking(
            Cursor::new(bytes[..cut].to_vec()),
            Limits::default(),
            &mut peek,
        )
        .unwrap();
        let salvage = container.salvaged().unwrap();
        assert_eq!(salvage.partial, inside, "cut at {cut}");
        // outbox.json is listed at the index it was offered at, whole or cut.
        assert_eq!(container.find("outbox.json"), Some(0));
        let [(index, _, _, got)] = &peek.read[..] else {
            panic!("cut at {cut}: outbox.json was offered once")
        };
        assert_eq!(*index, 0);
        match got {
            Ok(got) => assert!(
                !inside && got[..] == outbox[..],
                "cut at {cut}: {} bytes",
                got.len()
            ),
            Err(_) => assert!(inside, "cut at {cut}: the whole entry was there"),
        }
    }
}
