//! The media library natively: order, paging, months in a time zone, the kind and description
//! filters, counts that equal the matching searches, and its truth computed here from the loaded
//! posts (with jiff for the months), not by the session's code.
#![allow(clippy::unwrap_used)]

use permafrost_engine::Input;
use permafrost_protocol::{MediaKind, MediaLibraryView, RequestBody, ResponseBody, Sort};
use permafrost_session::{Answer, MediaFilter, Session};
use std::collections::BTreeMap;
use std::io::Cursor;

type Source = Cursor<Vec<u8>>;

/// Posts with media around month boundaries: post 1 at 23:30 UTC on 31 January (February in
/// Berlin), sensitive, an image with a description and a missing video without one; post 2 in
/// March, a GIF with a blank description and an audio file with one; post 3 without a date, an
/// image without description; post 4 in February without media; post 5 at 23:30 UTC on
/// 31 December 2022 (2023 in Berlin), an image with a description.
const OUTBOX: &str = r##"{"orderedItems":[
 {"id":"https://ex.social/users/a/statuses/1/activity","type":"Create","actor":"https://ex.social/users/a",
  "object":{"id":"https://ex.social/users/a/statuses/1","type":"Note","published":"2023-01-31T23:30:00Z",
   "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>cat video</p>","sensitive":true,
   "attachment":[
    {"type":"Document","mediaType":"image/png","url":"/media_attachments/files/1/a.png","name":"a cat","blurhash":"LEHV6nWB2yk8pyo0adR*.7kCMdnj","width":4,"height":3},
    {"type":"Document","mediaType":"video/mp4","url":"/media_attachments/files/1/b.mp4","name":null}]}},
 {"id":"https://ex.social/users/a/statuses/2/activity","type":"Create","actor":"https://ex.social/users/a",
  "object":{"id":"https://ex.social/users/a/statuses/2","type":"Note","published":"2023-03-15T12:00:00Z",
   "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>sounds</p>",
   "attachment":[
    {"type":"Document","mediaType":"image/gif","url":"/media_attachments/files/2/c.gif","name":"  "},
    {"type":"Document","mediaType":"audio/mpeg","url":"/media_attachments/files/2/d.mp3","name":"a song"}]}},
 {"id":"https://ex.social/users/a/statuses/3/activity","type":"Create","actor":"https://ex.social/users/a",
  "object":{"id":"https://ex.social/users/a/statuses/3","type":"Note",
   "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>undated</p>",
   "attachment":[{"type":"Document","mediaType":"image/jpeg","url":"/media_attachments/files/3/e.jpg"}]}},
 {"id":"https://ex.social/users/a/statuses/4/activity","type":"Create","actor":"https://ex.social/users/a",
  "object":{"id":"https://ex.social/users/a/statuses/4","type":"Note","published":"2023-02-10T10:00:00Z",
   "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>just text</p>"}},
 {"id":"https://ex.social/users/a/statuses/5/activity","type":"Create","actor":"https://ex.social/users/a",
  "object":{"id":"https://ex.social/users/a/statuses/5","type":"Note","published":"2022-12-31T23:30:00Z",
   "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>new year</p>",
   "attachment":[{"type":"Document","mediaType":"image/jpeg","url":"/media_attachments/files/5/f.jpg","name":"fireworks"}]}}]}"##;

fn input(name: &str, bytes: &[u8]) -> Input<Source> {
    Input::new(name, Cursor::new(bytes.to_vec()))
}

fn small() -> Session<Source> {
    let mut inputs = vec![input("archive/outbox.json", OUTBOX.as_bytes())];
    for name in ["1/a.png", "2/c.gif", "2/d.mp3", "3/e.jpg", "5/f.jpg"] {
        inputs.push(input(
            &format!("archive/media_attachments/files/{name}"),
            b"\x89PNG fake",
        ));
    }
    Session::open(inputs, &mut |_| {}, Box::new(|| 0.0))
        .unwrap()
        .0
}

