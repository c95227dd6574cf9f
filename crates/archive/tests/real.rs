//! The real archives in tests/data: a Mastodon 4.0 tar.gz (and the same tar un-gzipped) and a
//! Mastodon 4.2 zip.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;

use permafrost_archive::{Container, Entry, Format};

use crate::build::{names, read_named};

fn data(name: &str) -> BufReader<File> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    BufReader::new(File::open(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display())))
}

/// `tar tvf mastodon-export.tar`: media first, then the JSON and the actor's images, as
/// `Gem::Package::TarWriter` wrote them for Mastodon 4.0.
const TAR_LISTING: &[(&str, u64)] = &[
    (
        "media_attachments/files/000/146/459/original/f59eb11efe5d8172.jpg",
        255_870,
    ),
    (
        "media_attachments/files/000/148/437/original/5a2b38ac5bcda3a9.PNG",
        592_447,
    ),
    (
        "media_attachments/files/000/148/817/original/media.mp4",
        202_522,
    ),
    (
        "media_attachments/files/000/149/560/original/7b10fbb9509ec8b4.jpg",
        381_357,
    ),
    (
        "media_attachments/files/000/149/714/original/0688553ba9ffc046.jpg",
        148_200,
    ),
    (
        "media_attachments/files/000/149/768/original/b16e71d5aa98a662.jpg",
        310_410,
    ),
    (
        "media_attachments/files/000/149/996/original/d33d5bff298134c6.jpg",
        190_110,
    ),
    (
        "media_attachments/files/000/150/645/original/044357fd9033bee8.jpg",
        257_199,
    ),
    ("outbox.json", 477_906),
    ("likes.json", 8_957),
    ("bookmarks.json", 134),
    ("avatar.jpg", 4_138),
    ("header.jpg", 76_208),
    ("actor.json", 3_129),
];

/// `unzip -lv mastodon-export.zip`: rubyzip order, everything deflated.
const ZIP_LISTING: &[(&str, u64, u64)] = &[
    ("outbox.json", 42_456, 3_919),
    (
        "media_attachments/files/110/285/480/112/204/631/original/adc294faa4f49e38.jpg",
        781_696,
        781_881,
    ),
    ("likes.json", 333, 194),
    ("bookmarks.json", 119, 106),
    ("avatar.png", 255_487, 255_519),
    ("header.png", 461_207, 461_294),
    ("actor.json", 4_108, 1_578),
];

fn listing(entries: &[Entry]) -> Vec<(&str, u64)> {
    entries.iter().map(|e| (e.name.as_str(), e.size)).collect()
}

#[test]
fn tar_lists_every_file_with_its_size() {
    let container = Container::open(data("mastodon-export.tar")).unwrap();
    assert_eq!(container.format(), Format::Tar);
    assert_eq!(listing(container.entries()), TAR_LISTING);
    assert!(container
        .entries()
        .iter()
        .all(|e| e.compressed_size.is_none()));
}

#[test]
fn tar_gz_lists_the_same_entries_as_tar() {
    let tar = Container::open(data("mastodon-export.tar")).unwrap();
    let tar_gz = Container::open(data("mastodon-export.tar.gz")).unwrap();
    assert_eq!(tar_gz.format(), Format::TarGz);
    assert_eq!(tar_gz.entries(), tar.entries());
}

#[test]
fn zip_lists_every_file_with_its_sizes() {
    let container = Container::open(data("mastodon-export.zip")).unwrap();
    assert_eq!(container.format(), Format::Zip);
    let got: Vec<(&str, u64, u64)> = container
        .entries()
        .iter()
        .map(|e| (e.name.as_str(), e.size, e.compressed_size.unwrap()))
        .collect();
    assert_eq!(got, ZIP_LISTING);
}

