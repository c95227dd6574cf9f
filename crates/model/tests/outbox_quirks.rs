//! outbox.json quirks from archive-format.md, one hand-written item (or file) each.

use permafrost_model::{actor, outbox, Account, DiagnosticKind, MediaKind, PostKind, Visibility};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

fn read(json: &str) -> Account {
    let mut account = Account::default();
    outbox::read_outbox(json.as_bytes(), "outbox.json", &mut account, &mut |_, _| {})
        .expect("readable outbox");
    account
}

fn note(id: u32, extra: &str) -> String {
    format!(
        r#"{{"id":"https://ex.social/users/a/statuses/{id}/activity","type":"Create","actor":"https://ex.social/users/a","published":"2023-01-0{}T10:00:00Z","to":["{PUBLIC}"],"cc":[],"object":{{"id":"https://ex.social/users/a/statuses/{id}","type":"Note","attributedTo":"https://ex.social/users/a","published":"2023-01-0{}T10:00:00Z","to":["{PUBLIC}"],"cc":["https://ex.social/users/a/followers"],"content":"<p>post {id}</p>"{extra}}}}}"#,
        id % 9 + 1,
        id % 9 + 1
    )
}

fn wrap(items: &[String]) -> String {
    format!(
        r#"{{"@context":"https://www.w3.org/ns/activitystreams","id":"outbox.json","type":"OrderedCollection","totalItems":{},"orderedItems":[{}],"@context":["https://www.w3.org/ns/activitystreams"]}}"#,
        items.len(),
        items.join(",")
    )
}

#[test]
fn an_empty_first_ordered_items_is_a_note_not_a_loss() {
    // Mastodon 4.2.10 writes `"orderedItems":[]` before the real list.
    let json = format!(
        r#"{{"orderedItems":[],"orderedItems":[{},{}]}}"#,
        note(1, ""),
        note(2, "")
    );
    let account = read(&json);
    assert_eq!(account.posts.len(), 2);
    assert!(!account
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagnosticKind::Duplicate));
    assert!(account
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagnosticKind::Note && d.message.contains("first list is empty")));
}

#[test]
fn duplicate_ordered_items_last_wins() {
    let json = format!(
        r#"{{"orderedItems":[{}],"orderedItems":[{},{}]}}"#,
        note(1, ""),
        note(2, ""),
        note(3, "")
    );
    let account = read(&json);
    assert_eq!(account.posts.len(), 2);
    assert_eq!(
        &*account.posts[0].id,
        "https://ex.social/users/a/statuses/2"
    );
    assert!(account
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagnosticKind::Duplicate && d.message.contains("1 items")));
}

#[test]
fn boosts_by_uri_tag_uri_and_inline_note() {
    let inline = r#"{"id":"https://ex.social/users/a/statuses/9/activity","type":"Announce","actor":"https://ex.social/users/a","published":"2023-01-05T00:00:00Z","to":["https://ex.social/users/a/followers"],"cc":["https://ex.social/users/a"],"object":{"id":"https://ex.social/users/a/statuses/8","type":"Note","attributedTo":"https://ex.social/users/a","to":["https://ex.social/users/a/followers"],"content":"<p>mine</p>","attachment":[{"type":"Document","mediaType":"image/png","url":"https://files.ex.social/media_attachments/files/1/original/x.png","name":"a cat"}]}}"#;
    let tag_uri = r#"{"@context":"https://www.w3.org/ns/activitystreams","id":"https://ex.social/users/a/statuses/10/activity","type":"Announce","actor":"https://ex.social/users/a","atomUri":"x","to":["https://www.w3.org/ns/activitystreams#Public"],"cc":["https://old.example/users/b","https://ex.social/users/a/followers"],"object":"tag:old.example,2016-11-01:objectId=534976:objectType=Status"}"#;
    let account = read(&wrap(&[inline.into(), tag_uri.into()]));
    assert_eq!(account.posts.len(), 2);
    let (a, b) = (&account.posts[0], &account.posts[1]);
    assert_eq!(a.kind, PostKind::Boost);
    assert_eq!(
        a.boost_of.as_deref(),
        Some("https://ex.social/users/a/statuses/8")
    );
    assert_eq!(a.visibility, Visibility::Private);
    assert_eq!(a.attachments[0].alt.as_deref(), Some("a cat"));
    assert_eq!(a.content.plain_text(), "mine");
    assert_eq!(
        b.boost_of.as_deref(),
        Some("tag:old.example,2016-11-01:objectId=534976:objectType=Status")
    );
    assert_eq!(
        account
            .strings
            .resolve(b.boosted_account.expect("boosted account from cc")),
        "https://old.example/users/b"
    );
    assert_eq!(&*b.id, "https://ex.social/users/a/statuses/10/activity");
}

