//! ZIP archives built in memory.

use std::io::Read;

use permafrost_archive::{Error, ErrorKind, Format, Limits};
use zip::CompressionMethod::{Deflated, Stored};

use crate::build::{self, assert_kind, names, open, open_err, read, read_named};

/// Positions of `signature` in `bytes`.
fn find_all(bytes: &[u8], signature: &[u8; 4]) -> Vec<usize> {
    bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| w == signature)
        .map(|(at, _)| at)
        .collect()
}

const LOCAL: &[u8; 4] = b"PK\x03\x04";
const CENTRAL: &[u8; 4] = b"PK\x01\x02";

/// Overwrites a little-endian u32 field at `offset` from each header with `signature`.
fn patch_u32(bytes: &mut [u8], signature: &[u8; 4], offset: usize, value: u32) {
    for at in find_all(bytes, signature) {
        bytes[at + offset..at + offset + 4].copy_from_slice(&value.to_le_bytes());
    }
}

fn patch_u16(bytes: &mut [u8], signature: &[u8; 4], offset: usize, value: u16) {
    for at in find_all(bytes, signature) {
        bytes[at + offset..at + offset + 2].copy_from_slice(&value.to_le_bytes());
    }
}

fn outbox() -> Vec<u8> {
    let mut json = String::from(r#"{"type":"OrderedCollection","orderedItems":["#);
    for i in 0..200 {
        json.push_str(&format!(
            r#"{{"id":"https://example.social/{i}","type":"Create"}},"#
        ));
    }
    json.push_str("{}]}");
    json.into_bytes()
}

/// A ZIP of a deflated outbox.json and a stored image, with both files.
fn outbox_and_image() -> (Vec<u8>, [u8; 3000], Vec<u8>) {
    let outbox = outbox();
    let image = [7u8; 3000];
    let bytes = build::zip(
        &[
            ("outbox.json", &outbox, Deflated),
            ("media_attachments/files/1/original/a.png", &image, Stored),
        ],
        false,
    );
    (outbox, image, bytes)
}

#[test]
fn stored_and_deflated_entries_list_and_read() {
    let (outbox, image, bytes) = outbox_and_image();
    let mut container = open(bytes).unwrap();
    assert_eq!(container.format(), Format::Zip);
    let entries = container.entries().to_vec();
    assert_eq!(entries[0].name, "outbox.json");
    assert_eq!(entries[0].size, outbox.len() as u64);
    assert!(entries[0].compressed_size.unwrap() < outbox.len() as u64 / 4);
    assert_eq!(entries[1].size, 3000);
    assert_eq!(entries[1].compressed_size, Some(3000));
    assert_eq!(read(&mut container, 0).unwrap(), outbox);
    assert_eq!(read(&mut container, 1).unwrap(), image);
    // Reading again, in another order, gives the same bytes: readers seek.
    assert_eq!(read(&mut container, 1).unwrap(), image);
    assert_eq!(read(&mut container, 0).unwrap(), outbox);
}

fn crc(bytes: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    crc.sum()
}

#[test]
fn raw_entries_are_the_bytes_the_zip_holds_with_its_checksum() {
    let (outbox, image, bytes) = outbox_and_image();
    let mut container = open(bytes.clone()).unwrap();
    let deflated = container.read_raw(0, u64::MAX).unwrap().unwrap();
    assert!(deflated.deflated);
    assert_eq!(deflated.size, outbox.len() as u64);
    assert_eq!(deflated.crc32, crc(&outbox));
    // The DEFLATE stream as it is in the file, which inflates to the entry.
    assert!(bytes
        .windows(deflated.data.len())
        .any(|w| w == deflated.data));
    let mut inflated = Vec::new();
    flate2::read::DeflateDecoder::new(&deflated.data[..])
        .read_to_end(&mut inflated)
        .unwrap();
    assert_eq!(inflated, outbox);
    let stored = container.read_raw(1, u64::MAX).unwrap().unwrap();
    assert!(!stored.deflated);
    assert_eq!((stored.data.as_slice(), stored.size), (&image[..], 3000));
    assert_eq!(stored.crc32, crc(&image));
    // Larger than asked for: refused before reading.
    let err = container.read_raw(1, 2999).unwrap_err();
    assert_kind(&err, ErrorKind::TooLarge);
    // Another format has nothing to copy raw.
    let tar = build::tar(&[("outbox.json", &outbox)]);
    let mut container = open(tar).unwrap();
    assert!(container.read_raw(0, u64::MAX).unwrap().is_none());
}

#[test]
fn zip64_entries_read() {
    let outbox = outbox();
    let bytes = build::zip(
        &[
            ("outbox.json", &outbox, Deflated),
            ("actor.json", b"{\"type\":\"Person\"}", Stored),
        ],
        true,
    );
    // Every local header carries an extra field: the Zip64 record.
    let local = find_all(&bytes, LOCAL);
    assert_eq!(local.len(), 2);
    for at in local {
        let extra_len = u16::from_le_bytes([bytes[at + 28], bytes[at + 29]]);
        assert!(extra_len >= 20, "no zip64 extra field");
        let name_len = u16::from_le_bytes([bytes[at + 26], bytes[at + 27]]) as usize;
        assert_eq!(&bytes[at + 30 + name_len..at + 32 + name_len], b"\x01\x00");
    }
    let mut container = open(bytes).unwrap();
    assert_eq!(names(&container), ["outbox.json", "actor.json"]);
    assert_eq!(read_named(&mut container, "outbox.json"), outbox);
    assert_eq!(
        read_named(&mut container, "actor.json"),
        b"{\"type\":\"Person\"}"
    );
}

#[test]
fn an_extra_top_level_folder_is_kept_and_directories_are_not_listed() {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    writer.add_directory("archive-20240101/", options).unwrap();
    writer
        .start_file("archive-20240101/outbox.json", options)
        .unwrap();
    std::io::Write::write_all(&mut writer, b"{}").unwrap();
    writer
        .add_directory("archive-20240101/media_attachments/", options)
        .unwrap();
    writer
        .start_file("archive-20240101/media_attachments/x/outbox.json", options)
        .unwrap();
    writer
        .start_file("./archive-20240101/actor.json", options)
        .unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    let container = open(bytes).unwrap();
    assert_eq!(
        names(&container),
        [
            "archive-20240101/outbox.json",
            "archive-20240101/media_attachments/x/outbox.json",
            "archive-20240101/actor.json"
        ]
    );
    assert_eq!(container.find("outbox.json"), Some(0));
    assert_eq!(container.find("actor.json"), Some(2));
}

#[test]
fn prepended_data_is_skipped() {
    let zip = build::zip_deflated(&[("outbox.json", &outbox())]);
    let mut bytes = b"#!/bin/sh\necho this is a self-extracting archive\nexit 0\n".to_vec();
    bytes.extend_from_slice(&zip);
    let mut container = open(bytes).unwrap();
    assert_eq!(container.format(), Format::Zip);
    assert_eq!(read_named(&mut container, "outbox.json"), outbox());
}

#[test]
fn a_zip_cut_inside_its_outbox_lists_what_arrived_of_it() {
    let bytes = build::zip_deflated(&[("outbox.json", &outbox()), ("actor.json", b"{}")]);
    let outbox_end = find_all(&bytes, LOCAL)[1];
    // Inside outbox.json's local header: nothing to read.
    for cut in [4, 30] {
        let err = open_err(bytes[..cut].to_vec());
        assert_kind(&err, ErrorKind::Truncated);
        assert!(err.to_string().contains("download it again"), "{err}");
    }
    // Inside its data: listed, and read up to the cut (the posts before it are worth having),
    // then it ends early, as the file does.
    let whole = outbox();
    let mut read_before = 0;
    for cut in [100, outbox_end / 2, outbox_end - 1] {
        let mut container = open(bytes[..cut].to_vec()).unwrap();
        let salvage = container.salvaged().expect("salvaged").clone();
        assert_eq!(salvage.cut_inside.as_deref(), Some("outbox.json"));
        assert!(salvage.partial, "cut at {cut}");
        assert_eq!(names(&container), ["outbox.json"]);
        let mut got = Vec::new();
        let read = container.read_entry(0).unwrap().read_to_end(&mut got);
        match read {
            // The deflate stream's last bytes may hold nothing more: every byte came.
            Ok(_) => assert_eq!(got, whole, "cut at {cut}"),
            Err(err) => {
                let err = Error::from(err);
                assert_kind(&err, ErrorKind::Truncated);
                assert_eq!(err.entry(), Some("outbox.json"));
                assert!(
                    got.len() < whole.len() && whole.starts_with(&got),
                    "cut at {cut}: a part of outbox.json, from its start ({} bytes)",
                    got.len()
                );
            }
        }
        assert!(got.len() >= read_before, "more arrived, more is read");
        read_before = got.len();
    }
    assert!(
        read_before > whole.len() / 2,
        "{read_before} of {}",
        whole.len()
    );
    // Cut in its middle, it ends early.
    let mut container = open(bytes[..outbox_end / 2].to_vec()).unwrap();
    let mut got = Vec::new();
    let err = container.read_entry(0).unwrap().read_to_end(&mut got);
    assert_kind(&Error::from(err.unwrap_err()), ErrorKind::Truncated);
}

#[test]
fn a_zip_cut_after_its_outbox_opens_with_the_entries_that_arrived() {
    let bytes = build::zip_deflated(&[
        ("outbox.json", &outbox()),
        ("media_attachments/a.png", &[7u8; 5000]),
        ("actor.json", b"{}"),
    ]);
    let locals = find_all(&bytes, LOCAL);
    let central = find_all(&bytes, CENTRAL)[0];
    // (cut, entries kept, the entry it ends inside)
    let cases = [
        (locals[1] + 10, 1, None),
        (locals[2] - 1, 1, Some("media_attachments/a.png")),
        (locals[2], 2, None),
        (central + 10, 3, None),
        (bytes.len() - 1, 3, None),
    ];
    for (cut, kept, inside) in cases {
        let mut container = open(bytes[..cut].to_vec()).unwrap();
        assert_eq!(container.format(), Format::Zip);
        let salvage = container.salvaged().expect("salvaged").clone();
        assert_eq!(salvage.file_len, cut as u64);
        assert_eq!(salvage.cut_inside.as_deref(), inside, "cut at {cut}");
        assert_eq!(container.entries().len(), kept, "cut at {cut}");
        // What arrived reads whole, checksummed as in a whole ZIP.
        assert_eq!(read_named(&mut container, "outbox.json"), outbox());
        if kept > 1 {
            assert_eq!(read(&mut container, 1).unwrap(), vec![7u8; 5000]);
        }
    }
    // A whole ZIP is not salvaged.
    assert!(open(bytes).unwrap().salvaged().is_none());
}

#[test]
fn a_salvaged_entry_with_damaged_data_fails_its_checksum() {
    let mut bytes = build::zip_deflated(&[("outbox.json", &outbox()), ("actor.json", b"{}")]);
    let locals = find_all(&bytes, LOCAL);
    // The CRC-32 in outbox.json's local header (offset 14), then a cut after it.
    bytes[locals[0] + 14] ^= 0xff;
    let mut container = open(bytes[..locals[1] + 5].to_vec()).unwrap();
    let err = read(&mut container, 0).unwrap_err();
    assert_kind(&err, ErrorKind::Corrupt);
}

#[test]
fn the_real_zip_cut_short_keeps_its_posts() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/mastodon-export.zip"
    );
    let bytes = std::fs::read(path).unwrap();
    let whole = read_named(&mut open(bytes.clone()).unwrap(), "outbox.json");
    // Inside outbox.json (it is first, 3,919 bytes deflated): what arrived of it.
    let mut cut_inside = open(bytes[..1000].to_vec()).unwrap();
    assert!(cut_inside.salvaged().unwrap().partial);
    let mut got = Vec::new();
    let err = cut_inside
        .read_entry(cut_inside.find("outbox.json").unwrap())
        .unwrap()
        .read_to_end(&mut got)
        .unwrap_err();
    assert_kind(&Error::from(err), ErrorKind::Truncated);
    assert!(
        !got.is_empty() && whole.starts_with(&got),
        "{} bytes",
        got.len()
    );
    // Inside the photo after it, inside the avatar, in the central directory: the posts are all
    // there.
    for (cut, inside) in [
        (500_000, "media_attachments/"),
        (800_000, "avatar.png"),
        (bytes.len() - 100, ""),
    ] {
        let mut container = open(bytes[..cut].to_vec()).unwrap();
        let salvage = container.salvaged().unwrap().clone();
        assert!(
            salvage
                .cut_inside
                .as_deref()
                .unwrap_or("")
                .starts_with(inside),
            "{salvage:?}"
        );
        assert_eq!(read_named(&mut container, "outbox.json"), whole);
    }
}