#[test]
fn names_are_normalised_and_outbox_is_found() {
    for file in [
        "mastodon-export.tar",
        "mastodon-export.tar.gz",
        "mastodon-export.zip",
    ] {
        let container = Container::open(data(file)).unwrap();
        for name in names(&container) {
            assert!(
                !name.starts_with('/') && !name.starts_with("./") && !name.ends_with('/'),
                "{file}: {name}"
            );
        }
        let outbox = container.find("outbox.json").expect("outbox.json listed");
        assert_eq!(container.entries()[outbox].name, "outbox.json");
        assert!(container.find("actor.json").is_some());
        assert_eq!(container.find("key.pem"), None);
    }
}

#[test]
fn outbox_reads_the_same_from_tar_and_tar_gz() {
    let mut tar = Container::open(data("mastodon-export.tar")).unwrap();
    let mut tar_gz = Container::open(data("mastodon-export.tar.gz")).unwrap();
    let from_tar = read_named(&mut tar, "outbox.json");
    let from_tar_gz = read_named(&mut tar_gz, "outbox.json");
    assert_eq!(from_tar.len(), 477_906);
    assert_eq!(from_tar_gz.len(), 477_906);
    assert!(from_tar == from_tar_gz, "outbox.json differs");
    assert!(from_tar.starts_with(b"{"));
    let text = std::str::from_utf8(&from_tar).unwrap();
    assert!(text.contains("\"orderedItems\""));
    assert!(text.trim_end().ends_with('}'));
}

#[test]
fn outbox_reads_from_zip() {
    let mut zip = Container::open(data("mastodon-export.zip")).unwrap();
    let outbox = read_named(&mut zip, "outbox.json");
    assert_eq!(outbox.len(), 42_456);
    let text = std::str::from_utf8(&outbox).unwrap();
    assert!(text.starts_with('{'));
    assert!(text.contains("\"orderedItems\""));
}

#[test]
fn every_entry_reads_fully_and_tar_gz_matches_tar_in_one_pass() {
    let mut tar = Container::open(data("mastodon-export.tar")).unwrap();
    let mut tar_gz = Container::open(data("mastodon-export.tar.gz")).unwrap();
    let all: Vec<usize> = (0..tar.entries().len()).collect();
    let mut from_tar = Vec::new();
    tar.read_entries(&all, |_, reader| {
        let mut data = Vec::new();
        reader.read_to_end(&mut data)?;
        from_tar.push(data);
        Ok::<(), permafrost_archive::Error>(())
    })
    .unwrap();
    let mut from_tar_gz = Vec::new();
    tar_gz
        .read_entries(&all, |at, reader| {
            let mut data = Vec::new();
            reader.read_to_end(&mut data)?;
            from_tar_gz.push((at, data));
            Ok::<(), permafrost_archive::Error>(())
        })
        .unwrap();
    assert_eq!(from_tar_gz.len(), TAR_LISTING.len());
    for ((at, data), (expected, (name, size))) in
        from_tar_gz.iter().zip(from_tar.iter().zip(TAR_LISTING))
    {
        assert_eq!(data.len() as u64, *size, "{name}");
        assert!(data == expected, "{name} differs between tar and tar.gz");
        assert_eq!(tar_gz.entries()[*at].name, *name);
    }
    // The JPEGs really are JPEGs: offsets point at the data, not at a header.
    assert!(from_tar[0].starts_with(b"\xff\xd8\xff"));
    assert!(from_tar[1].starts_with(b"\x89PNG"));
}

#[test]
fn every_zip_entry_reads_and_passes_its_checksum() {
    let mut zip = Container::open(data("mastodon-export.zip")).unwrap();
    for (at, (name, size, _)) in ZIP_LISTING.iter().enumerate() {
        let mut data = Vec::new();
        zip.read_entry(at).unwrap().read_to_end(&mut data).unwrap();
        assert_eq!(data.len() as u64, *size, "{name}");
    }
    assert!(read_named(&mut zip, "avatar.png").starts_with(b"\x89PNG"));
}