#[test]
fn polls_languages_counts_quotes() {
    let poll = note(
        1,
        r#","type":"Question","contentMap":{"zhCn":"<p>土狗和松鼠谁当1</p>"},"endTime":"2021-06-09T06:27:26Z","closed":"2021-06-09T06:27:26Z","votersCount":3,"oneOf":[{"type":"Note","name":"土狗当1","replies":{"type":"Collection","totalItems":2}},{"type":"Note","name":"松鼠当1","replies":{"type":"Collection","totalItems":1}}]"#,
    );
    let counted = note(
        2,
        r#","updated":"2023-01-03T10:00:00Z","likes":{"id":"x","type":"Collection","totalItems":7},"shares":{"type":"Collection","totalItems":"2"},"quote":{"type":"Tombstone"},"quoteUri":"https://b.example/notes/1""#,
    );
    let account = read(&wrap(&[poll, counted]));
    let p = account.posts[0].poll.as_ref().expect("poll");
    assert!(!p.multiple);
    assert_eq!(p.options.len(), 2);
    assert_eq!(p.options[0].votes, Some(2));
    assert_eq!(p.voters, Some(3));
    assert_eq!(
        account
            .strings
            .resolve(account.posts[0].language.expect("language")),
        "zh-CN"
    );
    assert_eq!(account.posts[1].likes, Some(7));
    // `note` publishes post 2 on 2023-01-03T10:00:00Z: an equal `updated` is not an edit.
    assert_eq!(account.posts[1].updated, None);
    assert_eq!(account.posts[1].shares, Some(2));
    assert_eq!(
        account.posts[1].quote_of.as_deref(),
        Some("https://b.example/notes/1")
    );
}

#[test]
fn bad_items_become_diagnostics_and_the_rest_loads() {
    let items = vec![
        note(1, ""),
        r#"{"type":"Create",,"broken":}"#.to_string(),
        r#"{"id":"x","type":"Like","object":"https://b/1"}"#.to_string(),
        r#""just a string""#.to_string(),
        r#"{"type":"Create","object":"https://only/a/uri"}"#.to_string(),
        note(2, r#","content":"<p>second content wins</p>""#),
        r#"{"id":12345,"type":"Announce","to":"https://www.w3.org/ns/activitystreams#Public","object":"https://b/2"}"#.to_string(),
    ];
    let account = read(&wrap(&items));
    assert_eq!(account.posts.len(), 3, "{:?}", account.diagnostics);
    assert_eq!(account.posts[1].content.plain_text(), "second content wins");
    assert_eq!(&*account.posts[2].id, "12345");
    let kinds: Vec<_> = account.diagnostics.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == DiagnosticKind::BadItem)
            .count(),
        3,
        "{:?}",
        account.diagnostics
    );
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == DiagnosticKind::UnsupportedItem)
            .count(),
        1
    );
    assert!(account
        .diagnostics
        .iter()
        .any(|d| d.location == "outbox.json item 2 (byte 1021)"
            || d.location.starts_with("outbox.json item 2 ")));
}

