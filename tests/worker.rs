//! The worker's side, in a real dedicated worker: reading Blobs by byte range, and a session over
//! files given as Blobs (as the page sends them).
#![cfg(target_arch = "wasm32")]
// `#[wasm_bindgen_test]` functions are tests, but clippy does not know it (see clippy.toml).
#![allow(clippy::unwrap_used)]

use permafrost_engine::Input;
use permafrost_protocol::{MediaRef, PostKind, Sort};
use permafrost_web::worker::blob_reader::BlobReader;
use permafrost_web::worker::session::Session;
use std::io::{Read, Seek, SeekFrom};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn blob(bytes: &[u8]) -> web_sys::Blob {
    let array = js_sys::Uint8Array::from(bytes);
    web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&array)).unwrap()
}

#[wasm_bindgen_test]
fn blob_reader_reads_seeks_and_reads_ahead() {
    let bytes: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    let mut reader = BlobReader::with_chunk(blob(&bytes), 64).unwrap();
    assert_eq!(reader.len(), 10_000);
    let mut all = Vec::new();
    reader.read_to_end(&mut all).unwrap();
    assert_eq!(all, bytes);
    reader.seek(SeekFrom::Start(5_000)).unwrap();
    let mut small = [0u8; 10];
    reader.read_exact(&mut small).unwrap();
    assert_eq!(&small[..], &bytes[5_000..5_010]);
    reader.seek(SeekFrom::Current(-20)).unwrap();
    reader.read_exact(&mut small).unwrap();
    assert_eq!(&small[..], &bytes[4_990..5_000]);
    // A read larger than the read-ahead goes straight through.
    let mut big = vec![0u8; 1_000];
    reader.seek(SeekFrom::End(-1_000)).unwrap();
    reader.read_exact(&mut big).unwrap();
    assert_eq!(&big[..], &bytes[9_000..]);
    // Past the end: nothing, and no error.
    assert_eq!(reader.seek(SeekFrom::Start(20_000)).unwrap(), 20_000);
    assert_eq!(reader.read(&mut small).unwrap(), 0);
    assert!(reader.seek(SeekFrom::Current(-30_000)).is_err());
}

const OUTBOX: &str = r##"{"orderedItems":[
 {"id":"https://ex.social/users/a/statuses/1/activity","type":"Create","actor":"https://ex.social/users/a",
  "object":{"id":"https://ex.social/users/a/statuses/1","type":"Note","published":"2023-01-02T03:04:05Z",
   "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>Hello <a href=\"https://ex.social/tags/rust\" class=\"mention hashtag\">#<span>rust</span></a></p>",
   "contentMap":{"en":"<p>Hello</p>"},"tag":[{"type":"Hashtag","name":"#rust"}],
   "attachment":[{"type":"Document","mediaType":"text/html","url":"/media_attachments/files/1/a.png","name":"a dot"}]}},
 {"id":"https://ex.social/users/a/statuses/2/activity","type":"Create","actor":"https://ex.social/users/a",
  "object":{"id":"https://ex.social/users/a/statuses/2","type":"Note","published":"2023-02-02T03:04:05Z",
   "inReplyTo":"https://ex.social/users/a/statuses/1",
   "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>A reply</p>"}},
 {"id":"https://ex.social/users/a/statuses/3/activity","type":"Announce","actor":"https://ex.social/users/a",
  "published":"2023-03-02T03:04:05Z","to":["https://www.w3.org/ns/activitystreams#Public"],
  "cc":["https://other.example/users/b"],"object":"https://other.example/notes/9"}]}"##;