#[test]
fn encrypted_entries_are_refused_with_advice() {
    let mut bytes = build::zip_deflated(&[("outbox.json", &outbox())]);
    // General-purpose flag bit 0: the entry is encrypted.
    patch_u16(&mut bytes, LOCAL, 6, 1);
    patch_u16(&mut bytes, CENTRAL, 8, 1);
    let mut container = open(bytes).unwrap();
    assert_eq!(names(&container), ["outbox.json"]);
    let err = read(&mut container, 0).unwrap_err();
    assert_kind(&err, ErrorKind::Encrypted);
    assert_eq!(err.entry(), Some("outbox.json"));
    assert!(err.to_string().contains("password-protected"), "{err}");
}

#[test]
fn an_entry_inflating_past_its_declared_size_is_refused() {
    // 4 MiB of zeros that claim to be 1000 bytes.
    let zeros = vec![0u8; 4 << 20];
    let mut bytes = build::zip_deflated(&[("outbox.json", &zeros)]);
    patch_u32(&mut bytes, LOCAL, 22, 1000);
    patch_u32(&mut bytes, CENTRAL, 24, 1000);
    let mut container = open(bytes).unwrap();
    assert_eq!(container.entries()[0].size, 1000);
    let mut reader = container.read_entry(0).unwrap();
    let mut sink = Vec::new();
    let err = permafrost_archive::Error::from(reader.read_to_end(&mut sink).unwrap_err());
    assert_kind(&err, ErrorKind::TooLarge);
    assert_eq!(err.entry(), Some("outbox.json"));
    assert!(err.to_string().contains("outbox.json"), "{err}");
    assert!(err.to_string().contains("1000"), "{err}");
    // It stopped at the declared size rather than inflating everything.
    assert!(sink.len() <= 1000);
}