#[test]
fn visibility_waits_for_actor_json() {
    // The followers URI in actor.json is not `<actor>/followers` here, so only actor.json can tell
    // followers-only from direct; tar.gz archives put actor.json after outbox.json.
    let followers_only = r#"{"id":"https://ex.social/ap/users/1/statuses/1/activity","type":"Create","actor":"https://ex.social/ap/users/1","object":{"id":"https://ex.social/ap/users/1/statuses/1","type":"Note","to":["https://ex.social/ap/users/1/fans"],"cc":["https://b.example/users/x"],"content":"f"}}"#;
    let group_dm = r#"{"id":"https://ex.social/ap/users/1/statuses/2/activity","type":"Create","actor":"https://ex.social/ap/users/1","object":{"id":"https://ex.social/ap/users/1/statuses/2","type":"Note","to":["https://g.example/groups/g","https://g.example/groups/g/followers"],"cc":[],"content":"d"}}"#;
    let unlisted = r#"{"id":"u","type":"Create","object":{"id":"u","type":"Note","to":["https://ex.social/ap/users/1/fans"],"cc":["as:Public"],"content":"u"}}"#;
    let glitch = r#"{"id":"g","type":"Create","object":{"id":"g","type":"Note","to":["https://ex.social/ap/users/1/fans"],"directMessage":true,"content":"g"}}"#;
    let mut account = read(&wrap(&[
        followers_only.into(),
        group_dm.into(),
        unlisted.into(),
        glitch.into(),
    ]));
    assert_eq!(
        account.posts[0].visibility,
        Visibility::Direct,
        "provisional: the actor's followers URI is unknown yet"
    );
    account.actor = Some(actor::parse(br#"{"id":"https://ex.social/ap/users/1","preferredUsername":"a","followers":"https://ex.social/ap/users/1/fans"}"#).expect("actor"));
    account.resolve_visibility();
    let v: Vec<_> = account.posts.iter().map(|p| p.visibility).collect();
    assert_eq!(
        v,
        [
            Visibility::Private,
            Visibility::Direct,
            Visibility::Unlisted,
            Visibility::Direct
        ]
    );
}

#[test]
fn attachments_tags_mentions_and_escapes() {
    let item = note(
        1,
        r##","content":"\u003cp\u003eHi \u003cspan class=\"h-card\"\u003e\u003ca href=\"https://ex.social/@bob\" class=\"u-url mention\"\u003e@\u003cspan\u003ebob\u003c/span\u003e\u003c/a\u003e\u003c/span\u003e :blob:\u003c/p\u003e","sensitive":"true","summary":"cw &amp; more","tag":[{"type":"Mention","href":"https://ex.social/users/bob","name":"@bob"},{"type":"Hashtag","name":"#Café"},{"type":"Emoji","name":":blob:","icon":{"url":"https://remote/emoji.png"}}],"attachment":[{"type":"Document","mediaType":"video/mp4","url":[{"type":"Link","href":"https://p.example/media/v.mp4"}],"name":"","blurhash":"UABC","focalPoint":[0.5,-0.25],"width":640,"height":480,"duration":"PT12.5S"},{"type":"Document","url":"/bucket/media_attachments/files/1/original/a.gif","name":null}]"##,
    );
    let account = read(&wrap(&[item]));
    let p = &account.posts[0];
    assert_eq!(p.content.plain_text(), "Hi @bob :blob:");
    assert!(p.sensitive);
    assert_eq!(p.content_warning.as_deref(), Some("cw & more"));
    assert_eq!(account.strings.resolve(p.mentions[0].acct), "bob@ex.social");
    assert_eq!(account.strings.resolve(p.hashtags[0]), "Café");
    assert_eq!(account.strings.resolve(p.emojis[0]), "blob");
    let (v, g) = (&p.attachments[0], &p.attachments[1]);
    assert_eq!(
        (v.kind, v.url.as_ref(), v.alt.as_deref()),
        (MediaKind::Video, "https://p.example/media/v.mp4", None)
    );
    assert_eq!(
        (v.width, v.height, v.duration, v.focal_point),
        (Some(640), Some(480), Some(12.5), Some([0.5, -0.25]))
    );
    assert_eq!(g.kind, MediaKind::Gif);
}

#[test]
fn not_an_outbox() {
    for (json, needle) in [
        ("[1,2]", "expected a JSON object"),
        ("", "empty"),
        (r#"{"type":"Person"}"#, "not a Mastodon outbox"),
        ("{\"orderedItems\":[", "download the archive again"),
    ] {
        let mut account = Account::default();
        let err = outbox::read_outbox(json.as_bytes(), "outbox.json", &mut account, &mut |_, _| {})
            .expect_err(json);
        assert!(err.to_string().contains(needle), "{json}: {err}");
    }
}

#[test]
fn random_damage_never_panics() {
    let base = wrap(&[
        note(1, ""),
        note(2, r##","tag":[{"type":"Hashtag","name":"#x"}]"##),
        note(3, ""),
    ])
    .into_bytes();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..2000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut bytes = base.clone();
        let at = (seed % bytes.len() as u64) as usize;
        match seed >> 60 {
            0..=5 => bytes[at] = (seed >> 20) as u8,
            6..=9 => bytes.truncate(at),
            10..=12 => {
                bytes.remove(at);
            }
            _ => bytes.insert(at, b"{}[]\",:\\"[(seed >> 30) as usize % 8]),
        }
        let mut account = Account::default();
        let _ = outbox::read_outbox(&bytes[..], "outbox.json", &mut account, &mut |_, _| {});
        assert!(account.posts.len() <= 3);
    }
}

#[test]
fn source_offsets_of_a_pretty_printed_outbox_cut_out_whole_items() {
    let items = [note(1, ""), note(2, ""), note(3, "")];
    let json = format!(
        "{{\n  \"orderedItems\": [\n    {},\n\n\t {} ,\r\n    {}\n  ]\n}}\n",
        items[0], items[1], items[2]
    );
    let account = read(&json);
    assert_eq!(account.posts.len(), 3);
    for (post, item) in account.posts.iter().zip(&items) {
        let start = post.source_offset as usize;
        let text = &json[start..start + post.source_len as usize];
        assert_eq!(text, item.as_str());
    }
}

/// The red team's memory amplifier: one post, then a flood of items that are not activities.
/// Every one is counted, the first hundred are listed, and memory does not grow with them.
#[test]
fn a_flood_of_bad_items_is_counted_not_stored() {
    let flood = 300_000;
    let mut json = format!(r#"{{"orderedItems":[{}"#, note(1, ""));
    for i in 0..flood {
        json.push_str(if i % 2 == 0 {
            ",{}"
        } else {
            r#",{"type":"Like"}"#
        });
    }
    json.push_str("]}");
    let account = read(&json);
    assert_eq!(account.posts.len(), 1);
    let d = &account.diagnostics;
    assert_eq!(d.total(), flood);
    assert_eq!(
        d.count(DiagnosticKind::BadItem) + d.count(DiagnosticKind::UnsupportedItem),
        flood
    );
    assert!(d.iter().count() <= 2 * permafrost_model::diagnostic::KEPT_PER_KIND);
    let first = d.iter().next().expect("the first is listed");
    assert_eq!(first.location, "outbox.json item 2 (byte 493)");
}

/// An outbox with items but not one post is an error that says so, not an empty archive.
#[test]
fn an_outbox_without_one_post_is_an_error_that_says_why() {
    let mut account = Account::default();
    let json = r#"{"orderedItems":[1,{},{"type":"Like","id":"x"}]}"#;
    let err = outbox::read_outbox(json.as_bytes(), "outbox.json", &mut account, &mut |_, _| {})
        .expect_err("no posts");
    assert_eq!(err.kind(), permafrost_model::ErrorKind::NoPosts);
    let text = err.to_string();
    assert!(
        text.starts_with("outbox.json: no posts could be read: none of its 3 items is a post or a boost (the first, outbox.json item 1"),
        "{text}"
    );
    // An outbox that is really empty is an account with no posts, not an error.
    let empty = read(r#"{"orderedItems":[]}"#);
    assert!(empty.posts.is_empty());
}

/// Impossible dates are left out with a diagnostic that quotes them; the post stays.
#[test]
fn impossible_dates_are_said_and_left_out() {
    let bad = note(1, "").replace("2023-01-02T10:00:00Z", "2023-02-30T10:00:00Z");
    let offset = note(2, "").replace("2023-01-03T10:00:00Z", "2023-01-03T10:00:00-99:99");
    let account = read(&wrap(&[bad, offset, note(3, "")]));
    assert_eq!(account.posts.len(), 3);
    assert_eq!(account.posts[0].published, None);
    assert_eq!(account.posts[1].published, None);
    assert!(account.posts[2].published.is_some());
    let said: Vec<&str> = account
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::BadValue)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        said,
        [
            "\"2023-02-30T10:00:00Z\" is not a real date: the post is kept, without a date",
            "\"2023-01-03T10:00:00-99:99\" is not a real date: the post is kept, without a date"
        ]
    );
    // The summary's first and last post come from the dates that are real.
    let summary = permafrost_model::Summary::of_account(&account, "files", 0);
    assert_eq!(summary.first_post.as_deref(), Some("2023-01-04T10:00:00Z"));
    assert_eq!(summary.last_post.as_deref(), Some("2023-01-04T10:00:00Z"));
}

/// A byte that is not UTF-8 (here Latin-1 é, as a server or editor in another encoding writes
/// it) costs the post one character, not the post: it is kept, the byte shown as U+FFFD, and a
/// warning says where. The items around it are read as ever.
#[test]
fn bytes_that_are_not_utf8_are_replaced_and_the_post_kept() {
    let json = wrap(&[note(1, ""), note(2, ""), note(3, "")])
        .replace("<p>post 2</p>", "<p>caf%E9% au lait</p>");
    let mut bytes = json.into_bytes();
    let at = bytes
        .windows(4)
        .position(|w| w == b"%E9%")
        .expect("the marker");
    bytes.splice(at..at + 4, [0xE9]);
    let mut account = Account::default();
    outbox::read_outbox(&bytes[..], "outbox.json", &mut account, &mut |_, _| {})
        .expect("readable outbox");
    assert_eq!(account.posts.len(), 3);
    assert_eq!(account.posts[1].content.plain_text(), "caf\u{fffd} au lait");
    assert_eq!(account.posts[2].content.plain_text(), "post 3");
    let said: Vec<(&str, &str)> = account
        .diagnostics
        .iter()
        .map(|d| (d.location.as_str(), d.message.as_str()))
        .collect();
    let item_start = String::from_utf8_lossy(&bytes)
        .find(r#"{"id":"https://ex.social/users/a/statuses/2/activity""#)
        .expect("item 2");
    assert_eq!(
        said,
        [(
            format!("outbox.json item 2 (byte {item_start})").as_str(),
            format!(
                "bytes that are not UTF-8 (the first at byte {} of the item) are shown as \u{fffd}: the post is kept",
                at - item_start
            )
            .as_str()
        )]
    );
}

/// A UTF-16 outbox (re-saved by an editor) gets a message that names the encoding and the fix.
#[test]
fn utf16_outboxes_are_named_as_such() {
    let json = wrap(&[note(1, "")]);
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(json.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be_without_bom: Vec<u8> = json.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let le_without_bom: Vec<u8> = json.encode_utf16().flat_map(u16::to_le_bytes).collect();
    for bytes in [le, be_without_bom, le_without_bom] {
        let mut account = Account::default();
        let err = outbox::read_outbox(&bytes[..], "outbox.json", &mut account, &mut |_, _| {})
            .expect_err("UTF-16 is not read");
        let text = err.to_string();
        assert!(
            text.contains("UTF-16") && text.contains("Mastodon writes UTF-8"),
            "{text}"
        );
    }
}

/// The posts are allocated ahead from `totalItems` (which drifts: here 10% low), bounded by what
/// the file's size can hold: a lying total neither allocates for it nor keeps room unused.
#[test]
fn posts_are_allocated_from_the_declared_total_within_reason() {
    // Items of about 1 KB, as real ones are (these would be 500 bytes bare).
    let padding = format!(",\"summary\":\"{}\"", "x".repeat(600));
    let items: Vec<String> = (0..1000).map(|i| note(i, &padding)).collect();
    let read_sized = |json: &str| {
        let mut account = Account::default();
        outbox::read_outbox_sized(
            json.as_bytes(),
            Some(json.len() as u64),
            "outbox.json",
            &mut account,
            &mut |_, _| {},
        )
        .expect("readable outbox");
        account
    };
    let json = wrap(&items).replace("\"totalItems\":1000", "\"totalItems\":900");
    let account = read_sized(&json);
    assert_eq!(account.posts.len(), 1000);
    // 900 + an eighth = 1012 fits 1000 posts: allocated once (doubling would leave 1024 or more).
    assert_eq!(account.posts.capacity(), 1012);

    // A total a million times too large: the file's size bounds what is allocated, and what
    // is left unused is given back.
    let json = wrap(&items).replace("\"totalItems\":1000", "\"totalItems\":1000000000");
    let account = read_sized(&json);
    assert_eq!(account.posts.len(), 1000);
    assert!(
        account.posts.capacity() <= 1000 + 1000 / 8 + 64,
        "{}",
        account.posts.capacity()
    );
}

/// The first report comes after a few dozen items, not thousands, so that the page shows the
/// first posts at once; later reports come every 2048 items.
#[test]
fn the_first_progress_report_comes_early() {
    let items: Vec<String> = (0..5000).map(|i| note(i, "")).collect();
    let json = wrap(&items);
    let mut account = Account::default();
    let mut seen = Vec::new();
    outbox::read_outbox(
        json.as_bytes(),
        "outbox.json",
        &mut account,
        &mut |_, so_far| seen.push(so_far.posts.len()),
    )
    .expect("readable outbox");
    assert_eq!(seen, [32, 2048, 4096]);
}

/// `contentMap` holds the text again (Mastodon) or alone (some servers): its first entry gives
/// the language, and the text when `content` is missing, escapes read as in `content`; a
/// `contentMap` that is not a map of strings costs nothing but itself.
#[test]
fn content_map_gives_the_language_and_the_text_when_content_is_missing() {
    let only_map = r#"{"id":"https://ex.social/users/a/statuses/1/activity","type":"Create","actor":"https://ex.social/users/a","to":["https://www.w3.org/ns/activitystreams#Public"],"object":{"id":"https://ex.social/users/a/statuses/1","type":"Note","to":["https://www.w3.org/ns/activitystreams#Public"],"contentMap":{"fr":"\u003cp\u003eDu \"caf\u00e9\" \u0026amp; des croissants\u003c/p\u003e","en":"<p>other</p>"}}}"#;
    let both = note(2, r#","contentMap":{"de":"<p>anders</p>"}"#);
    let odd_map = note(3, r#","contentMap":{"en":{"nested":[1,2]}}"#);
    let not_a_map = note(4, r#","contentMap":["x"]"#);
    let account = read(&wrap(&[only_map.into(), both, odd_map, not_a_map]));
    assert_eq!(account.posts.len(), 4);
    let lang = |i: usize| {
        account.posts[i]
            .language
            .map(|l| account.strings.resolve(l).to_string())
    };
    assert_eq!(
        account.posts[0].content.plain_text(),
        "Du \"café\" & des croissants"
    );
    assert_eq!(lang(0).as_deref(), Some("fr"));
    // `content` wins over the map's text; the map still gives the language.
    assert_eq!(account.posts[1].content.plain_text(), "post 2");
    assert_eq!(lang(1).as_deref(), Some("de"));
    assert_eq!(account.posts[2].content.plain_text(), "post 3");
    assert_eq!(lang(2).as_deref(), Some("en"));
    assert_eq!(account.posts[3].content.plain_text(), "post 4");
    assert_eq!(lang(3), None);
}

/// A source that gives its bytes a few at a time up to `fail_at`, then fails: a download cut
/// inside outbox.json, or damaged compressed data.
struct FailsAt {
    bytes: Vec<u8>,
    at: usize,
    fail_at: usize,
}

impl std::io::Read for FailsAt {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at >= self.fail_at.min(self.bytes.len()) {
            if self.at >= self.bytes.len() {
                return Ok(0);
            }
            return Err(std::io::Error::other("the source failed here"));
        }
        let n = buf.len().min(7).min(self.fail_at - self.at);
        buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[test]
fn a_source_failing_anywhere_keeps_every_post_whole_before_the_failure() {
    let items: Vec<String> = (1..=5).map(|i| note(i, "")).collect();
    let json = wrap(&items);
    let ends: Vec<usize> = items
        .iter()
        .map(|item| json.find(item.as_str()).unwrap() + item.len())
        .collect();
    let array_end = json.find("],\"@context\"").unwrap();
    for fail_at in (0..json.len()).step_by(13).chain([json.len()]) {
        let source = FailsAt {
            bytes: json.clone().into_bytes(),
            at: 0,
            fail_at,
        };
        let mut account = Account::default();
        let read = outbox::read_outbox(source, "outbox.json", &mut account, &mut |_, _| {});
        let whole = ends.iter().filter(|&&end| end <= fail_at).count();
        match read {
            Err(err) => {
                assert_eq!(whole, 0, "failed at {fail_at}: {err}");
                assert!(err.to_string().contains("the source failed here"), "{err}");
            }
            Ok(_) => {
                assert_eq!(account.posts.len(), whole, "failed at {fail_at}");
                let stopped = account
                    .diagnostics
                    .iter()
                    .find(|d| d.kind == DiagnosticKind::Truncated);
                if fail_at < json.len() {
                    let note = stopped.expect("a note saying where reading stopped");
                    assert!(
                        note.message.contains("the source failed here")
                            && note.message.contains(&format!("the {whole} posts")),
                        "failed at {fail_at}: {}",
                        note.message
                    );
                } else {
                    assert!(stopped.is_none(), "{stopped:?}");
                }
            }
        }
        // Every post is kept once the array has come, the keys after it or not.
        if fail_at > array_end {
            assert_eq!(account.posts.len(), items.len(), "failed at {fail_at}");
        }
    }
}
