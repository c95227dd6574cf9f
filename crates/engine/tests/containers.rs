//! Opening real archives in every container, and the fatal errors. The real archives are shared
//! with the archive crate's tests (see crates/archive/tests/data/README.md for their provenance).

use permafrost_engine::{load, summarize, Error, Input, Loaded, Summary};
use std::io::{Cursor, Write};
use std::path::PathBuf;

fn data(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../archive/tests/data")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn model_data(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../model/tests/data")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Files given by the user: name and bytes.
type Files<'a> = Vec<(&'a str, Vec<u8>)>;

/// What the notes of `kind` say.
fn notes<R>(loaded: &Loaded<R>, kind: permafrost_model::DiagnosticKind) -> Vec<&str> {
    loaded
        .account
        .diagnostics
        .iter()
        .filter(|d| d.kind == kind)
        .map(|d| d.message.as_str())
        .collect()
}

/// What the notes about media referenced but not found say.
fn missing_media<R>(loaded: &Loaded<R>) -> Vec<&str> {
    notes(loaded, permafrost_model::DiagnosticKind::MissingMedia)
}

/// Each post's id, text and number of attachments, in order: what a cut archive must keep
/// unchanged of the posts that arrived.
fn posts_of(
    account: &permafrost_engine::Account,
) -> Vec<(Box<str>, permafrost_model::RichText, usize)> {
    account
        .posts
        .iter()
        .map(|p| (p.id.clone(), p.content.clone(), p.attachments.len()))
        .collect()
}

/// Loads `bytes` as the archive "archive.zip".
fn load_zip(bytes: &[u8]) -> Result<Loaded<Cursor<Vec<u8>>>, Error> {
    load_as("archive.zip", bytes)
}

/// Loads `bytes` as the archive "archive.tar.gz".
fn load_tgz(bytes: &[u8]) -> Result<Loaded<Cursor<Vec<u8>>>, Error> {
    load_as("archive.tar.gz", bytes)
}

fn load_as(name: &str, bytes: &[u8]) -> Result<Loaded<Cursor<Vec<u8>>>, Error> {
    load(
        vec![Input::new(name, Cursor::new(bytes.to_vec()))],
        &mut |_| {},
    )
}

fn open(files: Files<'_>) -> Result<Summary, Error> {
    let inputs = files
        .into_iter()
        .map(|(name, bytes)| Input::new(name, Cursor::new(bytes)))
        .collect();
    load(inputs, &mut |_| {}).map(|l| summarize(&l))
}

#[test]
fn tar_gz_and_tar_of_one_account_agree() {
    let gz = open(vec![(
        "mastodon-export.tar.gz",
        data("mastodon-export.tar.gz"),
    )])
    .expect("tar.gz");
    let tar = open(vec![("whatever.bin", data("mastodon-export.tar"))]).expect("tar");
    assert_eq!(gz.format, "tar.gz");
    assert_eq!(tar.format, "tar");
    let strip = |s: &Summary| Summary {
        format: String::new(),
        ..s.clone()
    };
    assert_eq!(strip(&gz), strip(&tar));
    assert_eq!(gz.posts, 224, "the fossilizer tar.gz has 224 outbox items");
    assert_eq!(
        gz.account.handle.as_deref(),
        Some("lmorchard@mastodon.social")
    );
    // Every attachment in this archive is present, addressed with a leading slash.
    assert!(gz.media.referenced > 0);
    assert_eq!(gz.media.missing, 0, "{:?}", gz.diagnostics);
    assert!(gz.likes.is_some_and(|n| n > 0));
}

#[test]
fn zip_4_2_prerelease() {
    let s = open(vec![("mastodon-export.zip", data("mastodon-export.zip"))]).expect("zip");
    assert_eq!(s.format, "zip");
    assert!(s.posts > 0);
    assert_eq!(s.posts, s.originals + s.boosts);
    assert_eq!(s.media.missing, 0, "{:?}", s.diagnostics);
    assert!(s.media.present > 0);
    assert!(
        s.account
            .handle
            .as_deref()
            .is_some_and(|h| h.ends_with("@toot.lmorchard.com")),
        "{:?}",
        s.account
    );
}