#[test]
fn a_high_ratio_entry_is_refused_before_inflating() {
    // 1 MiB of zeros (about 1 KiB deflated) declaring 20 MiB: more than 16 MiB at over 250:1.
    let zeros = vec![0u8; 1 << 20];
    let mut bytes = build::zip_deflated(&[("media_attachments/bomb.mp4", &zeros)]);
    patch_u32(&mut bytes, LOCAL, 22, 20 << 20);
    patch_u32(&mut bytes, CENTRAL, 24, 20 << 20);
    let mut container = open(bytes).unwrap();
    let err = container.read_entry(0).err().expect("refused");
    assert_kind(&err, ErrorKind::TooLarge);
    assert!(err.to_string().contains("250 times"), "{err}");

    // With tighter limits the honest 1 MiB entry is refused too, and a small one is fine.
    let limits = Limits {
        max_ratio: 10,
        ratio_floor: 64 << 10,
        ..Limits::default()
    };
    let bytes = build::zip_deflated(&[("zeros", &zeros), ("small", &[0u8; 1000])]);
    let mut container =
        permafrost_archive::Container::open_with_limits(std::io::Cursor::new(bytes), limits)
            .unwrap();
    assert_kind(&container.read_entry(0).err().unwrap(), ErrorKind::TooLarge);
    assert_eq!(read(&mut container, 1).unwrap(), [0u8; 1000]);

    // And so is an entry over the maximum size, whatever its ratio.
    let limits = Limits {
        max_entry_size: 999,
        ..Limits::default()
    };
    let bytes = build::zip_deflated(&[("small", &[0u8; 1000])]);
    let mut container =
        permafrost_archive::Container::open_with_limits(std::io::Cursor::new(bytes), limits)
            .unwrap();
    assert_kind(&container.read_entry(0).err().unwrap(), ErrorKind::TooLarge);
}