/// Asks the session as the worker does (the query read as typed, pages of at most 500).
#[allow(clippy::too_many_arguments)]
fn ask(
    s: &mut Session<Source>,
    query: &str,
    zone: &str,
    kind: Option<MediaKind>,
    without_alt: bool,
    oldest_first: bool,
    offset: u32,
    limit: u32,
) -> MediaLibraryView {
    let body = RequestBody::MediaLibrary {
        query: query.into(),
        time_zone: zone.into(),
        kind,
        without_alt,
        oldest_first,
        offset,
        limit,
    };
    match s.answer(1, body) {
        Answer::Body(ResponseBody::MediaLibrary(v)) => *v,
        other => panic!("not a media library: {other:?}"),
    }
}

/// `(post, attachment)` of each item.
fn keys(v: &MediaLibraryView) -> Vec<(u32, u32)> {
    v.items.iter().map(|i| (i.post, i.index)).collect()
}

#[test]
fn items_are_in_date_order_with_undated_last_and_months_in_the_zone() {
    let mut s = small();
    let v = ask(&mut s, "", "UTC", None, false, false, 0, 100);
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    assert_eq!(
        keys(&v),
        vec![(1, 0), (1, 1), (0, 0), (0, 1), (4, 0), (2, 0)],
        "newest first, a post's attachments in order, the undated post last"
    );
    assert_eq!(
        (v.total, v.offset, v.posts, v.posts_with_media),
        (6, 0, 4, 4)
    );
    let months: Vec<Option<&str>> = v.items.iter().map(|i| i.month.as_deref()).collect();
    assert_eq!(
        months,
        [
            Some("2023-03"),
            Some("2023-03"),
            Some("2023-01"),
            Some("2023-01"),
            Some("2022-12"),
            None
        ]
    );
    // 23:30 UTC on the last day of a month is the next month in Berlin.
    let berlin = ask(&mut s, "", "Europe/Berlin", None, false, false, 0, 100);
    let months: Vec<Option<&str>> = berlin.items.iter().map(|i| i.month.as_deref()).collect();
    assert_eq!(
        months,
        [
            Some("2023-03"),
            Some("2023-03"),
            Some("2023-02"),
            Some("2023-02"),
            Some("2023-01"),
            None
        ]
    );
    // The query's dates are read in the zone too: February holds post 1 in Berlin only.
    let feb = ask(
        &mut s,
        "during:2023-02",
        "Europe/Berlin",
        None,
        false,
        false,
        0,
        9,
    );
    assert_eq!(keys(&feb), vec![(0, 0), (0, 1)]);
    assert_eq!(feb.posts_with_media, 1);
    let feb = ask(&mut s, "during:2023-02", "UTC", None, false, false, 0, 9);
    assert_eq!((feb.total, feb.posts_with_media), (0, 0));
    assert!(feb.items.is_empty());

    let oldest = ask(&mut s, "", "UTC", None, false, true, 0, 100);
    assert_eq!(
        keys(&oldest),
        vec![(4, 0), (0, 0), (0, 1), (1, 0), (1, 1), (2, 0)],
        "oldest first, the undated post still last"
    );

    let first = &v.items[2];
    assert_eq!(first.id, "1");
    assert_eq!(first.published, Some(1_675_207_800));
    assert!(first.sensitive && v.items[3].sensitive && !v.items[0].sensitive);
    assert_eq!(first.attachment.kind, MediaKind::Image);
    assert_eq!(first.attachment.alt.as_deref(), Some("a cat"));
    assert_eq!(
        (first.attachment.width, first.attachment.height),
        (Some(4), Some(3))
    );
    assert!(first.attachment.blurhash.is_some());
    assert!(first.attachment.present);
    assert_eq!(
        first.path.as_deref(),
        Some("archive/media_attachments/files/1/a.png")
    );
    let missing = &v.items[3];
    assert_eq!(missing.attachment.kind, MediaKind::Video);
    assert!(!missing.attachment.present);
    assert_eq!(missing.path, None);
}