#[test]
fn loose_files_and_csvs_in_any_order() {
    let s = open(vec![
        ("following_accounts.csv", b"Account address,Show boosts,Notify on new posts,Languages\na@x.social,true,false,\nb@y.social,true,false,\"en, de\"\n".to_vec()),
        ("likes.json", model_data("dealingwith/likes.json")),
        ("outbox.json", model_data("dealingwith/outbox.json")),
        ("blocked_domains.csv", b"spam.example\r\nbad.example\r\n".to_vec()),
        ("actor.json", model_data("dealingwith/actor.json")),
        ("bookmarks.json", model_data("dealingwith/bookmarks.json")),
        ("bookmarks.csv", b"https://example.social/users/x/statuses/1\n".to_vec()),
    ])
    .expect("loose files");
    assert_eq!(s.format, "files");
    assert_eq!(s.posts, 1586);
    assert_eq!(s.boosts, 326);
    assert_eq!(s.visibility.direct, 35);
    assert_eq!(s.visibility.private, 40);
    assert_eq!(s.following, Some(2));
    assert_eq!(s.domain_blocks, Some(2));
    assert_eq!(s.followers, None);
    assert_eq!(s.blocks, None);
    assert_eq!(
        s.account.handle.as_deref(),
        Some("dealingwith@indieweb.social")
    );
    // bookmarks.json plus the one CSV bookmark that is not already in it.
    let json_bookmarks =
        serde_json::from_slice::<serde_json::Value>(&model_data("dealingwith/bookmarks.json"))
            .expect("json")["orderedItems"]
            .as_array()
            .map_or(0, Vec::len);
    assert_eq!(s.bookmarks, Some(json_bookmarks + 1));
    // No media files were given, so every attachment is reported missing, by name.
    assert_eq!(s.media.missing, s.media.referenced);
    // All are counted; the first 100 are listed with where they are.
    assert_eq!(s.diagnostic_counts["missing_media"], s.media.missing as u64);
    assert_eq!(
        s.diagnostics
            .iter()
            .filter(|d| d.kind == "missing_media")
            .count(),
        s.media
            .missing
            .min(permafrost_model::diagnostic::KEPT_PER_KIND)
    );
}

#[test]
fn an_extracted_folder_inside_an_extra_top_level_folder() {
    let s = open(vec![
        (
            "export/archive-2024/outbox.json",
            model_data("dealingwith/outbox.json"),
        ),
        (
            "export/archive-2024/actor.json",
            model_data("dealingwith/actor.json"),
        ),
        ("export/notes.txt", b"hello".to_vec()),
    ])
    .expect("folder");
    assert_eq!(s.format, "folder");
    assert_eq!(s.posts, 1586);
}

