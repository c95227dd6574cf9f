//! The snapshot behind "Keep on this device": a session restored from it answers exactly as the
//! session it was taken from (summary, searches, facets, raw JSON, media), for one archive,
//! several, and loose files; a snapshot from another version, a damaged one, or one given other
//! files is refused (never used, never a panic), so the caller reads the files again.
#![allow(clippy::unwrap_used)]

use permafrost_engine::Input;
use permafrost_protocol::{
    ExportFormat, ExportOptions, MediaRef, Opened, Results, Selection, Sort,
};
use permafrost_session::snapshot::{Refused, FORMAT, MAGIC};
use permafrost_session::Session;
use permafrost_synth::{write_archive, Container, Options};
use std::io::Cursor;

type Source = Cursor<Vec<u8>>;
type Files = Vec<(&'static str, Vec<u8>)>;

fn archive(handle: &str, posts: usize, seed: u64, container: Container) -> Vec<u8> {
    let opts = Options {
        posts,
        seed,
        container,
        handle: handle.into(),
        ..Options::default()
    };
    let mut bytes = Cursor::new(Vec::new());
    write_archive(&opts, &mut bytes).unwrap();
    bytes.into_inner()
}

fn inputs(files: &Files) -> Vec<Input<Source>> {
    files
        .iter()
        .map(|(n, b)| Input::new(*n, Cursor::new(b.clone())))
        .collect()
}

fn open(files: &Files) -> (Session<Source>, Opened) {
    Session::open(inputs(files), &mut |_| {}, Box::new(|| 0.0)).unwrap()
}

fn restore(files: &Files, snapshot: &[u8]) -> Result<(Session<Source>, Opened), Refused> {
    Session::restore(inputs(files), snapshot, Box::new(|| 0.0))
}

/// Queries that touch every part of the index: words, prefixes, phrases, filters, dates, facets.
const QUERIES: &[&str] = &[
    "",
    "the",
    "rus",
    "\"open source\"",
    "has:media",
    "is:reply -has:poll",
    "lang:en OR lang:de",
    "after:2020-01-01 before:2023-06-30",
    "visibility:public is:boost",
    "#rust",
];

fn results(s: &mut Session<Source>, query: &str, sort: Sort) -> Results {
    let mut r = s.search(1, query, sort, "Europe/Berlin", 30);
    r.elapsed_ms = 0;
    r
}

/// A restored session answers as the one it was taken from.
fn same_answers(files: &Files) {
    let (mut first, opened) = open(files);
    let snapshot = first.snapshot().unwrap();
    let (mut again, reopened) = restore(files, &snapshot).unwrap();
    assert_eq!(reopened, opened);
    for q in QUERIES {
        for sort in [Sort::Newest, Sort::Relevance] {
            let a = results(&mut first, q, sort);
            assert!(a.errors.is_empty(), "{q}: {:?}", a.errors);
            assert_eq!(results(&mut again, q, sort), a, "{q}");
        }
    }
    // The containers are open again: raw JSON and media are read from the files.
    let total = opened.summary.posts as u32;
    for post in [0, total / 2, total - 1] {
        assert_eq!(again.raw_json(post).unwrap(), first.raw_json(post).unwrap());
    }
    let with_media = results(&mut first, "has:media", Sort::Newest);
    let post = &with_media.posts[0];
    let media = MediaRef::Attachment {
        post: post.index,
        index: 0,
    };
    let bytes = first.media(media).unwrap().unwrap();
    assert!(!bytes.0.is_empty());
    assert_eq!(again.media(media).unwrap().unwrap(), bytes);
    // Taking a snapshot again gives the same bytes: nothing was lost on the way.
    assert_eq!(again.snapshot().unwrap(), snapshot);
}

#[test]
fn one_zip_with_its_csv_exports_reopens_the_same() {
    same_answers(&vec![
        (
            "archive.zip",
            archive("alice@example.social", 400, 1, Container::Zip),
        ),
        (
            "following_accounts.csv",
            b"Account address,Show boosts\nbob@example.org,true\n".to_vec(),
        ),
    ]);
}

#[test]
fn several_archives_reopen_the_same() {
    same_answers(&vec![
        (
            "alice.zip",
            archive("alice@example.social", 250, 3, Container::Zip),
        ),
        (
            "bob.tar.gz",
            archive("bob@other.example", 150, 4, Container::TarGz),
        ),
        // The same archive again: its duplicates stay counted once.
        (
            "alice-again.zip",
            archive("alice@example.social", 250, 3, Container::Zip),
        ),
    ]);
}

#[test]
fn one_zip_of_several_accounts_folders_reopens_the_same() {
    // The archive ZIP exported with two accounts open: a folder per account, one container
    // read as two archives.
    let (mut both, _) = open(&vec![
        (
            "alice.zip",
            archive("alice@example.social", 120, 3, Container::Zip),
        ),
        (
            "bob.zip",
            archive("bob@other.example", 90, 4, Container::Zip),
        ),
    ]);
    let options = ExportOptions {
        format: ExportFormat::Zip,
        time_zone: "UTC".into(),
        ..Default::default()
    };
    let selection = Selection::Query {
        query: String::new(),
        sort: Sort::Newest,
        time_zone: "UTC".into(),
        as_typed: false,
    };
    let mut zip = Vec::new();
    both.export_to(&selection, options, &mut zip, &mut |_, _, _| {})
        .unwrap();
    let files = vec![("both.zip", zip)];
    assert_eq!(open(&files).1.accounts.len(), 2);
    same_answers(&files);
}

#[test]
fn loose_files_of_an_extracted_archive_reopen_the_same() {
    let zip = archive("carol@example.net", 120, 9, Container::Zip);
    let mut reader = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let mut files: Files = Vec::new();
    for i in 0..reader.len() {
        let mut entry = reader.by_index(i).unwrap();
        if entry.is_dir() {
            continue;
        }
        let name: &'static str = format!("archive/{}", entry.name().unwrap()).leak();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        files.push((name, bytes));
    }
    same_answers(&files);
}

#[test]
fn another_version_or_layout_is_refused_as_stale() {
    let files = vec![(
        "a.zip",
        archive("alice@example.social", 50, 2, Container::Zip),
    )];
    let snapshot = open(&files).0.snapshot().unwrap();
    let mut other_layout = snapshot.clone();
    other_layout[MAGIC.len()..MAGIC.len() + 4].copy_from_slice(&(FORMAT + 1).to_le_bytes());
    assert_eq!(restore(&files, &other_layout).err(), Some(Refused::Stale));
    // The version string follows the layout: a length, then the text. Change one digit.
    let mut other_version = snapshot.clone();
    let at = MAGIC.len() + 8;
    other_version[at] = if other_version[at] == b'9' {
        b'8'
    } else {
        b'9'
    };
    assert_eq!(restore(&files, &other_version).err(), Some(Refused::Stale));
}

#[test]
fn damaged_snapshots_are_refused_without_panicking() {
    let files = vec![(
        "a.zip",
        archive("alice@example.social", 60, 5, Container::Zip),
    )];
    let snapshot = open(&files).0.snapshot().unwrap();
    assert_eq!(restore(&files, b"").err(), Some(Refused::Damaged));
    assert_eq!(
        restore(&files, b"{\"not\":1}").err(),
        Some(Refused::Damaged)
    );
    // Cut anywhere, or a byte changed anywhere past the header: refused.
    let step = (snapshot.len() / 300).max(1);
    for cut in (0..snapshot.len()).step_by(step) {
        assert!(restore(&files, &snapshot[..cut]).is_err(), "cut at {cut}");
        let mut flipped = snapshot.clone();
        flipped[cut] ^= 0x20;
        let refused = restore(&files, &flipped).err();
        assert!(
            matches!(refused, Some(Refused::Damaged | Refused::Stale)),
            "byte {cut}: {refused:?}"
        );
    }
    // Garbage with a valid header and checksum: every length read is checked.
    let mut forged = snapshot[..MAGIC.len() + 4 + 4 + 5].to_vec();
    forged.extend_from_slice(&[0xff; 64]);
    let crc = crc32fast::hash(&forged);
    forged.extend_from_slice(&crc.to_le_bytes());
    assert_eq!(restore(&files, &forged).err(), Some(Refused::Damaged));
}

#[test]
fn other_files_than_the_kept_ones_are_refused() {
    let files = vec![(
        "a.zip",
        archive("alice@example.social", 80, 6, Container::Zip),
    )];
    let snapshot = open(&files).0.snapshot().unwrap();
    let other = vec![(
        "a.zip",
        archive("alice@example.social", 81, 6, Container::Zip),
    )];
    assert!(matches!(
        restore(&other, &snapshot).err(),
        Some(Refused::Mismatch(_))
    ));
    let renamed = vec![("b.zip", files[0].1.clone())];
    assert!(matches!(
        restore(&renamed, &snapshot).err(),
        Some(Refused::Mismatch(_))
    ));
}

/// The snapshot of a fixed archive, pinned: when what a snapshot holds changes (a type kept in
/// it, or what the parsers make of the same archive), this fails until [`FORMAT`] is bumped, so
/// that snapshots kept by users are rebuilt rather than read wrongly.
#[test]
fn the_snapshot_layout_is_pinned_to_its_format_number() {
    const PINNED: (u32, u32) = (2, 4_279_760_070);
    let files = vec![(
        "a.zip",
        archive("pin@example.social", 40, 11, Container::Zip),
    )];
    let snapshot = open(&files).0.snapshot().unwrap();
    // Past the version, which changes with every release without the layout changing.
    let version_len = u32::from_le_bytes(snapshot[MAGIC.len() + 4..][..4].try_into().unwrap());
    let body = &snapshot[MAGIC.len() + 8 + version_len as usize..snapshot.len() - 4];
    let found = (FORMAT, crc32fast::hash(body));
    assert_eq!(
        found,
        PINNED,
        "the snapshot's contents changed: bump snapshot::FORMAT and set PINNED to ({}, {})",
        FORMAT + u32::from(found.0 == PINNED.0),
        found.1
    );
}