#[test]
fn damaged_data_names_the_entry() {
    let outbox = outbox();
    let bytes = build::zip_deflated(&[("outbox.json", &outbox)]);
    let data_start = 30 + "outbox.json".len();
    let compressed = open(bytes.clone()).unwrap().entries()[0]
        .compressed_size
        .unwrap() as usize;
    let mut hits = 0;
    for at in (data_start + 10..data_start + compressed).step_by(37) {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x55;
        let mut container = open(damaged).unwrap();
        match read(&mut container, 0) {
            Ok(data) => panic!("damage at {at} went unnoticed ({} bytes)", data.len()),
            Err(err) => {
                assert_eq!(err.entry(), Some("outbox.json"), "{err}");
                assert!(
                    matches!(err.kind(), ErrorKind::Corrupt | ErrorKind::TooLarge),
                    "{err}"
                );
                hits += 1;
            }
        }
    }
    assert!(hits > 3);
}

#[test]
fn a_changed_checksum_is_corrupt() {
    let mut bytes = build::zip(&[("actor.json", b"{\"type\":\"Person\"}", Stored)], false);
    patch_u32(&mut bytes, LOCAL, 14, 0xdead_beef);
    patch_u32(&mut bytes, CENTRAL, 16, 0xdead_beef);
    let mut container = open(bytes).unwrap();
    let err = read(&mut container, 0).unwrap_err();
    assert_kind(&err, ErrorKind::Corrupt);
    assert!(err.to_string().contains("checksum"), "{err}");
}

