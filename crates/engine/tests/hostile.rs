//! Hostile and broken inputs, each generated here, each with an exact expectation: a clear
//! message, or correct output with diagnostics; never a panic or a hang. (Containers' own damage,
//! bombs, truncation and encryption are tested in crates/archive; the fuzz targets in fuzz/ try
//! the rest at random.)

use permafrost_engine::{load, summarize, Input, Summary};
use std::io::{Cursor, Write};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(Cursor::new(&mut bytes));
        for (name, body) in files {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .expect("start");
            zip.write_all(body).expect("write");
        }
        zip.finish().expect("finish");
    }
    bytes
}

fn open(name: &str, bytes: Vec<u8>) -> Result<Summary, String> {
    load(vec![Input::new(name, Cursor::new(bytes))], &mut |_| {})
        .map(|l| summarize(&l))
        .map_err(|e| e.to_string())
}

fn note(n: u32, extra: &str) -> String {
    format!(
        r#"{{"id":"https://h.example/users/a/statuses/{n}/activity","type":"Create","actor":"https://h.example/users/a","object":{{"id":"https://h.example/users/a/statuses/{n}","type":"Note","published":"2023-01-01T00:00:00Z","to":["{PUBLIC}"],"content":"<p>post {n}</p>"{extra}}}}}"#
    )
}

fn outbox(items: &[String]) -> Vec<u8> {
    format!(r#"{{"orderedItems":[{}]}}"#, items.join(",")).into_bytes()
}

/// The messages of the diagnostics of `kind`.
fn said<'a>(s: &'a Summary, kind: &str) -> Vec<&'a str> {
    s.diagnostics
        .iter()
        .filter(|d| d.kind == kind)
        .map(|d| d.message.as_str())
        .collect()
}

#[test]
fn files_that_are_not_archives_say_what_they_are() {
    for (name, bytes, expected) in [
        ("empty.zip", Vec::new(), "but an empty file"),
        (
            "page.zip",
            b"<!DOCTYPE html><html><body>Sign in</body></html>".to_vec(),
            "but an html page",
        ),
        (
            "doc.zip",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec(),
            "but a pdf document",
        ),
        (
            "noise.zip",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
            "but a binary file of unknown type",
        ),
    ] {
        let err = open(name, bytes).expect_err(name);
        assert!(
            err.to_lowercase().contains(expected),
            "{name}: {err} (expected to mention {expected:?})"
        );
    }
}

#[test]
fn broken_items_are_skipped_and_said_and_the_rest_loads() {
    let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let items = [
        note(1, ""),
        // JSON nested 100,000 deep.
        deep,
        // Invalid UTF-8 inside a string.
        String::from_utf8_lossy(b"\"\xff\xfe\"").into_owned(),
        // NULs in the text, an id beyond 64 bits as a count, a date in year 99999.
        note(
            2,
            r#","likes":{"totalItems":123456789012345678901234567890},"summary":"a\u0000b""#,
        )
        .replace(
            "\"published\":\"2023-01-01T00:00:00Z\"",
            "\"published\":\"99999-01-01T00:00:00Z\"",
        ),
        // An unknown item type.
        r#"{"type":"Wobble","id":"x"}"#.to_string(),
        note(3, ""),
    ];
    let mut bytes = outbox(&items);
    // Raw invalid UTF-8 bytes (not escaped) in the third item.
    let at = bytes
        .windows(2)
        .position(|w| w == "\u{fffd}".as_bytes().get(..2).unwrap_or_default())
        .expect("the replacement character");
    bytes.splice(at..at + 3, [0xff]);
    let s = open("outbox.json", bytes).expect("opens");
    assert_eq!(s.posts, 3);
    assert_eq!(
        s.diagnostic_counts.get("bad_item"),
        Some(&2),
        "{:?}",
        s.diagnostics
    );
    assert_eq!(s.diagnostic_counts.get("unsupported_item"), Some(&1));
    assert_eq!(
        said(&s, "bad_value"),
        ["\"99999-01-01T00:00:00Z\" is not a real date: the post is kept, without a date"]
    );
    assert_eq!(s.first_post.as_deref(), Some("2023-01-01T00:00:00Z"));
}

#[test]
fn a_huge_string_is_read_and_its_view_bounded() {
    // 10 MB of text in one post (the red team used 50–70 MB; the engine is linear in it, and
    // `bench --only hostile` measures the cost per byte).
    let text = "word ".repeat(2 << 20);
    let items = [note(1, ""), note(2, "").replace("post 2", &text)];
    let s = open("outbox.json", outbox(&items)).expect("opens");
    assert_eq!(s.posts, 2);
}

#[test]
fn csvs_from_anywhere_are_read_or_said() {
    let archive = zip(&[("outbox.json", &outbox(&[note(1, "")]))]);
    let wide: String = (0..1_000_000).map(|i| format!("c{i},")).collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            // An unclosed quote: the rest of the file is one field, which is no address.
            "following_accounts.csv",
            b"Account address,Show boosts\n\"@a@x.social,true\nb@y.social,false\n".to_vec(),
        ),
        ("blocked_accounts.csv", wide.into_bytes()),
        (
            "muted_accounts.csv",
            (0..20_000u32).map(|i| (i * 7919 % 251) as u8).collect(),
        ),
    ];
    for (name, csv) in cases {
        let inputs = vec![
            Input::new("archive.zip", Cursor::new(archive.clone())),
            Input::new(name, Cursor::new(csv)),
        ];
        let s = summarize(&load(inputs, &mut |_| {}).expect(name));
        assert_eq!(s.posts, 1, "{name}: the archive still opens");
        assert!(
            !s.diagnostics.is_empty(),
            "{name}: what could not be read is said"
        );
    }
}

#[test]
fn an_archive_of_100000_entries_lists_without_trouble() {
    let mut bytes = Vec::new();
    {
        let mut z = zip::ZipWriter::new(Cursor::new(&mut bytes));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("outbox.json", stored).expect("start");
        z.write_all(&outbox(&[note(1, "")])).expect("write");
        for i in 0..100_000 {
            z.start_file(format!("media_attachments/files/{i}.png"), stored)
                .expect("start");
        }
        z.finish().expect("finish");
    }
    let s = open("archive.zip", bytes).expect("opens");
    assert_eq!(s.posts, 1);
}

/// An outbox larger than the memory at hand (a browser tab's budget, here a small one): reading
/// stops before memory runs out, says why, and every post read before stays.
#[test]
fn an_outbox_past_the_memory_budget_stops_with_what_was_read() {
    struct Small;
    impl permafrost_engine::Observer for Small {
        fn progress(&mut self, _: &permafrost_engine::Progress) {}
        fn outbox_budget(&self) -> Option<u64> {
            Some(100_000)
        }
    }
    let items: Vec<String> = (1..=2000).map(|n| note(n, "")).collect();
    let bytes = outbox(&items);
    assert!(bytes.len() > 300_000);
    let loaded = permafrost_engine::load_observed(
        vec![Input::new("outbox.json", Cursor::new(bytes))],
        &mut Small,
    )
    .expect("what was read opens");
    let s = summarize(&loaded);
    assert!(s.posts > 100 && s.posts < 2000, "{} posts", s.posts);
    let why = said(&s, "truncated");
    assert_eq!(why.len(), 1, "{why:?}");
    assert!(
        why[0].contains("this browser tab can hold the posts of about 0 MB of outbox.json")
            && why[0].contains("command-line tool reads all of it"),
        "{}",
        why[0]
    );
}