#[test]
fn an_outbox_under_another_name_given_alone_is_read_as_one() {
    // Permafrost's own JSON export, or `outbox (1).json` from a second download.
    let outbox = model_data("dealingwith/outbox.json");
    for name in ["permafrost-posts-2026-12-07.json", "outbox (1).json"] {
        let s = open(vec![(name, outbox.clone())]).expect(name);
        assert_eq!(s.posts, 1586, "{name}");
    }
    // Not the archive's other collections, nor JSON that is no collection.
    let likes = br#"{"type":"OrderedCollection","orderedItems":["https://a.example/1"]}"#;
    let err = open(vec![("likes.json", likes.to_vec())]).expect_err("likes alone");
    assert!(err.to_string().contains("no outbox.json found"), "{err}");
    let err = open(vec![("notes.json", br#"{"a":1}"#.to_vec())]).expect_err("not a collection");
    assert!(err.to_string().contains("1 file: notes.json"), "{err}");
}

#[test]
fn fatal_errors_say_what_to_do() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let cases: Vec<(Files, &str)> = vec![
        (vec![("photo.zip", png)], "PNG"),
        (
            vec![("notes.txt", b"hello there".to_vec())],
            "no outbox.json found, so this is not a Mastodon account archive; it holds 1 file: notes.txt;",
        ),
        // CSV exports without their archive, one of them from nowhere Permafrost knows: named,
        // with where the archive is and where they go.
        (
            vec![
                (
                    "following_accounts.csv",
                    b"Account address,Show boosts\nbob@b.example,true\n".to_vec(),
                ),
                ("contacts.csv", b"Name,Email,Phone\nAna,a@x,1\n".to_vec()),
            ],
            "only CSV files were given (following_accounts.csv, contacts.csv): they belong with an archive; give the archive from Preferences › Import and export › Request your archive",
        ),
        (vec![], "no file given"),
        (
            vec![(
                "archive.zip",
                // Cut inside outbox.json, its first entry, before its first post ends: nothing
                // to keep.
                data("mastodon-export.zip")[..200].to_vec(),
            )],
            "download",
        ),
        (
            vec![(
                "archive.tar.gz",
                data("mastodon-export.tar.gz")[..1_000_000].to_vec(),
            )],
            "download",
        ),
        (
            vec![("outbox.json", b"{\"orderedItems\": [".to_vec())],
            "download the archive again",
        ),
    ];
    for (files, needle) in cases {
        let names: Vec<String> = files.iter().map(|(n, _)| n.to_string()).collect();
        let err = open(files).expect_err("should fail");
        let message = err.to_string();
        assert!(message.contains(needle), "{names:?}: {message}");
        assert!(!message.ends_with('.'), "{message}");
    }
}

#[test]
fn a_zip_without_an_outbox_lists_what_it_holds() {
    let mut bytes = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(Cursor::new(&mut bytes));
        let options = zip::write::SimpleFileOptions::default();
        for name in ["photos/a.jpg", "photos/b.jpg"] {
            zip.start_file(name, options).expect("start");
            std::io::Write::write_all(&mut zip, b"x").expect("write");
        }
        zip.finish().expect("finish");
    }
    let message = open(vec![("holiday.zip", bytes)])
        .expect_err("no outbox")
        .to_string();
    assert!(
        message.contains("photos/a.jpg") && message.contains("2 files"),
        "{message}"
    );
}

/// The user's archive wrapped in another ZIP (a cloud drive's download of a folder, a mail's
/// attachments): the error names the archive inside to take out, not the resource fork a Mac
/// adds beside it, and says nothing of Mastodon's export page, where they already went.
#[test]
fn a_zip_that_holds_the_archive_names_it() {
    let inner = data("mastodon-export.zip");
    for (method, fork_first) in [
        (zip::CompressionMethod::Stored, false),
        (zip::CompressionMethod::Deflated, true),
    ] {
        let mut bytes = Vec::new();
        {
            let mut zip = zip::ZipWriter::new(Cursor::new(&mut bytes));
            let options = zip::write::SimpleFileOptions::default().compression_method(method);
            let mut names = vec![
                "Downloads/archive-20230708.zip",
                "__MACOSX/Downloads/._archive-20230708.zip",
            ];
            if fork_first {
                names.reverse();
            }
            for name in names {
                zip.start_file(name, options).expect("start");
                zip.write_all(&inner).expect("write");
            }
            zip.finish().expect("finish");
        }
        let err = open(vec![("drive-download-20230708.zip", bytes)]).expect_err("no outbox");
        assert_eq!(
            err.to_string(),
            "no outbox.json found here, but this holds another archive, \
             Downloads/archive-20230708.zip: extract it, then give that archive"
        );
        let message = err.message();
        assert_eq!(message.code, "open.nested_archive");
        assert_eq!(message.text, err.to_string());
    }
}

/// Text or JSON named as an archive (`readme.zip`) is not taken for a CSV export, which left
/// "what was given holds no files": the error says what the file is.
#[test]
fn text_named_as_an_archive_says_what_it_is() {
    for (name, bytes, what) in [
        (
            "readme.zip",
            &b"hello, this is a readme\n"[..],
            "a text file",
        ),
        ("outbox.tar.gz", &b"{\"a\": 1}"[..], "a JSON file"),
    ] {
        let message = open(vec![(name, bytes.to_vec())])
            .expect_err("not an archive")
            .to_string();
        assert!(
            message.starts_with(&format!("this is not a Mastodon archive but {what}")),
            "{name}: {message}"
        );
    }
}

/// A file the system will not read (changed or removed on disk after it was chosen): the error
/// says which and why, instead of "no outbox.json found".
#[test]
fn a_file_that_cannot_be_read_at_all_is_named() {
    struct Gone;
    impl std::io::Read for Gone {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("the file changed on disk"))
        }
    }
    impl std::io::Seek for Gone {
        fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
            // It has a size, as a File does; reading it fails.
            Ok(if let std::io::SeekFrom::End(_) = to {
                5000
            } else {
                0
            })
        }
    }
    let err = load(vec![Input::new("archive.zip", Gone)], &mut |_| {})
        .err()
        .expect("nothing readable is an error");
    assert_eq!(
        err.to_string(),
        "archive.zip could not be read: the file changed on disk"
    );
}

/// The real Mastodon 4.2 ZIP starts with outbox.json: a glance reads its posts (all 18: the
/// outbox is smaller than what a glance reads) before the archive is listed.
#[test]
fn a_glance_at_the_real_zip_reads_its_outbox() {
    let mut source = Cursor::new(data("mastodon-export.zip"));
    let first = permafrost_engine::glance(&mut source).expect("outbox.json first");
    assert_eq!(first.posts.len(), 18);
    assert_eq!(source.position(), 0);
    assert!(permafrost_engine::glance(&mut Cursor::new(data("mastodon-export.tar"))).is_none());
}