#[test]
fn kinds_coverage_and_the_alt_text_audit() {
    let mut s = small();
    let v = ask(&mut s, "", "UTC", None, false, false, 0, 100);
    let kinds: Vec<(MediaKind, u32, u32)> = v
        .kinds
        .iter()
        .map(|k| (k.kind, k.attachments, k.described))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (MediaKind::Image, 3, 2),
            (MediaKind::Gif, 1, 0),
            (MediaKind::Video, 1, 0),
            (MediaKind::Audio, 1, 1),
            (MediaKind::Other, 0, 0),
        ]
    );
    assert_eq!((v.attachments, v.described), (6, 3));

    // Without a description: a blank one counts as none.
    let audit = ask(&mut s, "", "UTC", None, true, false, 0, 100);
    assert_eq!(keys(&audit), vec![(1, 0), (0, 1), (2, 0)]);
    assert_eq!(
        (audit.total, audit.posts, audit.posts_with_media),
        (3, 3, 4)
    );
    assert_eq!((audit.attachments, audit.described), (6, 3));
    assert_eq!(audit.kinds, v.kinds, "counts per kind ignore the filters");

    let images = ask(
        &mut s,
        "",
        "UTC",
        Some(MediaKind::Image),
        false,
        false,
        0,
        100,
    );
    assert_eq!(keys(&images), vec![(0, 0), (4, 0), (2, 0)]);
    assert_eq!(
        (images.attachments, images.described, images.posts),
        (3, 2, 3)
    );
    let images = ask(
        &mut s,
        "",
        "UTC",
        Some(MediaKind::Image),
        true,
        false,
        0,
        100,
    );
    assert_eq!(keys(&images), vec![(2, 0)]);
    let other = ask(
        &mut s,
        "",
        "UTC",
        Some(MediaKind::Other),
        false,
        false,
        0,
        100,
    );
    assert_eq!((other.total, other.posts, other.attachments), (0, 0, 0));
    assert_eq!(other.posts_with_media, 4);
    let cats = ask(&mut s, "cat", "UTC", None, false, false, 0, 100);
    assert_eq!(keys(&cats), vec![(0, 0), (0, 1)]);
    assert_eq!(cats.kinds.iter().map(|k| k.attachments).sum::<u32>(), 2);
}

#[test]
fn query_mistakes_and_unknown_zones_are_reported_and_the_rest_runs() {
    let mut s = small();
    let v = ask(&mut s, "hass:media cat", "UTC", None, false, false, 0, 100);
    assert!(v.errors[0].text.contains("has:media"), "{:?}", v.errors);
    assert_eq!(v.errors[0].code, "query.unknown_filter");
    assert_eq!(v.errors[0].arg("suggestion"), Some("has:media"));
    assert_eq!(keys(&v), vec![(0, 0), (0, 1)]);
    let v = ask(&mut s, "likes:>3", "UTC", None, false, false, 0, 100);
    assert!(
        v.errors.iter().any(|e| e.text.contains("favourite")),
        "{:?}",
        v.errors
    );
    let v = ask(&mut s, "", "Mars/Olympus_Mons", None, false, false, 0, 100);
    assert!(v
        .errors
        .iter()
        .any(|e| e.text.contains("Mars/Olympus_Mons")));
    assert_eq!(v.items[2].month.as_deref(), Some("2023-01"), "UTC instead");
    // As typed: the last word is a prefix, as in the search box.
    let v = ask(&mut s, "ca", "UTC", None, false, false, 0, 100);
    assert_eq!(v.total, 2);
    assert!(v.errors.is_empty());
    // The command line reads it as complete.
    let exact = MediaFilter {
        query: "ca".into(),
        time_zone: "UTC".into(),
        ..Default::default()
    };
    assert_eq!(s.media_library(exact, 0, 10).total, 0);
}