fn session() -> Session<BlobReader> {
    let inputs = vec![
        Input::new(
            "archive/outbox.json",
            BlobReader::new(blob(OUTBOX.as_bytes())).unwrap(),
        ),
        Input::new(
            "archive/media_attachments/files/1/a.png",
            BlobReader::new(blob(b"\x89PNG fake")).unwrap(),
        ),
    ];
    let mut stages = Vec::new();
    let (session, opened) =
        Session::open(inputs, &mut |p| stages.push(p.stage), &js_sys::Date::now).unwrap();
    assert_eq!(opened.summary.posts, 3);
    assert_eq!(opened.summary.format, "folder");
    assert_eq!(opened.summary.media.present, 1);
    assert!(!stages.is_empty());
    assert_eq!(opened.completions.hashtags, vec![("rust".to_string(), 1)]);
    session
}

#[wasm_bindgen_test]
fn session_opens_searches_and_pages() {
    let mut s = session();
    let results = s.search(5, "", Sort::Newest, "UTC", 2);
    assert_eq!(results.total, 3);
    assert_eq!(results.posts.len(), 2);
    assert_eq!(results.posts[0].kind, PostKind::Boost);
    assert_eq!(s.last_search(), 5);
    let rest = s.posts(2, 10);
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].index, 0);
    assert_eq!(rest[0].hashtags, vec!["rust"]);
    let reply = &results.posts[1];
    assert_eq!(reply.parent.as_ref().map(|p| p.index), Some(0));
    assert_eq!(
        reply.parent.as_ref().map(|p| p.excerpt.as_str()),
        Some("Hello #rust")
    );
    let oldest = s.search(6, "", Sort::Oldest, "UTC", 1);
    assert_eq!(oldest.posts[0].index, 0);
}

#[wasm_bindgen_test]
fn media_types_are_never_executable() {
    let mut s = session();
    let (bytes, mime) = s
        .media(MediaRef::Attachment { post: 0, index: 0 })
        .unwrap()
        .unwrap();
    assert_eq!(bytes, b"\x89PNG fake");
    // The archive claims text/html: the Blob gets a type from the file name instead.
    assert_eq!(mime, "image/png");
    assert_eq!(s.media(MediaRef::Avatar).unwrap(), None);
    assert!(s.raw_json(1).unwrap().contains("A reply"));
}

/// While outbox.json is read, previews come at most as often as the clock allows, each with the
/// newest posts read so far, newest first, without media.
#[wasm_bindgen_test]
fn previews_show_the_newest_posts_read_so_far() {
    let mut outbox = String::from(r#"{"orderedItems":["#);
    for i in 0..5000 {
        if i > 0 {
            outbox.push(',');
        }
        outbox.push_str(&format!(
            r#"{{"id":"https://ex.social/s/{i}/activity","type":"Create","actor":"https://ex.social/users/a",
            "object":{{"id":"https://ex.social/s/{i}","type":"Note","published":"2023-01-02T03:04:05Z",
            "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>post {i}</p>",
            "attachment":[{{"type":"Document","mediaType":"image/png","url":"/m/{i}.png"}}]}}}}"#
        ));
    }
    outbox.push_str("]}");
    let open = |step: f64| {
        let inputs = vec![Input::new(
            "outbox.json",
            BlobReader::new(blob(outbox.as_bytes())).unwrap(),
        )];
        let clock = std::cell::Cell::new(0.0);
        let now = || {
            clock.set(clock.get() + step);
            clock.get()
        };
        let mut previews = Vec::new();
        let (_, opened) = Session::open_with_preview(
            inputs,
            &mut |_| {},
            &mut |total, posts| previews.push((total, posts)),
            &now,
        )
        .unwrap();
        assert_eq!(opened.summary.posts, 5000);
        previews
    };
    // A slow clock: a preview at every chance (every 2,048 posts).
    let previews = open(5_000.0);
    assert_eq!(previews.len(), 2);
    let (total, posts) = &previews[1];
    assert_eq!(*total, 4096);
    assert_eq!(posts.len(), 20);
    assert_eq!(posts[0].index, 4095);
    assert_eq!(posts[19].index, 4076);
    assert_eq!(posts[0].content.plain_text(), "post 4095");
    assert!(posts.iter().all(|p| p.attachments.is_empty()));
    // A fast clock: only the first.
    assert_eq!(open(0.001).len(), 1);
}