/// A download stopped inside outbox.json (it comes first): the posts before the cut are read, in
/// order, and one note says where the file ends and that the rest is missing; cut before the
/// first post, the open fails, saying the file ends early.
#[test]
fn a_zip_cut_inside_its_outbox_opens_with_the_posts_before_the_cut() {
    let bytes = data("mastodon-export.zip");
    let whole = load_zip(&bytes).expect("whole");
    let all = posts_of(&whole.account);
    let mut kept_before = 0;
    // outbox.json is 3,919 bytes deflated, from byte 41.
    for cut in [1_500, 2_500, 3_000] {
        let loaded = load_zip(&bytes[..cut]).unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
        let kept = posts_of(&loaded.account);
        assert!(
            !kept.is_empty() && kept.len() < all.len(),
            "cut at {cut}: {}",
            kept.len()
        );
        assert_eq!(
            kept[..],
            all[..kept.len()],
            "cut at {cut}: the first posts, whole"
        );
        assert!(kept.len() >= kept_before);
        kept_before = kept.len();
        let notes: Vec<_> = loaded
            .account
            .diagnostics
            .iter()
            .filter(|d| d.kind == permafrost_model::DiagnosticKind::Truncated)
            .map(|d| d.message.clone())
            .collect();
        let cut_note = format!(
            "the file ends early, at byte {cut}, inside outbox.json: the download was probably \
             interrupted. The posts before that point were read; the rest of them, and every \
             file after outbox.json, are missing: download the archive again to see it all"
        );
        // One note: outbox.json's reader, stopped by the same cut, does not say it again.
        assert_eq!(notes, [cut_note], "cut at {cut}");
        assert_eq!(
            loaded
                .account
                .diagnostics
                .count(permafrost_model::DiagnosticKind::Truncated),
            1
        );
    }
    assert!(kept_before > 1, "{kept_before}");
    // Cut before the first post ends.
    let err = load_zip(&bytes[..200]).err().expect("nothing to show");
    assert!(err.to_string().contains("ends early"), "{err}");
}

/// An interrupted download of a ZIP: what arrived whole is read (every post, outbox.json being
/// first), and a note says where it ends and that the rest is missing.
#[test]
fn a_zip_cut_after_its_outbox_opens_with_every_post_and_says_what_is_missing() {
    let bytes = data("mastodon-export.zip");
    let whole = load_zip(&bytes).expect("whole");
    // Inside the photo (after outbox.json), and inside the avatar (after the photo, likes and
    // bookmarks).
    // (cut, the file it is inside, likes.json arrived, photos missing)
    for (cut, inside, likes, missing) in [
        (500_000, "media_attachments/", false, 1),
        (800_000, "avatar.png", true, 0),
    ] {
        let loaded = load_zip(&bytes[..cut]).expect("salvaged");
        // Every post, the same; only the photo's file is not found.
        assert!(
            posts_of(&loaded.account) == posts_of(&whole.account),
            "cut at {cut}"
        );
        assert_eq!(loaded.account.likes.is_some(), likes, "cut at {cut}");
        let note = loaded
            .account
            .diagnostics
            .iter()
            .find(|d| d.kind == permafrost_model::DiagnosticKind::Truncated)
            .expect("a note about the cut");
        assert!(
            note.message.contains(&format!("byte {cut}")),
            "{}",
            note.message
        );
        assert!(note.message.contains(inside), "{}", note.message);
        assert!(
            note.message.contains("download the archive again"),
            "{}",
            note.message
        );
        assert!(note.location.contains("archive.zip"), "{}", note.location);
        // A photo that did not arrive is missing, as any file the archive lacks, and the note
        // says it may be in the part that did not arrive (not that Mastodon left it out).
        assert_eq!(summarize(&loaded).media.missing, missing, "cut at {cut}");
        let why = missing_media(&loaded);
        assert_eq!(why.len(), missing, "cut at {cut}: {why:?}");
        for message in why {
            assert!(
                message.contains("not in the part of the archive that arrived")
                    && !message.contains("Mastodon"),
                "{message}"
            );
        }
    }
}