#[test]
fn pages_end_cleanly_and_the_timelines_search_is_left_alone() {
    let mut s = small();
    let before = s.search(7, "sounds", Sort::Newest, "UTC", 10);
    let whole = ask(&mut s, "", "UTC", None, false, false, 0, 100);
    let mut paged = Vec::new();
    for offset in (0..8).step_by(4) {
        let page = ask(&mut s, "", "UTC", None, false, false, offset, 4);
        assert_eq!((page.offset, page.total), (offset, 6));
        paged.extend(page.items);
    }
    assert_eq!(paged, whole.items);
    let past = ask(&mut s, "", "UTC", None, false, false, 6, 10);
    assert!(past.items.is_empty());
    assert_eq!((past.total, past.offset), (6, 6));
    let far = ask(&mut s, "", "UTC", None, false, false, u32::MAX, u32::MAX);
    assert!(far.items.is_empty());
    assert_eq!(far.total, 6);
    let none = ask(&mut s, "", "UTC", None, false, false, 0, 0);
    assert!(none.items.is_empty());
    assert_eq!((none.total, none.attachments), (6, 6));
    assert_eq!(s.last_search(), 7);
    assert_eq!(s.posts(0, 10), before.posts);
}

/// What the library should hold for one filter, computed from the loaded posts alone.
struct Truth {
    /// `(post, attachment, month)` in order.
    items: Vec<(u32, u32, Option<String>)>,
    kinds: BTreeMap<&'static str, (u32, u32)>,
}

fn kind_name(k: MediaKind) -> &'static str {
    match k {
        MediaKind::Image => "image",
        MediaKind::Gif => "gif",
        MediaKind::Video => "video",
        MediaKind::Audio => "audio",
        MediaKind::Other => "other",
    }
}

/// The truth over the posts `allowed` (indices of the posts the query matches, in any order).
fn truth(
    account: &permafrost_model::Account,
    allowed: &[u32],
    zone: &str,
    kind: Option<MediaKind>,
    without_alt: bool,
    oldest_first: bool,
) -> Truth {
    let tz = jiff::tz::TimeZone::get(zone).unwrap();
    let mut posts: Vec<u32> = allowed.to_vec();
    // Newest first: by date, then by outbox position, later first; undated last.
    posts.sort_by_key(|&p| {
        let published = account.posts[p as usize].published;
        (published.is_none(), std::cmp::Reverse((published, p)))
    });
    if oldest_first {
        let dated = posts
            .iter()
            .filter(|&&p| account.posts[p as usize].published.is_some())
            .count();
        posts[..dated].reverse();
        posts[dated..].reverse();
    }
    let mut items = Vec::new();
    let mut kinds = BTreeMap::new();
    for p in posts {
        let post = &account.posts[p as usize];
        let month = post.published.map(|t| {
            let local = tz.to_datetime(jiff::Timestamp::from_second(t).unwrap());
            format!("{:04}-{:02}", local.year(), local.month())
        });
        for (i, a) in post.attachments.iter().enumerate() {
            let described = a.alt.as_deref().is_some_and(|t| !t.trim().is_empty());
            let e = kinds.entry(kind_name(a.kind)).or_insert((0, 0));
            e.0 += 1;
            e.1 += u32::from(described);
            if kind.is_none_or(|k| k == a.kind) && !(without_alt && described) {
                items.push((p, i as u32, month.clone()));
            }
        }
    }
    Truth { items, kinds }
}