#[test]
fn other_compression_methods_are_unsupported() {
    let mut bytes = build::zip_deflated(&[("outbox.json", &outbox())]);
    // Method 12 is bzip2.
    patch_u16(&mut bytes, LOCAL, 8, 12);
    patch_u16(&mut bytes, CENTRAL, 10, 12);
    let mut container = open(bytes).unwrap();
    let err = read(&mut container, 0).unwrap_err();
    assert_kind(&err, ErrorKind::UnsupportedCompression);
    assert_eq!(err.entry(), Some("outbox.json"));
}

#[test]
fn an_empty_zip_lists_nothing() {
    let bytes = build::zip(&[], false);
    let mut container = open(bytes).unwrap();
    assert!(container.entries().is_empty());
    assert_eq!(container.find("outbox.json"), None);
    assert_kind(
        &container.read_entry(0).err().unwrap(),
        ErrorKind::NoSuchEntry,
    );
}

#[test]
fn read_entries_visits_in_container_order_once_each() {
    let bytes = build::zip_deflated(&[("a", b"1"), ("b", b"22"), ("c", b"333")]);
    let mut container = open(bytes).unwrap();
    let mut seen = Vec::new();
    container
        .read_entries(&[2, 0, 2], |at, reader| {
            let mut data = String::new();
            reader.read_to_string(&mut data)?;
            seen.push((at, data));
            Ok::<(), permafrost_archive::Error>(())
        })
        .unwrap();
    assert_eq!(seen, [(0, "1".to_owned()), (2, "333".to_owned())]);
}

/// Reads the entry at `span` of `bytes` as another reader of the file would.
fn read_at_span(bytes: &[u8], span: &permafrost_archive::Span) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    permafrost_archive::read_span(std::io::Cursor::new(bytes), span, &Limits::default())
        .map_err(std::io::Error::other)?
        .read_to_end(&mut out)?;
    Ok(out)
}

#[test]
fn a_span_reads_as_the_container_does_stored_or_deflated() {
    let (outbox, image, bytes) = outbox_and_image();
    let mut container = open(bytes.clone()).unwrap();
    let deflated = container.span(0).expect("outbox.json's span");
    assert!(deflated.deflated);
    assert_eq!(
        (deflated.name.as_str(), deflated.size),
        ("outbox.json", outbox.len() as u64)
    );
    assert_eq!(deflated.crc32, crc(&outbox));
    assert_eq!(read_at_span(&bytes, &deflated).unwrap(), outbox);
    let stored = container.span(1).expect("the image's span");
    assert!(!stored.deflated);
    assert_eq!(read_at_span(&bytes, &stored).unwrap(), image);
    // Past the entries: none.
    assert_eq!(container.span(2), None);
}

#[test]
fn a_span_over_damaged_data_fails_as_the_container_does() {
    let outbox = outbox();
    let bytes = build::zip_deflated(&[("outbox.json", &outbox)]);
    let span = open(bytes.clone()).unwrap().span(0).unwrap();
    let mut compared = 0;
    for at in (span.start as usize + 10..(span.start + span.compressed) as usize).step_by(53) {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x55;
        let mut container = open(damaged.clone()).unwrap();
        let here = read(&mut container, 0).unwrap_err().to_string();
        let there = read_at_span(&damaged, &span).unwrap_err().to_string();
        assert_eq!(there, here, "damage at {at}");
        compared += 1;
    }
    assert!(compared > 3);
}