/// A file the archive lacks though it arrived whole is missing as Mastodon left it out: the
/// note does not blame a cut.
#[test]
fn media_missing_from_a_whole_archive_are_not_blamed_on_a_cut() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let outbox = r#"{"orderedItems":[{"id":"https://s.example/users/a/statuses/1/activity","type":"Create","published":"2024-01-01T00:00:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],"object":{"id":"https://s.example/users/a/statuses/1","type":"Note","published":"2024-01-01T00:00:00Z","content":"<p>a photo</p>","to":["https://www.w3.org/ns/activitystreams#Public"],"attachment":[{"type":"Document","mediaType":"image/png","url":"/media_attachments/files/1/original/gone.png"}]}}]}"#;
    zip.start_file("outbox.json", options).unwrap();
    zip.write_all(outbox.as_bytes()).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let loaded = load_zip(&bytes).expect("opens");
    let missing = missing_media(&loaded);
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(
        missing[0].contains("Mastodon skips files it cannot read"),
        "{}",
        missing[0]
    );
}

/// An interrupted download of a tar.gz (Mastodon before 4.2: the media first, then outbox.json,
/// likes.json, bookmarks.json, avatar, header and actor.json): cut inside outbox.json, the posts
/// before the cut are read, with the media (all before it), and one note says where it ends;
/// cut inside actor.json, every post and the likes are read, only the profile is missing. Cut
/// among the media, no post arrived: the open fails, saying the file ends early.
#[test]
fn a_tar_gz_cut_short_opens_with_what_arrived() {
    let bytes = data("mastodon-export.tar.gz");
    let whole = load_tgz(&bytes).expect("whole");
    let all = posts_of(&whole.account);
    let truncated = |loaded: &Loaded<Cursor<Vec<u8>>>| {
        notes(loaded, permafrost_model::DiagnosticKind::Truncated)
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };

    // 120 KB before the end: inside outbox.json.
    let cut = bytes.len() - 120_000;
    let loaded = load_tgz(&bytes[..cut]).expect("salvaged");
    let kept = posts_of(&loaded.account);
    assert!(!kept.is_empty() && kept.len() < all.len(), "{}", kept.len());
    assert_eq!(kept[..], all[..kept.len()], "the first posts, whole");
    assert_eq!(
        truncated(&loaded),
        [format!(
            "the file ends early, at byte {cut}, inside outbox.json: the download was probably \
             interrupted. The posts before that point were read; the rest of them, and every \
             file after outbox.json, are missing: download the archive again to see it all"
        )]
    );
    // The media of the posts read all came before outbox.json.
    assert!(loaded
        .account
        .posts
        .iter()
        .any(|p| !p.attachments.is_empty()));
    assert_eq!(summarize(&loaded).media.missing, 0);
    assert!(loaded.account.actor.is_none() && loaded.account.likes.is_none());

    // 300 bytes before the end: inside actor.json, the last file.
    let cut = bytes.len() - 300;
    let loaded = load_tgz(&bytes[..cut]).expect("salvaged");
    assert_eq!(posts_of(&loaded.account), all);
    assert_eq!(loaded.account.likes, whole.account.likes);
    assert!(loaded.account.actor.is_none() && whole.account.actor.is_some());
    let notes = truncated(&loaded);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains(&format!("byte {cut}, inside actor.json")),
        "{}",
        notes[0]
    );

    // Among the media.
    let err = load_tgz(&bytes[..1_000_000])
        .err()
        .expect("nothing to show");
    assert!(err.to_string().contains("ends early"), "{err}");
}

/// A tar.gz has its media first, then outbox.json: one cut after outbox.json holds every media
/// file there is, and a file missing is missing from the archive itself, as the whole one says.
#[test]
fn media_missing_from_a_tar_gz_cut_after_its_outbox_are_not_blamed_on_the_cut() {
    let options = permafrost_synth::Options {
        posts: 300,
        container: permafrost_synth::Container::TarGz,
        ..Default::default()
    };
    let mut file = Cursor::new(Vec::new());
    let expected = permafrost_synth::write_archive(&options, &mut file).unwrap();
    let bytes = file.into_inner();
    let whole = load_tgz(&bytes).expect("whole");
    assert!(expected.media.missing > 0);
    let said = missing_media(&whole);
    assert_eq!(said.len(), expected.media.missing);
    // Inside actor.json, the last file.
    let cut = load_tgz(&bytes[..bytes.len() - 100]).expect("salvaged");
    assert!(cut.account.actor.is_none());
    assert_eq!(summarize(&cut).media.missing, expected.media.missing);
    assert_eq!(missing_media(&cut), said);
    assert!(said.iter().all(|m| m.contains("Mastodon")), "{said:?}");
}