/// Every item of a filter, a page of at most 500 at a time (asking for more gets 500).
fn all_pages(
    s: &mut Session<Source>,
    query: &str,
    zone: &str,
    kind: Option<MediaKind>,
    without_alt: bool,
    oldest_first: bool,
) -> MediaLibraryView {
    let mut first = ask(s, query, zone, kind, without_alt, oldest_first, 0, 10_000);
    assert_eq!(first.items.len(), (first.total as usize).min(500));
    let mut offset = first.items.len() as u32;
    while offset < first.total {
        let page = ask(
            s,
            query,
            zone,
            kind,
            without_alt,
            oldest_first,
            offset,
            10_000,
        );
        assert!(!page.items.is_empty());
        assert_eq!(
            (page.total, page.kinds.len()),
            (first.total, first.kinds.len())
        );
        offset += page.items.len() as u32;
        first.items.extend(page.items);
    }
    first
}

#[test]
fn a_generated_archive_matches_the_truth_and_the_searches() {
    let opts = permafrost_synth::Options {
        posts: 3000,
        seed: 21,
        ..Default::default()
    };
    let mut zip = Cursor::new(Vec::new());
    let expected = permafrost_synth::write_archive(&opts, &mut zip).unwrap();
    let bytes = zip.into_inner();
    let loaded = permafrost_engine::load(vec![input("a.zip", &bytes)], &mut |_| {}).unwrap();
    let account = &loaded.account;
    let (mut s, _) =
        Session::open(vec![input("a.zip", &bytes)], &mut |_| {}, Box::new(|| 0.0)).unwrap();
    let zone = "America/St_Johns";
    let count = |s: &mut Session<Source>, q: &str| s.search(2, q, Sort::Newest, zone, 0).total;
    let posts_of = |s: &mut Session<Source>, q: &str| -> Vec<u32> {
        let total = s.search(3, q, Sort::Newest, zone, 0).total;
        let mut all = Vec::new();
        for offset in (0..total).step_by(1000) {
            let Answer::Body(ResponseBody::Indices { indices, .. }) = s.answer(
                4,
                RequestBody::Indices {
                    offset,
                    limit: 1000,
                },
            ) else {
                panic!("no indices")
            };
            all.extend(indices);
        }
        all
    };

    // The generator's own counts: every attachment, and those of originals without alt text.
    let everything = all_pages(&mut s, "", zone, None, false, false);
    assert_eq!(
        everything.attachments as usize,
        expected.media.referenced + expected.detail.self_boost_attachments
    );
    let originals = all_pages(&mut s, "-is:boost", zone, None, true, false);
    assert_eq!(originals.total as usize, expected.media.without_alt);
    assert_eq!(originals.attachments as usize, expected.media.referenced);
    assert!(
        everything.total > 500,
        "several pages: {}",
        everything.total
    );

    for query in ["", "-is:boost", "visibility:public has:cw", "during:2024"] {
        let matching = posts_of(&mut s, query);
        let media_posts = count(&mut s, &format!("{query} has:media"));
        for (kind, term) in [
            (None, "has:media"),
            (Some(MediaKind::Image), "has:image"),
            (Some(MediaKind::Gif), "has:gif"),
            (Some(MediaKind::Video), "has:video"),
            (Some(MediaKind::Audio), "has:audio"),
        ] {
            for (without_alt, oldest_first) in [(false, false), (true, false), (false, true)] {
                let v = all_pages(&mut s, query, zone, kind, without_alt, oldest_first);
                let what = format!("{query:?} {kind:?} without_alt={without_alt}");
                assert!(v.errors.is_empty(), "{what}: {:?}", v.errors);
                let want = truth(account, &matching, zone, kind, without_alt, oldest_first);
                let got: Vec<(u32, u32, Option<String>)> = v
                    .items
                    .iter()
                    .map(|i| (i.post, i.index, i.month.clone()))
                    .collect();
                assert_eq!(got, want.items, "{what}");
                assert_eq!(v.total as usize, want.items.len(), "{what}");
                let kinds: BTreeMap<&str, (u32, u32)> = v
                    .kinds
                    .iter()
                    .filter(|k| k.attachments > 0)
                    .map(|k| (kind_name(k.kind), (k.attachments, k.described)))
                    .collect();
                assert_eq!(kinds, want.kinds, "{what}");
                assert_eq!(v.posts_with_media, media_posts, "{what}");
                let mut posts: Vec<u32> = want.items.iter().map(|i| i.0).collect();
                posts.dedup();
                assert_eq!(v.posts as usize, posts.len(), "{what}");
                // The posts of the list are those of the matching search, where a term says it.
                if !without_alt {
                    assert_eq!(v.posts, count(&mut s, &format!("{query} {term}")), "{what}");
                } else if kind.is_none() {
                    assert_eq!(
                        v.posts,
                        count(&mut s, &format!("{query} has:noalt")),
                        "{what}"
                    );
                }
                if kind.is_none() && without_alt {
                    assert_eq!(v.total, v.attachments - v.described, "{what}");
                }
                for item in &v.items {
                    let post = &account.posts[item.post as usize];
                    let a = &post.attachments[item.index as usize];
                    assert_eq!(item.sensitive, post.sensitive);
                    assert_eq!(item.published, post.published);
                    assert_eq!(item.attachment.present, a.entry.is_some());
                    assert_eq!(item.path.is_some(), a.entry.is_some());
                    assert!(post.id.contains(&item.id) && !item.id.contains('/'));
                }
            }
        }
    }

    // The months agree with the Statistics view's alt-text coverage per month.
    let Answer::Body(ResponseBody::Stats(stats)) = s.answer(
        5,
        RequestBody::Stats {
            query: String::new(),
            time_zone: zone.into(),
        },
    ) else {
        panic!("no stats")
    };
    let mut per_month: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for item in &everything.items {
        let e = per_month.entry(item.month.clone().unwrap()).or_default();
        e.0 += 1;
        e.1 += u32::from(item.attachment.alt.is_some());
    }
    let stats_months: BTreeMap<String, (u32, u32)> = stats
        .alt_text
        .iter()
        .map(|m| (m.month.clone(), (m.attachments, m.described)))
        .collect();
    assert_eq!(per_month, stats_months);
}