#[test]
fn tar_and_salvaged_entries_have_no_span() {
    let (_, _, bytes) = outbox_and_image();
    // Cut inside the image: the directory is gone, outbox.json is salvaged from its header.
    let mut salvaged = open(bytes[..bytes.len() - 500].to_vec()).unwrap();
    assert_eq!(salvaged.entries()[0].name, "outbox.json");
    assert_eq!(salvaged.span(0), None);
    let tar = build::tar(&[("outbox.json", b"{}")]);
    assert_eq!(open(tar).unwrap().span(0), None);
}

#[test]
fn the_first_entrys_span_from_its_local_header_is_the_directorys() {
    // Mastodon's own archive (rubyzip: sizes and checksum in the local headers), and ours.
    let real = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/mastodon-export.zip"
    ))
    .unwrap();
    let (_, _, built) = outbox_and_image();
    for bytes in [real, built] {
        let early = permafrost_archive::first_zip_span(&mut std::io::Cursor::new(&bytes));
        let listed = open(bytes.clone()).unwrap().span(0);
        assert!(early.is_some());
        assert_eq!(early, listed);
    }
}

#[test]
fn no_first_span_without_what_the_local_header_must_say() {
    let (_, _, bytes) = outbox_and_image();
    let span = |bytes: &[u8]| permafrost_archive::first_zip_span(&mut std::io::Cursor::new(bytes));
    // Sizes written after the data (general-purpose flag bit 3), encrypted (bit 0), a Zip64
    // size, another method: the directory must be read.
    for (offset, value) in [(6, 1 << 3), (6, 1), (8, 12)] {
        let mut changed = bytes.clone();
        changed[offset..offset + 2].copy_from_slice(&(value as u16).to_le_bytes());
        assert_eq!(span(&changed), None, "{offset}: {value}");
    }
    let mut zip64 = bytes.clone();
    zip64[22..26].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(span(&zip64), None);
    // Not a ZIP, or cut inside its first header.
    assert_eq!(span(b"{\"orderedItems\": []}"), None);
    assert_eq!(span(&bytes[..20]), None);
}

/// A source that counts its reads, as the browser pays for each (a round trip apiece).
struct Counted {
    inner: std::io::Cursor<Vec<u8>>,
    reads: std::rc::Rc<std::cell::Cell<usize>>,
}

impl Read for Counted {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.reads.set(self.reads.get() + 1);
        self.inner.read(out)
    }
}

impl std::io::Seek for Counted {
    fn seek(&mut self, from: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(from)
    }
}

#[test]
fn the_directory_is_read_in_one_go_and_small_entries_whole() {
    let names: Vec<String> = (0..3_000)
        .map(|i| format!("media_attachments/files/{i:05}.png"))
        .collect();
    let mut files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"png"[..])).collect();
    // Text that does not compress much (ten times the directory's slack), after the media.
    let mut seed = 7u32;
    let likes: Vec<u8> = (0..200_000)
        .map(|_| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            b'a' + (seed >> 16) as u8 % 26
        })
        .collect();
    files.push(("likes.json", &likes));
    let bytes = build::zip_deflated(&files);
    let reads = std::rc::Rc::new(std::cell::Cell::new(0));
    let source = Counted {
        inner: std::io::Cursor::new(bytes),
        reads: reads.clone(),
    };
    let mut container = permafrost_archive::Container::open(source).unwrap();
    assert_eq!(container.entries().len(), 3_001);
    // The head, the end record, then the whole directory (3,000 records) at once.
    assert_eq!(reads.get(), 3, "reads to list");
    let before = reads.get();
    let mut read_back = Vec::new();
    container
        .read_entry(3_000)
        .unwrap()
        .read_to_end(&mut read_back)
        .unwrap();
    assert_eq!(read_back, likes);
    // Its local header, then its data in one read.
    assert!(reads.get() - before <= 3, "{} reads", reads.get() - before);
    assert!(reads.get() - before >= 1);
}
