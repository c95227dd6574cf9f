//! Exports from other servers (archive-format.md §10): Pleroma/Akkoma archives and GoToSocial and
//! Friendica CSVs. Built in the test from the shapes the format reference documents.

use permafrost_engine::{load, summarize, Input, Summary};
use std::io::{Cursor, Write};

fn zip(files: &[(&str, &str)]) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(Cursor::new(&mut bytes));
        for (name, body) in files {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .expect("start");
            zip.write_all(body.as_bytes()).expect("write");
        }
        zip.finish().expect("finish");
    }
    bytes
}

fn open(files: Vec<(&str, Vec<u8>)>) -> Summary {
    let inputs = files
        .into_iter()
        .map(|(n, b)| Input::new(n, Cursor::new(b)))
        .collect();
    summarize(&load(inputs, &mut |_| {}).expect("load"))
}

#[test]
fn pleroma_archive() {
    // Pretty-printed, one item per line, totalItems after orderedItems, Create and Announce with
    // embedded objects, absolute attachment URLs and no media files, followers/following lists.
    let outbox = r#"{
  "@context": "https://www.w3.org/ns/activitystreams",
  "id": "outbox.json",
  "type": "OrderedCollection",
  "orderedItems": [
{"id":"https://pl.example/activities/1","type":"Create","actor":"https://pl.example/users/nick","to":["https://www.w3.org/ns/activitystreams#Public"],"cc":["https://pl.example/users/nick/followers"],"directMessage":false,"object":{"id":"https://pl.example/objects/1","type":"Note","attributedTo":"https://pl.example/users/nick","published":"2021-03-04T05:06:07.000Z","to":["https://www.w3.org/ns/activitystreams#Public"],"content":"hello <b>fedi</b>","source":{"content":"hello **fedi**","mediaType":"text/markdown"},"context":"https://pl.example/contexts/1","conversation":"https://pl.example/contexts/1","attachment":[{"type":"Document","mediaType":"image/png","url":[{"href":"https://pl.example/media/abc.png","mediaType":"image/png","type":"Link"}],"name":"a screenshot","blurhash":"LEHV6n"}]}},
{"id":"https://pl.example/activities/2","type":"Create","actor":"https://pl.example/users/nick","to":["https://other.example/users/friend"],"cc":[],"directMessage":true,"object":{"id":"https://pl.example/objects/2","type":"Note","attributedTo":"https://pl.example/users/nick","published":"2021-03-05T05:06:07.000Z","to":["https://other.example/users/friend"],"content":"psst","tag":[{"type":"Mention","href":"https://other.example/users/friend","name":"@friend@other.example"}]}},
{"id":"https://pl.example/activities/3","type":"Announce","actor":"https://pl.example/users/nick","published":"2021-03-06T05:06:07.000Z","to":["https://www.w3.org/ns/activitystreams#Public"],"cc":["https://other.example/users/friend"],"object":"https://other.example/objects/9"}
  ],
  "totalItems": 3
}"#;
    let actor = r#"{"@context":["https://www.w3.org/ns/activitystreams","https://pl.example/schemas/litepub-0.1.jsonld"],"id":"https://pl.example/users/nick","type":"Person","preferredUsername":"nick","name":"Nick","followers":"https://pl.example/users/nick/followers"}"#;
    let following = r#"{"@context":"https://www.w3.org/ns/activitystreams","id":"following.json","type":"OrderedCollection","orderedItems":["https://other.example/users/friend","https://third.example/users/x"],"totalItems":2}"#;
    let followers = r#"{"id":"followers.json","type":"OrderedCollection","orderedItems":["https://other.example/users/friend"]}"#;
    let likes = r#"{"id":"likes.json","type":"OrderedCollection","orderedItems":[]}"#;
    let archive = zip(&[
        ("actor.json", actor),
        ("outbox.json", outbox),
        ("likes.json", likes),
        ("bookmarks.json", likes),
        ("followers.json", followers),
        ("following.json", following),
    ]);
    let s = open(vec![("archive-nick-20210307T050607-abc.zip", archive)]);
    assert_eq!((s.posts, s.originals, s.boosts), (3, 2, 1));
    assert_eq!((s.visibility.public, s.visibility.direct), (1, 1));
    assert_eq!(s.account.handle.as_deref(), Some("nick@pl.example"));
    assert_eq!((s.following, s.followers), (Some(2), Some(1)));
    assert_eq!((s.likes, s.bookmarks), (Some(0), Some(0)));
    // Pleroma archives carry no media: the attachment is reported, not fatal.
    assert_eq!(
        (s.media.referenced, s.media.missing, s.media.without_alt),
        (1, 1, 0)
    );
    assert!(s.diagnostics.iter().any(
        |d| d.kind == "missing_media" && d.message.contains("https://pl.example/media/abc.png")
    ));
}