/// Switching between filters and back gives each filter's own pages (the kept list is replaced
/// when the question changes).
#[test]
fn interleaved_questions_each_get_their_own_pages() {
    let opts = permafrost_synth::Options {
        posts: 1500,
        seed: 4,
        ..Default::default()
    };
    let mut zip = Cursor::new(Vec::new());
    permafrost_synth::write_archive(&opts, &mut zip).unwrap();
    let (mut s, _) = Session::open(
        vec![input("a.zip", zip.get_ref())],
        &mut |_| {},
        Box::new(|| 0.0),
    )
    .unwrap();
    let whole_new = all_pages(&mut s, "", "UTC", None, false, false);
    let whole_old = all_pages(&mut s, "", "UTC", None, false, true);
    let whole_audit = all_pages(&mut s, "", "Asia/Tokyo", None, true, false);
    let mut new = Vec::new();
    let mut old = Vec::new();
    let mut audit = Vec::new();
    let mut offset = 0;
    while offset < whole_new.total {
        new.extend(ask(&mut s, "", "UTC", None, false, false, offset, 50).items);
        old.extend(ask(&mut s, "", "UTC", None, false, true, offset, 50).items);
        audit.extend(ask(&mut s, "", "Asia/Tokyo", None, true, false, offset, 50).items);
        offset += 50;
    }
    assert_eq!(new, whole_new.items);
    assert_eq!(old, whole_old.items);
    assert_eq!(audit, whole_audit.items);
    // Oldest first turns the posts round, not a post's attachments.
    let posts = |items: &[permafrost_protocol::MediaItem]| {
        let mut posts: Vec<u32> = items.iter().map(|i| i.post).collect();
        posts.dedup();
        posts
    };
    let mut newest = posts(&whole_new.items);
    newest.reverse();
    assert_eq!(posts(&whole_old.items), newest);
    assert!(whole_old
        .items
        .windows(2)
        .all(|w| w[0].post != w[1].post || w[0].index < w[1].index));
}