#[test]
fn gotosocial_and_friendica_csvs_beside_an_outbox() {
    let outbox = br#"{"orderedItems":[{"id":"https://a.example/users/me/statuses/1/activity","type":"Create","object":{"id":"https://a.example/users/me/statuses/1","type":"Note","to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>x</p>"}}]}"#.to_vec();
    let s = open(vec![
        (
            "followers.csv",
            b"Account address\nfan@b.example\nother@c.example\n".to_vec(),
        ),
        (
            "following.csv",
            b"Account address,Show boosts\nbob@b.example,true\n".to_vec(),
        ),
        ("blocks.csv", b"troll@d.example\n".to_vec()),
        (
            "mutes.csv",
            b"Account address,Hide notifications\nloud@e.example,false\n".to_vec(),
        ),
        ("outbox.json", outbox),
        (
            "nick-contacts.csv",
            b"Account address, Show boosts\r\nfriend@f.example, true\r\n".to_vec(),
        ),
        ("lists.csv", b"Close friends,bob@b.example\n".to_vec()),
    ]);
    assert_eq!(s.followers, Some(2));
    assert_eq!(
        s.following,
        Some(2),
        "GoToSocial's following.csv and Friendica's contacts both count"
    );
    assert_eq!((s.blocks, s.mutes), (Some(1), Some(1)));
    assert_eq!(
        s.lists
            .as_ref()
            .and_then(|l| l.get("Close friends"))
            .copied(),
        Some(1)
    );
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
}

#[test]
fn a_csv_that_is_not_an_export_is_reported_not_fatal() {
    let outbox = br#"{"orderedItems":[]}"#.to_vec();
    let s = open(vec![
        ("outbox.json", outbox),
        ("spreadsheet.csv", b"name,price\napple,3\n".to_vec()),
        (
            "following_accounts.csv",
            b"not an address\nok@x.example\n".to_vec(),
        ),
    ]);
    assert_eq!(s.posts, 0);
    assert_eq!(s.following, Some(1));
    assert!(s
        .diagnostics
        .iter()
        .any(|d| d.kind == "unknown_file" && d.location == "spreadsheet.csv"));
    assert!(s
        .diagnostics
        .iter()
        .any(|d| d.kind == "bad_csv_row" && d.location == "following_accounts.csv line 1"));
}

/// Two outbox.json files under one name (an archive zipped into itself, or a hand-made one) and
/// a third in another folder. A ZIP lists the last record of a name (as most readers do), and a
/// diagnostic says that there were others, instead of a silent guess.
#[test]
fn other_copies_of_outbox_json_are_named() {
    let outbox = |text: &str| {
        format!(
            r#"{{"orderedItems":[{{"id":"https://a.example/users/a/statuses/1/activity","type":"Create","actor":"https://a.example/users/a","object":{{"id":"https://a.example/users/a/statuses/1","type":"Note","published":"2023-01-01T00:00:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>{text}</p>"}}}}]}}"#
        )
    };
    let mut bytes = zip(&[
        ("outbox.json", &outbox("first")),
        ("outbox.jsoX", &outbox("second copy")),
        ("backup/outbox.json", &outbox("elsewhere")),
    ]);
    // The ZIP writer refuses duplicate names; rename the second entry in its local header and
    // in the central directory (names are stored as they are; no checksum covers them).
    let from = b"outbox.jsoX";
    let mut i = 0;
    while let Some(at) = bytes[i..].windows(from.len()).position(|w| w == from) {
        bytes[i + at + from.len() - 1] = b'n';
        i += at + from.len();
    }
    let loaded = load(vec![Input::new("a.zip", Cursor::new(bytes))], &mut |_| {}).expect("load");
    assert_eq!(loaded.account.posts.len(), 1);
    assert_eq!(loaded.account.posts[0].content.plain_text(), "second copy");
    let summary = summarize(&loaded);
    let said: Vec<&str> = summary
        .diagnostics
        .iter()
        .filter(|d| d.kind == "duplicate")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        said,
        [
            "the archive holds 2 files named outbox.json; outbox.json was read, not backup/outbox.json",
            "1 of its entries have the same name as a later one, and only the last of each name is read: if outbox.json or actor.json is among them, an earlier copy of it was ignored"
        ]
    );
}
